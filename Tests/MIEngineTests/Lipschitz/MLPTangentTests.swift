import Testing
@testable import MIEngine

/// The MLP's double-backpropagation passes against central finite
/// differences in Double: the input gradient, the tangent (JVP), and the
/// parameter gradient of sum <dOut, f(u)> + <dTangent, J_f(u) c>.
@Suite struct MLPTangentTests {
    static let shapes: [[Int]] = [[4, 6, 3], [4, 5, 6, 2], [3, 7, 1]]

    struct Setup {
        let mlp: MLP<Double>
        let u: Matrix<Double>, c: Matrix<Double>, dOut: Matrix<Double>, dTangent: Matrix<Double>
    }

    static func setup(_ sizes: [Int], _ act: Activation) -> Setup {
        var rng = RNG(seed: 31)
        let mlp = MLP<Double>(sizes: sizes, activation: act, rng: &rng)
        for i in 0..<mlp.store.count { mlp.store.values[i] += 0.1 * rng.normal() }
        let n = 5, d = sizes[0], o = sizes[sizes.count - 1]
        return Setup(mlp: mlp, u: randomMatrix(n, d, rng: &rng), c: randomMatrix(n, d, rng: &rng),
                     dOut: randomMatrix(n, o, rng: &rng), dTangent: randomMatrix(n, o, rng: &rng))
    }

    @Test(arguments: shapes.indices, Activation.allCases)
    func inputGradient(_ shape: Int, _ act: Activation) {
        let s = Self.setup(Self.shapes[shape], act)
        _ = s.mlp.forward(s.u)
        let analytic = s.mlp.inputGradient(s.dOut).storage
        let fd = FiniteDifference.gradient(s.u.storage, step: 1e-6) { v in
            let out = s.mlp.forward(Matrix(rows: s.u.rows, cols: s.u.cols, storage: v))
            return zip(out.storage, s.dOut.storage).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let err = FiniteDifference.relativeError(analytic, fd)
        #expect(err < gradientTolerance, "input gradient relative error \(err)")
    }

    /// J_f(u) c against (f(u + h c) - f(u - h c)) / 2h.
    @Test(arguments: shapes.indices, Activation.allCases)
    func tangentForward(_ shape: Int, _ act: Activation) {
        let s = Self.setup(Self.shapes[shape], act)
        _ = s.mlp.forward(s.u)
        let analytic = s.mlp.tangentForward(s.c).storage
        let h = 1e-6
        func shifted(_ t: Double) -> [Double] {
            s.mlp.forward(Matrix(rows: s.u.rows, cols: s.u.cols,
                                 storage: zip(s.u.storage, s.c.storage).map { $0 + t * $1 })).storage
        }
        let fd = zip(shifted(h), shifted(-h)).map { ($0 - $1) / (2 * h) }
        let err = FiniteDifference.relativeError(analytic, fd)
        #expect(err < gradientTolerance, "tangent relative error \(err)")
    }

    @Test(arguments: shapes.indices, Activation.allCases)
    func tangentBackward(_ shape: Int, _ act: Activation) {
        let s = Self.setup(Self.shapes[shape], act)
        func loss() -> Double {
            let out = s.mlp.forward(s.u).storage
            let tangent = s.mlp.tangentForward(s.c).storage
            return zip(out, s.dOut.storage).reduce(0) { $0 + $1.0 * $1.1 }
                + zip(tangent, s.dTangent.storage).reduce(0) { $0 + $1.0 * $1.1 }
        }
        _ = loss()
        s.mlp.store.zeroGrad()
        s.dOut.storage.withUnsafeBufferPointer { d in
            s.dTangent.storage.withUnsafeBufferPointer { t in
                s.mlp.tangentBackward(dOut: d.baseAddress!, dTangent: t.baseAddress!)
            }
        }
        let analytic = Array(s.mlp.store.grads.prefix(s.mlp.store.count))
        let err = FiniteDifference.relativeError(analytic, storeGradientFD(s.mlp.store, loss))
        #expect(err < gradientTolerance, "parameter gradient relative error \(err)")
    }

    /// The input adjoint of the same sum (c held fixed), for a network
    /// inside another's double backpropagation; the parameter gradient is
    /// the same bits with or without it.
    @Test(arguments: shapes.indices, Activation.allCases)
    func tangentBackwardInputAdjoint(_ shape: Int, _ act: Activation) {
        let s = Self.setup(Self.shapes[shape], act)
        func loss(_ u: Matrix<Double>) -> Double {
            let out = s.mlp.forward(u).storage
            let tangent = s.mlp.tangentForward(s.c).storage
            return zip(out, s.dOut.storage).reduce(0) { $0 + $1.0 * $1.1 }
                + zip(tangent, s.dTangent.storage).reduce(0) { $0 + $1.0 * $1.1 }
        }
        func backward(input: Bool) -> (grads: [Double], dInput: [Double]) {
            _ = loss(s.u)
            s.mlp.store.zeroGrad()
            var dInput = [Double](repeating: 0, count: s.u.storage.count)
            s.dOut.storage.withUnsafeBufferPointer { d in
                s.dTangent.storage.withUnsafeBufferPointer { t in
                    dInput.withUnsafeMutableBufferPointer { di in
                        s.mlp.tangentBackward(dOut: d.baseAddress!, dTangent: t.baseAddress!,
                                              dInput: input ? di.baseAddress! : nil)
                    }
                }
            }
            return (Array(s.mlp.store.grads.prefix(s.mlp.store.count)), dInput)
        }
        let plain = backward(input: false), with = backward(input: true)
        #expect(plain.grads == with.grads)
        let fd = FiniteDifference.gradient(s.u.storage, step: 1e-6) { v in
            loss(Matrix(rows: s.u.rows, cols: s.u.cols, storage: v))
        }
        let err = FiniteDifference.relativeError(with.dInput, fd)
        #expect(err < gradientTolerance, "input adjoint relative error \(err)")
    }

    /// A view sharing a store reads its weights and writes its gradients.
    @Test func sharedStoreView() {
        var rng = RNG(seed: 4)
        let owner = MLP<Double>(sizes: [3, 4, 2], activation: .tanh, rng: &rng)
        let view = MLP<Double>(sizes: [3, 4, 2], activation: .tanh, sharing: owner.store)
        let u = randomMatrix(3, 3, rng: &rng)
        #expect(owner.forward(u) == view.forward(u))
        owner.store.zeroGrad()
        view.backward(Matrix(rows: 3, cols: 2, repeating: 1))
        #expect(owner.store.grads.prefix(owner.store.count).contains { $0 != 0 })
    }
}
