import AmpfixCore
import AmpfixKmod
import AmpfixPackages
import AmpfixSELinux
import AmpfixSystem
import Glibc

/// Test-only crash switches, honoured only with a root other than /: the process SIGKILLs
/// itself at a checkpoint of a repair or an undo, to prove journal recovery.
/// `AMPFIX_TEST_CRASH_AFTER_ACTIONS=N`: after the Nth change is made and journaled.
/// `AMPFIX_TEST_CRASH_INSIDE_ACTION=N`: after the Nth change is made, before its record.
public enum CrashSwitch {
    public static let afterActions = "AMPFIX_TEST_CRASH_AFTER_ACTIONS"
    public static let insideAction = "AMPFIX_TEST_CRASH_INSIDE_ACTION"

    static func hook(root: String) -> (Checkpoint) -> Void {
        func limit(_ variable: String) -> Int? { getenv(variable).flatMap { Int(String(cString: $0)) } }
        guard root != "/" else { return { _ in } }
        let (after, inside) = (limit(afterActions), limit(insideAction))
        if after == nil && inside == nil { return { _ in } }
        return { point in
            if point == .recorded(after ?? 0) || point == .made(inside ?? 0) { raise(SIGKILL) }
        }
    }
}
