/// Writes one run's records, each made durable before the caller goes on.
public struct JournalWriter {
    public let store: any JournalStore
    public let run: String

    public init(store: any JournalStore, run: String) {
        self.store = store
        self.run = run
    }

    public func write(_ type: JournalRecord.Kind, seq: Int? = nil, actions: [Action]? = nil, onInterrupt: InterruptPolicy? = nil, command: [String]? = nil,
                      message: Message? = nil, made: [String]? = nil) throws {
        let record = JournalRecord(type: type, time: store.now().iso8601, seq: seq, actions: actions, onInterrupt: onInterrupt, command: command,
                                   reason: message, made: made)
        try store.append(try JSONCoding.text(record, pretty: false), to: run)
    }
}
