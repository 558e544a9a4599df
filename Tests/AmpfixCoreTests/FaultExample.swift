import AmpfixCore

// An imaginary fault, added the way CONTRIBUTING.md says a fault is added: this one file (its
// number, texts, whether ampfix repairs it, and its check), one registry line (in
// FaultExampleTests.swift, as it would be in FaultRegistry.standard) and its test. It lives in
// the tests so that the recipe stays true: if adding a fault ever needs more, this stops compiling
// or its test fails. `scripts/new-fault.sh` copies it into a real fault. Its number is one the
// connector will never raise (its faults are numbered from 1 up, a few tens at most), so that
// a real fault added beside it never collides with it; 99 stays the tests' number of no fault.

/// The example's number.

extension FaultID {
    static let exampleSpoolMode = FaultID(declaring: 900)
}

extension FaultDefinition {
    static let exampleSpoolMode = FaultDefinition(
        id: .exampleSpoolMode,
        journalMessageID: "fc5c2b4bf9434335bea4759c7707a31f",
        repairs: true,
        english: FaultTexts(
            title: "Spool directory open to everyone",
            condition: "The connector's spool directory can be written by other users.",
            resolution: ["Set /opt/cisco/amp/spool back to mode 0700 owned by root."],
            automaticRepairs: ["restore /opt/cisco/amp/spool to mode 0700 owned by root"]
        ),
        check: { _ in ExampleSpoolModeFault() }
    )
}

/// The example fault (imaginary): /opt/cisco/amp/spool must be mode 0700 owned by root.
struct ExampleSpoolModeFault: FaultCheck {
    let id = FaultID.exampleSpoolMode
    static let path = "/opt/cisco/amp/spool"
    static let expected = DirectoryAttributes(mode: 0o700, uid: 0, gid: 0)

    func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        let tree: DirectoryTree
        do { tree = try host.directoryTree(at: Self.path) } catch {
            return Finding(fault: id, status: .unknown, evidence: [.msg("cannot read \(Self.path): \(error)")])
        }
        guard let entry = tree.directories.first(where: { $0.path == Self.path }) else {
            return Finding(fault: id, status: .notApplicable, evidence: [.msg("\(Self.path) does not exist")])
        }
        let now = entry.attributes
        guard now.mode != Self.expected.mode || now.uid != 0 else {
            return Finding(fault: id, status: .ok, evidence: [.msg("\(Self.path) is \(now)")])
        }
        let after = DirectoryAttributes(mode: Self.expected.mode, uid: 0, gid: now.gid)
        return Finding(fault: id, status: .present, evidence: [.msg("\(Self.path) is \(now)")],
                       repairs: [.directoryAttributes(path: Self.path, before: now, after: after)])
    }
}
