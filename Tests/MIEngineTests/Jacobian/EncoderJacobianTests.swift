import Testing
@testable import MIEngine

/// The exact Jacobian from backward passes against central finite
/// differences of the forward pass in Double, for every encoder kind.
@Suite struct EncoderJacobianTests {
    /// Every kind of `FeatureEncoderGradientTests` but 001's full ConvNet
    /// (2 x 392 forward passes of it in Double take too long in debug).
    static let kinds = FeatureEncoderGradientTests.Kind.allCases.filter { $0 != .convnetPaper }

    /// Column j of J(x) by (g(x + h e_j) - g(x - h e_j)) / 2h, as an m x n matrix.
    static func finiteDifferences(_ e: any FeatureEncoder<Double>, at x: [Double]) -> Matrix<Double> {
        let n = e.inputSize, m = e.outputSize
        var j = Matrix<Double>(rows: m, cols: n)
        var probe = x
        func g(_ v: [Double]) -> [Double] {
            v.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: e.forward($0.baseAddress!, rows: 1), count: m)) }
        }
        for c in 0..<n {
            let h = 1e-6 * Swift.max(1, abs(x[c]))
            probe[c] = x[c] + h
            let up = g(probe)
            probe[c] = x[c] - h
            let down = g(probe)
            probe[c] = x[c]
            for r in 0..<m { j[r, c] = (up[r] - down[r]) / (2 * h) }
        }
        return j
    }

    static func randomInputs(rows: Int, cols: Int, seed: UInt64) -> Matrix<Double> {
        var rng = RNG(seed: seed)
        return Matrix(rows: rows, cols: cols, storage: rng.normals(rows * cols))
    }

    @Test(arguments: kinds)
    func matchesFiniteDifferences(_ kind: FeatureEncoderGradientTests.Kind) throws {
        var rng = RNG(seed: 41)
        let (e, _) = try FeatureEncoderGradientTests.make(kind, rng: &rng)
        let inputs = Self.randomInputs(rows: 3, cols: e.inputSize, seed: 42)
        let exact = EncoderJacobian.jacobians(of: e, at: inputs, parallelism: .serial)
        #expect(exact.count == 3)
        for i in 0..<inputs.rows {
            #expect(exact[i].rows == e.outputSize && exact[i].cols == e.inputSize)
            let numeric = Self.finiteDifferences(e, at: inputs.row(i))
            let err = FiniteDifference.relativeError(exact[i].storage, numeric.storage)
            #expect(err < gradientTolerance, "\(e.name) input \(i): relative error \(err)")
        }
    }

    /// Inputs spread over several passes (m > rows per pass), several
    /// inputs per pass, and groups of inputs give the same Jacobians.
    @Test(arguments: [1, 2, 3, 5, 7, 11, 1024])
    func passSizesAgree(_ chunkRows: Int) throws {
        var rng = RNG(seed: 43)
        let e = try ResidualEncoder<Double>(width: 4, blocks: 2, initialStd: 0.5, rng: &rng)
        LayerCheck.perturb(e.stores, scale: 0.1, rng: &rng)
        let inputs = Self.randomInputs(rows: 5, cols: 4, seed: 44)
        let reference = (0..<inputs.rows).map { Self.finiteDifferences(e, at: inputs.row($0)) }
        let pass = GenericEncoderPass<Double>(encoder: e)
        let jacobians = EncoderJacobian.collect(pass, inputs: inputs, chunkRows: chunkRows)
        #expect(jacobians.count == inputs.rows)
        for i in jacobians.indices {
            let err = FiniteDifference.relativeError(jacobians[i].storage, reference[i].storage)
            #expect(err < gradientTolerance, "pass of \(chunkRows) rows, input \(i): relative error \(err)")
        }
    }

    /// The Float path (`FloatEncoder`) computes the same Jacobians as the
    /// Double encoder with the same weights, to Float precision.
    @Test func floatEncoderMatchesDouble() throws {
        var rngD = RNG(seed: 45), rngF = RNG(seed: 45)
        let d = MLPEncoder<Double>(sizes: [6, 8, 5], rng: &rngD)
        let f = MLPEncoder<Float>(sizes: [6, 8, 5], rng: &rngF)
        let inputs = Self.randomInputs(rows: 4, cols: 6, seed: 46)
        let exact = EncoderJacobian.jacobians(of: d, at: inputs)
        let single = EncoderJacobian.jacobians(of: FloatEncoder.mlp(f), at: inputs.converted(to: Float.self))
        for i in exact.indices {
            let err = FiniteDifference.relativeError(single[i].storage.map(Double.init), exact[i].storage)
            #expect(err < 1e-5, "input \(i): relative error \(err)")
        }
    }

    /// The passes leave the encoder's gradients and parallelism as they were.
    @Test func leavesGradientsAndParallelism() throws {
        var rng = RNG(seed: 47)
        let e = try ResidualEncoder<Float>(width: 5, blocks: 2, initialStd: 0.3, parallelism: .allCores, rng: &rng)
        for i in 0..<e.store.count { e.store.grads[i] = Float(i) * 0.25 }
        let before = Array(e.store.grads.prefix(e.store.count)), weights = e.store.snapshot
        let inputs = Self.randomInputs(rows: 3, cols: 5, seed: 48).converted(to: Float.self)
        _ = JacobianConditioning.conditionNumbers(of: FloatEncoder.residual(e), at: inputs, parallelism: .serial)
        #expect(Array(e.store.grads.prefix(e.store.count)) == before)
        #expect(e.store.snapshot == weights)
        #expect(e.parallelism == .allCores)
    }
}
