import AmpfixTestSupport
import Foundation
import Testing

/// Every call ampfix makes goes through the one failure point (`Syscall.failure`): swift-system's
/// calls through the hooked wrappers of FileDescriptor+Hooked.swift, never directly — or a test
/// could not make that call fail.
@Suite struct SyscallSeamTests {
    /// swift-system's calls as a source would make them directly.
    static let direct = try! NSRegularExpression(pattern: #"FileDescriptor\.open\(|\.read\((into|fromAbsoluteOffset):|\.writeAll\(|\.seek\(offset:|\.resize\(to:|\.duplicate\(\)|[^.a-zA-Z]fd\.stat\(\)|\)\.stat\(\)|[a-z]\.stat\(\)"#)

    @Test func noSourceCallsSwiftSystemPastTheHook() throws {
        let sources = PackageLayout.root + "/Sources"
        let files = FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 50, "\(files.count) sources read")
        var found: [String] = []
        for file in files where !file.hasSuffix("FileDescriptor+Hooked.swift") {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = String(line)
                if code.trimmingCharacters(in: .whitespaces).hasPrefix("//") || code.contains("Glibc.stat()") { continue }
                if Self.direct.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil {
                    found.append("\(file):\(number + 1): \(code.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(found.isEmpty, "call swift-system through FileDescriptor+Hooked.swift:\n\(found.joined(separator: "\n"))")
    }
}
