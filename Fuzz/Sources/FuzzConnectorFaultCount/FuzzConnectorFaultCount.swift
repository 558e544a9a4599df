import AmpfixCore
import FuzzSupport

/// The connector's fault list taken at its word only when it adds up. Checks, against a reading
/// of the output independent of the parser's: a status without a disagreement has every
/// `Fault IDs` word an id (or "None"), and as many raised faults as each `Faults:` count says;
/// and a fault the context calls "not raised" comes only from such a status.
func fuzz(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let status = try? ConnectorStatus.parse(text) else { return }
    let context = ConnectorContext(runtime: Fixed(reading: .read(status, command: "fuzz", note: nil)))
    if status.disagreement == nil {
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).prefix(4096) {
            let line = String(raw).trimming()
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon]).trimming().lowercased()
            let value = String(line[line.index(after: colon)...]).trimming()
            if key == "fault ids" {
                for word in value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0 == "\t" }) where word.lowercased() != "none" {
                    precondition(word.count <= 6 && word.allSatisfy { $0.isASCII && $0.isNumber }, "'\(word)' taken for an id")
                }
            }
            if key == "faults", value.lowercased() == "none" || value == "0" {
                precondition(status.raised.isEmpty, "Faults: \(value) with \(status.raised.count) ids, yet no disagreement")
            }
        }
    }
    for id in FaultID.allCases where context.raised(id) == .no {
        precondition(status.disagreement == nil && status.reportsFaults, "fault \(id) called not raised by a list that does not add up")
    }
}

struct Fixed: ConnectorRuntime {
    var reading: ConnectorStatusReading
    func status() -> ConnectorStatusReading { reading }
}

@_cdecl("FuzzConnectorFaultCount_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
