import AmpfixBPF
import AmpfixCore
import AmpfixKmod
import AmpfixPackages
import AmpfixSELinux
import AmpfixSystem
import Glibc

/// ampfix's own data files: where packages install them, or the paths given on the command line.
public struct DataFiles: Sendable {
    public static let defaultPolicyModule = ShippedModuleFile.defaultPath
    public static let defaultKernelSupport = "/usr/share/ampfix/kernel-support.tsv"

    public static let defaultBPFObjects = LibBPFPrograms.defaultDirectory

    public var policyModule: String
    public var kernelSupport: String
    /// The connector's eBPF objects (fault 16, preflight).
    public var bpfObjects: String

    public init(policyModule: String? = nil, kernelSupport: String? = nil, bpfObjects: String? = nil) {
        self.policyModule = policyModule ?? Self.defaultPolicyModule
        self.kernelSupport = kernelSupport ?? Self.defaultKernelSupport
        self.bpfObjects = bpfObjects ?? Self.defaultBPFObjects
    }
}

/// The kernel support table file (fault 16).
enum KernelSupportFile {
    static func load(_ path: String) -> Result<KernelSupportTable, KernelSupportTable.Malformed> {
        let bytes: [UInt8]
        do { bytes = try OwnDataFile.read(path) } catch {
            return .failure(.init(description: "\(error)", missing: access(path, F_OK) != 0 && errno == ENOENT))
        }
        return Result { try KernelSupportTable(path: path, text: String(decoding: bytes, as: UTF8.self)) }
            .mapError { $0 as? KernelSupportTable.Malformed ?? .init(description: "\($0)") }
    }
}
