extension ChangeKind {
    public static let installPackages = ChangeKind("install-packages")
}

/// Run the distribution's package manager to install packages (apt-get, dnf, yum, zypper).
public struct InstallPackagesChange: HostChange {
    public static let kind = ChangeKind.installPackages
    public static let journalName = "installPackages"

    public var tool: String
    public var arguments: [String]
    public var packages: [String]

    public var target: String { "packages \(packages.joined(separator: " "))" }
    public var beforeDescription: String { "not installed" }
    public var afterDescription: String { "installed" }
    public var summary: Message { .msg("run \(ShellCommand.line([tool] + arguments))") }
}

extension Change {
    public static func installPackages(tool: String, arguments: [String], packages: [String]) -> Change { Change(InstallPackagesChange(tool: tool,
            arguments: arguments, packages: packages)) }
}
