import AmpfixCore
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// `--prometheus FILE`: the run's metrics for node_exporter's textfile collector, checked by
/// Prometheus' own tools (promtool, node_exporter) and written the way the collector needs.
@Suite struct PrometheusMetricsTests {
    static let promtool = "/usr/bin/promtool"
    static let nodeExporter = "/usr/bin/prometheus-node-exporter"
    static var haveTools: Bool { [promtool, nodeExporter].allSatisfy(FileManager.default.isExecutableFile(atPath:)) }

    static func metrics(_ file: String) throws -> [String: String] {
        var samples: [String: String] = [:]
        for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return samples
    }

    @Test(.enabled(if: haveTools, "skipped: needs promtool and prometheus-node-exporter (scripts/deps.sh installs prometheus and prometheus-node-exporter)")) func aDiagnosisWritesMetricsPromtoolAcceptsAndNodeExporterServes() throws {
        let root = try SampleHost.build()
        let out = TempRoot("textfile")
        let file = out.at("ampfix.prom")
        let before = TreeSnapshot.take(root.path)
        // Under umask 077 the file still gets 0644: node_exporter runs as its own user.
        let run = try Command.run("/bin/sh", ["-c", "umask 077; exec \"$0\" \"$@\"", AmpfixBinary.path,
                                              "--root", root.path, "--ampcli", root.at("opt/cisco/amp/bin/ampcli"), "--json", "--prometheus", file])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(TreeSnapshot.take(root.path) == before, "a diagnosis with metrics changes nothing in the root")
        var info = stat()
        try #require(stat(file, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o644)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["ampfix.prom"], "no temporary file is left")

        let check = try Command.run("/bin/sh", ["-c", "\(Self.promtool) check metrics < '\(file)'"])
        #expect(check.status == 0, "promtool: \(check.stdout)\(check.stderr)")

        // The metrics agree with the report printed by the same run.
        let report = try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8))
        let samples = try Self.metrics(file)
        for fault in report.faults {
            #expect(samples["ampfix_fault_present{fault=\"\(fault.id)\"}"] == (fault.status == .present ? "1" : "0"))
            let status = fault.status.rawValue.replacingOccurrences(of: "-", with: "_")
            #expect(samples["ampfix_fault_status{fault=\"\(fault.id)\",status=\"\(status)\"}"] == "1")
            let raised = samples["ampfix_connector_raised{fault=\"\(fault.id)\"}"]
            #expect(raised == (fault.raisedByConnector == .yes ? "1" : "0"), "fault \(fault.id): \(String(describing: raised))")
        }
        #expect(samples.keys.filter { $0.hasPrefix("ampfix_fault_status{") && samples[$0] == "1" }.count == report.faults.count,
                "a state set: one status per fault")
        #expect(samples["ampfix_connector_raised{fault=\"7\"}"] == "1", "the sample's connector raises 7")
        #expect(samples["ampfix_exit_status"] == "1")
        // The connector's installation and version, whether or not its status was asked (alerts
        // for 16 on a host without the connector can tell).
        #expect(samples["ampfix_connector_installed"] == "1" && report.connectorInstalled == true)
        #expect(samples["ampfix_connector_info{version=\"\(report.connectorVersion ?? "-")\"}"] == "1", "\(samples.keys.sorted())")
        let bare = TempRoot("no-connector")
        try bare.write("etc/os-release", "ID=debian\n")
        _ = try AmpfixBinary.run(["--root", bare.path, "--prometheus", out.at("bare.prom")])
        let without = try Self.metrics(out.at("bare.prom"))
        #expect(without["ampfix_connector_installed"] == "0" && !without.keys.contains { $0.hasPrefix("ampfix_connector_info") }, "\(without)")
        unlink(out.at("bare.prom"))
        let stamp = try #require(samples["ampfix_last_run_timestamp_seconds"].flatMap(Double.init))
        #expect(abs(stamp - Date().timeIntervalSince1970) < 120)

        // Read back through a real node_exporter with only the textfile collector.
        let port = try Self.freePort()
        let exporter = try Command.start(Self.nodeExporter, ["--collector.disable-defaults", "--collector.textfile",
                                                            "--collector.textfile.directory=\(out.path)",
                                                            "--web.listen-address=127.0.0.1:\(port)"])
        defer { _ = exporter.wait(timeout: 0) }
        var served = ""
        let patience = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < patience {
            let curl = try Command.run("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(port)/metrics"])
            if curl.status == 0 { served = curl.stdout; break }
            usleep(100_000)
        }
        #expect(served.contains("ampfix_fault_present{fault=\"5\"} 1"), "node_exporter served: \(served.prefix(2000))")
        #expect(served.contains("node_textfile_scrape_error 0"), "the collector read the file without error")
    }

    @Test(.enabled(if: Privileges.isRoot, "skipped: useradd --root needs root"))
    func aRepairCountsItsAppliedActionsAndTheFaultIsNoLongerPresent() throws {
        let root = try SampleHost.build()
        let out = TempRoot("textfile-repair")
        let file = out.at("ampfix.prom")
        try "stale\n".write(toFile: file, atomically: false, encoding: .utf8)
        let run = try AmpfixBinary.run(["--root", root.path, "--fault", "5", "--prometheus", file])
        #expect(run.status == 0, "fault 5 repaired: \(run.stdout)\(run.stderr)")
        let samples = try Self.metrics(file)
        #expect(samples["ampfix_fault_present{fault=\"5\"}"] == "0")
        #expect(Int(samples["ampfix_actions_applied{fault=\"5\"}"] ?? "") ?? 0 >= 2, "\(samples)")
        #expect(samples["ampfix_actions_failed{fault=\"5\"}"] == "0")
        #expect(samples.keys.contains { $0.hasPrefix("ampfix_info{") && $0.contains("mode=\"repair\"") })
    }

    @Test func aPathThatIsNotAFileIsAnErrorAndTheReportIsStillPrinted() throws {
        let root = try SampleHost.build()
        let out = TempRoot("textfile-bad")
        try FileManager.default.createDirectory(atPath: out.at("dir.prom"), withIntermediateDirectories: true)
        try "keep me\n".write(toFile: out.at("target"), atomically: false, encoding: .utf8)
        symlink(out.at("target"), out.at("link.prom"))
        for name in ["dir.prom", "link.prom", "missing/ampfix.prom"] {
            let run = try AmpfixBinary.run(["--root", root.path, "--prometheus", out.at(name)])
            #expect(run.status == 2, "\(name): \(run.stderr)")
            #expect(run.stdout.contains("cisco-amp-scan-svc"), "the report is printed first")
            #expect(run.stderr.hasPrefix("ampfix: error: cannot ") && run.stderr.contains(out.at(name)), "\(run.stderr)")
        }
        #expect(try String(contentsOfFile: out.at("target"), encoding: .utf8) == "keep me\n", "a link at the path is not followed")
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: out.path)) == ["dir.prom", "link.prom", "target"])
        let usage = try AmpfixBinary.run(["--root", root.path, "--prometheus", out.at("ampfix.txt")])
        #expect(usage.status == 64 && usage.stderr.contains("only files ending in .prom"), "\(usage.stderr)")
    }

    /// A port nobody listens on now (the kernel's choice for port 0).
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try #require(bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0)
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
