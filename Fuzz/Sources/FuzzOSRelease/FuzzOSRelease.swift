import AmpfixCore
import FuzzSupport

/// os-release: parsing, the distribution family and the header package it implies.
func fuzz(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let os = OSRelease(path: "/etc/os-release", text: text)
    _ = os.summary
    _ = os.prettyName
    if let family = DistroFamily.of(os) {
        _ = HeaderPackage.forKernel(String(text.prefix(64)), family: family)
    }
}

@_cdecl("FuzzOSRelease_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
