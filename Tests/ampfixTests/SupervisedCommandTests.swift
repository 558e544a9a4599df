import AmpfixCore
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// `SupervisedCommand` (Sources/AmpfixSystem) through the binary's `with-user-groups`: it blocks
/// signals and waits with sigwaitinfo, which only a single-threaded process can do safely, so it
/// is tested in the process it is made for, not inside the multi-threaded test runner.
@Suite struct SupervisedCommandTests {
    static func run(_ command: [String]) throws -> CommandResult {
        let root = TempRoot("supervised")
        try root.write("etc/login.defs", "USERGROUPS_ENAB yes\n")
        return try AmpfixBinary.run(["with-user-groups", "--root", root.path, "--", "/bin/sh", "-c"] + command)
    }

    @Test(arguments: [(0, "exit 0"), (3, "exit 3"), (128 + SIGTERM, "kill -TERM $$"), (128 + SIGKILL, "kill -KILL $$")])
    func theCommandsStatusIsAmpfixsAndASignalIs128PlusItsNumber(_ expected: Int32, _ script: String) throws {
        let result = try Self.run([script])
        #expect(result.status == expected, "\(script): \(result.stderr)")
    }

    @Test func theCommandWritesToAmpfixsOwnOutputAndError() throws {
        let result = try Self.run(["echo out; echo err >&2"])
        #expect(result.stdout == "out\n")
        #expect(result.stderr.contains("err\n"))
    }
}
