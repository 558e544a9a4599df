import AmpfixCore
import FuzzSupport

/// passwd, group and shadow lines: the input is split at the first two NUL bytes into the three
/// files, so that the fuzzer can vary each.
func fuzz(_ bytes: [UInt8]) {
    let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
    func text(_ index: Int) -> String? { parts.count > index ? String(decoding: parts[index], as: UTF8.self) : nil }
    let db = AccountDatabase(passwd: text(0), group: text(1), shadow: text(2))
    for user in db.users {
        precondition(db.user(user.name) != nil)
        _ = db.group(gid: user.gid)
    }
    _ = db.hasFreeUID(in: 100...999)
    _ = db.hasFreeGID(in: 0...UInt32.max)
    _ = db.group("cisco-amp-scan-svc")
}

@_cdecl("FuzzAccounts_main")  // SwiftPM links the program's main as <Target>_main
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
