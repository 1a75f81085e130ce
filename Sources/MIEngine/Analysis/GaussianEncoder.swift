import RealModule

/// The stochastic encoder of 004 Figure 4: x ~ N(0, I_dim) and
/// p(y_d | x_d) = N(rho_d x_d, 1 - rho_d^2), reparameterised as
/// y = rho x + sqrt(1 - rho^2) eps with eps ~ N(0, I). (The paper writes the
/// second argument as sqrt(1 - rho^2), a standard deviation; the variance is
/// 1 - rho^2, which keeps y ~ N(0, I) and MI = -1/2 sum_d log(1 - rho_d^2).)
///
/// The critic is the optimal one at the current rho,
///   S_ij = log p(y_j | x_i) - log p(y_j) + shift,
/// so it depends on rho directly and through the samples y_j. `rhoGradient`
/// gives the exact gradient of a bound's batch value with respect to rho.
public struct GaussianEncoder: Sendable {
    public let rho: [Double]

    /// One correlation per coordinate, each in (-1, 1).
    public init(rho: [Double]) {
        precondition(!rho.isEmpty && rho.allSatisfy { abs($0) < 1 }, "each rho must lie in (-1, 1)")
        self.rho = rho
    }

    /// `dim` equal correlations giving `mi` nats in total.
    public init(dim: Int, mi: Double) {
        self.init(rho: [Double](repeating: GaussianMI.rho(mi: mi, dim: dim), count: dim))
    }

    public var dim: Int { rho.count }

    /// MI = -1/2 sum_d log(1 - rho_d^2).
    public var mi: Double { rho.reduce(0) { $0 + GaussianMI.mi(rho: $1, dim: 1) } }

    /// The analytic gradient dMI/drho_d = rho_d / (1 - rho_d^2).
    public var trueGradient: [Double] { rho.map { $0 / (1 - $0 * $0) } }

    /// The encoder's noise: inputs x and standard normal eps, both K x dim.
    /// Fixed while rho varies, so y is a differentiable function of rho.
    public struct Noise: Sendable {
        public var x: Matrix<Double>
        public var eps: Matrix<Double>
        public var batch: Int { x.rows }
    }

    /// Draws x and eps for a batch of `batch` pairs (x_id, eps_id interleaved
    /// per coordinate, as `GaussianSource.sample` draws x and e).
    public func noise(batch: Int, rng: inout RNG, parallelism: Parallelism = .allCores) -> Noise {
        var x = Matrix<Double>(rows: batch, cols: dim)
        var e = Matrix<Double>(rows: batch, cols: dim)
        x.storage.withUnsafeMutableBufferPointer { xs in
            e.storage.withUnsafeMutableBufferPointer { rng.normalPairs(batch * dim, into: xs.baseAddress!, $0.baseAddress!,
                                                                  parallelism: parallelism) }
        }
        return Noise(x: x, eps: e)
    }

    /// y = rho x + sqrt(1 - rho^2) eps.
    public func outputs(_ n: Noise) -> Matrix<Double> {
        var y = n.x
        for i in 0..<n.batch {
            for d in 0..<dim {
                y[i, d] = rho[d] * n.x[i, d] + (1 - rho[d] * rho[d]).squareRoot() * n.eps[i, d]
            }
        }
        return y
    }

    /// The optimal critic's K x K scores S_ij = log p(y_j|x_i)/p(y_j) + shift,
    /// with y ~ N(0, I) the marginal whatever rho is.
    public func scores(_ n: Noise, shift: Double = 0) -> Matrix<Double> {
        var s = GaussianSource(rho: rho).logRatio(x: n.x, y: outputs(n))
        if shift != 0 { for k in 0..<s.count { s.storage[k] += shift } }
        return s
    }

    /// dS_ij / drho_d for every score (row i*K + j) and coordinate d (column):
    /// K^2 x dim, for checks on small batches. See `rhoGradient`.
    public func scoreJacobian(_ n: Noise) -> Matrix<Double> {
        let k = n.batch, y = outputs(n)
        var jac = Matrix<Double>(rows: k * k, cols: dim)
        for d in 0..<dim {
            let r = rho[d], s = 1 - r * r, sq = s.squareRoot()
            for i in 0..<k {
                for j in 0..<k {
                    let res = y[j, d] - r * n.x[i, d]
                    let dy = n.x[j, d] - r * n.eps[j, d] / sq
                    jac[i * k + j, d] = r / s + res * n.x[i, d] / s - r * res * res / (s * s)
                        + (y[j, d] - res / s) * dy
                }
            }
        }
        return jac
    }

    /// d bound / d rho_d = sum_ij D_ij dS_ij/drho_d, for D = d bound / d S
    /// (K x K, row-major, as `BoundResult.dScores` on all pairs).
    ///
    /// Per coordinate, with s = 1 - rho^2, r_ij = y_j - rho x_i and
    /// S_ij = sum_d [-1/2 log s - r_ij^2 / (2 s) + y_j^2 / 2] (+ constants):
    ///   partial S / partial rho (x, y fixed) = rho/s + r x_i / s - rho r^2 / s^2
    ///   partial S / partial y_j               = y_j - r / s
    ///   dy_j / drho                           = x_j - rho eps_j / sqrt(s)
    /// (the reparameterisation). Summed against D these need only the row
    /// sums R_i, column sums C_j, total T and the products D Y and D^T X
    /// (two BLAS calls), so a batch costs O(K^2 dim) in gemm, not in loops:
    ///   sum D r x   = sum_i x_i (DY)_i - rho sum_i R_i x_i^2
    ///   sum D r^2   = sum_j C_j y_j^2 - 2 rho sum_i x_i (DY)_i + rho^2 sum_i R_i x_i^2
    ///   sum D (y_j - r/s) dy_j = (1 - 1/s) sum_j C_j y_j dy_j + rho/s sum_j dy_j (D^T X)_j
    public func rhoGradient(_ n: Noise, dScores: [Double]) -> [Double] {
        let k = n.batch
        precondition(dScores.count == k * k, "expected \(k * k) score gradients")
        let y = outputs(n)
        let dm = Matrix(rows: k, cols: k, storage: dScores)
        let dy = dm.matmul(y)                        // (D Y)_id = sum_j D_ij y_jd
        let dtx = dm.matmul(n.x, transposeSelf: true) // (D^T X)_jd = sum_i D_ij x_id
        var rowSum = [Double](repeating: 0, count: k), colSum = [Double](repeating: 0, count: k)
        var total = 0.0
        for i in 0..<k {
            for j in 0..<k {
                let v = dScores[i * k + j]
                rowSum[i] += v
                colSum[j] += v
            }
        }
        for i in 0..<k { total += rowSum[i] }
        return (0..<dim).map { d in
            let r = rho[d], s = 1 - r * r, sq = s.squareRoot()
            var xDY = 0.0, rxx = 0.0, cyy = 0.0, cyt = 0.0, tDX = 0.0
            for i in 0..<k {
                let xi = n.x[i, d]
                xDY += xi * dy[i, d]
                rxx += rowSum[i] * xi * xi
                let yj = y[i, d], t = n.x[i, d] - r * n.eps[i, d] / sq
                cyy += colSum[i] * yj * yj
                cyt += colSum[i] * yj * t
                tDX += t * dtx[i, d]
            }
            let sumDRX = xDY - r * rxx
            let sumDR2 = cyy - 2 * r * xDY + r * r * rxx
            let sumDY = (1 - 1 / s) * cyt + r / s * tDX
            return r / s * total + sumDRX / s - r * sumDR2 / (s * s) + sumDY
        }
    }
}
