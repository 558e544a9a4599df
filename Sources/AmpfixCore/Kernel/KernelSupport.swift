/// The kernels the connector supports, from a data file shipped with ampfix
/// (`data/kernel-support.tsv`, installed as /usr/share/ampfix/kernel-support.tsv):
///
///     # family  path  minimum  maximum  source
///     rhel      ebpf  4.18     6.12     placeholder
///
/// `family` is debian, rhel, oracle or suse; `path` names the monitoring path (ebpf or kmod);
/// bounds are inclusive and compare as many numbers as they have ("6.12" covers 6.12.9).
/// `source` (optional) says where the row's bounds come from; a `placeholder` row is never
/// the only reason fault 16 calls a kernel incompatible. The table is secondary: the kernel's
/// own evidence (the connector's programs loaded, its configuration and symbols) decides first.
public struct KernelSupportTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var family: DistroFamily
        public var path: String
        public var minimum: [Int]
        public var maximum: [Int]
        public var line: Int
        /// Where the bounds come from ("unlabelled" when the row does not say).
        public var source: String = "unlabelled"

        /// Bounds nobody took from a public source: never the only reason for "present".
        public var isPlaceholder: Bool { source == "placeholder" }
    }

    public var path: String
    public var rows: [Row] = []

    public struct Malformed: Error, Sendable, CustomStringConvertible {
        public var description: String
        /// The file is not there at all (a build or host without the table): the kernel's own
        /// evidence then decides alone. A table that is there and cannot be read is an error.
        public var missing: Bool
        public init(description: String, missing: Bool = false) {
            self.description = description
            self.missing = missing
        }
    }

    public init(path: String, text: String) throws {
        self.path = path
        for (index, raw) in textLines(text).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if fields.isEmpty { continue }
            let place = "\(path):\(index + 1)"
            guard fields.count == 4 || fields.count == 5 else {
                throw Malformed(description: "\(place): expected 'family path minimum maximum [source]', found \(fields.count) fields")
            }
            guard let family = DistroFamily(rawValue: fields[0]) else { throw Malformed(description: "\(place): unknown family '\(fields[0])' (debian, rhel, oracle, suse)") }
            let minimum = KernelVersion.numbers(fields[2]), maximum = KernelVersion.numbers(fields[3])
            guard !minimum.isEmpty, !maximum.isEmpty, minimum.map(String.init).joined(separator: ".") == fields[2],
                  maximum.map(String.init).joined(separator: ".") == fields[3] else {
                throw Malformed(description: "\(place): bounds must be dotted numbers like 4.18")
            }
            guard KernelVersion.compare(minimum, toBound: maximum) <= 0 else {
                throw Malformed(description: "\(place): the minimum \(fields[2]) is above the maximum \(fields[3])")
            }
            rows.append(Row(family: family, path: fields[1], minimum: minimum, maximum: maximum, line: index + 1, source: fields.count == 5 ? fields[4] : "unlabelled"))
        }
        if rows.isEmpty {
            throw Malformed(description: "\(path) has no rows: it names no supported kernel, so fault 16 could decide nothing")
        }
    }

    /// The monitoring paths that support `release` on `family`.
    public func paths(for release: String, family: DistroFamily) -> [Row] {
        let numbers = KernelVersion.numbers(release)
        return rows.filter {
            $0.family == family && KernelVersion.compare(numbers, toBound: $0.minimum) >= 0 && KernelVersion.compare(numbers, toBound: $0.maximum) <= 0
        }
    }

    public func rows(for family: DistroFamily) -> [Row] { rows.filter { $0.family == family } }
}
