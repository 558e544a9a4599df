/// Faults 8 and 9 on a kernel the connector ships no module for: the module is built from its
/// source with DKMS (which also rebuilds it for every later kernel), after the kernel's header
/// package, then loaded. DKMS is a command, as useradd is: ampfix plans it and reads its tree.
extension KernelModuleFault {
    func buildFinding(_ host: any HostFacts, facts: KernelFacts, release: String, secureBoot: SecureBoot, evidence: [String]) -> Finding {
        var finding = Finding(fault: id, status: .present, evidence: evidence)
        let shipped = "Boot a kernel the connector ships \(moduleName) for (see fault 16: ampfix --fault 16)"
        let (found, notes) = ModuleSource.find(moduleName, given: kernel.options.moduleSources, host: host)
        finding.evidence += notes
        guard let source = found else {
            finding.manualSteps = [
                "\(shipped), or build \(moduleName) for \(release) from its published source with DKMS: ampfix --fault \(id) --module-source DIR (see Building Cisco Secure Endpoint Linux Connector Kernel Modules).",
            ]
            return finding
        }
        finding.evidence.append("source of \(moduleName): \(source.description)")
        let state = DKMSState.read(host, module: source.module, version: source.version, kernel: release)
        finding.evidence.append("DKMS: \(source.module) \(source.version) is \(state.description(kernel: release))")
        guard let running = host.runningKernel() else {
            finding.manualSteps = [
                "A DKMS build runs the system's own compiler and make, so ampfix builds only on the live host: inside the image (chroot), run ampfix --fault \(id) --module-source \(source.directory).",
                shipped + ".",
            ]
            return finding
        }
        guard let dkms = ["/usr/sbin/dkms", "/usr/bin/dkms", "/sbin/dkms"].first(where: host.exists) else {
            finding.evidence.append("DKMS is not installed (no /usr/sbin/dkms)")
            finding.manualSteps = ["Install DKMS (apt-get install dkms; dnf install dkms, from EPEL; zypper install dkms), then run ampfix --fault \(id) again.", shipped + "."]
            return finding
        }
        if state.installed {
            finding.evidence.append("\(dkms) installed \(source.module) \(source.version) for \(release), yet the kernel's module index does not list it")
            finding.manualSteps = ["Rebuild the index (depmod \(release)), then run ampfix --fault \(id) again."]
            return finding
        }
        let build = "/lib/modules/\(release)/build"
        if !host.exists(build + "/Makefile") {
            let headers: Finding
            if let packages {
                headers = KernelHeadersFault(kernel: kernel, packages: packages).headersFinding(host, facts: facts, release: release, evidence: [])
            } else {
                headers = Finding(fault: id, status: .unknown, evidence: ["the package databases were not opened"])
            }
            finding.evidence.append("DKMS needs the headers of \(release), which are not at \(build): " + headers.evidence.joined(separator: "; "))
            guard !headers.repairs.isEmpty else {
                finding.manualSteps = headers.manualSteps + ["Then run ampfix --fault \(id) again to build \(moduleName) with DKMS.", shipped + "."]
                return finding
            }
            finding.repairs += headers.repairs
        }
        finding.repairs.append(.dkmsInstall(source, kernel: release, state: state))
        if source.conf?.autoinstall ?? true {
            finding.evidence.append("AUTOINSTALL: DKMS builds \(source.module) again for every kernel installed later")
        }
        if release != running {
            finding.manualSteps.append("\(release) is not the running kernel (\(running)): boot it, then run ampfix --fault \(id) to load \(moduleName).")
        } else if secureBoot == .enabled {
            finding.manualSteps.append("UEFI Secure Boot is on: the kernel loads the build only once DKMS's signing key is enrolled: mokutil --import /var/lib/dkms/mok.pub, reboot, confirm the key on the console (MOK manager), then run ampfix --fault \(id).")
        } else {
            finding.repairs.append(.loadKernelModule(name: moduleName, kernel: release, built: true))
        }
        return finding
    }
}
