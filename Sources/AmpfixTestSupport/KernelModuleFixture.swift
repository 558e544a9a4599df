import AmpfixCore
import Foundation

/// Kernel module files for fixture roots: an ELF object whose .modinfo section says what a
/// module would (compiled with gcc), placed under ROOT/lib/modules/RELEASE/extra and indexed with
/// `depmod -b ROOT RELEASE`. Nothing can load it; libkmod can find, read and dry-run probe it.
public enum KernelModuleFixture {
    public static func install(_ name: String, kernel: String, into root: String, signed: Bool = false, srcversion: String? = nil) throws {
        let work = TempRoot("kmod")
        var fields = ["license=GPL", "name=\(name)", "vermagic=\(kernel) SMP mod_unload "]
        if let srcversion { fields.append("srcversion=\(srcversion)") }
        if signed { fields += ["sig_id=PKCS#7", "signer=ampfix test key"] }
        let source = fields.enumerated().map { index, field in
            "static const char f\(index)[] __attribute__((section(\".modinfo\"), used, aligned(1))) = \"\(field)\";"
        }.joined(separator: "\n") + "\n"
        try source.write(toFile: work.at("module.c"), atomically: false, encoding: .utf8)
        let directory = root + "/lib/modules/\(kernel)/extra"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let compile = try Command.run("/usr/bin/gcc", ["-c", work.at("module.c"), "-o", directory + "/\(name).ko"])
        guard compile.status == 0 else { throw FixtureError("gcc failed: \(compile.stderr)") }
        let depmod = try Command.run("/usr/sbin/depmod", ["-b", root, kernel])
        guard depmod.status == 0 else { throw FixtureError("depmod failed: \(depmod.stderr)") }
    }
}

/// Kernel modules from a dictionary, for the core's tests of faults 8 and 9. The real adapter
/// (libkmod) is tested against depmod-indexed fixture roots.
public struct MemoryKernelModules: KernelModules {
    public var modules: [String: KernelModuleInfo]
    public var states: [String: ModuleLoadState]

    public init(modules: [String: KernelModuleInfo], states: [String: ModuleLoadState]) {
        self.modules = modules
        self.states = states
    }

    public func module(_ name: String, kernel: String) throws -> KernelModuleInfo? { modules[name] }
    public func loadState(_ name: String) -> ModuleLoadState { states[name] ?? .notLoaded }
}
