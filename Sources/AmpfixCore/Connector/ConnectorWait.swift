/// `--wait DURATION` (fault 6): after a repair, the connector is asked again and again until it
/// no longer raises the fault or the time is up. The connector decides when a fault clears (the
/// seeds speak of ten minutes without restarts), so ampfix can only watch it.
public struct ConnectorWait {
    public enum Outcome: Sendable, Equatable {
        case cleared(after: Duration, asks: Int)
        case stillRaised(after: Duration, asks: Int)
        /// The last ask gave no fault list (a restarting connector may not answer).
        case unreadable(after: Duration, asks: Int, why: Message)

        /// One evidence line for the fault's report.
        public func evidence(_ fault: FaultID) -> Message {
            switch self {
            case .cleared(let after, let asks):
                .msg("waited \(Self.words(after)): the connector cleared fault \(fault) (asked \(asks) times)")
            case .stillRaised(let after, let asks):
                .msg("waited \(Self.words(after)): the connector still raises fault \(fault) (asked \(asks) times)")
            case .unreadable(let after, let asks, let why):
                .msg("waited \(Self.words(after)) (asked \(asks) times): cannot tell whether fault \(fault) cleared: \(why)")
            }
        }

        /// "2.5 s", "10 min 3 s" (units in the report's language).
        public static func words(_ duration: Duration) -> Message {
            let tenths = Int(duration.inSeconds * 10 + 0.5)
            let seconds = tenths / 10
            // TRANSLATORS: a duration; s is seconds, min minutes.
            if seconds < 60 { return tenths % 10 == 0 ? .msg("\(seconds) s") : .msg("\(seconds).\(tenths % 10) s") }
            return seconds % 60 == 0 ? .msg("\(seconds / 60) min") : .msg("\(seconds / 60) min \(seconds % 60) s")
        }
    }

    public var fault: FaultID
    public var limit: Duration
    /// Sleeps between asks (the host's; tests pass their own).
    public var sleep: (Duration) -> Void
    /// Told before each pause: time waited so far, the limit.
    public var progress: (Duration, Duration) -> Void
    /// The time since the wait began (a monotonic clock by default).
    public var elapsed: () -> () -> Duration

    public init(fault: FaultID, limit: Duration, sleep: @escaping (Duration) -> Void, progress: @escaping (Duration, Duration) -> Void = { _, _ in },
                elapsed: @escaping () -> () -> Duration = ConnectorWait.monotonic) {
        self.fault = fault
        self.limit = limit
        self.sleep = sleep
        self.progress = progress
        self.elapsed = elapsed
    }

    public static func monotonic() -> () -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        return { start.duration(to: clock.now) }
    }

    /// A tenth of the limit between asks, from 0.1 s to 5 s (every 5 s over ten minutes).
    public var interval: Duration {
        min(max(limit / 10, .milliseconds(100)), .seconds(5))
    }

    /// Asks `connector` until the fault clears or `limit` passes; the last answer stays cached
    /// in `connector`, so the report after shows it.
    public func run(_ connector: ConnectorContext) -> Outcome {
        let since = elapsed()
        var asks = 0
        while true {
            connector.forget()
            asks += 1
            let raised = connector.raised(fault)
            let waited = since()
            if raised == .no { return .cleared(after: waited, asks: asks) }
            if waited >= limit {
                if raised == .yes { return .stillRaised(after: waited, asks: asks) }
                return .unreadable(after: waited, asks: asks, why: connector.evidence(fault))
            }
            progress(waited, limit)
            sleep(min(interval, limit - waited))
        }
    }
}
