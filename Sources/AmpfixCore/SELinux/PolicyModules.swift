/// A module in the store, at its highest (active) priority.
public struct InstalledModule: Sendable, Equatable {
    public var name: String
    public var priority: UInt16
    public var enabled: Bool
    public var languageExtension: String
    /// The module as it was installed (libsemanage's extract, not the CIL it was converted to).
    public var content: FileContent

    public init(name: String, priority: UInt16, enabled: Bool, languageExtension: String, content: FileContent) {
        self.name = name
        self.priority = priority
        self.enabled = enabled
        self.languageExtension = languageExtension
        self.content = content
    }
}

/// A module's state at one priority, as the journal records it. `content` nil means absent.
public struct PolicyModuleState: Codable, Sendable, Equatable, CustomStringConvertible {
    public var priority: UInt16
    public var content: FileContent?
    public var languageExtension: String
    public var enabled: Bool

    public init(priority: UInt16, content: FileContent?, languageExtension: String, enabled: Bool) {
        self.priority = priority
        self.content = content
        self.languageExtension = languageExtension
        self.enabled = enabled
    }

    public var description: String { message.description }

    public var message: Message {
        guard let content else { return .msg("absent at priority \(priority)") }
        return enabled ? .msg("\(content.bytes.count)-byte .\(languageExtension) at priority \(priority), enabled")
            : .msg("\(content.bytes.count)-byte .\(languageExtension) at priority \(priority), disabled")
    }
}

/// The module file ampfix installs (`--policy-module FILE`, or its data directory).
public struct ShippedPolicyModule: Sendable, Equatable {
    public var name: String
    public var path: String
    public var content: FileContent
    public var languageExtension: String

    public init(name: String, path: String, content: FileContent, languageExtension: String) {
        self.name = name
        self.path = path
        self.content = content
        self.languageExtension = languageExtension
    }
}
