import AmpfixCore
import AmpfixTestSupport
import Foundation
import Testing

/// `ampfix preflight` on the sample hosts and on this machine's running kernel.
@Suite struct PreflightTests {
    static let data = ["--kernel-support", PackageLayout.root + "/data/kernel-support.tsv", "--policy-module", PackageLayout.policyModule]

    static func preflight(_ arguments: [String]) throws -> (CommandResult, PreflightReport?) {
        let result = try AmpfixBinary.run(["preflight"] + arguments + Self.data)
        return (result, try? JSONDecoder().decode(PreflightReport.self, from: Data(result.stdout.utf8)))
    }

    @Test func theBrokenSamplePredictsBlockingAndNonBlockingFaultsAndFixPreventsThem() throws {
        let root = try SampleHost.build()
        // What a preflight writes: its record (var/lib/ampfix) under the run lock (run).
        for directory in ["var/lib/ampfix", "run"] { try FileManager.default.createDirectory(atPath: root.at(directory), withIntermediateDirectories: true) }
        let before = TreeSnapshot.take(root.path, excluding: ["var/lib/ampfix", "run"])
        let (result, parsed) = try Self.preflight(["--root", root.path, "--json"])
        let report = try #require(parsed, "\(result.stdout)\(result.stderr)")
        #expect(result.status == 1)
        #expect(report.schema == "ampfix.preflight/1")
        #expect(report.kernel == "6.1.0-sample-amd64" && !report.kernelRunning)
        func outcome(_ check: String) -> Prediction? { report.predictions.first { $0.check == check } }
        // USERGROUPS_ENAB no and no scan account: predicted, not blocking, fixable.
        #expect(outcome("5")?.outcome == .predicted && outcome("5")?.blocks == false && outcome("5")?.fixable == true)
        // Enforcing SELinux without the bpf rule: blocking, fixable.
        #expect(outcome("19")?.outcome == .predicted && outcome("19")?.blocks == true && outcome("19")?.fixable == true)
        // No BTF and no headers: blocking; not fixable under --root (no package installs there).
        #expect(outcome("11")?.outcome == .predicted && outcome("11")?.blocks == true && outcome("11")?.fixable == false)
        // The sample kernel's configuration has every option the programs need.
        #expect(outcome("16")?.outcome == .clear, "\(outcome("16")?.evidence ?? [])")
        #expect(report.blocking)
        #expect(report.predictions.allSatisfy { $0.evidenceMessages.count == $0.evidence.count }, "each line also as its message")
        #expect(TreeSnapshot.take(root.path, excluding: ["var/lib/ampfix", "run"]) == before, "a preflight changes nothing but its record")
        let record = try #require(FileManager.default.contents(atPath: root.at("var/lib/ampfix/preflight.json")))
        let kept = try #require(try? PreflightRecord.parse(Array(record)).get().entry(for: "6.1.0-sample-amd64"))
        #expect(Set(kept.predicted).isSuperset(of: [5, 11, 19]) && kept.clear.contains(16), "\(kept)")
        #expect(report.recorded == root.at("var/lib/ampfix/preflight.json"))

        let whole = TreeSnapshot.take(root.path)
        let (dry, _) = try Self.preflight(["--root", root.path, "--fix", "--dry-run"])
        #expect(dry.stdout.contains("planned: create system user cisco-amp-scan-svc with its own group"), "\(dry.stdout)")
        #expect(TreeSnapshot.take(root.path) == whole, "--fix --dry-run changes nothing, not even the record")
        // --fault chooses what --fix prevents (the kernel hook's unit: 11, 8, 9); all is still predicted.
        let (only, onlyReport) = try Self.preflight(["--root", root.path, "--fix", "--dry-run", "--fault", "19", "--no-restart", "--json"])
        #expect(onlyReport?.fix?.faults.map(\.id) == [19], "\(only.stdout.prefix(400))\(only.stderr)")
        #expect(onlyReport?.predictions.first { $0.check == "5" }?.outcome == .predicted)
        for misuse in [["--fault", "19"], ["--no-restart"], ["--fix", "--dry-run", "--package-lock-wait", "1m"], ["--package-lock-wait", "1m"],
                       ["--fix", "--fault", "99"]] {
            let refused = try Self.preflight(["--root", root.path] + misuse).0
            #expect(refused.status == 64 && refused.stderr.contains("--"), "\(misuse): \(refused.stderr)")
        }
        #expect(TreeSnapshot.take(root.path) == whole)

        // --fix --json: one document, the repair's report inside it.
        let (dryJSON, dryReport) = try Self.preflight(["--root", root.path, "--fix", "--dry-run", "--json"])
        #expect(dryReport?.fix?.mode == .dryRun, "\(dryJSON.stdout.prefix(300))")
        let (fixed, _) = try Self.preflight(["--root", root.path, "--fix"])
        #expect(fixed.stdout.contains("Journal: "), "\(fixed.stdout)\(fixed.stderr)")
        let (after, afterReport) = try Self.preflight(["--root", root.path, "--json"])
        let again = try #require(afterReport, "\(after.stdout)\(after.stderr)")
        #expect(again.predictions.first { $0.check == "5" }?.outcome == .clear)
        #expect(again.predictions.first { $0.check == "19" }?.outcome == .clear)
        #expect(again.fixableFaults.isEmpty)
    }

    /// Once the connector runs, a diagnosis sets the kept predictions against its status.
    @Test func aDiagnosisComparesTheLastPredictionsWithWhatTheConnectorRaises() throws {
        let root = try SampleHost.build()
        let tools = TempRoot("ampcli")
        try tools.write("bin/ampcli", "#!/bin/sh\n[ \"$1\" = status ] || exit 64\nprintf 'Status: Connected\\nMode: Degraded\\nFault IDs: 11 18\\n'\n", mode: 0o755)
        let diagnose = ["--root", root.path, "--ampcli", tools.at("bin/ampcli")] + Self.data
        let unrecorded = try AmpfixBinary.run(diagnose + ["--json"])
        #expect(try JSONDecoder().decode(Report.self, from: Data(unrecorded.stdout.utf8)).preflight == nil, "no preflight was kept")

        #expect(try Self.preflight(["--root", root.path]).0.status == 1)
        // A newer kernel's predictions (the kernel hook's, before a reboot) are not this kernel's.
        #expect(try Self.preflight(["--root", root.path, "--kernel", "9.9.9-next-amd64"]).0.status != 64)
        #expect(try PreflightRecord.parse(Array(FileManager.default.contents(atPath: root.at("var/lib/ampfix/preflight.json")) ?? Data())).get()
            .kernels.map(\.kernel) == ["9.9.9-next-amd64", "6.1.0-sample-amd64"])
        let result = try AmpfixBinary.run(diagnose + ["--json", "--prometheus", tools.at("ampfix.prom")])
        let comparison = try #require(try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)).preflight, "\(result.stdout)\(result.stderr)")
        #expect(comparison.kernel == "6.1.0-sample-amd64")
        #expect(comparison.faults(.predictedRaised) == [11])
        #expect(comparison.faults(.predictedNotRaised).contains(19) && comparison.faults(.predictedNotRaised).contains(5))
        #expect(comparison.faults(.raisedNotPredicted) == [18])
        let metrics = try String(contentsOfFile: tools.at("ampfix.prom"), encoding: .utf8)
        #expect(metrics.contains("ampfix_preflight_agreement{fault=\"18\",agreement=\"raised-not-predicted\"} 1"), "\(metrics)")
        let text = try AmpfixBinary.run(diagnose).stdout
        #expect(text.contains("for kernel 6.1.0-sample-amd64: predicted and raised: 11; predicted, not raised: "), "\(text)")
        #expect(text.contains("raised, not predicted: 18"))

        // A record that is not one is no comparison, and the next preflight starts it again,
        // as a file of its own: what was planted under the name lends it no mode or owner.
        try root.write("var/lib/ampfix/preflight.json", "{")
        chown(root.at("var/lib/ampfix/preflight.json"), 1234, 5678)
        chmod(root.at("var/lib/ampfix/preflight.json"), 0o6777)
        let damaged = try JSONDecoder().decode(Report.self, from: Data(AmpfixBinary.run(diagnose + ["--json"]).stdout.utf8))
        #expect(damaged.preflight == nil)
        // Named, never silently ignored: in JSON (with its message) and in text.
        #expect(damaged.preflightRecordProblem == "the kept predictions (\(PreflightRecord.path)) are not compared: not a preflight record (JSON); the next ampfix preflight starts them again")
        #expect(damaged.preflightRecordProblemMessage?.description == damaged.preflightRecordProblem)
        #expect(try AmpfixBinary.run(diagnose).stdout.contains("preflight: the kept predictions (\(PreflightRecord.path)) are not compared: not a preflight record"))
        #expect(try Self.preflight(["--root", root.path, "--json"]).1?.recorded != nil)
        let kept = root.attributes("var/lib/ampfix/preflight.json")
        #expect(kept?.mode == 0o644 && kept?.uid == geteuid() && kept?.gid == getegid(), "\(String(describing: kept))")
        #expect(try JSONDecoder().decode(Report.self, from: Data(AmpfixBinary.run(diagnose + ["--json"]).stdout.utf8)).preflight != nil)
    }

    /// (Its Chinese is checked with every other command's in TranslationTests.)
    @Test func usageErrors() throws {
        let root = try SampleHost.build(healthy: true)
        let (usage, _) = try Self.preflight(["--root", root.path, "--dry-run"])
        #expect(usage.status == 64, "--dry-run without --fix")
    }

    /// The running kernel, with the connector's own programs: fault 16 is predicted exactly where
    /// the kernel lacks what they need to attach (this machine's 6.18 has no kprobes; Debian's 6.1
    /// has them). The kernel's configuration says which to expect.
    @Test(.enabled(if: Privileges.isRoot && BPFObjectsFixture.directory != nil, "skipped: needs root and the built eBPF objects (\(BPFObjectsFixture.skipReason ?? "root"))"))
    func theRunningKernelIsProvedWithTheConnectorsPrograms() throws {
        let config = try #require(BPFObjectsFixture.runningConfig)
        let options = KernelConfig(path: "running", text: config)
        let directory = TempRoot("preflight-metrics")
        let prometheus = directory.at("preflight.prom")
        let (result, parsed) = try Self.preflight(["--json", "--no-record", "--bpf-objects", BPFObjectsFixture.directory ?? "", "--prometheus", prometheus])
        let report = try #require(parsed, "\(result.stdout)\(result.stderr)")
        #expect(report.kernelRunning)
        #expect(report.recorded == nil, "--no-record: the host keeps nothing")
        let sixteen = try #require(report.predictions.first { $0.check == "16" })
        #expect(sixteen.evidence.contains { $0.contains("were tried in the running kernel") }, "\(sixteen.evidence)")
        let attachable = ["KPROBES", "KPROBE_EVENTS", "BPF_EVENTS", "BPF_SYSCALL"].allSatisfy(options.enables)
        #expect(sixteen.outcome == (attachable ? .clear : .predicted), "\(sixteen.evidence)")
        if !attachable {
            #expect(sixteen.blocks)
            #expect(sixteen.evidence.contains { $0.hasPrefix("not attached: ") && $0.contains("libbpf: ") }, "the kernel's reason, in libbpf's words")
        }
        let metrics = try String(contentsOfFile: prometheus, encoding: .utf8)
        #expect(metrics.contains("ampfix_kernel_ready{kernel=\"\(report.kernel ?? "")\"} \(attachable && !report.blocking ? 1 : 0)"), "\(metrics)")
    }
}
