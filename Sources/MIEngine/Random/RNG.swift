import RealModule

/// The engine's only source of randomness: xoshiro256** (Blackman & Vigna,
/// "Scrambled linear pseudorandom number generators", 2018), seeded through
/// SplitMix64. It is a value passed down explicitly, never global state, so
/// the same seed gives the same numbers bit for bit.
public struct RNG: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// A spare standard normal from the last Box-Muller pair.
    private var spareNormal: Double?

    /// A generator for `seed`; `stream` selects an independent sequence for the
    /// same seed (weights, data and shuffles each get their own stream, so
    /// adding a draw in one place does not shift the numbers of another).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var sm = SplitMix64(state: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = RNG.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = RNG.rotl(s3, 45)
        return result
    }

    /// A new generator whose sequence is independent of this one's future draws.
    public mutating func split() -> RNG {
        RNG(seed: next(), stream: next())
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in (0, 1]: safe for logarithms.
    @inline(__always)
    public mutating func uniformPositive() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// A standard normal draw (Box-Muller; pairs are used in order).
    public mutating func normal() -> Double {
        if let z = spareNormal {
            spareNormal = nil
            return z
        }
        let u1 = uniformPositive(), u2 = uniform()
        let (first, second) = RNG.boxMuller(u1, u2)
        spareNormal = second
        return first
    }

    /// Two independent standard normals from u1 in (0, 1] and u2 in [0, 1)
    /// (Box & Muller 1958): r cos(2 pi u2) and r sin(2 pi u2), r = sqrt(-2 log u1).
    @inline(__always)
    static func boxMuller(_ u1: Double, _ u2: Double) -> (Double, Double) {
        let r = (-2 * Double.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * Double.cos(theta), r * Double.sin(theta))
    }

    /// Fills a[i] and b[i], for i in 0..<count, with the numbers that
    /// `a[i] = normal(); b[i] = normal()` in turn would give: one Box-Muller
    /// pair each. The uniforms are drawn in order on this thread; the
    /// logarithms and sines, most of the cost, run in fixed chunks, on all
    /// cores when `parallelism` allows, which changes no bit.
    public mutating func normalPairs(_ count: Int, into a: UnsafeMutablePointer<Double>,
                                     _ b: UnsafeMutablePointer<Double>, parallelism: Parallelism) {
        if spareNormal != nil || count < RNG.parallelPairs {
            // A spare shifts every pair by one draw: keep to the plain order.
            for i in 0..<count {
                a[i] = normal()
                b[i] = normal()
            }
            return
        }
        let u = UnsafeMutablePointer<Double>.allocate(capacity: 2 * count)
        defer { u.deallocate() }
        for i in 0..<count {
            u[2 * i] = uniformPositive()
            u[2 * i + 1] = uniform()
        }
        let us = SharedPointer(u), out = SharedPointer(a), out2 = SharedPointer(b)
        parallelism.forEachChunk(count, chunk: RNG.parallelPairs / 4) { range in
            for i in range { (out.base[i], out2.base[i]) = RNG.boxMuller(us.base[2 * i], us.base[2 * i + 1]) }
        }
    }

    /// Pairs at or above which `normalPairs` spreads its work over the cores.
    static let parallelPairs = 512

    /// `n` standard normal draws.
    public mutating func normals(_ n: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n { out[i] = normal() }
        return out
    }

    /// A uniform integer in 0..<n.
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "empty range")
        return Int(next(upperBound: UInt64(n)))
    }

    /// A uniformly random permutation of 0..<n (Fisher-Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = int(below: i + 1)
            p.swapAt(i, j)
        }
        return p
    }

    /// A permutation of 0..<n with no fixed point (Sattolo's algorithm: a
    /// single cycle), so every shuffled pair (x_i, y_perm(i)) is a negative.
    public mutating func derangement(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = int(below: i)
            p.swapAt(i, j)
        }
        return p
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014), used only to expand a seed.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

