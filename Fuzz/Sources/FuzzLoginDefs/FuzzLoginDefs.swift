import AmpfixCore
import FuzzSupport

/// /etc/login.defs: parsing, every lookup, and the USERGROUPS_ENAB edit (whose result must parse
/// back to "yes" and keep every other line).
func fuzz(_ bytes: [UInt8]) {
    let defs = LoginDefs(path: "/etc/login.defs", bytes: bytes)
    _ = defs.userGroupsEnabled
    _ = defs.systemUIDs
    _ = defs.systemGIDs
    _ = defs.describe("USERGROUPS_ENAB")
    if let edited = defs.settingUserGroups(bytes: "yes") {
        let again = LoginDefs(path: "/etc/login.defs", bytes: edited)
        precondition(again.userGroupsEnabled, "the edit did not take")
        // Nothing else changes: every other setting reads as before, and the file is either
        // kept as its prefix (a line appended) or changed on the effective line only.
        let others = { (d: LoginDefs) in d.entries.filter { $0.key != "USERGROUPS_ENAB" }.map { [$0.key, $0.value] } }
        precondition(others(again) == others(defs), "another setting changed")
        if !edited.starts(with: bytes) {
            let line = defs.entry("USERGROUPS_ENAB")?.line ?? 0
            let before = bytes.split(separator: 10, omittingEmptySubsequences: false)
            let after = edited.split(separator: 10, omittingEmptySubsequences: false)
            precondition(before.count == after.count, "lines added or lost")
            for index in before.indices where index != line - 1 {
                precondition(before[index].elementsEqual(after[index]), "line \(index + 1) changed")
            }
        }
    }
}

@_cdecl("FuzzLoginDefs_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
