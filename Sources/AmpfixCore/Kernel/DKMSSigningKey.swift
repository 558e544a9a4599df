/// The key DKMS signs the modules it builds with, for Secure Boot, found as DKMS finds it:
/// `mok_certificate` in /etc/dkms/framework.conf or /etc/dkms/framework.conf.d/*.conf (as EL sets
/// it), else on Ubuntu shim-signed's /var/lib/shim-signed/mok/MOK.der, else DKMS's own
/// /var/lib/dkms/mok.pub (Debian; DKMS makes the pair at its first build).
public struct DKMSSigningKey: Sendable, Equatable {
    public static let defaultCertificate = "/var/lib/dkms/mok.pub"
    public static let ubuntuCertificate = "/var/lib/shim-signed/mok/MOK.der"
    public static let framework = "/etc/dkms/framework.conf"
    public static let frameworkDirectory = "/etc/dkms/framework.conf.d"

    public var certificate: String
    /// The file that named it, or nil for DKMS's default.
    public var configuredIn: String?

    public init(certificate: String, configuredIn: String?) {
        self.certificate = certificate
        self.configuredIn = configuredIn
    }

    /// The last `mok_certificate` set, in the order DKMS sources the files; without one, the
    /// default of the distribution (`os`'s ID, as DKMS tells Ubuntu from the others).
    public static func locate(_ host: any HostFacts, os: OSRelease? = nil) -> DKMSSigningKey {
        let drops = (host.list(frameworkDirectory) ?? []).filter { $0.hasSuffix(".conf") }.sorted().map { "\(frameworkDirectory)/\($0)" }
        var key = DKMSSigningKey(certificate: os?.id == "ubuntu" ? ubuntuCertificate : defaultCertificate, configuredIn: nil)
        for file in [framework] + drops {
            guard let text = (try? host.readText(file)) ?? nil, let path = shellAssignments(text)["mok_certificate"], path.hasPrefix("/") else { continue }
            key = DKMSSigningKey(certificate: path, configuredIn: file)
        }
        return key
    }

    public enum Enrollment: Sendable, Equatable {
        /// The certificate is in the MOK list: the kernel trusts what DKMS signs.
        case enrolled
        /// Not among the list's `count` certificates.
        case notEnrolled(count: Int)
        /// DKMS has no key yet (it makes one at its first build).
        case noCertificate
        case unknown(String)
    }

    /// Whether the running kernel's MOK list holds the certificate.
    public func enrollment(_ host: any HostFacts) -> Enrollment {
        let bytes: [UInt8]
        do {
            guard let read = try host.readBytes(certificate) else { return .noCertificate }
            bytes = read
        } catch {
            return .unknown("\(error)")
        }
        guard let der = Self.der(bytes) else { return .unknown("\(certificate) is neither a DER nor a PEM certificate") }
        do {
            let certificates = try ModuleSigning.enrolledCertificates(host)
            return certificates.contains(der) ? .enrolled : .notEnrolled(count: certificates.count)
        } catch {
            return .unknown("cannot read the MOK list (\(ModuleSigning.mokListVariable)): \(error)")
        }
    }

    /// The DER bytes of a certificate file: DER as it is (DKMS writes mok.pub so), PEM decoded.
    public static func der(_ bytes: [UInt8]) -> [UInt8]? {
        if bytes.first == 0x30 { return bytes }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = textLines(text).map { String($0).trimming() }
        guard let begin = lines.firstIndex(of: "-----BEGIN CERTIFICATE-----"),
              let end = lines[begin...].firstIndex(of: "-----END CERTIFICATE-----") else { return nil }
        return base64Decoded(lines[(begin + 1)..<end].joined())
    }

    static func base64Decoded(_ text: String) -> [UInt8]? {
        var bits = 0, count = 0
        var out: [UInt8] = []
        for scalar in text.unicodeScalars {
            let value: Int
            switch scalar {
            case "A"..."Z": value = Int(scalar.value) - 65
            case "a"..."z": value = Int(scalar.value) - 97 + 26
            case "0"..."9": value = Int(scalar.value) - 48 + 52
            case "+": value = 62
            case "/": value = 63
            case "=": continue
            default: return nil
            }
            bits = (bits << 6) | value
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8((bits >> count) & 0xff))
            }
        }
        return out.isEmpty ? nil : out
    }
}
