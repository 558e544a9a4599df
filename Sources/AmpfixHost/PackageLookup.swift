import AmpfixCore
import AmpfixSystem
import Glibc

/// `ampfix package NAME`: what the root's package database says of one name, through the same
/// backend faults 11 and 16 use.
public enum PackageLookup {
    public static func lookup(_ name: String, root: String) throws -> (PackageBackend, PackageVersions?) {
        let database = try HostAdapters.packageSource(root: try RootedFileSystem(root: root).root).database.get()
        return (database.kind, try database.lookup(name))
    }

    /// Benchmark: opens the database and looks the name up `count` times in this process; the
    /// median time of one, in milliseconds.
    public static func medianMilliseconds(_ name: String, root: String, repeat count: Int) throws -> Double {
        let root = try RootedFileSystem(root: root).root
        let times = try (0..<max(1, count)).map { _ in
            let start = monotonicMilliseconds()
            _ = try HostAdapters.packageSource(root: root).database.get().lookup(name)
            return monotonicMilliseconds() - start
        }
        return times.sorted()[times.count / 2]
    }

    static func monotonicMilliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6
    }
}
