import AmpfixCore
import Testing

@Suite struct MemInfoTests {
    @Test func theLinesFault7ReadsAndGarbage() {
        let info = MemInfo("MemTotal:       16303448 kB\nMemFree: 1 kB\nMemAvailable:     400000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n")
        #expect(info?.availableBytes == 400_000 * 1024)
        #expect(info?.totalBytes == 16_303_448 * 1024)
        #expect(MemInfo("garbage\n") == nil)
    }
}
