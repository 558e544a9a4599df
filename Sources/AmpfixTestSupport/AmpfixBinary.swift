import Foundation

public struct CommandResult: Sendable {
    public var status: Int32
    /// True when the process was ended by a signal (`status` is then the signal number).
    public var signaled: Bool
    public var stdout: String
    public var stderr: String
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
    public static func build() throws -> TempRoot {
        let root = TempRoot("sample")
        let result = try Command.run("/bin/bash", [PackageLayout.root + "/scripts/sample-host.sh", root.path])
        precondition(result.status == 0, "sample-host.sh failed: \(result.stderr)")
        return root
    }
}
