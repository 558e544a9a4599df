import AmpfixCore
import FuzzSupport

/// The kernel support table, and lookups in a table that parsed.
func fuzz(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let table = try? KernelSupportTable(path: "t.tsv", text: text) else { return }
    for row in table.rows {
        precondition(KernelVersion.compare(row.minimum, toBound: row.maximum) <= 0, "inverted bounds accepted")
        _ = table.paths(for: row.minimum.map(String.init).joined(separator: "."), family: row.family)
    }
    _ = table.paths(for: String(text.prefix(40)), family: .debian)
}

@_cdecl("FuzzKernelSupport_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
