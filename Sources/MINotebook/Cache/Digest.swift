/// A 128-bit digest of bytes: how cache entries are named and checked.
///
/// Two independent 64-bit lanes, each a multiply-and-rotate mix of 8 bytes at
/// a time (the MurmurHash3 x64 round, Appleby 2011, with different seeds per
/// lane), finished with its avalanche step. Cache keys and checksums need a
/// stable, well-spread digest that is fast on a 15 MB executable, not a
/// cryptographic one: the checksum guards against torn, truncated or edited
/// entries, and nobody gains by forging one.
public struct Digest: Sendable {
    private var a: UInt64 = 0x6D69_2D63_6163_6865      // "mi-cache"
    private var b: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var length: UInt64 = 0
    private var pending: UInt64 = 0
    private var pendingCount = 0

    public init() {}

    /// Adds a labelled part: labels and separators keep ("ab", "c") apart from ("a", "bc").
    public mutating func add(_ label: String, _ value: String) {
        add(bytes: Array(label.utf8))
        add(bytes: [0x1F])
        add(bytes: Array(value.utf8))
        add(bytes: [0x1E])
    }

    public mutating func add(_ text: String) { add(bytes: Array(text.utf8)) }

    public mutating func add<C: Collection>(bytes: C) where C.Element == UInt8 {
        var i = bytes.startIndex
        // Finish a partial word left by the previous call.
        while pendingCount > 0 && pendingCount < 8 && i != bytes.endIndex {
            pending |= UInt64(bytes[i]) << (8 * UInt64(pendingCount))
            pendingCount += 1
            i = bytes.index(after: i)
        }
        if pendingCount == 8 { mix(pending); pending = 0; pendingCount = 0 }
        // Whole words straight from contiguous storage when there is some.
        let rest = bytes[i...]
        let handled: Bool = rest.withContiguousStorageIfAvailable { buffer in
            var j = 0
            let raw = UnsafeRawBufferPointer(buffer)
            while j + 8 <= raw.count {
                mix(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)))
                j += 8
            }
            for k in j..<raw.count { pending |= UInt64(raw[k]) << (8 * UInt64(pendingCount)); pendingCount += 1 }
            return true
        } ?? false
        if !handled {
            for byte in rest {
                pending |= UInt64(byte) << (8 * UInt64(pendingCount))
                pendingCount += 1
                if pendingCount == 8 { mix(pending); pending = 0; pendingCount = 0 }
            }
        }
        length &+= UInt64(bytes.count)
    }

    private mutating func mix(_ word: UInt64) {
        let c1: UInt64 = 0x87C3_7B91_1142_53D5, c2: UInt64 = 0x4CF5_AD43_2745_937F
        var k1 = word &* c1
        k1 = (k1 << 31) | (k1 >> 33)
        a ^= k1 &* c2
        a = ((a << 27) | (a >> 37)) &+ b
        a = a &* 5 &+ 0x52DC_E729
        var k2 = word &* c2
        k2 = (k2 << 33) | (k2 >> 31)
        b ^= k2 &* c1
        b = ((b << 31) | (b >> 33)) &+ a
        b = b &* 5 &+ 0x3849_5AB5
    }

    private static func avalanche(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k = k &* 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k = k &* 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }

    /// 32 hexadecimal digits.
    public var hex: String {
        var copy = self
        if copy.pendingCount > 0 { copy.mix(copy.pending ^ (UInt64(copy.pendingCount) << 56)) }
        var x = copy.a ^ copy.length, y = copy.b ^ copy.length
        x &+= y
        y &+= x
        x = Self.avalanche(x)
        y = Self.avalanche(y)
        x &+= y
        y &+= x
        return Self.hex(x) + Self.hex(y)
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The digest of `bytes` alone.
    public static func of<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var d = Digest()
        d.add(bytes: bytes)
        return d.hex
    }
}
