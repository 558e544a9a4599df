import AmpfixCore
import FuzzSupport

/// The static evidence's parsers: a kernel configuration, a symbol map (System.map, kallsyms)
/// and eBPF section names, all from the same bytes.
func fuzz(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let config = KernelConfig(path: "config", text: text)
    for (name, value) in config.values {
        precondition(!name.isEmpty && !name.contains("="), "an option name with '=' or none: \(name)")
        precondition(!value.contains("\n"), "a value across lines")
    }
    let map = SymbolMap(path: "System.map", bytes: bytes)
    for name in map.names {
        precondition(!name.isEmpty && !name.contains(" ") && !name.contains("\n") && !name.contains("\t"), "a symbol with a separator")
    }
    for line in text.split(separator: "\n").prefix(64) {
        let section = BPFSection(String(line))
        precondition(section.name == String(line), "the section's name changed")
        if section.kind != .other { precondition(section.target?.isEmpty == false, "a kind with no target") }
        for symbol in section.symbols { _ = map.contains(symbol); _ = map.variants(of: symbol) }
    }
}

@_cdecl("FuzzKernelEvidence_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
