/// A JSON document as a tree: what ampfix's own encoder writes and its decoder reads (the report,
/// `--json`, the journal), without Foundation. Numbers keep their text, so an integer of any
/// width is exact both ways.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The text: keys sorted by their UTF-8 bytes, slashes as they are, control characters
    /// escaped; `pretty` puts each member on its own line, two spaces deep, `"key" : value` —
    /// byte for byte what Foundation's JSONEncoder writes with `.sortedKeys` and
    /// `.withoutEscapingSlashes` (and `.prettyPrinted`).
    public func text(pretty: Bool) -> String {
        var out = ""
        write(into: &out, pretty: pretty, depth: 0)
        return out
    }

    private func write(into out: inout String, pretty: Bool, depth: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): Self.quote(text, into: &out)
        case .array(let items):
            out += "["
            Self.members(items.count, into: &out, pretty: pretty, depth: depth) { index, out in
                items[index].write(into: &out, pretty: pretty, depth: depth + 1)
            }
            out += "]"
        case .object(let members):
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            out += "{"
            Self.members(keys.count, into: &out, pretty: pretty, depth: depth) { index, out in
                Self.quote(keys[index], into: &out)
                out += pretty ? " : " : ":"
                members[keys[index]]!.write(into: &out, pretty: pretty, depth: depth + 1)
            }
            out += "}"
        }
    }

    /// Members separated by commas; pretty: each on its own line, an empty container as two
    /// line breaks (as Foundation writes it).
    private static func members(_ count: Int, into out: inout String, pretty: Bool, depth: Int, _ member: (Int, inout String) -> Void) {
        let inner = String(repeating: "  ", count: depth + 1)
        if pretty { out += "\n" }
        for index in 0..<count {
            if index > 0 { out += pretty ? ",\n" : "," }
            if pretty { out += inner }
            member(index, &out)
        }
        if pretty { out += "\n" + String(repeating: "  ", count: depth) }
    }

    static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{8}": out += "\\b"
            case "\u{c}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// A double's text as Foundation's JSONEncoder writes it: Swift's shortest round-trip form,
    /// without a trailing ".0" (`100`, `0.1`, `1e-05`, `1e+21`).
    static func number(_ value: Double) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    static func number(_ value: Float) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

// MARK: Parsing

/// Why a text is not JSON, with the byte offset where that was found.
public struct JSONSyntaxError: Error, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "not JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
    /// Containers nested deeper than this are refused (a hostile journal line must not exhaust
    /// the stack).
    public static let maximumDepth = 256

    /// Parses one JSON value (RFC 8259) that fills `bytes`, whitespace around it allowed; the
    /// bytes must be UTF-8.
    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        var parser = JSONParser(bytes: Array(bytes))
        guard String(validating: parser.bytes, as: UTF8.self) != nil else { throw parser.error("not UTF-8") }
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.error("more after the value") }
        return value
    }

    public static func parse(_ text: String) throws -> JSONValue { try parse(text.utf8) }
}

private struct JSONParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func error(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: index, reason: reason) }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d { index += 1 }
    }

    mutating func expect(_ word: String) throws {
        for byte in word.utf8 {
            guard current == byte else { throw error("expected \(word)") }
            index += 1
        }
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard let byte = current else { throw error("the text ends where a value should be") }
        switch byte {
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            guard depth < JSONValue.maximumDepth else { throw error("nested deeper than \(JSONValue.maximumDepth)") }
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if current == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return .array(items)
                default: throw error("expected , or ] in an array")
                }
            }
        case UInt8(ascii: "{"):
            guard depth < JSONValue.maximumDepth else { throw error("nested deeper than \(JSONValue.maximumDepth)") }
            index += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if current == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw error("expected : after a key") }
                index += 1
                skipSpace()
                let member = try value(depth: depth + 1)
                guard members.updateValue(member, forKey: key) == nil else { throw error("the key \"\(key)\" appears twice") }
                skipSpace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; return .object(members)
                default: throw error("expected , or } in an object")
                }
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected character")
        }
    }

    /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, kept as text.
    mutating func number() throws -> String {
        let start = index
        func digits() -> Int {
            let from = index
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
            return index - from
        }
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            throw error("a number without digits")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("no digits after a decimal point") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("no digits in an exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func string() throws -> String {
        index += 1  // the opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flush() { scalars.append(contentsOf: String(decoding: bytes[runStart..<index], as: UTF8.self).unicodeScalars) }
        while true {
            guard let byte = current else { throw error("a string is not closed") }
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                index += 1
                scalars.append(try escape())
                runStart = index
            case 0..<0x20:
                throw error("a control character inside a string")
            default:
                index += 1
            }
        }
    }

    mutating func escape() throws -> Unicode.Scalar {
        guard let byte = current else { throw error("a string ends in an escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{8}"
        case UInt8(ascii: "f"): return "\u{c}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try hex4()
            if (0xD800..<0xDC00).contains(unit) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("a lone surrogate in \\u escapes")
                }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate in \\u escapes") }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(unit) else { throw error("a lone surrogate in \\u escapes") }
            return scalar
        default:
            throw error("an unknown escape")
        }
    }

    mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
              bytes[index..<index + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else {
            throw error("\\u needs four hexadecimal digits")
        }
        index += 4
        return value
    }
}
