import AmpfixCore
import Glibc

/// The wall clock (CLOCK_REALTIME), for journal records and run ids: the core reads no clock
/// itself, it is handed this one.
public enum SystemClock {
    public static func now() -> UTCTimestamp {
        UTCTimestamp(secondsSince1970: secondsSince1970())
    }

    public static func secondsSince1970() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
    }
}
