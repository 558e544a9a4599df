import AmpfixCore
import AmpfixTestSupport
import Testing

/// `ampcli status` output as the connector prints it (the published sample) and as it may go
/// wrong; the verdict of faults 6 and 18 from it.
@Suite struct ConnectorStatusTests {
    /// The published output with fault 18 raised, banner line included.
    static let published = """
        [logger] Set minimum reported log level to notice
        Status: Connected
        Mode: Degraded
        Scan: Ready for scan
        Last Scan: 2023-06-19 02:02:03 PM
        Policy: Audit Policy for FireAMP Linux (#1)
        Command-line: Enabled
        Orbital: Disabled
        Behavioural Protection: Protect
        Faults: 1 Major
        Fault IDs: 18
        ID 18 - Major: Connector event monitoring is overloaded. Investigate the most active processes ...

        """

    @Test func thePublishedOutputWithOneFault() throws {
        let status = try ConnectorStatus.parse(Self.published)
        #expect(status.value("Status") == "Connected")
        #expect(status.value("Mode") == "Degraded")
        #expect(status.value("Last Scan") == "2023-06-19 02:02:03 PM", "a value keeps its own colons")
        #expect(status.bannerLines == 1)
        #expect(status.unrecognizedLines == 0)
        #expect(status.reportsFaults)
        #expect(status.raised == [.init(id: 18, severity: "Major", text: "Connector event monitoring is overloaded. Investigate the most active processes ...")])
    }

    @Test func noFaultsAndSeveralFaults() throws {
        let none = try ConnectorStatus.parse("Status: Connected\nMode: Normal\nFaults: None\n")
        #expect(none.reportsFaults && none.raised.isEmpty)
        let several = try ConnectorStatus.parse("Status: Connected\r\nFaults: 2 Major, 1 Critical\r\nFault IDs: 7, 6 18\r\nID 6 - Critical: Scan service restarting frequently\r\nID 7 - Major: Scan service failed to start\r\n")
        #expect(several.raised.map(\.id) == [6, 7, 18])
        #expect(several.raised[0].severity == "Critical" && several.raised[1].text == "Scan service failed to start")
        #expect(several.raised[2].severity == nil, "18 is only in Fault IDs")
    }

    @Test func aStatusWithoutFaultLinesSaysNothingAboutFaults() throws {
        let status = try ConnectorStatus.parse("Status: Disconnected\nMode: Normal\nSomething New: 3\n")
        #expect(!status.reportsFaults)
        #expect(status.value("something new") == "3")
        let context = ConnectorContext(runtime: Fixed(.read(status, command: "ampcli status", note: nil)))
        #expect(context.raised(.scanServiceRestarting) == .unknown)
    }

    @Test func garbageAndEmptyAreNotAStatus() {
        #expect(throws: ConnectorStatus.Malformed.empty) { try ConnectorStatus.parse("\n \n") }
        #expect(throws: ConnectorStatus.Malformed.noKnownKey(lines: 2)) { try ConnectorStatus.parse("Segmentation fault\nerror: cannot connect to daemon socket\n") }
        // Lines of no known shape beside real ones are counted, not fatal.
        let mixed = try? ConnectorStatus.parse("Status: Connected\n\u{1b}[31m###\nID x - y\n")
        #expect(mixed?.unrecognizedLines == 2)
    }

    @Test func theVersionFromGlobalXML() {
        #expect(ConnectorVersion.parse("<config><agent><version>1.24.2.1058</version></agent></config>") == "1.24.2.1058")
        #expect(ConnectorVersion.parse("<agent build=\"x\" version=\"1.22.0\"/>") == "1.22.0")
        #expect(ConnectorVersion.parse("<policy_version>x</policy_version><version>7</version>") == nil)
        #expect(ConnectorVersion.parse("") == nil)
        #expect(ConnectorVersion.parse("<?xml version=\"1.0\"?>\n<config><version>1.24.2</version></config>") == "1.24.2", "not the XML declaration's")
    }

    struct Fixed: ConnectorRuntime {
        let reading: ConnectorStatusReading
        init(_ reading: ConnectorStatusReading) { self.reading = reading }
        func status() -> ConnectorStatusReading { reading }
    }

    static let installed = MemoryFacts(files: ["/opt/cisco/amp": ""])

    @Test func theConnectorsWordDecidesFault6() throws {
        let status = try ConnectorStatus.parse(Self.published)
        let raising = ConnectorContext(runtime: Fixed(.read(status, command: "ampcli status", note: nil)))
        #expect(ScanServiceRestartingFault(connector: raising).diagnose(Self.installed).status == .ok, "18 is raised, 6 is not")
        var with6 = status
        with6.raised.append(.init(id: 6, severity: "Major", text: nil))
        let finding = ScanServiceRestartingFault(connector: ConnectorContext(runtime: Fixed(.read(with6, command: "ampcli status", note: nil)))).diagnose(Self.installed)
        #expect(finding.status == .present)
        #expect(finding.evidenceText.first == "raised by the connector: yes (ampcli status: Major)")
        let timedOut = ConnectorContext(runtime: Fixed(.failed(.msg("ampcli status did not answer within 5 seconds and was killed"))))
        let unknown = ScanServiceRestartingFault(connector: timedOut).diagnose(Self.installed)
        #expect(unknown.status == .unknown)
        #expect(unknown.evidence.first?.contains("did not answer within 5 seconds") == true)
        #expect(ScanServiceRestartingFault(connector: raising).diagnose(MemoryFacts()).status == .notApplicable, "no connector installed")
    }

    @Test func fault18UnderRootIsNotApplicableUnlessAStatusWasRead() throws {
        let root = Self.installed  // no running kernel: a tree under --root
        let unasked = ConnectorContext(runtime: NoConnectorRuntime(reason: .msg("under --root")))
        #expect(EventMonitoringOverloadedFault(connector: unasked).diagnose(root).status == .notApplicable)
        let raising = ConnectorContext(runtime: Fixed(.read(try ConnectorStatus.parse(Self.published), command: "ampcli status", note: nil)))
        #expect(EventMonitoringOverloadedFault(connector: raising).diagnose(root).status == .present)
    }
}

@Suite struct ConnectorWaitWordsTests {
    @Test func durationsReadAsAnOperatorWouldSayThem() {
        #expect(ConnectorWait.Outcome.words(.milliseconds(2500)) == "2.5 s")
        #expect(ConnectorWait.Outcome.words(.seconds(1)) == "1 s")
        #expect(ConnectorWait.Outcome.words(.seconds(600)) == "10 min")
        #expect(ConnectorWait.Outcome.words(.seconds(603)) == "10 min 3 s")
    }

    @Test func askingEveryTenthOfTheLimitBetweenATenthOfASecondAndFiveSeconds() {
        func interval(_ limit: Duration) -> Duration { ConnectorWait(fault: .scanServiceRestarting, limit: limit, sleep: { _ in }).interval }
        #expect(interval(.seconds(600)) == .seconds(5))
        #expect(interval(.seconds(20)) == .seconds(2))
        #expect(interval(.milliseconds(500)) == .milliseconds(100))
    }
    /// A fault list that does not add up is not "no fault": a count without ids, ids that do not
    /// parse, an id with a NUL in it (before, each read as "raises no fault").
    @Test(arguments: [
        ("Status: Connected\nFaults: 3 Critical\nFault IDs:\n", [Int]()),
        ("Status: Connected\nFaults: 1 Major\nID 99999999999999999999 - Major: x\n", []),
        ("Status: Connected\nFaults: 1 Major\nFault IDs: -6\n", []),
        ("Status: Connected\nFaults: 2 Major\nFault IDs: 6\u{0} 7\n", [7]),
        ("Status: Connected\nFaults: 2 Major\nFault IDs: 7\n", [7]),
        ("Status: Connected\nFaults: many\nFault IDs: 7\n", [7]),
    ])
    func aFaultListThatDoesNotAddUpIsUnknown(output: String, named: [Int]) throws {
        let status = try ConnectorStatus.parse(output)
        #expect(status.disagreement != nil, "\(output.debugDescription)")
        #expect(status.raised.map(\.id) == named)
        let context = ConnectorContext(runtime: FixedRuntime(reading: .read(status, command: "ampcli status", note: nil)))
        #expect(context.raised(.scanServiceRestarting) == .unknown)
        #expect(context.evidence(.scanServiceRestarting).contains("does not add up"))
        for id in named { #expect(context.raised(FaultID(rawValue: id)!) == .yes) }
    }

    @Test func aFaultListThatAddsUpIsTakenAtItsWord() throws {
        for output in ["Status: x\nFaults: None\nFault IDs:\n", "Status: x\nFaults: 0\n", "Status: x\nFaults: 2 Major, 1 Critical\nFault IDs: 6, 7 18\n",
                       "Status: x\nFaults: 1 Major\nID 18 - Major: overloaded\n"] {
            let status = try ConnectorStatus.parse(output)
            #expect(status.disagreement == nil, "\(output.debugDescription): \(status.disagreement ?? .msg(""))")
        }
    }
}

struct FixedRuntime: ConnectorRuntime {
    var reading: ConnectorStatusReading
    func status() -> ConnectorStatusReading { reading }
}
