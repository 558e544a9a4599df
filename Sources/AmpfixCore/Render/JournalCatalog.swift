/// The systemd journal message catalog of ampfix's entries (packaging/ampfix.catalog, installed
/// in /usr/lib/systemd/catalog/): what `journalctl -x` prints under each entry, in English and
/// Simplified Chinese, made from the faults' own texts so that the two cannot drift apart.
public enum JournalCatalog {
    /// - Parameter chinese: ampfix's words in Simplified Chinese, the faults' texts included
    ///   (po/zh_CN.po, through gettext).
    public static func render(_ registry: FaultRegistry = .standard, chinese: any Translating) -> String {
        var out = "# The journal message catalog of ampfix (journalctl -x; journalctl --update-catalog).\n"
        out += "# Made by `ampfix list --journal-catalog` from the fault catalog and po/zh_CN.po: do not edit by hand.\n"
        let languages: [(suffix: String, t: any Translating)] = [("", UntranslatedText()), (" zh_CN", chinese)]
        for definition in registry.definitions {
            for (suffix, t) in languages {
                let texts = definition.entry(t)
                out += "\n-- \(definition.journalMessageID)\(suffix)\n"
                // TRANSLATORS: the subject of a fault's entry in the systemd journal's catalog.
                out += "Subject: " + t("fault %1$s: %2$s", "\(definition.id)", texts.title) + "\n"
                out += "Defined-By: ampfix\nDocumentation: man:ampfix(8)\n\n"
                // Every status's entry has this MESSAGE_ID: the text says which one this is
                // (journalctl fills @AMPFIX_STATUS@ from the entry) before the fault's own words.
                out += t("ampfix's diagnosis of this fault on this host: @AMPFIX_STATUS@ (present: its cause is here; ok: it is not; not-applicable: the fault cannot occur here; unknown: it could not be evaluated, and the entry's MESSAGE and ampfix --verbose say why). What the fault means, and what to do while it is present:") + "\n\n"
                out += texts.condition + "\n\n"
                out += texts.resolution.map { "- \($0)" }.joined(separator: "\n") + "\n"
                if !texts.automaticRepairs.isEmpty {
                    out += "\n" + t("ampfix --fault %1$s repairs this:", "\(definition.id)") + "\n"
                    out += texts.automaticRepairs.map { "- \($0)" }.joined(separator: "\n") + "\n"
                }
            }
        }
        let actions = languages.map { suffix, t in
            [
                (JournalEntries.actionApplied, t("ampfix applied a change"),
                 t("ampfix changed the host to repair a fault; the change is journaled under /var/lib/ampfix/journal and `ampfix undo` reverts it.")),
                (JournalEntries.actionFailed, t("ampfix could not apply or revert a change"),
                 t("The entry's MESSAGE says why. Nothing else of that change was left behind; `ampfix --dry-run` shows what a new run would do.")),
                (JournalEntries.actionReverted, t("ampfix reverted a change"),
                 t("`ampfix undo` put the object back as it was before the run that changed it.")),
                (JournalEntries.kernelPrediction, t("ampfix predicted the connector's faults for a kernel"),
                 t("`ampfix preflight` (run by the kernel hook when a kernel is installed) checked the kernel before it was booted. AMPFIX_KERNEL_READY=1: the connector would monitor with it; otherwise AMPFIX_BLOCKING lists the faults that would stop it, and `ampfix preflight --kernel RELEASE` shows the evidence and what prevents each.")),
            ].map { (id: $0.0, suffix: suffix, subject: $0.1, body: $0.2) }
        }
        // Each action's entries together, English first.
        for index in actions[0].indices {
            for entry in actions.map({ $0[index] }) {
                out += "\n-- \(entry.id)\(entry.suffix)\nSubject: \(entry.subject)\nDefined-By: ampfix\nDocumentation: man:ampfix(8)\n\n\(entry.body)\n"
            }
        }
        return out
    }
}
