import AmpfixCore
import AmpfixTestSupport
import Testing

/// The predictions before the connector is installed, from host facts alone.
@Suite struct PreflightPredictionTests {
    static let debian = "ID=debian\nVERSION_ID=12\n"

    static func host(userGroups: String?) -> MemoryFacts {
        var files = [KernelFacts.osReleasePaths[0]: Self.debian, AccountDatabase.passwdPath: "root:x:0:0:root:/root:/bin/bash\n",
                     AccountDatabase.groupPath: "root:x:0:\nusers:x:100:\n", AccountDatabase.shadowPath: "root:*:1::::::\n"]
        files[ScanUserFault.loginDefsPath] = userGroups.map { "UID_MIN 1000\nUSERGROUPS_ENAB \($0)\n" }
        var host = MemoryFacts(files: files)
        host.freeSpace = ["/": 40 << 30]
        return host
    }

    static func predict(_ host: MemoryFacts) -> [Prediction] {
        Preflight.predict(host, sources: .none, options: RepairOptions(kernelRelease: "6.1.0-18-amd64"), fanotify: nil)
    }

    @Test func theScanAccountIsPredictedOnlyWhereUseraddWouldGiveItNoGroup() {
        let without = Self.predict(Self.host(userGroups: "no")).first { $0.check == "5" }
        #expect(without?.outcome == .predicted)
        #expect(without?.blocks == false)
        #expect(without?.fixable == true)
        #expect(without?.prevention.contains { $0.contains("ampfix with-user-groups") } == true)
        let with = Self.predict(Self.host(userGroups: "yes")).first { $0.check == "5" }
        #expect(with?.outcome == .clear)
    }

    @Test func kernelModulesFaultsAreClearOnAnEBPFKernelAndTheReportCountsAsTheMainCommand() {
        let predictions = Self.predict(Self.host(userGroups: "yes"))
        #expect(predictions.first { $0.check == "8" }?.outcome == .clear)
        #expect(predictions.first { $0.check == "disk-space" }?.outcome == .clear)
        #expect(predictions.first { $0.check == "memory" } == nil, "an image's memory is not asked")
        let clear = PreflightReport(root: "/", kernel: "6.1.0-18-amd64", kernelRunning: false, connectorInstalled: false,
                                    predictions: predictions.filter { $0.outcome == .clear })
        #expect(clear.exitCode == 0 && !clear.blocking)
        let blocking = Prediction(check: "16", fault: .incompatibleKernel, outcome: .predicted, blocks: true, title: .verbatim("t"), evidence: [], prevention: [],
                                  fixable: false)
        let report = PreflightReport(root: "/", kernel: "6.1.0-18-amd64", kernelRunning: false, connectorInstalled: false, predictions: [blocking])
        #expect(report.exitCode == 1 && report.blocking)
        let metrics = PrometheusText.render(report, timing: .init(ended: 1, seconds: 1))
        #expect(metrics.contains("ampfix_kernel_ready{kernel=\"6.1.0-18-amd64\"} 0\n"))
        #expect(metrics.contains("ampfix_preflight_predicted{check=\"16\",kernel=\"6.1.0-18-amd64\",blocks=\"true\"} 1\n"))
        let unknown = Prediction(check: "11", fault: .kernelHeadersMissing, outcome: .unknown, blocks: true, title: .verbatim("t"), evidence: [],
                                 prevention: [], fixable: false)
        let notKnown = PreflightReport(root: "/", kernel: "r", kernelRunning: false, connectorInstalled: false, predictions: [unknown])
        #expect(notKnown.exitCode == 2)
        #expect(PrometheusText.render(notKnown, timing: .init(ended: 1, seconds: 1)).contains("ampfix_kernel_ready{kernel=\"r\"} 0\n"),
                "a blocking check that could not be told is not ready")
    }

    /// A release without a version number is no kernel of the modules' era.
    @Test func aReleaseWithoutVersionNumbersIsNotAModulesKernel() {
        for release in ["vmlinuz", "0", "4.9.0-old"] {
            let predictions = Preflight.predict(Self.host(userGroups: "yes"), sources: .none, options: RepairOptions(kernelRelease: release), fanotify: nil)
            let eight = predictions.first { $0.check == "8" }
            #expect(eight?.outcome == (release == "4.9.0-old" ? .unknown : .clear), "\(release): \(eight?.evidence ?? [])")
        }
    }
}
