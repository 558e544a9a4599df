/// MD5 (RFC 1321), streaming: the digest ClamAV's database headers carry for their body. Here
/// rather than a crypto library because only this one legacy digest is needed, to compare with a
/// header, never for security.
public struct MD5: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    public init() {}

    public mutating func update(_ bytes: some Collection<UInt8>) {
        length &+= UInt64(bytes.count)
        var rest = bytes[...]
        if !pending.isEmpty {
            let take = min(64 - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            guard pending.count == 64 else { return }
            pending.withUnsafeBufferPointer { compress($0) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = rest.count / 64 * 64
        let done = rest.withContiguousStorageIfAvailable { buffer -> Bool in
            var offset = 0
            while offset < whole {
                compress(UnsafeBufferPointer(rebasing: buffer[offset..<offset + 64]))
                offset += 64
            }
            return true
        }
        if done == nil {
            let copy = Array(rest.prefix(whole))
            copy.withUnsafeBufferPointer { buffer in
                for offset in stride(from: 0, to: whole, by: 64) { compress(UnsafeBufferPointer(rebasing: buffer[offset..<offset + 64])) }
            }
        }
        pending.append(contentsOf: rest.dropFirst(whole))
    }

    private mutating func compress(_ block: UnsafeBufferPointer<UInt8>) {
        // The 64 steps written out (generated from RFC 1321's tables): no table lookups, no
        // bounds checks, the 16 words loaded once — several times faster than a loop over tables.
        let raw = UnsafeRawBufferPointer(block)
        @inline(__always) func word(_ index: Int) -> UInt32 {
            UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
        }
        @inline(__always) func rotate(_ value: UInt32, _ by: UInt32) -> UInt32 { (value << by) | (value >> (32 - by)) }
        @inline(__always) func f(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ k: UInt32, _ s: UInt32) -> UInt32 {
            b &+ rotate(a &+ ((b & c) | (~b & d)) &+ x &+ k, s)
        }
        @inline(__always) func g(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ k: UInt32, _ s: UInt32) -> UInt32 {
            b &+ rotate(a &+ ((b & d) | (c & ~d)) &+ x &+ k, s)
        }
        @inline(__always) func h(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ k: UInt32, _ s: UInt32) -> UInt32 {
            b &+ rotate(a &+ (b ^ c ^ d) &+ x &+ k, s)
        }
        @inline(__always) func i(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ x: UInt32, _ k: UInt32, _ s: UInt32) -> UInt32 {
            b &+ rotate(a &+ (c ^ (b | ~d)) &+ x &+ k, s)
        }
        let x0 = word(0)
        let x1 = word(1)
        let x2 = word(2)
        let x3 = word(3)
        let x4 = word(4)
        let x5 = word(5)
        let x6 = word(6)
        let x7 = word(7)
        let x8 = word(8)
        let x9 = word(9)
        let x10 = word(10)
        let x11 = word(11)
        let x12 = word(12)
        let x13 = word(13)
        let x14 = word(14)
        let x15 = word(15)
        var (a, b, c, d) = state
        a = f(a, b, c, d, x0, 0xd76aa478, 7)
        d = f(d, a, b, c, x1, 0xe8c7b756, 12)
        c = f(c, d, a, b, x2, 0x242070db, 17)
        b = f(b, c, d, a, x3, 0xc1bdceee, 22)
        a = f(a, b, c, d, x4, 0xf57c0faf, 7)
        d = f(d, a, b, c, x5, 0x4787c62a, 12)
        c = f(c, d, a, b, x6, 0xa8304613, 17)
        b = f(b, c, d, a, x7, 0xfd469501, 22)
        a = f(a, b, c, d, x8, 0x698098d8, 7)
        d = f(d, a, b, c, x9, 0x8b44f7af, 12)
        c = f(c, d, a, b, x10, 0xffff5bb1, 17)
        b = f(b, c, d, a, x11, 0x895cd7be, 22)
        a = f(a, b, c, d, x12, 0x6b901122, 7)
        d = f(d, a, b, c, x13, 0xfd987193, 12)
        c = f(c, d, a, b, x14, 0xa679438e, 17)
        b = f(b, c, d, a, x15, 0x49b40821, 22)
        a = g(a, b, c, d, x1, 0xf61e2562, 5)
        d = g(d, a, b, c, x6, 0xc040b340, 9)
        c = g(c, d, a, b, x11, 0x265e5a51, 14)
        b = g(b, c, d, a, x0, 0xe9b6c7aa, 20)
        a = g(a, b, c, d, x5, 0xd62f105d, 5)
        d = g(d, a, b, c, x10, 0x02441453, 9)
        c = g(c, d, a, b, x15, 0xd8a1e681, 14)
        b = g(b, c, d, a, x4, 0xe7d3fbc8, 20)
        a = g(a, b, c, d, x9, 0x21e1cde6, 5)
        d = g(d, a, b, c, x14, 0xc33707d6, 9)
        c = g(c, d, a, b, x3, 0xf4d50d87, 14)
        b = g(b, c, d, a, x8, 0x455a14ed, 20)
        a = g(a, b, c, d, x13, 0xa9e3e905, 5)
        d = g(d, a, b, c, x2, 0xfcefa3f8, 9)
        c = g(c, d, a, b, x7, 0x676f02d9, 14)
        b = g(b, c, d, a, x12, 0x8d2a4c8a, 20)
        a = h(a, b, c, d, x5, 0xfffa3942, 4)
        d = h(d, a, b, c, x8, 0x8771f681, 11)
        c = h(c, d, a, b, x11, 0x6d9d6122, 16)
        b = h(b, c, d, a, x14, 0xfde5380c, 23)
        a = h(a, b, c, d, x1, 0xa4beea44, 4)
        d = h(d, a, b, c, x4, 0x4bdecfa9, 11)
        c = h(c, d, a, b, x7, 0xf6bb4b60, 16)
        b = h(b, c, d, a, x10, 0xbebfbc70, 23)
        a = h(a, b, c, d, x13, 0x289b7ec6, 4)
        d = h(d, a, b, c, x0, 0xeaa127fa, 11)
        c = h(c, d, a, b, x3, 0xd4ef3085, 16)
        b = h(b, c, d, a, x6, 0x04881d05, 23)
        a = h(a, b, c, d, x9, 0xd9d4d039, 4)
        d = h(d, a, b, c, x12, 0xe6db99e5, 11)
        c = h(c, d, a, b, x15, 0x1fa27cf8, 16)
        b = h(b, c, d, a, x2, 0xc4ac5665, 23)
        a = i(a, b, c, d, x0, 0xf4292244, 6)
        d = i(d, a, b, c, x7, 0x432aff97, 10)
        c = i(c, d, a, b, x14, 0xab9423a7, 15)
        b = i(b, c, d, a, x5, 0xfc93a039, 21)
        a = i(a, b, c, d, x12, 0x655b59c3, 6)
        d = i(d, a, b, c, x3, 0x8f0ccc92, 10)
        c = i(c, d, a, b, x10, 0xffeff47d, 15)
        b = i(b, c, d, a, x1, 0x85845dd1, 21)
        a = i(a, b, c, d, x8, 0x6fa87e4f, 6)
        d = i(d, a, b, c, x15, 0xfe2ce6e0, 10)
        c = i(c, d, a, b, x6, 0xa3014314, 15)
        b = i(b, c, d, a, x13, 0x4e0811a1, 21)
        a = i(a, b, c, d, x4, 0xf7537e82, 6)
        d = i(d, a, b, c, x11, 0xbd3af235, 10)
        c = i(c, d, a, b, x2, 0x2ad7d2bb, 15)
        b = i(b, c, d, a, x9, 0xeb86d391, 21)
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }

    /// The digest as 32 lowercase hex digits.
    public mutating func finalize() -> String {
        let bits = length &* 8
        var tail: [UInt8] = [0x80]
        while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
        for shift in stride(from: 0, to: 64, by: 8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        let saved = length
        update(tail)
        length = saved
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for word in [state.0, state.1, state.2, state.3] {
            for shift in stride(from: 0, to: 32, by: 8) {
                let byte = UInt8(truncatingIfNeeded: word >> UInt32(shift))
                out += [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        var md5 = MD5()
        md5.update(bytes)
        return md5.finalize()
    }
}
