import AmpfixCore
import CFuzzDriver

/// A run's journal as lines of JSON: replay must either succeed or throw JournalError, and what
/// it replays must be consistent (every progress entry names a planned action).
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let journal = try? RunJournal(run: "fuzz", lines: lines, location: "fuzz") else { return 0 }
    precondition(journal.progress.count == journal.actions.count)
    precondition(journal.reverts.keys.allSatisfy { journal.actions.indices.contains($0) })
    _ = journal.interrupted
    _ = journal.hasChanges
    for action in journal.actions {
        _ = action.change.summary
        _ = action.change.inverse
    }
    return 0
}

@_cdecl("FuzzJournal_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var (count, arguments) = (argc, argv)
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return fuzz(UnsafePointer(bitPattern: 1)!, 0) }
        return fuzz(data, size)
    }
}
