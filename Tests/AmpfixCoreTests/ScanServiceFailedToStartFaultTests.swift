import AmpfixCore
import AmpfixTestSupport
import Testing

/// Fault 7's verdict from checked definition files, memory and disk (the reader itself is
/// tested on real archives in AmpfixSystemTests).
@Suite struct ScanServiceStartFaultTests {
    struct Checked: DefinitionsReader {
        let checks: [DefinitionFileCheck]?
        /// Whether the last inspection asked for the bodies.
        let askedBodies = Box<Bool?>(nil)
        func inspect(directory: String, bodies: Bool, depth: DiagnosisDepth) throws -> [DefinitionFileCheck]? {
            askedBodies.value = bodies
            return checks
        }
    }

    final class Box<T>: @unchecked Sendable {
        var value: T
        init(_ value: T) { self.value = value }
    }

    static func file(_ name: String, problem: String? = nil) -> DefinitionFileCheck {
        DefinitionFileCheck(path: "/opt/cisco/amp/var/clamav/\(name)", kind: .cvd, size: 1000, header: nil, problem: problem.map(Message.verbatim), members: 3)
    }

    static func fault(_ checks: [DefinitionFileCheck]?, raised: ConnectorStatusReading = .unavailable(.msg("under --root"))) -> ScanServiceFailedToStartFault {
        ScanServiceFailedToStartFault(connector: ConnectorContext(runtime: ConnectorStatusTests.Fixed(raised)), definitions: Checked(checks: checks),
                                      options: RepairOptions(), quarantine: Quarantine.directory(run: "R0"))
    }

    @Test func aBrokenArchiveMakesItPresentSoundOnesOk() {
        let host = MemoryFacts(files: ["/opt/cisco/amp": ""])
        let broken = Self.fault([Self.file("main.cvd"), Self.file("bytecode.cvd", problem: "the body's MD5 is x, the header says y")]).diagnose(host)
        #expect(broken.status == .present)
        #expect(broken.manualSteps.contains { $0.contains("Move /opt/cisco/amp/var/clamav/bytecode.cvd out of") })
        #expect(Self.fault([Self.file("main.cvd")]).diagnose(host).status == .ok, "sound definitions decide when the connector is not asked")
        #expect(Self.fault([]).diagnose(host).status == .present, "no databases at all")
        #expect(Self.fault(nil).diagnose(host).status == .unknown, "nothing of its own to go by")
    }

    @Test func theConnectorsWordWins() throws {
        let host = MemoryFacts(files: ["/opt/cisco/amp": ""])
        let status = try ConnectorStatus.parse("Status: Connected\nFault IDs: 7\n")
        let finding = Self.fault([Self.file("main.cvd")], raised: .read(status, command: "ampcli status", note: nil)).diagnose(host)
        #expect(finding.status == .present)
        #expect(finding.evidence.contains { $0.hasSuffix("sound") })
    }

    @Test func aBrokenFileIsMovedToTheRunsQuarantineThenTheConnectorRestarted() {
        var broken = Self.file("bytecode.cvd", problem: "the body's MD5 is x, the header says y")
        let identity = FileIdentity(device: 1, inode: 2, size: 1000, modified: 3)
        broken.identity = identity
        var host = MemoryFacts(files: ["/opt/cisco/amp": ""])
        host.services = [ConnectorRestart.unit: .manageable]
        let fault = ScanServiceFailedToStartFault(connector: ConnectorContext(runtime: ConnectorStatusTests.Fixed(.unavailable(.msg("x")))),
                                                  definitions: Checked(checks: [Self.file("main.cvd"), broken]),
                                                  options: RepairOptions(), quarantine: Quarantine.directory(run: "R1"))
        let finding = fault.diagnose(host)
        #expect(finding.repairs == [
            .moveFile(from: "/opt/cisco/amp/var/clamav/bytecode.cvd", to: "/var/lib/ampfix/quarantine/R1/bytecode.cvd", file: identity),
            .restartService(unit: "cisco-amp"),
        ])
        #expect(Change.moveFile(from: "/a", to: "/b", file: identity).inverse == .moveFile(from: "/b", to: "/a", file: identity))
    }

    /// The databases are read whole only where that can change the finding; an audit of a host
    /// whose connector answers without fault 7 reads their headers and says so.
    @Test func bodiesAreReadWhereTheyCanChangeTheFinding() throws {
        let host = MemoryFacts(files: ["/opt/cisco/amp": ""])
        let quiet = try ConnectorStatus.parse("Status: Connected\nFaults: None\n")
        let raising = try ConnectorStatus.parse("Status: Connected\nFault IDs: 7\n")
        func asked(_ reading: ConnectorStatusReading, named: Bool = false) -> (Bool?, Finding) {
            let reader = Checked(checks: [Self.file("main.cvd")])
            var options = RepairOptions()
            options.checkDefinitionBodies = named
            let fault = ScanServiceFailedToStartFault(connector: ConnectorContext(runtime: ConnectorStatusTests.Fixed(reading)), definitions: reader,
                                                      options: options, quarantine: Quarantine.directory(run: "R2"))
            let finding = fault.diagnose(host)
            return (reader.askedBodies.value, finding)
        }
        let (headers, finding) = asked(.read(quiet, command: "ampcli status", note: nil))
        #expect(headers == false)
        #expect(finding.status == .ok)
        #expect(finding.evidence.contains { $0.hasPrefix("checked: each database's header and size only") })
        #expect(asked(.read(quiet, command: "ampcli status", note: nil), named: true).0 == true, "--fault 7 or --verbose")
        #expect(asked(.read(raising, command: "ampcli status", note: nil)).0 == true, "the connector raises fault 7: which file is broken")
        let (unasked, whole) = asked(.unavailable(.msg("under --root")))
        #expect(unasked == true, "no word from the connector: ampfix's check is all there is")
        #expect(!whole.evidence.contains { $0.hasPrefix("checked: ") })
    }
}
