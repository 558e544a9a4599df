/// Samples the host's events for fault 18 (live only).
public protocol EventSampler {
    /// - Parameter top: how many executables the report ranks.
    func sample(seconds: Double, top: Int, progress: (Double, Int) -> Void) -> Result<EventSampleReport, SampleUnavailable>
}

public struct SampleUnavailable: Error, Sendable, CustomStringConvertible, MessageConvertible {
    public var message: Message
    public init(_ message: Message) { self.message = message }
    public var description: String { message.description }
}

/// No sampling (under --root, tests of other faults).
public struct NoEventSampler: EventSampler {
    public let reason: Message
    public init(reason: Message) { self.reason = reason }
    public func sample(seconds: Double, top: Int, progress: (Double, Int) -> Void) -> Result<EventSampleReport, SampleUnavailable> {
        .failure(SampleUnavailable(reason))
    }
}
