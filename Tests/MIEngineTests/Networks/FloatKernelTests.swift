import CKernels
import Testing
@testable import MIEngine

/// Every vector width of the C kernels this CPU runs (`FloatKernels`)
/// against the plain Swift loops they replaced, bit for bit, on lengths
/// around every vector size and on values that include zeros of both signs,
/// subnormals, infinities and NaN. (A NaN's payload may differ when two NaNs
/// meet, since IEEE leaves it open; NaN must stay NaN.)
@Suite struct FloatKernelTests {
    static let lengths = [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 255, 256, 257, 1031]
    static let paths = FloatKernels.available

    /// Normals with special values sprinkled in.
    static func values(_ n: Int, seed: UInt64, specials: Bool = true) -> [Float] {
        var rng = RNG(seed: seed, stream: 77)
        let special: [Float] = [0, -0, .infinity, -.infinity, .nan, Float.leastNonzeroMagnitude,
                                -Float.leastNormalMagnitude / 2, 1e30, -1e30, 1, -1]
        return (0..<n).map { _ in
            if specials && rng.uniform() < 0.15 { return special[rng.int(below: special.count)] }
            return Float(rng.normal())
        }
    }

    static func same(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    static func same(_ a: Float, _ b: Float) -> Bool { same([a], [b]) }

    @Test func theActivePathIsTheWidestAvailable() {
        let names = Self.paths.map { String(cString: $0.name) }
        #expect(names.first == "baseline")
        #expect(names.last == KernelPath.name)
        #if arch(x86_64)
        // Every x86-64 machine this project has used has AVX2.
        #expect(names.contains("avx2") == FloatKernelTests.cpuHas("avx2"))
        #endif
    }

    /// Whether /proc/cpuinfo lists `flag` (Linux).
    static func cpuHas(_ flag: String) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        return line.split(separator: " ").contains { $0 == flag }
    }

    @Test func adam() {
        for k in Self.paths {
            for n in Self.lengths {
                var p = Self.values(n, seed: 1), g = Self.values(n, seed: 2)
                var m = Self.values(n, seed: 3).map { $0 * 0.1 }, v = Self.values(n, seed: 4).map { $0 * $0 }
                var rp = p, rm = m, rv = v
                let step: Float = 1e-3, b1: Float = 0.9, b2: Float = 0.999, eps: Float = 1e-8, wd: Float = 0.01
                for i in 0..<n {
                    let gi = g[i] + wd * rp[i]
                    let mi = b1 * rm[i] + (1 - b1) * gi
                    let vi = b2 * rv[i] + (1 - b2) * gi * gi
                    rm[i] = mi
                    rv[i] = vi
                    rp[i] -= step * mi / (vi.squareRoot() + eps)
                }
                k.adam(&p, &g, &m, &v, n, step, b1, b2, eps, wd)
                #expect(Self.same(p, rp) && Self.same(m, rm) && Self.same(v, rv), "\(String(cString: k.name)) n=\(n)")
            }
        }
    }

    @Test func addRelu() {
        for k in Self.paths {
            for n in Self.lengths {
                let a = Self.values(n, seed: 5), b = Self.values(n, seed: 6)
                var o = [Float](repeating: 7, count: n)
                k.addRelu(&o, a, b, n)
                let reference = (0..<n).map { Swift.max(a[$0] + b[$0], 0) }
                #expect(Self.same(o, reference), "\(String(cString: k.name)) n=\(n)")
                // In place, as the layers call it.
                var z = a
                z.withUnsafeMutableBufferPointer { k.addRelu($0.baseAddress, $0.baseAddress, b, n) }
                #expect(Self.same(z, reference))
            }
        }
    }

    @Test func sumsAndDots() {
        for k in Self.paths {
            for n in Self.lengths {
                let src = Self.values(n, seed: 8), w = Self.values(n, seed: 9)
                var dst = Self.values(n, seed: 10)
                let reference = (0..<n).map { dst[$0] + src[$0] }
                k.addTo(&dst, src, n)
                #expect(Self.same(dst, reference))

                var dot: Float = 0
                for c in 0..<n { dot += src[c] * w[c] }
                #expect(Self.same(k.dot(src, w, n), dot), "\(String(cString: k.name)) n=\(n)")

                var z = Self.values(n, seed: 11), rz = z
                let b = Self.values(n, seed: 12)
                var rdot: Float = 0
                for c in 0..<n {
                    let a = Swift.max(rz[c] + b[c], 0)
                    rz[c] = a
                    rdot += a * w[c]
                }
                let got = k.addReluDot(&z, b, w, n)
                #expect(Self.same(z, rz) && Self.same(got, rdot), "\(String(cString: k.name)) n=\(n)")
            }
        }
    }

    @Test func reluBackwardPasses() {
        for k in Self.paths {
            for n in Self.lengths {
                let a = Self.values(n, seed: 13), g = Self.values(n, seed: 14)
                // maskAccumulate
                var d = g, acc = Self.values(n, seed: 15)
                var rd = d, racc = acc
                for c in 0..<n {
                    let mask: Float = a[c] > 0 ? 1 : 0
                    let v = rd[c] * mask
                    rd[c] = v
                    racc[c] += v
                }
                k.reluMaskAccumulate(&d, a, n, &acc)
                #expect(Self.same(d, rd) && Self.same(acc, racc), "\(String(cString: k.name)) n=\(n)")

                // maskAccumulateTwice, with and without the mask
                var accA = Self.values(n, seed: 16), accB = Self.values(n, seed: 17)
                var rA = accA, rB = accB
                for c in 0..<n {
                    let mask: Float = a[c] > 0 ? 1 : 0
                    let v = g[c] * mask
                    rA[c] += v
                    rB[c] += v
                }
                k.reluMaskAccumulateTwice(g, a, n, &accA, &accB)
                #expect(Self.same(accA, rA) && Self.same(accB, rB))
                for c in 0..<n {
                    rA[c] += g[c]
                    rB[c] += g[c]
                }
                k.accumulateTwice(g, n, &accA, &accB)
                #expect(Self.same(accA, rA) && Self.same(accB, rB))

                // outputBackward
                let w = Self.values(n, seed: 18)
                let scalar: Float = -0.37
                var h = a, dw = Self.values(n, seed: 19), db = Self.values(n, seed: 20)
                var rh = h, rdw = dw, rdb = db
                for c in 0..<n {
                    let av = rh[c]
                    rdw[c] += scalar * av
                    let mask: Float = av > 0 ? 1 : 0
                    let v = scalar * w[c] * mask
                    rh[c] = v
                    rdb[c] += v
                }
                k.reluOutputBackward(&h, scalar, w, n, &dw, &db)
                #expect(Self.same(h, rh) && Self.same(dw, rdw) && Self.same(db, rdb), "\(String(cString: k.name)) n=\(n)")
            }
        }
    }

    @Test func dropoutPasses() {
        for k in Self.paths {
            for n in Self.lengths {
                // applyMask: m holds the scale s (0 or 1/(1-p)) on entry.
                var a = Self.values(n, seed: 21)
                var m = Self.values(n, seed: 22, specials: false).map { $0 > 0 ? Float(1 / 0.7) : 0 }
                var ra = a, rm = m
                for c in 0..<n {
                    let v = ra[c], s = rm[c]
                    let on: Float = v > 0 ? 1 : 0
                    ra[c] = v * s
                    rm[c] = s * on
                }
                k.reluApplyMask(&a, &m, n)
                #expect(Self.same(a, ra) && Self.same(m, rm), "\(String(cString: k.name)) n=\(n)")

                let j = Self.values(n, seed: 23)
                var d = Self.values(n, seed: 24), acc = Self.values(n, seed: 25)
                var rd = d, racc = acc
                for c in 0..<n {
                    let v = rd[c] * j[c]
                    rd[c] = v
                    racc[c] += v
                }
                k.multiplyAccumulate(&d, j, n, &acc)
                #expect(Self.same(d, rd) && Self.same(acc, racc))

                var accA = Self.values(n, seed: 26), accB = Self.values(n, seed: 27)
                var rA = accA, rB = accB
                for c in 0..<n {
                    let v = d[c] * j[c]
                    rA[c] += v
                    rB[c] += v
                }
                k.multiplyAccumulateTwice(d, j, n, &accA, &accB)
                #expect(Self.same(accA, rA) && Self.same(accB, rB))

                let w = Self.values(n, seed: 28)
                let scalar: Float = 1.75
                var h = Self.values(n, seed: 29), dw = Self.values(n, seed: 30), db = Self.values(n, seed: 31)
                var rh = h, rdw = dw, rdb = db
                for c in 0..<n {
                    rdw[c] += scalar * rh[c]
                    let v = scalar * w[c] * j[c]
                    rh[c] = v
                    rdb[c] += v
                }
                k.jacobianOutputBackward(&h, scalar, w, n, j, &dw, &db)
                #expect(Self.same(h, rh) && Self.same(dw, rdw) && Self.same(db, rdb), "\(String(cString: k.name)) n=\(n)")
            }
        }
    }
}
