import Glibc
import SystemPackage

/// Runs a command in the foreground (stdin, stdout and stderr inherited) and waits for it, while
/// SIGINT, SIGTERM and SIGHUP sent to ampfix are passed on to the command instead of ending
/// ampfix: ampfix must outlive the command to undo what it set up for it.
public enum SupervisedCommand {
    /// The command's exit status, 128 + N when a signal ended it, 127 when it cannot be started.
    /// - Parameter inheriting: descriptors the command keeps (close-on-exec cleared for it
    ///   alone), such as the flock of a claim that must live as long as the command.
    public static func run(_ argv: [String], inheriting: [Int32] = [], onStartFailure: (HostError) -> Void) -> Int32 {
        var watched = sigset_t()
        sigemptyset(&watched)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&watched, signal) }
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &watched, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

        // The command starts with an empty mask and default handlers.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 onto itself clears FD_CLOEXEC in the child only (glibc 2.29 and later).
        for fd in inheriting { posix_spawn_file_actions_adddup2(&actions, fd, fd) }

        var pid: pid_t = 0
        let spawned = withCStrings(argv) { cArgv in
            posix_spawnp(&pid, argv[0], &actions, &attributes, cArgv, environ)
        }
        guard spawned == 0 else {
            onStartFailure(HostError(.msg("run"), argv[0], .errno(Errno(rawValue: spawned))))
            return 127
        }

        while true {
            var info = siginfo_t()
            let signal = sigwaitinfo(&watched, &info)
            if signal < 0 { continue }  // EINTR
            if signal == SIGCHLD {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    return Programs.exitCode(fromWaitStatus: status)
                }
                continue
            }
            // Sent with kill(2) to ampfix alone: pass it on. A terminal's ^C (si_code > 0, from
            // the kernel) already reached the whole foreground process group, command included.
            if info.si_code <= 0 {
                kill(pid, signal)
            }
        }
    }
}
