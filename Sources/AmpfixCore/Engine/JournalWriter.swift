#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes one run's records, each made durable before the caller goes on.
public struct JournalWriter {
    public let store: any JournalStore
    public let run: String
    private let encoder: JSONEncoder

    public init(store: any JournalStore, run: String) {
        self.store = store
        self.run = run
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    public func write(_ type: JournalRecord.Kind, seq: Int? = nil, actions: [Action]? = nil, onInterrupt: InterruptPolicy? = nil, command: [String]? = nil,
                      message: String? = nil, made: [String]? = nil) throws {
        let record = JournalRecord(type: type, time: store.now().iso8601, seq: seq, actions: actions, onInterrupt: onInterrupt, command: command,
                                   message: message, made: made)
        let data = try encoder.encode(record)
        try store.append(String(decoding: data, as: UTF8.self), to: run)
    }
}
