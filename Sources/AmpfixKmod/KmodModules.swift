import AmpfixCore
import AmpfixSystem
import CKmod
import Glibc
import SystemPackage

/// A libkmod call that failed: libkmod returns -errno.
public struct KmodError: Error, CustomStringConvertible {
    public var operation: String
    public var object: String
    public var errno: Int32

    public var description: String { "cannot \(operation) \(object): \(String(cString: strerror(errno)))" }
}

/// Kernel modules of a root through libkmod: `kmod_new(ROOT/lib/modules/RELEASE, ROOT's
/// modprobe.d)` for lookups and probes; the running kernel's state only on the live host.
/// Loading happens only on the live host; under --root a probe can only be a dry run.
public struct KmodModules: KernelModules, ChangeApplier {
    public let fs: RootedFileSystem

    public init(fs: RootedFileSystem) {
        self.fs = fs
    }

    var live: Bool { fs.root == "/" }

    /// A libkmod context over one kernel's module directory (already resolved inside the root:
    /// libkmod opens what it is given on the host, so a link must not lead it out), released
    /// after `body`.
    func withContext<R>(directory: String, kernel: String, _ body: (OpaquePointer) throws -> R) throws -> R {
        let configs = try ["/etc/modprobe.d", "/run/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d"].compactMap {
            try libraryDirectory($0) { $0.hasSuffix(".conf") }
        }
        let pointers = configs.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        let context: OpaquePointer? = pointers.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) {
                kmod_new(directory, $0)
            }
        }
        guard let context else { throw KmodError(operation: "open the module index of", object: kernel, errno: ENOMEM) }
        defer { kmod_unref(context) }
        kmod_set_log_priority(context, 0)  // errors come back as return codes; nothing on stderr
        return try body(context)
    }

    /// Where `path` is on the host once resolved inside the root, or nil when it does not exist.
    func insideRoot(_ path: String) throws -> String? {
        try fs.resolve(path).map(fs.hostPath)
    }

    /// Where a directory libkmod reads is on the host, resolved inside the root, or nil when it
    /// does not exist. Under --root the names libkmod opens there (`reads`) must be regular
    /// files of a sane size: libkmod follows links on the host and would block on a FIFO.
    func libraryDirectory(_ path: String, reads: @escaping @Sendable (String) -> Bool) throws -> String? {
        guard let physical = try fs.resolve(path) else { return nil }
        if !live {
            try fs.requireRealTrees([.init(physical, recursive: false, reads: reads)], for: "libkmod", maximumFileSize: Self.largestIndexFile)
        }
        return fs.hostPath(physical)
    }

    /// The most libkmod is let read of one index or configuration file: a distribution kernel's
    /// largest index (modules.alias.bin) is about 1 MiB.
    static let largestIndexFile: Int64 = 64 << 20

    /// The module directory of `kernel` (its `modules.*` index files checked under --root).
    func moduleDirectory(_ kernel: String) throws -> String? {
        try libraryDirectory("/lib/modules/" + kernel) { $0.hasPrefix("modules.") }
    }

    /// Refuses a file libkmod would read somewhere other than inside the root (through a link
    /// libkmod follows on the host).
    func checkInsideRoot(hostPath: String, inRoot: String) throws {
        guard !live else { return }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let real = realpath(hostPath, &buffer).map { String(cString: $0) }
        let resolved = try? insideRoot(inRoot)
        if real == nil || real != resolved {
            throw KmodError(operation: "read", object: "\(inRoot): it leads outside the root \(fs.root)", errno: EXDEV)
        }
        // A regular file (refused before it is opened otherwise): libkmod would block on a FIFO.
        let (fd, _) = try fs.open(inRoot, flags: O_RDONLY)
        try? fd.close()
    }

    /// The module named `name` (not an alias) in the kernel's index, with its first list entry.
    func withModule<R>(_ name: String, kernel: String, _ body: (OpaquePointer) throws -> R) throws -> R? {
        guard KernelRelease.isValid(kernel) else {
            throw KmodError(operation: "open the module index of", object: "'\(kernel)' (a kernel release is a plain name)", errno: EINVAL)
        }
        // No module directory for this kernel (inside the root): no module either.
        guard let directory = try moduleDirectory(kernel) else { return nil }
        return try withContext(directory: directory, kernel: kernel) { context in
            var list: OpaquePointer?
            let result = kmod_module_new_from_lookup(context, name, &list)
            guard result >= 0 else { throw KmodError(operation: "look up", object: "\(name) for \(kernel)", errno: -result) }
            defer { kmod_module_unref_list(list) }
            guard let list, let module = kmod_module_get_module(list) else { return nil }
            defer { kmod_module_unref(module) }
            return try body(module)
        }
    }

    public func module(_ name: String, kernel: String) throws -> KernelModuleInfo? {
        let found: KernelModuleInfo?? = try withModule(name, kernel: kernel) { module -> KernelModuleInfo? in
            guard let path = kmod_module_get_path(module).map({ String(cString: $0) }) else { return nil }  // built in
            let inRoot = live || !path.hasPrefix(fs.root) ? path : String(path.dropFirst(fs.root.count))
            try checkInsideRoot(hostPath: path, inRoot: inRoot)
            let keys = Self.info(module)
            return KernelModuleInfo(name: name, path: inRoot, signed: keys["sig_id"] != nil || keys["signer"] != nil, vermagic: keys["vermagic"],
                                    srcversion: keys["srcversion"])
        }
        return found ?? nil
    }

    /// A module's modinfo keys (libkmod reads the file's .modinfo section).
    static func info(_ module: OpaquePointer) -> [String: String] {
        var info: OpaquePointer?
        var keys: [String: String] = [:]
        guard kmod_module_get_info(module, &info) >= 0 else { return keys }
        var entry = info
        while let current = entry {
            if let key = kmod_module_info_get_key(current) {
                keys[String(cString: key)] = kmod_module_info_get_value(current).map { String(cString: $0) } ?? ""
            }
            entry = kmod_list_next(info, current)
        }
        kmod_module_info_free_list(info)
        return keys
    }

    /// A module file outside the index (a kept copy) as libkmod opens it, released after `body`.
    func withFile<R>(_ path: String, kernel: String, _ body: (OpaquePointer) throws -> R) throws -> R {
        guard let hostPath = try insideRoot(path) else { throw KmodError(operation: "open", object: path, errno: ENOENT) }
        try checkInsideRoot(hostPath: hostPath, inRoot: path)
        let directory = try moduleDirectory(kernel) ?? libraryDirectory("/") { $0.hasPrefix("modules.") } ?? fs.hostPath("/")
        return try withContext(directory: directory, kernel: kernel) { context in
            var module: OpaquePointer?
            let result = kmod_module_new_from_path(context, hostPath, &module)
            guard result >= 0, let module else { throw KmodError(operation: "open", object: path, errno: result < 0 ? -result : ENOENT) }
            defer { kmod_module_unref(module) }
            return try body(module)
        }
    }

    /// The srcversion of a module file outside the index (modinfo through libkmod).
    public func srcversion(ofFile path: String, kernel: String) throws -> String? {
        try withFile(path, kernel: kernel) { Self.info($0)["srcversion"] }
    }

    /// Copies the file of `name` in `kernel`'s index to ampfix's kept builds (see
    /// `KeptModuleBuilds`), atomically and 0600, unless a copy is there; returns its path, or nil
    /// when the build has no srcversion to name it by (its staleness could not be told anyway).
    @discardableResult
    public func keepCopy(_ name: String, kernel: String) throws -> String? {
        guard let module = try module(name, kernel: kernel) else { return nil }
        return try keepCopy(of: module, kernel: kernel)
    }

    func keepCopy(of module: KernelModuleInfo, kernel: String) throws -> String? {
        guard let build = module.srcversion,
              let copy = KeptModuleBuilds.path(name: module.name, srcversion: build, modulePath: module.path) else { return nil }
        try fs.makeDirectories(RootedFileSystem.parent(of: KeptModuleBuilds.directory), mode: 0o755)
        try fs.makeDirectories(KeptModuleBuilds.directory, mode: 0o700)
        if try srcversion(ofFileIfPresent: copy, kernel: kernel) != build {
            guard let bytes = try fs.readFile(module.path) else { throw KmodError(operation: "read", object: module.path, errno: ENOENT) }
            try fs.replaceFile(copy, contents: bytes, newFileMode: 0o600)
        }
        try label(copy, like: module.path)
        return copy
    }

    static let labelAttribute = "security.selinux"

    /// Gives `copy` the SELinux label of the module file `source` (modules_object_t in Debian's
    /// and Fedora's policies), unless it has it: a policy lets a domain load modules from files
    /// of that type, and the kernel refuses (EACCES) a module read from a file labelled as
    /// ampfix's state under /var/lib. Without SELinux labels on `source`, nothing is done.
    func label(_ copy: String, like source: String) throws {
        func openWithLabel(_ path: String) throws -> (FileDescriptor, [UInt8]?) {
            let fd = try fs.open(path, flags: O_RDONLY | O_CLOEXEC).fd
            do {
                return (fd, try fd.extendedAttributes().first { $0.name == Self.labelAttribute }?.value)
            } catch {
                try? fd.close()
                throw SystemError("read the extended attributes of", fs.hostPath(path), error)
            }
        }
        let (from, wanted) = try openWithLabel(source)
        try? from.close()
        guard let wanted else { return }
        let (to, now) = try openWithLabel(copy)
        defer { try? to.close() }
        guard now != wanted else { return }
        do { try to.setExtendedAttribute(Self.labelAttribute, wanted) } catch {
            throw SystemError("label", fs.hostPath(copy), reason: "cannot give it \(source)'s SELinux label: \(error)")
        }
    }

    func srcversion(ofFileIfPresent path: String, kernel: String) throws -> String? {
        guard try fs.resolve(path) != nil else { return nil }
        return try? srcversion(ofFile: path, kernel: kernel)
    }

    public func loadState(_ name: String) -> ModuleLoadState {
        guard live else { return .unknown("no kernel runs the tree under --root \(fs.root)") }
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let found: Int32?
        do {
            found = try withModule(name, kernel: release) { module in kmod_module_get_initstate(module) }
        } catch {
            // An error is not an answer: planning a load on it would hide the real problem.
            return .lookupFailed("\(error)")
        }
        guard let state = found else { return .notLoaded }
        if state == Int32(KMOD_MODULE_LIVE.rawValue) || state == Int32(KMOD_MODULE_COMING.rawValue) { return .loaded }
        if state == Int32(KMOD_MODULE_BUILTIN.rawValue) { return .builtin }
        return .notLoaded
    }

    /// Resolves `name` and its dependencies for `kernel` as modprobe does, and loads them unless
    /// `dryRun` (kmod_module_probe_insert_module). Not part of `KernelModules`: faults only read.
    public func probe(_ name: String, kernel: String, dryRun: Bool) throws {
        guard dryRun || live else {
            throw KmodError(operation: "load", object: "\(name) under --root \(fs.root) (modules are loaded only on the live host)", errno: EPERM)
        }
        let result: Int32? = try withModule(name, kernel: kernel) { module in
            kmod_module_probe_insert_module(module, UInt32(dryRun ? KMOD_PROBE_DRY_RUN.rawValue : 0), nil, nil, nil, nil)
        }
        guard let result else { throw KmodError(operation: "load", object: "\(name): not in the module index of \(kernel)", errno: ENOENT) }
        if result < 0 { throw KmodError(operation: dryRun ? "resolve" : "load", object: "\(name) for \(kernel)", errno: -result) }
    }

    // MARK: Changes

    public let kinds: Set<ChangeKind> = [.loadKernelModule, .reloadKernelModule]

    public func state(of change: Change) throws -> ChangeState {
        switch change {
        case .loadKernelModule(let name, _):
            switch loadState(name) {
            case .loaded, .builtin: return .after
            case .notLoaded: return .before
            case .unknown(let why): return .other(why)
            case .lookupFailed(let why): throw KmodError(operation: "inspect", object: "\(name): \(why)", errno: EIO)
            }
        case .reloadKernelModule(let name, _, let loaded, let file, _):
            guard live else { return .other("no kernel runs the tree under --root \(fs.root)") }
            guard let now = try loadedSrcversion(name) else { return .other("\(name) is not loaded") }
            if now == file { return .after }
            if now == loaded { return .before }
            return .other("the loaded build's srcversion is \(now)")
        default:
            throw KmodError(operation: "inspect", object: "\(change.target) (not a module change)", errno: EINVAL)
        }
    }

    public func precondition(of change: Change) -> String? {
        let name: String, kernel: String
        switch change {
        case .loadKernelModule(let n, let k), .reloadKernelModule(let n, let k, _, _, _): (name, kernel) = (n, k)
        default: return "not a module change"
        }
        if !live { return "modules are loaded only on the live host" }
        if geteuid() != 0 { return "loading a module needs root (running as uid \(geteuid()))" }
        do {
            if case .reloadKernelModule(_, _, let loaded, let file, let fallback) = change {
                // No dry-run probe: libkmod answers it for a loaded module without resolving anything.
                return try reloadBlocker(name, kernel: kernel, loaded: loaded, file: file, fallback: fallback)
            }
            try probe(name, kernel: kernel, dryRun: true)
        } catch {
            return "\(error)"
        }
        return nil
    }

    public func apply(_ change: Change) throws {
        guard live else {
            throw KmodError(operation: "load", object: "\(change.target) under --root \(fs.root) (modules are loaded only on the live host)", errno: EPERM)
        }
        switch change {
        case .loadKernelModule(let name, let kernel):
            // The copy first: should this build ever be replaced on disk while loaded, it is what
            // a reload could load back.
            let copy = try keepCopy(name, kernel: kernel)
            do {
                try probe(name, kernel: kernel, dryRun: false)
            } catch {
                // A build that never loaded is nobody's fallback.
                if let copy { try? fs.removeFile(copy) }
                throw error
            }
        case .reloadKernelModule(let name, let kernel, let loaded, let file, let fallback):
            if let why = try reloadBlocker(name, kernel: kernel, loaded: loaded, file: file, fallback: fallback) {
                throw SystemError("reload", "kernel module \(name)", reason: why)
            }
            try reload(name, kernel: kernel, file: file, fallback: fallback)
        default:
            throw KmodError(operation: "apply", object: "\(change.target) (not a module change)", errno: EINVAL)
        }
    }

    /// A reload killed between its unload and its load leaves the module unloaded: the file's
    /// build is loaded, or when it fails the kept one, so that the step's state can be read.
    public func finishInterrupted(_ change: Change) throws -> String? {
        guard case .reloadKernelModule(let name, let kernel, _, _, let fallback) = change, live, try loadedSrcversion(name) == nil else { return nil }
        do {
            try probe(name, kernel: kernel, dryRun: false)
            try? fs.removeFile(fallback)  // as after a reload that was not interrupted
            return "\(name) was not loaded after the interruption: loaded the file's build"
        } catch {
            try insert(fallback, kernel: kernel)
            return "\(name) was not loaded after the interruption and the file's build failed (\(error)): loaded \(fallback) back"
        }
    }

    /// Loads the module file at `path` (a kept copy) on its own, as insmod does.
    func insert(_ path: String, kernel: String) throws {
        try withFile(path, kernel: kernel) { module in
            let result = kmod_module_insert_module(module, 0, nil)
            if result < 0 { throw KmodError(operation: "load", object: path, errno: -result) }
        }
    }

    // MARK: Reload

    /// The srcversion of the build of `name` the running kernel holds, or nil when none is loaded.
    func loadedSrcversion(_ name: String) throws -> String? {
        guard KeptModuleBuilds.isValid(name: name) else {
            throw KmodError(operation: "inspect", object: "'\(name)' (not a module name)", errno: EINVAL)
        }
        return try fs.readFile("/sys/module/\(name)/srcversion").map { String(decoding: $0, as: UTF8.self).trimming() }
    }

    /// Why the reload cannot start, or nil: the module must still be the planned stale build and
    /// unused, the file the planned new build, and the kept copy the loaded build.
    func reloadBlocker(_ name: String, kernel: String, loaded: String, file: String, fallback: String) throws -> String? {
        let now = try loadedSrcversion(name)
        guard now == loaded else { return "the loaded build is \(now.map { "srcversion \($0)" } ?? "none"), not the planned \(loaded)" }
        let onDisk = try module(name, kernel: kernel)?.srcversion
        guard onDisk == file else { return "the file's build is \(onDisk.map { "srcversion \($0)" } ?? "gone"), not the planned \(file)" }
        let kept = try srcversion(ofFileIfPresent: fallback, kernel: kernel)
        guard kept == loaded else {
            return kept == nil ? "the kept copy \(fallback) is gone" : "the kept copy \(fallback) is build \(kept!), not the loaded \(loaded)"
        }
        return try users(of: name, kernel: kernel)
    }

    /// What keeps `name` from being unloaded (modules that use it, open references), or nil.
    func users(of name: String, kernel: String) throws -> String? {
        try withModule(name, kernel: kernel) { module -> String? in
            let holders = kmod_module_get_holders(module)
            defer { kmod_module_unref_list(holders) }
            var names: [String] = []
            var entry = holders
            while let current = entry {
                if let holder = kmod_module_get_module(current) {
                    names.append(String(cString: kmod_module_get_name(holder)))
                    kmod_module_unref(holder)
                }
                entry = kmod_list_next(holders, current)
            }
            if !names.isEmpty { return "\(name) is in use by the modules \(names.joined(separator: ", "))" }
            let references = kmod_module_get_refcnt(module)
            if references > 0 { return "\(name) is in use (\(references) references; stop the connector first)" }
            return nil
        } ?? nil
    }

    /// Unloads the loaded build, loads the file's and checks the kernel now holds `file`. When
    /// the new build fails to load, the kept copy `fallback` is loaded back and the kernel's
    /// errno and messages are thrown.
    func reload(_ name: String, kernel: String, file: String, fallback: String) throws {
        guard let onDisk = try module(name, kernel: kernel) else {
            throw KmodError(operation: "load", object: "\(name): not in the module index of \(kernel)", errno: ENOENT)
        }
        // The new build's copy first, as for a load: it is the fallback of the next reload. The
        // old build's copy labelled as a module before anything is unloaded.
        let kept = try keepCopy(of: onDisk, kernel: kernel)
        try label(fallback, like: onDisk.path)
        _ = try withModule(name, kernel: kernel) { module in
            // A copy of a build that never loaded is nobody's fallback.
            func dropNewCopy() { if let kept, kept != fallback { try? fs.removeFile(kept) } }
            let removed = kmod_module_remove_module(module, UInt32(KMOD_REMOVE_NOWAIT.rawValue))
            guard removed >= 0 else {
                dropNewCopy()
                throw KmodError(operation: "unload", object: name, errno: -removed)
            }
            let messages = KernelMessages.follow()
            let inserted = kmod_module_probe_insert_module(module, 0, nil, nil, nil, nil)
            guard inserted < 0 else { return }
            let said = messages?.read() ?? []
            dropNewCopy()
            var restored: String?
            do { try insert(fallback, kernel: kernel) } catch { restored = "\(error)" }
            throw ReloadFailure(name: name, file: file, errno: -inserted, kernelSaid: said, fallback: fallback,
                                restored: restored, loadedNow: try? loadedSrcversion(name))
        }
        let now = try loadedSrcversion(name)
        guard now == file else {
            throw SystemError("verify", "kernel module \(name)", reason: "the kernel holds build \(now ?? "none"), not \(file)")
        }
        // The previous build is no longer loaded: its copy is no fallback any more.
        if fallback != kept { try? fs.removeFile(fallback) }
    }
}

/// A new build that did not load, and what became of the old one.
public struct ReloadFailure: Error, CustomStringConvertible {
    public var name: String
    public var file: String
    public var errno: Int32
    /// The kernel's log lines written while it tried (/dev/kmsg).
    public var kernelSaid: [String]
    public var fallback: String
    /// Why the kept build could not be loaded back, or nil when it was.
    public var restored: String?
    public var loadedNow: String?

    public var description: String {
        var text = "cannot load the new \(name) build (srcversion \(file)): \(String(cString: strerror(errno))) (errno \(errno))"
        if !kernelSaid.isEmpty { text += "; the kernel said: \(kernelSaid.joined(separator: " | "))" }
        if let restored {
            text += "; the previous build could not be loaded back from \(fallback): \(restored); \(name) is not loaded now: run modprobe \(name) or restart the connector"
        } else {
            text += "; the previous build was loaded back from \(fallback)" + (loadedNow.map { " (srcversion \($0) loaded)" } ?? "")
        }
        return text
    }
}
