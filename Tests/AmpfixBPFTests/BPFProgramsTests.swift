import AmpfixBPF
import AmpfixCore
import AmpfixTestSupport
import Foundation
import Testing

/// The connector's own eBPF objects, built from the published source, read and tried through
/// libbpf.
@Suite(.enabled(if: BPFObjectsFixture.directory != nil, "\(BPFObjectsFixture.skipReason ?? "")"))
struct BPFProgramsTests {
    static var directory: String { BPFObjectsFixture.directory ?? "" }

    @Test func theSectionNamesComeFromTheObjects() throws {
        let set = try LibBPFPrograms(directory: Self.directory).objects().get()
        #expect(set.objects.count == 16)
        #expect(set.origin?.contains("secure-endpoint-ebpf") == true)
        let sections = Set(set.programs.map(\.section.name))
        // From the source's SEC() lines: each object's programs and their targets.
        #expect(sections.isSuperset(of: ["kprobe/__fput", "kprobe/security_inode_create", "kretprobe/inet_csk_accept",
                                         "kprobe/proc_exec_connector", "kprobe/acct_process", "kprobe/wake_up_new_task",
                                         "ksyscall/nanosleep"]))
        let create = set.programs.filter { $0.object == "file_create" }
        #expect(create.map(\.section.target) == ["security_inode_create", "security_inode_mknod", "security_inode_link", "security_inode_symlink"])
        #expect(set.programs.allSatisfy { $0.section.kind != .other }, "every program of the probes attaches to a kernel symbol")
        #expect(set.programs.first { $0.section.name == "ksyscall/nanosleep" }?.section.symbols.contains("__x64_sys_nanosleep") == true)
    }

    @Test func aDirectoryWithoutObjectsSaysWhatShipsThem() throws {
        let empty = TempRoot("bpf-empty")
        guard case .failure(let unavailable) = LibBPFPrograms(directory: empty.path).objects() else {
            Issue.record("an empty directory gave objects")
            return
        }
        #expect(unavailable.reason.description.contains("build-objects.sh"))
    }

    /// In the running kernel: every object loads where BPF is on; a program attaches exactly
    /// where the kernel has kprobes (this machine's 6.18 has none; Debian's 6.1 has them).
    @Test(.enabled(if: Privileges.isRoot, "skipped: loading eBPF programs needs root"))
    func theProbeLoadsAndAttachesWhatThisKernelAllows() throws {
        let config = try #require(BPFObjectsFixture.runningConfig, "no /proc/config.gz or /boot/config of the running kernel")
        let options = KernelConfig(path: "running", text: config)
        let programs = LibBPFPrograms(directory: Self.directory)
        let set = try programs.objects().get()
        let outcomes = try programs.probe(set).get()
        #expect(outcomes.count == set.programs.count)
        if options.enables("BPF_SYSCALL") {
            #expect(outcomes.allSatisfy { $0.state != .notLoaded }, "\(outcomes.filter { $0.state == .notLoaded })")
        }
        if options.enables("KPROBES") && options.enables("KPROBE_EVENTS") && options.enables("BPF_EVENTS") {
            #expect(outcomes.allSatisfy { $0.state == .attached }, "\(outcomes.filter { $0.state != .attached })")
        } else {
            #expect(outcomes.allSatisfy { $0.state == .notAttached && $0.errorNumber != nil && !$0.libbpf.isEmpty },
                    "a kernel without kprobes attaches none, and says why")
        }
        // Nothing stays in the kernel: no program of these objects loaded by now is loaded any more.
        let done = Int(Date().timeIntervalSince1970) + 1
        let left = try BPFObjectsFixture.leftLoaded(try BPFObjectsFixture.programNames(), before: done)
        #expect(left.isEmpty, "left loaded: programs \(left)")
    }

    /// Compiles C for the BPF target (Debian's clang) into `directory/NAME.bpf.o`.
    static func compile(_ source: String, name: String, into directory: TempRoot) throws {
        try directory.write("\(name).c", source)
        let built = try Command.run("/usr/bin/clang", ["-O2", "-g", "-target", "bpf", "-c", directory.at("\(name).c"), "-o", directory.at("\(name).bpf.o")])
        try #require(built.status == 0, "\(built.stderr)")
        unlink(directory.at("\(name).c"))
    }

    /// Objects that hold no program prove nothing: before, "0 of 0 programs attached" made the
    /// kernel ready.
    @Test func objectsWithoutProgramsAreNoEvidence() throws {
        let directory = TempRoot("bpf-none")
        try Self.compile("char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\nint value = 1;\n", name: "empty", into: directory)
        guard case .failure(let unavailable) = LibBPFPrograms(directory: directory.path).objects() else {
            Issue.record("objects without programs were accepted")
            return
        }
        #expect(unavailable.reason.description.contains("hold no eBPF program"), "\(unavailable.reason)")
    }

    /// The verifier's refusal is reported with the end of its log: before, each libbpf message
    /// was cut at 1 KiB, and the log (one message, here ~20 KiB of checked instructions before
    /// the bad one) lost its end, the reason.
    @Test(.enabled(if: Privileges.isRoot, "skipped: loading eBPF programs needs root"))
    func theVerifiersReasonIsKept() throws {
        let directory = TempRoot("bpf-bad")
        try Self.compile("""
            char LICENSE[] __attribute__((section("license"), used)) = "GPL";
            __attribute__((section("kprobe/vfs_read"), used)) int bad(void *ctx) {
                volatile int sum = 0;
                \(String(repeating: "sum += 3; sum ^= 5;\n", count: 150))
                volatile int *p = (int *)0;
                return *p + sum;
            }

            """, name: "bad", into: directory)
        let programs = LibBPFPrograms(directory: directory.path)
        let outcomes = try programs.probe(try programs.objects().get()).get()
        #expect(outcomes.map(\.state) == [.notLoaded])
        #expect(outcomes.first?.libbpf.contains { $0.contains("invalid mem access") } == true, "\(outcomes.first?.libbpf ?? [])")
        #expect(outcomes.first?.verifierSpoke == true, "the verifier wrote its log: its EACCES is the kernel's word on the program")
    }

    /// What is loaded into the kernel as root comes from a directory and files only their owner
    /// can write, read once as regular files: before, a FIFO swapped in after the check hung it.
    @Test func untrustworthyDirectoriesAndFilesAreRefusedAndNamed() throws {
        let open = TempRoot("bpf-open")
        try FileManager.default.copyItem(atPath: Self.directory + "/process_exit.bpf.o", toPath: open.at("process_exit.bpf.o"))
        chmod(open.path, 0o777)
        guard case .failure(let writable) = LibBPFPrograms(directory: open.path).objects() else { Issue.record("a 0777 directory was used"); return }
        #expect(writable.reason.description.contains("may write to it"), "\(writable.reason)")

        chmod(open.path, 0o755)
        #expect(mkfifo(open.at("x.bpf.o"), 0o644) == 0)
        guard case .failure(let fifo) = LibBPFPrograms(directory: open.path).objects() else { Issue.record("a FIFO object was passed over"); return }
        #expect(fifo.reason.description.contains("x.bpf.o") && fifo.reason.description.contains("not a regular file"), "\(fifo.reason)")

        unlink(open.at("x.bpf.o"))
        chmod(open.at("process_exit.bpf.o"), 0o666)
        guard case .failure(let file) = LibBPFPrograms(directory: open.path).objects() else { Issue.record("a 0666 object was used"); return }
        #expect(file.reason.description.contains("writable by others"), "\(file.reason)")
    }
}
