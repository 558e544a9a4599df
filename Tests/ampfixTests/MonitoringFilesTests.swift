import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Testing

/// What the packages ship for monitoring (packaging/prometheus, packaging/grafana,
/// packaging/monitoring): alert rules Prometheus' own promtool checks and tests, a dashboard whose
/// every query is valid PromQL naming metrics ampfix writes, and an NRPE command and Icinga 2
/// CheckCommand that run exactly what the shipped sudo rule allows.
@Suite struct MonitoringFilesTests {
    static let rules = PackageLayout.root + "/packaging/prometheus/ampfix.rules.yml"
    static let dashboard = PackageLayout.root + "/packaging/grafana/ampfix.json"
    static let monitoring = PackageLayout.root + "/packaging/monitoring"
    static let promtool = Programs.locate("promtool")

    /// The names of the metrics ampfix writes, read from the files real runs wrote on a sample
    /// host: a preflight (kept, and its metrics), then a diagnosis that asks the connector (so
    /// that the comparison with the preflight and the connector's families are there too).
    static func writtenMetrics() throws -> Set<String> {
        let root = try SampleHost.build()
        let out = TempRoot("monitoring-metrics")
        let data = ["--kernel-support", PackageLayout.root + "/data/kernel-support.tsv", "--policy-module", PackageLayout.policyModule]
        _ = try AmpfixBinary.run(["preflight", "--root", root.path, "--prometheus", out.at("preflight.prom")] + data)
        _ = try AmpfixBinary.run(["--root", root.path, "--ampcli", root.at("opt/cisco/amp/bin/ampcli"), "--prometheus", out.at("ampfix.prom")] + data)
        var names: Set<String> = []
        for file in ["preflight.prom", "ampfix.prom"] {
            let text = try String(contentsOfFile: out.at(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
                names.insert(String(line.split(separator: " ")[2]))
            }
        }
        return names
    }

    /// Every `ampfix_…` metric name in a text.
    static func ampfixNames(_ text: String) -> Set<String> {
        Set(text.matches(of: /ampfix_[a-z_]+/).map { String($0.output) })
    }

    /// Every PromQL expression of the dashboard, its template variables made concrete.
    static func dashboardQueries() throws -> [String] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dashboard))) as? [String: Any])
        let panels = try #require(json["panels"] as? [[String: Any]])
        var queries: [String] = []
        for panel in panels {
            let targets = try #require(panel["targets"] as? [[String: Any]], "panel \(panel["title"] ?? "?") has no targets")
            #expect(!targets.isEmpty, "panel \(panel["title"] ?? "?") has no query")
            queries += targets.compactMap { $0["expr"] as? String }
        }
        #expect(queries.count >= panels.count)
        return queries.map { $0.replacingOccurrences(of: "$instance", with: ".*") }
    }

    @Test func theDashboardAndTheRulesNameOnlyMetricsAmpfixWrites() throws {
        let written = try Self.writtenMetrics()
        #expect(written.contains("ampfix_connector_info") && written.contains("ampfix_kernel_ready") && written.contains("ampfix_preflight_agreement"),
                "\(written.sorted())")
        let queries = try Self.dashboardQueries()
        let named = queries.reduce(into: Set<String>()) { $0.formUnion(Self.ampfixNames($1)) }
        #expect(named.subtracting(written).isEmpty, "the dashboard names metrics ampfix does not write: \(named.subtracting(written).sorted())")
        #expect(named.count >= 10, "the dashboard covers the metrics: \(named.sorted())")
        let rules = Self.ampfixNames(try String(contentsOfFile: Self.rules, encoding: .utf8))
        #expect(!rules.isEmpty && rules.subtracting(written).isEmpty, "the rules name metrics ampfix does not write: \(rules.subtracting(written).sorted())")
    }

    @Test(.enabled(if: promtool != nil, "skipped: promtool is not installed (scripts/deps.sh installs the prometheus package)"))
    func promtoolChecksAndTestsTheRulesAndParsesEveryDashboardQuery() throws {
        let promtool = try #require(Self.promtool)
        let directory = PackageLayout.root + "/packaging/prometheus"
        let check = try Command.run(promtool, ["check", "rules", Self.rules])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let test = try Command.run("/bin/sh", ["-c", "cd '\(directory)' && exec '\(promtool)' test rules ampfix.rules.test.yml"])
        #expect(test.status == 0 && test.stdout.contains("SUCCESS"), "\(test.stdout)\(test.stderr)")

        // The dashboard's queries as recording rules: promtool parses each as PromQL.
        let work = TempRoot("dashboard-queries")
        var file = "groups:\n  - name: dashboard\n    rules:\n"
        for (index, query) in try Self.dashboardQueries().enumerated() {
            let quoted = String(data: try JSONSerialization.data(withJSONObject: query, options: [.fragmentsAllowed]), encoding: .utf8) ?? ""
            file += "      - record: ampfix_dashboard_query_\(index)\n        expr: \(quoted)\n"
        }
        try work.write("queries.yml", file)
        let parsed = try Command.run(promtool, ["check", "rules", work.at("queries.yml")])
        #expect(parsed.status == 0, "\(parsed.stdout)\(parsed.stderr)")
        // A broken query is caught this way (the check can fail).
        try work.write("broken.yml", "groups:\n  - name: b\n    rules:\n      - record: b\n        expr: \"sum by (fault (ampfix_fault_present)\"\n")
        #expect(try Command.run(promtool, ["check", "rules", work.at("broken.yml")]).status != 0)
    }

    /// The NRPE command and the Icinga 2 CheckCommand run exactly a command line the sudo rule
    /// allows (sudo matches arguments exactly), and that command line is one the check accepts.
    @Test func theAgentsRunWhatTheSudoRuleAllows() throws {
        let sudoers = try String(contentsOfFile: Self.monitoring + "/sudoers.d/ampfix-check", encoding: .utf8)
        let alias = try #require(sudoers.split(separator: "\n").first { $0.hasPrefix("Cmnd_Alias AMPFIX_CHECK = ") })
        let allowed = Set(alias.dropFirst("Cmnd_Alias AMPFIX_CHECK = ".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(allowed.allSatisfy { $0.hasPrefix("/usr/sbin/ampfix check") })
        let nrpe = try String(contentsOfFile: Self.monitoring + "/nrpe/ampfix.cfg", encoding: .utf8)
        let command = try #require(nrpe.split(separator: "\n").first { $0.hasPrefix("command[check_ampfix]=") })
        let nrpeLine = String(command.dropFirst("command[check_ampfix]=".count))
        #expect(nrpeLine.hasPrefix("/usr/bin/sudo -n "))
        #expect(allowed.contains(String(nrpeLine.dropFirst("/usr/bin/sudo -n ".count))), "\(nrpeLine) against \(allowed)")
        let icinga = try String(contentsOfFile: Self.monitoring + "/icinga2/ampfix.conf", encoding: .utf8)
        let array = try #require(icinga.firstMatch(of: /command = \[ (.*) \]/)?.output.1)
        let words = array.split(separator: ", ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        #expect(Array(words.prefix(2)) == ["/usr/bin/sudo", "-n"])
        #expect(allowed.contains(words.dropFirst(2).joined(separator: " ")), "\(words) against \(allowed)")

        // The allowed command lines are ones the check takes (here on a sample root).
        let root = try SampleHost.build()
        for line in allowed {
            let arguments = Array(line.split(separator: " ").dropFirst().map(String.init))
            let run = try AmpfixBinary.run(arguments + ["--root", root.path])
            #expect([0, 1, 2].contains(run.status) && run.stdout.hasPrefix("AMPFIX "), "\(line): \(run.stdout)\(run.stderr)")
        }

        if let visudo = Programs.locate("visudo") {
            let checked = try Command.run(visudo, ["-c", "-f", Self.monitoring + "/sudoers.d/ampfix-check"])
            #expect(checked.status == 0, "visudo: \(checked.stdout)\(checked.stderr)")
        } else {
            print("skipped: visudo is not installed (the sudo package; scripts/deps.sh installs it): the sudo rule's syntax was not checked")
        }
    }
}
