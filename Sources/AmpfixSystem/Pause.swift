import Glibc

/// Pauses the calling thread, resuming after signals until the whole duration has passed.
public enum Pause {
    public static func sleep(_ duration: Duration) {
        var time = timespec(tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
        var left = timespec()
        while nanosleep(&time, &left) == -1 && errno == EINTR { time = left }
    }
}
