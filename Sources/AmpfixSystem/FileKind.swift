import SystemPackage
import AmpfixCore

/// What a name in a root is, for refusals that say why: under --root any name may be a link, a
/// FIFO or a device planted where ampfix expects a file.
public enum FileKind: Equatable, Sendable {
    case regular, directory, symbolicLink, fifo, characterDevice, blockDevice, socket, unknown

    public init(_ type: FileType) {
        switch type {
        case .regular: self = .regular
        case .directory: self = .directory
        case .symbolicLink: self = .symbolicLink
        case .fifo: self = .fifo
        case .characterSpecial: self = .characterDevice
        case .blockSpecial: self = .blockDevice
        case .socket: self = .socket
        default: self = .unknown
        }
    }

    /// "a FIFO", "a character device" …
    public var name: String { nameMessage.description }

    /// "a FIFO", as a message of the report's language.
    public var nameMessage: Message {
        switch self {
        case .regular: return .msg("a regular file")
        case .directory: return .msg("a directory")
        case .symbolicLink: return .msg("a symbolic link")
        case .fifo: return .msg("a FIFO")
        case .characterDevice: return .msg("a character device")
        case .blockDevice: return .msg("a block device")
        case .socket: return .msg("a socket")
        case .unknown: return .msg("a file of unknown type")
        }
    }
}
