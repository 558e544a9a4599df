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
        chinese: FaultTexts(
            title: "实时文件系统监控启动失败",
            condition: "策略启用了监控文件复制和移动，但所需的 ampfsm 内核模块无法加载。该故障存在期间文件系统监控不可用。",
            resolution: [
                "如果启用了 UEFI 安全启动，请将其关闭（该模块未为其签名）。",
                "否则该模块可能与当前内核不匹配或与其他模块冲突：查看 /var/log/messages（或系统日志）。",
                "如果内核不受支持，请启动受支持的内核，或为当前内核编译 ampfsm。",
            ],
            automaticRepairs: ["通过 libkmod 加载 ampfsm 内核模块（仅限运行中的主机）", "若内核没有该模块，则用 DKMS 从源代码编译 ampfsm（dkms add、build、install；由 DKMS 为安全启动签名），然后加载（仅限运行中的主机）"]
        ),
        check: { KernelModuleFault.filesystemMonitor(kernel: $0.kernel, modules: $0.sources.kernelModules, packages: $0.sources.packages) }
    )
}
