import AmpfixCore
import Foundation
import Testing

/// ampfix's own JSON encoder and decoder against Foundation's, which wrote ampfix's reports and
/// journals before: the same bytes out, the same values back.
@Suite struct JSONCodingTests {
    struct Sample: Codable, Equatable {
        enum Shape: Codable, Equatable {
            case point
            case circle(radius: Int)
            case named(String, size: UInt32)
        }

        var doubles: [Double] = [0, 1, -1, 0.1, 2.5, 1e-5, 1e21, 1e16, 123_456_789.123, 1.7976931348623157e308, -0.0, 100, 0.30000000000000004,
                                 .leastNonzeroMagnitude]
        var float: Float = 0.1
        var empty: [Int] = []
        var emptyObject: [String: Int] = [:]
        var keys: [String: Int] = ["b": 1, "B": 2, "a10": 3, "a9": 4, "_x": 5, "é": 6, "Z": 7, "a-b": 8]
        var text = "q\"b\\s/\u{0}\u{1}\u{8}\u{c}\n\r\t\u{1f}\u{7f}é\u{2028}😀"
        var missing: Int?
        var present: String? = "here"
        var nested: [[Int]] = [[], [1, 2]]
        var big: UInt64 = .max
        var small: Int64 = .min
        var small8: Int8 = -128
        var flag = true
        var shapes: [Shape] = [.point, .circle(radius: 3), .named("n", size: 9)]
        var optionals: [Int?] = [1, nil, 3]
        var unicodeKey: [String: String] = ["ключ": "значение"]
    }

    static func foundation<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test(arguments: [true, false])
    func theSameBytesAsFoundation(pretty: Bool) throws {
        let ours = try JSONCoding.text(Sample(), pretty: pretty)
        #expect(ours == (try Self.foundation(Sample(), pretty: pretty)))
        #expect(JSONText.pretty(["runs": ["a/b", "c"]]) == (try Self.foundation(["runs": ["a/b", "c"]], pretty: true)))
    }

    @Test func whatFoundationWroteReadsBackTheSame() throws {
        let written = try Self.foundation(Sample(), pretty: false)
        let sample = try JSONCoding.decode(Sample.self, from: written.utf8)
        var expected = Sample()
        // -0.0 is written as -0, which reads back as the integer-looking 0 with its sign.
        expected.doubles = expected.doubles.map { $0 == 0 ? 0 : $0 }
        #expect(sample.doubles.map { $0 == 0 ? 0 : $0 } == expected.doubles)
        expected.doubles = sample.doubles
        #expect(sample == expected)
        let ours = try JSONCoding.decode(Sample.self, from: try JSONCoding.text(Sample(), pretty: true).utf8)
        #expect(ours.text == Sample().text && ours.shapes == Sample().shapes && ours.big == .max && ours.small == .min)
    }

    /// A file's bytes as base64, as Foundation wrote `Data`, every length's padding included.
    @Test func fileBytesAreBase64AsFoundationWroteData() throws {
        struct Old: Codable { var bytes: Data }
        for length in 0..<12 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 200) }
            let ours = try JSONCoding.text(FileContent(bytes), pretty: false)
            #expect(ours == (try Self.foundation(Old(bytes: Data(bytes)), pretty: false)))
            #expect(try JSONCoding.decode(FileContent.self, from: ours.utf8).bytes == bytes)
        }
        for bad in ["{\"bytes\":\"abc\"}", "{\"bytes\":\"a=bc\"}", "{\"bytes\":\"ab=c\"}", "{\"bytes\":\"ab!c\"}", "{\"bytes\":\"=abc\"}"] {
            #expect(throws: DecodingError.self, "\(bad)") { try JSONCoding.decode(FileContent.self, from: bad.utf8) }
        }
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul",
        "\"a", "\"\u{1}\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "[1] 2", "{\"a\":1,\"a\":2}",
    ])
    func malformedTextIsRefused(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
    }

    /// Each element once: an append that copied the array made 150,000 numbers take minutes
    /// (a hang test with a wide margin, not a benchmark).
    @Test func aLongArrayAndAWideObjectEncodeInLinearTime() throws {
        let started = ContinuousClock.now
        let numbers = Array(0..<200_000)
        let object = Dictionary(uniqueKeysWithValues: (0..<50_000).map { ("k\($0)", $0) })
        let text = try JSONCoding.text(numbers, pretty: false)
        _ = try JSONCoding.text(object, pretty: false)
        #expect(text.hasPrefix("[0,1,2") && text.hasSuffix(",199999]"))
        #expect(started.duration(to: .now) < .seconds(30), "\(started.duration(to: .now))")
    }

    @Test func deepNestingAndInvalidUTF8AreRefused() throws {
        let deep = String(repeating: "[", count: JSONValue.maximumDepth + 1) + String(repeating: "]", count: JSONValue.maximumDepth + 1)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(deep) }
        let fine = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
        #expect(throws: Never.self) { try JSONValue.parse(fine) }
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22, 0xff, 0x22]) }
        #expect(try JSONValue.parse(" \"\\ud83d\\ude00\\u00e9\\/\" ") == .string("😀é/"))
    }

    @Test func numbersAreCheckedAgainstTheirType() throws {
        struct Small: Codable { var value: UInt8 }
        #expect(try JSONCoding.decode(Small.self, from: "{\"value\":255}".utf8).value == 255)
        #expect(try JSONCoding.decode(Small.self, from: "{\"value\":2e1}".utf8).value == 20)
        for bad in ["{\"value\":256}", "{\"value\":-1}", "{\"value\":1.5}", "{\"value\":\"1\"}", "{}", "{\"value\":null}"] {
            #expect(throws: DecodingError.self, "\(bad)") { try JSONCoding.decode(Small.self, from: bad.utf8) }
        }
        #expect(throws: EncodingError.self) { try JSONCoding.text([Double.nan], pretty: false) }
    }
}
