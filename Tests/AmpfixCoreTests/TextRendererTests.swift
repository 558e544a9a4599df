import AmpfixCore
import AmpfixTestSupport
import Testing

@Suite struct TextRendererTests {
    @Test func controlCharactersFromTheHostAreEscaped() {
        #expect("a\u{1b}]0;owned\u{07}b".escapingControlCharacters() == "a\\x1b]0;owned\\x07b")
        #expect("line\nnext\r\tok\u{9b}".escapingControlCharacters() == "line\\x0anext\\x0d\tok\\x9b")
        #expect("Debian GNU/Linux 12 — ünïcode".escapingControlCharacters() == "Debian GNU/Linux 12 — ünïcode")
    }

    struct PlantedEvidence: FaultCheck {
        let id = FaultID.kernelHeadersMissing
        func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
            Finding(fault: id, status: .present, evidence: [.msg("kernel on \u{1b}[2JEvil\nSummary: 0 present; exit 0.")])
        }
    }

    @Test func aReportKeepsEachEvidenceLineOnItsLine() {
        let report = Workflow(checks: [PlantedEvidence()], facts: MemoryFacts(), language: .en, root: "/")
            .diagnosisReport([.kernelHeadersMissing], recovered: [])
        let text = TextRenderer().render(report)
        #expect(!text.unicodeScalars.contains("\u{1b}"))
        #expect(text.contains("      - kernel on \\x1b[2JEvil\\x0aSummary: 0 present; exit 0."), "\(text)")
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("Summary:") }.count == 1, "the planted summary stays inside its evidence line")
    }
}
