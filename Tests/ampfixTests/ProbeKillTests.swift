import AmpfixCore
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// The live probe killed with SIGKILL at points through its run: nothing it loaded or attached
/// stays in the kernel (every program and attachment is a descriptor the kernel drops with the
/// process). `bpftool prog show` lists what is loaded.
@Suite(.enabled(if: Privileges.isRoot && BPFObjectsFixture.directory != nil && FileManager.default.isExecutableFile(atPath: "/usr/sbin/bpftool"),
                "skipped: needs root, bpftool and the built eBPF objects (\(BPFObjectsFixture.skipReason ?? "root, bpftool"))"))
struct ProbeKillTests {
    /// The programs' names, from the objects' BTF (not a list written here).
    static func names() throws -> Set<String> {
        let objects = try Command.run("/bin/sh", ["-c", "for f in \"$0\"/*.bpf.o; do bpftool btf dump file \"$f\" 2>/dev/null | sed -n \"s/.*FUNC '\\([a-z_0-9]*\\)'.*linkage=global.*/\\1/p\"; done", BPFObjectsFixture.directory ?? ""])
        return Set(objects.stdout.split(separator: "\n").map(String.init))
    }

    /// The loaded programs of these names: id and when each was loaded (seconds since the epoch).
    static func loaded(_ names: Set<String>) throws -> [(id: Int, loadedAt: Int)] {
        let shown = try Command.run("/usr/sbin/bpftool", ["-j", "prog", "show"]).stdout
        let programs = (try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [[String: Any]]) ?? []
        return programs.compactMap { program in
            // A kernel without the programs' BTF names them by their first 15 characters.
            guard let name = program["name"] as? String, names.contains(name) || names.contains(where: { $0.hasPrefix(name) && name.count >= 15 }),
                  let id = program["id"] as? Int else { return nil }
            return (id, program["loaded_at"] as? Int ?? 0)
        }
    }

    @Test func nothingStaysLoadedAfterAKillAtAnyPoint() throws {
        let names = try Self.names()
        try #require(names.count >= 16, "the objects' program names: \(names)")
        var landed = 0
        // Killed before anything is loaded, then at points after the first program appeared.
        for offset in [-1.0, 0, 0.05, 0.15, 0.3, 0.6, 1.0, 1.5] {
            let running = try AmpfixBinary.start(["preflight", "--json", "--bpf-objects", BPFObjectsFixture.directory ?? ""])
            if offset < 0 {
                usleep(20_000)
            } else {
                var waited = 0
                while try Self.loaded(names).isEmpty && running.isRunning && waited < 600 {
                    usleep(25_000)
                    waited += 1
                }
                usleep(UInt32(offset * 1_000_000))
            }
            let before = try Self.loaded(names)
            if !before.isEmpty { landed += 1 }
            let killedAt = Int(Date().timeIntervalSince1970) + 1
            kill(running.pid, SIGKILL)
            _ = running.wait(timeout: 10)
            // The kernel frees a program once its last descriptor is gone (after an RCU grace
            // period). Programs another test's preflight loads meanwhile live well under a second.
            var left = try Self.loaded(names).filter { $0.loadedAt <= killedAt }
            for _ in 0..<30 where !left.isEmpty {
                usleep(100_000)
                left = try Self.loaded(names).filter { $0.loadedAt <= killedAt }
            }
            #expect(left.isEmpty, "after a kill \(offset) s after the first program loaded: programs \(left.map(\.id)) still loaded")
        }
        #expect(landed >= 2, "only \(landed) kills landed while programs were loaded: the test proved too little")
    }
}
