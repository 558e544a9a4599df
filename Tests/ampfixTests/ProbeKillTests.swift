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
    @Test func nothingStaysLoadedAfterAKillAtAnyPoint() throws {
        let names = try BPFObjectsFixture.programNames()
        try #require(names.count >= 16, "the objects' program names: \(names)")
        var landed = 0
        // Killed before anything is loaded, then at points after the first program appeared.
        for offset in [-1.0, 0, 0.05, 0.15, 0.3, 0.6, 1.0, 1.5] {
            let running = try AmpfixBinary.start(["preflight", "--json", "--no-record", "--bpf-objects", BPFObjectsFixture.directory ?? ""])
            if offset < 0 {
                usleep(20_000)
            } else {
                var waited = 0
                while try BPFObjectsFixture.loaded(names).isEmpty && running.isRunning && waited < 600 {
                    usleep(25_000)
                    waited += 1
                }
                usleep(UInt32(offset * 1_000_000))
            }
            let before = try BPFObjectsFixture.loaded(names)
            if !before.isEmpty { landed += 1 }
            let killedAt = Int(Date().timeIntervalSince1970) + 1
            kill(running.pid, SIGKILL)
            _ = running.wait(timeout: 10)
            let left = try BPFObjectsFixture.leftLoaded(names, before: killedAt)
            #expect(left.isEmpty, "after a kill \(offset) s after the first program loaded: programs \(left) still loaded")
        }
        #expect(landed >= 2, "only \(landed) kills landed while programs were loaded: the test proved too little")
    }
}
