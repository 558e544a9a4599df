import AmpfixCore
import FuzzSupport

/// /etc/selinux/config, and the check that keeps SELINUXTYPE a plain name.
func fuzz(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let config = SELinuxConfig(text: text)
    if let type = config.type, PolicyTypeName.isValid(type) {
        precondition(!type.contains("/") && type != ".." && type != ".", "a path passed as a policy name: \(type)")
    }
}

@_cdecl("FuzzSELinuxConfig_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
