/// One of the connector's eBPF programs, as its object file declares it.
public struct BPFProgram: Sendable, Equatable, Codable {
    /// The object it is in, without `.bpf.o` (`file_close_write`): the source file's name.
    public var object: String
    /// The program's (C function's) name.
    public var name: String
    public var section: BPFSection

    public init(object: String, name: String, section: BPFSection) {
        self.object = object
        self.name = name
        self.section = section
    }

    /// What the connector does not see while the program is not attached, by its source file.
    public var loses: Message {
        switch object {
        case "file_close_write": .msg("file writes (seen when the file is closed)")
        case "file_create": .msg("file creations (files, device nodes, hard and symbolic links)")
        case "file_delete": .msg("file deletions")
        case "file_read": .msg("file reads")
        case "file_rename": .msg("file renames")
        case "file_write": .msg("file writes and truncations")
        case "kernel_features": .msg("its check for the kernel's ring buffer")
        case "network_accept": .msg("accepted network connections")
        case "network_connect": .msg("outgoing network connections")
        case "network_listen": .msg("listening sockets")
        case "network_receive": .msg("received network data")
        case "network_release": .msg("closed sockets")
        case "network_send": .msg("sent network data")
        case "process_exec": .msg("process starts (exec)")
        case "process_exit": .msg("process exits")
        case "process_fork": .msg("new processes (fork)")
        default: .msg("the events of \(object)")
        }
    }
}

/// The objects ampfix ships (/usr/lib/ampfix/bpf/) and the programs in them.
public struct BPFObjectSet: Sendable, Equatable {
    public var directory: String
    /// The object files, by path.
    public var objects: [String]
    public var programs: [BPFProgram]
    /// The source they were built from (the ORIGIN file's "source" line), when known.
    public var origin: String?

    public init(directory: String, objects: [String], programs: [BPFProgram], origin: String?) {
        self.directory = directory
        self.objects = objects
        self.programs = programs
        self.origin = origin
    }
}

/// What loading and attaching one program did.
public struct BPFProgramOutcome: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// Loaded, attached and detached again.
        case attached
        /// Its object did not load (the verifier or a CO-RE relocation refused it).
        case notLoaded = "not-loaded"
        /// Loaded, but the kernel refused the attachment.
        case notAttached = "not-attached"
    }

    public var program: BPFProgram
    public var state: State
    /// The errno of the failure.
    public var errorNumber: Int32?
    /// The errno's words (strerror).
    public var errorText: String?
    /// libbpf's last words about it (the verifier log's end for a load).
    public var libbpf: [String]
    /// Why ampfix itself did not try it, in its own words (translated as every message is).
    public var note: Message?
    /// The verifier ran and wrote its log: a refusal (EACCES included) is then the verifier's
    /// judgment of the program, not a denial of ampfix's process.
    public var verifierSpoke: Bool

    public init(program: BPFProgram, state: State, errorNumber: Int32? = nil, errorText: String? = nil, libbpf: [String] = [], note: Message? = nil,
                verifierSpoke: Bool = false) {
        self.program = program
        self.state = state
        self.errorNumber = errorNumber
        self.errorText = errorText
        self.libbpf = libbpf
        self.note = note
        self.verifierSpoke = verifierSpoke
    }
}

/// Why the programs could not be read or tried (no objects shipped, no libbpf).
public struct BPFUnavailable: Error, Sendable, Equatable {
    public var reason: Message
    public init(_ reason: Message) { self.reason = reason }
}

/// The connector's eBPF programs, through libbpf (AmpfixBPF): read from their objects without
/// touching the kernel, or loaded, attached and detached in the running kernel.
public protocol BPFPrograms: Sendable {
    /// The shipped objects and their programs (the section names come from the files).
    func objects() -> Result<BPFObjectSet, BPFUnavailable>
    /// Loads every object into the running kernel, attaches each program and detaches it at
    /// once. Nothing stays loaded or attached when it returns.
    func probe(_ set: BPFObjectSet) -> Result<[BPFProgramOutcome], BPFUnavailable>
}

/// Where no programs can be read (tests, a build that shipped none).
public struct NoBPFPrograms: BPFPrograms {
    public var reason: Message
    public init(reason: Message) { self.reason = reason }
    public func objects() -> Result<BPFObjectSet, BPFUnavailable> { .failure(BPFUnavailable(reason)) }
    public func probe(_ set: BPFObjectSet) -> Result<[BPFProgramOutcome], BPFUnavailable> { .failure(BPFUnavailable(reason)) }
}
