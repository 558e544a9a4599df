import AmpfixCore
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
