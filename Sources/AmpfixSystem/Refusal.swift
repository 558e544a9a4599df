import AmpfixCore

/// Why ampfix declined to do something before it touched anything: each refusal is a case
/// with its arguments, so a caller can tell them apart without reading prose and the text
/// lives in one place.
public enum Refusal: Equatable, Sendable, CustomStringConvertible, MessageConvertible {
    // MARK: Paths inside the root
    case emptyPath
    case relativeRoot
    /// The path climbs out of the root with "..".
    case leavesRoot(root: String)
    /// A link on the way points outside the root (libkmod would follow it).
    case leadsOutOfRoot(root: String)
    /// Something other than a regular file where ampfix reads or writes one.
    case wrongKind(FileKind)
    case hardLinks(count: Int)
    /// A file of the kernel's (procfs, sysfs …) reached by a name outside /proc and /sys.
    case kernelFile(fileSystem: String)
    case tooDeep(levels: Int)

    // MARK: Sizes
    /// A host file past the most ampfix reads from a file like it.
    case tooLarge(limit: Int64)
    /// One of ampfix's own data files (definitions, tables) past their plausible size.
    case ownDataTooLarge(limit: Int64)
    /// A compressed log whose tail would cost more than ampfix inflates.
    case compressedLogTooLarge(size: Int64, limit: Int64)
    /// A compressed log that inflates past what ampfix reads for a tail (a gzip bomb).
    case inflatesTooMuch(limit: Int64)
    /// A file past what a support bundle takes whole.
    case tooLargeToTake(limit: Int64)
    /// A file with more than one name, which a support bundle never takes.
    case sharedFileNotTaken(links: Int)

    // MARK: Trees handed to a library that opens paths itself (libsemanage, libkmod)
    case tooLargeForLibrary(size: Int64, limit: Int64, library: String)
    case libraryWouldFollow(FileKind, library: String)
    case tooManyEntries(limit: Int, library: String)
    /// A file with more than one name in a tree a library writes in.
    case libraryWouldWriteThrough(links: Int, library: String)
    /// A file at one of the temporary names a library writes (and truncates) in a tree.
    case libraryTemporaryLeftover(library: String)

    // MARK: Files ampfix reads or writes
    case notGzip
    case corruptGzip
    /// The support bundle's output file is there already.
    case outputExists

    // MARK: Moving a definition file aside (fault 7)
    case changedSinceDiagnosis(now: FileIdentity, was: FileIdentity)
    case otherFileSystem(destination: String)
    case destinationExists(destination: String)
    /// The name was swapped between the check and the rename; `putBackFailure` is nil when
    /// what arrived was moved back.
    case nameSwapped(arrived: String, destination: String, putBackFailure: String?)

    // MARK: Programs, locks and the live host
    case programNotFound(searchPath: [String])
    /// ampfix runs where / is no mount of its own (inside a chroot): a tool handed --root cannot
    /// be confined there without a mount that would show on the host too.
    case cannotConfineInChroot
    case runLockHeld(holder: Message, root: String, seconds: Int)
    case journalLocked
    case journalTooLarge(size: Int64, limit: Int64)
    case journalRecordTooLarge(limit: Int64)
    case tooManySetAsideCopies(count: Int)
    case servicesNotUnderRoot(root: String)
    case packagesNotUnderRoot(root: String)
    case insideMaintainerScript(variable: String, value: String)
    case packageLockHeld(lock: String, process: String)
    /// The package database the backend reads is not in the root.
    case noPackageDatabase(path: String)
    /// A change handed to an adapter that applies other kinds.
    case wrongAdapter(applies: String)

    // MARK: Kernel modules
    case modulesOnlyOnLiveHost
    case dkmsOnlyOnLiveHost
    /// A module name, version, kernel release or path that would reach dkms or a copy or
    /// deletion as something other than one plain word.
    case notADKMSWord(kind: Message, value: String)
    case notInModuleIndex(kernel: String)
    case notAKernelRelease
    case notAModuleName
    case noKmodContext
    case moduleFileMissing
    case moduleStateUnreadable(String)
    case loadedBuildChanged(now: String?, planned: String)
    case fileBuildChanged(now: String?, planned: String)
    case keptCopyGone(path: String)
    case keptCopyDiffers(path: String, kept: String, loaded: String)
    case moduleUsedBy(module: String, users: [String])
    case moduleReferenced(module: String, references: Int)
    case kernelHoldsOtherBuild(now: String?, expected: String)

    // MARK: SELinux module stores
    /// SELINUXTYPE names a store directory: only a plain name is one.
    case notAPolicyName(selinuxType: String)
    case oneRootPerProcess(first: String)
    case commitCutOff(directory: String)
    case imageSemanageSettings(file: String, settings: [String])
    case storeLockHeld(lock: String, seconds: Int)
    case storeLockTaken(lock: String)
    case policyStillDiffers

    public var description: String { message.description }

    public var message: Message {
        switch self {
        case .emptyPath: return .msg("an empty path names no file")
        case .relativeRoot: return .msg("the root must be an absolute path")
        case .leavesRoot(let root): return .msg("the path leaves the root \(root) through '..'")
        case .leadsOutOfRoot(let root): return .msg("it leads outside the root \(root)")
        case .wrongKind(.symbolicLink): return .msg("it is a symbolic link; ampfix does not follow a link here")
        case .wrongKind(.directory): return .msg("it is a directory, not a regular file")
        case .wrongKind(let kind): return .msg("it is \(kind.nameMessage), not a regular file; ampfix reads and writes only regular files here")
        case .hardLinks(let count): return .msg("it has \(count) hard links; ampfix writes only to a file that has no other name")
        case .kernelFile(let fileSystem):
            return .msg("it leads to a kernel file (\(fileSystem)), not a file of the tree; ampfix reads kernel files only by their names under /proc and /sys")
        case .tooDeep(let levels):
            return .msg("it is more than \(levels) directories deep; ampfix checks no deeper (the connector's own tree is about ten)")
        case .tooLarge(let limit): return .msg("it is larger than \(limit >> 20) MiB, the most ampfix reads from a file like it")
        case .ownDataTooLarge(let limit): return .msg("it is larger than \(limit >> 20) MiB; ampfix's own data files are a few KiB")
        case .compressedLogTooLarge(let size, let limit):
            return .msg("\(size >> 20) MiB compressed is more than ampfix inflates for a log's tail (\(limit >> 20) MiB)")
        case .journalTooLarge(let size, let limit):
            return .msg("it is \(size >> 20) MiB, more than the \(limit >> 20) MiB a journal of ampfix holds; ampfix cannot tell what that run changed. Inspect the file, then move it out of the journal directory to go on without that run")
        case .journalRecordTooLarge(let limit):
            return .msg("a record longer than \(limit >> 20) MiB, more than ampfix writes; ampfix cannot tell what that run changed. Inspect the file, then move it out of the journal directory to go on without that run")
        case .inflatesTooMuch(let limit):
            return .msg("it inflates to more than \(limit >> 20) MiB, more than ampfix inflates for a log's tail")
        case .tooLargeToTake(let limit): return .msg("it is larger than \(limit >> 10) KiB, the most a support bundle takes of a file like it")
        case .sharedFileNotTaken(let links):
            return .msg("it has \(links) hard links; a support bundle takes no file that has another name (that name could be a secret's)")
        case .tooLargeForLibrary(let size, let limit, let library):
            return .msg("it is \(size >> 20) MiB, more than the \(limit >> 20) MiB ampfix lets \(library) read from one file")
        case .libraryWouldFollow(.symbolicLink, let library):
            return .msg("it is a symbolic link; \(library) opens paths itself and would follow it, possibly out of the root, so ampfix leaves it alone")
        case .libraryWouldFollow(let kind, let library):
            return .msg("it is \(kind.nameMessage); \(library) opens paths itself and would block on it or read it without end, so ampfix leaves it alone")
        case .tooManyEntries(let limit, let library):
            return .msg("more than \(limit) entries; ampfix checks no more than that before handing a tree to \(library)")
        case .libraryWouldWriteThrough(let links, let library):
            return .msg("it has \(links) hard links; \(library) writes in this tree by name and would write through the file's other name, possibly out of the root, so ampfix leaves it alone")
        case .libraryTemporaryLeftover(let library):
            return .msg("it has the name of a temporary file \(library) writes, truncating what is there; if no \(library) program runs on this root, remove it, then run ampfix again")
        case .notGzip: return .msg("not a gzip file")
        case .corruptGzip: return .msg("corrupt gzip data")
        case .outputExists: return .msg("it exists already; name another file with --output")
        case .changedSinceDiagnosis(let now, let was): return .msg("it changed since the diagnosis (now \(now), was \(was))")
        case .otherFileSystem(let destination):
            return .msg("\(destination) is on another file system; ampfix moves the file, it never copies it — move it by hand")
        case .destinationExists(let destination): return .msg("\(destination) exists already; ampfix never overwrites it")
        case .nameSwapped(let arrived, let destination, nil):
            return .msg("the name was given to another file while it was moved, and \(arrived) reached \(destination); it was moved back, and the checked file was not moved")
        case .nameSwapped(let arrived, let destination, let putBackFailure?):
            return .msg("the name was given to another file while it was moved, and \(arrived) reached \(destination); moving it back failed (\(putBackFailure)): move it back by hand")
        case .programNotFound(let searchPath): return .msg("not found in \(searchPath.joined(separator: ":"))")
        case .cannotConfineInChroot:
            return .msg("ampfix runs inside a chroot whose / is not a mount point, and there it cannot keep the programs of a --root from running with the tool it hands that root to; run ampfix outside the chroot, or make the chroot's directory a mount point first (mount --bind DIR DIR)")
        case .runLockHeld(let holder, let root, let seconds):
            return .msg("\(holder) is still running on \(root) after \(seconds) s; try again later or raise --lock-timeout")
        case .journalLocked: return .msg("another process holds it")
        case .tooManySetAsideCopies(let count): return .msg("\(count) set-aside copies of it exist already")
        case .servicesNotUnderRoot(let root): return .msg("services are not managed under --root \(root)")
        case .packagesNotUnderRoot(let root): return .msg("ampfix does not install packages under --root \(root)")
        case .insideMaintainerScript(let variable, let value):
            return .msg("ampfix runs inside a dpkg maintainer script (\(variable)=\(value)), which holds the package lock")
        case .packageLockHeld(let lock, let process): return .msg("\(lock) is locked by process \(process) (a package manager is running)")
        case .noPackageDatabase(let path): return .msg("no \(path)")
        case .wrongAdapter(let applies): return .msg("not a change this adapter applies (it applies \(applies))")
        case .modulesOnlyOnLiveHost: return .msg("modules are loaded only on the live host")
        case .dkmsOnlyOnLiveHost: return .msg("DKMS builds run only on the live host (they run the system's own compiler and make)")
        case .notADKMSWord(let kind, let value):
            // TRANSLATORS: %1$s is "module name", "version", "kernel release" or "path to delete".
            return .msg("the \(kind) '\(value)' is not one DKMS can take: ampfix hands dkms and its own copies and deletions only letters, digits and . _ + ~ - (not first), and only the paths DKMS itself uses")
        case .notInModuleIndex(let kernel): return .msg("not in the module index of \(kernel)")
        case .notAKernelRelease: return .msg("a kernel release is a plain name like 6.1.0-18-amd64")
        case .notAModuleName: return .msg("not a module name")
        case .noKmodContext: return .msg("libkmod could not create a context for it")
        case .moduleFileMissing: return .msg("no such file")
        case .moduleStateUnreadable(let why): return .verbatim(why)
        case .loadedBuildChanged(let now?, let planned): return .msg("the loaded build is srcversion \(now), not the planned \(planned)")
        case .loadedBuildChanged(nil, let planned): return .msg("no build is loaded, not the planned \(planned)")
        case .fileBuildChanged(let now?, let planned): return .msg("the file's build is srcversion \(now), not the planned \(planned)")
        case .fileBuildChanged(nil, let planned): return .msg("the file is gone, not the planned \(planned)")
        case .keptCopyGone(let path): return .msg("the kept copy \(path) is gone")
        case .keptCopyDiffers(let path, let kept, let loaded): return .msg("the kept copy \(path) is build \(kept), not the loaded \(loaded)")
        case .moduleUsedBy(let module, let users): return .msg("\(module) is in use by the modules \(users.joined(separator: ", "))")
        case .moduleReferenced(let module, let references):
            return .msg("\(module) is in use (\(references) references; stop the connector first)")
        case .kernelHoldsOtherBuild(let now?, let expected): return .msg("the kernel holds build \(now), not \(expected)")
        case .kernelHoldsOtherBuild(nil, let expected): return .msg("the kernel holds no build, not \(expected)")
        case .notAPolicyName(let name):
            return .msg("SELINUXTYPE='\(name)' is not a policy name (letters, digits, '_', '-', '.'); no module store is read for it")
        case .oneRootPerProcess(let first):
            return .msg("libsemanage keeps the store paths of the first root this process opened (\(first)); another root needs a process of its own")
        case .commitCutOff(let directory):
            return .msg("it was left in the middle of a commit: \(directory)/active is missing and \(directory)/previous holds the store before it; ampfix puts it back when it finishes or undoes the run that was cut off, or by hand: mv \(directory)/previous \(directory)/active")
        case .imageSemanageSettings(let file, let settings):
            return .msg("\(file) holds settings ampfix does not hand to libsemanage from an image (\(settings.joined(separator: "; "))); remove them, or repair this store from inside the system it belongs to")
        case .storeLockHeld(let lock, let seconds):
            return .msg("another tool (semodule, rpm, dnf) has held its transaction lock \(lock) for \(seconds) s; try again when it is done")
        case .storeLockTaken(let lock): return .msg("another tool took its transaction lock \(lock) meanwhile; try again when it is done")
        case .policyStillDiffers: return .msg("the built policy still differs from the store's after a rebuild")
        }
    }
}
