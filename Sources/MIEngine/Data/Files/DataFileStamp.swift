/// A data file as a run read it: where, how many bytes, and a digest of
/// exactly those bytes. Every file-backed `DataSource` lists the files it
/// read (`DataSource.files`), so that a cache of results can tell when a
/// dataset changed on disk (same path, different bytes).
public struct DataFileStamp: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The path the file was opened by.
    public var path: String
    /// Its size in bytes, as read.
    public var size: Int
    /// 32 hexadecimal digits: the 128-bit `ContentDigest` of the bytes read
    /// (of the file as stored, so of the compressed bytes of a .gz file).
    public var digest: String

    public init(path: String, size: Int, digest: String) {
        self.path = path
        self.size = size
        self.digest = digest
    }

    public var description: String { "\(path) (\(size) bytes, \(digest))" }
}

/// A fast non-cryptographic 128-bit digest of a byte stream, fed in pieces
/// of any size while a file is read (the result does not depend on how the
/// stream is cut).
///
/// Two independent 64-bit lanes take the stream 8 bytes at a time
/// (little-endian words) in the manner of FNV-1a, xor then multiply by an
/// odd constant, with a rotation after each multiply so that high bits feed
/// back into low ones; the lanes use different constants and see each word
/// rotated differently. The tail (under 8 bytes) and the length are folded
/// in, and each lane ends with MurmurHash3's 64-bit finaliser. It detects
/// changed, added or removed bytes with overwhelming probability; it is not
/// meant to resist someone crafting collisions.
public struct ContentDigest: Sendable {
    private var a: UInt64 = 0xCBF2_9CE4_8422_2325       // FNV-1a 64-bit offset basis
    private var b: UInt64 = 0x6C62_272E_07BB_0142       // FNV-1a 128-bit basis, low half
    private var length: UInt64 = 0
    /// Bytes of an unfinished word, carried to the next piece.
    private var pending: UInt64 = 0
    private var pendingCount = 0

    private static let primeA: UInt64 = 0x0000_0100_0000_01B3   // FNV-1a 64-bit prime
    private static let primeB: UInt64 = 0x9E37_79B9_7F4A_7C15   // 2^64 / golden ratio, odd

    public init() {}

    @inline(__always)
    private mutating func word(_ w: UInt64) {
        a = ((a ^ w) &* Self.primeA).rotated(31)
        b = ((b ^ w.rotated(32)) &* Self.primeB).rotated(27)
    }

    /// Feeds the next bytes of the stream.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        length &+= UInt64(bytes.count)
        var i = 0
        // Finish a word begun by the previous piece.
        while pendingCount > 0 && pendingCount < 8 && i < bytes.count {
            pending |= UInt64(bytes[i]) << (8 * UInt64(pendingCount))
            pendingCount += 1
            i += 1
        }
        if pendingCount == 8 {
            word(pending)
            pending = 0
            pendingCount = 0
        }
        while i + 8 <= bytes.count {
            word(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        while i < bytes.count {
            pending |= UInt64(bytes[i]) << (8 * UInt64(pendingCount))
            pendingCount += 1
            i += 1
        }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest as 32 lowercase hexadecimal digits.
    public func finish() -> String {
        var a = self.a, b = self.b
        // The tail word (under 8 bytes, so there is room) with a marker
        // byte after it, then the length.
        let tail = pending | 0x80 << (8 * UInt64(pendingCount))
        a = ((a ^ tail) &* Self.primeA).rotated(31) ^ length
        b = ((b ^ tail.rotated(32)) &* Self.primeB).rotated(27) ^ length.rotated(17)
        return hex(fmix(a)) + hex(fmix(b ^ a))
    }

    /// MurmurHash3's fmix64: every input bit affects every output bit.
    private func fmix(_ x: UInt64) -> UInt64 {
        var k = x
        k ^= k >> 33
        k = k &* 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k = k &* 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }

    private func hex(_ x: UInt64) -> String {
        let digits = String(x, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The digest of `bytes`.
    public static func of(_ bytes: [UInt8]) -> String {
        var d = ContentDigest()
        d.update(bytes)
        return d.finish()
    }
}

private extension UInt64 {
    @inline(__always) func rotated(_ k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}
