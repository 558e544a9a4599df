import AmpfixCore
import AmpfixTestSupport
import Foundation
import Testing

/// The imaginary fault of FaultExample.swift, registered with one line and run through the
/// core like the real faults: diagnosis, dry run, repair, diagnosis after, both languages.
@Suite struct FaultExampleTests {
    /// The registry line: the standard faults and the new one.
    static let registry = FaultRegistry(FaultRegistry.standard.definitions + [.exampleSpoolMode])


    struct Fixture {
        let directories: MemoryDirectories
        let run: Run

        init(mode: UInt32, language: Language = .en) throws {
            let path = ExampleSpoolModeFault.path
            let attributes = DirectoryAttributes(mode: mode, uid: 0, gid: 0)
            directories = MemoryDirectories([path: attributes])
            let tree = DirectoryTree(requested: path, resolved: path, directories: [DirectoryEntry(path: path, attributes: attributes)], symlinks: [])
            let host = RunHost(facts: MemoryFacts(trees: [path: tree]), changes: try ChangeRouter([directories]),
                               journal: MemoryJournal(), lock: MemoryRunLock(exists: false), root: "/r")
            run = Run(checks: FaultExampleTests.registry.checks(RepairOptions(), sources: .none, run: "run-20"), host: host,
                      language: language, newRunID: { "run-20" }, registry: FaultExampleTests.registry)
        }
    }

    @Test func theRegistryLineIsAllItTakesToRunIt() throws {
        #expect(Self.registry.ids.last == .exampleSpoolMode)
        #expect(!FaultID.allCases.contains(.exampleSpoolMode), "the standard registry is untouched")
        let f = try Fixture(mode: 0o777)
        let diagnosis = try f.run.diagnose([.exampleSpoolMode])
        #expect(diagnosis.faults.map(\.id) == [900])
        #expect(diagnosis.faults[0].title == "Spool directory open to everyone")
        #expect(diagnosis.faults[0].status == .present && diagnosis.faults[0].repairable)
        #expect(diagnosis.exitCode == 1)

        let plan = try f.run.dryRun([.exampleSpoolMode])
        #expect(plan.faults[0].actions.map(\.kind) == [.directoryAttributes])
        #expect(f.directories.applied.isEmpty)

        let repaired = try f.run.repair([.exampleSpoolMode], command: ["ampfix", "--fault", "900"])
        let now = try #require(f.directories.directories[ExampleSpoolModeFault.path])
        #expect(now.mode == 0o700)
        #expect(repaired.faults[0].initialStatus == .present)
        #expect(repaired.faults[0].actions.map(\.outcome) == [.applied])
        // (MemoryFacts is a snapshot: the host as the repair left it is diagnosed afresh.)
        let after = try Fixture(mode: now.mode).run.diagnose([.exampleSpoolMode])
        #expect(after.faults[0].status == .ok && after.exitCode == 0)
    }

    /// A catalog that knows the example's title (as po/zh_CN.po does).
    struct Catalog: Translating {
        func text(_ message: String) -> String { message == "Spool directory open to everyone" ? "假脱机目录对所有人开放" : message }
        func text(_ singular: String, _ plural: String, count: Int) -> String { count == 1 ? singular : plural }
    }

    @Test func itsTextsFollowTheLanguageAndItsNumberTheJSON() throws {
        var report = try Fixture(mode: 0o700).run.diagnose([.exampleSpoolMode, .scanUserUnavailable])
        #expect(report.faults.map(\.id) == [5, 900])
        #expect(report.faults.last?.title == "Spool directory open to everyone")
        report.render(Catalog(), language: .zh)
        #expect(report.faults.last?.title == "假脱机目录对所有人开放" && report.language == .zh)
        #expect(report.faults.last?.titleMessage.id == "Spool directory open to everyone")
        #expect(report.faults.last?.status == .ok)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"id\":900"))
    }
}
