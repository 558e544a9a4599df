import AmpfixCore
import AmpfixTestSupport
import Testing

/// Fault 18's ranking of executables by events per second (the live sources are tested in
/// AmpfixSystemTests, as root).
@Suite struct EventSampleTests {
    @Test func theBusiestComeFirstWithTheirParents() {
        var tally = EventTally()
        for _ in 0..<30 { tally.add(executable: "/usr/bin/rsync", parent: "/usr/bin/bash", file: true) }
        for _ in 0..<5 { tally.add(executable: "/usr/bin/make", parent: "/usr/bin/bash", file: false) }
        for _ in 0..<5 { tally.add(executable: "/usr/bin/make", parent: "/usr/sbin/cron", file: true) }
        tally.add(executable: "/usr/bin/make", parent: "/usr/sbin/cron", file: true)
        tally.add(executable: "/bin/true", parent: nil, file: false)
        let top = tally.top(2, seconds: 2)
        #expect(tally.total == 42)
        #expect(top.map(\.executable) == ["/usr/bin/rsync", "/usr/bin/make"])
        #expect(top[0].perSecond == 15 && top[0].fileEvents == 30 && top[0].processStarts == 0)
        #expect(top[1].parents == ["/usr/sbin/cron", "/usr/bin/bash"] && top[1].processStarts == 5 && top[1].fileEvents == 6)
    }

    @Test func theReportSaysWhereEventsCameFrom() {
        let report = EventSampleReport(seconds: 2, fileEvents: "not sampled: fanotify refused (Operation not permitted)", processStarts: "/proc every 100 ms",
                                       total: 1, top: [.init(executable: "/bin/true", parents: [], fileEvents: 0, processStarts: 1, perSecond: 0.5)])
        #expect(report.lines.contains("file events: not sampled: fanotify refused (Operation not permitted)"))
        #expect(report.lines.last == "  0.5/s  /bin/true  (0 file events, 1 process start)")
    }

    struct Fixed: EventSampler {
        func sample(seconds: Double, top: Int, progress: (Double, Int) -> Void) -> Result<EventSampleReport, SampleUnavailable> {
            .success(EventSampleReport(seconds: seconds, fileEvents: "fanotify", processStarts: "proc connector", total: 10,
                                       top: [.init(executable: "/usr/bin/rsync", parents: ["/usr/bin/bash"], fileEvents: 10, processStarts: 0, perSecond: 2)]))
        }
    }

    @Test func fault18ShowsTheSampleOnlyWhenAskedOnALiveHost() {
        var live = MemoryFacts(files: ["/opt/cisco/amp": ""])
        live.kernel = "6.1.0-test"
        let unknown = ConnectorContext(runtime: NoConnectorRuntime(reason: .msg("not asked")))
        var options = RepairOptions()
        #expect(!EventMonitoringOverloadedFault(connector: unknown, sampler: Fixed(), options: options).diagnose(live).evidence.contains { $0.contains("rsync") })
        options.sampleSeconds = 5
        let sampled = EventMonitoringOverloadedFault(connector: unknown, sampler: Fixed(), options: options).diagnose(live)
        #expect(sampled.evidenceText.contains("  2.0/s  /usr/bin/rsync  (10 file events, 0 process starts, started by /usr/bin/bash)"))
        #expect(sampled.manualSteps.contains { $0.hasPrefix("If /usr/bin/rsync is trusted") })
        let underRoot = MemoryFacts(files: ["/opt/cisco/amp": ""])
        #expect(EventMonitoringOverloadedFault(connector: unknown, sampler: Fixed(), options: options).diagnose(underRoot).status == .notApplicable)
    }

    final class Counting: EventSampler {
        var calls = 0
        func sample(seconds: Double, top: Int, progress: (Double, Int) -> Void) -> Result<EventSampleReport, SampleUnavailable> {
            calls += 1
            return Fixed().sample(seconds: seconds, top: top, progress: progress)
        }
    }

    @Test func aRunSamplesOnceThoughARepairDiagnosesTwice() {
        var live = MemoryFacts(files: ["/opt/cisco/amp": ""])
        live.kernel = "6.1.0-test"
        var options = RepairOptions()
        options.sampleSeconds = 5
        let sampler = Counting()
        let fault = EventMonitoringOverloadedFault(connector: ConnectorContext(runtime: NoConnectorRuntime(reason: .msg("x"))), sampler: sampler,
                                                   options: options)
        let first = fault.diagnose(live)
        let second = fault.diagnose(live)
        #expect(sampler.calls == 1)
        #expect(first.evidence == second.evidence)
    }
}
