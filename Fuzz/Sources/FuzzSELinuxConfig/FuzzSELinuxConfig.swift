import AmpfixCore
import CFuzzDriver

/// /etc/selinux/config, and the check that keeps SELINUXTYPE a plain name.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let config = SELinuxConfig(text: text)
    if let type = config.type, PolicyTypeName.isValid(type) {
        precondition(!type.contains("/") && type != ".." && type != ".", "a path passed as a policy name: \(type)")
    }
    return 0
}

@_cdecl("FuzzSELinuxConfig_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (count, arguments) = (argc, argv)
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return fuzz(UnsafePointer(bitPattern: 1)!, 0) }
        return fuzz(data, size)
    }
}
