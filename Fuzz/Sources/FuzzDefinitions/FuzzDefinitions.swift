import AmpfixCore
import FuzzSupport

/// A ClamAV database's header and its tar body, fed in pieces whose sizes the input's first
/// byte picks. Checks: a parsed header's MD5 is 32 lowercase hex digits; the tar walker never
/// reports more bytes than it was fed.
func fuzz(_ bytes: [UInt8]) {
    if let header = try? DefinitionHeader.parse(bytes) {
        precondition(header.md5.count == 32 && header.md5 == header.md5.lowercased())
    }
    let step = Int(bytes.first ?? 1) % 97 + 1
    var tar = TarMembers()
    var fed = 0
    var index = 0
    while index < bytes.count {
        let piece = bytes[index..<min(index + step, bytes.count)]
        do { try tar.feed(piece) } catch { return }
        fed += piece.count
        precondition(tar.offset <= fed, "offset \(tar.offset) past \(fed) bytes fed")
        index += step
    }
    _ = try? tar.finish()
    var digest = MD5()
    digest.update(bytes)
    precondition(digest.finalize() == MD5.hex(bytes))
}

@_cdecl("FuzzDefinitions_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
