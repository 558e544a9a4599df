import AmpfixCore
import AmpfixTestSupport
import Foundation
import Testing

/// The connector hook never breaks a package transaction; the deb and rpm carry what ampfix needs.
@Suite struct PackagingTests {
    static let hook = PackageLayout.root + "/packaging/hooks/ampfix-connector-hook"

    func runHook(_ arguments: [String], ampfix: String, log: String) throws -> CommandResult {
        try Command.run("/bin/sh", [Self.hook] + arguments, environment: [
            "AMPFIX": ampfix, "AMPFIX_HOOK_LOG": log, "DPKG_MAINTSCRIPT_NAME": "postinst",
        ])
    }

    @Test func theHookRepairsTheSampleAndExitsZero() throws {
        let sample = try SampleHost.build()
        let log = sample.at("var/log/cisco/ampfix-hook.log")
        let result = try runHook(["--root", sample.path, "--policy-module", PackageLayout.policyModule], ampfix: AmpfixBinary.path, log: log)
        #expect(result.status == 0)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("repair of faults 5 and 19: exit status 0"), "\(text)")
        #expect(text.contains("diagnosis of all faults: exit status 1"), "fault 11 remains on the sample")
        #expect(try String(contentsOfFile: sample.at("etc/passwd"), encoding: .utf8).contains("cisco-amp-scan-svc:"))
    }

    @Test func theHookExitsZeroWhateverAmpfixDoes() throws {
        let work = TempRoot("hook")
        for (ampfix, expected) in [("/bin/false", "exit status 1"), ("/nonexistent/ampfix", "ampfix is not installed at /nonexistent/ampfix")] {
            let log = work.at("log-\(expected.count)")
            let result = try runHook([], ampfix: ampfix, log: log)
            #expect(result.status == 0)
            #expect(try String(contentsOfFile: log, encoding: .utf8).contains(expected))
        }
        // Not even an unwritable log stops it.
        try "".write(toFile: work.at("file"), atomically: false, encoding: .utf8)
        #expect(try runHook([], ampfix: "/bin/false", log: work.at("file/sub/log")).status == 0)
    }

    /// The kernel hook, as Debian's run-parts and EL's kernel-install call it: it records the new
    /// kernel's prediction (here the sample image's kernel: no BTF, no headers, so not ready) and
    /// exits 0 whatever happens.
    @Test func theKernelHookRecordsThePredictionAndNeverFailsTheInstall() throws {
        let sample = try SampleHost.build()
        let work = TempRoot("kernel-hook")
        let kernelHook = PackageLayout.root + "/packaging/hooks/ampfix-kernel-hook"
        try "AMPFIX_KERNEL_HOOK=report\nAMPFIX_KERNEL_PROMETHEUS=\(work.at("kernel.prom"))\n".write(toFile: work.at("defaults"), atomically: false, encoding: .utf8)
        func hook(_ arguments: [String], as name: String = "zz-ampfix", ampfix: String = AmpfixBinary.path, defaults: String? = nil,
                  path: String = "/usr/sbin:/usr/bin:/sbin:/bin", root: String? = sample.path, log: String? = nil) throws -> (CommandResult, String) {
            let link = work.at(name)
            unlink(link)
            symlink(kernelHook, link)
            let log = log ?? work.at("log")
            if log == work.at("log") { unlink(log) }
            var environment = ["AMPFIX": ampfix, "AMPFIX_DEFAULTS": defaults ?? work.at("defaults"), "AMPFIX_HOOK_LOG": log, "PATH": path,
                               "AMPFIX_SYSTEMD": work.at("systemd")]
            environment["AMPFIX_ROOT"] = root
            let result = try Command.start(link, arguments, environment: environment).wait(timeout: 120)
            return (result, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        }
        let (debian, log) = try hook(["6.1.0-sample-amd64", "/boot/vmlinuz-6.1.0-sample-amd64"])
        #expect(debian.status == 0)
        #expect(log.contains("ampfix preflight --kernel 6.1.0-sample-amd64 --lock-timeout 30 --prometheus \(work.at("kernel.prom")): exit status 1"), "\(log)")
        let metrics = try String(contentsOfFile: work.at("kernel.prom"), encoding: .utf8)
        #expect(metrics.contains("ampfix_kernel_ready{kernel=\"6.1.0-sample-amd64\"} 0\n"), "\(metrics)")
        #expect(metrics.contains("ampfix_preflight_predicted{check=\"11\",kernel=\"6.1.0-sample-amd64\",blocks=\"true\"} 1"))

        // kernel-install's plugin: "add" checks, "remove" does nothing.
        unlink(work.at("kernel.prom"))
        let (add, addLog) = try hook(["add", "6.1.0-sample-amd64", "/boot/entry", "/boot/vmlinuz"], as: "50-ampfix.install")
        #expect(add.status == 0 && addLog.contains("exit status 1") && FileManager.default.fileExists(atPath: work.at("kernel.prom")), "\(addLog)")
        let (remove, removeLog) = try hook(["remove", "6.1.0-sample-amd64"], as: "50-ampfix.install")
        #expect(remove.status == 0 && removeLog.isEmpty)

        // prepare: inside the transaction it only starts the unit (systemd cannot run here: a
        // stand-in systemctl on PATH records the call); the unit's run installs the headers
        // (ampfix preflight --fix --fault 11 --kernel: under a root nothing is installed, said) and
        // predicts again.
        try "AMPFIX_KERNEL_HOOK=prepare\n".write(toFile: work.at("prepare"), atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: work.at("bin"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: work.at("systemd"), withIntermediateDirectories: true)
        try "#!/bin/sh\necho \"$@\" >> \(work.at("systemctl.calls"))\n".write(toFile: work.at("bin/systemctl"), atomically: false, encoding: .utf8)
        chmod(work.at("bin/systemctl"), 0o755)
        let standIns = work.at("bin") + ":/usr/sbin:/usr/bin:/sbin:/bin"
        // Under a root the unit (which works on this system) is not started.
        let (underRoot, underRootLog) = try hook(["6.1.0-sample-amd64"], defaults: work.at("prepare"), path: standIns)
        #expect(underRoot.status == 0 && underRootLog.contains("AMPFIX_ROOT=\(sample.path): no unit is started"), "\(underRootLog)")
        #expect(!FileManager.default.fileExists(atPath: work.at("systemctl.calls")))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-escape") {
            // This system's kernel: ampfix itself stands in as /bin/true (its part runs above and
            // below; a preflight of / would keep its record on this machine).
            let (prepare, prepareLog) = try hook(["6.1.0-sample-amd64+1"], ampfix: "/bin/true", defaults: work.at("prepare"), path: standIns, root: nil)
            #expect(prepare.status == 0)
            #expect(prepareLog.contains("ampfix preflight --kernel 6.1.0-sample-amd64+1 --lock-timeout 30: exit status 0"), "\(prepareLog)")
            let calls = (try? String(contentsOfFile: work.at("systemctl.calls"), encoding: .utf8)) ?? ""
            #expect(calls == "start --no-block ampfix-kernel-prepare@6.1.0\\x2dsample\\x2damd64\\x2b1.service\n", "\(calls)")
            #expect(prepareLog.contains("started ampfix-kernel-prepare@6.1.0\\x2dsample\\x2damd64\\x2b1.service: once the package transaction ends"), "\(prepareLog)")
        } else {
            print("skipped: systemd-escape is not installed (Debian package systemd): the prepare unit's start was not checked")
        }
        try FileManager.default.removeItem(atPath: work.at("systemd"))
        let (withoutSystemd, withoutSystemdLog) = try hook(["6.1.0-sample-amd64"], ampfix: "/bin/true", defaults: work.at("prepare"), root: nil)
        #expect(withoutSystemd.status == 0)
        #expect(withoutSystemdLog.contains("no systemd runs here: after the package transaction, prepare the kernel with: ampfix preflight --fix --kernel 6.1.0-sample-amd64 --fault 11 --fault 8 --fault 9"),
                "\(withoutSystemdLog)")
        let (after, afterLog) = try hook(["--after-transaction", "6.1.0-sample-amd64"], defaults: work.at("prepare"))
        #expect(after.status == 0)
        #expect(afterLog.contains("kernel 6.1.0-sample-amd64, after the package transaction"), "\(afterLog)")
        #expect(afterLog.contains("ampfix preflight --kernel 6.1.0-sample-amd64 --fix --fault 11 --fault 8 --fault 9 --no-restart --package-lock-wait 30m --lock-timeout 60: exit status 1"),
                "\(afterLog)")

        // A version that is no kernel release is passed on to nothing (no unit, no ampfix, no log
        // line of its own); a log that is not a regular file is not written (a FIFO would hang).
        for release in ["6.1;touch \(work.at("injected"))", "$(touch \(work.at("injected")))", "--fix", "../../etc/passwd", "6.1\\cHIDDEN\nFAKE",
                        String(repeating: "6", count: 300), "..", ".hidden", String(repeating: "6", count: 129)] {
            let (refused, refusedLog) = try hook([release], defaults: work.at("prepare"), path: standIns, root: nil)
            #expect(refused.status == 0 && refusedLog.contains("is not a kernel release"), "\(release): \(refusedLog)")
            #expect(!refusedLog.contains("exit status") && !refusedLog.contains("FAKE") && !refusedLog.contains("HIDDEN"), "\(refusedLog)")
        }
        #expect(!FileManager.default.fileExists(atPath: work.at("injected")))
        #expect(((try? String(contentsOfFile: work.at("systemctl.calls"), encoding: .utf8)) ?? "").split(separator: "\n").count <= 1)
        mkfifo(work.at("log.fifo"), 0o600)
        let (fifo, _) = try hook(["6.1.0-sample-amd64"], log: work.at("log.fifo"))
        #expect(fifo.status == 0 && !fifo.timedOut, "a FIFO for a log does not hang the install")
        try "AMPFIX_KERNEL_HOOK=report\r\nAMPFIX_KERNEL_PROMETHEUS=relative.prom\r\n".write(toFile: work.at("crlf"), atomically: false, encoding: .utf8)
        let (crlf, crlfLog) = try hook(["6.1.0-sample-amd64"], defaults: work.at("crlf"))
        #expect(crlf.status == 0 && crlfLog.contains("(mode report)") && crlfLog.contains("AMPFIX_KERNEL_PROMETHEUS=relative.prom in \(work.at("crlf")) is not an absolute path"),
                "\(crlfLog)")
        #expect(crlfLog.contains("ampfix preflight --kernel 6.1.0-sample-amd64 --lock-timeout 30: exit status 1"), "no metrics, the prediction still made: \(crlfLog)")

        // Whatever goes wrong, exit 0 and say so.
        try "AMPFIX_KERNEL_HOOK=off\n".write(toFile: work.at("off"), atomically: false, encoding: .utf8)
        try "AMPFIX_KERNEL_HOOK=sometimes\n".write(toFile: work.at("bad"), atomically: false, encoding: .utf8)
        for (arguments, ampfix, defaults, said) in [
            (["6.1.0-sample-amd64"], "/bin/false", nil as String?, "exit status 1"),
            (["6.1.0-sample-amd64"], "/nonexistent/ampfix", nil, "ampfix is not installed at /nonexistent/ampfix"),
            (["6.1.0-sample-amd64"], AmpfixBinary.path, work.at("off"), "AMPFIX_KERNEL_HOOK=off: nothing checked"),
            (["6.1.0-sample-amd64"], AmpfixBinary.path, work.at("bad"), "AMPFIX_KERNEL_HOOK=sometimes"),
            ([], AmpfixBinary.path, nil, "no kernel version given"),
        ] {
            let (result, text) = try hook(arguments, ampfix: ampfix, defaults: defaults)
            #expect(result.status == 0, "\(said)")
            #expect(text.contains(said), "\(text)")
        }
    }

    static let installedFiles = ["/usr/sbin/ampfix", "/usr/share/ampfix/policy/cisco-secure-bpf.cil", "/usr/share/ampfix/kernel-support.tsv",
                                 "/usr/share/ampfix/hooks/ampfix-connector-hook", "/usr/share/man/man8/ampfix.8.gz", "/usr/share/man/zh_CN/man8/ampfix.8.gz",
                                 "/usr/share/bash-completion/completions/ampfix", "/usr/share/fish/vendor_completions.d/ampfix.fish"]

    /// The packages are built from the release binaries (static Swift runtime), which
    /// scripts/check-traits.sh builds first in scripts/test.sh; alone, a test builds them.
    @Test func theDebIsSelfContainedDeclaresItsLibrariesAndIsLintianClean() throws {
        let out = TempRoot("deb")
        let build = try Command.run("/bin/bash", [PackageLayout.root + "/packaging/build-deb.sh", out.path])
        try #require(build.status == 0, "\(build.stderr)")
        let deb = build.stdout.trimming()
        let contents = try Command.run("/usr/bin/dpkg-deb", ["-c", deb]).stdout
        for path in Self.installedFiles + ["/usr/share/zsh/vendor-completions/_ampfix", "/usr/share/doc/ampfix/copyright", "/usr/share/doc/ampfix/changelog.gz",
                                           "/lib/systemd/system/ampfix-audit.service", "/lib/systemd/system/ampfix-audit.timer",
                                           "/lib/systemd/system/ampfix-kernel-prepare@.service",
                                           "/usr/lib/systemd/catalog/ampfix.catalog", "/usr/share/ampfix/hooks/ampfix-kernel-hook", "/etc/default/ampfix"] {
            #expect(contents.contains("." + path + "\n"), "\(path)")
        }
        let depends = try Command.run("/usr/bin/dpkg-deb", ["-f", deb, "Depends"]).stdout
        // libkmod2, libsemanage2, libsepol2, libarchive13: opened at run time (dlopen), so named by
        // the control file.
        for package in ["passwd", "libkmod2", "libapt-pkg6.0", "libsemanage2", "libsepol2", "libselinux1", "libarchive13"] {
            #expect(depends.contains(package), "Depends names \(package): \(depends)")
        }
        #expect(!depends.contains("librpm"), "a deb build links no librpm: \(depends)")
        #expect(depends.contains("libbpf1"), "libbpf is opened at run time, so named by the control file: \(depends)")
        #expect(contents.contains("./etc/kernel/postinst.d/zz-ampfix -> /usr/share/ampfix/hooks/ampfix-kernel-hook"), "\(contents)")
        #expect(try Command.run("/usr/bin/dpkg-deb", ["-I", deb, "conffiles"]).stdout == "/etc/default/ampfix\n")
        // The connector's eBPF programs, built from the pinned source where the build had it.
        if BPFObjectsFixture.tarball != nil {
            for path in ["/usr/lib/ampfix/bpf/file_close_write.bpf.o", "/usr/lib/ampfix/bpf/process_exit.bpf.o", "/usr/lib/ampfix/bpf/LICENSE",
                         "/usr/lib/ampfix/bpf/ORIGIN"] {
                #expect(contents.contains("." + path + "\n"), "\(path)")
            }
        } else {
            print("skipped: no eBPF source (\(BPFObjectsFixture.skipReason ?? "")): the deb's probe objects were not checked")
        }
        for line in try Command.run("/usr/bin/dpkg-deb", ["-f", deb, "Description"]).stdout.split(separator: "\n") {
            #expect(line.count <= 80, "description line over 80 columns: \(line)")
        }

        // The binary inside: stripped, no run path, no Swift library.
        let extracted = TempRoot("deb-x")
        #expect(try Command.run("/usr/bin/dpkg-deb", ["-x", deb, extracted.path]).status == 0)
        let binary = extracted.at("usr/sbin/ampfix")
        let dynamic = try Command.run("/usr/bin/readelf", ["-d", binary]).stdout
        #expect(!dynamic.contains("RUNPATH") && !dynamic.contains("RPATH"), "\(dynamic)")
        #expect(!dynamic.contains("libswift") && !dynamic.contains("libFoundation"), "\(dynamic)")
        #expect(try Command.run("/usr/bin/readelf", ["-S", binary]).stdout.contains(".symtab") == false, "stripped")
        let version = try Command.run(binary, ["--version"])
        #expect(version.stdout.trimming() == AmpfixVersion.current)

        if FileManager.default.isExecutableFile(atPath: "/usr/bin/lintian") {
            let lintian = try Command.run("/usr/bin/lintian", ["--fail-on", "error", deb])
            #expect(lintian.status == 0, "lintian: \(lintian.stdout)\(lintian.stderr)")
            #expect(!lintian.stdout.contains("E: "), "\(lintian.stdout)")
        } else {
            print("skipped: lintian is not installed (Debian package lintian); the deb was not linted")
        }

        // It installs with dpkg into a throwaway root.
        let root = TempRoot("dpkgroot")
        try root.makeDirectory("var/lib/dpkg/info")
        try root.makeDirectory("var/lib/dpkg/updates")
        try root.write("var/lib/dpkg/status", "")
        let install = try Command.run("/usr/bin/dpkg", ["--root=\(root.path)", "--force-depends", "--force-script-chrootless", "--no-triggers", "-i", deb])
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: root.at("usr/sbin/ampfix")))
    }

    @Test func aDebOfABinaryNeedingTheSwiftToolchainIsRefused() throws {
        // The debug build links the toolchain's libswiftCore.so, which no Debian package has.
        let out = TempRoot("deb-dynamic")
        let build = try Command.run("/bin/bash", [PackageLayout.root + "/packaging/build-deb.sh", out.path, AmpfixBinary.path])
        #expect(build.status != 0)
        #expect(build.stderr.contains("which no Debian package provides"), "\(build.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".deb") }.isEmpty)
    }

    @Test func theRPMRequiresItsLibrariesAutomaticallyAndNoSwiftLibrary() throws {
        let out = TempRoot("rpm")
        let build = try Command.run("/bin/bash", [PackageLayout.root + "/packaging/build-rpm.sh", out.path])
        try #require(build.status == 0, "\(build.stderr)")
        let rpm = build.stdout.trimming()
        let files = try Command.run("/usr/bin/rpm", ["-qlp", rpm]).stdout
        for path in Self.installedFiles + ["/usr/share/zsh/site-functions/_ampfix", "/usr/share/licenses/ampfix/COPYRIGHT",
                                           "/usr/lib/systemd/system/ampfix-audit.service", "/usr/lib/systemd/system/ampfix-audit.timer",
                                           "/usr/lib/systemd/system/ampfix-kernel-prepare@.service",
                                           "/usr/lib/systemd/catalog/ampfix.catalog", "/usr/share/ampfix/hooks/ampfix-kernel-hook", "/etc/sysconfig/ampfix",
                                           "/usr/lib/kernel/install.d/50-ampfix.install"] {
            #expect(files.contains(path + "\n"), "\(path)")
        }
        let requires = try Command.run("/usr/bin/rpm", ["-qp", "--requires", rpm]).stdout
        #expect(requires.contains("shadow-utils"))
        #expect(requires.split(separator: "\n").contains("libarchive.so.13()(64bit)"), "opened at run time by collect: \(requires)")
        #expect(requires.contains("libkmod.so.2()(64bit)"), "\(requires)")
        #expect(requires.contains("libsemanage.so.2()(64bit)"), "\(requires)")
        #expect(requires.contains("libsepol.so.2()(64bit)"), "\(requires)")
        #expect(!requires.contains("libswift") && !requires.contains("libFoundation"), "\(requires)")
        #expect(!requires.contains("libapt-pkg"), "an rpm build links no libapt-pkg")
    }
}
