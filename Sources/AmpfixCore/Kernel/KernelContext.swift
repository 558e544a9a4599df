/// The kernel facts of one host, gathered on first use and shared by the faults that need them
/// (8, 9, 11, 16), so that one diagnosis reads os-release and lists /lib/modules once. A repair
/// changes neither the kernel release nor the distribution, so the facts hold for a whole run.
public final class KernelContext {
    public let options: RepairOptions
    private var gathered: KernelFacts?

    public init(options: RepairOptions) {
        self.options = options
    }

    /// The facts of `host`; every call on one context must pass the same host.
    public func facts(_ host: any HostFacts) -> KernelFacts {
        if let gathered { return gathered }
        let facts = KernelFacts.gather(host, options: options)
        gathered = facts
        return facts
    }
}
