import AmpfixCore
import FuzzSupport

/// MokListRT's bytes (after efivarfs's attributes): EFI signature lists.
func fuzz(_ bytes: [UInt8]) {
    do {
        let lists = try EFISignatureList.parse(bytes[...])
        // Every byte is accounted for: the lists' headers and signatures never claim more than
        // there is, and each signature keeps its data (its size past the owner GUID).
        let claimed = lists.reduce(0) { $0 + 28 + $1.signatures.reduce(0) { $0 + 16 + $1.count } }
        precondition(claimed <= bytes.count)
        precondition(lists.allSatisfy { $0.type.count == 16 })
        let certificates = EFISignatureList.certificates(lists)
        precondition(certificates.count <= lists.reduce(0) { $0 + $1.signatures.count })
    } catch is EFISignatureList.Malformed {
    } catch {
        preconditionFailure("only Malformed is thrown: \(error)")
    }
}

@_cdecl("FuzzMokList_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
