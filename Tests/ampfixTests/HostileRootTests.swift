import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// `--root` is an image nobody vouches for: every name in it may be a link, a FIFO, a device or
/// a hard link planted to turn a root-owned tool against the root or the host. Each case here is
/// one of those plants in the broken sample host, run through the built binary.
@Suite(.enabled(if: Privileges.isRoot, "skipped: the sample's repairs (useradd --root, the module store) need root"))
struct HostileRootTests {
    static let kernel = "6.1.0-sample-amd64"
    static let ownData = ["--policy-module", PackageLayout.policyModule, "--kernel-support", PackageLayout.root + "/data/kernel-support.tsv"]

    static func ampfix(_ sample: TempRoot, _ arguments: [String], timeout: Double = 60) throws -> CommandResult {
        try AmpfixBinary.run(["--root", sample.path] + ownData + arguments, timeout: timeout)
    }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    static func report(_ result: CommandResult) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    // MARK: The run lock

    /// A lock that is not a regular file of ampfix's own is never opened for writing: before,
    /// a link to the root's passwd had the pid written over it (root and nobody gone).
    @Test(arguments: ["link-absolute", "link-relative", "hard-link", "fifo", "dangling-link"])
    func aPlantedLockIsRefusedAndNothingIsWrittenThroughIt(plant: String) throws {
        for command in [["--fault", "5"], ["undo"], ["with-user-groups", "--", "/bin/true"]] {
            let sample = try SampleHost.build()
            let lock = sample.at("run/ampfix.lock")
            // An absolute link's target: a decoy in a throwaway directory, never a host file.
            let decoy = TempRoot("decoy")
            try decoy.write("passwd", "root:x:0:0::/root:/bin/sh\n")
            switch plant {
            case "link-absolute": sample.symlink("run/ampfix.lock", to: decoy.at("passwd"))
            case "link-relative": sample.symlink("run/ampfix.lock", to: "../etc/passwd")
            case "hard-link": #expect(link(sample.at("etc/passwd"), lock) == 0)
            case "fifo": #expect(mkfifo(lock, 0o600) == 0)
            default: sample.symlink("run/ampfix.lock", to: decoy.at("planted-by-the-image"))
            }
            let passwd = Self.bytes(sample.at("etc/passwd"))
            let before = TreeSnapshot.take(sample.path)
            let arguments = command[0] == "undo" || command[0] == "with-user-groups"
                ? [command[0], "--root", sample.path] + command.dropFirst()
                : ["--root", sample.path] + Self.ownData + command
            let result = try AmpfixBinary.run(arguments, timeout: 60)
            #expect(!result.timedOut, "\(plant) \(command): ampfix hung on the lock")
            #expect(result.status == 2, "\(plant) \(command): exit \(result.status)\n\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains(lock), "\(plant) \(command): the message names the lock: \(result.stderr)")
            #expect(Self.bytes(sample.at("etc/passwd")) == passwd, "\(plant) \(command): the root's passwd is untouched")
            #expect(TreeSnapshot.take(sample.path) == before, "\(plant) \(command): nothing in the root changed")
            #expect(Self.bytes(decoy.at("passwd")) == Data("root:x:0:0::/root:/bin/sh\n".utf8), "\(plant) \(command): nothing outside it either")
        }
    }

    // MARK: FIFOs and devices where files are expected

    /// Each of these once blocked a plain diagnosis forever in openat (or, for a device, read
    /// it without end). Now the fault that reads it is unknown, with the file and its kind named.
    @Test(arguments: [
        "etc/passwd", "etc/group", "etc/shadow", "etc/login.defs", "etc/os-release", "etc/selinux/config",
        "etc/selinux/semanage.conf", "etc/selinux/tiny/policy/policy.33", "boot/config-6.1.0-sample-amd64",
        "lib/modules/6.1.0-sample-amd64/modules.dep.bin", "lib/modules/6.1.0-sample-amd64/modules.softdep",
        "opt/cisco/amp/etc/global.xml", "var/log/cisco/ampscansvc.log",
    ])
    func aFIFOInTheRootNeverBlocksADiagnosis(path: String) throws {
        let sample = try SampleHost.build()
        unlink(sample.at(path))
        #expect(mkfifo(sample.at(path), 0o644) == 0)
        let before = TreeSnapshot.take(sample.path)
        let result = try Self.ampfix(sample, ["--verbose", "--ampcli", sample.at("opt/cisco/amp/bin/ampcli")])
        #expect(!result.timedOut, "\(path): the diagnosis blocked")
        #expect(result.status == 1 || result.status == 2, "\(path): exit \(result.status)")
        if path != "opt/cisco/amp/etc/global.xml" {  // only the connector's version is missing then
            #expect((result.stdout + result.stderr).contains("FIFO"), "\(path): the output says what the file is\n\(result.stdout)\(result.stderr)")
        }
        #expect(TreeSnapshot.take(sample.path) == before)
    }

    /// /dev/zero's device planted as the SELinux config: before, 5.8 GB of memory in 15 s.
    @Test func aCharacterDeviceIsNotReadWithoutEnd() throws {
        let sample = try SampleHost.build()
        unlink(sample.at("etc/selinux/config"))
        #expect(mknod(sample.at("etc/selinux/config"), S_IFCHR | 0o644, dev_t(1 << 8 | 5)) == 0)
        let result = try Self.ampfix(sample, ["--fault", "19", "--dry-run"], timeout: 30)
        #expect(!result.timedOut)
        #expect(result.stdout.contains("character device"), "\(result.stdout)\(result.stderr)")
    }

    /// `--kernel-support` and `--policy-module` naming a FIFO or a device: a clear error, no hang.
    @Test(arguments: ["--kernel-support", "--policy-module"])
    func ownDataFilesMustBeRegularFiles(option: String) throws {
        let sample = try SampleHost.build()
        let fifo = sample.at("tmp/data.fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        // /dev/zero's device, made in the throwaway root.
        let zero = sample.at("tmp/zero")
        #expect(mknod(zero, S_IFCHR | 0o644, dev_t(1 << 8 | 5)) == 0)
        for given in [fifo, zero] {
            let result = try AmpfixBinary.run(["--root", sample.path, option, given, "--fault", option == "--kernel-support" ? "16" : "19"], timeout: 30)
            #expect(!result.timedOut, "\(option) \(given)")
            #expect((result.stdout + result.stderr).contains(given), "\(option) \(given): \(result.stdout)\(result.stderr)")
            #expect((result.stdout + result.stderr).contains("not a regular file"), "\(option) \(given): \(result.stdout)\(result.stderr)")
        }
    }

    // MARK: The journal

    /// A kill at the first write, a full disk, or a stray file leaves a journal without a whole
    /// begin record. Such a run changed nothing: it is set aside and the next runs go on (before,
    /// every later diagnosis, repair and undo exited 2 with "no 'begin' record").
    @Test(arguments: ["empty", "braces", "cut-50", "cut-300"])
    func aJournalWithoutABeginRecordIsSetAside(content: String) throws {
        let donor = try SampleHost.build()
        #expect(try Self.ampfix(donor, ["--fault", "5"]).status == 0)
        let donorJournal = donor.at("var/lib/ampfix/journal")
        let first = try #require(try FileManager.default.contentsOfDirectory(atPath: donorJournal).first)
        let begin = try #require(Self.bytes(donorJournal + "/" + first))

        let sample = try SampleHost.build()
        let run = "20260101T000000000Z-1"
        let journal = sample.at("var/lib/ampfix/journal/\(run).jsonl")
        let bytes: Data
        switch content {
        case "empty": bytes = Data()
        case "braces": bytes = Data("{}\n".utf8)
        case "cut-50": bytes = begin.prefix(50)
        default: bytes = begin.prefix(300)
        }
        try sample.makeDirectory("var/lib/ampfix/journal", mode: 0o700)
        #expect(FileManager.default.createFile(atPath: journal, contents: bytes))

        let before = TreeSnapshot.take(sample.path)
        let diagnosis = try Self.ampfix(sample, ["--json"])
        #expect(diagnosis.status == 1, "\(content): \(diagnosis.stderr)")
        #expect(try Self.report(diagnosis).recovered.contains { $0.contains("the next repair or undo sets it aside") },
                "a diagnosis says what the next repair does, and does not do it")
        #expect(TreeSnapshot.take(sample.path) == before, "a diagnosis changes nothing")
        let listing = try AmpfixBinary.run(["undo", "--list", "--root", sample.path])
        #expect(listing.status == 0 && listing.stdout.contains("no begin record"), "\(content): \(listing.stdout)\(listing.stderr)")

        let repair = try Self.ampfix(sample, ["--fault", "5", "--json"])
        #expect(repair.status == 0, "\(content): \(repair.stdout)\(repair.stderr)")
        let recovered = try Self.report(repair).recovered
        #expect(recovered.contains { $0.contains("no whole 'begin' record") && $0.contains("set aside as \(journal).broken") }, "\(recovered)")
        #expect(Self.bytes(journal + ".broken") == bytes, "the bytes are kept for a look")
        #expect(Self.bytes(journal) == nil)
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 0, "\(content): \(undo.stdout)\(undo.stderr)")
    }

    /// A journal zeroed or overwritten after the fact may have held a run that changed things:
    /// it is not set aside as one that "changed nothing" (before, a file of NUL bytes or any
    /// text was); every command stops and names it, and it stays where it is for a look.
    /// So is a journal whose records end in a whole line that is none (before, any last line
    /// was taken for one a crash cut short, and the run for one to complete), or that holds
    /// blank lines (before, 60 MiB of them cost every command a minute and a gigabyte).
    @Test(arguments: ["nul", "text", "garbage-last-line", "blank-lines"])
    func aDamagedJournalIsNotCalledARunThatChangedNothing(content: String) throws {
        let sample = try SampleHost.build()
        let journal = sample.at("var/lib/ampfix/journal/20260101T000000000Z-1.jsonl")
        var records = Data()
        if content == "garbage-last-line" || content == "blank-lines" {
            let donor = try SampleHost.build()
            #expect(try Self.ampfix(donor, ["--fault", "5"]).status == 0)
            let directory = donor.at("var/lib/ampfix/journal")
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first)
            records = try #require(Self.bytes(directory + "/" + name))
        }
        try sample.makeDirectory("var/lib/ampfix/journal", mode: 0o700)
        let bytes: Data
        switch content {
        case "nul": bytes = Data(count: 4096)
        case "text": bytes = Data("useradd cisco-amp-scan-svc; chmod 0755 /opt/cisco".utf8)
        case "garbage-last-line": bytes = records + Data("{\"type\":\"undo-begin\" garbled\n".utf8)
        default: bytes = records + Data(repeating: UInt8(ascii: "\n"), count: 1 << 20)
        }
        #expect(FileManager.default.createFile(atPath: journal, contents: bytes))
        for arguments in [["--fault", "5"], ["undo"]] {
            let result = try AmpfixBinary.run(arguments == ["undo"] ? ["undo", "--root", sample.path] : ["--root", sample.path] + Self.ownData + arguments, timeout: 60)
            #expect(result.status == 2, "\(arguments): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains(journal) && result.stderr.contains("ampfix cannot tell what that run changed"), "\(result.stderr)")
        }
        #expect(Self.bytes(journal) == bytes, "the journal stays where it is")
        #expect(Self.bytes(journal + ".broken") == nil)
    }

    /// Every read is bounded: a sparse 1 GiB journal, a journal line of 20 MiB, a 1 GiB
    /// selinux/config or etc/group are refused from their size, at once, naming the file; before,
    /// each command read them whole (minutes, gigabytes).
    @Test func hugeFilesAreRefusedAtOnceNamingTheFile() throws {
        func sparse(_ path: String, _ size: Int64, end: String = "") throws {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            try #require(fd >= 0, "\(path)")
            defer { close(fd) }
            #expect(ftruncate(fd, off_t(size)) == 0)
            _ = end.withCString { pwrite(fd, $0, strlen($0), off_t(size) - off_t(end.utf8.count)) }
        }
        let started = Date()
        // The journal: a sparse GiB, then one line of 20 MiB.
        let sample = try SampleHost.build()
        try sample.makeDirectory("var/lib/ampfix/journal", mode: 0o700)
        let journal = sample.at("var/lib/ampfix/journal/20260101T000000000Z-1.jsonl")
        try sparse(journal, 1 << 30, end: "\n")
        let huge = try Self.ampfix(sample, ["--fault", "5"], timeout: 60)
        #expect(huge.status == 2 && huge.stderr.contains(journal) && huge.stderr.contains("it is 1024 MiB, more than the 64 MiB a journal of ampfix holds"), "\(huge.stderr)")
        try (String(repeating: "x", count: 20 << 20) + "\n").write(toFile: journal, atomically: false, encoding: .utf8)
        let line = try Self.ampfix(sample, ["--fault", "5"], timeout: 60)
        #expect(line.status == 2 && line.stderr.contains(journal + ":1") && line.stderr.contains("a record longer than 16 MiB"), "\(line.stderr)")
        unlink(journal)

        // selinux/config: fault 19 cannot be told, and says why.
        try sparse(sample.at("etc/selinux/config"), 1 << 30, end: "SELINUX=enforcing\n")
        let selinux = try Self.ampfix(sample, ["--fault", "19", "--json"], timeout: 60)
        #expect(selinux.status == 2, "\(selinux.stdout)\(selinux.stderr)")
        #expect(selinux.stdout.contains("selinux/config") && selinux.stdout.contains("larger than 1 MiB"), "\(selinux.stdout)")

        // A configuration file of a few KiB is read up to 1 MiB: 2 MiB of blank lines in
        // login.defs is named, not parsed for seconds.
        let blank = try SampleHost.build()
        try blank.write("etc/login.defs", String(repeating: "\n", count: 2 << 20))
        let defs = try Self.ampfix(blank, ["--fault", "5", "--dry-run", "--json"], timeout: 60)
        #expect(defs.stdout.contains("login.defs") && defs.stdout.contains("larger than 1 MiB"), "\(defs.stdout)")

        // etc/group after a repair: undo stops at it and keeps the run to retry.
        let repaired = try SampleHost.build()
        #expect(try Self.ampfix(repaired, ["--fault", "5"]).status == 0)
        let group = repaired.at("etc/group")
        let text = try String(contentsOfFile: group, encoding: .utf8)
        try sparse(group, 1 << 30)
        let fd = open(group, O_WRONLY | O_CLOEXEC)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        close(fd)
        let undo = try AmpfixBinary.run(["undo", "--root", repaired.path], timeout: 60)
        #expect(undo.status != 0 && (undo.stdout + undo.stderr).contains("larger than 16 MiB"), "\(undo.stdout)\(undo.stderr)")
        #expect(Date().timeIntervalSince(started) < 120, "each refusal is at once (\(Date().timeIntervalSince(started)) s in all)")
    }

    /// A rotated log that is a gzip bomb (300 MiB of zeros in 300 KiB) was inflated whole by
    /// every diagnosis; it is read up to 256 MiB and named.
    @Test func aGzipBombAmongTheLogsIsStoppedAndNamed() throws {
        guard let sh = Programs.locate("sh"), Programs.locate("gzip") != nil else {
            print("skipped aGzipBombAmongTheLogsIsStoppedAndNamed: needs sh and gzip")
            return
        }
        let sample = try SampleHost.build()
        let bomb = sample.at("var/log/cisco/ampscansvc.log.1.gz")
        let made = try Command.run(sh, ["-c", "head -c 314572800 /dev/zero | gzip -1 > \"$0\"", bomb])
        try #require(made.status == 0, "\(made.stderr)")
        let result = try Self.ampfix(sample, ["--fault", "6", "--json"], timeout: 60)
        #expect(!result.timedOut)
        let evidence = try #require(try Self.report(result).faults.first).evidence
        #expect(evidence.contains { $0.contains(bomb) && $0.contains("inflates to more than 256 MiB") }, "\(evidence)")
    }

    // MARK: Programs of the root

    /// A static program that appends its name to each of `witnesses` (paths as it sees them),
    /// built in `directory`: what a hostile root plants where a tool would run it.
    static func witnessProgram(in directory: TempRoot, witnesses: [String]) throws -> Data {
        let writes = witnesses.map { "    f = fopen(\"\($0)\", \"a\"); if (f) { fprintf(f, \"%s\\n\", argv[0]); fclose(f); }\n" }.joined()
        try directory.write("planted.c", "#include <stdio.h>\nint main(int argc, char **argv) {\n    FILE *f;\n\(writes)    return 0;\n}\n")
        return try #require(Self.bytes(try Self.staticProgram(directory)))
    }

    /// `DIR/planted.c` built static (it needs nothing of a root to run), as `DIR/planted`.
    static func staticProgram(_ directory: TempRoot) throws -> String {
        let gcc = try #require(Programs.locate("gcc"))
        let compiled = try Command.run(gcc, ["-static", "-o", directory.at("planted"), directory.at("planted.c")])
        try #require(compiled.status == 0, "gcc: \(compiled.stderr)")
        return directory.at("planted")
    }

    /// `useradd/userdel --root` chroot into the root and then run its /usr/sbin/nscd and
    /// sss_cache and login.defs' USERDEL_CMD as uid 0: before, a static program planted there ran
    /// six times in a repair and an undo. Now each is refused by the kernel (the root is mounted
    /// noexec where the tools run), and the repair and the undo still do their work.
    @Test func noProgramOfTheRootRunsInARepairOrUndo() throws {
        guard Programs.locate("gcc") != nil else {
            print("skipped noProgramOfTheRootRunsInARepairOrUndo: no gcc to build the planted program (scripts/deps.sh installs it)")
            return
        }
        let sample = try SampleHost.build()
        let build = TempRoot("planted-program")
        // Static, so that it needs nothing of the root to run: it leaves its name in the root's
        // /tmp (where a chrooted run lands) and in a file named by absolute path outside.
        let witness = build.at("ran")
        let program = try Self.witnessProgram(in: build, witnesses: ["/tmp/planted-ran", witness])
        for name in ["usr/sbin/nscd", "usr/sbin/sss_cache", "usr/local/sbin/userdel-cmd"] {
            try sample.makeDirectory((name as NSString).deletingLastPathComponent)
            #expect(FileManager.default.createFile(atPath: sample.at(name), contents: program, attributes: [.posixPermissions: 0o755]))
        }
        let handle = try #require(FileHandle(forWritingAtPath: sample.at("etc/login.defs")))
        handle.seekToEndOfFile()
        handle.write(Data("USERDEL_CMD /usr/local/sbin/userdel-cmd\n".utf8))
        try handle.close()

        let repair = try Self.ampfix(sample, ["--fault", "5"])
        #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
        let passwd = String(decoding: Self.bytes(sample.at("etc/passwd")) ?? Data(), as: UTF8.self)
        #expect(passwd.contains("cisco-amp-scan-svc:"), "the account was made")
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path], timeout: 60)
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        let after = String(decoding: Self.bytes(sample.at("etc/passwd")) ?? Data(), as: UTF8.self)
        #expect(!after.contains("cisco-amp-scan-svc:"), "the undo removed it")
        #expect(Self.bytes(sample.at("tmp/planted-ran")) == nil, "ran in the root: \(String(decoding: Self.bytes(sample.at("tmp/planted-ran")) ?? Data(), as: UTF8.self))")
        #expect(Self.bytes(witness) == nil, "ran and reached outside the root")
    }

    /// A procfs mounted in the root (as a chroot is set up) once came along into the confined
    /// tool's view, and /proc/PID/root led from the noexec root back to the host's tree: a
    /// program outside the root, named by the root's nscd link, ran as uid 0. The root is now
    /// bound without what is mounted below it.
    @Test func aProcfsInTheRootLeadsNowhere() throws {
        guard Programs.locate("gcc") != nil, let unshare = Programs.locate("unshare"), let shell = Programs.locate("sh") else {
            print("skipped aProcfsInTheRootLeadsNowhere: needs gcc and unshare (scripts/deps.sh installs them)")
            return
        }
        let sample = try SampleHost.build()
        let outside = TempRoot("outside-program")
        let witness = outside.at("ran")
        // It runs chrooted into the root: it reaches the witness the way it was reached.
        let escaped = "/proc/\(getpid())/root" + witness
        try outside.write("planted.c", "#include <stdio.h>\nint main(void) { FILE *f = fopen(\"\(escaped)\", \"a\"); if (f) { fputs(\"ran\\n\", f); fclose(f); } return 0; }\n")
        let planted = try Self.staticProgram(outside)
        for name in ["usr/sbin/nscd", "usr/sbin/sss_cache"] {
            try sample.makeDirectory((name as NSString).deletingLastPathComponent)
            sample.symlink(name, to: "/proc/\(getpid())/root\(planted)")
        }
        try sample.makeDirectory("proc")
        // In a mount namespace of the test's own: nothing stays mounted.
        let quoted = ([AmpfixBinary.path, "--root", sample.path] + Self.ownData + ["--fault", "5"]).map { "'\($0)'" }.joined(separator: " ")
        let repair = try Command.run(unshare, ["--mount", "--propagation", "private", shell, "-c",
                                                          "mount -t proc proc '\(sample.at("proc"))' && exec \(quoted)"])
        #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
        #expect(Self.bytes(witness) == nil, "the program outside the root ran")
    }

    /// useradd, groupadd and userdel write each account file's backup (NAME-, O_TRUNC), its new
    /// copy (NAME+) and their lock's PID file (NAME.PID, O_TRUNC) by name, and useradd the
    /// lastlog and faillog records: a hard link planted at any of them was written through, to
    /// a decoy outside the root. The account files are now checked before a tool is handed
    /// the root, in the dry run too.
    @Test(arguments: ["etc/passwd-", "etc/group-", "etc/shadow-", "etc/gshadow-", "etc/passwd+", "etc/group.4242", "var/log/lastlog", "etc/passwd"])
    func theShadowToolsNeverWriteThroughAHardLink(planted: String) throws {
        // A leftover temporary of one name is the root's own (a tool that failed part way
        // leaves it: CrashSafeUndoTests.aHalfMadeAccountIsUndone): not refused.
        if planted == "etc/passwd+" {
            let sample = try SampleHost.build()
            try sample.write("etc/group.4242", "left over\n")
            let preview = try Self.ampfix(sample, ["--fault", "5", "--dry-run"])
            #expect(!preview.stdout.contains("would-fail"), "\(preview.stdout)")
        }
        let sample = try SampleHost.build()
        let outside = TempRoot("outside")
        try outside.write("decoy", "not useradd's\n", mode: 0o600)
        try sample.makeDirectory((planted as NSString).deletingLastPathComponent)
        if planted == "etc/passwd" {
            #expect(link(sample.at(planted), outside.at("decoy-passwd")) == 0)  // the database itself has a second name
        } else {
            unlink(sample.at(planted))
            #expect(link(outside.at("decoy"), sample.at(planted)) == 0)
        }
        let before = TreeSnapshot.take(outside.path)
        let preview = try Self.ampfix(sample, ["--fault", "5", "--dry-run"])
        #expect(preview.stdout.contains("would-fail: create system user") && preview.stdout.contains(sample.at(planted) + ": it has 2 hard links"),
                "\(planted): \(preview.stdout)")
        let repair = try Self.ampfix(sample, ["--fault", "5"])
        #expect(repair.status != 0, "\(planted): \(repair.stdout)")
        #expect(repair.stdout.contains("failed: create system user") && repair.stdout.contains(sample.at(planted) + ": it has 2 hard links"), "\(planted): \(repair.stdout)")
        #expect(TreeSnapshot.take(outside.path) == before, "\(planted): written through to the decoy outside the root")
        #expect(!(String(data: Self.bytes(sample.at("etc/passwd")) ?? Data(), encoding: .utf8) ?? "").contains("cisco-amp-scan-svc"), "no account was made")
    }

    /// etc/gshadow as a device or a sparse 20 GiB file made useradd run to its 120 s deadline;
    /// the account files are checked before useradd is handed the root: refused at once.
    @Test(arguments: ["device", "sparse-20G"])
    func anAccountFileThatIsNoSaneFileIsRefusedBeforeUseradd(kind: String) throws {
        let sample = try SampleHost.build()
        let gshadow = sample.at("etc/gshadow")
        unlink(gshadow)
        if kind == "device" {
            #expect(mknod(gshadow, S_IFCHR | 0o600, 0x105) == 0)  // 1:5, /dev/zero's device
        } else {
            let fd = open(gshadow, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            #expect(fd >= 0 && ftruncate(fd, 20 << 30) == 0)
            close(fd)
        }
        let started = ContinuousClock.now
        let repair = try Self.ampfix(sample, ["--fault", "5"])
        #expect(started.duration(to: .now) < .seconds(30), "useradd was handed it")
        #expect(repair.stdout.contains("failed: create system user") && repair.stdout.contains(gshadow), "\(repair.stdout)")
    }

    // MARK: libsemanage

    /// An image's semanage.conf names programs libsemanage runs (`[verify kernel]`,
    /// `[setfiles]` …): before, `--fault 19` ran them as root on this host.
    @Test func anImagesSemanageConfNeverRunsAProgramHere() throws {
        let sample = try SampleHost.build()
        let witness = sample.at("tmp") + "/../../ran-\(UUID().uuidString)"
        let handle = try #require(FileHandle(forWritingAtPath: sample.at("etc/selinux/semanage.conf")))
        handle.seekToEndOfFile()
        handle.write(Data("[verify kernel]\npath = /bin/touch\nargs = \(witness)\n[end]\n".utf8))
        try handle.close()
        let result = try Self.ampfix(sample, ["--fault", "19", "--json"])
        defer { unlink(witness) }
        #expect(access(witness, F_OK) != 0, "libsemanage ran the image's program")
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        let fault = try #require(try Self.report(result).faults.first)
        #expect(fault.status == .unknown)
        #expect(fault.evidence.contains { $0.contains("semanage.conf") && $0.contains("[verify kernel]") }, "\(fault.evidence)")
    }

    /// A link in the store's path leads libsemanage out of the root: before, the outside store
    /// was written, or emptied ("Could not delete previous directory"), and the run said ok.
    @Test(arguments: ["var/lib/selinux", "var/lib/selinux/tiny", "var/lib/selinux/tiny/active", "etc/selinux/tiny", "etc/selinux/tiny/policy"])
    func libsemanageIsNeverHandedALinkOutOfTheRoot(linked: String) throws {
        let sample = try SampleHost.build()
        let outside = TempRoot("outside")
        let moved = outside.at("moved")
        #expect(rename(sample.at(linked), moved) == 0)
        sample.symlink(linked, to: moved)
        let before = TreeSnapshot.take(outside.path)
        let result = try Self.ampfix(sample, ["--fault", "19", "--json"])
        #expect(TreeSnapshot.take(outside.path) == before, "\(linked): the store outside the root changed")
        #expect(result.status == 2, "\(linked): \(result.stdout)\(result.stderr)")
        let fault = try #require(try Self.report(result).faults.first)
        #expect(fault.status == .unknown)
        #expect(fault.evidence.contains { $0.contains(sample.at(linked)) && $0.contains("symbolic link") }, "\(fault.evidence)")
    }

    /// libsemanage writes NAME.tmp with O_TRUNC and renames it over NAME: a hard link planted
    /// at such a name (to a decoy outside the root, or to the root's own shadow) was
    /// overwritten with the binary policy. A file of the store with a second name, or a file at
    /// one of its temporary names, is now refused before libsemanage is handed the store.
    @Test(arguments: [
        ("etc/selinux/tiny/policy/policy.33.tmp", "outside"), ("etc/selinux/tiny/contexts/files/file_contexts.tmp", "shadow"),
        ("var/lib/selinux/tiny/active/commit_num", "outside"), ("var/lib/selinux/tiny/semanage.trans.LOCK", "shadow"),
        ("etc/selinux/tiny/policy/policy.33.tmp", "leftover"),
    ])
    func libsemanageNeverWritesThroughAHardLink(planted: String, to target: String) throws {
        let sample = try SampleHost.build()
        let outside = TempRoot("outside")
        try outside.write("decoy", "not libsemanage's\n")
        let shadow = Self.bytes(sample.at("etc/shadow"))
        unlink(sample.at(planted))
        switch target {
        case "outside": #expect(link(outside.at("decoy"), sample.at(planted)) == 0)
        case "shadow": #expect(link(sample.at("etc/shadow"), sample.at(planted)) == 0)
        default: try sample.write(planted, "left over\n")
        }
        let before = TreeSnapshot.take(outside.path)
        let result = try Self.ampfix(sample, ["--fault", "19", "--json"])
        #expect(TreeSnapshot.take(outside.path) == before, "\(planted): the decoy outside the root changed")
        #expect(Self.bytes(sample.at("etc/shadow")) == shadow, "\(planted): the root's shadow changed")
        #expect(result.status == 2, "\(planted): \(result.stdout)\(result.stderr)")
        let fault = try #require(try Self.report(result).faults.first)
        #expect(fault.status == .unknown)
        let reason = target == "leftover" ? "temporary file" : "hard links"
        #expect(fault.evidence.contains { $0.contains(sample.at(planted)) && $0.contains(reason) }, "\(fault.evidence)")
    }

    /// What a killed libsemanage leaves in its scratch directories (the store's tmp and final)
    /// at its temporary names, one link each, is no refusal: the kill test's interrupted
    /// commits and undos are finished.
    @Test func whatAKilledLibsemanageLeftIsNoRefusal() throws {
        let sample = try SampleHost.build()
        try sample.write("var/lib/selinux/tiny/tmp/modules/200/cisco-secure-bpf/lang_ext.tmp", "cil")
        try sample.write("var/lib/selinux/tiny/tmp/policy.linked.tmp", "half")
        try sample.write("var/lib/selinux/final/tiny/policy/policy.33.tmp", "half")
        let result = try Self.ampfix(sample, ["--fault", "19", "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try Self.report(result).faults.first?.status == .ok)
    }

    // MARK: No false ok

    static func fault(_ result: CommandResult, _ id: Int) throws -> FaultReport {
        try #require(try Self.report(result).faults.first { $0.id == id })
    }

    /// Moves the directory at `path` (inside the root) to `NAME.real` and puts a link of `kind`
    /// in its place: "loop" (to itself), "dangling" (to a missing name), "absolute-out" and
    /// "relative-out" (out of the root), "inside" (to the moved directory).
    static func replaceWithLink(_ sample: TempRoot, _ path: String, _ kind: String) {
        let name = (path as NSString).lastPathComponent
        #expect(rename(sample.at(path), sample.at(path + ".real")) == 0)
        switch kind {
        case "loop": sample.symlink(path, to: name)
        case "dangling": sample.symlink(path, to: name + ".missing")
        case "absolute-out": sample.symlink(path, to: "/outside-the-root/" + name)
        case "relative-out": sample.symlink(path, to: "../../../../../../../../tmp")
        default: sample.symlink(path, to: name + ".real")
        }
    }

    /// The journal directory as a link, wherever it leads: undo, its plan and its listing refuse
    /// it, as a repair that writes there does. Before, a link out of the root or to nowhere read
    /// as "nothing to undo" (exit 0), and only a link to a directory inside the root was refused.
    @Test(arguments: ["dangling", "absolute-out", "relative-out", "inside"])
    func aJournalDirectoryThatIsALinkIsRefusedByEveryCommandThatReadsIt(link: String) throws {
        let sample = try SampleHost.build()
        #expect(try Self.ampfix(sample, ["--fault", "5"]).status == 0)
        Self.replaceWithLink(sample, "var/lib/ampfix/journal", link)
        for command in [["undo"], ["undo", "--dry-run"], ["undo", "--list"]] {
            let result = try AmpfixBinary.run(command + ["--root", sample.path])
            #expect(result.status == 2, "\(link) \(command): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("symbolic link"), "\(link) \(command): \(result.stderr)")
        }
    }

    /// The connector's directory as a link that leads nowhere: before, "present -> ok".
    @Test(arguments: ["loop", "dangling", "absolute-out", "relative-out"])
    func aConnectorTreeThatCannotBeFollowedIsNeverOK(link: String) throws {
        let sample = try SampleHost.build()
        Self.replaceWithLink(sample, "opt/cisco/amp", link)
        let result = try Self.ampfix(sample, ["--fault", "5", "--json"])
        let five = try Self.fault(result, 5)
        #expect(five.status == .unknown, "\(link): \(five.evidence)")
        #expect(five.evidence.contains { $0.contains("/opt/cisco/amp: a symbolic link that cannot be followed") }, "\(five.evidence)")
        #expect(result.status == 2)
    }

    /// A link in the connector's tree that leads nowhere inside the root, where no directory of
    /// the connector's own is expected, is reported and blocks nothing: before, it made fault 5
    /// unknown and refused the whole repair (no account, no mode fixed). One of the connector's
    /// own directories unreachable still does.
    @Test(arguments: [("opt/cisco/amp/lib/extra", "missing"), ("opt/cisco/amp/lib/extra", "/outside-the-root/x"), ("opt/cisco/amp/var", "/outside-the-root/var")])
    func aLinkThatLeadsNowhereBlocksOnlyWhenItIsAConnectorDirectory(path: String, target: String) throws {
        let sample = try SampleHost.build()
        if path == "opt/cisco/amp/var" {
            #expect(rename(sample.at(path), sample.at(path + ".real")) == 0)
        }
        sample.symlink(path, to: target)
        let result = try Self.ampfix(sample, ["--fault", "5", "--json"])
        let five = try Self.fault(result, 5)
        #expect(five.evidence.contains { $0.contains("/\(path): a symbolic link that cannot be followed") }, "\(five.evidence)")
        if path == "opt/cisco/amp/var" {
            #expect(five.status == .unknown, "\(five.evidence)")
            #expect(result.status == 2)
            #expect(sample.attributes("opt/cisco/amp")?.mode == 0o700, "nothing repaired")
        } else {
            #expect(five.status == .ok, "\(five.evidence)")
            #expect(result.status == 0, "\(result.stdout)")
            #expect(sample.attributes("opt/cisco/amp")?.mode == 0o755, "the directories were repaired")
            #expect((String(data: Self.bytes(sample.at("etc/passwd")) ?? Data(), encoding: .utf8) ?? "").contains("cisco-amp-scan-svc:"), "the account was made")
        }
    }

    /// /opt/cisco itself a link (to a 0700 directory): before, followed and repaired with the
    /// link never mentioned.
    @Test func aConnectorTreeReachedThroughALinkIsNotRepairedThroughIt() throws {
        let sample = try SampleHost.build()
        try sample.makeDirectory("data")
        #expect(rename(sample.at("opt/cisco"), sample.at("data/cisco")) == 0)
        #expect(chmod(sample.at("data/cisco"), 0o700) == 0)
        sample.symlink("opt/cisco", to: "/data/cisco")
        let result = try Self.ampfix(sample, ["--fault", "5", "--json"])
        let five = try Self.fault(result, 5)
        #expect(five.status == .unknown, "\(five.evidence)")
        #expect(five.evidence.contains { $0.contains("/opt/cisco is reached through a symbolic link: it resolves to /data/cisco") }, "\(five.evidence)")
        #expect(sample.attributes("data/cisco")?.mode == 0o700, "nothing was changed through the link")
    }

    /// No definitions to look at is not "ok" (before: --definitions /nonexistent, fault 7 ok).
    @Test func missingDefinitionsAreUnknown() throws {
        let sample = try SampleHost.build(healthy: true)
        let result = try Self.ampfix(sample, ["--definitions", "/nonexistent", "--json"])
        let seven = try Self.fault(result, 7)
        #expect(seven.status == .unknown, "\(seven.evidence)")
        #expect(seven.evidence.contains { $0.contains("no definitions directory /nonexistent") })
    }

    /// A FIFO, a directory or a device under a database's name stops the scanner as a broken
    /// file does: before, each was skipped silently and fault 7 was ok (and a device was opened).
    @Test(arguments: ["fifo", "directory", "device", "sparse-10G"])
    func aDatabaseNameThatIsNotAFileIsPresent(kind: String) throws {
        let sample = try SampleHost.build(healthy: true)
        let path = sample.at("opt/cisco/amp/var/clamav/extra.cvd")
        switch kind {
        case "fifo": #expect(mkfifo(path, 0o644) == 0)
        case "directory": try sample.makeDirectory("opt/cisco/amp/var/clamav/extra.cvd")
        case "device": #expect(mknod(path, S_IFCHR | 0o644, dev_t(1 << 8 | 5)) == 0)
        default:
            // A 10 GB sparse file under a database's name: before, 85 s to read through.
            #expect(FileManager.default.createFile(atPath: path, contents: nil) && truncate(path, 10 << 30) == 0)
        }
        let started = ContinuousClock.now
        let result = try Self.ampfix(sample, ["--fault", "7", "--dry-run", "--json"], timeout: 30)
        #expect(!result.timedOut)
        #expect(ContinuousClock.now - started < .seconds(10))
        let seven = try Self.fault(result, 7)
        #expect(seven.status == .present, "\(kind): \(seven.evidence)")
        let why = kind == "sparse-10G" ? "more than any ClamAV database" : "not a regular file"
        #expect(seven.evidence.contains { $0.contains("extra.cvd") && $0.contains(why) }, "\(seven.evidence)")
    }

    /// A scan account that is root, or one that can log in: before, ok with warnings shown only
    /// with --verbose.
    @Test(arguments: [["-o", "-u", "0"], ["-s", "/bin/bash", "-p", "$6$salt$hash"]])
    func aScanAccountThatIsAWayInIsPresent(usermod arguments: [String]) throws {
        let sample = try SampleHost.build(healthy: true)
        let usermod = try Command.run("/usr/sbin/usermod", ["--root", sample.path] + arguments + ["cisco-amp-scan-svc"])
        try #require(usermod.status == 0, "\(usermod.stderr)")
        let result = try Self.ampfix(sample, ["--fault", "5", "--dry-run", "--json"])
        let five = try Self.fault(result, 5)
        #expect(five.status == .present, "\(arguments): \(five.evidence)")
        #expect(five.evidence.contains { $0.contains("uid 0: the scanner would run as root") || $0.contains("can log in") }, "\(five.evidence)")
        #expect(!five.manualSteps.isEmpty)
        #expect(!(five.evidence + five.manualSteps).joined().contains("$6$salt$hash"), "a password is never shown")
    }

    /// A tree thousands of directories deep: before, a dry run took 16-23 s (every change
    /// resolved thousands of components, and the walk held a descriptor per level).
    @Test func aPlantedDeepTreeIsRefusedQuickly() throws {
        let sample = try SampleHost.build()
        try sample.makeDirectory("opt/cisco/amp/deep/" + Array(repeating: "d", count: 400).joined(separator: "/"), mode: 0o700)
        let started = ContinuousClock.now
        let result = try Self.ampfix(sample, ["--fault", "5", "--dry-run", "--json"])
        #expect(ContinuousClock.now - started < .seconds(5))
        let five = try Self.fault(result, 5)
        #expect(five.status == .unknown)
        #expect(five.evidence.contains { $0.contains("more than 256 directories deep") }, "\(five.evidence)")
    }

    // MARK: Byte paths

    /// Linux names are bytes: a directory whose name is not UTF-8 (or holds a backslash) is
    /// checked, repaired, journaled and undone like any other (before, all of fault 5 was
    /// unknown and nothing was repaired, the account neither).
    @Test func aNameThatIsNotUTF8IsRepairedAndUndoneLikeAnyOther() throws {
        let sample = try SampleHost.build()
        let odd: [[UInt8]] = [Array("bad".utf8) + [0xff, 0xfe], Array("back\\slash".utf8), Array("caf".utf8) + [0xc3, 0xa9]]
        for name in odd {
            let path = Array(sample.at("opt/cisco/amp").utf8) + [UInt8(ascii: "/")] + name
            let made = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { mkdir($0.baseAddress!, 0o700) }
            #expect(made == 0)
            _ = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { chmod($0.baseAddress!, 0o700) }
        }
        func modes() -> [String] {
            odd.map { name in
                let path = Array(sample.at("opt/cisco/amp").utf8) + [UInt8(ascii: "/")] + name
                var info = stat()
                let found = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { lstat($0.baseAddress!, &info) } == 0
                return found ? "mode=" + String(info.st_mode, radix: 8) : "missing"
            }
        }
        #expect(modes() == ["mode=40700", "mode=40700", "mode=40700"], "\(modes())")
        let repair = try Self.ampfix(sample, ["--fault", "5", "--json"])
        #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
        let five = try Self.fault(repair, 5)
        #expect(five.actions.contains { $0.target == "/opt/cisco/amp/bad\\xff\\xfe" && $0.outcome == .applied }, "\(five.actions.map(\.target))")
        #expect(five.actions.contains { $0.target == "/opt/cisco/amp/back\\x5cslash" && $0.outcome == .applied })
        #expect(five.actions.contains { $0.target == "/opt/cisco/amp/café" && $0.outcome == .applied })
        #expect(modes() == ["mode=40755", "mode=40755", "mode=40755"], "\(modes())")
        let undo = try AmpfixBinary.run(["undo", "--root", sample.path])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(modes() == ["mode=40700", "mode=40700", "mode=40700"], "\(modes())")
    }

    // MARK: libapt-pkg and librpm

    /// librpm opens root + its database path on the host: the database is handed by where it
    /// resolves inside the root (Fedora's /var/lib/rpm is a relative link), and a link that
    /// leads nowhere inside the root, or a FIFO among the database's files, is refused.
    @Test func librpmIsHandedOnlyADatabaseInsideTheRoot() throws {
        let root = TempRoot("rpm-links")
        try RPMFixture.install([.init("kernel-devel", "5.14.0", "362.8.1.el9_3")], into: root.path)
        try root.makeDirectory("usr/lib/sysimage")
        #expect(rename(root.at("var/lib/rpm"), root.at("usr/lib/sysimage/rpm")) == 0)
        root.symlink("var/lib/rpm", to: "../../usr/lib/sysimage/rpm")
        let fedora = try AmpfixBinary.run(["package", "kernel-devel", "--root", root.path], timeout: 30)
        #expect(fedora.status == 0 && fedora.stdout.contains("5.14.0-362.8.1.el9_3"), "\(fedora.stdout)\(fedora.stderr)")

        // A database outside the root, that the host's kernel would follow the link to.
        let outside = TempRoot("rpm-outside")
        try FileManager.default.copyItem(atPath: root.at("usr/lib/sysimage/rpm"), toPath: outside.at("rpm"))
        unlink(root.at("var/lib/rpm"))
        root.symlink("var/lib/rpm", to: outside.at("rpm"))
        let escaping = try AmpfixBinary.run(["package", "kernel-devel", "--root", root.path], timeout: 30)
        #expect(escaping.status == 2, "\(escaping.stdout)\(escaping.stderr)")
        #expect(escaping.stderr.contains("symbolic link"), "\(escaping.stderr)")

        unlink(root.at("var/lib/rpm"))
        root.symlink("var/lib/rpm", to: "../../usr/lib/sysimage/rpm")
        let database = try #require(try FileManager.default.contentsOfDirectory(atPath: root.at("usr/lib/sysimage/rpm")).first { !$0.hasPrefix(".") })
        #expect(mkfifo(root.at("usr/lib/sysimage/rpm/planted.fifo"), 0o644) == 0, "beside \(database)")
        let fifo = try AmpfixBinary.run(["package", "kernel-devel", "--root", root.path], timeout: 30)
        #expect(!fifo.timedOut)
        #expect(fifo.status == 2 && fifo.stderr.contains("a FIFO"), "\(fifo.stdout)\(fifo.stderr)")
    }

    /// dpkg's status as a FIFO would hang libapt-pkg in its open; a list that is a link would
    /// lead it out of the root.
    @Test func libaptIsHandedOnlyRegularFilesInsideTheRoot() throws {
        let root = TempRoot("apt-fifo")
        try root.makeDirectory("var/lib/dpkg")
        #expect(mkfifo(root.at("var/lib/dpkg/status"), 0o644) == 0)
        let fifo = try AmpfixBinary.run(["package", "linux-headers-amd64", "--root", root.path], timeout: 30)
        #expect(!fifo.timedOut)
        #expect(fifo.status == 2 && fifo.stderr.contains("a FIFO"), "\(fifo.stdout)\(fifo.stderr)")

        unlink(root.at("var/lib/dpkg/status"))
        try root.write("var/lib/dpkg/status", "")
        try root.makeDirectory("var/lib/apt/lists")
        let outside = TempRoot("apt-outside")
        try outside.write("secret", "not for apt\n")
        root.symlink("var/lib/apt/lists/planted_Packages", to: outside.at("secret"))
        let link = try AmpfixBinary.run(["package", "linux-headers-amd64", "--root", root.path], timeout: 30)
        #expect(link.status == 2 && link.stderr.contains("planted_Packages") && link.stderr.contains("symbolic link"), "\(link.stdout)\(link.stderr)")
    }

    // MARK: libkmod

    /// libkmod opens the module directory's index files on the host: a link among them leads it
    /// out of the root (and a FIFO blocks it). The faults that read them are unknown instead.
    @Test func libkmodIsNeverHandedAnIndexFileThatIsALink() throws {
        let sample = try SampleHost.build(healthy: true)
        let outside = TempRoot("outside")
        let index = "lib/modules/\(Self.kernel)/modules.dep.bin"
        #expect(rename(sample.at(index), outside.at("modules.dep.bin")) == 0)
        sample.symlink(index, to: outside.at("modules.dep.bin"))
        let result = try Self.ampfix(sample, ["--fault", "8", "--dry-run", "--json"])
        let fault = try #require(try Self.report(result).faults.first)
        #expect(fault.status == .unknown, "\(fault)")
        #expect(fault.evidence.contains { $0.contains(sample.at(index)) && $0.contains("symbolic link") }, "\(fault.evidence)")
    }
}

/// Every path the ampfix process opens, creates, renames, removes or changes, traced by strace
/// (`-y` prints the file each descriptor is really on), must be inside the root, or one of the
/// host's read-only files a library reads whatever the root: shared libraries, the loader's
/// cache, /proc/filesystems (libselinux's constructor looks for selinuxfs at load), libkmod's
/// /proc/cmdline (kmod_new parses it, no flag turns that off), libcrypto's openssl.cnf, the CPU
/// list, its own /proc entries, and the data files named on the command line. The host's
/// /etc/selinux/config is not among them: under --root libsemanage is handed the store's policy
/// root, so libselinux never reads the host's config (its constructor only tests that the file
/// exists, with access(2)). Planted links that lead out of the root are in place while it runs.
@Suite(.enabled(if: Privileges.isRoot && FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"),
                "skipped: needs root (the sample's repairs) and strace (scripts/deps.sh installs it)"))
struct OutsideAccessTests {
    /// Read-only host paths any run may open (prefixes).
    static let hostReads = [
        "/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "/opt/swift/", "/etc/ld.so.cache", "/usr/share/locale/", "/usr/lib/locale/",
        "/proc/filesystems", "/proc/cmdline", "/proc/sys/kernel/cap_last_cap", "/sys/devices/system/cpu/",
        "/etc/ssl/openssl.cnf", "/usr/lib/ssl/openssl.cnf", "/dev/null", "/dev/urandom", "/proc/self/",
    ]

    struct Access: CustomStringConvertible {
        var line: String
        var path: String
        var writes: Bool
        var description: String { line }
    }

    /// The accesses of the traced process and its threads (not of the programs it runs).
    static func accesses(_ log: String) -> [Access] {
        let lines = log.split(separator: "\n").map(String.init)
        let children = Set(lines.dropFirst().compactMap { line -> Substring? in
            let fields = line.split(separator: " ", maxSplits: 1)
            return fields.count == 2 && fields[1].trimmingCharacters(in: .whitespaces).hasPrefix("execve(") ? fields[0] : nil
        })
        let modifying = ["mkdir", "unlink", "rename", "chmod", "fchmod", "chown", "fchown", "link", "symlink", "truncate", "utime", "setxattr", "removexattr"]
        var found: [Access] = []
        for line in lines {
            let fields = line.split(separator: " ", maxSplits: 1)
            guard fields.count == 2, !children.contains(fields[0]) else { continue }
            let call = fields[1].trimmingCharacters(in: .whitespaces)
            guard !call.contains("= -1 "), let name = call.split(separator: "(").first.map(String.init) else { continue }
            let opens = name == "open" || name == "openat" || name == "openat2" || name == "creat"
            let modifies = modifying.contains { name.hasPrefix($0) || name.hasPrefix("f" + $0) || name.hasPrefix("l" + $0) }
            guard opens || modifies else { continue }
            var paths: [String] = []
            // Every descriptor annotation (-y): `3</real/path>`; not the working directory's
            // (`AT_FDCWD</…>`), which names are resolved against only when they are relative.
            var rest = Substring(call)
            while let open = rest.range(of: "<"), let close = rest[open.upperBound...].range(of: ">") {
                let path = String(rest[open.upperBound..<close.lowerBound])
                if path.hasPrefix("/") && !rest[..<open.lowerBound].hasSuffix("AT_FDCWD") { paths.append(path) }
                rest = rest[close.upperBound...]
            }
            // Absolute names given as strings.
            for piece in call.split(separator: "\"").enumerated() where piece.offset % 2 == 1 && piece.element.hasPrefix("/") {
                paths.append(String(piece.element))
            }
            let writes = modifies || call.contains("O_WRONLY") || call.contains("O_RDWR") || call.contains("O_CREAT")
            for path in paths { found.append(Access(line: line, path: path, writes: writes)) }
        }
        return found
    }

    static func outside(_ accesses: [Access], root: String, alsoRead: [String]) -> [Access] {
        // Its own /proc entries, as /proc/self resolves (the traced process's pid is the first field).
        let own = accesses.first.map { "/proc/" + $0.line.prefix { $0 != " " } + "/" }.map { [$0] } ?? []
        return accesses.filter { access in
            if access.path == root || access.path.hasPrefix(root + "/") { return false }
            if access.writes { return access.path != "/dev/null" }
            return !(hostReads + alsoRead + own).contains { access.path == $0 || ($0.hasSuffix("/") && access.path.hasPrefix($0)) }
        }
    }

    static func traced(_ arguments: [String], log: String) throws -> CommandResult {
        try Command.start("/usr/bin/strace", ["-f", "-y", "-qq", "-e", "trace=%file,%desc,%process", "-o", log, AmpfixBinary.path] + arguments).wait(timeout: 300)
    }

    /// libsemanage on an image reaches the store through libselinux's policy root, which would
    /// be read from the host's own SELinux config: ampfix sets it to the image's store first.
    @Test func anImagesModuleStoreIsReachedWithoutTheHostsSELinuxConfig() throws {
        let sample = try SampleHost.build()
        let outside = TempRoot("outside-selinux")
        let log = outside.at("strace.log")
        for arguments in [["--root", sample.path, "--fault", "19"] + HostileRootTests.ownData, ["undo", "--root", sample.path]] {
            let result = try Self.traced(arguments, log: log)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let trace = try String(contentsOfFile: log, encoding: .utf8)
            // Every access outside the image, but for the libraries' fixed reads: the host's SELinux
            // configuration is not among those, so reading it fails here.
            let outside = Self.outside(Self.accesses(trace), root: sample.path, alsoRead: [PackageLayout.policyModule, PackageLayout.root + "/data/kernel-support.tsv"])
            #expect(outside.isEmpty, "\(arguments.first ?? ""): \(outside.map(\.line))")
            #expect(trace.contains(sample.path + "/var/lib/selinux/tiny"), "libsemanage worked on the image's store")
        }
    }

    @Test func aWholeRepairUndoAndBundleStayInsideTheRoot() throws {
        let sample = try SampleHost.build()
        let outside = TempRoot("outside")
        // Links out of the root where ampfix and its libraries read.
        try outside.write("secret", "not for the bundle\n")
        #expect(rename(sample.at("etc/os-release"), outside.at("os-release")) == 0)
        sample.symlink("etc/os-release", to: outside.at("os-release"))
        sample.symlink("etc/selinux/tiny/contexts/planted", to: outside.at("secret"))
        sample.symlink("lib/modules/\(HostileRootTests.kernel)/modules.dep.bin", to: outside.at("secret"))
        sample.symlink("var/log/cisco/planted.log", to: outside.at("secret"))
        try sample.makeDirectory("etc/modprobe.d")
        sample.symlink("etc/modprobe.d/planted.conf", to: outside.at("secret"))

        let data = [PackageLayout.policyModule, PackageLayout.root + "/data/kernel-support.tsv"]
        let bundle = outside.at("bundle.tar.gz")
        let common = ["--root", sample.path] + HostileRootTests.ownData
        let runs: [[String]] = [
            common + ["--verbose", "--ampcli", sample.at("opt/cisco/amp/bin/ampcli")],
            common + ["--all", "--ampcli", sample.at("opt/cisco/amp/bin/ampcli")],
            ["undo", "--root", sample.path],
            ["collect", "--root", sample.path, "-o", bundle],
        ]
        let log = outside.at("strace.log")
        for arguments in runs {
            let result = try Self.traced(arguments, log: log)
            #expect(!result.timedOut, "\(arguments)")
            let trace = try String(contentsOfFile: log, encoding: .utf8)
            let accesses = Self.accesses(trace)
            #expect(accesses.count > 20, "the trace was read: \(accesses.count) accesses")
            var bad = Self.outside(accesses, root: sample.path, alsoRead: data)
            if arguments.first == "collect" {
                // The bundle itself is written beside its final name, then renamed into place.
                bad = bad.filter {
                    !($0.path == outside.path || $0.path.hasPrefix(outside.path + "/")) || $0.path.hasSuffix("secret") || $0.path.hasSuffix("os-release")
                }
            }
            #expect(bad.isEmpty, "\(arguments.first ?? ""): accesses outside the root:\n\(bad.prefix(20).map { "\($0.path) in \($0.line)" }.joined(separator: "\n"))")
            #expect(!trace.contains("\(outside.path)/secret>"), "a planted link was followed out of the root")
            #expect(!trace.contains("\(outside.path)/os-release>"), "a planted link was followed out of the root")
        }
    }
}
