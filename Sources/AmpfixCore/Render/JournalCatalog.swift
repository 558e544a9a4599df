/// The systemd journal message catalog of ampfix's entries (packaging/ampfix.catalog, installed
/// in /usr/lib/systemd/catalog/): what `journalctl -x` prints under each entry, in English and
/// Simplified Chinese, made from the faults' own texts so that the two cannot drift apart.
public enum JournalCatalog {
    public static func render(_ registry: FaultRegistry = .standard) -> String {
        var out = "# The journal message catalog of ampfix (journalctl -x; journalctl --update-catalog).\n"
        out += "# Made by `ampfix list --journal-catalog`: do not edit by hand.\n"
        for definition in registry.definitions {
            for (language, texts) in [(nil, definition.english), ("zh_CN", definition.chinese)] {
                out += "\n-- \(definition.journalMessageID)" + (language.map { " \($0)" } ?? "") + "\n"
                out += "Subject: \(language == nil ? "fault" : "故障") \(definition.id): \(texts.title)\n"
                out += "Defined-By: ampfix\nDocumentation: man:ampfix(8)\n\n"
                out += texts.condition + "\n\n"
                out += texts.resolution.map { "- \($0)" }.joined(separator: "\n") + "\n"
                if !texts.automaticRepairs.isEmpty {
                    out += "\n" + (language == nil ? "ampfix --fault \(definition.id) repairs this:" : "ampfix --fault \(definition.id) 可自动修复：") + "\n"
                    out += texts.automaticRepairs.map { "- \($0)" }.joined(separator: "\n") + "\n"
                }
            }
        }
        let actions: [(String, String, String, String)] = [
            (JournalEntries.actionApplied, "ampfix applied a change", "ampfix 已应用一项更改",
             "ampfix changed the host to repair a fault; the change is journaled under /var/lib/ampfix/journal and `ampfix undo` reverts it."),
            (JournalEntries.actionFailed, "ampfix could not apply or revert a change", "ampfix 无法应用或撤销一项更改",
             "The entry's MESSAGE says why. Nothing else of that change was left behind; `ampfix --dry-run` shows what a new run would do."),
            (JournalEntries.actionReverted, "ampfix reverted a change", "ampfix 已撤销一项更改",
             "`ampfix undo` put the object back as it was before the run that changed it."),
        ]
        let chineseBodies = [
            "ampfix 为修复故障更改了主机；更改记录在 /var/lib/ampfix/journal 下，可用 `ampfix undo` 撤销。",
            "原因见该条目的 MESSAGE。该更改没有留下其他内容；`ampfix --dry-run` 显示新的运行将做什么。",
            "`ampfix undo` 已将对象恢复到更改之前的状态。",
        ]
        for ((id, english, chinese, body), chineseBody) in zip(actions, chineseBodies) {
            out += "\n-- \(id)\nSubject: \(english)\nDefined-By: ampfix\nDocumentation: man:ampfix(8)\n\n\(body)\n"
            out += "\n-- \(id) zh_CN\nSubject: \(chinese)\nDefined-By: ampfix\nDocumentation: man:ampfix(8)\n\n\(chineseBody)\n"
        }
        return out
    }
}
