import AmpfixCore
import FuzzSupport

/// /etc/login.defs: parsing, every lookup, and the USERGROUPS_ENAB edit (whose result must parse
/// back to "yes" and keep every other line).
func fuzz(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let defs = LoginDefs(path: "/etc/login.defs", text: text)
    _ = defs.userGroupsEnabled
    _ = defs.systemUIDs
    _ = defs.systemGIDs
    _ = defs.describe("USERGROUPS_ENAB")
    if let edited = defs.settingUserGroups("yes") {
        let again = LoginDefs(path: "/etc/login.defs", text: edited)
        precondition(again.userGroupsEnabled, "the edit did not take")
        // Nothing else changes: every other line is kept byte for byte.
        let before = text.utf8.split(separator: 10, omittingEmptySubsequences: false)
        let after = edited.utf8.split(separator: 10, omittingEmptySubsequences: false)
        if let line = defs.entry("USERGROUPS_ENAB")?.line {
            precondition(before.count == after.count, "lines added or lost")
            for index in before.indices where index != line - 1 {
                precondition(before[index].elementsEqual(after[index]), "line \(index + 1) changed")
            }
        } else {
            precondition(edited.utf8.starts(with: text.utf8), "the file was not kept as its prefix")
        }
    }
}

@_cdecl("FuzzLoginDefs_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
