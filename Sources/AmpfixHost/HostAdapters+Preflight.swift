import AmpfixCore
import AmpfixSystem

extension HostAdapters {
    /// `ampfix preflight`: the predictions for this root and the kernel `request` names (the
    /// running one by default), from the same checks as a diagnosis with the kernel's full
    /// evidence. Changes nothing and asks no connector.
    public func preflight(_ request: RunRequest) -> PreflightReport {
        var options = request.options
        options.kernelEvidence = .full
        let connector = ConnectorContext(runtime: NoConnectorRuntime(reason: .msg("preflight asks no connector")))
        let sources = sources(request.data, connector: connector)
        let live = fs.root == "/"
        let predictions = Preflight.predict(facts, sources: sources, options: options, fanotify: live ? ProcFanotifyUsers() : nil)
        let release = KernelContext(options: options).facts(facts).release
        return PreflightReport(root: fs.root, kernel: release, kernelRunning: release != nil && facts.runningKernel() == release,
                               connectorInstalled: Preflight.connectorInstalled(facts), predictions: predictions, language: request.language)
    }
}

extension HostAdapters {
    /// Keeps `report`'s predictions as its kernel's newest (PreflightRecord), under the root's
    /// run lock, written atomically; returns the file's place on the host, or nil when the report
    /// names no kernel or the root is read-only (a mounted image). An earlier record that is not
    /// one is started again.
    public func keep(_ report: PreflightReport) throws -> String? {
        guard !lock.isReadOnly, let entry = PreflightRecord.Entry(report, recorded: SystemClock.now().iso8601) else { return nil }
        let held = try lock.acquire(create: true)
        defer { withExtendedLifetime(held) {} }
        var record = (try? fs.readFile(PreflightRecord.path, limit: PreflightRecord.sizeLimit, follow: .never))
            .flatMap { $0.flatMap { try? PreflightRecord.parse($0).get() } } ?? PreflightRecord()
        record.keep(entry)
        let directory = String(PreflightRecord.path[..<PreflightRecord.path.lastIndex(of: "/")!])
        try fs.makeDirectories(directory, mode: 0o755)
        try fs.replaceFile(PreflightRecord.path, contents: Array((JSONText.pretty(record) + "\n").utf8), newFileMode: 0o644, fresh: true)
        return fs.hostPath(PreflightRecord.path)
    }
}
