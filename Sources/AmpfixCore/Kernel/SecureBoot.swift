public enum SecureBoot: Sendable, Equatable {
    case enabled, disabled
    /// No /sys/firmware/efi: a legacy (BIOS) boot, where Secure Boot does not exist.
    case legacy
    case unknown(String)

    public static let variable = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"

    /// The efivar is 4 bytes of attributes, then 1 byte: 1 enabled, 0 disabled.
    public static func parse(_ bytes: [UInt8]) -> SecureBoot {
        guard bytes.count >= 5 else { return .unknown("\(variable) has \(bytes.count) bytes, expected 5") }
        return bytes[4] == 1 ? .enabled : .disabled
    }

    public static func read(_ host: any HostFacts) -> SecureBoot {
        guard host.exists("/sys/firmware/efi") else { return .legacy }
        do {
            guard let bytes = try host.readBytes(variable) else { return .unknown("\(variable) does not exist") }
            return parse(bytes)
        } catch {
            return .unknown("\(error)")
        }
    }
}
