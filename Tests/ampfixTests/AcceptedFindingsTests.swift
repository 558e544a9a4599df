import AmpfixCore
import AmpfixTestSupport
import Foundation
import Testing

/// Accepted findings end to end: files in the sample's /etc/ampfix/accepted.d, seen in the JSON
/// report, the text, the metrics and `ampfix check`.
@Suite struct AcceptedFindingsTests {
    @Test func anAcceptedFaultIsReportedAsAcceptedEverywhereAndARunOutOrBadOneIsNamed() throws {
        let root = try SampleHost.build()
        try root.write("etc/ampfix/accepted.d/11.conf", "fault=11\nreason=Headers come with the next image (CASE-1)\nby=jdoe\nexpires=2999-12-31\n")
        try root.write("etc/ampfix/accepted.d/19.conf", "fault=19\nreason=policy review\nby=ops\nexpires=2020-01-01\n")
        try root.write("etc/ampfix/accepted.d/typo.conf", "fualt=5\n")
        let data = ["--kernel-support", PackageLayout.root + "/data/kernel-support.tsv"]
        let out = TempRoot("accepted")
        let run = try AmpfixBinary.run(["--root", root.path, "--json", "--prometheus", out.at("ampfix.prom")] + data)
        let report = try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8))
        let eleven = try #require(report.faults.first { $0.id == 11 })
        #expect(eleven.status == .accepted, "\(eleven.evidence)")
        #expect(eleven.evidence.last == "accepted until 2999-12-31 by jdoe (/etc/ampfix/accepted.d/11.conf): Headers come with the next image (CASE-1)")
        let nineteen = try #require(report.faults.first { $0.id == 19 })
        #expect(nineteen.status == .present && nineteen.evidence.last?.contains("ran out on 2020-01-01") == true, "\(nineteen.evidence)")
        #expect(report.acceptanceProblems == ["\(Acceptance.directory)/typo.conf:1: fualt is not one of fault, kernel, message, reason, by, expires"])

        let metrics = try String(contentsOfFile: out.at("ampfix.prom"), encoding: .utf8)
        #expect(metrics.contains("ampfix_fault_present{fault=\"11\"} 0\n") && metrics.contains("ampfix_fault_status{fault=\"11\",status=\"accepted\"} 1\n"), "\(metrics)")
        #expect(metrics.contains("ampfix_acceptance_problems 1\n"))

        let text = try AmpfixBinary.run(["--root", root.path] + data).stdout
        #expect(text.contains("accepted findings: \(Acceptance.directory)/typo.conf:1: fualt is not one of"), "\(text)")
        #expect(text.contains("\n11    accepted "), "\(text)")

        let check = try AmpfixBinary.run(["check", "--root", root.path] + data)
        #expect(check.stdout.contains("accepted: 11 | ") && check.stdout.contains(" accepted=1;;;0;\(FaultID.allCases.count)"), "\(check.stdout)")
        #expect(check.stdout.contains("fault 11 accepted: Kernel headers package missing (accepted until 2999-12-31 by jdoe"), "\(check.stdout)")
        #expect(check.stdout.contains("accepted findings: \(Acceptance.directory)/typo.conf"))

        // A link that leads nowhere inside the root, and an accepted.d that is no directory, are
        // named too: the acceptances they hold would otherwise vanish unexplained.
        root.symlink("etc/ampfix/accepted.d/16.conf", to: Acceptance.directory + "/missing")  // dangling inside the root
        let dangling = try JSONDecoder().decode(Report.self, from: Data(AmpfixBinary.run(["--root", root.path, "--json"] + data).stdout.utf8))
        #expect(dangling.acceptanceProblems?.contains("\(Acceptance.directory)/16.conf: a link that leads to nothing inside the root: not read") == true,
                "\(dangling.acceptanceProblems ?? [])")
        let file = try SampleHost.build()
        try file.write("etc/ampfix/accepted.d", "fault=11\n")
        let notDirectory = try JSONDecoder().decode(Report.self, from: Data(AmpfixBinary.run(["--root", file.path, "--json"] + data).stdout.utf8))
        #expect(notDirectory.acceptanceProblems?.first?.hasPrefix("cannot read \(Acceptance.directory): not a directory inside the root") == true)
    }
}
