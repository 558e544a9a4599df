/// UTC timestamps for journal records and run ids, without a locale or calendar database.
public struct UTCTimestamp: Sendable, Equatable {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int

    public init(secondsSince1970 t: Double) {
        let totalMillis = Int((t * 1000).rounded(.down))
        let secs = Int((Double(totalMillis) / 1000).rounded(.down))
        millisecond = totalMillis - secs * 1000
        var days = secs / 86_400
        var rem = secs % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        hour = rem / 3600
        minute = rem % 3600 / 60
        second = rem % 60
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The day, YYYY-MM-DD.
    public var date: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// 2026-11-22T22:13:05.123Z
    public var iso8601: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2)).\(Self.pad(millisecond, 3))Z"
    }

    /// 20261122T221305123Z — sorts in time order and is safe in a file name.
    public var compact: String {
        "\(Self.pad(year, 4))\(Self.pad(month, 2))\(Self.pad(day, 2))T\(Self.pad(hour, 2))\(Self.pad(minute, 2))\(Self.pad(second, 2))\(Self.pad(millisecond, 3))Z"
    }
}

/// A run's id: its start time and process id, so that ids sort by time and never collide.
public enum RunID {
    public static func make(at time: UTCTimestamp, pid: Int32) -> String {
        "\(time.compact)-\(pid)"
    }

    /// Run ids are file names in the journal directory; anything else is refused.
    public static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
