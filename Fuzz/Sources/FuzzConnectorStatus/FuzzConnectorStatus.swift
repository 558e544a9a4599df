import AmpfixCore
import FuzzSupport

/// `ampcli status` output and the connector's global.xml: parsing, the per-fault verdict and the
/// version scan. Checks: a raised fault the parser reports is one its output names.
func fuzz(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    _ = ConnectorVersion.parse(text)
    guard let status = try? ConnectorStatus.parse(text) else { return }
    for fault in status.raised {
        precondition(text.contains(String(fault.id)), "fault \(fault.id) is not in the output")
    }
    precondition(status.raised.map(\.id) == status.raised.map(\.id).sorted(), "raised faults are sorted by id")
    _ = status.value("Mode")
}

@_cdecl("FuzzConnectorStatus_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
