import Testing
@testable import MIEngine

/// `RNG.normalPairs` gives exactly the numbers of `normal()` drawn in turn,
/// on one core or many, with or without a spare normal pending.
struct NormalPairsTests {
    static func sequential(_ count: Int, _ rng: inout RNG) -> ([Double], [Double]) {
        var a = [Double](repeating: 0, count: count), b = a
        for i in 0..<count {
            a[i] = rng.normal()
            b[i] = rng.normal()
        }
        return (a, b)
    }

    static func paired(_ count: Int, _ rng: inout RNG,
                       parallelism: Parallelism = .allCores) -> ([Double], [Double]) {
        var a = [Double](repeating: 0, count: count), b = a
        a.withUnsafeMutableBufferPointer { ab in
            b.withUnsafeMutableBufferPointer {
                rng.normalPairs(count, into: ab.baseAddress!, $0.baseAddress!, parallelism: parallelism)
            }
        }
        return (a, b)
    }

    @Test(arguments: [0, 1, 7, RNG.parallelPairs - 1, RNG.parallelPairs, 1280, 5000])
    func sameNumbersAsOneAtATime(_ count: Int) {
        var r1 = RNG(seed: 4, stream: 2), r2 = r1
        let (a, b) = Self.paired(count, &r1)
        let (c, d) = Self.sequential(count, &r2)
        #expect(a == c && b == d)
        // And the generators are left in the same state.
        #expect(r1.next() == r2.next())
    }

    @Test func aPendingSpareKeepsThePlainOrder() {
        var r1 = RNG(seed: 9), r2 = r1
        _ = r1.normal()
        _ = r2.normal()
        let (a, b) = Self.paired(1280, &r1)
        let (c, d) = Self.sequential(1280, &r2)
        #expect(a == c && b == d)
        #expect(r1.normal() == r2.normal())
    }

    @Test func oneCoreGivesTheSameBits() {
        var r1 = RNG(seed: 5), r2 = r1
        let parallel = Self.paired(3000, &r1, parallelism: .allCores)
        let serial = Self.paired(3000, &r2, parallelism: .serial)
        #expect(parallel.0 == serial.0 && parallel.1 == serial.1)
    }
}
