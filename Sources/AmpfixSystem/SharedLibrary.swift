import Glibc

/// A C library opened when a command first needs it (dlopen), not when ampfix starts: every
/// library linked at start is loaded and relocated by every run, `ampfix list` and the hourly
/// audit included, whether they use it or not.
public final class SharedLibrary: @unchecked Sendable {
    let soname: String
    /// What to install where it is missing (the distribution's package).
    let package: String
    private let handle: UnsafeMutableRawPointer

    private init(soname: String, package: String, handle: UnsafeMutableRawPointer) {
        self.soname = soname
        self.package = package
        self.handle = handle
    }

    /// Opens `soname` (the library's ABI name, `libarchive.so.13`); a library that is missing
    /// or lacks a symbol is an error that names it and the package to install.
    public static func open(_ soname: String, package: String) throws -> SharedLibrary {
        guard let handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL) else {
            throw HostError(.msg("load"), soname, .said([Self.lastError ?? "dlopen failed", "install \(package)"]))
        }
        return SharedLibrary(soname: soname, package: package, handle: handle)
    }

    /// The function `name`, as the C type `T` (a `@convention(c)` function type).
    public func function<T>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let address = dlsym(handle, name) else {
            throw HostError(.msg("load"), soname, .said([Self.lastError ?? "no symbol \(name)", "a \(package) that has \(name) is needed"]))
        }
        return unsafeBitCast(address, to: type)
    }

    /// This library, once it is known to have every function in `names` (a library too old
    /// for ampfix is an error when opened, not a crash at the first call).
    public func requiring(_ names: [String]) throws -> SharedLibrary {
        for name in names { _ = try function(name, as: UnsafeMutableRawPointer.self) }
        return self
    }

    private static var lastError: String? { dlerror().map { String(cString: $0) } }
}
