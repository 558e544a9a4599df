import AmpfixCore
import AmpfixHost
import AmpfixSystem
import AmpfixCommandLine

extension Ampfix {
    struct Sample: AmpfixCommand {
        static let secondsOption = OptionSpec("--seconds", value: "N", help: "How long to sample (default 5, at most 600).", takesAnyValue: true)
        static let topOption = OptionSpec("--top", value: "N", help: "How many executables to rank (default 10).", takesAnyValue: true)
        static let spec = CommandSpec(
            name: "sample",
            abstract: "Count what the connector monitors, per executable, for a few seconds (fault 18).",
            discussion: """
                File events (open, modify, close-write, open-exec) through fanotify — notification
                only: file access is never blocked or altered — and process starts (exec, fork)
                through the kernel's proc connector, or /proc polled every 100 ms where it is refused.
                Prints the ten busiest executables with their parents, as process-exclusion
                candidates for the management console; ampfix changes no policy. Live host, as root.
                Exit status 0 after a sample, 2 when none could be taken.
                """,
            options: [
                secondsOption,
                topOption,
            ] + OutputOptions.options,
            // The main command's options (--root, --fault, ...) are refused with the reason.
            unknownOptionNote: "ampfix sample counts the live host's events and repairs nothing; it takes only --seconds, --top and the output options"
        )

        var seconds: Double
        var top: Int
        var output: OutputOptions

        init(_ parsed: ParsedArguments) throws(UsageError) {
            seconds = try parsed.value(Self.secondsOption, Double.init) ?? 5
            top = try parsed.value(Self.topOption, { Int($0) }) ?? 10
            output = OutputOptions(parsed)
        }

        func validate() throws {
            guard seconds.isFinite, seconds > 0, seconds <= 600 else { throw ValidationError(.msg("--seconds must be more than 0 and at most 600")) }
            guard top > 0 else { throw ValidationError(.msg("--top must be at least 1")) }
        }

        func run() throws {
            let progress = StatusLine(quiet: output.quiet, translation: Speech.translation)
            let result = HostAdapters.sampleEvents(seconds: seconds, top: top) { elapsed, events in
                progress.show(.msg("sampling: \(Int(elapsed)) of \(Int(seconds)) s, \(events) events"))
            }
            progress.clear()
            switch result {
            case .failure(let why):
                Speech.error(.msg("cannot sample: \(why)"))
                throw ExitCode(ExitStatus.couldNotEvaluate)
            case .success(let report):
                if output.json {
                    print(JSONText.pretty(report))
                } else if !output.quiet {
                    print(report.messages.map(Speech.say).joined(separator: "\n"))
                }
            }
        }
    }
}
