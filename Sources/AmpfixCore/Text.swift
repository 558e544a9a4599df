extension String {
    /// The string without leading and trailing characters from `characters` (whitespace and
    /// newlines by default). Works on Unicode scalars: as Characters, "\r\n" is one, and a set
    /// built from " \t\r\n" would not contain "\n". Here because the core and the adapters avoid
    /// Foundation's version.
    public func trimming(_ characters: String = " \t\r\n") -> String {
        // By index, without building a set or a new scalar view: this runs for every line of
        // every file a diagnosis reads.
        let set = characters.unicodeScalars
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, set.contains(scalars[start]) { start = scalars.index(after: start) }
        while start < end {
            let before = scalars.index(before: end)
            guard set.contains(scalars[before]) else { break }
            end = before
        }
        return start == scalars.startIndex && end == scalars.endIndex ? self : String(unicodeScalars[start..<end])
    }
}

extension String {
    /// Control characters written as escapes ("\x1b", "\x0a"), so that text read from the host
    /// (an os-release name, a passwd line with "\r") cannot rewrite the operator's terminal or
    /// split a report line. Tabs, and what `keeping` names, stay as they are.
    public func escapingControlCharacters(keeping kept: Set<Unicode.Scalar> = ["\t"]) -> String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            let value = scalar.value
            // Bidirectional controls too (U+202A–U+202E, U+2066–U+2069, marks): they reorder
            // what the terminal shows, so that a name can read as another.
            let bidi = (0x202a...0x202e).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200e || value == 0x200f || value == 0x061c
            let control = value < 0x20 || value == 0x7f || (0x80...0x9f).contains(value) || bidi
            if !control || kept.contains(scalar) {
                out.append(scalar)
                continue
            }
            let hex = String(value, radix: 16)
            out.append(contentsOf: (value > 0xff ? "\\u{\(hex)}" : "\\x" + (hex.count < 2 ? "0" + hex : hex)).unicodeScalars)
        }
        return String(out)
    }
}

extension String {
    /// The string as one word of a POSIX shell command line: as it is when it holds only
    /// characters no shell gives a meaning to, else in single quotes ('\'' for a quote). Every
    /// value from a host (a path, a store, a release, a package) in a command ampfix prints goes
    /// through it, so that a copied command runs what it says and nothing else.
    public var shellWord: String {
        let plain = !isEmpty && utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || Array("_@%+=:,./-".utf8).contains(byte)
        }
        if plain { return self }
        return "'" + replacingAll("'", with: "'\\''") + "'"
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}

/// A command line to print: each word quoted as the shell needs (`String.shellWord`).
public enum ShellCommand {
    public static func line(_ words: [String]) -> String {
        words.map(\.shellWord).joined(separator: " ")
    }
}
