import Foundation
import Testing
@testable import MINotebook

/// The digest that names and checks cache entries.
struct DigestTests {
    @Test func feedingInPiecesGivesTheSameDigestAsAtOnce() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        let whole = Digest.of(bytes)
        for cut in [0, 1, 3, 7, 8, 9, 15, 16, 17, 500, 999, 1000] {
            var d = Digest()
            d.add(bytes: bytes[..<cut])
            d.add(bytes: Array(bytes[cut...]))
            #expect(d.hex == whole, "cut at \(cut)")
        }
        // A non-contiguous collection takes the byte-at-a-time path.
        var d = Digest()
        d.add(bytes: bytes.lazy.map { $0 })
        #expect(d.hex == whole)
    }

    @Test func nearbyInputsGiveDifferentDigests() {
        var seen = Set<String>()
        let base = Array("mi-run".utf8)
        seen.insert(Digest.of([UInt8]()))
        for n in 0...32 { seen.insert(Digest.of([UInt8](repeating: 0, count: n + 1))) }   // zeros of each length
        for i in base.indices {
            var flipped = base
            flipped[i] ^= 1
            seen.insert(Digest.of(flipped))
        }
        seen.insert(Digest.of(base))
        #expect(seen.count == 1 + 33 + base.count + 1)
        // Labels keep ("ab", "c") apart from ("a", "bc").
        var x = Digest(), y = Digest()
        x.add("ab", "c")
        y.add("a", "bc")
        #expect(x.hex != y.hex)
        #expect(Digest.of(base).count == 32)
    }

    @Test func theBuildIdentityIsStableWithinAProcess() {
        #expect(BuildIdentity.digest == BuildIdentity.digest)
        #expect(BuildIdentity.digest.count == 32, "the test executable was read")
    }
}
