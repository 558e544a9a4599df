import AmpfixCore
import AmpfixTestSupport
import Testing

@Suite struct JournalEntriesTests {
    static func fields(_ entry: JournalEntries.Entry) -> [String: String] {
        Dictionary(entry.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func appliedAndFailedActionsHaveEntriesOfTheirOwnPlannedOnesDoNot() {
        var report = PrometheusTextTests.report()
        let restart = Action(fault: .scanUserUnavailable, change: .restartService(unit: "cisco-amp"))
        report.faults[0].actions = [ActionReport(restart, outcome: .applied), ActionReport(restart, outcome: .failed(.verbatim("unit not found"))),
                                    ActionReport(restart, outcome: .planned)]
        let entries = JournalEntries.entries(of: report, run: "run-1").map(Self.fields)
        #expect(entries.count == 2 + 2, "two statuses, two actions: \(entries)")
        let applied = entries.filter { $0["MESSAGE_ID"] == JournalEntries.actionApplied }
        let failed = entries.filter { $0["MESSAGE_ID"] == JournalEntries.actionFailed }
        #expect(applied.count == 1 && applied[0]["PRIORITY"] == "5" && applied[0]["AMPFIX_FAULT"] == "5")
        #expect(failed.count == 1 && failed[0]["PRIORITY"] == "3" && failed[0]["MESSAGE"]?.hasSuffix("(unit not found)") == true, "\(failed)")
        #expect(entries.allSatisfy { $0["AMPFIX_RUN_ID"] == "run-1" && $0["SYSLOG_IDENTIFIER"] == "ampfix" })
        let present = entries.first { $0["AMPFIX_STATUS"] == "present" }
        #expect(present?["PRIORITY"] == "4" && present?["MESSAGE_ID"] == FaultRegistry.standard.definition(.scanUserUnavailable)?.journalMessageID)
    }

    @Test func anUndoSendsItsRevertsAndItsFailures() {
        let restart = Action(fault: .scanUserUnavailable, change: .restartService(unit: "cisco-amp"))
        let undo = UndoResult(run: "run-2", items: [(restart, .reverted), (restart, .failed(.verbatim("busy"))), (restart, .notReversible)])
        let entries = JournalEntries.entries(of: undo).map(Self.fields)
        #expect(entries.map { $0["MESSAGE_ID"] } == [JournalEntries.actionReverted, JournalEntries.actionFailed])
        #expect(entries.allSatisfy { $0["AMPFIX_RUN_ID"] == "run-2" })
    }
}
