import AmpfixCore
import Testing

@Suite struct LoginDefsTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var text: String?
        var enabled: Bool
        /// The file after setting USERGROUPS_ENAB yes, or nil when nothing needs to change.
        var edited: String?
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "yes", text: "UID_MIN 1000\nUSERGROUPS_ENAB yes\n", enabled: true, edited: nil),
        Case(name: "no", text: "UID_MIN 1000\nUSERGROUPS_ENAB no\nUMASK 022\n", enabled: false,
             edited: "UID_MIN 1000\nUSERGROUPS_ENAB yes\nUMASK 022\n"),
        Case(name: "missing", text: "UID_MIN 1000\n", enabled: false, edited: "UID_MIN 1000\nUSERGROUPS_ENAB yes\n"),
        Case(name: "commented", text: "#USERGROUPS_ENAB yes\n# USERGROUPS_ENAB no\n", enabled: false,
             edited: "#USERGROUPS_ENAB yes\n# USERGROUPS_ENAB no\nUSERGROUPS_ENAB yes\n"),
        Case(name: "lowercase key", text: "usergroups_enab yes\n", enabled: false,
             edited: "usergroups_enab yes\nUSERGROUPS_ENAB yes\n"),
        Case(name: "odd spacing", text: "  USERGROUPS_ENAB\t\t no   \n", enabled: false,
             edited: "  USERGROUPS_ENAB\t\t yes   \n"),
        Case(name: "quoted", text: "USERGROUPS_ENAB \"no\"\n", enabled: false, edited: "USERGROUPS_ENAB \"yes\"\n"),
        Case(name: "uppercase value", text: "USERGROUPS_ENAB YES\n", enabled: true, edited: nil),
        Case(name: "last one wins", text: "USERGROUPS_ENAB yes\nUSERGROUPS_ENAB no\n", enabled: false,
             edited: "USERGROUPS_ENAB yes\nUSERGROUPS_ENAB yes\n"),
        Case(name: "no final newline", text: "UID_MIN 1000", enabled: false, edited: "UID_MIN 1000\nUSERGROUPS_ENAB yes\n"),
        Case(name: "CRLF line", text: "USERGROUPS_ENAB no\r\n", enabled: false, edited: "USERGROUPS_ENAB yes\r\n"),
        Case(name: "absent file", text: nil, enabled: false, edited: "USERGROUPS_ENAB yes\n"),
    ]

    @Test(arguments: cases)
    func userGroupsSetting(_ c: Case) {
        let defs = LoginDefs(path: ScanUserFault.loginDefsPath, text: c.text)
        #expect(defs.userGroupsEnabled == c.enabled)
        let edited = defs.settingUserGroups("yes")
        #expect(edited == c.edited)
        if let edited {
            #expect(LoginDefs(path: ScanUserFault.loginDefsPath, text: edited).userGroupsEnabled)
        }
    }

    /// A key written without a value is no setting to shadow ("only 1 field"): the setting is
    /// appended (before, the fuzz target found the value glued on, "USERGROUPS_ENAByes").
    @Test func aKeyWithoutAValueIsNoSettingAndOneIsAppended() throws {
        let defs = LoginDefs(path: "login.defs", text: "UMASK 022\nUSERGROUPS_ENAB\nUID_MIN 1000\n")
        #expect(defs.entry("USERGROUPS_ENAB") == nil)
        let edited = try #require(defs.settingUserGroups("yes"))
        #expect(edited == "UMASK 022\nUSERGROUPS_ENAB\nUID_MIN 1000\nUSERGROUPS_ENAB yes\n")
        #expect(LoginDefs(path: "login.defs", text: edited).userGroupsEnabled)
    }

    /// shadow reads login.defs with fgets into 1024 bytes: what follows the 1023rd byte of a
    /// long line is a line of its own. A comment that long ending in "USERGROUPS_ENAB no" turns
    /// the setting off for useradd; before, ampfix saw only the comment and said "yes".
    @Test func aLongLineIsReadInPiecesAsShadowReadsIt() throws {
        // shadow-utils reads with fgets into char buf[1024]: 1023 bytes a piece.
        let long = "#" + String(repeating: "x", count: 1022) + "USERGROUPS_ENAB no\n"
        let defs = LoginDefs(path: "login.defs", text: "USERGROUPS_ENAB yes\n" + long + "UMASK 022\n")
        #expect(!defs.userGroupsEnabled)
        #expect(defs.entry("USERGROUPS_ENAB")?.line == 2 && defs.entry("USERGROUPS_ENAB")?.continuation == true)
        #expect(defs.warnings.map(\.description) == ["login.defs:2: a line longer than 1023 bytes, whose bytes after the 1023th shadow-utils reads as a line of their own: it sets USERGROUPS_ENAB"])
        let edited = try #require(defs.settingUserGroups("yes"))
        #expect(edited == "USERGROUPS_ENAB yes\n" + long + "UMASK 022\nUSERGROUPS_ENAB yes\n", "appended: the long line is kept as it is")
        #expect(LoginDefs(path: "login.defs", text: edited).userGroupsEnabled)
        // A value whose in-place edit would shift the pieces of its long line: appended too.
        let shifted = "USERGROUPS_ENAB no" + String(repeating: " ", count: 1010) + "#" + String(repeating: "y", count: 3) + " UMASK 077\n"
        let again = LoginDefs(path: "login.defs", text: shifted)
        let fixed = try #require(again.settingUserGroups("yes"))
        let read = LoginDefs(path: "login.defs", text: fixed)
        #expect(read.userGroupsEnabled)
        #expect(read.entries.filter { $0.key != "USERGROUPS_ENAB" }.map(\.value) == again.entries.filter { $0.key != "USERGROUPS_ENAB" }.map(\.value))
        // A NUL ends what shadow reads of a piece; other bytes than UTF-8 are kept as they are.
        #expect(!LoginDefs(path: "p", bytes: Array("USERGROUPS_ENAB y".utf8) + [0] + Array("es\n".utf8)).userGroupsEnabled)
        let latin1: [UInt8] = Array("# modifi".utf8) + [0xe9] + Array("\nUSERGROUPS_ENAB no\n".utf8)
        #expect(LoginDefs(path: "p", bytes: latin1).settingUserGroups(bytes: "yes") == Array("# modifi".utf8) + [0xe9] + Array("\nUSERGROUPS_ENAB yes\n".utf8))
    }

    /// Found by the login.defs fuzz target: "GID_MIN 0" (or "-000", which UInt32 reads as 0)
    /// underflowed the default SYS_GID_MAX and trapped.
    @Test func aFirstRegularIdOfZeroDoesNotUnderflow() {
        let defs = LoginDefs(path: "login.defs", text: "UID_MIN 0\nGID_MIN -000\n")
        #expect(defs.systemUIDs == 101...101)
        #expect(defs.systemGIDs == 101...101)
    }

    /// Found by the login.defs fuzz target: getdef reads "no 50" as the value; replacing only
    /// its first word left "yes 50", which is still not yes.
    @Test func theWholeValueIsReplacedNotItsFirstWord() throws {
        let defs = LoginDefs(path: "login.defs", text: "# c\r\nUSERGROUPS_ENAB no 50\r\nA \"x\"\n")
        let edited = try #require(defs.settingUserGroups("yes"))
        #expect(edited == "# c\r\nUSERGROUPS_ENAB yes\r\nA \"x\"\n")
        let quoted = try #require(LoginDefs(path: "p", text: "USERGROUPS_ENAB \"no way\" # why\n").settingUserGroups("yes"))
        #expect(quoted == "USERGROUPS_ENAB \"yes\" # why\n")
        #expect(LoginDefs(path: "p", text: quoted).userGroupsEnabled)
    }

    @Test func lowercaseKeysAreNamedAsIgnored() {
        let defs = LoginDefs(path: ScanUserFault.loginDefsPath, text: "# x\nusergroups_enab yes\n")
        #expect(defs.warnings.map(\.description) == ["\(ScanUserFault.loginDefsPath):2: 'usergroups_enab' is not read by shadow-utils (keys are case-sensitive; it means USERGROUPS_ENAB)"])
        #expect(defs.describe("USERGROUPS_ENAB").description == "USERGROUPS_ENAB is not set in \(ScanUserFault.loginDefsPath)")
    }

    @Test func systemRangesUseShadowDefaults() {
        #expect(LoginDefs(path: "x", text: "").systemUIDs == 101...999)
        #expect(LoginDefs(path: "x", text: "UID_MIN 500\n").systemUIDs == 101...499)
        #expect(LoginDefs(path: "x", text: "SYS_GID_MIN 200\nSYS_GID_MAX 201\n").systemGIDs == 200...201)
        #expect(LoginDefs(path: "x", text: "USERGROUPS_ENAB no\n").describe("USERGROUPS_ENAB").description == "USERGROUPS_ENAB no at x:1")
    }
}

@Suite struct AccountDatabaseTests {
    @Test func malformedLinesAreSkippedWithTheirFileAndLine() {
        let db = AccountDatabase(
            passwd: "root:x:0:0:root:/root:/bin/bash\nbroken:x:1\n+nis\n\nbad:x:abc:0::/:/bin/sh\n",
            group: "root:x:0:\nusers:x:100:a,b\nonly:two\n",
            shadow: "root:*:1:0:99999:7:::\n"
        )
        #expect(db.users.map(\.name) == ["root"])
        #expect(db.groups.map(\.name) == ["root", "users"])
        #expect(db.group("users")?.members == ["a", "b"])
        #expect(db.passwords["root"]?.hash == "*")
        #expect(db.warnings.map(\.description) == [
            "\(AccountDatabase.passwdPath):2: expected 7 fields, found 3; line ignored",
            "\(AccountDatabase.passwdPath):5: uid or gid is not a number; line ignored",
            "\(AccountDatabase.groupPath):3: expected 4 fields, found 2; line ignored",
        ])
    }

    @Test func freeIdsInARange() {
        let db = AccountDatabase(passwd: "a:x:200:0::/:/bin/sh\nb:x:201:0::/:/bin/sh\n", group: "g:x:200:\n", shadow: nil)
        #expect(!db.hasFreeUID(in: 200...201))
        #expect(db.hasFreeUID(in: 200...202))
        #expect(db.hasFreeGID(in: 200...201))
    }
}
