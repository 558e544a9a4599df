/// The predictions `ampfix preflight` made last, per kernel: kept under the root so that a
/// diagnosis, once the connector runs, can set them against what the connector raises.
public struct PreflightRecord: Codable, Sendable, Equatable {
    public static let path = "/var/lib/ampfix/preflight.json"
    public static let schemaVersion = "ampfix.preflight-record/1"
    /// Kernels kept (the newest predictions): a host installs a kernel a month or so.
    public static let keptKernels = 16
    /// Larger is no record of ampfix's.
    public static let sizeLimit = 1 << 20

    /// One preflight's outcome per fault for one kernel.
    public struct Entry: Codable, Sendable, Equatable {
        public var kernel: String
        /// When it was made (ISO 8601, UTC) and by which ampfix.
        public var recorded: String
        public var ampfix: String
        /// Faults it predicted, found clear, or could not tell.
        public var predicted: [Int]
        public var clear: [Int]
        public var unknown: [Int]

        public init(kernel: String, recorded: String, ampfix: String = AmpfixVersion.current, predicted: [Int], clear: [Int], unknown: [Int]) {
            self.kernel = kernel
            self.recorded = recorded
            self.ampfix = ampfix
            self.predicted = predicted
            self.clear = clear
            self.unknown = unknown
        }

        /// A preflight's predictions per fault: a fault is predicted when any of its checks is
        /// (fault 7 has two: disk space and memory), else unknown when any is, else clear.
        public init?(_ report: PreflightReport, recorded: String) {
            guard let kernel = report.kernel else { return nil }
            var outcomes: [Int: Prediction.Outcome] = [:]
            for prediction in report.predictions {
                guard let fault = prediction.fault else { continue }
                switch (outcomes[fault], prediction.outcome) {
                case (.predicted, _): continue
                case (.unknown, .clear): continue
                default: outcomes[fault] = prediction.outcome
                }
            }
            func faults(_ outcome: Prediction.Outcome) -> [Int] { outcomes.filter { $0.value == outcome }.map(\.key).sorted() }
            self.init(kernel: kernel, recorded: recorded, predicted: faults(.predicted), clear: faults(.clear), unknown: faults(.unknown))
        }

        public func outcome(_ fault: Int) -> Prediction.Outcome? {
            predicted.contains(fault) ? .predicted : unknown.contains(fault) ? .unknown : clear.contains(fault) ? .clear : nil
        }
    }

    public var schema = PreflightRecord.schemaVersion
    /// Newest first.
    public var kernels: [Entry]

    public init(kernels: [Entry] = []) {
        self.kernels = kernels
    }

    /// Why bytes are no record.
    public struct Invalid: Error, Sendable, Equatable {
        public var reason: Message
    }

    /// The record in `bytes`, or why it is none.
    public static func parse(_ bytes: [UInt8]) -> Result<PreflightRecord, Invalid> {
        guard bytes.count <= sizeLimit else { return .failure(Invalid(reason: .msg("larger than \(sizeLimit) bytes"))) }
        guard let record = try? JSONCoding.decode(PreflightRecord.self, from: bytes) else { return .failure(Invalid(reason: .msg("not a preflight record (JSON)"))) }
        guard record.schema == schemaVersion else { return .failure(Invalid(reason: .msg("schema \(record.schema), not \(schemaVersion)"))) }
        // What ampfix writes, and nothing more: its faults, its number of kernels, releases and
        // times of a line's length (a planted record must not fill a report or the metrics).
        let faults = Set(FaultID.allCases.map(\.rawValue))
        guard record.kernels.count <= keptKernels else { return .failure(Invalid(reason: .msg("more than \(keptKernels) kernels"))) }
        for entry in record.kernels {
            let numbers = entry.predicted + entry.clear + entry.unknown
            guard numbers.allSatisfy(faults.contains), Set(numbers).count == numbers.count else {
                return .failure(Invalid(reason: .msg("the entry for \(entry.kernel.prefix(80)) names other than the connector's faults, or one twice")))
            }
            guard [entry.kernel, entry.recorded, entry.ampfix].allSatisfy({ (1...256).contains($0.utf8.count) }) else {
                return .failure(Invalid(reason: .msg("an entry's kernel, time or version is empty or longer than 256 bytes")))
            }
        }
        return .success(record)
    }

    /// Keeps `entry` as its kernel's newest predictions, and at most `keptKernels` kernels.
    public mutating func keep(_ entry: Entry) {
        kernels.removeAll { $0.kernel == entry.kernel }
        kernels.insert(entry, at: 0)
        if kernels.count > Self.keptKernels { kernels.removeLast(kernels.count - Self.keptKernels) }
    }

    /// The predictions for `kernel` (none when the kernel is not known).
    public func entry(for kernel: String?) -> Entry? {
        kernels.first { $0.kernel == kernel }
    }
}

/// The last preflight's predictions set against what the connector raises now: predicted and
/// raised, predicted and not raised, raised and not predicted.
public struct PreflightComparison: Codable, Sendable, Equatable {
    public enum Agreement: String, Codable, Sendable, CaseIterable {
        case predictedRaised = "predicted-raised"
        case predictedNotRaised = "predicted-not-raised"
        case raisedNotPredicted = "raised-not-predicted"
        /// Neither predicted nor raised.
        case neither
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var fault: Int
        /// What preflight said: predicted, clear, unknown, or nil when it did not check the fault.
        public var prediction: Prediction.Outcome?
        public var raised: Bool
        public var agreement: Agreement
    }

    public var kernel: String
    public var recorded: String
    /// False when the connector's status counts faults it does not name: a fault it raises may
    /// be missing from `raised`.
    public var complete: Bool
    public var entries: [Entry]

    /// Nil when there is nothing to compare: the connector was not read, or no preflight was
    /// recorded for the kernel.
    public init?(record: PreflightRecord?, kernel: String?, connector: ConnectorReport?) {
        guard let connector, connector.reading == .read, let entry = record?.entry(for: kernel) else { return nil }
        let raised = Set(connector.raised.map(\.id))
        let faults = Set(entry.predicted + entry.clear + entry.unknown).union(raised).sorted()
        self.kernel = entry.kernel
        recorded = entry.recorded
        complete = connector.faultListDisagrees != true
        entries = faults.map { fault in
            let prediction = entry.outcome(fault)
            let predicted = prediction == .predicted, isRaised = raised.contains(fault)
            let agreement: Agreement = predicted ? (isRaised ? .predictedRaised : .predictedNotRaised) : (isRaised ? .raisedNotPredicted : .neither)
            return Entry(fault: fault, prediction: prediction, raised: isRaised, agreement: agreement)
        }
    }

    public func faults(_ agreement: Agreement) -> [Int] { entries.filter { $0.agreement == agreement }.map(\.fault) }
}

extension PreflightRecord {
    /// The record kept under the host's root: nil when there is none; why not, when what is
    /// there is not one (a diagnosis then compares nothing and says so; the next preflight
    /// starts it again).
    public static func read(_ host: any HostFacts) -> Result<PreflightRecord, Invalid>? {
        do {
            return try host.readBytes(path).map(parse)
        } catch {
            return .failure(Invalid(reason: .msg("cannot read it: \(error)")))
        }
    }
}
