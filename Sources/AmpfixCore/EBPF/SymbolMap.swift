/// The kernel's symbols from a System.map (`ADDRESS TYPE NAME`) or /proc/kallsyms (the same,
/// with ` [module]` after a module's symbols). Only the names are kept: whether a kernel has a
/// function is what an attach needs.
public struct SymbolMap: Sendable {
    public var path: String
    public private(set) var names: Set<String>

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        var names = Set<String>()
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                var end = start
                while end < buffer.count && buffer[end] != UInt8(ascii: "\n") { end += 1 }
                if let name = Self.name(buffer[start..<end]) { names.insert(name) }
                start = end + 1
            }
        }
        self.names = names
    }

    /// The third field of a line: fields are separated by spaces or tabs.
    private static func name(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        var field = 0
        var index = line.startIndex
        while index < line.endIndex {
            while index < line.endIndex && (line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t")) { index += 1 }
            let start = index
            while index < line.endIndex && line[index] != UInt8(ascii: " ") && line[index] != UInt8(ascii: "\t") && line[index] != UInt8(ascii: "\r") { index += 1 }
            if start == index { return nil }
            if field == 2 { return String(decoding: UnsafeBufferPointer(rebasing: line[start..<index]), as: UTF8.self) }
            field += 1
        }
        return nil
    }

    public func contains(_ name: String) -> Bool { names.contains(name) }

    /// Names the compiler derived from `name` (`acct_process.isra.0`, `.constprop.0`): a kprobe on
    /// `name` finds none of them.
    public func variants(of name: String) -> [String] {
        names.filter { $0.hasPrefix(name + ".") }.sorted()
    }
}
