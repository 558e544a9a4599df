import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// Logs read from their ends: plain files by pread, gzip'd ones inflated as a stream; a 1 GiB log
/// costs the tail only, in the binary's time and memory.
@Suite struct LogTailTests {
    static func facts(_ root: TempRoot) throws -> HostFiles { HostFiles(fs: try RootedFileSystem(root: root.path)) }

    @Test func aCutTailStartsAtALine() throws {
        let root = TempRoot("logs")
        try root.write("var/log/cisco/ampscansvc.log", "first line\nsecond line\nthird\n")
        let facts = try Self.facts(root)
        #expect(try facts.readTail("/var/log/cisco/ampscansvc.log", limit: 12).map { String(decoding: $0, as: UTF8.self) } == "third\n")
        #expect(try facts.readTail("/var/log/cisco/ampscansvc.log", limit: 1000)?.count == 29, "a short file whole")
        #expect(try facts.readTail("/var/log/cisco/missing.log", limit: 10) == nil)
    }

    @Test func aGzippedLogIsInflatedAndOnlyItsEndKept() throws {
        let root = TempRoot("logs")
        let lines = (1...50_000).map { "line \($0) of the rotated log" }.joined(separator: "\n") + "\n"
        try root.write("var/log/cisco/ampdaemon.log.1", lines)
        #expect(try Command.run("/bin/gzip", ["-n", root.at("var/log/cisco/ampdaemon.log.1")]).status == 0)
        let tail = try #require(try Self.facts(root).readTail("/var/log/cisco/ampdaemon.log.1.gz", limit: 4096))
        let text = String(decoding: tail, as: UTF8.self)
        #expect(tail.count <= 4096 && tail.count > 3000)
        #expect(text.hasPrefix("line ") && text.hasSuffix("line 50000 of the rotated log\n"))

        try root.write("var/log/cisco/ampscansvc.log.1.gz", "not gzip at all")
        #expect(throws: HostError.self) { try Self.facts(root).readTail("/var/log/cisco/ampscansvc.log.1.gz", limit: 4096) }
        let found = ConnectorLogs.read(try Self.facts(root))
        #expect(found.problems.contains { $0.description.contains("ampscansvc.log.1.gz") && $0.description.contains("gzip") }, "\(found.problems)")
    }

    /// 1 GiB of log (sparse, then real lines at its end): the binary's fault 6 finds the crashes
    /// at the end in bounded time and memory.
    @Test func aGigabyteLogCostsItsTailOnly() throws {
        let root = TempRoot("logs")
        try root.makeDirectory("opt/cisco/amp")
        let path = root.at("var/log/cisco/ampscansvc.log")
        try root.write("var/log/cisco/ampscansvc.log", "")
        try #require(truncate(path, 1 << 30) == 0)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n" + String(repeating: "[info] scanning /data/big.bin\n[crit] worker crashed: SIGSEGV\n", count: 3)).utf8))
        try handle.close()
        var info = stat()
        try #require(stat(path, &info) == 0 && info.st_size > 1 << 30)

        let run = try Command.measure(AmpfixBinary.path, ["--root", root.path, "--json"])
        let report = try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8))
        let fault6 = try #require(report.faults.first { $0.id == 6 })
        #expect(fault6.status == .present)
        #expect(fault6.evidence.contains("suspect file: /data/big.bin (named at 3 crashes)"), "\(fault6.evidence)")
        print("1 GiB log: ampfix --root --json took \(String(format: "%.2f", run.seconds)) s, peak RSS \(run.maxResidentKiB / 1024) MiB")
        #expect(run.maxResidentKiB < 128 << 10, "peak RSS \(run.maxResidentKiB) KiB")
        #expect(run.seconds < 10)
    }
}
