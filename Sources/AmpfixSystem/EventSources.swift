import AmpfixCore
import CEvents
import Glibc
import SystemPackage

/// Fault 18's sampler on the live host: file events from fanotify (notification class: it never
/// blocks or alters file access) and process starts from the proc connector, with /proc polled
/// every 100 ms when the proc connector is refused. Each process is named when it is first
/// seen, so one that exits mid-sample keeps its name; one gone before that is counted as such.
public struct LiveEventSampler: EventSampler {
    public init() {}

    public func sample(seconds: Double, top: Int = 10, progress: (Double, Int) -> Void) -> Result<EventSampleReport, SampleUnavailable> {
        guard geteuid() == 0 else { return .failure(SampleUnavailable(.msg("sampling needs root (fanotify and the proc connector are root-only)"))) }
        var how: UnsafePointer<CChar>?
        let fan = ampfix_fanotify_open("/", &how)
        let proc = ampfix_proc_connector_open()
        defer {
            if fan >= 0 { close(fan) }
            if proc >= 0 { ampfix_proc_connector_close(proc) }
        }
        let fileSource = fan >= 0
            ? "fanotify, \(how.map { String(cString: $0) } ?? "?") mark on / (open, modify, close-write, open-exec)"
            : "not sampled: fanotify refused (\(Errno(rawValue: -fan)))"
        let processSource = proc >= 0
            ? "proc connector (exec and fork)"
            : "/proc every 100 ms (the proc connector refused: \(Errno(rawValue: -proc)))"

        var names = ProcessNames()
        var tally = EventTally()
        var known = proc >= 0 ? [] : ProcessNames.pids()
        var events = [ampfix_event](repeating: ampfix_event(), count: 1024)
        let me = getpid()
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        var told = start
        while clock.now < deadline {
            var fds = [fan, proc].filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 100)
            if fan >= 0 {
                while true {
                    let count = Int(ampfix_fanotify_read(fan, &events, Int32(events.count)))
                    if count <= 0 { break }
                    for event in events[..<count] where event.pid != me {
                        let name = names.name(event.pid)
                        tally.add(executable: name.executable, parent: name.parent, file: true)
                    }
                }
            }
            if proc >= 0 {
                while true {
                    let count = Int(ampfix_proc_connector_read(proc, &events, Int32(events.count)))
                    if count <= 0 { break }
                    for event in events[..<count] {
                        if event.kind == CChar(UInt8(ascii: "e")) {
                            names.forget(event.pid)  // a new program in the same process
                            let name = names.name(event.pid)
                            tally.add(executable: name.executable, parent: name.parent, file: false)
                        } else {
                            // A fork: a start by the parent's program.
                            let name = names.name(event.parent)
                            tally.add(executable: name.executable, parent: name.parent, file: false)
                        }
                    }
                }
            } else {
                let now = ProcessNames.pids()
                for pid in now.subtracting(known) {
                    let name = names.name(pid)
                    tally.add(executable: name.executable, parent: name.parent, file: false)
                }
                known = now
            }
            if clock.now - told >= .milliseconds(500) {
                told = clock.now
                progress((clock.now - start).inSeconds, tally.total)
            }
        }
        let elapsed = (clock.now - start).inSeconds
        return .success(EventSampleReport(seconds: elapsed, fileEvents: fileSource, processStarts: processSource,
                                          total: tally.total, top: tally.top(top, seconds: elapsed)))
    }
}

/// Processes named from /proc: the executable's path (`exe`), else `[comm]` for kernel threads,
/// and the parent's executable. Cached per pid for the sample's few seconds.
struct ProcessNames {
    static let exited = EventSampleReport.unnamed
    private var cache: [Int32: (executable: String, parent: String?)] = [:]

    mutating func name(_ pid: Int32) -> (executable: String, parent: String?) {
        if let known = cache[pid] { return known }
        let name = (Self.executable(pid), Self.parentPID(pid).map(Self.executable))
        cache[pid] = name
        return name
    }

    mutating func forget(_ pid: Int32) { cache[pid] = nil }

    static func executable(_ pid: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
        if count > 0 { return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        if let comm = read("/proc/\(pid)/comm") { return "[\(comm.trimming())]" }
        return exited
    }

    /// The fourth field of /proc/PID/stat, after the command in parentheses (which may hold
    /// spaces and parentheses itself).
    static func parentPID(_ pid: Int32) -> Int32? {
        guard let stat = read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 1, let parent = Int32(fields[1]), parent > 0 else { return nil }
        return parent
    }

    static func pids() -> Set<Int32> {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var pids = Set<Int32>()
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let pid = Int32(name) { pids.insert(pid) }
        }
        return pids
    }

    private static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = Glibc.read(fd, &buffer, buffer.count)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }
}
