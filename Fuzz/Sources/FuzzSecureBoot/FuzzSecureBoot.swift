import AmpfixCore
import FuzzSupport

/// The SecureBoot efivar's bytes.
func fuzz(_ bytes: [UInt8]) {
    switch SecureBoot.parse(bytes) {
    case .enabled: precondition(bytes.count >= 5 && bytes[4] == 1)
    case .disabled: precondition(bytes.count >= 5 && bytes[4] != 1)
    case .unknown: precondition(bytes.count < 5)
    case .legacy: preconditionFailure("bytes never mean a legacy boot")
    }
}

@_cdecl("FuzzSecureBoot_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
