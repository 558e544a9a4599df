import AmpfixCore
import AmpfixTestSupport
import Foundation
import Testing

/// The run's entries in the systemd journal, received the way journald receives them: a
/// datagram socket at /run/systemd/journal/socket, here in a private mount namespace (a tmpfs
/// over /run, and over /var/lib/ampfix), read by a small receiver of journald's native protocol.
@Suite(.enabled(if: Privileges.isRoot && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"),
                "skipped: needs root, unshare and python3 (a private /run to receive the journal's datagrams)"))
struct SystemdJournalTests {
    /// journald's native protocol: fields split by "\n", each "NAME=value", or "NAME\n" then a
    /// 64-bit little-endian length and that many bytes (a value with a newline). One JSON
    /// object per datagram, until the socket is quiet for 3 s.
    static let receiver = #"""
    import json, os, socket, struct, sys
    path, out = "/run/systemd/journal/socket", sys.argv[1]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(3)
    with open(out, "w") as f:
        while True:
            try:
                data = s.recv(1 << 20)
            except socket.timeout:
                break
            fields, i = {}, 0
            while i < len(data):
                nl = data.index(b"\n", i)
                line = data[i:nl]
                if b"=" in line:
                    name, value = line.split(b"=", 1)
                    i = nl + 1
                else:
                    name = line
                    size = struct.unpack("<Q", data[nl + 1:nl + 9])[0]
                    value = data[nl + 9:nl + 9 + size]
                    i = nl + 9 + size + 1
                fields[name.decode()] = value.decode()
            f.write(json.dumps(fields) + "\n")
            f.flush()
    """#

    static func received(_ commands: [String]) throws -> [[String: String]] {
        let work = TempRoot("journald")
        try Self.receiver.write(toFile: work.at("receiver.py"), atomically: false, encoding: .utf8)
        let script = """
            set -e
            mount -t tmpfs none /run
            mkdir -p /run/systemd/journal
            if [ -d /var/lib/ampfix ]; then mount -t tmpfs none /var/lib/ampfix; fi
            python3 "$0/receiver.py" "$0/entries.jsonl" &
            while [ ! -S /run/systemd/journal/socket ]; do sleep 0.05; done
            \(commands.joined(separator: "\n"))
            wait
            """
        let result = try Command.run("/usr/bin/unshare", ["--mount", "sh", "-c", script, work.path])
        try #require(result.status == 0, "\(result.stdout)\(result.stderr)")
        let text = (try? String(contentsOfFile: work.at("entries.jsonl"), encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
    }

    static let kernelSupport = PackageLayout.root + "/data/kernel-support.tsv"

    @Test func aLiveRunSendsAnEntryPerFaultWithItsMessageIDAndPriority() throws {
        let ampfix = AmpfixBinary.path
        // A read-only diagnosis of two faults of this machine (kernel headers and support: no
        // repair is even possible for 16), as a monitoring check that asks for its entries (a
        // check sends none by default: every 5 minutes, they would drown the audit's).
        let silent = try Self.received(["\"\(ampfix)\" check --kernel-support \(Self.kernelSupport) 11 16 >/dev/null || true"])
        #expect(silent.isEmpty, "\(silent)")
        let entries = try Self.received(["\"\(ampfix)\" check --journal --kernel-support \(Self.kernelSupport) 11 16 >/dev/null || true"])
        #expect(entries.count == 2, "\(entries)")
        for (entry, id) in zip(entries, [FaultID.kernelHeadersMissing, .incompatibleKernel]) {
            let definition = try #require(FaultRegistry.standard.definition(id))
            #expect(entry["MESSAGE_ID"] == definition.journalMessageID)
            #expect(entry["SYSLOG_IDENTIFIER"] == "ampfix")
            #expect(entry["AMPFIX_FAULT"] == "\(id.rawValue)")
            let status = try #require(entry["AMPFIX_STATUS"])
            #expect(entry["PRIORITY"] == ["present": "4", "unknown": "5"][status, default: "6"], "\(entry)")
            #expect(entry["MESSAGE"]?.hasPrefix("fault \(id.rawValue) \(status): \(definition.english.title)") == true, "\(entry)")
            #expect(RunID.isValid(entry["AMPFIX_RUN_ID"] ?? ""), "\(entry)")
        }
        #expect(Set(entries.map { $0["AMPFIX_RUN_ID"] }).count == 1, "one run id for the run's entries")
    }

    @Test func underRootOrWithNoJournalNothingIsSentAndWithoutAJournalNothingIsSaid() throws {
        let sample = try SampleHost.build()
        let ampfix = AmpfixBinary.path
        let entries = try Self.received([
            "\"\(ampfix)\" check --no-journal --kernel-support \(Self.kernelSupport) 16 >/dev/null || true",
            "\"\(ampfix)\" --root \(sample.path) >/dev/null || true",
        ])
        #expect(entries.isEmpty, "\(entries)")
        // No socket at all (the namespace's /run is empty): the run neither fails nor complains.
        let work = TempRoot("no-journald")
        let quiet = try Command.run("/usr/bin/unshare", ["--mount", "sh", "-c",
            "mount -t tmpfs none /run; \"$0\" check --kernel-support \(Self.kernelSupport) 16 2>\(work.at("stderr")); echo $? >\(work.at("status"))", ampfix])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(try String(contentsOfFile: work.at("stderr"), encoding: .utf8) == "")
        #expect(["0", "1", "3"].contains(try String(contentsOfFile: work.at("status"), encoding: .utf8).trimming()))
    }
}
