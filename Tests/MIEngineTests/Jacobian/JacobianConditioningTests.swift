import Foundation
import Testing
@testable import MIEngine

/// Condition numbers against closed forms, and the percentile summary of
/// 001 Fig. 2c against numpy's.
@Suite struct JacobianConditioningTests {
    @Test func diagonalMatrix() {
        let d = Matrix<Double>([[3, 0, 0], [0, -2, 0], [0, 0, 0.5]])
        #expect(d.singularValues == [3, 2, 0.5])
        #expect(JacobianConditioning.conditionNumber(d) == 6)
    }

    /// A rotation by theta has both singular values 1; a rotation times
    /// diag(s1, s2) times another rotation has s1, s2.
    @Test func orthogonalFactors() {
        func rotation(_ t: Double) -> Matrix<Double> { Matrix([[cos(t), -sin(t)], [sin(t), cos(t)]]) }
        let q = rotation(0.7)
        #expect(abs(JacobianConditioning.conditionNumber(q) - 1) < 1e-14)
        let a = rotation(0.3).matmul(Matrix([[5, 0], [0, 0.25]])).matmul(rotation(-1.1))
        let s = a.singularValues
        #expect(abs(s[0] - 5) < 1e-13 && abs(s[1] - 0.25) < 1e-14, "\(s)")
        #expect(abs(JacobianConditioning.conditionNumber(a) - 20) < 1e-12)
    }

    /// m x n with m != n: min(m, n) singular values; a wide matrix with
    /// orthogonal rows of norms 2 and 0.5 has condition number 4.
    @Test func nonSquare() {
        let wide = Matrix<Double>([[2, 0, 0, 0], [0, 0, 0.5, 0]])
        #expect(wide.singularValues == [2, 0.5])
        #expect(JacobianConditioning.conditionNumber(wide) == 4)
        #expect(JacobianConditioning.conditionNumber(wide.transposed) == 4)
    }

    @Test func singularAndNonFinite() {
        #expect(JacobianConditioning.conditionNumber(Matrix<Double>([[1, 0], [0, 0]])) == .infinity)
        // Singular in exact arithmetic, but rounding leaves sigma_min near eps sigma_max.
        #expect(JacobianConditioning.conditionNumber(Matrix<Double>([[1, 2], [2, 4]])) > 1e15)
        #expect(JacobianConditioning.conditionNumber(Matrix<Double>(rows: 3, cols: 3)) == .infinity)
        #expect(JacobianConditioning.conditionNumber(Matrix<Float>([[1, .nan], [0, 1]])).isNaN)
        #expect(JacobianConditioning.conditionNumber(singularValues: []).isNaN)
    }

    /// The residual encoder with all weights zero is the identity: J = I,
    /// condition number exactly 1, through the Float training path.
    @Test func identityEncoderHasConditionOne() throws {
        var rng = RNG(seed: 51)
        let e = try ResidualEncoder<Float>(width: 12, blocks: 4, initialStd: 0, rng: &rng)
        var x = Matrix<Float>(rows: 5, cols: 12)
        for i in 0..<x.count { x.storage[i] = Float(rng.uniform()) }
        let encoder = FloatEncoder.residual(e)
        let j = EncoderJacobian.jacobians(of: encoder, at: x)
        for m in j {
            for r in 0..<12 { for c in 0..<12 { #expect(m[r, c] == (r == c ? 1 : 0)) } }
        }
        #expect(JacobianConditioning.conditionNumbers(of: encoder, at: x) == [1, 1, 1, 1, 1])
    }

    /// A residual encoder of one linear block is g(x) = x + x W + b, whose
    /// Jacobian is (I + W)^T everywhere: its condition number is that of
    /// I + W, decomposed directly.
    @Test func linearResidualBlock() throws {
        var rng = RNG(seed: 52)
        let e = try ResidualEncoder<Double>(width: 6, blocks: 0, linearBlock: true, initialStd: 0.6, rng: &rng)
        var iw = Matrix<Double>(rows: 6, cols: 6, storage: Array(e.store.values.prefix(36)))
        for i in 0..<6 { iw[i, i] += 1 }
        let expected = JacobianConditioning.conditionNumber(iw)
        #expect(expected > 2, "the weights should make I + W visibly ill-conditioned, got \(expected)")
        let x = EncoderJacobianTests.randomInputs(rows: 4, cols: 6, seed: 53)
        for c in JacobianConditioning.conditionNumbers(of: e, at: x) {
            #expect(abs(c - expected) < 1e-10 * expected, "\(c) vs \(expected)")
        }
    }

    /// Additive couplings have |det J| = 1 (NICE): the singular values'
    /// product is 1 at any input and any weights.
    @Test func couplingHasUnitDeterminant() throws {
        var rng = RNG(seed: 54)
        let e = try CouplingEncoder<Double>(width: 9, layers: 3, hidden: 7, rng: &rng)
        LayerCheck.perturb(e.stores, scale: 0.5, rng: &rng)
        let x = EncoderJacobianTests.randomInputs(rows: 3, cols: 9, seed: 55)
        for j in EncoderJacobian.jacobians(of: e, at: x) {
            let s = j.singularValues
            let logDet = s.reduce(0) { $0 + log($1) }
            #expect(abs(logDet) < 1e-10, "log |det J| = \(logDet)")
            #expect(s[0] / s[s.count - 1] > 1.5, "the shifts should shear J, singular values \(s)")
        }
    }

    /// Same inputs, same bits on one core or all (several groups of inputs).
    @Test func serialMatchesAllCores() throws {
        var rng = RNG(seed: 56)
        let e = try ResidualEncoder<Float>(width: 40, blocks: 2, initialStd: 0.05, rng: &rng)
        var x = Matrix<Float>(rows: 60, cols: 40)
        for i in 0..<x.count { x.storage[i] = Float(rng.normal()) }
        let encoder = FloatEncoder.residual(e)
        let serial = JacobianConditioning.conditionNumbers(of: encoder, at: x, parallelism: .serial)
        let parallel = JacobianConditioning.conditionNumbers(of: encoder, at: x, parallelism: .allCores)
        #expect(serial.map(\.bitPattern) == parallel.map(\.bitPattern))
        #expect(serial.allSatisfy { $0 > 1 && $0.isFinite })
    }

    /// numpy.percentile(v, [0, 20, 40, 60, 80, 100]) (method='linear').
    @Test func percentilesMatchNumpy() {
        #expect(ConditionSummary([4, 1, 3, 2]).percentiles.map { ($0 * 1e12).rounded() / 1e12 }
                == [1, 1.6, 2.2, 2.8, 3.4, 4])
        let v: [Double] = [10, 1, 7, 3, 5, 2, 8]
        let numpy: [Double] = [1, 2.2, 3.8, 6.2, 7.8, 10]
        for (p, q) in zip(ConditionSummary(v).percentiles, numpy) { #expect(abs(p - q) < 1e-12, "\(p) vs \(q)") }
        #expect(ConditionSummary([5]).percentiles == [5, 5, 5, 5, 5, 5])
    }

    /// numpy gives [1, 1.4, 1.8, inf, nan, nan] here (inf - inf inside its
    /// interpolation); a singular Jacobian is infinitely ill-conditioned,
    /// so every percentile that reaches one is infinite.
    @Test func percentilesWithInfinityAndNaN() {
        let s = ConditionSummary([1, 2, .infinity])
        #expect(s.percentiles == [1, 1.4, 1.8, .infinity, .infinity, .infinity])
        #expect(ConditionSummary([1, .nan, 3]).percentiles.allSatisfy { $0.isNaN })
        #expect(ConditionSummary([]).percentiles.allSatisfy { $0.isNaN })
        #expect(s.metrics.keys.sorted() == ["cond_p0", "cond_p100", "cond_p20", "cond_p40", "cond_p60", "cond_p80"])
        #expect(s.metrics["cond_p20"] == 1.4)
    }
}
