import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// Faults 11 and 16 through the binary, on fixture roots and (read-only) on this machine.
@Suite struct KernelHeadersTests {
    static let table = PackageLayout.root + "/data/kernel-support.tsv"

    func report(_ result: CommandResult) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    func fixture(os: String, kernel: String) throws -> TempRoot {
        let root = TempRoot("kernel")
        try root.write("etc/os-release", os)
        try root.makeDirectory("lib/modules/\(kernel)/kernel")
        return root
    }

    func fault(_ root: TempRoot, _ id: Int, _ extra: [String] = []) throws -> FaultReport {
        let result = try AmpfixBinary.run(["--root", root.path, "--fault", String(id), "--json", "--kernel-support", Self.table] + extra)
        return try report(result).faults[0]
    }

    @Test func btfInTheBootConfigMeansNoHeadersAreNeeded() throws {
        let root = try fixture(os: "ID=debian\n", kernel: "6.1.0-18-amd64")
        #expect(try fault(root, 11).status == .present)
        try root.write("boot/config-6.1.0-18-amd64", "CONFIG_BPF=y\nCONFIG_DEBUG_INFO_BTF=y\n")
        let ok = try fault(root, 11)
        #expect(ok.status == .ok)
        #expect(ok.evidence.contains("BTF: CONFIG_DEBUG_INFO_BTF=y in /boot/config-6.1.0-18-amd64, so the connector needs no headers"))
    }

    @Test func headersOnDiskAreFoundThroughTheBuildLink() throws {
        let root = try fixture(os: "ID=debian\n", kernel: "6.1.0-18-amd64")
        try root.write("usr/src/linux-headers-6.1.0-18-amd64/Makefile", "# headers\n")
        root.symlink("lib/modules/6.1.0-18-amd64/build", to: "/usr/src/linux-headers-6.1.0-18-amd64")
        let found = try fault(root, 11)
        #expect(found.status == .ok)
        #expect(found.evidence.contains("the headers of 6.1.0-18-amd64 are on disk at /lib/modules/6.1.0-18-amd64/build"))
    }

    @Test func anRPMRootAnswersFromItsDatabase() throws {
        let root = try fixture(os: "ID=\"rhel\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"9.3\"\n", kernel: "5.14.0-362.8.1.el9_3.x86_64")
        try RPMFixture.install([.init("kernel-devel", "5.14.0", "70.13.1.el9_0"), .init("kernel-core", "5.14.0", "70.13.1.el9_0")], into: root.path)
        let missing = try fault(root, 11)
        #expect(missing.status == .present)
        #expect(missing.evidence.contains("kernel-devel is installed only as 5.14.0-70.13.1.el9_0.x86_64; librpm cannot see repositories, so the candidate is not known"))
        #expect(missing.manualSteps.first?.hasSuffix("install -y kernel-devel-5.14.0-362.8.1.el9_3.x86_64") == true)
        // The same root asked about the installed kernel instead.
        let other = try fault(root, 11, ["--kernel", "5.14.0-70.13.1.el9_0.x86_64"])
        #expect(other.status == .ok)
        #expect(other.evidence.contains("kernel-devel is installed (rpm: 5.14.0-70.13.1.el9_0.x86_64)"))
    }

    @Test func anUnsupportedKernelNamesTheInstalledSupportedOne() throws {
        let root = try fixture(os: "ID=\"rhel\"\n", kernel: "6.14.0-1.el10.x86_64")
        try RPMFixture.install([.init("kernel-core", "6.14.0", "1.el10"), .init("kernel-core", "5.14.0", "362.8.1.el9_3")], into: root.path)
        // No kernel configuration in the root: the table decides, with rows from a real source
        // (the shipped eBPF rows are placeholders, which decide nothing alone).
        try root.write("table.tsv", "rhel ebpf 4.18 6.12 release-notes\nrhel kmod 3.10 4.14 jprobes\n")
        let table = ["--kernel-support", root.at("table.tsv")]
        let result = try fault(root, 16, table)
        #expect(result.status == .present)
        #expect(result.evidence.contains("installed kernels (rpm): 6.14.0-1.el10.x86_64, 5.14.0-362.8.1.el9_3.x86_64"))
        #expect(result.manualSteps.first?.contains("grubby --set-default /boot/vmlinuz-5.14.0-362.8.1.el9_3.x86_64") == true)
        #expect(try self.fault(root, 16, ["--kernel", "5.14.0-362.8.1.el9_3.x86_64"] + table).status == .ok)
        #expect(try self.fault(root, 16).status == .unknown, "the shipped placeholders alone decide nothing")
    }

    /// The shipped table keeps the one bound public sources fix: jprobes, which the published
    /// ampfsm/ampnetworkflow sources need, left Linux in 4.15.
    @Test func theShippedTableEndsEveryKmodRowBefore4_15() throws {
        let table = try KernelSupportTable(path: Self.table, text: String(contentsOfFile: Self.table, encoding: .utf8))
        let kmod = table.rows.filter { $0.path == "kmod" }
        #expect(!kmod.isEmpty)
        #expect(kmod.allSatisfy { KernelVersion.compare([4, 15], toBound: $0.maximum) > 0 }, "\(kmod)")
        #expect(table.paths(for: "4.18.0-513.el8.x86_64", family: .rhel).map(\.path) == ["ebpf"], "RHEL 8's 4.18 has no jprobes")
        #expect(table.paths(for: "3.10.0-1160.el7.x86_64", family: .rhel).map(\.path) == ["kmod"])
    }

    @Test func aCompressedKernelConfigIsRead() throws {
        let root = TempRoot("configgz")
        try root.write("proc/config", "CONFIG_DEBUG_INFO_BTF=y\n")
        _ = try Command.run("/bin/gzip", [root.at("proc/config")])
        let facts = HostFiles(fs: try RootedFileSystem(root: root.path))
        #expect(try facts.readCompressedText("/proc/config.gz") == "CONFIG_DEBUG_INFO_BTF=y\n")
        #expect(try facts.readCompressedText("/proc/absent.gz") == nil)
    }

    @Test func aHeldPackageLockIsSeen() throws {
        let root = TempRoot("locks")
        let lock = root.at("lock")
        try root.write("lock", "")
        #expect(PackageLocks.holder(of: lock) == nil)
        // dpkg and rpm take fcntl write locks; hold one from another process.
        let holder = try Command.start("/usr/bin/python3", ["-c", "import fcntl,sys,time; f=open(sys.argv[1],'w'); fcntl.lockf(f, fcntl.LOCK_EX); open(sys.argv[2],'w').close(); time.sleep(30)", lock, root.at("held")])
        defer { kill(holder.pid, SIGKILL); _ = holder.wait() }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: root.at("held")) && Date() < deadline { usleep(20_000) }
        #expect(PackageLocks.holder(of: lock) == holder.pid)

        // --package-lock-wait: told once who holds it; still held when the time is up.
        var told: [String] = []
        let held = PackageLocks.waitUntilFree([root.at("absent"), lock], limit: .milliseconds(300), interval: .milliseconds(50)) { told.append($0.description) }
        #expect(held?.lock == lock && held?.holder == holder.pid)
        #expect(told == ["waiting for the package transaction of pid \(holder.pid) to end (lock \(lock)), at most 0 s"], "\(told)")
    }

    @Test func aWaitForThePackageLockEndsWhenTheTransactionDoes() throws {
        let root = TempRoot("lockwait")
        let lock = root.at("lock")
        try root.write("lock", "")
        let holder = try Command.start("/usr/bin/python3", ["-c", "import fcntl,sys,time; f=open(sys.argv[1],'w'); fcntl.lockf(f, fcntl.LOCK_EX); open(sys.argv[2],'w').close(); time.sleep(1)", lock, root.at("held")])
        defer { kill(holder.pid, SIGKILL); _ = holder.wait() }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: root.at("held")) && Date() < deadline { usleep(20_000) }
        let started = Date()
        #expect(PackageLocks.waitUntilFree([lock], limit: .seconds(20), interval: .milliseconds(50)) == nil)
        let waited = Date().timeIntervalSince(started)
        #expect(waited > 0.3 && waited < 15, "waited \(waited) s: until the holder ended, not the limit")
    }

    @Test func insideAMaintainerScriptNothingIsInstalled() throws {
        // A fixture root, not this machine: the transaction is what blocks, whatever the root.
        let root = TempRoot("maintscript")
        try root.write("etc/os-release", "ID=debian\n")
        let result = try AmpfixBinary.run(["--root", root.path, "--fault", "11", "--dry-run", "--json", "--kernel", "1.2.3-ampfix-test"], environment: ["DPKG_MAINTSCRIPT_NAME": "postinst"])
        let fault = try report(result).faults[0]
        #expect(fault.actions.isEmpty)
        #expect(fault.evidence.contains { $0.hasPrefix("not installing now: ampfix runs inside a dpkg maintainer script (DPKG_MAINTSCRIPT_NAME=postinst)") }, "\(fault.evidence)")
    }
}

/// Faults 8 and 9 through the binary on depmod-indexed fixture roots.
@Suite struct KernelModuleCommandTests {
    @Test func aModuleInTheIndexIsOkUnderRootAndAMissingOneIsExplained() throws {
        let root = TempRoot("modules")
        try root.write("etc/os-release", "ID=debian\n")
        try root.makeDirectory("opt/cisco/amp")
        try KernelModuleFixture.install("ampfsm", kernel: "6.1.0-18-amd64", into: root.path)
        let result = try AmpfixBinary.run(["--root", root.path, "--fault", "8", "--fault", "9", "--json", "--dry-run"])
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        let fsm = try #require(report.faults.first { $0.id == 8 })
        let net = try #require(report.faults.first { $0.id == 9 })
        #expect(fsm.status == .ok)
        #expect(fsm.evidence.contains("ampfsm for 6.1.0-18-amd64: /lib/modules/6.1.0-18-amd64/extra/ampfsm.ko, not signed, vermagic '6.1.0-18-amd64 SMP mod_unload '"))
        #expect(fsm.evidence.contains { $0.hasPrefix("whether ampfsm loads is not checked: no kernel runs the tree under --root") })
        #expect(net.status == .present)
        #expect(net.actions.isEmpty)
        #expect(result.status == 1)
    }
}
