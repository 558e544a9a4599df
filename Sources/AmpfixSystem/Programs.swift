import AmpfixCore
import CConfine
import CLinux
import Glibc
import Synchronization
import SystemPackage

/// A program ampfix ran and what it said.
public struct ProgramResult: Sendable, Equatable {
    public var argv: [String]
    public var status: Int32
    public var output: String
    /// Set when the program outlived its deadline and ampfix killed its process group.
    public var timedOut: Duration? = nil
    /// Bytes it printed past the run's output limit: read (so it never blocks) and dropped.
    public var dropped = 0

    public var commandLine: String { argv.joined(separator: " ") }

    /// "exited with status 9: useradd: group 'x' does not exist" — how it failed, in its words.
    public var failure: String { failureMessage.description }

    /// How it ended, and what it said (its own words).
    public var failureMessage: Message {
        let said = output.trimming()
        let ending: Message = timedOut.map { .msg("was killed after \($0.inSeconds) seconds without finishing") } ?? .msg("exited with status \(status)")
        return said.isEmpty ? ending : .msg("\(ending): \(verbatim: said.replacingNewlines)")
    }
}

extension String {
    /// A small /proc file's text (its size reads as 0, so it is read to its end).
    init(contentsOfProcFile path: String) throws {
        let fd = try valueOrErrno("open") { open(path, O_RDONLY | O_CLOEXEC) }.get()
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = try valueOrErrno("read") { read(fd, &chunk, chunk.count) }.get()
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        self = String(decoding: bytes, as: UTF8.self)
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

    /// Descriptors held while every tool ampfix runs runs: the run lock's. A tool outlives
    /// ampfix when ampfix is killed (useradd halfway through its files, dkms building), and the
    /// lock must stay taken until that tool ends too — else the next ampfix recovers the run
    /// while the tool still changes what recovery looks at (and its own useradd races the
    /// orphan). The tool itself does not get them: a shell that waits for it holds them
    /// (`holdingKept`), so what the tool leaves running (a daemon a module build starts) never
    /// keeps the lock after the tool has ended.
    private static let inheritedByTools = Mutex<Set<Int32>>([])

    /// `path arguments` run by a shell that keeps `kept` while it waits for the program, which
    /// runs with them closed. The trailing `exit` keeps the shell from exec'ing the program in
    /// its place (which would end the shell's hold). The shell is bash: POSIX sh (dash) reads
    /// only one digit as a descriptor, so `12>&-` would be the argument "12" and stdout closed —
    /// the tool run with an extra argument and no output. Without bash, a descriptor above 9 is
    /// not held (the tool runs as it is; the lock is released when ampfix ends).
    static func holdingKept(_ kept: [Int32], path: String, _ arguments: [String]) -> (path: String, argv: [String]) {
        let shell = locate("bash") ?? (kept.allSatisfy { $0 <= 9 } ? locate("sh") : nil)
        guard !kept.isEmpty, let shell else { return (path, [path] + arguments) }
        let closing = kept.sorted().map { "\($0)>&-" }.joined(separator: " ")
        return (shell, [shell, "-c", "\"$0\" \"$@\" \(closing); exit $?", path] + arguments)
    }

    /// The process groups of the tools running now (each tool leads its own).
    private static let runningGroups = Mutex<Set<pid_t>>([])

    /// Kills every tool running now with all it started (SIGKILL to each one's process group):
    /// for an exit that cannot wait for them, such as `check`'s --timeout, so that a hung status
    /// command is not left behind at every check.
    public static func endRunningTools() {
        for group in runningGroups.withLock({ $0 }) { kill(-group, SIGKILL) }
    }

    /// Tools started from now on keep `fd` open (close-on-exec cleared in the child only).
    public static func keepOpenInTools(_ fd: Int32) {
        inheritedByTools.withLock { _ = $0.insert(fd) }
    }

    /// Tools started from now on no longer get `fd` (call before closing it).
    public static func stopKeepingOpenInTools(_ fd: Int32) {
        inheritedByTools.withLock { _ = $0.remove(fd) }
    }

    /// Runs `tool` (looked up in `searchPath`) in a process group of its own and returns its
    /// result; throws only when it cannot be started. Past `deadline` the whole group (the tool
    /// and anything it started) is killed, and the result says so.
    /// - Parameter root: the root the tool is handed (`--root`). Unless it is /, the tool runs
    ///   confined (`Confinement`): nothing of that root can run, the host's trees but the
    ///   tool's own are absent.
    public static func run(_ tool: String, _ arguments: [String], deadline: Duration = defaultDeadline,
                           root: RootedFileSystem? = nil) throws -> ProgramResult {
        guard let path = locate(tool) else {
            throw HostError(.msg("run"), tool, .programNotFound(searchPath: searchPath))
        }
        return try run(path: path, arguments, deadline: deadline, confinement: root.flatMap(Confinement.init))
    }

    /// Runs the program at `path` (an absolute host path) like `run(_:_:deadline:)`; output past
    /// `outputLimit` bytes is read and dropped, so a chatty program can neither block on a full
    /// pipe nor fill ampfix's memory.
    /// - Parameter endLeftovers: the tool's answer is complete when it exits (a status command):
    ///   whatever it leaves running — in its process group, or orphaned after `setsid` and so
    ///   adopted by ampfix (a child subreaper) — is killed then, as at the deadline. Without it,
    ///   such leftovers are left alone, but ampfix stops reading once the tool has exited and
    ///   its output is drained: a background child holding the pipe never makes a finished
    ///   tool look hung.
    /// - Parameter confinement: where the program runs when it is handed an untrusted root.
    public static func run(path: String, _ arguments: [String], deadline: Duration = defaultDeadline, outputLimit: Int = 16 << 20,
                           endLeftovers: Bool = false, confinement: Confinement? = nil) throws -> ProgramResult {
        // Children of ours from before (none in ampfix itself, which runs one tool at a time)
        // are never taken for the tool's leftovers.
        let earlierChildren = endLeftovers ? Set(children()) : []
        if endLeftovers { _ = ampfix_become_subreaper() }
        var pipeEnds: [Int32] = [0, 0]
        if case .failure(let error) = nothingOrErrno("pipe", { pipe(&pipeEnds) }) { throw HostError(.msg("run"), path, error) }
        // Close-on-exec so that no other child of ours holds the write end open.
        _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        // The shell that holds the run lock gets it; a status command's leftovers are killed when
        // it exits, so it gets no lock to hold. dup2 onto itself clears FD_CLOEXEC in the child
        // only (glibc 2.29 and later).
        var kept = endLeftovers ? [] : Array(inheritedByTools.withLock { $0 })
        let spawn = holdingKept(kept, path: path, arguments)
        // No shell to hold them (no bash, a descriptor above 9): the tool does not get them
        // either, or what it leaves running would keep the lock after it and ampfix ended.
        if spawn.path == path { kept = [] }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        for fd in kept { posix_spawn_file_actions_adddup2(&actions, fd, fd) }

        // Its own process group, so that a deadline kills what the tool started too.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))

        let argv = [path] + arguments
        let environment = ["LC_ALL=C", "DEBIAN_FRONTEND=noninteractive", "PATH=" + searchPath.joined(separator: ":")]
        var pid: pid_t = 0
        var spawned: Int32 = 0
        var failedStep = Confinement.Step.exec
        // ETXTBSY: the program is open for writing somewhere — typically a descriptor another
        // thread's child inherited between its fork and exec, gone a moment later. Up to 0.5 s.
        for attempt in 0..<50 {
            spawned = withCStrings(spawn.argv) { cArgv in
                withCStrings(environment) { cEnv in
                    guard let confinement else { return posix_spawn(&pid, spawn.path, &actions, &attributes, cArgv, cEnv) }
                    return confinement.spawn(path: spawn.path, cArgv, cEnv, output: pipeEnds[1], keeping: kept, pid: &pid, failedStep: &failedStep)
                }
            }
            guard spawned == ETXTBSY, failedStep == .exec, attempt < 49 else { break }
            usleep(10_000)
        }
        close(pipeEnds[1])
        defer { close(pipeEnds[0]) }
        guard spawned == 0 else {
            // Making the mounts private fails only where / is not a mount: a chroot.
            if failedStep == .makePrivate && spawned == EINVAL { throw HostError(failedStep.operation, path, .cannotConfineInChroot) }
            throw HostError(failedStep.operation, path, Errno(rawValue: spawned))
        }

        runningGroups.withLock { _ = $0.insert(pid) }
        defer { runningGroups.withLock { _ = $0.remove(pid) } }
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        var output: [UInt8] = []
        var dropped = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        var timedOut = false
        var exitStatus: Int32?
        _ = fcntl(pipeEnds[0], F_SETFL, fcntl(pipeEnds[0], F_GETFL) | O_NONBLOCK)
        reading: while true {
            let left = clock.now.duration(to: end)
            if left <= .zero { timedOut = true; break }
            var ready = pollfd(fd: pipeEnds[0], events: Int16(POLLIN), revents: 0)
            // In slices, to notice the tool's exit while something else still holds the pipe.
            let milliseconds = min(100, Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1))
            // (A poll that fails for another reason reads what there is, as a ready one.)
            _ = valueOrErrno("poll") { poll(&ready, 1, milliseconds) }
            // Drain what is there now.
            while true {
                let count = read(pipeEnds[0], &buffer, buffer.count)
                if count > 0 {
                    let kept = max(0, min(count, outputLimit - output.count))
                    output += buffer[..<kept]
                    dropped += count - kept
                    continue
                }
                if count < 0 && errno == EINTR { continue }
                if count == 0 { break reading }  // every writer closed the pipe
                break  // EAGAIN: nothing more now
            }
            if exitStatus != nil { break }  // exited before this last drain
            exitStatus = reapIfExited(pid)
        }
        if timedOut || endLeftovers { kill(-pid, SIGKILL) }
        let status = exitStatus ?? waitStatus(pid)
        // After the tool itself is reaped: what is still a child of ours now was adopted.
        if endLeftovers {
            for orphan in children() where !earlierChildren.contains(orphan) {
                kill(orphan, SIGKILL)
                _ = waitStatus(orphan)
            }
        }
        return ProgramResult(argv: argv, status: status, output: String(decoding: output, as: UTF8.self),
                             timedOut: timedOut ? deadline : nil, dropped: dropped)
    }

    /// Runs and throws a `HostError` (`.program`) unless the tool exits 0.
    @discardableResult
    public static func check(_ tool: String, _ arguments: [String], deadline: Duration = defaultDeadline,
                             root: RootedFileSystem? = nil) throws -> ProgramResult {
        let result = try run(tool, arguments, deadline: deadline, root: root)
        guard result.status == 0, result.timedOut == nil else { throw HostError(program: result) }
        return result
    }

    /// The exit status when `pid` has exited (reaped), nil while it runs.
    static func reapIfExited(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return exitCode(fromWaitStatus: status) }
            if result < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// This process's children (orphans it adopted as a subreaper among them), from
    /// /proc/self/task/*/children: its own entries, not a walk of every process. Empty where the
    /// kernel lacks that file (CONFIG_PROC_CHILDREN); the process group is still killed then.
    static func children() -> [pid_t] {
        guard let tasks = opendir("/proc/self/task") else { return [] }
        defer { closedir(tasks) }
        var found: [pid_t] = []
        while let entry = readdir(tasks) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            guard pid_t(name) != nil, let text = try? String(contentsOfProcFile: "/proc/self/task/\(name)/children") else { continue }
            found += text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { pid_t($0) }
        }
        return found
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
