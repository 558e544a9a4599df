import AmpfixCore
import AmpfixHost
import AmpfixSystem
import ArgumentParser
import Glibc

struct ListFaults: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the faults ampfix knows, and whether it repairs or only explains each."
    )

    @OptionGroup var output: OutputOptions

    func run() throws {
        let entries = FaultRegistry.standard.entries(language: output.language)
        print(output.json ? OutputOptions.json(entries) : TextRenderer().renderList(entries), terminator: output.json ? "\n" : "")
    }
}

struct Explain: ParsableCommand {
    // Named explicitly: without it ArgumentParser derives the name from the type through
    // String(describing:), a cost every run would pay (a tenth of `ampfix list`).
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a fault: when the connector raises it, what to do, what ampfix repairs."
    )

    @Argument(help: ArgumentHelp("The fault number: \(FaultID.validList).", valueName: "N"))
    var fault: FaultID

    @OptionGroup var output: OutputOptions

    func run() throws {
        let entry = FaultRegistry.standard.entry(fault, language: output.language)
        print(output.json ? OutputOptions.json(entry) : TextRenderer().render(entry), terminator: output.json ? "\n" : "")
    }
}

struct UndoRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Revert the changes of the last run (or of RUN-ID) that can be reverted.",
        discussion: """
            Changes are reverted newest first, each journaled before it is made. A change whose
            object was modified again since the run is left alone and reported. Exit status 0 when
            every reversible change of the run is reverted, 1 when some could not be, 2 on errors.
            """
    )

    @Argument(help: ArgumentHelp("The run to revert (see --list); default: the newest run not yet undone.", valueName: "RUN-ID"))
    var runID: String?

    @Flag(help: "List the runs in the journal instead.")
    var list = false

    @OptionGroup var host: HostOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try host.validate()
        try output.validate()
        if let runID, !RunID.isValid(runID) {
            throw ValidationError("'\(runID)' is not a run id (letters, digits and '-'; see `ampfix undo --list`)")
        }
    }

    func run() throws {
        let (report, journalDirectory) = try Composition.runtime { () -> (Run.UndoReport?, String) in
            let adapters = try Composition.adapters(host, note: output.note)
            let run = adapters.journalRun(note: output.note)
            let directory = adapters.fs.hostPath(JournalDirectory.path)
            if list {
                let lines = try run.journalListing()
                if output.json { print(OutputOptions.json(["runs": lines])) } else { lines.forEach { print($0) } }
                return (nil, directory)
            }
            return (try run.undo(runID), directory)
        }
        guard let report else { return }
        for note in report.recovered { output.note("recovery: \(note)") }
        guard let result = report.result else {
            output.note("nothing to undo: no run in \(journalDirectory) has changes that are not undone")
            return
        }
        if !output.quiet { print(TextRenderer().render(result), terminator: "") }
        if !report.complete { throw ExitCode(ExitStatus.faultsRemain) }
    }
}

struct WithUserGroups: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "with-user-groups",
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
            """
    )

    @OptionGroup var host: HostOptions

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command to run, after `--`.", valueName: "COMMAND"))
    var command: [String] = []

    func validate() throws {
        try host.validate()
        if command.isEmpty { throw ValidationError("name the command to run after `--`, e.g. ampfix with-user-groups -- rpm -i PACKAGE") }
    }

    func run() throws {
        let outcome = try Composition.runtime { () -> TemporaryUserGroups.Outcome in
            let adapters = try Composition.adapters(host, note: note)
            return try adapters.journalRun(note: note).withUserGroups(command: processCommandLine, recovered: { note("recovery: \($0)") }) { claim in
                note("USERGROUPS_ENAB yes in \(adapters.fs.hostPath(TemporaryUserGroups.loginDefsPath)) while running: \(command.joined(separator: " "))")
                let inherited = (claim as? InheritableClaim).map { [$0.descriptor] } ?? []
                return SupervisedCommand.run(command, inheriting: inherited) { Stderr.print("ampfix: error: \($0)") }
            }
        }
        switch outcome {
        case .unchanged(let status, let setting):
            note("\(setting): login.defs was left as it is")
            if status != 0 { throw ExitCode(status) }
        case .restored(let status):
            note("login.defs restored byte for byte")
            if status != 0 { throw ExitCode(status) }
        case .notRestored(let status, let reason):
            Stderr.print("ampfix: error: login.defs was not restored: \(reason); the original is in the journal under /var/lib/ampfix/journal")
            throw ExitCode(status != 0 ? status : ExitStatus.couldNotEvaluate)
        case .changedByCommand(let status, let reason):
            // Not ampfix's failure: the installer's edit stands, and its status is the answer.
            Stderr.print("ampfix: warning: the command edited login.defs itself, so ampfix left its edit in place: \(reason); the original is in the journal under /var/lib/ampfix/journal")
            if status != 0 { throw ExitCode(status) }
        }
    }

    func note(_ text: String) {
        if !quiet { Stderr.print("ampfix: \(text)") }
    }
}

struct PackageInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package",
        abstract: "Show what the root's package database says of a package: installed and candidate versions.",
        discussion: "Asks libapt-pkg (where dpkg keeps its state) or librpm, the way faults 11 and 16 do. Exit status 0 when the package is known, 1 when it is not, 2 on errors."
    )

    @Argument(help: ArgumentHelp("The package name.", valueName: "NAME"))
    var name: String

    @OptionGroup var host: HostOptions

    @Option(name: .customLong("repeat"), help: ArgumentHelp("Benchmark: open the database and look the name up N times in this process, and print the median time of one.", valueName: "N"))
    var repeatCount: Int?

    func validate() throws {
        try host.validate()
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
            throw ValidationError("'\(name.escapingControlCharacters())' is not a package name")
        }
        if let repeatCount, repeatCount < 1 { throw ValidationError("--repeat \(repeatCount): must be at least 1") }
    }

    func run() throws {
        if let repeatCount {
            let median = try Composition.runtime { try PackageLookup.medianMilliseconds(name, root: host.root, repeat: repeatCount) }
            print((median * 1000).rounded() / 1000)
            return
        }
        let (backend, found) = try Composition.runtime { try PackageLookup.lookup(name, root: host.root) }
        guard let found else {
            print("\(name): not known to \(backend)")
            throw ExitCode(ExitStatus.faultsRemain)
        }
        print("\(name) (\(backend))")
        print("  installed: \(found.installed.isEmpty ? "(none)" : found.installed.joined(separator: ", "))")
        print("  candidate: \(found.candidate ?? (backend.knowsCandidates ? "(none)" : "(not known: librpm reads only the installed database)"))")
    }
}

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
        let terminal = isatty(2) == 1 && !output.quiet
        let result = LiveEventSampler().sample(seconds: seconds, top: top) { elapsed, events in
            if terminal { Stderr.write("\rsampling: \(Int(elapsed)) of \(Int(seconds)) s, \(events) events") }
        }
        if terminal { Stderr.write("\r\u{1B}[K") }
        switch result {
        case .failure(let why):
            Stderr.print("ampfix: error: cannot sample: \(why)")
            throw ExitCode(ExitStatus.couldNotEvaluate)
        case .success(let report):
            if output.json {
                print(OutputOptions.json(report))
            } else if !output.quiet {
                print(report.lines.joined(separator: "\n"))
            }
        }
    }
}

struct Collect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Write a support bundle (.tar.gz): the report, the connector's status, log tails, host facts.",
        discussion: """
            Diagnoses every fault (changing nothing) and writes one .tar.gz with: the JSON report,
            the connector's status output, the last 1 MiB of each file in /var/log/cisco,
            os-release, login.defs, the kernel release and module trees, the SELinux mode, the
            loaded modules and memory (the last three on a live host), and MANIFEST.txt, which
            lists what was taken and what was left out with why. Keys, certificates, password
            and account files and the connector's caches are never taken. Under --root the files
            come from the tree. The file is created with mode 0600 and never replaces another.
            Where the connector's own ampsupport is installed, ampfix says so; run it yourself.
            Exit status 0 when the bundle is written, 2 when it could not be, 64 on bad input.
            """
    )

    // An array only to refuse a second -o: ArgumentParser would silently keep the last.
    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The bundle to write (default ./ampfix-support-RUN-ID.tar.gz); never an existing file.", valueName: "FILE"))
    var outputs: [String] = []
    var output: String? { outputs.last }

    @OptionGroup var host: HostOptions
    @OptionGroup var diagnosis: DiagnosisOptions
    @OptionGroup var report: OutputOptions

    func validate() throws {
        try host.validate()
        try diagnosis.validate()
        try report.validate()
        if outputs.count > 1 { throw ValidationError("--output is given \(outputs.count) times (\(outputs.joined(separator: ", "))); name one file") }
        if let output {
            guard !output.isEmpty, !output.hasSuffix("/") else { throw ValidationError("--output \(output): name a file, not a directory") }
            var status = stat()
            if lstat(output, &status) == 0 { throw ValidationError("--output \(output): it exists already; name another file") }
            let directory = output.contains("/") ? String(output[..<output.lastIndex(of: "/")!]) : "."
            if stat(directory.isEmpty ? "/" : directory, &status) != 0 || status.st_mode & S_IFMT != S_IFDIR {
                throw ValidationError("--output \(output): \(directory) is not a directory")
            }
        }
    }

    /// What `--json` prints.
    struct Summary: Encodable {
        var file: String
        var taken: [String]
        var leftOut: [String]
        var connectorSupportTool: String?
    }

    func run() throws {
        let id = RunID.make(at: .now(), pid: getpid())
        let path = output ?? "ampfix-support-\(id).tar.gz"
        let (bundle, supportTool) = try Composition.runtime { () -> (SupportBundle, Bool) in
            let adapters = try Composition.adapters(host, note: report.note)
            let run = diagnosis.run(diagnosis.repairOptions(), on: adapters, output: report)
            let diagnosed = try run.perform(.diagnose, faults: FaultID.allCases)
            let bundle = SupportBundle.gather(adapters.facts, report: Array(OutputOptions.json(diagnosed).utf8), status: run.connector?.reading)
            let supportTool = adapters.facts.exists(SupportBundle.connectorSupportTool)
            let manifest = bundle.manifest(root: host.root, connectorSupportTool: supportTool)
            let members = [TarGzFile.Member(name: "MANIFEST.txt", bytes: Array(manifest.utf8))]
                + bundle.entries.map { TarGzFile.Member(name: $0.name, bytes: $0.bytes) }
            try TarGzFile.write(members, directory: "ampfix-support-\(id)", to: path, modified: Int(time(nil)))
            return (bundle, supportTool)
        }
        let tool = supportTool ? SupportBundle.connectorSupportTool : nil
        if report.json {
            print(OutputOptions.json(Summary(file: path, taken: bundle.entries.map(\.name),
                                             leftOut: bundle.leftOut.map { "\($0.source): \($0.why)" }, connectorSupportTool: tool)))
            return
        }
        guard !report.quiet else { return }
        print("wrote \(path.escapingControlCharacters()) (\(bundle.entries.count + 1) files, mode 0600):")
        for entry in bundle.entries { print("  \(entry.name.escapingControlCharacters())  \(entry.source.escapingControlCharacters())") }
        print("left out: \(bundle.leftOut.count) (see MANIFEST.txt inside); never keys, password files or caches")
        if let tool { print("the connector's own support tool is installed: run `\(tool) -o DIR` for what Cisco asks for") }
    }
}
