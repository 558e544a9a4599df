import Foundation

public struct CommandResult: Sendable {
    public var status: Int32
    /// True when the process was ended by a signal (`status` is then the signal number).
    public var signaled: Bool
    public var stdout: String
    public var stderr: String
    /// Killed by `wait(timeout:)` because it did not finish in time.
    public var timedOut = false
}

/// Where the package is, for scripts and the built binary.
public enum PackageLayout {
    /// The repository's cisco-secure-bpf module.
    public static var policyModule: String { root + "/policy/cisco-secure-bpf.cil" }

    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}

/// Runs the built `ampfix` (the one next to the test bundle) or any other command.
public enum AmpfixBinary {
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["AMPFIX_BIN"] { return explicit }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ampfix").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return PackageLayout.root + "/.build/debug/ampfix"
    }

    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try Command.run(path, arguments, environment: environment)
    }

    /// Runs ampfix for at most `timeout` seconds (see `RunningCommand.wait(timeout:)`).
    public static func run(_ arguments: [String], timeout: Double, environment: [String: String] = [:]) throws -> CommandResult {
        try start(arguments, environment: environment).wait(timeout: timeout)
    }

    /// Starts ampfix without waiting; `Command.wait` collects it.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> RunningCommand {
        try Command.start(path, arguments, environment: environment)
    }
}

public final class RunningCommand {
    let process: Process
    let out: URL
    let err: URL

    init(process: Process, out: URL, err: URL) {
        self.process = process
        self.out = out
        self.err = err
    }

    public var isRunning: Bool { process.isRunning }
    public var pid: Int32 { process.processIdentifier }

    /// Waits at most `timeout` seconds, then kills the command (SIGKILL) and says so in the
    /// result's `timedOut`: a test of a hang must fail, not hang the suite.
    public func wait(timeout: Double) -> CommandResult {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        var result = wait()
        result.timedOut = timedOut
        return result
    }

    public func wait() -> CommandResult {
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return CommandResult(
            status: process.terminationStatus,
            signaled: process.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        )
    }
}

public enum Command {
    /// Output goes to temporary files, so that a chatty command cannot fill a pipe and hang.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> RunningCommand {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env.removeValue(forKey: "LC_ALL")
        env.removeValue(forKey: "LC_MESSAGES")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let tmp = FileManager.default.temporaryDirectory
        let out = tmp.appendingPathComponent("ampfix-out-\(UUID().uuidString)")
        let err = tmp.appendingPathComponent("ampfix-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return RunningCommand(process: process, out: out, err: err)
    }

    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try start(executable, arguments, environment: environment).wait()
    }
}

/// The broken sample host of `scripts/sample-host.sh`, in a throwaway root.
public enum SampleHost {
    /// - Parameter healthy: the same host with nothing broken (`sample-host.sh --healthy`).
    public static func build(healthy: Bool = false) throws -> TempRoot {
        let root = TempRoot("sample")
        let result = try Command.run("/bin/bash", [PackageLayout.root + "/scripts/sample-host.sh"] + (healthy ? ["--healthy"] : []) + [root.path])
        precondition(result.status == 0, "sample-host.sh failed: \(result.stderr)")
        return root
    }
}

/// A command's peak memory and time, from wait4(2)'s rusage of that one child.
public struct MeasuredRun: Sendable {
    public var status: Int32
    public var stdout: String
    /// Peak resident set size, in KiB.
    public var maxResidentKiB: Int
    public var seconds: Double
}

extension Command {
    /// Runs `executable` under GNU time(1), which forks it and reads its peak RSS with wait4.
    /// Not posix_spawn from here: glibc spawns with CLONE_VM|CLONE_VFORK, and at exec Linux
    /// keeps the high-water mark of the memory the child shared — this whole test process's —
    /// as the child's peak RSS. Output goes to a temporary file.
    public static func measure(_ executable: String, _ arguments: [String]) throws -> MeasuredRun {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ampfix-measure-\(UUID().uuidString)").path
        let peak = out + ".rss"
        defer { unlink(out); unlink(peak) }
        let command = ["/usr/bin/time", "-f", "%M", "-o", peak, executable] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = (ContinuousClock.now - started).inSeconds
        let kib = (try? String(contentsOfFile: peak, encoding: .utf8))?.split(separator: "\n").last.flatMap { Int($0) }
        return MeasuredRun(status: (status >> 8) & 0xff, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                           maxResidentKiB: kib ?? usage.ru_maxrss, seconds: seconds)
    }
}
