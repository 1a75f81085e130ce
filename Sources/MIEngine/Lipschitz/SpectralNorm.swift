/// Spectral normalisation (Miyato et al. 2018): each weight matrix W is
/// used as W_sn = W / sigma(W), sigma(W) its largest singular value, so a
/// layer is 1-Lipschitz.
///
/// sigma comes from power iteration with a persistent left vector u (seeded,
/// then one iteration per training step, their Algorithm 1):
///   v = W^T u / ||W^T u||,  u = W v / ||W v||,  sigma = u^T W v.
/// W changes little between steps, so one iteration keeps u, v close to the
/// top singular pair. The gradient treats u and v as constants, as their
/// implementation does: sigma = u^T W v gives d sigma / dW = u v^T and
///   dL/dW = (G - <G, W_sn> u v^T) / sigma,  G = dL/dW_sn   (their sec. 2.2).
///
/// The weights are swapped in place (a generic scheme that needs no change
/// to the critics' passes): `normalize` saves each W and writes W_sn into
/// the store, the critic runs and accumulates G as usual, and `restore`
/// maps G to dL/dW and puts W back, so the optimiser updates W itself.
public final class SpectralNorm<T: MIScalar> {
    public let matrices: [WeightMatrix]
    /// Left and right singular vector estimates per matrix.
    private var u: [[T]], v: [[T]]
    /// sigma per matrix from the last `normalize`.
    public private(set) var sigmas: [Double]
    /// Whether matrix i was scaled (a matrix with W v = 0 has no direction
    /// to scale by and is left as is).
    private var scaled: [Bool]
    private var saved: [[T]]
    private let scratch = Scratch<T>()
    private var iterated = false
    private var swapped = false

    /// u starts as a random isotropic unit vector from `rng` (as in Miyato et al.).
    public init(matrices: [WeightMatrix], rng: inout RNG) {
        self.matrices = matrices
        u = matrices.map { m in
            let z = rng.normals(m.rows)
            let norm = z.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return z.map { T($0 / norm) }
        }
        v = matrices.map { [T](repeating: 0, count: $0.cols) }
        sigmas = [Double](repeating: 1, count: matrices.count)
        scaled = [Bool](repeating: false, count: matrices.count)
        saved = matrices.map { [T](repeating: 0, count: $0.count) }
    }

    /// Replaces each W in `stores` by W / sigma(W), after one power
    /// iteration when `iterate` is set (training steps). Without it sigma is
    /// u^T W v with the vectors of the last iteration (evaluation), except
    /// on first use, which always iterates.
    public func normalize(_ stores: [ParameterStore<T>], iterate: Bool) {
        precondition(!swapped, "normalize called twice without restore")
        let doIterate = iterate || !iterated
        iterated = true
        for (i, m) in matrices.enumerated() {
            let w = stores[m.store].values.baseAddress! + m.offset
            saved[i].withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: w, count: m.count) }
            if doIterate { powerIteration(i, w) }
            sigmas[i] = bilinear(i, w)
            scaled[i] = sigmas[i] > 0
            if !scaled[i] { continue }
            let inverse = T(1 / sigmas[i])
            for k in 0..<m.count { w[k] *= inverse }
        }
        swapped = true
    }

    /// Puts the raw weights back; when `mapGradients` is set, first turns the
    /// gradients accumulated for W_sn into gradients for W.
    public func restore(_ stores: [ParameterStore<T>], mapGradients: Bool) {
        precondition(swapped, "restore called without normalize")
        for (i, m) in matrices.enumerated() {
            let w = stores[m.store].values.baseAddress! + m.offset
            if mapGradients && scaled[i] {
                let g = stores[m.store].grads.baseAddress! + m.offset
                var inner = 0.0
                for k in 0..<m.count { inner += Double(g[k]) * Double(w[k]) }
                let scale = T(1 / sigmas[i]), projection = T(inner)
                u[i].withUnsafeBufferPointer { up in
                    v[i].withUnsafeBufferPointer { vp in
                        for r in 0..<m.rows {
                            let row = g + r * m.cols, ur = projection * up[r]
                            for c in 0..<m.cols { row[c] = (row[c] - ur * vp[c]) * scale }
                        }
                    }
                }
            }
            saved[i].withUnsafeBufferPointer { w.update(from: $0.baseAddress!, count: m.count) }
        }
        swapped = false
    }

    /// v = W^T u / ||W^T u||, u = W v / ||W v|| for matrix `i` at `w`.
    private func powerIteration(_ i: Int, _ w: UnsafePointer<T>) {
        let m = matrices[i]
        u[i].withUnsafeMutableBufferPointer { up in
            v[i].withUnsafeMutableBufferPointer { vp in
                T.gemv(transA: true, m: m.rows, n: m.cols, alpha: 1, a: w, lda: m.cols,
                       x: up.baseAddress!, beta: 0, y: vp.baseAddress!)
                normalise(vp)
                T.gemv(transA: false, m: m.rows, n: m.cols, alpha: 1, a: w, lda: m.cols,
                       x: vp.baseAddress!, beta: 0, y: up.baseAddress!)
                normalise(up)
            }
        }
    }

    /// u^T (W v) for matrix `i`, the final dot accumulated in Double.
    private func bilinear(_ i: Int, _ w: UnsafePointer<T>) -> Double {
        let m = matrices[i], wv = scratch.reserve(m.rows)
        v[i].withUnsafeBufferPointer {
            T.gemv(transA: false, m: m.rows, n: m.cols, alpha: 1, a: w, lda: m.cols,
                   x: $0.baseAddress!, beta: 0, y: wv)
        }
        var s = 0.0
        u[i].withUnsafeBufferPointer { up in for r in 0..<m.rows { s += Double(up[r]) * Double(wv[r]) } }
        return s
    }
}

/// x / max(||x||, 1e-12) (Miyato et al.'s l2normalize).
private func normalise<T: MIScalar>(_ x: UnsafeMutableBufferPointer<T>) {
    var s = 0.0
    for e in x { s += Double(e) * Double(e) }
    let inverse = T(1 / Swift.max(s.squareRoot(), 1e-12))
    for k in x.indices { x[k] *= inverse }
}

/// Spectral normalisation of a training-time critic (`CriticRegularizer`):
/// every weight matrix the critic exposes is normalised around each step.
public final class SpectralNormalization: CriticRegularizer {
    public let state: SpectralNorm<Float>

    /// Draws the power iteration's starting vectors from `rng`.
    public init(critic: FloatCritic, rng: inout RNG) {
        state = SpectralNorm(matrices: critic.weightMatrices, rng: &rng)
    }

    public func prepare(_ critic: FloatCritic, training: Bool) {
        state.normalize(critic.stores, iterate: training)
    }

    public func finish(_ critic: FloatCritic, x: Matrix<Float>, y: Matrix<Float>, training: Bool, rng: inout RNG) {
        state.restore(critic.stores, mapGradients: training)
    }
}
