extension String {
    /// The string without leading and trailing characters from `characters` (whitespace and
    /// newlines by default). Works on Unicode scalars: as Characters, "\r\n" is one, and a set
    /// built from " \t\r\n" would not contain "\n". Here because the core and the adapters avoid
    /// Foundation's version.
    public func trimming(_ characters: String = " \t\r\n") -> String {
        let set = Set(characters.unicodeScalars)
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
