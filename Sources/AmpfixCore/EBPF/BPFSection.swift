/// What an eBPF program attaches to, read from its ELF section name the way libbpf reads it
/// (`SEC("kprobe/__fput")`): the kind before the first "/", the target after it.
public struct BPFSection: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// A kernel function, on entry (kprobe) or return (kretprobe).
        case kprobe, kretprobe
        /// A system call (libbpf attaches a kprobe to the architecture's wrapper).
        case ksyscall, kretsyscall
        /// A kernel function through BTF trampolines.
        case fentry, fexit
        case tracepoint, rawTracepoint = "raw_tracepoint"
        /// Anything else (tc, xdp, …): attached to something other than a kernel symbol.
        case other
    }

    public var name: String
    public var kind: Kind
    /// The function, system call or tracepoint; nil when the kind names none.
    public var target: String?

    public init(_ name: String) {
        self.name = name
        let parts = name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let prefix = String(parts[0])
        let rest = parts.count > 1 ? String(parts[1]) : ""
        switch prefix {
        case "kprobe", "kretprobe", "ksyscall", "kretsyscall", "fentry", "fexit":
            kind = Kind(rawValue: prefix) ?? .other
            // libbpf allows "kprobe/func+offset"; the symbol is what precedes the offset.
            let symbol = rest.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            target = symbol.isEmpty ? nil : symbol
        case "tracepoint", "tp":
            kind = .tracepoint
            target = rest.isEmpty ? nil : rest
        case "raw_tracepoint", "raw_tp":
            kind = .rawTracepoint
            target = rest.isEmpty ? nil : rest
        default:
            kind = .other
            target = nil
        }
        if kind != .other && target == nil { kind = .other }
    }

    /// Whether the kernel needs kprobes (CONFIG_KPROBES, CONFIG_KPROBE_EVENTS) to attach it.
    public var needsKprobes: Bool { [.kprobe, .kretprobe, .ksyscall, .kretsyscall].contains(kind) }

    /// The kernel symbols any one of which the target is found by in a symbol map: a function by
    /// its name; a system call by its wrappers (x86-64 and arm64 since 4.17, `sys_NAME` before).
    public var symbols: [String] {
        guard let target else { return [] }
        switch kind {
        case .kprobe, .kretprobe, .fentry, .fexit: return [target]
        case .ksyscall, .kretsyscall: return ["__x64_sys_\(target)", "__arm64_sys_\(target)", "__se_sys_\(target)", "sys_\(target)"]
        case .tracepoint, .rawTracepoint, .other: return []
        }
    }
}
