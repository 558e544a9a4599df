import AmpfixCore
import AmpfixSystem
import CBPFProbe
import Glibc

/// The connector's eBPF programs as ampfix ships them (/usr/lib/ampfix/bpf/*.bpf.o, built by
/// packaging/bpf/build-objects.sh), through libbpf (opened at first use: CBPFProbe).
public struct LibBPFPrograms: BPFPrograms {
    /// Under /usr/lib, not /usr/share: the objects are built for one architecture (the source's
    /// vmlinux.h and __TARGET_ARCH of x86 or arm64), which Debian policy keeps out of /usr/share.
    public static let defaultDirectory = "/usr/lib/ampfix/bpf"
    /// The ring buffer `events`, which the objects leave to the loader to size (the connector's
    /// own loader uses a few hundred KiB; the size changes nothing about what loads).
    public static let ringBufferBytes: UInt32 = 256 << 10

    public let directory: String
    /// Objects loaded at once: the verifier's work is most of a probe, one object per processor.
    public let workers: Int

    public init(directory: String = Self.defaultDirectory, workers: Int? = nil) {
        self.directory = directory
        self.workers = workers ?? max(1, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    public func objects() -> Result<BPFObjectSet, BPFUnavailable> {
        let paths: [String]
        switch Self.objectFiles(directory) {
        case .success(let found): paths = found
        case .failure(let unavailable): return .failure(unavailable)
        }
        if let unavailable = Self.openLibrary() { return .failure(unavailable) }
        let results = Self.run(paths, workers: workers, load: false, ringBufferBytes: 0)
        var programs: [BPFProgram] = []
        for (path, result) in zip(paths, results) {
            if result.openError != 0 { return .failure(Self.unopened(path, result)) }
            programs += result.programs.map { BPFProgram(object: Self.objectName(path), name: $0.name, section: BPFSection($0.section)) }
        }
        guard !programs.isEmpty else { return .failure(BPFUnavailable(.msg("\(directory): its objects hold no eBPF program"))) }
        return .success(BPFObjectSet(directory: directory, objects: paths, programs: programs, origin: Self.origin(directory)))
    }

    public func probe(_ set: BPFObjectSet) -> Result<[BPFProgramOutcome], BPFUnavailable> {
        if let unavailable = Self.openLibrary() { return .failure(unavailable) }
        // Kernels before 5.8 have no ring buffer: the programs then write to a perf event array,
        // as the connector's loader does (events.h's using_ringbuf).
        let ringBuffer = ampfix_bpf_has_ringbuf() == 1 ? Self.ringBufferBytes : 0
        let results = Self.run(set.objects, workers: workers, load: true, ringBufferBytes: ringBuffer)
        var outcomes: [BPFProgramOutcome] = []
        for (path, result) in zip(set.objects, results) {
            let object = Self.objectName(path)
            if result.openError != 0 { return .failure(Self.unopened(path, result)) }
            for program in result.programs {
                let described = BPFProgram(object: object, name: program.name, section: BPFSection(program.section))
                if result.loadError != 0 {
                    outcomes.append(BPFProgramOutcome(program: described, state: .notLoaded, errorNumber: result.loadError,
                                                      errorText: Self.words(result.loadError), libbpf: Self.lines(result.log),
                                                      verifierSpoke: Self.verifierSpoke(result.log)))
                } else if program.attachError != 0 {
                    let refused = program.attachError == ENOTSUP && program.attachLog == nil
                    outcomes.append(BPFProgramOutcome(
                        program: described, state: .notAttached, errorNumber: program.attachError, errorText: Self.words(program.attachError),
                        libbpf: Self.lines(program.attachLog),
                        note: refused ? .msg("this kernel has no kprobe event source (before 4.17): a kprobe made through tracefs would outlive a killed ampfix, so none was made") : nil))
                } else {
                    outcomes.append(BPFProgramOutcome(program: described, state: .attached))
                }
            }
        }
        return .success(outcomes)
    }

    // MARK: - The C side

    struct Program {
        var name: String
        var section: String
        var attachError: Int32
        var attachLog: String?
    }

    struct Object {
        var openError: Int32
        var loadError: Int32
        var programs: [Program]
        var log: String?
    }

    static func run(_ paths: [String], workers: Int, load: Bool, ringBufferBytes: UInt32) -> [Object] {
        let copies = paths.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var results = [ampfix_bpf_object](repeating: ampfix_bpf_object(), count: paths.count)
        copies.map { UnsafePointer($0) }.withUnsafeBufferPointer { pointers in
            ampfix_bpf_probe(pointers.baseAddress, Int32(paths.count), Int32(workers), load ? 1 : 0, ringBufferBytes, &results)
        }
        defer { ampfix_bpf_free(&results, Int32(results.count)) }
        return results.map { result in
            let programs = (0..<Int(result.program_count)).map { index in
                let program = result.programs[index]
                return Program(name: program.name.map { String(cString: $0) } ?? "", section: program.section.map { String(cString: $0) } ?? "",
                               attachError: program.attach_error, attachLog: program.attach_log.map { String(cString: $0) })
            }
            return Object(openError: result.open_error, loadError: result.load_error, programs: programs, log: result.log.map { String(cString: $0) })
        }
    }

    private static func openLibrary() -> BPFUnavailable? {
        var error = [CChar](repeating: 0, count: 512)
        guard ampfix_bpf_open_library(&error, error.count) != 0 else { return nil }
        let words = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return BPFUnavailable(.msg("libbpf is not available: \(words); install libbpf1 (Debian) or libbpf (EL)"))
    }

    // MARK: - The shipped files

    /// The *.bpf.o names of `directory`, sorted: a directory that only root (or the caller) can
    /// write to, since what is in it is loaded into the kernel. Each file is checked when it is
    /// read (CBPFProbe: a regular file, not a link, writable by its owner alone), and one that
    /// is not is an error naming it, never passed over.
    static func objectFiles(_ directory: String) -> Result<[String], BPFUnavailable> {
        var status = stat()
        guard stat(directory, &status) == 0 else {
            let error = errno
            return .failure(BPFUnavailable(error == ENOENT
                ? .msg("\(directory): \(words(error)) (the packages install the connector's eBPF programs there; a build without their source ships none)")
                : .msg("\(directory): \(words(error))")))
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { return .failure(BPFUnavailable(.msg("\(directory): not a directory"))) }
        guard status.st_uid == 0 || status.st_uid == geteuid(), status.st_mode & (S_IWGRP | S_IWOTH) == 0 else {
            return .failure(BPFUnavailable(.msg("\(directory): others than its owner (uid \(status.st_uid)) may write to it, and ampfix loads what is in it into the kernel: not used")))
        }
        guard let stream = opendir(directory) else {
            return .failure(BPFUnavailable(.msg("\(directory): \(words(errno))")))
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".bpf.o") { names.append(name) }
        }
        guard !names.isEmpty else {
            return .failure(BPFUnavailable(.msg("\(directory) has no *.bpf.o: this ampfix was built without the connector's eBPF programs (packaging/bpf/build-objects.sh)")))
        }
        return .success(names.sorted().map { "\(directory)/\($0)" })
    }

    /// Why an object was not opened: its file (not one root alone can write) or libbpf's parse.
    static func unopened(_ path: String, _ result: Object) -> BPFUnavailable {
        if result.openError == EPERM {
            return BPFUnavailable(.msg("\(path): owned by another user or writable by others than its owner, and ampfix loads it into the kernel: not used"))
        }
        return BPFUnavailable(.msg("libbpf cannot open \(path): \(words(result.openError)) (errno \(result.openError))\(lastWords(result.log))"))
    }

    static func objectName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".bpf.o") ? String(file.dropLast(6)) : file
    }

    /// The ORIGIN file's "source" line: where the objects were built from.
    static func origin(_ directory: String) -> String? {
        guard let bytes = try? OwnDataFile.read("\(directory)/ORIGIN") else { return nil }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("source ") }.map { String($0.dropFirst(7)) }
    }

    /// An error's words: libbpf's own codes (4000 and up) as libbpf says them, others as the system does.
    static func words(_ error: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ampfix_bpf_strerror(error, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// libbpf's last lines (without its "libbpf: " prefix and the log's frame lines).
    static func lines(_ log: String?) -> [String] {
        guard let log else { return [] }
        let lines = log.split(separator: "\n").map { line -> String in
            line.hasPrefix("libbpf: ") ? String(line.dropFirst(8)) : String(line)
        }.filter { !$0.isEmpty && !$0.hasPrefix("-- BEGIN") && !$0.hasPrefix("-- END") }
        return Array(lines.suffix(8))
    }

    /// Whether libbpf printed the verifier's log (its end is kept: the closing line is the mark;
    /// libbpf before 1.0 closed it with "-- END LOG --").
    static func verifierSpoke(_ log: String?) -> Bool {
        guard let log else { return false }
        return log.contains("-- END PROG LOAD LOG --") || log.contains("-- END LOG --")
    }

    static func lastWords(_ log: String?) -> String {
        lines(log).last.map { "; libbpf: \($0)" } ?? ""
    }
}
