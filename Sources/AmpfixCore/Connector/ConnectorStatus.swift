/// What `ampcli status` printed, parsed tolerantly. The accepted shape (README, "The connector's
/// own fault list"): any banner lines (`[logger] …`), then `Key: value` lines — `Status`, `Mode`,
/// `Faults` (`1 Major`, `None`), `Fault IDs` (`18` or `6, 18`) — and one line per raised fault,
/// `ID 18 - Major: text`. Unknown keys are kept; lines of no known shape are counted, not fatal.
public struct ConnectorStatus: Sendable, Equatable {
    /// A fault the connector reports as raised.
    public struct RaisedFault: Sendable, Equatable {
        public var id: Int
        public var severity: String?
        public var text: String?

        public init(id: Int, severity: String?, text: String?) {
            self.id = id
            self.severity = severity
            self.text = text
        }
    }

    /// A `Key: value` line.
    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    /// Every `Key: value` line, in order (a repeated key keeps its first value in `value(_:)`).
    public var fields: [Field] = []
    /// The faults raised, from `Fault IDs` and the `ID n - Severity: text` lines, by id.
    public var raised: [RaisedFault] = []
    /// Whether the output says anything about faults at all (a `Faults`, `Fault IDs` or `ID` line).
    public var reportsFaults = false
    /// Why the fault list cannot be taken at its word: an id that does not parse ("-6",
    /// "99999999999999999999", "6\0"), or a `Faults` count that is not the number of ids. Then
    /// only the faults it does name are known raised; for the others the connector's word is
    /// unknown, never "not raised".
    public var disagreement: Message?
    /// Banner lines (`[logger] …`) skipped.
    public var bannerLines = 0
    /// Lines of no known shape.
    public var unrecognizedLines = 0
    /// The output as printed (bounded by the runtime's read limit), for a support bundle.
    public var output = ""

    public func value(_ key: String) -> String? {
        fields.first { $0.key.lowercased() == key.lowercased() }?.value
    }

    /// The keys that make output an ampcli status; without one of them it is not one.
    static let knownKeys: Set<String> = ["status", "mode", "scan", "last scan", "policy", "faults", "fault ids", "command-line", "orbital", "behavioural protection", "behavioral protection"]

    public enum Malformed: Error, Equatable, CustomStringConvertible, MessageConvertible {
        case empty
        case noKnownKey(lines: Int)

        public var message: Message {
            switch self {
            case .empty: .msg("it printed nothing")
            case .noKnownKey(let lines): .msg("none of its \(lines) lines is a status line (Status:, Mode:, Faults: …)")
            }
        }

        public var description: String { message.description }
    }

    /// Parses the output; a few thousand lines at most are looked at.
    public static func parse(_ text: String) throws(Malformed) -> ConnectorStatus {
        var status = ConnectorStatus()
        status.output = text
        var lines = 0
        var known = false
        var counts: [Int] = []
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).prefix(4096) {
            let line = String(raw).trimming()
            if line.isEmpty { continue }
            lines += 1
            if line.hasPrefix("[") {
                status.bannerLines += 1
            } else if let fault = raisedFaultLine(line) {
                status.reportsFaults = true
                status.add(fault)
            } else if line.hasPrefix("ID ") && line.dropFirst(3).first.map({ $0 == "-" || $0 == "+" || ($0.isASCII && $0.isNumber) }) == true {
                status.reportsFaults = true
                status.disagree(.msg("'\(String(line.prefix(40)))' names no fault id ampfix can read"))
            } else if let (key, value) = field(line) {
                status.fields.append(Field(key: key, value: value))
                let lowered = key.lowercased()
                if knownKeys.contains(lowered) { known = true }
                if lowered == "faults" {
                    status.reportsFaults = true
                    if let count = faultCount(value) { counts.append(count) } else { status.disagree(.msg("Faults: '\(value)' is not a count of faults")) }
                }
                if lowered == "fault ids" {
                    status.reportsFaults = true
                    let (ids, bad) = faultIDs(value)
                    for id in ids { status.add(RaisedFault(id: id, severity: nil, text: nil)) }
                    if !bad.isEmpty {
                        let quoted = bad.map { "'\($0)'" }.joined(separator: ", ")
                        status.disagree(.plural(bad.count, "Fault IDs: \(quoted) is not a fault id", "Fault IDs: \(quoted) are not fault ids"))
                    }
                }
            } else {
                status.unrecognizedLines += 1
            }
        }
        if lines == 0 { throw .empty }
        if !known { throw .noKnownKey(lines: lines) }
        status.raised.sort { $0.id < $1.id }
        if let count = counts.first, counts.allSatisfy({ $0 == count }), count != status.raised.count {
            let listed = status.raised.map { String($0.id) }.joined(separator: ", ")
            status.disagree(status.raised.isEmpty ? .msg("Faults says \(count), yet no fault id is listed") : .msg("Faults says \(count), yet the ids listed are \(listed)"))
        } else if Set(counts).count > 1 {
            status.disagree(.msg("the Faults lines disagree (\(counts.map(String.init).joined(separator: ", ")))"))
        }
        return status
    }

    mutating func disagree(_ why: Message) {
        disagreement = disagreement.map { .joined([$0, why], separator: "; ") } ?? why
    }

    /// The number of faults a `Faults:` value counts: "None" and "0" are 0, "2 Major, 1
    /// Critical" is 3; nil when it is not shaped like a count.
    static func faultCount(_ value: String) -> Int? {
        let trimmed = value.trimming()
        if trimmed.isEmpty { return nil }
        if trimmed.lowercased() == "none" { return 0 }
        var total = 0
        for part in trimmed.split(separator: ",") {
            let words = part.split(separator: " ")
            guard let first = words.first, first.count <= 6, first.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(first) else { return nil }
            total += number
        }
        return total
    }

    mutating func add(_ fault: RaisedFault) {
        if let index = raised.firstIndex(where: { $0.id == fault.id }) {
            raised[index].severity = raised[index].severity ?? fault.severity
            raised[index].text = raised[index].text ?? fault.text
        } else {
            raised.append(fault)
        }
    }

    /// `ID 18 - Major: Connector event monitoring is overloaded. …`
    static func raisedFaultLine(_ line: String) -> RaisedFault? {
        guard line.hasPrefix("ID ") else { return nil }
        let rest = line.dropFirst(3)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 6, let id = Int(digits) else { return nil }
        var tail = String(rest.dropFirst(digits.count)).trimming()
        guard tail.isEmpty || tail.hasPrefix("-") || tail.hasPrefix(":") else { return nil }
        if tail.hasPrefix("-") { tail = String(tail.dropFirst()).trimming() }
        var severity: String?
        var text: String?
        if let colon = tail.firstIndex(of: ":") {
            let head = String(tail[..<colon]).trimming()
            severity = head.isEmpty ? nil : head
            let body = String(tail[tail.index(after: colon)...]).trimming()
            text = body.isEmpty ? nil : body
        } else if !tail.isEmpty {
            severity = tail
        }
        return RaisedFault(id: id, severity: severity, text: text)
    }

    /// `Key: value`, where the key is words (letters, digits, spaces, '-', '_', '/').
    static func field(_ line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = String(line[..<colon]).trimming()
        guard !key.isEmpty, key.count <= 40,
              key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "_" || $0 == "/" }),
              key.first?.isLetter == true else { return nil }
        return (key, String(line[line.index(after: colon)...]).trimming())
    }

    /// `18`, `6, 18`, `6 18`; `None` (or nothing) gives none. Words that are not ids come back
    /// apart, escaped for a message.
    static func faultIDs(_ value: String) -> (ids: [Int], bad: [String]) {
        var ids: [Int] = []
        var bad: [String] = []
        for word in value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0 == "\t" }) {
            if word.count <= 6, word.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int(word) {
                ids.append(id)
            } else if word.lowercased() != "none" {
                bad.append(String(word.prefix(24)).escapingControlCharacters())
            }
        }
        return (ids, bad)
    }
}
