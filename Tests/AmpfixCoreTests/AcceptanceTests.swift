import AmpfixCore
import AmpfixTestSupport
import Testing

/// Accepted findings (/etc/ampfix/accepted.d): read, checked, and applied to a report's faults.
@Suite struct AcceptanceTests {
    static let dir = Acceptance.directory
    static let valid = "# known: the next image brings the headers\nfault=11\nreason=Headers come with the next image (CASE-1)\nby=jdoe\nexpires=2027-03-31\n"

    static func fault(_ id: Int, _ status: FindingStatus = .present, evidence: [Message] = []) -> FaultReport {
        FaultReport(id: id, title: "t", status: status, initialStatus: nil, repairable: false, evidence: evidence, actions: [], manualSteps: [])
    }

    @Test func anEntryIsReadAndEveryMistakeIsNamed() throws {
        let entry = try Acceptance.parse(Self.valid, file: "\(Self.dir)/11.conf").get()
        #expect(entry.fault == .kernelHeadersMissing && entry.expires == "2027-03-31" && entry.by == "jdoe" && entry.kernel == nil)
        for (text, reason) in [
            ("fault=11\nreason=r\nby=b\n", "x.conf: expires= is missing (fault, reason, by and expires are required)"),
            ("fault=99\nreason=r\nby=b\nexpires=2027-01-01\n", "x.conf: fault=99 is not a connector fault"),
            ("fault=11\nreason=r\nby=b\nexpires=2027-02-29\n", "x.conf: expires=2027-02-29 is not a date (YYYY-MM-DD)"),
            ("fault=11\nreason=r\nby=b\nexpires=31.03.2027\n", "x.conf: expires=31.03.2027 is not a date (YYYY-MM-DD)"),
            ("fault=11\nfault=16\n", "x.conf:2: fault is given twice"),
            ("fault=11\nowner=b\n", "x.conf:2: owner is not one of fault, kernel, message, reason, by, expires"),
            ("fault 11\n", "x.conf:1: not KEY=VALUE"),
            ("fault=11\nreason=\n", "x.conf:2: reason must be 1 to 500 bytes of text"),
            ("fault=11\nkernel=../../x\nreason=r\nby=b\nexpires=2027-01-01\n", "x.conf: kernel=../../x is not a kernel release"),
        ] {
            guard case .failure(let invalid) = Acceptance.parse(text, file: "x.conf") else {
                Issue.record("taken: \(text)")
                continue
            }
            #expect(invalid.reason.description.hasPrefix(reason), "\(invalid.reason)")
        }
        #expect(try Acceptance.parse("fault=11\r\nreason=r\r\nby=b\r\nexpires=2028-02-29\r\n", file: "x").get().expires == "2028-02-29", "CRLF, a leap day")
        guard case .failure = Acceptance.parse("fault=+11\nreason=r\nby=b\nexpires=2027-01-01\n", file: "x") else {
            Issue.record("fault=+11 taken")
            return
        }

        let host = MemoryFacts(files: ["\(Self.dir)/11.conf": Self.valid, "\(Self.dir)/bad.conf": "fault=5\n", "\(Self.dir)/notes.txt": "not read",
                                       "\(Self.dir)/.hidden.conf": "not read", "\(Self.dir)/bom.conf": "\u{FEFF}" + Self.valid.replacingOccurrences(of: "11", with: "16")])
        let (entries, problems) = Acceptance.read(host)
        #expect(entries.map(\.fault) == [.kernelHeadersMissing, .incompatibleKernel], "a byte order mark is not part of the first key")
        #expect(problems.map(\.description) == ["\(Self.dir)/bad.conf: reason= is missing (fault, reason, by and expires are required)"])
        #expect(Acceptance.read(MemoryFacts(files: [:])).problems.isEmpty, "no directory, nothing to say")
    }

    @Test func aPresentFaultIsAcceptedUntilTheDayItRunsOut() throws {
        let entry = try Acceptance.parse(Self.valid, file: "\(Self.dir)/11.conf").get()
        func applied(today: String, kernel: String? = nil, _ entries: [Acceptance]? = nil, status: FindingStatus = .present,
                     evidence: [Message] = []) -> FaultReport {
            var faults = [Self.fault(11, status, evidence: evidence), Self.fault(5)]
            Acceptance.apply(entries ?? [entry], to: &faults, kernel: kernel, today: today)
            #expect(faults[1].status == .present, "another fault is not touched")
            return faults[0]
        }
        let held = applied(today: "2027-03-31")
        #expect(held.status == .accepted, "the expiry day itself still holds")
        #expect(held.evidence.last == "accepted until 2027-03-31 by jdoe (\(Self.dir)/11.conf): Headers come with the next image (CASE-1)")
        let ran = applied(today: "2027-04-01")
        #expect(ran.status == .present)
        #expect(ran.evidence.last == "the acceptance in \(Self.dir)/11.conf ran out on 2027-03-31 (by jdoe: Headers come with the next image (CASE-1)): the fault counts again")
        #expect(applied(today: "2027-01-01", status: .ok).status == .ok, "only a present fault is accepted")

        var kernelBound = entry
        kernelBound.kernel = "6.1.0-28-amd64"
        #expect(applied(today: "2027-01-01", kernel: "6.1.0-28-amd64", [kernelBound]).status == .accepted)
        #expect(applied(today: "2027-01-01", kernel: "6.1.0-30-amd64", [kernelBound]).status == .present, "another kernel: not accepted")
        var messageBound = entry
        messageBound.message = "no header package of %1$s is installed"
        #expect(applied(today: "2027-01-01", [messageBound]).status == .present)
        #expect(applied(today: "2027-01-01", [messageBound], evidence: [.msg("no header package of \("6.1") is installed")]).status == .accepted)
        // Of two entries, one that still holds wins over one that ran out.
        var old = entry
        old.expires = "2026-01-01"
        #expect(applied(today: "2027-01-01", [old, entry]).status == .accepted)
    }
}
