import AmpfixBPF
import AmpfixCore
import AmpfixTestSupport
import Testing

/// Static evidence for a kernel that is not running (an image, a kernel installed but not yet
/// booted): its configuration and System.map against the targets the real objects name.
@Suite(.enabled(if: BPFObjectsFixture.directory != nil, "\(BPFObjectsFixture.skipReason ?? "")"))
struct EBPFReadinessTests {
    static let release = "6.1.0-99-amd64"
    static var programs: LibBPFPrograms { LibBPFPrograms(directory: BPFObjectsFixture.directory ?? "") }

    static let fullConfig = """
        CONFIG_BPF_SYSCALL=y
        CONFIG_BPF_EVENTS=y
        CONFIG_KPROBES=y
        CONFIG_KPROBE_EVENTS=y
        CONFIG_DEBUG_INFO_BTF=y
        CONFIG_FANOTIFY=y
        CONFIG_FANOTIFY_ACCESS_PERMISSIONS=y
        CONFIG_PROC_EVENTS=y
        CONFIG_BSD_PROCESS_ACCT=y

        """

    /// A System.map with every symbol the objects' programs attach to (their first candidate,
    /// as an x86-64 kernel names them) and enough others to be a kernel's, minus `without`.
    static func systemMap(without: Set<String> = [], adding: [String] = []) throws -> String {
        let set = try programs.objects().get()
        let targets = set.programs.compactMap(\.section.symbols.first).filter { !without.contains($0) } + adding
        let filler = (0..<1500).map { "filler_function_\($0)" }
        return (targets + filler).enumerated().map { index, name in
            "ffffffff81\(String(index, radix: 16).leftPadded(6)) T \(name)"
        }.joined(separator: "\n") + "\n"
    }

    static func host(config: String? = fullConfig, map: String?) -> MemoryFacts {
        var files: [String: String] = [:]
        files["/boot/config-\(release)"] = config
        files["/boot/System.map-\(release)"] = map
        return MemoryFacts(files: files)
    }

    static func assess(_ host: MemoryFacts) -> EBPFReadiness {
        EBPFReadiness.assess(host, release: release, running: false, depth: .full, programs: programs)
    }

    @Test func aKernelWithEveryOptionAndTargetIsReady() throws {
        let readiness = Self.assess(Self.host(map: try Self.systemMap()))
        #expect(readiness.verdict == .ready, "\(readiness.evidence)")
        #expect(readiness.source == .files)
        #expect(readiness.failing.isEmpty)
    }

    @Test func aMissingTargetNamesItsProgramAndWhatTheConnectorLoses() throws {
        let map = try Self.systemMap(without: ["acct_process"], adding: ["acct_process.isra.0"])
        let readiness = Self.assess(Self.host(map: map))
        #expect(readiness.verdict == .notReady)
        #expect(readiness.failing.map(\.name) == ["event_acct_process"])
        #expect(readiness.losses.map(\.description) == ["process exits"])
        #expect(readiness.evidence.contains { $0.description.contains("acct_process.isra.0") })
    }

    @Test func aKernelWithoutKprobesStopsEveryProgram() throws {
        let config = Self.fullConfig.replacingOccurrences(of: "CONFIG_KPROBES=y", with: "# CONFIG_KPROBES is not set")
        let readiness = Self.assess(Self.host(config: config, map: try Self.systemMap()))
        #expect(readiness.verdict == .notReady)
        let set = try Self.programs.objects().get()
        #expect(readiness.failing.count == set.programs.count)
        #expect(readiness.evidence.contains { $0.description.contains("CONFIG_KPROBES is not set in /boot/config-\(Self.release)") })
        #expect(readiness.losses.count == set.objects.count)
    }

    @Test func debiansPlaceholderMapAndAMissingConfigAreUnknownNotReady() throws {
        let placeholder = "ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n"
        let readiness = Self.assess(Self.host(map: placeholder))
        #expect(readiness.verdict == .unknown)
        #expect(readiness.evidence.contains { $0.description.contains("linux-image-\(Self.release)-dbg") })
        let noConfig = Self.assess(Self.host(config: nil, map: try Self.systemMap()))
        #expect(noConfig.verdict == .unknown)
        #expect(noConfig.evidence.contains { $0.description.contains("no /boot/config-\(Self.release)") })
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
