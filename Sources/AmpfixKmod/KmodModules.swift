import AmpfixCore
import AmpfixSystem
import CKmod
import Glibc

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
        let configs = try ["/etc/modprobe.d", "/run/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d"].compactMap(insideRoot)
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
    }

    /// The module named `name` (not an alias) in the kernel's index, with its first list entry.
    func withModule<R>(_ name: String, kernel: String, _ body: (OpaquePointer) throws -> R) throws -> R? {
        guard KernelRelease.isValid(kernel) else {
            throw KmodError(operation: "open the module index of", object: "'\(kernel)' (a kernel release is a plain name)", errno: EINVAL)
        }
        // No module directory for this kernel (inside the root): no module either.
        guard let directory = try insideRoot("/lib/modules/" + kernel) else { return nil }
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
            var info: OpaquePointer?
            var keys: [String: String] = [:]
            if kmod_module_get_info(module, &info) >= 0 {
                var entry = info
                while let current = entry {
                    if let key = kmod_module_info_get_key(current) {
                        keys[String(cString: key)] = kmod_module_info_get_value(current).map { String(cString: $0) } ?? ""
                    }
                    entry = kmod_list_next(info, current)
                }
                kmod_module_info_free_list(info)
            }
            let inRoot = live || !path.hasPrefix(fs.root) ? path : String(path.dropFirst(fs.root.count))
            try checkInsideRoot(hostPath: path, inRoot: inRoot)
            return KernelModuleInfo(name: name, path: inRoot, signed: keys["sig_id"] != nil || keys["signer"] != nil, vermagic: keys["vermagic"],
                                    srcversion: keys["srcversion"])
        }
        return found ?? nil
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

    public let kinds: Set<ChangeKind> = [.loadKernelModule]

    public func state(of change: Change) throws -> ChangeState {
        guard case .loadKernelModule(let name, _) = change else {
            throw KmodError(operation: "inspect", object: "\(change.target) (not a module change)", errno: EINVAL)
        }
        switch loadState(name) {
        case .loaded, .builtin: return .after
        case .notLoaded: return .before
        case .unknown(let why): return .other(why)
        case .lookupFailed(let why): throw KmodError(operation: "inspect", object: "\(name): \(why)", errno: EIO)
        }
    }

    public func precondition(of change: Change) -> String? {
        guard case .loadKernelModule(let name, let kernel) = change else { return "not a module change" }
        if !live { return "modules are loaded only on the live host" }
        if geteuid() != 0 { return "loading a module needs root (running as uid \(geteuid()))" }
        do { try probe(name, kernel: kernel, dryRun: true) } catch { return "\(error)" }
        return nil
    }

    public func apply(_ change: Change) throws {
        guard case .loadKernelModule(let name, let kernel) = change else { return }
        try probe(name, kernel: kernel, dryRun: false)
    }
}
