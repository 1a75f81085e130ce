/// Builds a cell's cache key: a 128-bit hash of everything its results depend on.
///
/// FNV-1a (Fowler, Noll, Vo) run twice with different offset bases gives
/// 128 bits; cache keys need a stable, well-spread digest, not a
/// cryptographic one (no adversary chooses notebook contents to collide).
public struct CacheKey: Sendable {
    private var a: UInt64 = 0xCBF2_9CE4_8422_2325
    private var b: UInt64 = 0x6C62_272E_07BB_0142

    public init() {}

    /// Adds a labelled part (labels keep "ab"+"c" apart from "a"+"bc").
    public mutating func add(_ label: String, _ value: String) {
        feed(label)
        feed("\u{1F}")
        feed(value)
        feed("\u{1E}")
    }

    private mutating func feed(_ s: String) {
        for byte in s.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b << 13) | (b >> 51)
        }
    }

    /// 32 hexadecimal digits.
    public var digest: String { hex(a) + hex(b) }

    private func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
