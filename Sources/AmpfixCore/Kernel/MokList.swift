/// The Machine Owner Keys shim hands to the running kernel (MokListRT): the certificates a
/// Secure Boot kernel trusts besides the firmware's, so a module signed by DKMS's key loads only
/// once that key is in it. The variable's value is a sequence of EFI signature lists (UEFI 2.10,
/// 32.4.1): each a 16-byte type GUID, its size, its header's size and each signature's size
/// (little-endian UInt32), the header, then signatures of a 16-byte owner GUID and the data; an
/// X.509 list's data is one DER certificate. Read as bytes from efivarfs (4 bytes of attributes
/// first) or, where the kernel mirrors it, /sys/firmware/efi/mok-variables (no attributes).
public struct EFISignatureList: Sendable, Equatable {
    public var type: [UInt8]
    /// Each signature's data (its owner GUID dropped).
    public var signatures: [[UInt8]]

    /// EFI_CERT_X509_GUID a5c059a1-94e4-4aa7-87b5-ab155c2bf072, as stored (mixed endian).
    public static let x509: [UInt8] = [0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a, 0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72]

    public enum Malformed: Error, Equatable, CustomStringConvertible {
        /// Fewer bytes left than a list's 28-byte header.
        case truncated(offset: Int)
        /// Sizes that do not fit the bytes or each other.
        case badSizes(offset: Int, list: Int, header: Int, signature: Int)

        public var description: String {
            switch self {
            case .truncated(let offset): return "an EFI signature list at byte \(offset) is cut short"
            case .badSizes(let offset, let list, let header, let signature):
                return "the EFI signature list at byte \(offset) has inconsistent sizes (list \(list), header \(header), signature \(signature))"
            }
        }
    }

    /// The lists in `bytes` (the variable's value, without efivarfs's attributes).
    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> [EFISignatureList] {
        var lists: [EFISignatureList] = []
        var offset = bytes.startIndex
        func uint32(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        while offset < bytes.endIndex {
            let relative = offset - bytes.startIndex
            guard bytes.endIndex - offset >= 28 else { throw Malformed.truncated(offset: relative) }
            let (listSize, headerSize, signatureSize) = (uint32(offset + 16), uint32(offset + 20), uint32(offset + 24))
            let body = listSize - 28 - headerSize
            guard listSize <= bytes.endIndex - offset, body >= 0, signatureSize >= 16, body % signatureSize == 0 else {
                throw Malformed.badSizes(offset: relative, list: listSize, header: headerSize, signature: signatureSize)
            }
            var signatures: [[UInt8]] = []
            var at = offset + 28 + headerSize
            while at < offset + listSize {
                signatures.append(Array(bytes[(at + 16)..<(at + signatureSize)]))
                at += signatureSize
            }
            lists.append(EFISignatureList(type: Array(bytes[offset..<(offset + 16)]), signatures: signatures))
            offset += listSize
        }
        return lists
    }

    /// The DER certificates of the X.509 lists.
    public static func certificates(_ lists: [EFISignatureList]) -> [[UInt8]] {
        lists.filter { $0.type == x509 }.flatMap(\.signatures)
    }
}

/// Where the running kernel stands on module signatures: Secure Boot's MOK list, the kernel's
/// lockdown mode and module.sig_enforce. Read on the live host only.
public struct ModuleSigning: Sendable, Equatable {
    public static let mokListVariable = "/sys/firmware/efi/efivars/MokListRT-605dab50-e046-4300-abb6-3dd810dd8b23"
    public static let mokListMirror = "/sys/firmware/efi/mok-variables/MokListRT"
    public static let lockdownFile = "/sys/kernel/security/lockdown"
    public static let sigEnforceFile = "/sys/module/module/parameters/sig_enforce"

    /// The selected lockdown mode ("none", "integrity", "confidentiality"), nil when not told.
    public var lockdown: String?
    /// module.sig_enforce: the kernel loads only modules with a valid signature.
    public var sigEnforce: Bool?

    public init(lockdown: String? = nil, sigEnforce: Bool? = nil) {
        self.lockdown = lockdown
        self.sigEnforce = sigEnforce
    }

    public static func read(_ host: any HostFacts) -> ModuleSigning {
        // "[none] integrity confidentiality": the bracketed word is the mode.
        let lockdown = (try? host.readText(lockdownFile))??.split(separator: " ").first { $0.hasPrefix("[") }
            .map { String($0).trimming("[]\n") }
        let sigEnforce = (try? host.readText(sigEnforceFile))??.trimming().first.map { $0 == "Y" || $0 == "1" }
        return ModuleSigning(lockdown: lockdown, sigEnforce: sigEnforce)
    }

    /// Whether the kernel refuses unsigned modules whatever the firmware says.
    public var refusesUnsigned: Bool { sigEnforce == true || (lockdown.map { $0 != "none" } ?? false) }

    /// "kernel lockdown: integrity; module.sig_enforce: Y"
    public var message: Message {
        let lockdown: Message = self.lockdown.map { .msg("kernel lockdown: \($0)") } ?? .msg("kernel lockdown: not reported (\(Self.lockdownFile))")
        let enforce: Message = sigEnforce.map { .msg("module.sig_enforce: \($0 ? "Y" : "N")") } ?? .msg("module.sig_enforce: not reported")
        return .joined([lockdown, enforce], separator: "; ")
    }

    public var description: String { message.description }

    /// The MOK list's DER certificates (none where there is no list); throws when it cannot be
    /// read or parsed.
    public static func enrolledCertificates(_ host: any HostFacts) throws -> [[UInt8]] {
        if let bytes = try host.readBytes(mokListVariable) {
            guard bytes.count >= 4 else { throw EFISignatureList.Malformed.truncated(offset: 0) }
            return EFISignatureList.certificates(try EFISignatureList.parse(bytes[4...]))
        }
        if let bytes = try host.readBytes(mokListMirror) {
            return EFISignatureList.certificates(try EFISignatureList.parse(bytes[...]))
        }
        return []
    }
}
