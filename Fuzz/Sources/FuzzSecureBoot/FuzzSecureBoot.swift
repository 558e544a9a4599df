import AmpfixCore
import CFuzzDriver

/// The SecureBoot efivar's bytes.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch SecureBoot.parse(bytes) {
    case .enabled: precondition(bytes.count >= 5 && bytes[4] == 1)
    case .disabled: precondition(bytes.count >= 5 && bytes[4] != 1)
    case .unknown: precondition(bytes.count < 5)
    case .legacy: preconditionFailure("bytes never mean a legacy boot")
    }
    return 0
}

@_cdecl("FuzzSecureBoot_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (count, arguments) = (argc, argv)
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return fuzz(UnsafePointer(bitPattern: 1)!, 0) }
        return fuzz(data, size)
    }
}
