import AmpfixCore
import FuzzSupport

/// A run's journal as lines of JSON: replay must either succeed or throw JournalError, and what
/// it replays must be consistent (every progress entry names a planned action).
func fuzz(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let journal = try? RunJournal(run: "fuzz", lines: lines, location: "fuzz") else { return }
    precondition(journal.progress.count == journal.actions.count)
    precondition(journal.reverts.keys.allSatisfy { journal.actions.indices.contains($0) })
    _ = journal.interrupted
    _ = journal.hasChanges
    for action in journal.actions {
        _ = action.change.summary
        _ = action.change.inverse
    }
}

@_cdecl("FuzzJournal_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
