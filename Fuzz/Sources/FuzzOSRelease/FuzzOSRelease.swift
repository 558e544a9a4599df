import AmpfixCore
import CFuzzDriver

/// os-release: parsing, the distribution family and the header package it implies.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let os = OSRelease(path: "/etc/os-release", text: text)
    _ = os.summary
    _ = os.prettyName
    if let family = DistroFamily.of(os) {
        _ = HeaderPackage.forKernel(String(text.prefix(64)), family: family)
    }
    return 0
}

@_cdecl("FuzzOSRelease_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (count, arguments) = (argc, argv)
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return fuzz(UnsafePointer(bitPattern: 1)!, 0) }
        return fuzz(data, size)
    }
}
