import AmpfixSystem
import CSemanage
import CSepol
import Glibc

/// libsemanage and libsepol, opened when a command first uses a policy module store, a binary
/// policy file or the CIL parser (dlopen), not at every start: with their own dependencies
/// (libaudit, libcap-ng) they were four of the libraries every run mapped and relocated, the
/// hourly audit of a host without SELinux and `ampfix list` included. libselinux, which fault
/// 19 asks on every live host, stays linked. The functions below have the C libraries' names
/// and types and shadow the declarations of CSemanage and CSepol, so the code reads as plain
/// libsemanage and libsepol; none of them is linked.
enum SELinuxLibraries {
    private static let sepolLibrary = Result {
        try SharedLibrary.open("libsepol.so.2", package: "libsepol2 (Debian) or libsepol (EL)").requiring(sepolFunctions)
    }
    // libsemanage brings libsepol with it; both handles are checked.
    private static let semanageLibrary = Result {
        try SharedLibrary.open("libsemanage.so.2", package: "libsemanage2 (Debian) or libsemanage (EL)").requiring(semanageFunctions)
    }

    /// Opens libsepol once; a host without it gets an error naming the package.
    static func loadSepol() throws { _ = try sepolLibrary.get() }

    /// Opens libsemanage (and libsepol, which its commits log through) once.
    static func loadSemanage() throws {
        _ = try semanageLibrary.get()
        try loadSepol()
    }

    fileprivate static func sepol<T>(_ name: String, _ type: T.Type) -> T { function(sepolLibrary, name, type) }
    fileprivate static func semanage<T>(_ name: String, _ type: T.Type) -> T { function(semanageLibrary, name, type) }

    /// A function of a library that was loaded and checked to have it: every path to a call
    /// starts at a store, a policy file or a CIL check, which load first.
    private static func function<T>(_ library: Result<SharedLibrary, any Error>, _ name: String, _ type: T.Type) -> T {
        guard case .success(let library) = library, let function = try? library.function(name, as: type) else {
            preconditionFailure("\(name) used before its library was loaded")
        }
        return function
    }

    private static let sepolFunctions = [
        "cil_add_file", "cil_db_destroy", "cil_db_init", "cil_set_log_handler", "sepol_compute_av", "sepol_context_to_sid",
        "sepol_debug", "sepol_set_policydb_from_file", "sepol_string_to_av_perm", "sepol_string_to_security_class",
    ]
    private static let semanageFunctions = [
        "semanage_begin_transaction", "semanage_commit", "semanage_connect", "semanage_disconnect", "semanage_handle_create",
        "semanage_handle_destroy", "semanage_module_extract", "semanage_module_info_create", "semanage_module_info_destroy",
        "semanage_module_info_get_enabled", "semanage_module_info_get_lang_ext", "semanage_module_info_get_name",
        "semanage_module_info_get_priority", "semanage_module_info_set_enabled", "semanage_module_info_set_lang_ext",
        "semanage_module_info_set_name", "semanage_module_info_set_priority", "semanage_module_install_info",
        "semanage_module_key_create", "semanage_module_key_destroy", "semanage_module_key_set_name",
        "semanage_module_key_set_priority", "semanage_module_list_all", "semanage_module_list_nth", "semanage_module_remove_key",
        "semanage_module_set_enabled", "semanage_msg_get_level", "semanage_msg_set_callback", "semanage_select_store",
        "semanage_set_create_store", "semanage_set_rebuild", "semanage_set_reload", "semanage_set_root",
    ]
}

// MARK: libsepol

typealias CILLogHandler = @convention(c) (Int32, UnsafePointer<CChar>?) -> Void

func cil_db_init(_ db: UnsafeMutablePointer<OpaquePointer?>) {
    SELinuxLibraries.sepol("cil_db_init", (@convention(c) (UnsafeMutablePointer<OpaquePointer?>) -> Void).self)(db)
}
func cil_db_destroy(_ db: UnsafeMutablePointer<OpaquePointer?>) {
    SELinuxLibraries.sepol("cil_db_destroy", (@convention(c) (UnsafeMutablePointer<OpaquePointer?>) -> Void).self)(db)
}
func cil_add_file(_ db: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ data: UnsafePointer<CChar>?, _ size: Int) -> Int32 {
    SELinuxLibraries.sepol("cil_add_file", (@convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int) -> Int32).self)(db, name, data, size)
}
func cil_set_log_handler(_ handler: CILLogHandler?) {
    SELinuxLibraries.sepol("cil_set_log_handler", (@convention(c) (CILLogHandler?) -> Void).self)(handler)
}
func sepol_debug(_ on: Int32) {
    SELinuxLibraries.sepol("sepol_debug", (@convention(c) (Int32) -> Void).self)(on)
}
func sepol_set_policydb_from_file(_ file: UnsafeMutablePointer<FILE>?) -> Int32 {
    SELinuxLibraries.sepol("sepol_set_policydb_from_file", (@convention(c) (UnsafeMutablePointer<FILE>?) -> Int32).self)(file)
}
func sepol_string_to_security_class(_ name: UnsafePointer<CChar>?, _ tclass: UnsafeMutablePointer<sepol_security_class_t>?) -> Int32 {
    SELinuxLibraries.sepol("sepol_string_to_security_class",
                           (@convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<sepol_security_class_t>?) -> Int32).self)(name, tclass)
}
func sepol_context_to_sid(_ context: UnsafePointer<CChar>?, _ length: Int, _ sid: UnsafeMutablePointer<sepol_security_id_t>?) -> Int32 {
    SELinuxLibraries.sepol("sepol_context_to_sid",
                           (@convention(c) (UnsafePointer<CChar>?, Int, UnsafeMutablePointer<sepol_security_id_t>?) -> Int32).self)(context, length, sid)
}
func sepol_string_to_av_perm(_ tclass: sepol_security_class_t, _ name: UnsafePointer<CChar>?, _ av: UnsafeMutablePointer<sepol_access_vector_t>?) -> Int32 {
    SELinuxLibraries.sepol("sepol_string_to_av_perm",
                           (@convention(c) (sepol_security_class_t, UnsafePointer<CChar>?,
                                            UnsafeMutablePointer<sepol_access_vector_t>?) -> Int32).self)(tclass, name, av)
}
func sepol_compute_av(_ source: sepol_security_id_t, _ target: sepol_security_id_t, _ tclass: sepol_security_class_t,
                      _ requested: sepol_access_vector_t, _ decision: UnsafeMutablePointer<sepol_av_decision>?) -> Int32 {
    SELinuxLibraries.sepol("sepol_compute_av", (@convention(c) (sepol_security_id_t, sepol_security_id_t, sepol_security_class_t, sepol_access_vector_t,
                                                                 UnsafeMutablePointer<sepol_av_decision>?) -> Int32).self)(source, target, tclass, requested,
                                                                         decision)
}

// MARK: libsemanage

typealias SemanageCall = @convention(c) (OpaquePointer?) -> Int32
typealias SemanageSet = @convention(c) (OpaquePointer?, Int32) -> Void
typealias SemanageInfoText = @convention(c) (OpaquePointer?, OpaquePointer?, UnsafePointer<CChar>?) -> Int32
typealias SemanageInfoGetText = @convention(c) (OpaquePointer?, OpaquePointer?, UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32
typealias SemanageNew = @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?) -> Int32
typealias SemanageFree = @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32

func semanage_set_root(_ path: UnsafePointer<CChar>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_set_root", (@convention(c) (UnsafePointer<CChar>?) -> Int32).self)(path)
}
func semanage_handle_create() -> OpaquePointer? {
    SELinuxLibraries.semanage("semanage_handle_create", (@convention(c) () -> OpaquePointer?).self)()
}
func semanage_handle_destroy(_ handle: OpaquePointer?) {
    SELinuxLibraries.semanage("semanage_handle_destroy", (@convention(c) (OpaquePointer?) -> Void).self)(handle)
}
func semanage_select_store(_ handle: OpaquePointer?, _ path: UnsafeMutablePointer<CChar>?, _ type: semanage_connect_type) {
    SELinuxLibraries.semanage("semanage_select_store", (@convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, semanage_connect_type) -> Void).self)(handle, path, type)
}
func semanage_set_create_store(_ handle: OpaquePointer?, _ create: Int32) { SELinuxLibraries.semanage("semanage_set_create_store", SemanageSet.self)(handle, create) }
func semanage_set_reload(_ handle: OpaquePointer?, _ reload: Int32) { SELinuxLibraries.semanage("semanage_set_reload", SemanageSet.self)(handle, reload) }
func semanage_set_rebuild(_ handle: OpaquePointer?, _ rebuild: Int32) { SELinuxLibraries.semanage("semanage_set_rebuild", SemanageSet.self)(handle, rebuild) }
func semanage_connect(_ handle: OpaquePointer?) -> Int32 { SELinuxLibraries.semanage("semanage_connect", SemanageCall.self)(handle) }
@discardableResult func semanage_disconnect(_ handle: OpaquePointer?) -> Int32 { SELinuxLibraries.semanage("semanage_disconnect", SemanageCall.self)(handle) }
func semanage_begin_transaction(_ handle: OpaquePointer?) -> Int32 { SELinuxLibraries.semanage("semanage_begin_transaction", SemanageCall.self)(handle) }
func semanage_commit(_ handle: OpaquePointer?) -> Int32 { SELinuxLibraries.semanage("semanage_commit", SemanageCall.self)(handle) }

/// The two functions CSemanage's message shim is handed (it cannot link them).
var semanage_msg_get_level_function: ampfix_semanage_get_level {
    SELinuxLibraries.semanage("semanage_msg_get_level", ampfix_semanage_get_level.self)
}
var semanage_msg_set_callback_function: ampfix_semanage_set_callback {
    SELinuxLibraries.semanage("semanage_msg_set_callback", ampfix_semanage_set_callback.self)
}

func semanage_module_list_all(_ handle: OpaquePointer?, _ infos: UnsafeMutablePointer<OpaquePointer?>?, _ count: UnsafeMutablePointer<Int32>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_list_all",
                              (@convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<Int32>?) -> Int32).self)(handle,
                                      infos, count)
}
func semanage_module_list_nth(_ list: OpaquePointer?, _ index: Int32) -> OpaquePointer? {
    SELinuxLibraries.semanage("semanage_module_list_nth", (@convention(c) (OpaquePointer?, Int32) -> OpaquePointer?).self)(list, index)
}
func semanage_module_info_create(_ handle: OpaquePointer?, _ info: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_info_create", SemanageNew.self)(handle, info)
}
@discardableResult func semanage_module_info_destroy(_ handle: OpaquePointer?, _ info: OpaquePointer?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_info_destroy", SemanageFree.self)(handle, info)
}
@discardableResult func semanage_module_info_get_name(_ handle: OpaquePointer?, _ info: OpaquePointer?,
                                                      _ name: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_info_get_name", SemanageInfoGetText.self)(handle, info, name)
}
@discardableResult func semanage_module_info_get_lang_ext(_ handle: OpaquePointer?, _ info: OpaquePointer?,
                                                          _ ext: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_info_get_lang_ext", SemanageInfoGetText.self)(handle, info, ext)
}
@discardableResult func semanage_module_info_get_priority(_ handle: OpaquePointer?, _ info: OpaquePointer?,
                                                          _ priority: UnsafeMutablePointer<UInt16>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_info_get_priority",
                              (@convention(c) (OpaquePointer?, OpaquePointer?, UnsafeMutablePointer<UInt16>?) -> Int32).self)(handle, info, priority)
}
@discardableResult func semanage_module_info_get_enabled(_ handle: OpaquePointer?, _ info: OpaquePointer?, _ enabled: UnsafeMutablePointer<Int32>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_info_get_enabled",
                              (@convention(c) (OpaquePointer?, OpaquePointer?, UnsafeMutablePointer<Int32>?) -> Int32).self)(handle, info, enabled)
}
func semanage_module_info_set_name(_ handle: OpaquePointer?, _ info: OpaquePointer?, _ name: UnsafePointer<CChar>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_info_set_name", SemanageInfoText.self)(handle, info, name)
}
func semanage_module_info_set_lang_ext(_ handle: OpaquePointer?, _ info: OpaquePointer?, _ ext: UnsafePointer<CChar>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_info_set_lang_ext", SemanageInfoText.self)(handle, info, ext)
}
func semanage_module_info_set_priority(_ handle: OpaquePointer?, _ info: OpaquePointer?, _ priority: UInt16) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_info_set_priority", (@convention(c) (OpaquePointer?, OpaquePointer?, UInt16) -> Int32).self)(handle, info, priority)
}
func semanage_module_info_set_enabled(_ handle: OpaquePointer?, _ info: OpaquePointer?, _ enabled: Int32) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_info_set_enabled", (@convention(c) (OpaquePointer?, OpaquePointer?, Int32) -> Int32).self)(handle, info, enabled)
}
func semanage_module_key_create(_ handle: OpaquePointer?, _ key: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_key_create", SemanageNew.self)(handle, key)
}
@discardableResult func semanage_module_key_destroy(_ handle: OpaquePointer?, _ key: OpaquePointer?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_key_destroy", SemanageFree.self)(handle, key)
}
func semanage_module_key_set_name(_ handle: OpaquePointer?, _ key: OpaquePointer?, _ name: UnsafePointer<CChar>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_key_set_name", SemanageInfoText.self)(handle, key, name)
}
func semanage_module_key_set_priority(_ handle: OpaquePointer?, _ key: OpaquePointer?, _ priority: UInt16) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_key_set_priority", (@convention(c) (OpaquePointer?, OpaquePointer?, UInt16) -> Int32).self)(handle, key, priority)
}
func semanage_module_extract(_ handle: OpaquePointer?, _ key: OpaquePointer?, _ extractCIL: Int32, _ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                             _ length: UnsafeMutablePointer<Int>?, _ info: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_extract", (@convention(c) (OpaquePointer?, OpaquePointer?, Int32, UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                                                                          UnsafeMutablePointer<Int>?, UnsafeMutablePointer<OpaquePointer?>?) -> Int32).self)(
        handle, key, extractCIL, data, length, info)
}
func semanage_module_install_info(_ handle: OpaquePointer?, _ info: OpaquePointer?, _ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_install_info", (@convention(c) (OpaquePointer?, OpaquePointer?, UnsafeMutablePointer<CChar>?, Int) -> Int32).self)(
        handle, info, data, length)
}
func semanage_module_remove_key(_ handle: OpaquePointer?, _ key: OpaquePointer?) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_remove_key", SemanageFree.self)(handle, key)
}
func semanage_module_set_enabled(_ handle: OpaquePointer?, _ key: OpaquePointer?, _ enabled: Int32) -> Int32 {
    SELinuxLibraries.semanage("semanage_module_set_enabled", (@convention(c) (OpaquePointer?, OpaquePointer?, Int32) -> Int32).self)(handle, key, enabled)
}
