/// Fault 9: the connector could not load the network monitor module ampnetworkflow. Its check is `KernelModuleFault`
/// (KernelModuleFault.swift), which faults 8 and 9 share.
extension FaultID {
    public static let networkMonitor = FaultID(declaring: 9)
}

extension FaultDefinition {
    /// Fault 9 as ampfix knows it: its texts (ampfix's own summaries of the connector's
    /// documentation, English and Simplified Chinese), whether ampfix repairs it, its check.
    public static let networkMonitor = FaultDefinition(
        id: .networkMonitor,
        journalMessageID: "42308bcbe3454f888c3475ee02e3b147",
        repairs: true,
        english: FaultTexts(
            title: "Realtime network monitor failed to start",
            condition: "The ampnetworkflow kernel module, needed when the policy correlates device flows, could not be loaded. Network monitoring is off while this fault is raised.",
            resolution: [
                "If UEFI Secure Boot is on, turn it off (the module is not signed for it).",
                "Otherwise the module may not fit this kernel or may clash with another module: look in /var/log/messages (or the journal).",
                "On an unsupported kernel, boot a supported one or build ampnetworkflow for the running kernel.",
            ],
            automaticRepairs: ["load the ampnetworkflow kernel module through libkmod (live host only)", "where the kernel has none, build ampnetworkflow from its source with DKMS (dkms add, build, install; signed for Secure Boot by DKMS), then load it (live host only)"]
        ),
        check: { KernelModuleFault.networkMonitor(kernel: $0.kernel, modules: $0.sources.kernelModules, packages: $0.sources.packages) }
    )
}
