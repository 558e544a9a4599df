import AmpfixCore
import AmpfixSystem
import AmpfixCommandLine

extension Ampfix {
    struct WithUserGroups: AmpfixCommand {
        static let quietOption = OptionSpec("-q", "--quiet", help: "Print nothing but errors.")
        static let commandArgument = ArgumentSpec("COMMAND", count: .afterTerminator, help: "The command to run, after `--`.")
        static let spec = CommandSpec(
            name: "with-user-groups",
            abstract: "Run an installer with USERGROUPS_ENAB yes in login.defs, then restore the file byte for byte.",
            discussion: """
                For vendor installers that create cisco-amp-scan-svc with plain useradd, on hosts whose
                /etc/login.defs says USERGROUPS_ENAB no:

                  ampfix with-user-groups -- rpm -i cisco-secure-endpoint.rpm
                  ampfix with-user-groups --root /mnt/image -- chroot /mnt/image /tmp/install.sh

                Only that key changes (its line is edited, or one line appended when it is missing or
                commented out); the original bytes, mode, owner and SELinux label come back when the
                command ends, fails, or ampfix gets SIGINT, SIGTERM or SIGHUP (passed on to the
                command). If ampfix is killed with SIGKILL, the command keeps the run's claim (an
                inherited lock): the first ampfix run after the command has ended restores the file
                before anything else, never one while it still runs. When USERGROUPS_ENAB is already
                yes, the command runs unchanged.

                Exit status: the command's (128+N when signal N ended it), also when the command edited
                login.defs itself (its edit is kept, with a warning); 2 when login.defs could not be
                changed (the command is not run) or could not be restored after a successful command.
                """,
            options: HostOptions.options + [quietOption, OutputOptions.langOption],
            arguments: [commandArgument]
        )

        var host: HostOptions
        var quiet: Bool
        var command: [String]

        init(_ parsed: ParsedArguments) throws(UsageError) {
            host = try HostOptions(parsed)
            quiet = parsed.flag(Self.quietOption)
            command = parsed.arguments(Self.commandArgument)
        }

        func validate() throws {
            try host.validate()
            if command.isEmpty { throw ValidationError(.msg("name the command to run after `--`, e.g. ampfix with-user-groups -- rpm -i PACKAGE")) }
        }

        func run() throws {
            let outcome = try Composition.runtime { () -> TemporaryUserGroups.Outcome in
                let adapters = try Composition.adapters(host, note: note)
                let loginDefs = adapters.fs.hostPath(TemporaryUserGroups.loginDefsPath)
                return try adapters.withUserGroups(command, journaledAs: processCommandLine, note: note,
                                                   starting: { note(.msg("USERGROUPS_ENAB yes in \(loginDefs) while running: \(ShellCommand.line(command))")) },
                                                   cannotStart: { Speech.error($0.message) })
            }
            switch outcome {
            case .unchanged(let status, let setting):
                note(.msg("\(setting): login.defs was left as it is"))
                if status != 0 { throw ExitCode(status) }
            case .restored(let status):
                note(.msg("login.defs restored byte for byte"))
                if status != 0 { throw ExitCode(status) }
            case .notRestored(let status, let reason):
                Speech.error(.msg("login.defs was not restored: \(reason); the original is in the journal under \(JournalDirectory.path)"))
                throw ExitCode(status != 0 ? status : ExitStatus.couldNotEvaluate)
            case .changedByCommand(let status, let reason):
                // Not ampfix's failure: the installer's edit stands, and its status is the answer.
                Speech.warning(.msg("the command edited login.defs itself, so ampfix left its edit in place: \(reason); the original is in the journal under \(JournalDirectory.path)"))
                if status != 0 { throw ExitCode(status) }
            }
        }

        func note(_ message: Message) {
            if !quiet { StandardError.print("ampfix: " + Speech.say(message)) }
        }
    }
}
