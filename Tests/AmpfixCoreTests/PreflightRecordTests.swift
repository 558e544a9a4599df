import AmpfixCore
import AmpfixTestSupport
import Testing

/// The kept predictions and their comparison with what the connector raises.
@Suite struct PreflightRecordTests {
    static func prediction(_ check: String, _ fault: FaultID?, _ outcome: Prediction.Outcome) -> Prediction {
        Prediction(check: check, fault: fault, outcome: outcome, blocks: false, title: .verbatim(check), evidence: [], prevention: [], fixable: false)
    }

    static func report(kernel: String?, _ predictions: [Prediction]) -> PreflightReport {
        PreflightReport(root: "/", kernel: kernel, kernelRunning: false, connectorInstalled: false, predictions: predictions)
    }

    static func connector(_ raised: [Int], reading: ConnectorReport.Reading = .read, disagrees: Bool? = nil) -> ConnectorReport {
        ConnectorReport(reading: reading, reason: nil, version: "1.26.0", raised: raised.map { ConnectorReport.Raised(id: $0) }, faultListDisagrees: disagrees)
    }

    @Test func aFaultOfSeveralChecksIsPredictedWhenAnyIsAndUnknownBeforeClear() throws {
        let entry = try #require(PreflightRecord.Entry(Self.report(kernel: "6.1.0-28-amd64", [
            Self.prediction("disk-space", .scanServiceFailedToStart, .clear), Self.prediction("memory", .scanServiceFailedToStart, .predicted),
            Self.prediction("19", .selinuxPolicyMissing, .unknown), Self.prediction("policycoreutils", .selinuxPolicyMissing, .clear),
            Self.prediction("11", .kernelHeadersMissing, .clear), Self.prediction("fanotify", nil, .predicted),
        ]), recorded: "2026-12-05T07:00:00Z"))
        #expect(entry.predicted == [7])
        #expect(entry.unknown == [19])
        #expect(entry.clear == [11])
        #expect(entry.outcome(16) == nil, "not checked")
        #expect(PreflightRecord.Entry(Self.report(kernel: nil, []), recorded: "x") == nil, "no kernel, nothing to keep")
    }

    @Test func eachKernelKeepsItsNewestPredictionsAndTheOldestKernelsGo() throws {
        var record = PreflightRecord()
        for n in 0..<(PreflightRecord.keptKernels + 3) {
            record.keep(.init(kernel: "6.1.0-\(n)-amd64", recorded: "t\(n)", predicted: [], clear: [16], unknown: []))
        }
        record.keep(.init(kernel: "6.1.0-5-amd64", recorded: "again", predicted: [16], clear: [], unknown: []))
        #expect(record.kernels.count == PreflightRecord.keptKernels)
        #expect(record.kernels.first?.recorded == "again" && record.kernels.filter { $0.kernel == "6.1.0-5-amd64" }.count == 1)
        #expect(record.entry(for: "6.1.0-0-amd64") == nil, "the oldest went")
        #expect(record.entry(for: "6.1.0-18-amd64")?.clear == [16])
        #expect(record.entry(for: nil) == nil, "a kernel that is not known has no predictions, not the newest")

        let bytes = Array(JSONText.pretty(record).utf8)
        #expect(try PreflightRecord.parse(bytes).get() == record)
    }

    @Test func whatIsNoRecordSaysWhy() {
        func reason(_ text: String) -> String? {
            if case .failure(let invalid) = PreflightRecord.parse(Array(text.utf8)) { return invalid.reason.description }
            return nil
        }
        #expect(reason("{\"schema\":\"ampfix.preflight-record/9\",\"kernels\":[]}")?.contains("schema ampfix.preflight-record/9") == true)
        #expect(reason("not json")?.contains("not a preflight record") == true)
        #expect(reason(String(repeating: " ", count: PreflightRecord.sizeLimit + 1))?.contains("larger than") == true)
        #expect(reason("{\"schema\":\"ampfix.preflight-record/1\",\"kernels\":[]}") == nil)
        // Only the connector's faults, each once: a planted record fills no report or metrics.
        func record(predicted: String, kernel: String = "k") -> String {
            "{\"schema\":\"ampfix.preflight-record/1\",\"kernels\":[{\"kernel\":\"\(kernel)\",\"recorded\":\"r\",\"ampfix\":\"0\",\"predicted\":[\(predicted)],\"clear\":[],\"unknown\":[16]}]}"
        }
        #expect(reason(record(predicted: "5, 19")) == nil)
        #expect(reason(record(predicted: "-9223372036854775808"))?.contains("names other than the connector's faults") == true)
        #expect(reason(record(predicted: "10"))?.contains("names other than the connector's faults") == true)
        #expect(reason(record(predicted: "5, 5"))?.contains("or one twice") == true)
        #expect(reason(record(predicted: "16"))?.contains("or one twice") == true, "16 both predicted and unknown")
        #expect(reason(record(predicted: Array(repeating: "5", count: 150_000).joined(separator: ",")))?.contains("faults") == true)
        #expect(reason(record(predicted: "5", kernel: String(repeating: "6", count: 300)))?.contains("longer than 256 bytes") == true)
        #expect(reason(record(predicted: "5", kernel: ""))?.contains("empty") == true)
    }

    @Test func theComparisonNamesWhatAgreedAndWhatDidNot() throws {
        let record = PreflightRecord(kernels: [.init(kernel: "6.1.0-28-amd64", recorded: "2026-12-05T07:00:00Z", predicted: [11, 19], clear: [5, 16], unknown: [7])])
        let comparison = try #require(PreflightComparison(record: record, kernel: "6.1.0-28-amd64", connector: Self.connector([11, 16, 18])))
        #expect(comparison.faults(.predictedRaised) == [11])
        #expect(comparison.faults(.predictedNotRaised) == [19])
        #expect(comparison.faults(.raisedNotPredicted) == [16, 18])
        #expect(comparison.faults(.neither) == [5, 7])
        #expect(comparison.entries.first { $0.fault == 18 }?.prediction == nil, "18 was not checked")
        #expect(comparison.entries.first { $0.fault == 16 }?.prediction == .clear)
        #expect(comparison.complete)
        #expect(PreflightComparison(record: record, kernel: "6.1.0-28-amd64", connector: Self.connector([], disagrees: true))?.complete == false)

        #expect(PreflightComparison(record: record, kernel: "6.1.0-29-amd64", connector: Self.connector([11])) == nil, "another kernel's predictions")
        #expect(PreflightComparison(record: record, kernel: "6.1.0-28-amd64", connector: Self.connector([11], reading: .failed)) == nil, "no status")
        #expect(PreflightComparison(record: nil, kernel: nil, connector: Self.connector([11])) == nil)
    }

    @Test func textAndMetricsSayIt() throws {
        let record = PreflightRecord(kernels: [.init(kernel: "6.1.0-28-amd64", recorded: "2026-12-05T07:00:00Z", predicted: [11, 19], clear: [16], unknown: [])])
        var report = Report(mode: .diagnose, root: "/", language: .en, recovered: [], faults: [], exitCode: 0)
        report.preflight = PreflightComparison(record: record, kernel: "6.1.0-28-amd64", connector: Self.connector([11, 16]))
        let text = TextRenderer().render(report)
        #expect(text.contains("preflight of 2026-12-05T07:00:00Z for kernel 6.1.0-28-amd64: predicted and raised: 11; predicted, not raised: 19; raised, not predicted: 16"), "\(text)")
        let metrics = PrometheusText.render(report, timing: .init(ended: 0, seconds: 0))
        #expect(metrics.contains("ampfix_preflight_agreement{fault=\"16\",agreement=\"raised-not-predicted\"} 1"), "\(metrics)")
        #expect(metrics.contains("ampfix_preflight_agreement{fault=\"16\",agreement=\"neither\"} 0"))

        report.preflight = PreflightComparison(record: record, kernel: "6.1.0-28-amd64", connector: Self.connector([], disagrees: true))
        #expect(TextRenderer().render(report).contains("the connector counts faults it does not name"))
        report.preflight = PreflightComparison(record: PreflightRecord(kernels: [.init(kernel: "k", recorded: "r", predicted: [], clear: [16], unknown: [])]),
                                               kernel: "k", connector: Self.connector([]))
        #expect(TextRenderer().render(report).contains("preflight of r for kernel k: nothing predicted, nothing raised"))
        report.preflight = nil
        #expect(!PrometheusText.render(report, timing: .init(ended: 0, seconds: 0)).contains("ampfix_preflight_agreement"))
    }
}
