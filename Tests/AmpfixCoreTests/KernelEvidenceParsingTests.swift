import AmpfixCore
import AmpfixTestSupport
import Testing

/// The static evidence's parsers: kernel configuration, symbol maps, eBPF section names.
@Suite struct KernelEvidenceParsingTests {
    @Test func aConfigurationReadsSetOptionsAndNotSetOnes() {
        let config = KernelConfig(path: "/boot/config-6.1.0-1-amd64", text: """
            #
            # Automatically generated file; DO NOT EDIT.
            CONFIG_BPF_SYSCALL=y
            CONFIG_FANOTIFY=m
            # CONFIG_KPROBES is not set
            CONFIG_LOCALVERSION="-amd64"\r
            CONFIG_X=
            CONFIG_BAD NAME=y
            CONFIG_=y
            """)
        #expect(config.enables("BPF_SYSCALL"))
        #expect(config.enables("FANOTIFY"), "a module counts")
        #expect(!config.enables("KPROBES"))
        #expect(!config.enables("DEBUG_INFO_BTF"), "an absent option is not set")
        #expect(config.values["LOCALVERSION"] == "\"-amd64\"", "a CR ends the value")
        #expect(config.values["X"] == "")
        #expect(config.values.count == 4, "\(config.values)")
    }

    @Test func aSymbolMapKeepsNamesOfEveryKindAndModuleSymbols() {
        let map = SymbolMap(path: "/proc/kallsyms", bytes: Array("""
            ffffffff81000000 T _stext
            ffffffff81001000 t acct_process.isra.0
            0000000000000000 T __fput\t[ext4]
            ffffffff81002000 W weak_function\r
            malformed-line
            ffffffff81003000 T

            """.utf8))
        #expect(map.contains("_stext") && map.contains("__fput") && map.contains("weak_function"))
        #expect(!map.contains("acct_process"))
        #expect(map.variants(of: "acct_process") == ["acct_process.isra.0"])
        #expect(map.names.count == 4, "\(map.names)")
    }

    @Test func sectionNamesSayKindAndTargetAsLibbpfReadsThem() {
        #expect(BPFSection("kprobe/__fput").kind == .kprobe)
        #expect(BPFSection("kprobe/__fput").target == "__fput")
        #expect(BPFSection("kretprobe/inet_csk_accept+0x10").target == "inet_csk_accept", "an offset is not part of the symbol")
        #expect(BPFSection("ksyscall/nanosleep").symbols.contains("__x64_sys_nanosleep"))
        #expect(BPFSection("ksyscall/nanosleep").needsKprobes)
        #expect(!BPFSection("fentry/vfs_read").needsKprobes)
        #expect(BPFSection("tp/sched/sched_process_exit").kind == .tracepoint)
        #expect(BPFSection("tp/sched/sched_process_exit").symbols.isEmpty)
        #expect(BPFSection("tc").kind == .other)
        #expect(BPFSection("kprobe/").kind == .other, "a kind without a target attaches to nothing")
        #expect(BPFSection("kprobe/+8").kind == .other)
    }
}

/// How the probe's outcomes read in the evidence: the kernel's words, libbpf's, and ampfix's own
/// reason where it did not try (a kernel before 4.17 cannot be had here: its outcome is given).
@Suite struct ProbeOutcomeWordsTests {
    struct GivenOutcomes: BPFPrograms {
        var outcomes: [BPFProgramOutcome]
        func objects() -> Result<BPFObjectSet, BPFUnavailable> {
            .success(BPFObjectSet(directory: "/usr/lib/ampfix/bpf", objects: ["/usr/lib/ampfix/bpf/process_exit.bpf.o"], programs: outcomes.map(\.program), origin: nil))
        }
        func probe(_ set: BPFObjectSet) -> Result<[BPFProgramOutcome], BPFUnavailable> { .success(outcomes) }
    }

    @Test func ampfixsOwnReasonIsAMessageAndLibbpfsWordsAreLibbpfs() {
        let exit = BPFProgram(object: "process_exit", name: "handle_exit", section: BPFSection("kprobe/acct_process"))
        let fork = BPFProgram(object: "process_fork", name: "handle_fork", section: BPFSection("kprobe/wake_up_new_task"))
        let outcomes = [
            BPFProgramOutcome(program: exit, state: .notAttached, errorNumber: 95, errorText: "Operation not supported",
                              note: .msg("this kernel has no kprobe event source (before 4.17): a kprobe made through tracefs would outlive a killed ampfix, so none was made")),
            BPFProgramOutcome(program: fork, state: .notAttached, errorNumber: 2, errorText: "No such file or directory",
                              libbpf: ["prog 'handle_fork': failed to create kprobe 'wake_up_new_task+0x0' perf event: No such file or directory"]),
        ]
        let evidence = EBPFReadiness.assess(MemoryFacts(files: [:]), release: "4.14.0", running: true, depth: .full, programs: GivenOutcomes(outcomes: outcomes))
            .evidence
        let lines = evidence.map(\.description)
        #expect(lines.contains("not attached: kprobe/acct_process: Operation not supported (errno 95); this kernel has no kprobe event source (before 4.17): a kprobe made through tracefs would outlive a killed ampfix, so none was made"), "\(lines)")
        #expect(lines.contains("not attached: kprobe/wake_up_new_task: No such file or directory (errno 2); libbpf: failed to create kprobe 'wake_up_new_task+0x0' perf event: No such file or directory"), "\(lines)")
        // The reason is a message of the catalog (translated), not words inside libbpf's.
        let reason = evidence.first { $0.description.contains("before 4.17") }
        #expect(reason?.ids.contains { $0.hasPrefix("this kernel has no kprobe event source") } == true, "\(String(describing: reason))")
    }

    /// Permission denied to ampfix's own process is no word on the kernel: its files judge it.
    @Test func aKernelThatRefusesAmpfixItselfIsJudgedFromItsFiles() {
        let exit = BPFProgram(object: "process_exit", name: "handle_exit", section: BPFSection("kprobe/acct_process"))
        let write = BPFProgram(object: "file_write", name: "handle_write", section: BPFSection("kprobe/vfs_write"))
        let denied = [BPFProgramOutcome(program: exit, state: .notAttached, errorNumber: 13, errorText: "Permission denied"),
                      BPFProgramOutcome(program: write, state: .notLoaded, errorNumber: 1, errorText: "Operation not permitted")]
        let config = "CONFIG_BPF_SYSCALL=y\nCONFIG_BPF_EVENTS=y\nCONFIG_KPROBES=y\nCONFIG_KPROBE_EVENTS=y\n"
        let host = MemoryFacts(files: [EBPFReadiness.selinuxEnforcePath: "1", EBPFReadiness.configPath("6.1.0-50-amd64"): config])
        let refused = EBPFReadiness.assess(host, release: "6.1.0-50-amd64", running: true, depth: .full, programs: GivenOutcomes(outcomes: denied))
        #expect(refused.verdict != .notReady, "\(refused.evidence)")
        #expect(refused.outcomes.isEmpty && refused.failing.isEmpty)
        #expect(refused.evidence.contains { $0.description.hasPrefix("the kernel refused ampfix's own process (permission denied) with SELinux enforcing") }, "\(refused.evidence)")
        #expect(refused.evidence.contains { $0.description == "0 of 2 programs attached" }, "what the kernel said stays in the evidence")

        // One refusal of another kind, and the kernel's answer counts.
        let mixed = [denied[0], BPFProgramOutcome(program: write, state: .notAttached, errorNumber: 2, errorText: "No such file or directory")]
        let notReady = EBPFReadiness.assess(host, release: "6.1.0-50-amd64", running: true, depth: .full, programs: GivenOutcomes(outcomes: mixed))
        #expect(notReady.verdict == .notReady && notReady.failing == [write], "what the kernel refused counts; what it denied ampfix is only said")
        #expect(notReady.evidence.contains { $0.description.hasPrefix("the kernel refused ampfix's own process 1 program (permission denied") }, "\(notReady.evidence)")
    }

    /// EACCES from the verifier (it wrote its log) is the kernel's judgment of the program, and
    /// the evidence quotes the verifier's own last word, not libbpf's "failed to load".
    @Test func theVerifiersRefusalIsTheKernelsWordWithItsReason() {
        let write = BPFProgram(object: "file_write", name: "handle_write", section: BPFSection("kprobe/vfs_write"))
        let exit = BPFProgram(object: "process_exit", name: "handle_exit", section: BPFSection("kprobe/acct_process"))
        let refused = BPFProgramOutcome(program: write, state: .notLoaded, errorNumber: 13, errorText: "Permission denied",
                                        libbpf: ["27: (79) r1 = *(u64 *)(r2 +0)", "R2 invalid mem access 'scalar'",
                                                 "processed 31 insns (limit 1000000) max_states_per_insn 0 total_states 2 peak_states 2 mark_read 1",
                                                 "prog 'handle_write': failed to load: -13", "failed to load object 'file_write'"],
                                        verifierSpoke: true)
        let readiness = EBPFReadiness.assess(MemoryFacts(files: [EBPFReadiness.selinuxEnforcePath: "0"]), release: "6.1.0-50-amd64", running: true, depth: .full,
                                             programs: GivenOutcomes(outcomes: [refused, BPFProgramOutcome(program: exit, state: .attached)]))
        #expect(readiness.verdict == .notReady && readiness.failing == [write])
        let lines = readiness.evidence.map(\.description)
        #expect(lines.contains("not loaded: kprobe/vfs_write: Permission denied (errno 13); libbpf: R2 invalid mem access 'scalar'"), "\(lines)")
        #expect(!lines.contains { $0.contains("refused ampfix's own process") })
    }
}
