import AmpfixSystem
import CKmod
import Glibc

/// libkmod, opened when a command first asks a kernel module question (dlopen), not at every
/// start: libkmod brings libcrypto, whose ~3,400 relocations were a third of the dynamic
/// loader's work in every run (`ampfix list`, `explain`, repairs of other faults). The
/// functions below have libkmod's names and types and shadow the C declarations in this module,
/// so the code reads as plain libkmod; none of them is linked.
struct LibKmod: @unchecked Sendable {
    typealias Context = OpaquePointer
    typealias Module = OpaquePointer
    typealias List = OpaquePointer

    let new: @convention(c) (UnsafePointer<CChar>?, UnsafePointer<UnsafePointer<CChar>?>?) -> Context?
    let unref: @convention(c) (Context?) -> Context?
    let setLogPriority: @convention(c) (Context?, Int32) -> Void
    let moduleNewFromName: @convention(c) (Context?, UnsafePointer<CChar>?, UnsafeMutablePointer<Module?>?) -> Int32
    let moduleNewFromPath: @convention(c) (Context?, UnsafePointer<CChar>?, UnsafeMutablePointer<Module?>?) -> Int32
    let moduleNewFromLookup: @convention(c) (Context?, UnsafePointer<CChar>?, UnsafeMutablePointer<List?>?) -> Int32
    let moduleUnref: @convention(c) (Module?) -> Module?
    let moduleUnrefList: @convention(c) (List?) -> Int32
    let moduleGetModule: @convention(c) (List?) -> Module?
    let listNext: @convention(c) (List?, List?) -> List?
    let moduleRemoveModule: @convention(c) (Module?, UInt32) -> Int32
    let moduleInsertModule: @convention(c) (Module?, UInt32, UnsafePointer<CChar>?) -> Int32
    typealias RunInstall = @convention(c) (Module?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Int32
    typealias PrintAction = @convention(c) (Module?, Bool, UnsafePointer<CChar>?) -> Void
    let moduleProbeInsertModule: @convention(c) (Module?, UInt32, UnsafePointer<CChar>?, RunInstall?, UnsafeRawPointer?, PrintAction?) -> Int32
    let moduleGetHolders: @convention(c) (Module?) -> List?
    let moduleGetName: @convention(c) (Module?) -> UnsafePointer<CChar>?
    let moduleGetRefcnt: @convention(c) (Module?) -> Int32
    let moduleGetPath: @convention(c) (Module?) -> UnsafePointer<CChar>?
    let moduleGetInfo: @convention(c) (Module?, UnsafeMutablePointer<List?>?) -> Int32
    let moduleInfoGetKey: @convention(c) (List?) -> UnsafePointer<CChar>?
    let moduleInfoGetValue: @convention(c) (List?) -> UnsafePointer<CChar>?
    let moduleInfoFreeList: @convention(c) (List?) -> Void
    let moduleGetInitstate: @convention(c) (Module?) -> Int32

    init(_ library: SharedLibrary) throws {
        new = try library.function("kmod_new")
        unref = try library.function("kmod_unref")
        setLogPriority = try library.function("kmod_set_log_priority")
        moduleNewFromName = try library.function("kmod_module_new_from_name")
        moduleNewFromPath = try library.function("kmod_module_new_from_path")
        moduleNewFromLookup = try library.function("kmod_module_new_from_lookup")
        moduleUnref = try library.function("kmod_module_unref")
        moduleUnrefList = try library.function("kmod_module_unref_list")
        moduleGetModule = try library.function("kmod_module_get_module")
        listNext = try library.function("kmod_list_next")
        moduleRemoveModule = try library.function("kmod_module_remove_module")
        moduleInsertModule = try library.function("kmod_module_insert_module")
        moduleProbeInsertModule = try library.function("kmod_module_probe_insert_module")
        moduleGetHolders = try library.function("kmod_module_get_holders")
        moduleGetName = try library.function("kmod_module_get_name")
        moduleGetRefcnt = try library.function("kmod_module_get_refcnt")
        moduleGetPath = try library.function("kmod_module_get_path")
        moduleGetInfo = try library.function("kmod_module_get_info")
        moduleInfoGetKey = try library.function("kmod_module_info_get_key")
        moduleInfoGetValue = try library.function("kmod_module_info_get_value")
        moduleInfoFreeList = try library.function("kmod_module_info_free_list")
        moduleGetInitstate = try library.function("kmod_module_get_initstate")
    }

    private static let loaded = Result { try LibKmod(SharedLibrary.open("libkmod.so.2", package: "libkmod2 (Debian) or kmod-libs (EL)")) }

    /// Opens libkmod once; a host without it gets an error naming the package.
    static func load() throws -> LibKmod { try loaded.get() }

    /// The functions, once `load()` has succeeded (every path to a libkmod call starts at a
    /// context, which loads first).
    static var functions: LibKmod {
        guard case .success(let library) = loaded else { preconditionFailure("libkmod used before LibKmod.load()") }
        return library
    }
}

func kmod_new(_ directory: UnsafePointer<CChar>?, _ configs: UnsafePointer<UnsafePointer<CChar>?>?) -> OpaquePointer? { LibKmod.functions.new(directory,
        configs) }
@discardableResult func kmod_unref(_ context: OpaquePointer?) -> OpaquePointer? { LibKmod.functions.unref(context) }
func kmod_set_log_priority(_ context: OpaquePointer?, _ priority: Int32) { LibKmod.functions.setLogPriority(context, priority) }
func kmod_module_new_from_name(_ context: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ module: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    LibKmod.functions.moduleNewFromName(context, name, module)
}
func kmod_module_new_from_path(_ context: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ module: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    LibKmod.functions.moduleNewFromPath(context, path, module)
}
func kmod_module_new_from_lookup(_ context: OpaquePointer?, _ alias: UnsafePointer<CChar>?, _ list: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    LibKmod.functions.moduleNewFromLookup(context, alias, list)
}
@discardableResult func kmod_module_unref(_ module: OpaquePointer?) -> OpaquePointer? { LibKmod.functions.moduleUnref(module) }
@discardableResult func kmod_module_unref_list(_ list: OpaquePointer?) -> Int32 { LibKmod.functions.moduleUnrefList(list) }
func kmod_module_get_module(_ entry: OpaquePointer?) -> OpaquePointer? { LibKmod.functions.moduleGetModule(entry) }
func kmod_list_next(_ list: OpaquePointer?, _ current: OpaquePointer?) -> OpaquePointer? { LibKmod.functions.listNext(list, current) }
func kmod_module_remove_module(_ module: OpaquePointer?, _ flags: UInt32) -> Int32 { LibKmod.functions.moduleRemoveModule(module, flags) }
func kmod_module_insert_module(_ module: OpaquePointer?, _ flags: UInt32, _ options: UnsafePointer<CChar>?) -> Int32 {
    LibKmod.functions.moduleInsertModule(module, flags, options)
}
func kmod_module_probe_insert_module(_ module: OpaquePointer?, _ flags: UInt32, _ options: UnsafePointer<CChar>?,
                                     _ runInstall: LibKmod.RunInstall?, _ data: UnsafeRawPointer?, _ printAction: LibKmod.PrintAction?) -> Int32 {
    LibKmod.functions.moduleProbeInsertModule(module, flags, options, runInstall, data, printAction)
}
func kmod_module_get_holders(_ module: OpaquePointer?) -> OpaquePointer? { LibKmod.functions.moduleGetHolders(module) }
func kmod_module_get_name(_ module: OpaquePointer?) -> UnsafePointer<CChar>! { LibKmod.functions.moduleGetName(module) }
func kmod_module_get_refcnt(_ module: OpaquePointer?) -> Int32 { LibKmod.functions.moduleGetRefcnt(module) }
func kmod_module_get_path(_ module: OpaquePointer?) -> UnsafePointer<CChar>? { LibKmod.functions.moduleGetPath(module) }
func kmod_module_get_info(_ module: OpaquePointer?, _ list: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 { LibKmod.functions.moduleGetInfo(module, list) }
func kmod_module_info_get_key(_ entry: OpaquePointer?) -> UnsafePointer<CChar>? { LibKmod.functions.moduleInfoGetKey(entry) }
func kmod_module_info_get_value(_ entry: OpaquePointer?) -> UnsafePointer<CChar>? { LibKmod.functions.moduleInfoGetValue(entry) }
func kmod_module_info_free_list(_ list: OpaquePointer?) { LibKmod.functions.moduleInfoFreeList(list) }
func kmod_module_get_initstate(_ module: OpaquePointer?) -> Int32 { LibKmod.functions.moduleGetInitstate(module) }
