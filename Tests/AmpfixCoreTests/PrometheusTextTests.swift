import AmpfixCore
import AmpfixTestSupport
import Testing

@Suite struct PrometheusTextTests {
    struct Fixed: FaultCheck {
        let id: FaultID
        let status: FindingStatus
        func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding { Finding(fault: id, status: status, evidence: []) }
    }

    static func report(root: String = "/") -> Report {
        Workflow(checks: [Fixed(id: .scanUserUnavailable, status: .present), Fixed(id: .kernelHeadersMissing, status: .notApplicable)],
                 facts: MemoryFacts(), language: .en, root: root)
            .diagnosisReport([.scanUserUnavailable, .kernelHeadersMissing], recovered: [])
    }

    @Test func everyFamilyHasHelpAndTypeAndEachFaultOneStatus() {
        let text = PrometheusText.render(Self.report(), timing: .init(ended: 1_795_866_097.4371, seconds: 0.0125))
        let lines = text.split(separator: "\n").map(String.init)
        for family in ["ampfix_info", "ampfix_fault_present", "ampfix_fault_status", "ampfix_actions_applied", "ampfix_actions_failed",
                       "ampfix_exit_status", "ampfix_last_run_timestamp_seconds", "ampfix_run_duration_seconds"] {
            #expect(lines.contains { $0.hasPrefix("# HELP \(family) ") }, "\(family) has no HELP")
            #expect(lines.contains("# TYPE \(family) gauge"), "\(family) has no TYPE")
        }
        #expect(lines.contains("ampfix_fault_present{fault=\"5\"} 1"))
        #expect(lines.contains("ampfix_fault_present{fault=\"11\"} 0"))
        #expect(lines.contains("ampfix_fault_status{fault=\"11\",status=\"not_applicable\"} 1"))
        #expect(lines.filter { $0.hasPrefix("ampfix_fault_status{fault=\"5\"") }.count == FindingStatus.allCases.count)
        #expect(lines.filter { $0.hasPrefix("ampfix_fault_status{") && $0.hasSuffix(" 1") }.count == 2)
        #expect(lines.contains("ampfix_last_run_timestamp_seconds 1795866097.437"))
        #expect(lines.contains("ampfix_run_duration_seconds 0.013"))
        #expect(lines.contains("ampfix_exit_status 1"))
        #expect(!text.contains("ampfix_connector_raised{"), "no connector was asked: no sample, rather than a false 0")
    }

    @Test func aLabelValueFromTheCommandLineCannotBreakTheFormat() {
        let text = PrometheusText.render(Self.report(root: "/srv/a\"b\\c\nd"), timing: .init(ended: 0, seconds: 0))
        #expect(text.contains("root=\"/srv/a\\\"b\\\\c\\nd\"}"), "\(text)")
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("#") || $0.hasPrefix("ampfix_") })
    }
}
