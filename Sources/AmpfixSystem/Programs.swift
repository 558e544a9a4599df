import AmpfixCore
import Glibc
import SystemPackage

/// A program ampfix ran and what it said.
public struct ProgramResult: Sendable {
    public var argv: [String]
    public var status: Int32
    public var output: String
    /// Set when the program outlived its deadline and ampfix killed its process group.
    public var timedOut: Duration? = nil

    public var commandLine: String { argv.joined(separator: " ") }
}

/// A program that failed: the command line, its exit status and what it printed.
public struct ProgramError: Error, CustomStringConvertible {
    public var result: ProgramResult
    public var description: String {
        let said = result.output.trimming()
        let ending = result.timedOut.map { "was killed after \($0) without finishing" } ?? "exited with status \(result.status)"
        return "\(result.commandLine) \(ending)" + (said.isEmpty ? "" : ": \(said.replacingNewlines)")
    }
}

/// Runs the system's own tools (useradd, groupadd, systemctl …) with posix_spawn: stdin from
/// /dev/null, stdout and stderr captured together, LC_ALL=C so that messages are stable.
public enum Programs {
    /// Where system tools are looked up on the host (never inside `--root`: `useradd --root`
    /// runs the host's useradd against the root's files).
    public static let searchPath = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]

    public static func locate(_ tool: String) -> String? {
        searchPath.map { "\($0)/\(tool)" }.first { access($0, X_OK) == 0 }
    }

    /// How long a tool may run before ampfix kills it: a hung helper must not hang ampfix, nor,
    /// from a package hook, dpkg or rpm. Package installs get longer (downloads).
    public static let defaultDeadline: Duration = .seconds(120)

    /// Runs `tool` (looked up in `searchPath`) in a process group of its own and returns its
    /// result; throws only when it cannot be started. Past `deadline` the whole group (the tool
    /// and anything it started) is killed, and the result says so.
    public static func run(_ tool: String, _ arguments: [String], deadline: Duration = defaultDeadline) throws -> ProgramResult {
        guard let path = locate(tool) else {
            throw SystemError("run", tool, reason: "not found in \(searchPath.joined(separator: ":"))")
        }
        return try run(path: path, arguments, deadline: deadline)
    }

    /// Runs the program at `path` (an absolute host path) like `run(_:_:deadline:)`; output past
    /// `outputLimit` bytes is read and dropped, so a chatty program can neither block on a full
    /// pipe nor fill ampfix's memory.
    public static func run(path: String, _ arguments: [String], deadline: Duration = defaultDeadline, outputLimit: Int = 16 << 20) throws -> ProgramResult {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw SystemError("run", path, Errno(rawValue: errno)) }
        // Close-on-exec so that no other child of ours holds the write end open.
        _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)

        // Its own process group, so that a deadline kills what the tool started too.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))

        let argv = [path] + arguments
        let environment = ["LC_ALL=C", "DEBIAN_FRONTEND=noninteractive", "PATH=" + searchPath.joined(separator: ":")]
        var pid: pid_t = 0
        let spawned = withCStrings(argv) { cArgv in
            withCStrings(environment) { cEnv in
                posix_spawn(&pid, path, &actions, &attributes, cArgv, cEnv)
            }
        }
        close(pipeEnds[1])
        defer { close(pipeEnds[0]) }
        guard spawned == 0 else { throw SystemError("run", path, Errno(rawValue: spawned)) }

        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var timedOut = false
        while true {
            let left = clock.now.duration(to: end)
            if left <= .zero { timedOut = true; break }
            var ready = pollfd(fd: pipeEnds[0], events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            let polled = poll(&ready, 1, milliseconds)
            if polled < 0 && errno == EINTR { continue }
            if polled == 0 { continue }
            let count = read(pipeEnds[0], &buffer, buffer.count)
            if count > 0 {
                if output.count < outputLimit { output += buffer[..<min(count, outputLimit - output.count)] }
                continue
            }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            break
        }
        if timedOut { kill(-pid, SIGKILL) }
        let status = waitStatus(pid)
        return ProgramResult(argv: argv, status: status, output: String(decoding: output, as: UTF8.self),
                             timedOut: timedOut ? deadline : nil)
    }

    /// Runs and throws a `ProgramError` unless the tool exits 0.
    @discardableResult
    public static func check(_ tool: String, _ arguments: [String], deadline: Duration = defaultDeadline) throws -> ProgramResult {
        let result = try run(tool, arguments, deadline: deadline)
        guard result.status == 0, result.timedOut == nil else { throw ProgramError(result: result) }
        return result
    }

    /// waitpid, retried on EINTR; a death by signal N is reported as 128 + N, like a shell.
    public static func waitStatus(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 127 }
        }
        return exitCode(fromWaitStatus: status)
    }

    public static func exitCode(fromWaitStatus status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// A NULL-terminated `char *[]` for the lifetime of `body`.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}

extension String {
    public var replacingNewlines: String {
        split(separator: "\n").joined(separator: "; ")
    }
}
