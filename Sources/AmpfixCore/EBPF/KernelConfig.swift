/// A kernel's build configuration (/boot/config-RELEASE, /proc/config.gz): `CONFIG_NAME=value`
/// lines and `# CONFIG_NAME is not set`. Other lines (comments, blank) say nothing.
public struct KernelConfig: Sendable, Equatable {
    /// Where it was read (for evidence).
    public var path: String
    /// Each option's value as written (`y`, `m`, `"text"`, `0x1000`); an option that is "not
    /// set" or absent has none.
    public var values: [String: String]

    public init(path: String, text: String) {
        self.path = path
        var values: [String: String] = [:]
        for line in textLines(text) {
            guard line.hasPrefix("CONFIG_"), let equals = line.firstIndex(of: "=") else { continue }
            let name = line[line.index(line.startIndex, offsetBy: 7)..<equals]
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { continue }
            var value = line[line.index(after: equals)...]
            if value.last == "\r" { value = value.dropLast() }
            values[String(name)] = String(value)
        }
        self.values = values
    }

    /// Whether `name` (without CONFIG_) is built in or a module.
    public func enables(_ name: String) -> Bool { values[name] == "y" || values[name] == "m" }
}
