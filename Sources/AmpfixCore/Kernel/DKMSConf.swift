/// A module source's `dkms.conf`: shell variable assignments DKMS sources (`PACKAGE_NAME="ampfsm"`).
/// ampfix reads the few it needs without running a shell (the file is data to it, and may come
/// from anywhere) and writes one for a source that has none.
public struct DKMSConf: Sendable, Equatable {
    /// Where the dkms program is looked for, in order.
    public static let programs = ["/usr/sbin/dkms", "/usr/bin/dkms", "/sbin/dkms"]

    public var packageName: String?
    public var packageVersion: String?
    /// `BUILT_MODULE_NAME[0]`, the module the package builds.
    public var builtModuleName: String?
    /// `AUTOINSTALL=yes`: DKMS builds the module for every kernel installed later.
    public var autoinstall: Bool
    /// `DEST_MODULE_LOCATION[0]`, where in the kernel's tree the module is installed (Debian's
    /// DKMS uses /updates/dkms whatever it says).
    public var destination: String?
    /// What DKMS runs of the file, as written: it sources dkms.conf with bash as root, so every
    /// line that is not a comment or a plain `KEY=value` runs as a command, and the commands
    /// named by MAKE, CLEAN and the PRE_/POST_ hooks run at the build. Shown in a dry run.
    public var commands: [String]

    /// The variables whose values DKMS runs as commands.
    static let commandKeys: Set<String> = ["MAKE", "CLEAN", "PRE_BUILD", "POST_BUILD", "PRE_INSTALL", "POST_INSTALL", "POST_ADD", "POST_REMOVE"]

    /// Reads `KEY=value`, `KEY="value"` and `KEY='value'` lines; a value that needs the shell
    /// (`$kernelver`, a command substitution) is kept as written.
    public init(text: String) {
        let values = shellAssignments(text)
        packageName = values["PACKAGE_NAME"].flatMap { $0.isEmpty ? nil : $0 }
        packageVersion = values["PACKAGE_VERSION"].flatMap { $0.isEmpty ? nil : $0 }
        builtModuleName = (values["BUILT_MODULE_NAME[0]"] ?? values["BUILT_MODULE_NAME"]).flatMap { $0.isEmpty ? nil : $0 }
        autoinstall = ["yes", "y", "true", "1"].contains(values["AUTOINSTALL"]?.lowercased() ?? "")
        destination = values["DEST_MODULE_LOCATION[0]"].flatMap { $0.hasPrefix("/") && !$0.split(separator: "/").contains("..") ? $0 : nil }
        commands = textLines(text).compactMap { raw in
            let line = String(raw).trimming()
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            guard let equals = line.firstIndex(of: "="), !line.contains("$("), !line.contains("`"), !line.contains(";") else { return line }
            let key = line[..<equals]
            let base = key.prefix { $0 != "[" }
            let isName = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || "_[]".contains($0) }
            if !isName { return line }
            return Self.commandKeys.contains(String(base)) ? line : nil
        }
    }

    /// The `dkms.conf` ampfix writes for a source that has none, shaped for the connector's
    /// modules: their Makefile builds for `TARGET_KERNEL_VERSION` (else the running kernel), so
    /// both make and make clean are told the kernel DKMS builds for.
    public static func text(module: String, version: String) -> String {
        """
        # Written by ampfix for a module source that had no dkms.conf.
        PACKAGE_NAME="\(module)"
        PACKAGE_VERSION="\(version)"
        BUILT_MODULE_NAME[0]="\(module)"
        DEST_MODULE_LOCATION[0]="/updates/dkms"
        MAKE[0]="make TARGET_KERNEL_VERSION=${kernelver}"
        CLEAN="make TARGET_KERNEL_VERSION=${kernelver} clean"
        AUTOINSTALL="yes"

        """
    }
}

/// `KEY=value`, `KEY="value"` and `KEY='value'` lines of a shell-sourced file (dkms.conf, DKMS's
/// framework.conf), read without a shell: a value that needs one (`$kernelver`) stays as written.
func shellAssignments(_ text: String) -> [String: String] {
    var values: [String: String] = [:]
    for raw in textLines(text) {
        let line = String(raw).trimming()
        guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
        let key = String(line[..<equals])
        let rest = line[line.index(after: equals)...]
        let value: Substring
        if let quote = rest.first, quote == "\"" || quote == "'" {
            // Up to the closing quote; what follows it (a comment) is not the value.
            value = rest.dropFirst().prefix { $0 != quote }
        } else {
            value = rest.prefix { $0 != " " && $0 != "\t" && $0 != "#" }
        }
        values[key] = String(value)
    }
    return values
}
