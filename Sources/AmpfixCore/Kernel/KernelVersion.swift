/// Kernel version numbers as the support table compares them: the leading dotted numbers of a
/// release ("5.14.0-362.el9.x86_64" → [5, 14, 0]).
public enum KernelVersion {
    public static func numbers(_ release: String) -> [Int] {
        let head = release.prefix { $0.isNumber || $0 == "." }
        return head.split(separator: ".").compactMap { Int($0) }
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
