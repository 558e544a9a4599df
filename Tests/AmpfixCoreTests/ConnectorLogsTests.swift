import AmpfixCore
import AmpfixTestSupport
import Testing

/// What faults 6 and 7 find in the connector's logs (the tail reader itself is tested on real
/// files in AmpfixSystemTests), and fault 6's verdict from systemd's properties.
@Suite struct ConnectorLogsTests {
    static let log = """
        2026-11-23 09:58:01 [info] scan service starting
        2026-11-23 09:58:02 [error] failed to load /opt/cisco/amp/var/clamav/bytecode.cvd: Malformed database
        2026-11-23 10:12:40 [info] scanning /home/build/cache/huge-archive.zip
        2026-11-23 10:12:41 [crit] scan worker crashed: signal 11 (SIGSEGV)
        2026-11-23 10:31:07 [info] Scanning "/home/build/cache/huge-archive.zip"
        2026-11-23 10:31:08 [crit] scan worker: Segmentation fault
        2026-11-23 10:44:55 [crit] worker crashed while scanning /srv/data/odd.iso: core dumped
        2026-11-23 10:50:00 [warn] could not reach the cloud
        """

    static func host(_ files: [String: String]) -> MemoryFacts {
        MemoryFacts(files: files.merging(["/opt/cisco/amp": ""]) { a, _ in a })
    }

    @Test func crashesSuspectsAndErrorsAreFound() {
        let found = ConnectorLogs.read(Self.host([ConnectorLogs.scanService: Self.log]))
        #expect(found.read == [ConnectorLogs.scanService])
        #expect(found.crashes == 3)
        #expect(found.lastCrash?.contains("odd.iso: core dumped") == true)
        #expect(found.suspects == [.init(path: "/home/build/cache/huge-archive.zip", crashes: 2), .init(path: "/srv/data/odd.iso", crashes: 1)])
        #expect(found.errors.count == 2)
        #expect(found.errors.first?.contains("failed to load /opt/cisco/amp/var/clamav/bytecode.cvd") == true)
        #expect(found.errors.last?.hasSuffix("could not reach the cloud") == true)
    }

    @Test func aCrashWithoutANamedFileHasNoSuspect() {
        let found = ConnectorLogs.read(Self.host([ConnectorLogs.scanService: "[info] started\n[crit] worker crashed\n"]))
        #expect(found.crashes == 1 && found.suspects.isEmpty)
        // A path more than five lines before the crash is not the file being scanned.
        let far = "scanning /far/away\n" + String(repeating: "[info] tick\n", count: 6) + "[crit] SIGSEGV\n"
        #expect(ConnectorLogs.read(Self.host([ConnectorLogs.scanService: far])).suspects.isEmpty)
    }

    @Test func rotatedLogsAreReadOldestFirst() {
        let found = ConnectorLogs.read(Self.host([
            ConnectorLogs.daemon + ".1": "[error] old failure\n",
            ConnectorLogs.daemon: "[error] new failure\n",
        ]))
        #expect(found.read == [ConnectorLogs.daemon + ".1", ConnectorLogs.daemon])
        #expect(found.errors.map { $0.hasSuffix("old failure") } == [true, false])
    }

    @Test func onlyTheNewestErrorLinesAreKept() {
        let lines = (1...20).map { "[error] failure \($0)" }.joined(separator: "\n")
        let found = ConnectorLogs.read(Self.host([ConnectorLogs.scanService: lines]))
        #expect(found.errors.count == 5 && found.errors.last?.hasSuffix("failure 20") == true)
    }

    struct Units: ServiceUnits {
        let values: [String: String]
        func properties(of unit: String, _ names: [String]) -> ServiceUnitReading {
            .read(values.filter { names.contains($0.key) }, command: "systemctl show \(unit)")
        }
    }

    static var unknownConnector: ConnectorContext { ConnectorContext(runtime: NoConnectorRuntime(reason: .msg("not asked"))) }

    @Test func fault6FromSystemdsRestartCount() {
        let host = Self.host([:])
        func fault(_ values: [String: String]) -> Finding {
            ScanServiceRestartingFault(connector: Self.unknownConnector, units: Units(values: values)).diagnose(host)
        }
        let frequent = fault(["LoadState": "loaded", "ActiveState": "active", "SubState": "running", "NRestarts": "4", "ExecMainCode": "2", "ExecMainStatus": "11"])
        #expect(frequent.status == .present)
        #expect(frequent.evidence.contains { $0.contains("restarted 4 times by systemd") && $0.contains("was killed by signal 11") }, "\(frequent.evidence)")
        #expect(fault(["LoadState": "loaded", "NRestarts": "0", "ExecMainCode": "1", "ExecMainStatus": "0"]).status == .ok)
        #expect(fault(["LoadState": "not-found", "NRestarts": "0"]).status == .unknown, "no unit, no logs: nothing of its own")
        let parsed = ServiceUnitReading.parse("NRestarts=5\nExecMainStatus=0\ngarbage\n", command: "systemctl show x")
        #expect(parsed == .read(["NRestarts": "5", "ExecMainStatus": "0"], command: "systemctl show x"))
    }

    @Test func fault6FromCrashLinesAndItsRestart() {
        let crashes = Self.host([ConnectorLogs.scanService: Self.log])
        let none = NoServiceUnits(reason: .msg("under --root"))
        let finding = ScanServiceRestartingFault(connector: Self.unknownConnector, units: none).diagnose(crashes)
        #expect(finding.status == .present)
        #expect(finding.evidenceText.contains("suspect file: /home/build/cache/huge-archive.zip (named at 2 crashes)"))
        #expect(finding.stepsText.contains { $0.contains("crashed at /home/build/cache/huge-archive.zip 2 times") })
        #expect(finding.repairs.isEmpty, "no service manager here")
        var live = MemoryFacts(files: ["/opt/cisco/amp": "", ConnectorLogs.scanService: Self.log])
        live.services = [ConnectorRestart.unit: .manageable]
        #expect(ScanServiceRestartingFault(connector: Self.unknownConnector, units: none).diagnose(live).repairs == [.restartService(unit: "cisco-amp")])
        let calm = Self.host([ConnectorLogs.scanService: "[info] started\n[crit] SIGSEGV\n"])
        #expect(ScanServiceRestartingFault(connector: Self.unknownConnector, units: none).diagnose(calm).status == .ok, "one crash is not frequent")
    }

    /// The scanner's log unreadable (a FIFO, a device, a directory) or a name that leads to no
    /// file inside the root: before, fault 6 was ok, judged from the daemon's log alone.
    @Test(arguments: ["unreadable", "leads nowhere"])
    func aScannerLogThatCannotBeReadIsNeverOK(kind: String) {
        var host = Self.host([ConnectorLogs.daemon: "[info] started\n"])
        if kind == "unreadable" {
            host.files[ConnectorLogs.scanService] = ""
            host.unreadable = [ConnectorLogs.scanService]
        } else {
            // Listed in its directory, yet no file: what a link out of the root looks like.
            host.files[ConnectorLogs.scanService + "/not-a-file"] = ""
        }
        let none = NoServiceUnits(reason: .msg("under --root"))
        let finding = ScanServiceRestartingFault(connector: Self.unknownConnector, units: none).diagnose(host)
        #expect(finding.status == .unknown, "\(finding.evidenceText)")
        #expect(finding.evidenceText.contains { $0.hasPrefix("log not read: ") && $0.contains(ConnectorLogs.scanService) }, "\(finding.evidenceText)")
        let readable = Self.host([ConnectorLogs.daemon: "[info] started\n", ConnectorLogs.scanService: "[info] scanning\n"])
        #expect(ScanServiceRestartingFault(connector: Self.unknownConnector, units: none).diagnose(readable).status == .ok)
    }

    @Test func pastCrashesDoNotOutweighTheConnectorsNo() throws {
        let status = try ConnectorStatus.parse("Status: Connected\nFaults: None\n")
        let says = ConnectorContext(runtime: ConnectorStatusTests.Fixed(.read(status, command: "ampcli status", note: nil)))
        let finding = ScanServiceRestartingFault(connector: says).diagnose(Self.host([ConnectorLogs.scanService: Self.log]))
        #expect(finding.status == .ok)
        #expect(finding.evidenceText.contains("the connector does not raise fault 6 now: the events above are past"))
        #expect(finding.evidenceText.contains { $0.hasPrefix("logs: 3 crash lines") })
    }

    @Test func fault7ShowsStartErrorsAsEvidenceOnly() {
        let host = Self.host([ConnectorLogs.scanService: Self.log])
        let fault = ScanServiceFailedToStartFault(connector: Self.unknownConnector,
                                                  definitions: ScanServiceStartFaultTests.Checked(checks: [ScanServiceStartFaultTests.file("main.cvd")]),
                                                  options: RepairOptions(),
                                                  quarantine: Quarantine.directory(run: "R0"))
        let finding = fault.diagnose(host)
        #expect(finding.status == .ok, "an error line alone decides nothing")
        #expect(finding.evidence.contains { $0.hasPrefix("log error: ") && $0.contains("Malformed database") })
    }
}

@Suite struct SupportBundleLogNameTests {
    /// Only the connector's logs by name are taken from its log directory; a key, a copy of a
    /// password file or a cache placed there stays, whatever its content.
    @Test(arguments: ["shadow", "gshadow-", "passwd", "server.KEY", "cert.pem", "id_ed25519", "private-notes", "api_token",
                      "history.db", "aws-credentials.log", "amp.log", "ampdaemon.log.bak", "ampdaemon.log.1.gz.key",
                      "AMPdaemon.log", "amp daemon.log", "ampdaemon.log.x", "amp/x.log"])
    func notTaken(_ name: String) {
        #expect(!SupportBundle.isConnectorLog(name))
    }

    @Test(arguments: ["ampscansvc.log", "ampdaemon.log", "ampdaemon.log.1", "ampdaemon.log.1.gz", "amp_install.log", "ampnfm-2.log.12"])
    func taken(_ name: String) {
        #expect(SupportBundle.isConnectorLog(name))
    }
}
