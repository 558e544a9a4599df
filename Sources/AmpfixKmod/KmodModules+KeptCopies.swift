import AmpfixCore
import AmpfixSystem
import CKmod
import Glibc
import SystemPackage

/// ampfix's copy of each module build it loads (under /var/lib/ampfix/modules, labelled as a
/// module), the fallback a reload loads back when a new build fails.
extension KmodModules {
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
            guard let bytes = try fs.readFile(module.path, limit: Self.largestModule) else { throw HostError(.msg("read"), module.path, .moduleFileMissing) }
            try fs.replaceFile(copy, contents: bytes, newFileMode: 0o600)
        }
        try label(copy, like: module.path)
        return copy
    }

    /// A module with debug information is tens of MiB; ampfix keeps no copy of a larger file.
    static let largestModule = 512 << 20

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
                throw HostError(.msg("read the extended attributes of"), fs.hostPath(path), error)
            }
        }
        let (from, wanted) = try openWithLabel(source)
        try? from.close()
        guard let wanted else { return }
        let (to, now) = try openWithLabel(copy)
        defer { try? to.close() }
        guard now != wanted else { return }
        do { try to.setExtendedAttribute(Self.labelAttribute, wanted) } catch {
            throw HostError(.msg("give \(fs.hostPath(copy)) the SELinux label of"), source, error)
        }
    }
}
