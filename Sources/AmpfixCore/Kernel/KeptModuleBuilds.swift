/// Copies of the module builds ampfix loads, kept so that a reload can load the previous build
/// back when the new one fails (the kernel never gives a loaded module's image back):
/// ROOT/var/lib/ampfix/modules/NAME-SRCVERSION.ko, with the file's compression suffix, mode 0600.
public enum KeptModuleBuilds {
    public static let directory = "/var/lib/ampfix/modules"
    /// Compression suffixes libkmod reads, after ".ko".
    public static let compressions = ["", ".xz", ".zst", ".gz"]

    /// A srcversion as the kernel and modinfo show it: hexadecimal digits (a digest). Anything
    /// else is never made into a path.
    public static func isValid(srcversion: String) -> Bool {
        (1...64).contains(srcversion.utf8.count) && srcversion.allSatisfy(\.isHexDigit)
    }

    /// A module name as the kernel allows it: letters, digits, '_' and '-'.
    public static func isValid(name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// Where the copy of `name`'s build `srcversion`, taken from `modulePath`, is kept.
    public static func path(name: String, srcversion: String, modulePath: String) -> String? {
        guard isValid(srcversion: srcversion), isValid(name: name) else { return nil }
        let compression = compressions.dropFirst().first { modulePath.hasSuffix(".ko" + $0) } ?? ""
        return "\(directory)/\(name)-\(srcversion).ko\(compression)"
    }

    /// The kept copy of `name`'s build `srcversion`, or nil when ampfix holds none.
    public static func find(_ host: any HostFacts, name: String, srcversion: String) -> String? {
        compressions.lazy.compactMap { path(name: name, srcversion: srcversion, modulePath: "x.ko" + $0) }.first(where: host.exists)
    }
}
