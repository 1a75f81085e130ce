import CBLAS
import RealModule

/// y transformed to (W y)^3, elementwise cube after a random full-rank linear
/// map W with W_ij ~ N(0, 1) (004 Figure 2, bottom row). An invertible map of
/// y leaves I(X; Y) unchanged, so the base source's truth carries over.
public struct CubicSource: DataSource {
    public let base: any DataSource
    /// The linear map, row-major dimY x dimY (identity when `linear` is false).
    public let w: Matrix<Double>
    let wInverse: Matrix<Double>
    let logAbsDetW: Double

    /// Wraps `base`; `linear` applies the random map W drawn from `seed`.
    public init(base: any DataSource, linear: Bool = true, seed: UInt64 = 0) {
        self.base = base
        let n = base.dimY
        var w = Matrix<Double>(rows: n, cols: n)
        if linear {
            var rng = RNG(seed: seed, stream: 0xC0B1C)
            for i in 0..<n { for j in 0..<n { w[i, j] = rng.normal() } }
        } else {
            for i in 0..<n { w[i, i] = 1 }
        }
        let (inverse, logAbsDet) = invertWithLogDet(w)
        self.w = w
        self.wInverse = inverse
        self.logAbsDetW = logAbsDet
    }

    public var name: String { "cubic(\(base.name))" }
    public var dimX: Int { base.dimX }
    public var dimY: Int { base.dimY }

    public func sample(batch: Int, step: Int, rng: inout RNG, parallelism: Parallelism) -> Batch {
        var b = base.sample(batch: batch, step: step, rng: &rng, parallelism: parallelism)
        b.y = forward(b.y)
        return b
    }

    public func trueMI(step: Int) -> Double? { base.trueMI(step: step) }
    public var trainingPairs: Int? { base.trainingPairs }
    public var files: [DataFileStamp] { base.files }

    public func density(step: Int) -> KnownDensity? {
        guard let inner = base.density(step: step) else { return nil }
        return CubicDensity(inner: inner, source: self)
    }

    /// y -> (W y)^3 for each row.
    func forward(_ y: Matrix<Double>) -> Matrix<Double> {
        var z = y.matmul(w, transposeOther: true)
        for k in 0..<z.count { let v = z.storage[k]; z.storage[k] = v * v * v }
        return z
    }

    /// y' -> W^-1 cbrt(y') for each row.
    func inverse(_ yPrime: Matrix<Double>) -> Matrix<Double> {
        var z = yPrime
        for k in 0..<z.count { z.storage[k] = Double.root(z.storage[k], 3) }
        return z.matmul(wInverse, transposeOther: true)
    }
}

/// The transformed density: p(y'|x) = p(y|x) / |det J| with
/// J = diag(3 (W y)^2) W, so the Jacobian cancels in the log ratio.
struct CubicDensity: KnownDensity {
    let inner: any KnownDensity
    let source: CubicSource

    func logConditional(x: Matrix<Double>, y: Matrix<Double>) -> Matrix<Double> {
        let yBase = source.inverse(y)
        var l = inner.logConditional(x: x, y: yBase)
        let lj = logAbsJacobian(y)
        for i in 0..<l.rows { for j in 0..<l.cols { l[i, j] -= lj[j] } }
        return l
    }

    func logMarginalY(_ y: Matrix<Double>) -> [Double] {
        let m = inner.logMarginalY(source.inverse(y))
        let lj = logAbsJacobian(y)
        return zip(m, lj).map { $0 - $1 }
    }

    var entropyX: Double? { inner.entropyX }

    // log |det J| at y' = log|det W| + sum_d log(3 (W y)_d^2), with (W y)_d = cbrt(y'_d).
    private func logAbsJacobian(_ yPrime: Matrix<Double>) -> [Double] {
        (0..<yPrime.rows).map { j in
            var s = source.logAbsDetW
            for d in 0..<yPrime.cols {
                let c = Double.root(yPrime[j, d], 3)
                s += Double.log(3 * c * c)
            }
            return s
        }
    }
}

/// The inverse of a square matrix and log|det|, by LAPACK's LU solve (dgesv).
func invertWithLogDet(_ m: Matrix<Double>) -> (Matrix<Double>, Double) {
    precondition(m.rows == m.cols, "only square matrices can be inverted")
    var n = Int32(m.rows)
    // LAPACK is column-major: m's transpose read row-major is m column-major.
    var a = m.transposed.storage
    var b = [Double](repeating: 0, count: m.rows * m.rows)
    for i in 0..<m.rows { b[i * m.rows + i] = 1 }
    var ipiv = [Int32](repeating: 0, count: m.rows)
    var info: Int32 = 0
    var nrhs = n, lda = n, ldb = n
    dgesv_(&n, &nrhs, &a, &lda, &ipiv, &b, &ldb, &info)
    precondition(info == 0, "matrix is singular (LAPACK dgesv info \(info))")
    // a now holds the LU factors (column-major); |det| = prod |U_ii|.
    var logDet = 0.0
    for i in 0..<m.rows { logDet += Double.log(abs(a[i * m.rows + i])) }
    // b holds inverse(m) column-major; read row-major, that is its transpose.
    return (Matrix(rows: m.rows, cols: m.rows, storage: b).transposed, logDet)
}
