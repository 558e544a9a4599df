/// Fault 8: the connector could not load the filesystem monitor module ampfsm. Its check is `KernelModuleFault`
/// (KernelModuleFault.swift), which faults 8 and 9 share.
extension FaultID {
    public static let filesystemMonitor = FaultID(declaring: 8)
}

extension FaultDefinition {
    /// Fault 8 as ampfix knows it: its texts (ampfix's own summaries of the connector's
    /// documentation, English and Simplified Chinese), whether ampfix repairs it, its check.
    public static let filesystemMonitor = FaultDefinition(
        id: .filesystemMonitor,
        journalMessageID: "c922360a43894326b71e5f20e2371019",
        repairs: true,
        english: FaultTexts(
            title: "Realtime filesystem monitor failed to start",
            condition: "The ampfsm kernel module, needed when the policy monitors file copies and moves, could not be loaded. Filesystem monitoring is off while this fault is raised.",
            resolution: [
                "If UEFI Secure Boot is on, turn it off (the module is not signed for it).",
                "Otherwise the module may not fit this kernel or may clash with another module: look in /var/log/messages (or the journal).",
                "On an unsupported kernel, boot a supported one or build ampfsm for the running kernel.",
            ],
            automaticRepairs: ["load the ampfsm kernel module through libkmod (live host only)", "where the kernel has none, build ampfsm from its source with DKMS (dkms add, build, install; signed for Secure Boot by DKMS), then load it (live host only)"]
        ),
        check: { KernelModuleFault.filesystemMonitor(kernel: $0.kernel, modules: $0.sources.kernelModules, packages: $0.sources.packages) }
    )
}
