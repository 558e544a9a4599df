import AmpfixCore
import Testing

@Suite struct ModelTests {
    @Test func exitCodeFollowsTheWorstStatus() {
        #expect(Report.exitCode(for: [.ok, .notApplicable]) == 0)
        #expect(Report.exitCode(for: []) == 0)
        #expect(Report.exitCode(for: [.ok, .unknown]) == 2)
        #expect(Report.exitCode(for: [.unknown, .present]) == 1)
    }

    @Test func statusesCombine() {
        #expect(FindingStatus.combined([.ok, .present, .unknown]) == .present)
        #expect(FindingStatus.combined([.ok, .unknown]) == .unknown)
        #expect(FindingStatus.combined([.notApplicable, .ok]) == .ok)
        #expect(FindingStatus.combined([.notApplicable]) == .notApplicable)
    }

    @Test func directoryChangeInvertsExactly() {
        let before = DirectoryAttributes(mode: 0o4700, uid: 1000, gid: 5)
        let after = DirectoryAttributes(mode: 0o755, uid: 0, gid: 5)
        let change = Change.directoryAttributes(path: "/opt/cisco/amp", before: before, after: after)
        #expect(change.inverse == .directoryAttributes(path: "/opt/cisco/amp", before: after, after: before))
        #expect(change.inverse?.inverse == change)
        #expect(change.summary.description == "set /opt/cisco/amp: mode 4700 -> 0755, owner uid 1000 -> 0")
    }

    @Test func timestampsAreUTC() {
        #expect(UTCTimestamp(secondsSince1970: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(UTCTimestamp(secondsSince1970: 1_795_385_585.25).iso8601 == "2026-11-22T22:13:05.250Z")
        #expect(UTCTimestamp(secondsSince1970: 951_782_400).iso8601 == "2000-02-29T00:00:00.000Z")
        #expect(RunID.make(at: UTCTimestamp(secondsSince1970: 0), pid: 42) == "19700101T000000000Z-42")
        #expect(RunID.isValid("19700101T000000000Z-42"))
        #expect(!RunID.isValid("../etc/passwd"))
    }
}

@Suite struct TextTests {
    @Test func trimmingWorksOnScalarsNotGraphemes() {
        #expect("path\r\n".trimming() == "path")
        #expect("/tmp/x.deb\n".trimming() == "/tmp/x.deb")
        #expect(" \t a b \n".trimming() == "a b")
        #expect("\"quoted\"".trimming("\"") == "quoted")
        #expect("".trimming() == "")
    }
}
