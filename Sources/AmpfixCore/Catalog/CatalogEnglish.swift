extension FaultCatalog {
    static func english(_ id: FaultID) -> CatalogEntry {
        switch id {
        case .scanUserUnavailable:
            return CatalogEntry(
                id: id,
                title: "Scan service user unavailable",
                condition: "The connector could not create or use the unprivileged account cisco-amp-scan-svc for its file scanner, so it scans files as root instead. That works, but it is not the intended design and must be fixed.",
                resolution: [
                    "If the cisco-amp-scan-svc user or group was removed or altered, re-create them (reinstalling the connector does this); /var/log/cisco/ampdaemon.log says what failed.",
                    "If USERGROUPS_ENAB is 'no' in /etc/login.defs, set it to 'yes' while the installer creates the account, then put it back.",
                    "If /opt/cisco or a directory below it lost its permissions, set them back to 0755 owned by root, keep other software from changing them, and restart the connector.",
                ],
                automaticRepairs: [
                    "restore /opt/cisco directories to mode 0755 owned by root, through directory descriptors",
                    "create the cisco-amp-scan-svc user and its group with the system's useradd/groupadd, without editing login.defs",
                ]
            )
        case .scanServiceRestarting:
            return CatalogEntry(
                id: id,
                title: "Scan service restarting frequently",
                condition: "The file scanner keeps failing and the connector keeps restarting it. Scanning continues on a best-effort basis.",
                resolution: [
                    "Some file on the host may crash the scanner. Restart the connector and wait ten minutes; if the fault does not clear by itself, investigate.",
                    "Read /var/log/cisco/ampdaemon.log and /var/log/cisco/ampscansvc.log for the failing scans.",
                ],
                automaticRepairs: ["restart the connector once (systemctl restart cisco-amp; live host under systemd only)"]
            )
        case .scanServiceFailedToStart:
            return CatalogEntry(
                id: id,
                title: "Scan service failed to start",
                condition: "The file scanner did not start and the connector restarted to recover. No files are scanned while this fault is raised.",
                resolution: [
                    "A newly installed virus definition (.cvd) file may be broken; the connector drops invalid .cvd files when it restarts. If the fault survives a restart, or returns with every definition update, contact support.",
                    "Check free memory: the scanner may not start on a host that is short of it (see the connector's system requirements).",
                    "Read /var/log/cisco/ampdaemon.log and /var/log/cisco/ampscansvc.log.",
                ],
                automaticRepairs: ["move broken ClamAV definition files to ampfix's quarantine (never deleted; undo moves them back)", "then restart the connector once (live host under systemd only)"]
            )
        case .filesystemMonitor:
            return CatalogEntry(
                id: id,
                title: "Realtime filesystem monitor failed to start",
                condition: "The ampfsm kernel module, needed when the policy monitors file copies and moves, could not be loaded. Filesystem monitoring is off while this fault is raised.",
                resolution: [
                    "If UEFI Secure Boot is on, turn it off (the module is not signed for it).",
                    "Otherwise the module may not fit this kernel or may clash with another module: look in /var/log/messages (or the journal).",
                    "On an unsupported kernel, boot a supported one or build ampfsm for the running kernel.",
                ],
                automaticRepairs: ["load the ampfsm kernel module through libkmod (live host only)"]
            )
        case .networkMonitor:
            return CatalogEntry(
                id: id,
                title: "Realtime network monitor failed to start",
                condition: "The ampnetworkflow kernel module, needed when the policy correlates device flows, could not be loaded. Network monitoring is off while this fault is raised.",
                resolution: [
                    "If UEFI Secure Boot is on, turn it off (the module is not signed for it).",
                    "Otherwise the module may not fit this kernel or may clash with another module: look in /var/log/messages (or the journal).",
                    "On an unsupported kernel, boot a supported one or build ampnetworkflow for the running kernel.",
                ],
                automaticRepairs: ["load the ampnetworkflow kernel module through libkmod (live host only)"]
            )
        case .kernelHeadersMissing:
            return CatalogEntry(
                id: id,
                title: "Kernel headers package missing",
                condition: "The running kernel has no BTF type information (CONFIG_DEBUG_INFO_BTF) and the header package for it is not installed, so filesystem and network events are monitored in a degraded mode.",
                resolution: [
                    "Preferably, upgrade to a kernel with BTF and restart the connector.",
                    "Otherwise install the header package of the running kernel: kernel-devel (RHEL family), kernel-uek-devel (Oracle Linux UEK), linux-headers (Debian, Ubuntu) or kernel-default-devel (SUSE).",
                ],
                automaticRepairs: ["install the header package of the running kernel with the package manager (live host, outside package transactions)"]
            )
        case .incompatibleKernel:
            return CatalogEntry(
                id: id,
                title: "Incompatible kernel",
                condition: "The running kernel is not supported by this connector version while file or network monitoring is enabled in its policy.",
                resolution: [
                    "Boot a kernel version the connector supports, or upgrade the connector to a version that supports this kernel (see the Linux system requirements).",
                ],
                automaticRepairs: []
            )
        case .eventMonitoringOverloaded:
            return CatalogEntry(
                id: id,
                title: "Event monitoring overloaded",
                condition: "The host produces more system events than the connector can follow; it watches only a reduced set of critical events until activity drops.",
                resolution: [
                    "If a trusted, benign application causes the load, add it to a process exclusion set.",
                    "If no benign process explains the load, investigate for malicious activity.",
                    "Short bursts clear by themselves; if the fault returns often with no culprit found, give the host more capacity.",
                ],
                automaticRepairs: []
            )
        case .selinuxPolicyMissing:
            return CatalogEntry(
                id: id,
                title: "SELinux policy module missing or disabled",
                condition: "SELinux is enforcing and the policy does not let unconfined_service_t use bpf (map_create map_read map_write prog_load prog_run), because the connector's cisco-secure-bpf module is missing, failed to load, or is disabled.",
                resolution: [
                    "Make sure the policycoreutils-python tools are installed.",
                    "Reinstall or upgrade the connector so that it installs cisco-secure-bpf, or install and enable the module by hand (semodule -i, semodule -e).",
                ],
                automaticRepairs: ["install or enable the cisco-secure-bpf module through libsemanage"]
            )
        }
    }
}
