/// A linear change of the logistic probe's variables that centres and
/// whitens the features for the optimiser, leaving the objective, its
/// minimiser and the stopping test as they are.
///
/// With the training features' column means mu and covariance S, and the
/// Cholesky factor L of R = S + eps I (R = L L^T), the search variables
/// (V, b') give the model's weights and intercept by
///
///     W = L^-T V,    b = b' - mu^T W,    so    x W + b = (x - mu) L^-T V + b'
///
/// and L-BFGS minimises F(W(V), b(V, b')), the same function of the model.
/// L-BFGS is not invariant to such a change (Nocedal & Wright, 2nd ed.,
/// sec. 7.2: its H_0 is a multiple of the identity), and the change is
/// chosen to make the Hessian close to a multiple of the identity. Near a
/// point where the softmax curvature of a class is about sigma, F's
/// Hessian in W is about sigma S_x + I / (C n) (S_x: the uncentred second
/// moments; centring moves their mean direction to the intercept). In V an
/// eigenvector of S with eigenvalue lambda then has curvature
///
///     (sigma lambda + 1/(C n)) / (lambda + eps),   eps = 1 / (sigma0 C n),
///
/// which lies between sigma and sigma0 for every lambda: the spread of the
/// features' variances (raw pixels: from about 1e-5 at the borders to 0.2)
/// no longer enters the conditioning, only the softmax curvature does.
/// sigma0 = `curvature` is the softmax curvature 1/k of the starting point
/// (all classes equally likely).
///
/// The gradients follow by the chain rule (the transposed map):
///
///     dF/dV = L^-1 (dF/dW - mu dF/db^T),   dF/db' = dF/db
///
/// and back, for the stopping test in the model's units (scikit-learn's):
///
///     dF/dW = L dF/dV + mu dF/db'^T,       dF/db = dF/db'.
///
/// Beyond `maxDenseFeatures` features the full factor (d^2 memory, d^3/3
/// work) gives way to its diagonal, which standardises each column.
/// Everything is computed in a fixed order from the data's shape, so the
/// same features give the same bits on any number of cores.
struct LogisticPreconditioner {
    let features: Int, classes: Int
    /// Column means of the training features, in Double.
    let mean: [Double]
    /// The factor L, row-major d x d (lower triangle) when dense; nil when diagonal.
    let lower: [Double]?
    /// L^T, row-major (upper triangle), for the back substitution.
    let upper: [Double]?
    /// The diagonal of L (also the whole factor when diagonal).
    let diagonal: [Double]

    /// Features beyond which the factor is diagonal.
    static let maxDenseFeatures = 1024
    /// Rows the covariance is estimated from at most (evenly spaced over the training rows).
    static let covarianceRows = 16_384
    /// Rows per product when accumulating the covariance.
    static let blockRows = 256
    /// Groups of blocks summed separately and then added in Double in order.
    static let groups = 8

    var dense: Bool { lower != nil }

    /// The preconditioner of the objective on `x` with inverse penalty
    /// strength `c`: eps = k / (C n). `dense` overrides the choice between
    /// the full and the diagonal factor (tests exercise both).
    init<T: MIScalar>(fitting x: Matrix<T>, classes k: Int, c: Double, parallelism: Parallelism,
                      dense: Bool? = nil) {
        let n = x.rows, d = x.cols
        features = d
        classes = k
        let mean = Self.columnMeans(x)
        self.mean = mean
        let eps = Double(k) / (c * Double(n))
        if d > 0, dense ?? (d <= Self.maxDenseFeatures) {
            var r = Self.covariance(x, mean: mean, parallelism: parallelism)
            for j in 0..<d { r[j * d + j] += eps }
            if let l = Self.cholesky(r, d) {
                lower = l
                var u = [Double](repeating: 0, count: d * d)
                for i in 0..<d { for j in 0...i { u[j * d + i] = l[i * d + j] } }
                upper = u
                diagonal = (0..<d).map { l[$0 * d + $0] }
                return
            }
        }
        // Diagonal: L = diag(sqrt(var_j + eps)), a per-column standardisation.
        lower = nil
        upper = nil
        diagonal = Self.variances(x, mean: mean).map { ($0 + eps).squareRoot() }
    }

    var parameterCount: Int { features * classes + classes }

    // MARK: The maps

    /// The model's theta = (W, b) of the search variables u = (V, b').
    func model(_ u: [Double], into theta: inout [Double]) {
        let d = features, k = classes
        u.withUnsafeBufferPointer { up in
            theta.withUnsafeMutableBufferPointer { tp in
                let v = up.baseAddress!, w = tp.baseAddress!
                if let upper {
                    // Back substitution with L^T: W_j = (V_j - sum_{i>j} L_ij W_i) / L_jj.
                    upper.withUnsafeBufferPointer { U in
                        for j in stride(from: d - 1, through: 0, by: -1) {
                            let row = U.baseAddress! + j * d
                            for c in 0..<k { w[j * k + c] = v[j * k + c] }
                            for i in (j + 1)..<Swift.max(d, j + 1) {
                                let a = row[i]
                                for c in 0..<k { w[j * k + c] -= a * w[i * k + c] }
                            }
                            let inverse = 1 / row[j]
                            for c in 0..<k { w[j * k + c] *= inverse }
                        }
                    }
                } else {
                    for j in 0..<d { for c in 0..<k { w[j * k + c] = v[j * k + c] / diagonal[j] } }
                }
                for c in 0..<k {
                    var shift = 0.0
                    for j in 0..<d { shift += mean[j] * w[j * k + c] }
                    w[d * k + c] = v[d * k + c] - shift
                }
            }
        }
    }

    /// The search variables of the model's theta (the inverse of `model`).
    func search(_ theta: [Double]) -> [Double] {
        let d = features, k = classes
        var u = [Double](repeating: 0, count: parameterCount)
        for j in 0..<d {
            for c in 0..<k {
                if let upper {
                    var s = 0.0
                    for i in j..<d { s += upper[j * d + i] * theta[i * k + c] }
                    u[j * k + c] = s
                } else {
                    u[j * k + c] = diagonal[j] * theta[j * k + c]
                }
            }
        }
        for c in 0..<k {
            var shift = 0.0
            for j in 0..<d { shift += mean[j] * theta[j * k + c] }
            u[d * k + c] = theta[d * k + c] + shift
        }
        return u
    }

    /// dF/du of the model's gradient dF/dtheta.
    func searchGradient(_ g: [Double], into out: inout [Double]) {
        let d = features, k = classes
        g.withUnsafeBufferPointer { gp in
            out.withUnsafeMutableBufferPointer { op in
                let gw = gp.baseAddress!, o = op.baseAddress!
                let gb = gw + d * k
                for j in 0..<d { for c in 0..<k { o[j * k + c] = gw[j * k + c] - mean[j] * gb[c] } }
                if let lower {
                    // Forward substitution with L: o_j = (o_j - sum_{i<j} L_ji o_i) / L_jj.
                    lower.withUnsafeBufferPointer { L in
                        for j in 0..<d {
                            let row = L.baseAddress! + j * d
                            for i in 0..<j {
                                let a = row[i]
                                for c in 0..<k { o[j * k + c] -= a * o[i * k + c] }
                            }
                            let inverse = 1 / row[j]
                            for c in 0..<k { o[j * k + c] *= inverse }
                        }
                    }
                } else {
                    for j in 0..<d { for c in 0..<k { o[j * k + c] /= diagonal[j] } }
                }
                for c in 0..<k { o[d * k + c] = gb[c] }
            }
        }
    }

    /// dF/dtheta of the search gradient dF/du (the inverse of `searchGradient`).
    func modelGradient(_ gu: [Double]) -> [Double] {
        let d = features, k = classes
        var g = [Double](repeating: 0, count: parameterCount)
        for j in 0..<d {
            for c in 0..<k {
                var s: Double
                if let lower {
                    s = 0
                    for i in 0...j { s += lower[j * d + i] * gu[i * k + c] }
                } else {
                    s = diagonal[j] * gu[j * k + c]
                }
                g[j * k + c] = s + mean[j] * gu[d * k + c]
            }
        }
        for c in 0..<k { g[d * k + c] = gu[d * k + c] }
        return g
    }

    // MARK: Statistics of the features

    /// Column means, summed in Double in row order.
    static func columnMeans<T: MIScalar>(_ x: Matrix<T>) -> [Double] {
        let n = x.rows, d = x.cols
        var sum = [Double](repeating: 0, count: d)
        x.storage.withUnsafeBufferPointer { p in
            sum.withUnsafeMutableBufferPointer { s in
                for r in 0..<n { for j in 0..<d { s[j] += Double(p[r * d + j]) } }
            }
        }
        return sum.map { $0 / Double(n) }
    }

    /// Column variances about `mean` (population), summed in Double in row order.
    static func variances<T: MIScalar>(_ x: Matrix<T>, mean: [Double]) -> [Double] {
        let n = x.rows, d = x.cols
        var sum = [Double](repeating: 0, count: d)
        x.storage.withUnsafeBufferPointer { p in
            sum.withUnsafeMutableBufferPointer { s in
                for r in 0..<n {
                    for j in 0..<d {
                        let v = Double(p[r * d + j]) - mean[j]
                        s[j] += v * v
                    }
                }
            }
        }
        return sum.map { $0 / Double(n) }
    }

    /// The covariance of the rows about `mean` (population), d x d in
    /// Double, from at most `covarianceRows` rows evenly spaced over the
    /// training rows (row floor(i n / m) for i < m): a preconditioner only
    /// needs the covariance's shape, and 16,384 rows give it to a few
    /// percent. Blocks of centred rows go through gemm in T; each of
    /// `groups` fixed groups of blocks sums its products in T, and the
    /// groups are added in Double in order.
    static func covariance<T: MIScalar>(_ x: Matrix<T>, mean: [Double], parallelism: Parallelism) -> [Double] {
        let n = x.rows, d = x.cols
        let m = Swift.min(n, covarianceRows)
        let blocks = (m + blockRows - 1) / blockRows
        let groupCount = Swift.min(groups, blocks)
        let blocksPerGroup = (blocks + groupCount - 1) / groupCount
        let partial = UnsafeMutablePointer<T>.allocate(capacity: groupCount * d * d)
        let scratch = UnsafeMutablePointer<T>.allocate(capacity: groupCount * blockRows * d)
        defer { partial.deallocate(); scratch.deallocate() }
        let ps = SharedPointer(partial), ss = SharedPointer(scratch)
        let meanT = mean.map { T($0) }
        x.storage.withUnsafeBufferPointer { xp in
            meanT.withUnsafeBufferPointer { mp in
                let xs = SharedPointer(UnsafeMutablePointer(mutating: xp.baseAddress!))
                let ms = SharedPointer(UnsafeMutablePointer(mutating: mp.baseAddress!))
                parallelism.forEach(groupCount) { group in
                    let out = ps.base + group * d * d, block = ss.base + group * blockRows * d
                    out.initialize(repeating: 0, count: d * d)
                    let first = group * blocksPerGroup, last = Swift.min(first + blocksPerGroup, blocks)
                    for b in first..<Swift.max(last, first) {
                        let start = b * blockRows, rows = Swift.min(blockRows, m - start)
                        for r in 0..<rows {
                            let source = xs.base + ((start + r) * n / m) * d, target = block + r * d
                            for j in 0..<d { target[j] = source[j] - ms.base[j] }
                        }
                        T.gemm(transA: true, transB: false, m: d, n: d, k: rows, alpha: 1, a: block, lda: d,
                               b: block, ldb: d, beta: 1, c: out, ldc: d)
                    }
                }
            }
        }
        var s = [Double](repeating: 0, count: d * d)
        for group in 0..<groupCount {
            let p = partial + group * d * d
            for i in 0..<(d * d) { s[i] += Double(p[i]) }
        }
        let scale = 1 / Double(m)
        // Symmetric by construction up to rounding; take the lower triangle.
        for i in 0..<d { for j in 0...i { let v = s[i * d + j] * scale; s[i * d + j] = v; s[j * d + i] = v } }
        return s
    }

    /// The lower Cholesky factor of the symmetric d x d matrix `a`
    /// (row-major; L L^T = a, Cholesky-Banachiewicz order), or nil when a
    /// pivot is not positive.
    static func cholesky(_ a: [Double], _ d: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = a[i * d + j]
                for p in 0..<j { s -= l[i * d + p] * l[j * d + p] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * d + i] = s.squareRoot()
                } else {
                    l[i * d + j] = s / l[j * d + j]
                }
            }
        }
        return l
    }
}
