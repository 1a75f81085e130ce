import Testing
@testable import MIEngine

/// Each critic's input gradient ∇_(x,y) f at matched rows against central
/// finite differences of sum_r f(x_r, y_r), in Double.
@Suite struct InputGradientTests {
    @Test(arguments: LipschitzKind.allCases, Activation.allCases)
    func inputGradient(_ kind: LipschitzKind, _ act: Activation) {
        var rng = RNG(seed: 17)
        let critic = kind.make(act, rng: &rng)
        check(critic, rng: &rng)
    }

    @Test func innerProductInputGradient() {
        var rng = RNG(seed: 2)
        check(BilinearCritic<Double>(innerProductOf: 3), rng: &rng)
    }

    /// The pointwise scores are the diagonal of the all-pairs scores.
    @Test(arguments: LipschitzKind.allCases)
    func pointwiseMatchesPairScores(_ kind: LipschitzKind) {
        var rng = RNG(seed: 5)
        let critic = kind.make(.elu, rng: &rng)
        let k = 6
        let x = randomMatrix(k, critic.dimX, rng: &rng), y = randomMatrix(k, critic.dimY, rng: &rng)
        let all = critic.forward(x: x, y: y, pairs: .all(k))
        let diagonal = (0..<k).map { all[$0 * k + $0] }
        #expect(FiniteDifference.relativeError(critic.pointwiseForward(x: x, y: y), diagonal) < 1e-12)
    }

    /// ∂D/∂(x, y) of D = sum_r <c_r, ∇f(u_r)> from `directionalBackward`
    /// (the critic's input Hessian along c) against central differences of
    /// D computed through `inputGradient`; the parameter gradient it
    /// accumulates is the same bits with or without the input buffers.
    @Test(arguments: LipschitzKind.allCases, Activation.allCases)
    func directionalInputGradient(_ kind: LipschitzKind, _ act: Activation) {
        var rng = RNG(seed: 29)
        let critic = kind.make(act, rng: &rng)
        checkDirectional(critic, rng: &rng)
    }

    @Test func innerProductDirectionalInputGradient() {
        var rng = RNG(seed: 8)
        checkDirectional(BilinearCritic<Double>(innerProductOf: 3), rng: &rng)
    }

    private func checkDirectional(_ critic: some LipschitzCritic<Double>, rng: inout RNG) {
        let n = 4, dx = critic.dimX, dy = critic.dimY
        let x = randomMatrix(n, dx, rng: &rng), y = randomMatrix(n, dy, rng: &rng)
        let cx = randomMatrix(n, dx, rng: &rng), cy = randomMatrix(n, dy, rng: &rng)
        func directional(_ x: Matrix<Double>, _ y: Matrix<Double>) -> Double {
            _ = critic.pointwiseForward(x: x, y: y)
            let (vx, vy) = critic.inputGradient()
            return zip(vx.storage, cx.storage).reduce(0) { $0 + $1.0 * $1.1 }
                + zip(vy.storage, cy.storage).reduce(0) { $0 + $1.0 * $1.1 }
        }
        func backward(inputs: Bool) -> (grads: [Double], dX: [Double], dY: [Double]) {
            _ = directional(x, y)
            critic.zeroGrad()
            var dX = [Double](repeating: 0, count: n * dx), dY = [Double](repeating: 0, count: n * dy)
            dX.withUnsafeMutableBufferPointer { px in
                dY.withUnsafeMutableBufferPointer { py in
                    critic.directionalBackward(x: cx, y: cy, dX: inputs ? px.baseAddress! : nil,
                                               dY: inputs ? py.baseAddress! : nil)
                }
            }
            return (critic.stores.flatMap { Array($0.grads.prefix($0.count)) }, dX, dY)
        }
        let plain = backward(inputs: false), with = backward(inputs: true)
        #expect(plain.grads == with.grads)
        let fdx = FiniteDifference.gradient(x.storage, step: 1e-6) { directional(Matrix(rows: n, cols: dx, storage: $0), y) }
        let fdy = FiniteDifference.gradient(y.storage, step: 1e-6) { directional(x, Matrix(rows: n, cols: dy, storage: $0)) }
        let err = FiniteDifference.relativeError(with.dX + with.dY, fdx + fdy)
        #expect(err < gradientTolerance, "\(critic.name): directional input gradient relative error \(err)")
    }

    private func check(_ critic: some LipschitzCritic<Double>, rng: inout RNG) {
        let n = 5, dx = critic.dimX, dy = critic.dimY
        let x = randomMatrix(n, dx, rng: &rng), y = randomMatrix(n, dy, rng: &rng)
        _ = critic.pointwiseForward(x: x, y: y)
        let (vx, vy) = critic.inputGradient()
        let fdx = FiniteDifference.gradient(x.storage, step: 1e-6) {
            critic.pointwiseForward(x: Matrix(rows: n, cols: dx, storage: $0), y: y).reduce(0, +)
        }
        let fdy = FiniteDifference.gradient(y.storage, step: 1e-6) {
            critic.pointwiseForward(x: x, y: Matrix(rows: n, cols: dy, storage: $0)).reduce(0, +)
        }
        let err = FiniteDifference.relativeError(vx.storage + vy.storage, fdx + fdy)
        #expect(err < gradientTolerance, "\(critic.name): input gradient relative error \(err)")
    }
}
