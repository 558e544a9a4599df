import AmpfixCore
import FuzzSupport

/// ampfix's own JSON parser (journals, and anything else read back): any bytes either parse or
/// throw JSONSyntaxError; what parses writes out as text that parses back to the same value,
/// compact and pretty.
func fuzz(_ bytes: [UInt8]) {
    guard let value = try? JSONValue.parse(bytes) else { return }
    for pretty in [false, true] {
        let text = value.text(pretty: pretty)
        let again = try? JSONValue.parse(text)
        precondition(again == value, "the written text does not read back: \(text)")
    }
}

@_cdecl("FuzzJSON_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
