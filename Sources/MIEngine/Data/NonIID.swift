import RealModule

/// The two-dimensional setup of paper 001 (Section 4, Appendix E):
/// (X, Y) = Z + e with Z ~ N(0, Sigma_Z) and e ~ N(0, Sigma_e).
///
/// With `shared` true, Z is drawn once per batch and each pair gets its own
/// e: every pair has the right marginal law but the pairs are dependent, so
/// the negatives are not drawn from p(x)p(y). With `shared` false every pair
/// gets its own Z (the i.i.d. baseline). Either way (X, Y) ~ N(0, Sigma) with
/// Sigma = Sigma_Z + Sigma_e, and I(X; Y) = -1/2 log(1 - S12^2 / (S11 S22)).
public struct NonIIDSource: DataSource, KnownDensity {
    public let sigmaZ: (Double, Double, Double)   // (s11, s12, s22)
    public let sigmaE: (Double, Double, Double)
    public let shared: Bool

    /// The paper's covariances: Sigma_Z = [[1, -0.5], [-0.5, 1]],
    /// Sigma_e = [[1, 0.9], [0.9, 1]].
    public init(shared: Bool = true, rhoZ: Double = -0.5, rhoE: Double = 0.9) {
        precondition(abs(rhoZ) < 1 && abs(rhoE) < 1, "correlations must lie in (-1, 1)")
        self.sigmaZ = (1, rhoZ, 1)
        self.sigmaE = (1, rhoE, 1)
        self.shared = shared
    }

    public var name: String { shared ? "noniid()" : "noniid(iid=true)" }
    public var dimX: Int { 1 }
    public var dimY: Int { 1 }

    /// Sigma = Sigma_Z + Sigma_e.
    var sigma: (Double, Double, Double) {
        (sigmaZ.0 + sigmaE.0, sigmaZ.1 + sigmaE.1, sigmaZ.2 + sigmaE.2)
    }

    public var mi: Double {
        let s = sigma
        return -0.5 * Double.log(onePlus: -s.1 * s.1 / (s.0 * s.2))
    }

    public func sample(batch: Int, step: Int, rng: inout RNG, parallelism: Parallelism) -> Batch {
        var x = Matrix<Double>(rows: batch, cols: 1)
        var y = Matrix<Double>(rows: batch, cols: 1)
        var z = NonIIDSource.draw(sigmaZ, &rng)
        for i in 0..<batch {
            if !shared { z = NonIIDSource.draw(sigmaZ, &rng) }
            let e = NonIIDSource.draw(sigmaE, &rng)
            x[i, 0] = z.0 + e.0
            y[i, 0] = z.1 + e.1
        }
        return Batch(x: x, y: y)
    }

    /// One draw from N(0, [[s11, s12], [s12, s22]]) through its Cholesky factor.
    static func draw(_ s: (Double, Double, Double), _ rng: inout RNG) -> (Double, Double) {
        let l11 = s.0.squareRoot()
        let l21 = s.1 / l11
        let l22 = (s.2 - l21 * l21).squareRoot()
        let a = rng.normal(), b = rng.normal()
        return (l11 * a, l21 * a + l22 * b)
    }

    public func trueMI(step: Int) -> Double? { mi }
    public func density(step: Int) -> KnownDensity? { self }

    // Gaussian conditional: y | x ~ N(S12/S11 x, S22 - S12^2/S11).
    public func logConditional(x: Matrix<Double>, y: Matrix<Double>) -> Matrix<Double> {
        let s = sigma
        let slope = s.1 / s.0
        let v = s.2 - s.1 * s.1 / s.0
        let c = -0.5 * Double.log(2 * Double.pi * v)
        var out = Matrix<Double>(rows: x.rows, cols: y.rows)
        for i in 0..<x.rows {
            for j in 0..<y.rows {
                let r = y[j, 0] - slope * x[i, 0]
                out[i, j] = c - 0.5 * r * r / v
            }
        }
        return out
    }

    public func logMarginalY(_ y: Matrix<Double>) -> [Double] {
        let v = sigma.2
        let c = -0.5 * Double.log(2 * Double.pi * v)
        return (0..<y.rows).map { c - 0.5 * y[$0, 0] * y[$0, 0] / v }
    }

    public var entropyX: Double? { 0.5 * Double.log(2 * Double.pi * Double.exp(1) * sigma.0) }
}
