import AmpfixCore
import AmpfixSystem

/// The module file ampfix installs, read from the host (not from --root: it is ampfix's own data).
public enum ShippedModuleFile {
    /// Where packages install it.
    public static let defaultPath = "/usr/share/ampfix/policy/cisco-secure-bpf.cil"
    /// The magic of a policy package (.pp).
    static let packageMagic: [UInt8] = [0x8f, 0xff, 0x7c, 0xf9]

    public static func load(_ path: String, name: String) -> Result<ShippedPolicyModule, SELinuxModuleFault.ShippedModuleError> {
        let bytes: [UInt8]
        do {
            bytes = try OwnDataFile.read(path)
        } catch {
            return .failure(.init("cannot read the module \(path): \((error as? HostError)?.reason ?? "\(error)")"))
        }
        let ext: String
        if path.hasSuffix(".cil") {
            let text = String(decoding: bytes, as: UTF8.self)
            let first = text.split(separator: "\n").map { $0.drop { $0 == " " || $0 == "\t" } }.first { !$0.isEmpty && !$0.hasPrefix(";") }
            guard first?.hasPrefix("(") == true else {
                return .failure(.init("\(path) is not a CIL module: its first statement does not start with '('"))
            }
            // Parse it with libsepol's CIL parser before any store sees it: a broken file is refused
            // here instead of failing a commit (which leaves libsemanage's sandbox behind).
            if let problem = CILSyntax.check(bytes, name: path) {
                return .failure(.init("\(path) is not a valid CIL module: \(problem)"))
            }
            ext = "cil"
        } else if path.hasSuffix(".pp") {
            guard bytes.starts(with: packageMagic) || bytes.starts(with: [0x42, 0x5a, 0x68]) else {
                return .failure(.init("\(path) is not a policy package: wrong magic number"))
            }
            ext = "pp"
        } else {
            return .failure(.init("\(path): a policy module must be a .cil or .pp file"))
        }
        return .success(ShippedPolicyModule(name: name, path: path, content: FileContent(bytes), languageExtension: ext))
    }
}
