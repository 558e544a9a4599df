/// Samples the host's events for fault 18 (live only).
public protocol EventSampler {
    /// - Parameter top: how many executables the report ranks.
    func sample(seconds: Double, top: Int, progress: (Double, Int) -> Void) -> Result<EventSampleReport, SampleUnavailable>
}

public struct SampleUnavailable: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// No sampling (under --root, tests of other faults).
public struct NoEventSampler: EventSampler {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public func sample(seconds: Double, top: Int, progress: (Double, Int) -> Void) -> Result<EventSampleReport, SampleUnavailable> {
        .failure(SampleUnavailable(reason))
    }
}
