import AmpfixCore
import AmpfixSystem
import ArgumentParser

extension Ampfix {
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample",
            abstract: "Count what the connector monitors, per executable, for a few seconds (fault 18).",
            discussion: """
                File events (open, modify, close-write, open-exec) through fanotify — notification
                only: file access is never blocked or altered — and process starts (exec, fork)
                through the kernel's proc connector, or /proc polled every 100 ms where it is refused.
                Prints the ten busiest executables with their parents, as process-exclusion
                candidates for the management console; ampfix changes no policy. Live host, as root.
                Exit status 0 after a sample, 2 when none could be taken.
                """
        )

        @Option(parsing: .unconditional, help: ArgumentHelp("How long to sample (default 5, at most 600).", valueName: "N"))
        var seconds: Double = 5

        @Option(parsing: .unconditional, help: ArgumentHelp("How many executables to rank (default 10).", valueName: "N"))
        var top = 10

        @OptionGroup var output: OutputOptions

        func validate() throws {
            // ArgumentParser lets the main command's options through to a subcommand; a sample is of
            // the live host and repairs nothing, so they would be silently ignored.
            let refused = ["--root", "--fault", "--all", "--dry-run", "--no-restart", "--wait", "--kernel", "--definitions", "--ampcli", "--policy-module", "--kernel-support"]
            if let given = processArguments().first(where: { argument in refused.contains { argument == $0 || argument.hasPrefix($0 + "=") } }) {
                throw ValidationError("\(given.split(separator: "=").first ?? ""): ampfix sample counts the live host's events and repairs nothing; it takes only --seconds, --top and the output options")
            }
            guard seconds.isFinite, seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be more than 0 and at most 600") }
            guard top > 0 else { throw ValidationError("--top must be at least 1") }
        }

        func run() throws {
            let progress = StatusLine(quiet: output.quiet)
            let result = LiveEventSampler().sample(seconds: seconds, top: top) { elapsed, events in
                progress.show("sampling: \(Int(elapsed)) of \(Int(seconds)) s, \(events) events")
            }
            progress.clear()
            switch result {
            case .failure(let why):
                StandardError.print("ampfix: error: cannot sample: \(why)")
                throw ExitCode(ExitStatus.couldNotEvaluate)
            case .success(let report):
                if output.json {
                    print(JSONText.pretty(report))
                } else if !output.quiet {
                    print(report.lines.joined(separator: "\n"))
                }
            }
        }
    }
}
