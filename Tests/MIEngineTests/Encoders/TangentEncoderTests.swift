import Testing
@testable import MIEngine

/// The tangent passes of the encoders a gradient penalty runs through
/// (`TangentEncoder`: MLP and residual) against central finite differences
/// in Double: the input gradient dOut J_g, the tangent J_g c, and the
/// parameter gradient of sum <dOut, g(x)> + <dTangent, J_g(x) c>.
@Suite struct TangentEncoderTests {
    enum Kind: String, CaseIterable, Sendable { case mlp, residual, residualNoLinear }

    static func make(_ kind: Kind, _ act: Activation, rng: inout RNG) throws -> any TangentEncoder<Double> {
        let e: any TangentEncoder<Double>
        switch kind {
        case .mlp: e = MLPEncoder<Double>(sizes: [4, 6, 5, 4], activation: act, rng: &rng)
        case .residual: e = try ResidualEncoder<Double>(width: 4, blocks: 2, activation: act, rng: &rng)
        case .residualNoLinear: e = try ResidualEncoder<Double>(width: 4, blocks: 2, activation: act, linearBlock: false,
                                                                rng: &rng)
        }
        // Weights well away from the residual encoder's near-identity start,
        // nonzero biases, so every block's nonlinearity and no kink matter.
        for store in e.stores { for i in 0..<store.count { store.values[i] += 0.4 * rng.normal() } }
        return e
    }

    struct Setup {
        let encoder: any TangentEncoder<Double>
        let x: [Double], c: [Double], dOut: [Double], dTangent: [Double]
        let rows = 5
    }

    static func setup(_ kind: Kind, _ act: Activation) throws -> Setup {
        var rng = RNG(seed: 13)
        let e = try make(kind, act, rng: &rng)
        let n = 5
        return Setup(encoder: e, x: rng.normals(n * e.inputSize), c: rng.normals(n * e.inputSize),
                     dOut: rng.normals(n * e.outputSize), dTangent: rng.normals(n * e.outputSize))
    }

    static func forward(_ s: Setup, _ x: [Double]) -> [Double] {
        x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: s.encoder.forward($0.baseAddress!, rows: s.rows),
                                                               count: s.rows * s.encoder.outputSize)) }
    }

    static func tangent(_ s: Setup) -> [Double] {
        s.c.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: s.encoder.tangentForward($0.baseAddress!),
                                                                 count: s.rows * s.encoder.outputSize)) }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    @Test(arguments: Kind.allCases, Activation.allCases)
    func inputGradient(_ kind: Kind, _ act: Activation) throws {
        let s = try Self.setup(kind, act)
        _ = Self.forward(s, s.x)
        var analytic = [Double](repeating: 0, count: s.x.count)
        s.dOut.withUnsafeBufferPointer { d in
            analytic.withUnsafeMutableBufferPointer { s.encoder.inputGradient(d.baseAddress!, dInput: $0.baseAddress!) }
        }
        let fd = FiniteDifference.gradient(s.x, step: 1e-6) { Self.dot(Self.forward(s, $0), s.dOut) }
        let err = FiniteDifference.relativeError(analytic, fd)
        #expect(err < gradientTolerance, "\(kind) \(act): input gradient relative error \(err)")
        // The input gradient leaves the parameter gradients alone.
        #expect(s.encoder.stores.allSatisfy { st in st.grads.prefix(st.count).allSatisfy { $0 == 0 } })
    }

    @Test(arguments: Kind.allCases, Activation.allCases)
    func tangentForward(_ kind: Kind, _ act: Activation) throws {
        let s = try Self.setup(kind, act)
        _ = Self.forward(s, s.x)
        let analytic = Self.tangent(s)
        let h = 1e-6
        let up = Self.forward(s, zip(s.x, s.c).map { $0 + h * $1 })
        let down = Self.forward(s, zip(s.x, s.c).map { $0 - h * $1 })
        let err = FiniteDifference.relativeError(analytic, zip(up, down).map { ($0 - $1) / (2 * h) })
        #expect(err < gradientTolerance, "\(kind) \(act): tangent relative error \(err)")
    }

    @Test(arguments: Kind.allCases, Activation.allCases)
    func tangentBackward(_ kind: Kind, _ act: Activation) throws {
        let s = try Self.setup(kind, act)
        func loss() -> Double { Self.dot(Self.forward(s, s.x), s.dOut) + Self.dot(Self.tangent(s), s.dTangent) }
        _ = loss()
        s.encoder.zeroGrad()
        s.dOut.withUnsafeBufferPointer { d in
            s.dTangent.withUnsafeBufferPointer { s.encoder.tangentBackward(dOut: d.baseAddress!, dTangent: $0.baseAddress!) }
        }
        for store in s.encoder.stores {
            let analytic = Array(store.grads.prefix(store.count))
            let err = FiniteDifference.relativeError(analytic, storeGradientFD(store, loss))
            #expect(err < gradientTolerance, "\(kind) \(act): parameter gradient relative error \(err)")
        }
    }
}
