extension FaultCatalog {
    static func chinese(_ id: FaultID) -> CatalogEntry {
        switch id {
        case .scanUserUnavailable:
            return CatalogEntry(
                id: id,
                title: "扫描服务用户不可用",
                condition: "连接器无法创建或使用非特权账户 cisco-amp-scan-svc 来运行文件扫描程序，因此改用 root 扫描文件。这样虽然可以工作，但不符合设计，必须修复。",
                resolution: [
                    "如果 cisco-amp-scan-svc 用户或组被删除或修改，请重新创建它们（重新安装连接器即可）；失败原因见 /var/log/cisco/ampdaemon.log。",
                    "如果 /etc/login.defs 中 USERGROUPS_ENAB 为 no，请在安装程序创建账户期间将其临时改为 yes，之后再改回。",
                    "如果 /opt/cisco 或其下目录的权限被改动，请恢复为 0755、属主 root，防止其他软件再次修改，然后重启连接器。",
                ],
                automaticRepairs: [
                    "通过目录描述符将 /opt/cisco 下的目录恢复为 0755、属主 root",
                    "使用系统的 useradd/groupadd 创建 cisco-amp-scan-svc 用户及其组，不修改 login.defs",
                ]
            )
        case .scanServiceRestarting:
            return CatalogEntry(
                id: id,
                title: "扫描服务频繁重启",
                condition: "文件扫描程序反复失败，连接器不断重启它。扫描仍会尽力进行。",
                resolution: [
                    "主机上的某个文件可能导致扫描程序崩溃。重启连接器并等待十分钟；如果故障没有自行清除，需要进一步调查。",
                    "查看 /var/log/cisco/ampdaemon.log 和 /var/log/cisco/ampscansvc.log 中失败的扫描。",
                ],
                automaticRepairs: ["重启连接器一次（systemctl restart cisco-amp；仅限由 systemd 管理的运行中主机）"]
            )
        case .scanServiceFailedToStart:
            return CatalogEntry(
                id: id,
                title: "扫描服务启动失败",
                condition: "文件扫描程序未能启动，连接器已重启以尝试恢复。该故障存在期间不会扫描任何文件。",
                resolution: [
                    "新安装的病毒定义文件（.cvd）可能已损坏；连接器重启时会删除无效的 .cvd 文件。如果重启后故障仍在，或每次定义更新后都会出现，请联系技术支持。",
                    "检查可用内存：内存不足时扫描程序可能无法启动（参见连接器的系统要求）。",
                    "查看 /var/log/cisco/ampdaemon.log 和 /var/log/cisco/ampscansvc.log。",
                ],
                automaticRepairs: ["将损坏的 ClamAV 病毒定义文件移入 ampfix 的隔离目录（从不删除；撤销时移回原处）", "随后重启连接器一次（仅限由 systemd 管理的运行中主机）"]
            )
        case .filesystemMonitor:
            return CatalogEntry(
                id: id,
                title: "实时文件系统监控启动失败",
                condition: "策略启用了监控文件复制和移动，但所需的 ampfsm 内核模块无法加载。该故障存在期间文件系统监控不可用。",
                resolution: [
                    "如果启用了 UEFI 安全启动，请将其关闭（该模块未为其签名）。",
                    "否则该模块可能与当前内核不匹配或与其他模块冲突：查看 /var/log/messages（或系统日志）。",
                    "如果内核不受支持，请启动受支持的内核，或为当前内核编译 ampfsm。",
                ],
                automaticRepairs: ["通过 libkmod 加载 ampfsm 内核模块（仅限运行中的主机）"]
            )
        case .networkMonitor:
            return CatalogEntry(
                id: id,
                title: "实时网络监控启动失败",
                condition: "策略启用了设备流关联，但所需的 ampnetworkflow 内核模块无法加载。该故障存在期间网络监控不可用。",
                resolution: [
                    "如果启用了 UEFI 安全启动，请将其关闭（该模块未为其签名）。",
                    "否则该模块可能与当前内核不匹配或与其他模块冲突：查看 /var/log/messages（或系统日志）。",
                    "如果内核不受支持，请启动受支持的内核，或为当前内核编译 ampnetworkflow。",
                ],
                automaticRepairs: ["通过 libkmod 加载 ampnetworkflow 内核模块（仅限运行中的主机）"]
            )
        case .kernelHeadersMissing:
            return CatalogEntry(
                id: id,
                title: "缺少内核头文件软件包",
                condition: "当前内核没有 BTF 类型信息（CONFIG_DEBUG_INFO_BTF），也没有安装对应的头文件软件包，因此文件系统和网络事件只能以降级模式监控。",
                resolution: [
                    "首选方案：升级到带 BTF 的内核并重启连接器。",
                    "否则安装当前内核的头文件软件包：kernel-devel（RHEL 系列）、kernel-uek-devel（Oracle Linux UEK）、linux-headers（Debian、Ubuntu）或 kernel-default-devel（SUSE）。",
                ],
                automaticRepairs: ["使用包管理器安装当前内核的头文件软件包（仅限运行中的主机，且不在软件包事务中）"]
            )
        case .incompatibleKernel:
            return CatalogEntry(
                id: id,
                title: "内核不兼容",
                condition: "策略启用了文件或网络监控，但当前连接器版本不支持正在运行的内核。",
                resolution: [
                    "启动连接器支持的内核版本，或将连接器升级到支持该内核的版本（参见 Linux 系统要求）。",
                ],
                automaticRepairs: []
            )
        case .eventMonitoringOverloaded:
            return CatalogEntry(
                id: id,
                title: "事件监控过载",
                condition: "主机产生的系统事件超出了连接器的处理能力；在活动减少之前，它只监控一小部分关键事件。",
                resolution: [
                    "如果负载来自可信的正常应用程序，请将其加入进程排除集。",
                    "如果没有正常进程能解释该负载，请调查是否存在恶意活动。",
                    "短时的高负载会自行消除；如果故障频繁出现且找不到原因，请为主机增加资源。",
                ],
                automaticRepairs: []
            )
        case .selinuxPolicyMissing:
            return CatalogEntry(
                id: id,
                title: "SELinux 策略模块缺失或被禁用",
                condition: "SELinux 处于强制模式，而策略不允许 unconfined_service_t 使用 bpf（map_create map_read map_write prog_load prog_run），因为连接器的 cisco-secure-bpf 模块缺失、加载失败或被禁用。",
                resolution: [
                    "确认已安装 policycoreutils-python 工具。",
                    "重新安装或升级连接器以安装 cisco-secure-bpf，或手动安装并启用该模块（semodule -i、semodule -e）。",
                ],
                automaticRepairs: ["通过 libsemanage 安装或启用 cisco-secure-bpf 模块"]
            )
        }
    }
}
