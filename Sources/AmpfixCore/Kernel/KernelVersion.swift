/// Kernel version numbers as the support table compares them: the leading dotted numbers of a
/// release ("5.14.0-362.el9.x86_64" → [5, 14, 0]).
public enum KernelVersion {
    /// The leading numbers of a release ("6.1.0-28-amd64" → [6, 1, 0]): ASCII digits only, up
    /// to the first part that is not a number that fits (an overflow or "6..1" ends them, so a
    /// later number never takes an earlier one's place).
    public static func numbers(_ release: String) -> [Int] {
        let head = release.utf8.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") }
        var numbers: [Int] = []
        for part in head.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !part.isEmpty, let number = Int(String(decoding: part, as: UTF8.self)) else { break }
            numbers.append(number)
        }
        return numbers
    }

    /// Compares `release` with a table bound, looking only at as many numbers as the bound has
    /// ("6.12" covers 6.12.9): <0, 0, >0.
    public static func compare(_ release: [Int], toBound bound: [Int]) -> Int {
        for (index, b) in bound.enumerated() {
            let r = index < release.count ? release[index] : 0
            if r != b { return r < b ? -1 : 1 }
        }
        return 0
    }

    /// Orders releases by their numbers, then as text.
    public static func newer(_ a: String, than b: String) -> Bool {
        let (x, y) = (numbers(a), numbers(b))
        for (p, q) in zip(x, y) where p != q { return p > q }
        return x.count != y.count ? x.count > y.count : a > b
    }
}
