import AmpfixCore
import CFuzzDriver

/// The kernel support table, and lookups in a table that parsed.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let table = try? KernelSupportTable(path: "t.tsv", text: text) else { return 0 }
    for row in table.rows {
        precondition(KernelVersion.compare(row.minimum, toBound: row.maximum) <= 0, "inverted bounds accepted")
        _ = table.paths(for: row.minimum.map(String.init).joined(separator: "."), family: row.family)
    }
    _ = table.paths(for: String(text.prefix(40)), family: .debian)
    return 0
}

@_cdecl("FuzzKernelSupport_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (count, arguments) = (argc, argv)
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return fuzz(UnsafePointer(bitPattern: 1)!, 0) }
        return fuzz(data, size)
    }
}
