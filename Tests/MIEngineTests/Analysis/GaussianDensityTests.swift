import Testing
import Foundation
@testable import MIEngine

/// The BLAS form of the Gaussian log density against the direct sum.
@Suite struct GaussianDensityTests {
    /// log p(y_j|x_i) term by term: the formula `logConditional` replaced.
    static func direct(_ rho: [Double], x: Matrix<Double>, y: Matrix<Double>) -> Matrix<Double> {
        let s = rho.map { 1 - $0 * $0 }
        let constant = rho.indices.reduce(0.0) { $0 - 0.5 * Double.log(2 * Double.pi * s[$1]) }
        var out = Matrix<Double>(rows: x.rows, cols: y.rows)
        for i in 0..<x.rows {
            for j in 0..<y.rows {
                var q = 0.0
                for d in rho.indices {
                    let r = y[j, d] - rho[d] * x[i, d]
                    q += r * r / s[d]
                }
                out[i, j] = constant - 0.5 * q
            }
        }
        return out
    }

    /// Equal and unequal correlations up to 20 nats over 20 dimensions
    /// (s = e^-2) and one coordinate at rho = 0.95 (s ~ 0.1).
    @Test(arguments: [0.0, 2.0, 10.0, 20.0, -1.0])
    func gemmMatchesDirectSum(_ mi: Double) {
        let rho: [Double] = mi >= 0
            ? [Double](repeating: GaussianMI.rho(mi: mi, dim: 20), count: 20)
            : (0..<20).map { 0.95 * sin(Double($0)) }
        let source = GaussianSource(rho: rho)
        var rng = RNG(seed: 17)
        let batch = source.sample(batch: 37, step: 0, rng: &rng)
        let fast = source.logConditional(x: batch.x, y: batch.y)
        let slow = Self.direct(rho, x: batch.x, y: batch.y)
        var worst = 0.0
        for n in 0..<fast.count {
            worst = max(worst, abs(fast.storage[n] - slow.storage[n]) / max(1, abs(slow.storage[n])))
        }
        #expect(worst < 1e-12, "largest difference \(worst)")
        let pairs = source.logConditionalPairs(x: batch.x, y: batch.y)
        for i in 0..<batch.size { #expect(abs(pairs[i] - slow[i, i]) <= 1e-12 * max(1, abs(slow[i, i]))) }
    }

    /// The protocol's default pairwise form agrees with the diagonal.
    @Test func defaultPairsAreTheDiagonal() {
        struct Wrapped: KnownDensity {
            let inner: GaussianSource
            func logConditional(x: Matrix<Double>, y: Matrix<Double>) -> Matrix<Double> { inner.logConditional(x: x, y: y) }
            func logMarginalY(_ y: Matrix<Double>) -> [Double] { inner.logMarginalY(y) }
        }
        let source = GaussianSource(dim: 5, mi: 3)
        var rng = RNG(seed: 3)
        let batch = source.sample(batch: 9, step: 0, rng: &rng)
        let full = source.logConditional(x: batch.x, y: batch.y)
        let pairs = Wrapped(inner: source).logConditionalPairs(x: batch.x, y: batch.y)
        for i in 0..<9 { #expect(abs(pairs[i] - full[i, i]) < 1e-12) }
    }
}
