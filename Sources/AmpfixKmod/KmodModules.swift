import AmpfixCore
import AmpfixSystem
import CKmod
import Glibc
import SystemPackage

/// Kernel modules of a root through libkmod: `kmod_new(ROOT/lib/modules/RELEASE, ROOT's
/// modprobe.d)` for lookups and probes; the running kernel's state only on the live host.
/// Loading happens only on the live host; under --root a probe can only be a dry run. The
/// applier of module changes is `KmodChanges`, a separate type, so that no check can reach it.
public struct KmodModules: KernelModules {
    public let fs: RootedFileSystem

    public init(fs: RootedFileSystem) {
        self.fs = fs
    }

    var live: Bool { fs.root == "/" }

    /// A libkmod context over one kernel's module directory (already resolved inside the root:
    /// libkmod opens what it is given on the host, so a link must not lead it out), released
    /// after `body`.
    func withContext<R>(directory: String, kernel: String, _ body: (OpaquePointer) throws -> R) throws -> R {
        _ = try LibKmod.load()
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
        guard let context else { throw HostError(.msg("open the module index of"), kernel, .noKmodContext) }
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
            throw HostError(.msg("read"), inRoot, .leadsOutOfRoot(root: fs.root))
        }
        // A regular file (refused before it is opened otherwise): libkmod would block on a FIFO.
        let (fd, _) = try fs.open(inRoot, flags: O_RDONLY)
        try? fd.close()
    }

    /// The module named `name` (not an alias) in the kernel's index, with its first list entry.
    func withModule<R>(_ name: String, kernel: String, _ body: (OpaquePointer) throws -> R) throws -> R? {
        guard KernelRelease.isValid(kernel) else {
            throw HostError(.msg("open the module index of"), "'\(kernel)'", .notAKernelRelease)
        }
        // No module directory for this kernel (inside the root): no module either.
        guard let directory = try moduleDirectory(kernel) else { return nil }
        return try withContext(directory: directory, kernel: kernel) { context in
            var list: OpaquePointer?
            let result = kmod_module_new_from_lookup(context, name, &list)
            guard result >= 0 else { throw HostError(.msg("look up"), "\(name) for \(kernel)", returned: result) }
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
                                    srcversion: keys["srcversion"], description: keys["description"])
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
        guard let hostPath = try insideRoot(path) else { throw HostError(.msg("open"), path, .moduleFileMissing) }
        try checkInsideRoot(hostPath: hostPath, inRoot: path)
        let directory = try moduleDirectory(kernel) ?? libraryDirectory("/") { $0.hasPrefix("modules.") } ?? fs.hostPath("/")
        return try withContext(directory: directory, kernel: kernel) { context in
            var module: OpaquePointer?
            let result = kmod_module_new_from_path(context, hostPath, &module)
            guard result >= 0, let module else { throw result < 0 ? HostError(.msg("open"), path, returned: result) : HostError(.msg("open"), path,
                    .moduleFileMissing) }
            defer { kmod_module_unref(module) }
            return try body(module)
        }
    }

    /// The srcversion of a module file outside the index (modinfo through libkmod).
    public func srcversion(ofFile path: String, kernel: String) throws -> String? {
        try withFile(path, kernel: kernel) { Self.info($0)["srcversion"] }
    }

    func srcversion(ofFileIfPresent path: String, kernel: String) throws -> String? {
        guard try fs.resolve(path) != nil else { return nil }
        return try? srcversion(ofFile: path, kernel: kernel)
    }

    /// The running kernel's release (uname).
    static var runningRelease: String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    public func loadState(_ name: String) -> ModuleLoadState {
        guard live else { return .unknown(.msg("no kernel runs the tree under --root \(fs.root)")) }
        let release = Self.runningRelease
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
            throw HostError(.msg("load"), "\(name) under --root \(fs.root)", .modulesOnlyOnLiveHost)
        }
        let result: Int32? = try withModule(name, kernel: kernel) { module in
            kmod_module_probe_insert_module(module, UInt32(dryRun ? KMOD_PROBE_DRY_RUN.rawValue : 0), nil, nil, nil, nil)
        }
        guard let result else { throw HostError(.msg("load"), name, .notInModuleIndex(kernel: kernel)) }
        if result < 0 { throw HostError(dryRun ? .msg("resolve") : .msg("load"), "\(name) for \(kernel)", returned: result) }
    }
}
