extension String {
    /// The string without leading and trailing characters from `characters` (whitespace and
    /// newlines by default). Here because the core and the adapters avoid Foundation's version.
    public func trimming(_ characters: String = " \t\r\n") -> String {
        let set = Set(characters)
        return String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
