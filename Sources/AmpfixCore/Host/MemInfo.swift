/// The lines of /proc/meminfo fault 7 reads (values in kB).
public struct MemInfo: Sendable, Equatable {
    public var totalBytes: Int
    public var availableBytes: Int
    public var swapTotalBytes: Int
    public var swapFreeBytes: Int

    public init?(_ text: String) {
        var values: [String: Int] = [:]
        for line in text.split(separator: "\n").prefix(200) {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " })
            guard parts.count >= 2, let value = Int(parts[1]), value >= 0, value < Int.max / 1024 else { continue }
            values[String(parts[0])] = value * 1024
        }
        guard let total = values["MemTotal"], let available = values["MemAvailable"] else { return nil }
        totalBytes = total
        availableBytes = available
        swapTotalBytes = values["SwapTotal"] ?? 0
        swapFreeBytes = values["SwapFree"] ?? 0
    }

    public static func mebibytes(_ bytes: Int) -> String { "\(bytes >> 20) MiB" }
}
