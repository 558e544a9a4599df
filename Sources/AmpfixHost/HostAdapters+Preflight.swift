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
