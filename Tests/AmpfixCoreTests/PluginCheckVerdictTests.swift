import AmpfixCore
import AmpfixTestSupport
import Testing

@Suite struct PluginCheckVerdictTests {
    static func report(_ statuses: [(FaultID, FindingStatus)]) -> Report {
        Workflow(checks: statuses.map { PrometheusTextTests.Fixed(id: $0.0, status: $0.1) }, facts: MemoryFacts(), language: .en, root: "/")
            .diagnosisReport(statuses.map(\.0), recovered: [])
    }

    @Test func criticalOutranksWarningWhichOutranksUnknown() {
        let mixed = Self.report([(.scanUserUnavailable, .present), (.kernelHeadersMissing, .unknown)])
        #expect(PluginCheck(mixed).state == .warning)
        #expect(PluginCheck(Self.report([(.kernelHeadersMissing, .unknown)])).state == .unknown)
        #expect(PluginCheck(Self.report([(.kernelHeadersMissing, .notApplicable)])).state == .ok)

        let failed = PluginCheck.FailedRepair(run: "r1", fault: 5, reason: .verbatim("useradd | exited with status 9"))
        let critical = PluginCheck(mixed, failedRepairs: [failed])
        #expect(critical.state == .critical)
        #expect(critical.lines.last == "fault 5 repair failed: useradd / exited with status 9", "no second '|' in the output")
        // A failed repair of a fault that is fine now is history, not an alarm.
        let fixed = PluginCheck(Self.report([(.scanUserUnavailable, .ok)]), failedRepairs: [failed])
        #expect(fixed.state == .ok)
    }
}
