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
}
