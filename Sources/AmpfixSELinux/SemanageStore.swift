import AmpfixCore
import AmpfixSystem
import CSELinux
import CSemanage
import Glibc

/// An open connection to a policy module store through libsemanage. Owns its handle: `deinit`
/// disconnects and destroys it. Every message libsemanage (and libsepol under it) produces is
/// collected for the errors instead of going to stderr.
public final class SemanageStore {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var priority: UInt16
        public var languageExtension: String
        public var enabled: Bool
    }

    final class Messages {
        var lines: [String] = []
        func take() -> [String] {
            defer { lines.removeAll() }
            return lines.map { $0.trimming(" \n") }.filter { !$0.isEmpty }
        }
    }

    private let handle: OpaquePointer
    private let messages = Messages()
    private let sink: UnsafeMutablePointer<ampfix_semanage_messages>
    private var connected = false
    public let store: String
    public let root: String

    /// `semanage_set_root(root)` (before the handle, where libsemanage reads its config),
    /// `semanage_handle_create`, `semanage_select_store(store, direct)`, `semanage_connect`.
    /// `reload` asks the commit to load the new policy into the kernel (live host only).
    public init(root: String, store: String, reload: Bool) throws {
        self.store = store
        self.root = root
        guard PolicyTypeName.isValid(store) else {
            throw HostError(.msg("open the module store"), store, .notAPolicyName(selinuxType: store))
        }
        try SELinuxLibraries.loadSemanage()
        try Self.claimProcessRoot(root)
        _ = semanage_set_root(root == "/" ? "" : root)
        if root != "/" {
            // libsemanage asks libselinux for the policy root, which reads the host's
            // /etc/selinux/config unless one is set: an image's store is the one ampfix names.
            _ = "/etc/selinux/\(store)".withCString { selinux_set_policy_root($0) }
        }
        guard let handle = semanage_handle_create() else {
            throw HostError(.msg("open the module store"), store, .said(["semanage_handle_create failed"]))
        }
        self.handle = handle
        sink = .allocate(capacity: 1)
        sink.initialize(to: ampfix_semanage_messages(
            sink: { context, _, line in
                guard let context, let line else { return }
                Unmanaged<Messages>.fromOpaque(context).takeUnretainedValue().lines.append(String(cString: line))
            },
            context: Unmanaged.passUnretained(messages).toOpaque(),
            get_level: semanage_msg_get_level_function))
        ampfix_semanage_capture(handle, sink, semanage_msg_set_callback_function)
        store.withCString { semanage_select_store(handle, UnsafeMutablePointer(mutating: $0), SEMANAGE_CON_DIRECT) }
        semanage_set_create_store(handle, 0)
        semanage_set_reload(handle, reload ? 1 : 0)
        guard semanage_connect(handle) >= 0 else {
            throw HostError(.msg("open the module store"), "\(store) under \(root)", .said(messages.take()))
        }
        connected = true
    }

    /// libsemanage computes its store paths once per process, from the root set first
    /// (semanage_set_root): a later handle for another root would silently read and change the
    /// first root's store. ampfix works on one root per process; anything else is refused here.
    nonisolated(unsafe) private static var processRoot: String?

    static func claimProcessRoot(_ root: String) throws {
        if let first = processRoot, first != root {
            throw HostError(.msg("open the module store under"), root, .oneRootPerProcess(first: first))
        }
        processRoot = root
    }

    /// `semanage_set_rebuild(handle, 1)`: the next commit rebuilds the policy even though no
    /// module changed.
    public func rebuildOnCommit() {
        semanage_set_rebuild(handle, 1)
    }

    deinit {
        if connected { semanage_disconnect(handle) }
        semanage_handle_destroy(handle)
        sink.deinitialize(count: 1)
        sink.deallocate()
    }

    private func check(_ result: Int32, _ operation: Message, _ object: String) throws {
        if result < 0 { throw HostError(operation, object, .said(messages.take())) }
    }

    /// `semanage_module_list_all`: every module at every priority.
    public func modules() throws -> [Entry] {
        var infos: OpaquePointer?
        var count: Int32 = 0
        try check(semanage_module_list_all(handle, &infos, &count), .msg("list the modules of store"), store)
        defer {
            for index in 0..<count { semanage_module_info_destroy(handle, semanage_module_list_nth(infos, index)) }
            free(UnsafeMutableRawPointer(infos))  // one array: its entries are destroyed, not freed
        }
        var entries: [Entry] = []
        for index in 0..<count {
            let info = semanage_module_list_nth(infos, index)
            var name: UnsafePointer<CChar>?
            var ext: UnsafePointer<CChar>?
            var priority: UInt16 = 0
            var enabled: Int32 = 0
            semanage_module_info_get_name(handle, info, &name)
            semanage_module_info_get_lang_ext(handle, info, &ext)
            semanage_module_info_get_priority(handle, info, &priority)
            semanage_module_info_get_enabled(handle, info, &enabled)
            entries.append(Entry(name: name.map { String(cString: $0) } ?? "", priority: priority,
                                 languageExtension: ext.map { String(cString: $0) } ?? "", enabled: enabled == 1))
        }
        return entries
    }

    /// A module info libsemanage allocated for us: destroyed, then freed.
    private func release(_ info: OpaquePointer?) {
        guard let info else { return }
        semanage_module_info_destroy(handle, info)
        free(UnsafeMutableRawPointer(info))
    }

    private func withKey<R>(_ name: String, priority: UInt16?, _ body: (OpaquePointer?) throws -> R) throws -> R {
        var key: OpaquePointer?
        try check(semanage_module_key_create(handle, &key), .msg("describe module"), name)
        defer {
            semanage_module_key_destroy(handle, key)
            free(UnsafeMutableRawPointer(key))
        }
        try check(semanage_module_key_set_name(handle, key, name), .msg("describe module"), name)
        if let priority { try check(semanage_module_key_set_priority(handle, key, priority), .msg("describe module"), name) }
        return try body(key)
    }

    /// `semanage_module_extract` without CIL conversion: the module exactly as installed.
    public func extract(_ name: String, priority: UInt16) throws -> (bytes: [UInt8], languageExtension: String) {
        try withKey(name, priority: priority) { key in
            var data: UnsafeMutableRawPointer?
            var length = 0
            var info: OpaquePointer?
            try check(semanage_module_extract(handle, key, 0, &data, &length, &info), .msg("read module"), "\(name) at priority \(priority) in store \(store)")
            defer {
                if let data { munmap(data, length) }
                release(info)
            }
            var ext: UnsafePointer<CChar>?
            semanage_module_info_get_lang_ext(handle, info, &ext)
            let bytes = data.map { Array(UnsafeRawBufferPointer(start: $0, count: length)) } ?? []
            return (bytes, ext.map { String(cString: $0) } ?? "")
        }
    }

    public func beginTransaction() throws {
        try check(semanage_begin_transaction(handle), .msg("start a transaction on store"), store)
    }

    /// `semanage_module_install_info`: `data` as module `name` at `priority`.
    public func install(_ name: String, priority: UInt16, languageExtension: String, enabled: Bool, data: [UInt8]) throws {
        var info: OpaquePointer?
        try check(semanage_module_info_create(handle, &info), .msg("describe module"), name)
        defer { release(info) }
        try check(semanage_module_info_set_name(handle, info, name), .msg("describe module"), name)
        try check(semanage_module_info_set_priority(handle, info, priority), .msg("describe module"), name)
        try check(semanage_module_info_set_lang_ext(handle, info, languageExtension), .msg("describe module"), name)
        try check(semanage_module_info_set_enabled(handle, info, enabled ? 1 : 0), .msg("describe module"), name)
        var copy = data.map { CChar(bitPattern: $0) }
        try check(semanage_module_install_info(handle, info, &copy, copy.count), .msg("install module"), "\(name) at priority \(priority) in store \(store)")
    }

    /// `semanage_module_remove_key` at one priority.
    public func remove(_ name: String, priority: UInt16) throws {
        try withKey(name, priority: priority) { key in
            try check(semanage_module_remove_key(handle, key), .msg("remove module"), "\(name) at priority \(priority) from store \(store)")
        }
    }

    /// `semanage_module_set_enabled` (the state is per module name, across priorities).
    public func setEnabled(_ name: String, _ enabled: Bool) throws {
        try withKey(name, priority: nil) { key in
            try check(semanage_module_set_enabled(handle, key, enabled ? 1 : 0), enabled ? .msg("enable module") : .msg("disable module"), "\(name) in store \(store)")
        }
    }

    /// `semanage_commit`: rebuilds the policy (and loads it, when asked to reload).
    public func commit() throws {
        // libsemanage compiles the modules with libsepol's CIL compiler, which logs through its
        // own handler: its reason (an unknown type, a missing class) is collected there.
        let (result, compiler) = CILSyntax.collecting { semanage_commit(handle) }
        if result < 0 {
            throw HostError(.msg("commit the changes to store"), store, .said(messages.take() + compiler))
        }
    }

    /// The sandbox a failed commit leaves (libsemanage would only remove it at the next
    /// transaction), inside the root.
    public static func sandbox(store: String) -> String { directory(store: store) + "/tmp" }

    /// Where libsemanage keeps a store (`active`, `previous`, the sandbox `tmp`, its locks), inside the root.
    public static func directory(store: String) -> String { "/var/lib/selinux/\(store)" }
}

