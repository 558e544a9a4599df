/// The one machine every change goes through, whether a repair applies it, recovery finishes it
/// or undo reverts it: journal the intent, look where the object stands, change it only from its
/// before state, journal the result. Only the records differ between applying and reverting.
struct JournaledStep {
    /// The records one direction writes, and how it words an object found changed meanwhile.
    struct Records: Sendable {
        let intent: JournalRecord.Kind
        let done: JournalRecord.Kind
        let failed: JournalRecord.Kind
        let skipped: JournalRecord.Kind
        /// Written when the object is already as the step would leave it.
        let already: (kind: JournalRecord.Kind, message: Message)
        let changedMeanwhile: @Sendable (_ target: String, _ now: Message) -> Message

        static let apply = Records(
            intent: .intent, done: .done, failed: .failed, skipped: .skipped,
            // Not this run's change: recorded as skipped so that undo leaves it alone.
            already: (.skipped, .msg("already in place")),
            // TRANSLATORS: %1$s is a path or name, %2$s what it is now.
            changedMeanwhile: { .msg("\($0) changed since it was planned: now \($1)") }
        )
        static let revert = Records(
            intent: .revertIntent, done: .reverted, failed: .revertFailed, skipped: .revertSkipped,
            already: (.reverted, .msg("already in the before state")),
            // TRANSLATORS: %1$s is a path or name, %2$s what it is now.
            changedMeanwhile: { .msg("\($0) changed since the run: now \($1); left as it is") }
        )
    }

    enum Result: Equatable {
        case made
        case alreadyThere
        case changedMeanwhile(Message)
        case failed(Message)
    }

    let applier: any ChangeApplier
    let records: Records

    /// Makes `change` (for a revert: the inverse of the run's change) as action `seq` of `journal`.
    /// - Parameter resumed: the intent was journaled by a run that was then interrupted. Found
    ///   made, the change is that run's own (the crash came between the change and its record),
    ///   so it is recorded as done and undo reverts it.
    /// - Parameter made: called once the change is made, before its record (the crash switch).
    func run(_ change: Change, seq: Int, journal: JournalWriter, resumed: Bool = false, made: () -> Void = {}) throws -> Result {
        try journal.write(records.intent, seq: seq)
        let state: ChangeState
        var finished: Message?
        do {
            if resumed { finished = try applier.finishInterrupted(change) }
            state = try applier.state(of: change)
        } catch {
            let reason = Self.joined(finished, .of(error))
            try journal.write(records.failed, seq: seq, message: reason)
            return .failed(reason)
        }
        switch state {
        case .after where resumed:
            try journal.write(records.done, seq: seq, message: Self.joined(finished, .msg("found made after an interruption: this run's change")),
                              made: applier.record(of: change))
            return .made
        case .after:
            try journal.write(records.already.kind, seq: seq, message: Self.joined(finished, records.already.message))
            return .alreadyThere
        case .other(let now):
            let reason = records.changedMeanwhile(change.target, now)
            try journal.write(records.skipped, seq: seq, message: Self.joined(finished, reason))
            return .changedMeanwhile(reason)
        case .before:
            do {
                try applier.apply(change)
            } catch {
                // What a failed change left (useradd that wrote passwd, then hit a full disk)
                // is recorded too: undo removes it as it would the whole change.
                let reason = Self.joined(finished, .of(error))
                try journal.write(records.failed, seq: seq, message: reason, made: applier.record(of: change))
                return .failed(reason)
            }
            made()
            try journal.write(records.done, seq: seq, message: finished, made: applier.record(of: change))
            return .made
        }
    }

    private static func joined(_ first: Message?, _ second: Message) -> Message {
        first.map { .joined([$0, second], separator: "; ") } ?? second
    }
}
