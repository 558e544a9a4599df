/// An accepted finding: an operator's word that a fault's cause is known on this host and left
/// as it is, until a date. Kept as `ROOT/etc/ampfix/accepted.d/*.conf`, one per file:
///
///     # comment lines start with #; a value runs to the end of its line
///     fault=16
///     kernel=6.1.0-28-amd64
///     reason=Waiting for connector 1.27, which supports this kernel (CASE-1234)
///     by=jdoe
///     expires=2027-03-31
///
/// `kernel=` (optional): only while this kernel is diagnosed; `message=` (optional): only while
/// the fault's evidence has this message id; `expires=`: the last day it holds (UTC).
/// While it holds, a present fault is reported as accepted (with its reason), not present; once
/// it has run out the fault is present again and says so. A file that is not such an entry is
/// named in the report, never passed over.
public struct Acceptance: Sendable, Equatable {
    public static let directory = "/etc/ampfix/accepted.d"
    /// At most this many files are read, each at most `sizeLimit` bytes.
    static let fileLimit = 256
    static let sizeLimit = 16 * 1024
    static let keys = ["fault", "kernel", "message", "reason", "by", "expires"]

    public var fault: FaultID
    public var kernel: String?
    public var message: String?
    public var reason: String
    public var by: String
    /// YYYY-MM-DD, inclusive.
    public var expires: String
    /// The file, inside the root.
    public var file: String

    /// Why a file is no entry.
    public struct Invalid: Error, Sendable, Equatable {
        public var reason: Message
    }

    /// The entry in `text`, or why it is none.
    public static func parse(_ text: String, file: String) -> Result<Acceptance, Invalid> {
        func invalid(_ reason: Message) -> Result<Acceptance, Invalid> { .failure(Invalid(reason: reason)) }
        var values: [String: String] = [:]
        for (number, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = String(raw).trimming(" \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                return invalid(.msg("\(file):\(String(number + 1)): not KEY=VALUE"))
            }
            let key = String(line[..<equals]).trimming(" \t"), value = String(line[line.index(after: equals)...]).trimming(" \t")
            guard keys.contains(key) else {
                return invalid(.msg("\(file):\(String(number + 1)): \(key) is not one of \(keys.joined(separator: ", "))"))
            }
            guard values[key] == nil else { return invalid(.msg("\(file):\(String(number + 1)): \(key) is given twice")) }
            guard !value.isEmpty, value.utf8.count <= 500, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                return invalid(.msg("\(file):\(String(number + 1)): \(key) must be 1 to 500 bytes of text"))
            }
            values[key] = value
        }
        for key in ["fault", "reason", "by", "expires"] where values[key] == nil {
            return invalid(.msg("\(file): \(key)= is missing (fault, reason, by and expires are required)"))
        }
        guard values["fault"]!.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(values["fault"]!), let fault = FaultID(rawValue: number) else {
            return invalid(.msg("\(file): fault=\(values["fault"]!) is not a connector fault (\(FaultID.validList))"))
        }
        let expires = values["expires"]!
        guard isDate(expires) else { return invalid(.msg("\(file): expires=\(expires) is not a date (YYYY-MM-DD)")) }
        if let kernel = values["kernel"], !KernelRelease.isValid(kernel) {
            return invalid(.msg("\(file): kernel=\(kernel) is not a kernel release"))
        }
        return .success(Acceptance(fault: fault, kernel: values["kernel"], message: values["message"], reason: values["reason"]!, by: values["by"]!,
                                   expires: expires, file: file))
    }

    /// A real calendar day written YYYY-MM-DD.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// The entries under the root's `directory`, and a message for each file that is not one.
    public static func read(_ host: any HostFacts) -> (entries: [Acceptance], problems: [Message]) {
        guard let listed = host.list(directory) else {
            // Absent is nothing to read; a name that is there and lists nothing (a file, a link
            // that leads nowhere inside the root) would drop every acceptance unexplained.
            let parent = String(directory[..<directory.lastIndex(of: "/")!])
            let name = String(directory[directory.index(after: directory.lastIndex(of: "/")!)...])
            if host.list(parent)?.contains(name) == true {
                return ([], [.msg("cannot read \(directory): not a directory inside the root (a file, or a link that leads nowhere in it)")])
            }
            return ([], [])
        }
        let names = listed.filter { $0.hasSuffix(".conf") && !$0.hasPrefix(".") }.sorted()
        var entries: [Acceptance] = [], problems: [Message] = []
        if names.count > fileLimit { problems.append(.msg("\(directory) has \(String(names.count)) files: only the first \(String(fileLimit)) are read")) }
        for name in names.prefix(fileLimit) {
            let file = directory + "/" + name
            do {
                guard let bytes = try host.readBytes(file) else {
                    problems.append(.msg("\(file): a link that leads to nothing inside the root: not read"))
                    continue
                }
                guard bytes.count <= sizeLimit else {
                    problems.append(.msg("\(file): larger than \(String(sizeLimit)) bytes: not read"))
                    continue
                }
                // A byte order mark (an editor's) is not part of the first key.
                let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
                guard let text = String(validating: body, as: UTF8.self) else {
                    problems.append(.msg("\(file): not UTF-8 text"))
                    continue
                }
                switch parse(text, file: file) {
                case .success(let entry): entries.append(entry)
                case .failure(let invalid): problems.append(invalid.reason)
                }
            } catch {
                problems.append(.msg("cannot read \(file): \(error)"))
            }
        }
        return (entries, problems)
    }

    /// Whether the entry is about `fault` as diagnosed: its kernel (when it names one) and its
    /// message id among the evidence (when it names one).
    func matches(_ fault: FaultReport, kernel diagnosed: String?) -> Bool {
        guard fault.id == self.fault.rawValue else { return false }
        if let kernel, kernel != diagnosed { return false }
        if let message, !fault.evidenceMessages.contains(where: { $0.id == message }) { return false }
        return true
    }

    /// Relabels the present faults an entry accepts as accepted (with its reason), until the day
    /// after `expires`; a fault whose entry has run out stays present and says so.
    /// - Parameter today: YYYY-MM-DD (UTC).
    public static func apply(_ entries: [Acceptance], to faults: inout [FaultReport], kernel: String?, today: String) {
        for index in faults.indices where faults[index].status == .present {
            let matching = entries.filter { $0.matches(faults[index], kernel: kernel) }
            if let holding = matching.filter({ $0.expires >= today }).max(by: { $0.expires < $1.expires }) {
                faults[index].status = .accepted
                faults[index].addEvidence(.msg("accepted until \(holding.expires) by \(holding.by) (\(holding.file)): \(holding.reason)"))
            } else if let ran = matching.max(by: { $0.expires < $1.expires }) {
                faults[index].addEvidence(.msg("the acceptance in \(ran.file) ran out on \(ran.expires) (by \(ran.by): \(ran.reason)): the fault counts again"))
            }
        }
    }
}
