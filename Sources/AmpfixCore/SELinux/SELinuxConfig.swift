/// `/etc/selinux/config`: SELINUX= and SELINUXTYPE=, as libselinux reads them (the last
/// assignment wins; quotes and surrounding blanks are dropped; an unknown mode reads as none).
public struct SELinuxConfig: Sendable, Equatable {
    /// Where the config is, inside a root.
    public static let path = "/etc/selinux/config"

    public var mode: SELinuxMode?
    public var type: String?

    public init(text: String) {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { String($0).trimming(" \t\r\"") }
            guard parts.count == 2, !parts[0].hasPrefix("#") else { continue }
            if parts[0] == "SELINUX" { mode = SELinuxMode(rawValue: parts[1].lowercased()) }
            if parts[0] == "SELINUXTYPE" { type = parts[1] }
        }
    }
}

/// The name of a policy type (SELINUXTYPE=), which names a directory under /etc/selinux and
/// /var/lib/selinux: a plain name, never a path.
public enum PolicyTypeName {
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.count <= 64
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) }
    }
}
