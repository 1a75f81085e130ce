import RealModule

/// Conversions between correlation and MI for the correlated Gaussian
/// x ~ N(0, I), y = rho x + sqrt(1 - rho^2) e: each of the `dim` coordinate
/// pairs carries -1/2 log(1 - rho^2) nats (004 Appendix B; Belghazi et al. 2018).
public enum GaussianMI {
    /// MI of `dim` coordinate pairs with correlation `rho`.
    public static func mi(rho: Double, dim: Int) -> Double {
        -0.5 * Double(dim) * Double.log(onePlus: -rho * rho)
    }

    /// The correlation that gives `mi` nats over `dim` coordinates:
    /// rho = sqrt(1 - exp(-2 MI / dim)).
    public static func rho(mi: Double, dim: Int) -> Double {
        (-Double.expMinusOne(-2 * mi / Double(dim))).squareRoot()
    }

    /// The most MI one coordinate pair may carry: 7 nats, where the noise
    /// variance 1 - rho^2 = e^-14 is 7 Float steps below 1 (Float spacing
    /// there is 2^-24) and the noise's standard deviation, 9e-4, still
    /// spans thousands of Float steps of y. Beyond about 8.3 nats rho rounds
    /// to 1 in Float, so the Float batches a critic trains on would hold
    /// y = x; beyond about 18.7 nats rho rounds to 1 in Double as well.
    public static let maximumPerCoordinate = 7.0

    /// The largest total MI over `dim` coordinate pairs.
    public static func maximum(dim: Int) -> Double { maximumPerCoordinate * Double(dim) }

    /// The largest correlation (in absolute value) a coordinate may have:
    /// the rho of `maximumPerCoordinate` nats.
    public static let maximumRho = rho(mi: maximumPerCoordinate, dim: 1)
}

/// The correlated Gaussian of 004 Figure 2: x ~ N(0, I_dim) and
/// y_d = rho_d x_d + sqrt(1 - rho_d^2) e_d with independent e ~ N(0, I).
/// Each coordinate may have its own rho (the encoder of 004 Figure 4).
public struct GaussianSource: DataSource, KnownDensity {
    public let rho: [Double]

    /// `dim` coordinates sharing one correlation, |rho| <= `GaussianMI.maximumRho`.
    public init(dim: Int, rho: Double) {
        precondition(dim > 0, "dim must be positive")
        precondition(abs(rho) <= GaussianMI.maximumRho, "|rho| must be at most \(GaussianMI.maximumRho)")
        self.rho = [Double](repeating: rho, count: dim)
    }

    /// `dim` coordinates with correlation chosen so the total MI is `mi`
    /// nats, at most `GaussianMI.maximum(dim:)`.
    public init(dim: Int, mi: Double) {
        precondition(mi >= 0, "mi must be non-negative")
        precondition(dim > 0 && mi <= GaussianMI.maximum(dim: dim),
                     "mi must be at most \(GaussianMI.maximum(dim: dim)) nats at dim \(dim)")
        self.init(dim: dim, rho: GaussianMI.rho(mi: mi, dim: dim))
    }

    /// One correlation per coordinate, each with |rho| <= `GaussianMI.maximumRho`.
    public init(rho: [Double]) {
        precondition(!rho.isEmpty && rho.allSatisfy { abs($0) <= GaussianMI.maximumRho },
                     "each |rho| must be at most \(GaussianMI.maximumRho)")
        self.rho = rho
    }

    public var dim: Int { rho.count }
    public var dimX: Int { dim }
    public var dimY: Int { dim }
    public var mi: Double { rho.reduce(0) { $0 + GaussianMI.mi(rho: $1, dim: 1) } }

    public var name: String {
        let r = rho[0]
        if rho.allSatisfy({ $0 == r }) {
            return "gaussian(dim=\(dim), mi=\(formatShort(mi)))"
        }
        return "gaussian(rho=[\(rho.map { formatShort($0) }.joined(separator: ", "))])"
    }

    public func sample(batch: Int, step: Int, rng: inout RNG, parallelism: Parallelism) -> Batch {
        var x = Matrix<Double>(rows: batch, cols: dim)
        var y = Matrix<Double>(rows: batch, cols: dim)
        // sqrt(1 - rho^2) once per coordinate (the same value as in the loop).
        let noise = rho.map { (1 - $0 * $0).squareRoot() }
        x.storage.withUnsafeMutableBufferPointer { xs in
            y.storage.withUnsafeMutableBufferPointer { ys in
                // x and e (held in y), then y = rho x + sqrt(1 - rho^2) e in place.
                rng.normalPairs(batch * dim, into: xs.baseAddress!, ys.baseAddress!, parallelism: parallelism)
                for i in 0..<batch {
                    for d in 0..<dim {
                        let n = i * dim + d
                        ys[n] = rho[d] * xs[n] + noise[d] * ys[n]
                    }
                }
            }
        }
        return Batch(x: x, y: y)
    }

    public func trueMI(step: Int) -> Double? { mi }
    public func density(step: Int) -> KnownDensity? { self }

    // log p(y|x) = sum_d -1/2 log(2 pi s_d) - (y_d - rho_d x_d)^2 / (2 s_d), s_d = 1 - rho_d^2.
    // Expanding the square, (y - rho x)^2 / s = y^2/s - 2 (rho x / s) y + rho^2 x^2 / s,
    // so the K x K cross term is one BLAS product (x * rho/s) y^T and the rest
    // are per-row and per-column sums: O(K dim) work beside the gemm. The
    // expansion's rounding error is about 1e-16 * dim / min(s): below 1e-12
    // unless s < 1e-3 (more than 69 nats over 20 dimensions).
    public func logConditional(x: Matrix<Double>, y: Matrix<Double>) -> Matrix<Double> {
        precondition(x.cols == dim && y.cols == dim, "expected \(dim) columns")
        let s = rho.map { 1 - $0 * $0 }
        let constant = rho.indices.reduce(0.0) { $0 - 0.5 * Double.log(2 * Double.pi * s[$1]) }
        var scaledX = x
        var xTerm = [Double](repeating: 0, count: x.rows)
        for i in 0..<x.rows {
            var q = 0.0
            for d in 0..<dim {
                let v = x[i, d]
                q += rho[d] * rho[d] * v * v / s[d]
                scaledX[i, d] = rho[d] * v / s[d]
            }
            xTerm[i] = q
        }
        let yTerm = (0..<y.rows).map { j in
            var q = 0.0
            for d in 0..<dim { q += y[j, d] * y[j, d] / s[d] }
            return q
        }
        var out = scaledX.matmul(y, transposeOther: true)
        out.storage.withUnsafeMutableBufferPointer { o in
            let n = y.rows
            for i in 0..<x.rows {
                let c = constant - 0.5 * xTerm[i]
                for j in 0..<n { o[i * n + j] += c - 0.5 * yTerm[j] }
            }
        }
        return out
    }

    /// log p(y_i | x_i) for each pair i (the K positives only).
    public func logConditionalPairs(x: Matrix<Double>, y: Matrix<Double>) -> [Double] {
        precondition(x.rows == y.rows && x.cols == dim && y.cols == dim, "expected paired rows of \(dim) columns")
        let s = rho.map { 1 - $0 * $0 }
        let constant = rho.indices.reduce(0.0) { $0 - 0.5 * Double.log(2 * Double.pi * s[$1]) }
        return (0..<x.rows).map { i in
            var q = 0.0
            for d in 0..<dim {
                let r = y[i, d] - rho[d] * x[i, d]
                q += r * r / s[d]
            }
            return constant - 0.5 * q
        }
    }

    // y ~ N(0, I) whatever rho is.
    public func logMarginalY(_ y: Matrix<Double>) -> [Double] {
        standardNormalLogDensity(y)
    }

    /// h(X) of the standard normal x: dim/2 log(2 pi e).
    public var entropyX: Double? { 0.5 * Double(dim) * Double.log(2 * Double.pi * Double.exp(1)) }
}

/// log N(row; 0, I) for each row.
func standardNormalLogDensity(_ m: Matrix<Double>) -> [Double] {
    let c = -0.5 * Double(m.cols) * Double.log(2 * Double.pi)
    return (0..<m.rows).map { i in
        var q = 0.0
        for d in 0..<m.cols { q += m[i, d] * m[i, d] }
        return c - 0.5 * q
    }
}

/// A compact decimal rendering for names: `2`, `0.5`, `1.0e-05`, with
/// round-off from rho <-> MI conversions (2.0000000000000004) removed.
func formatShort(_ v: Double) -> String {
    let r = v == 0 ? 0 : (v * 1e9).rounded() / 1e9
    if r == r.rounded() && abs(r) < 1e15 { return String(Int(r)) }
    return "\(r)"
}
