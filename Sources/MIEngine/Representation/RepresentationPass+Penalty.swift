/// The gradient penalty through the encoders: Wasserstein predictive coding
/// (000 eq. 4) trains a critic kept 1-Lipschitz by WGAN-GP's penalty
/// (000 sec. 4.1; Gulrajani et al. 2017, eq. 3). In representation learning
/// the critic of eq. 4 is the composite f(x1, x2) = c(g1(x1), g2(x2)), with
/// the encoders inside it, and it must be Lipschitz in the views
/// (000 sec. 4: "the distance between learned representations is bounded by
/// the distance between the underlying samples"), so the penalty is
///   P = λ mean_r (||∇_(x1,x2) f(x̂_r)||_2 - 1)^2
/// at one interpolate per positive pair between it and a negative,
/// x̂_r = ε_r (x1_r, x2_r) + (1 - ε_r) (x1_a, x2_b), a != b, drawn exactly as
/// `GradientPenalty.interpolates` draws them for a critic on raw data.
///
/// Forward, at the interpolates' features φ_i = g_i(x̂_i):
///   a_i = ∇_φi c(φ1, φ2)           (the critic's `inputGradient`),
///   u_i = J_gi(x̂_i)^T a_i          (each encoder's `inputGradient`),
///   n_r = ||(u1_r, u2_r)||,  P = λ mean_r (n_r - 1)^2  (`GradientPenalty.measure`).
/// Backward (double backpropagation), with the directions
/// (c1_r, c2_r) = (2λ/N) (n_r - 1) (u1_r, u2_r) / n_r held fixed:
///   dP/dθ = d/dθ D,  D = sum_r <c1_r, J_g1^T a1_r> + <c2_r, J_g2^T a2_r>
///                      = sum_r <ḟ1_r, a1_r> + <ḟ2_r, a2_r>,  ḟ_i = J_gi c_i,
/// the critic's directional derivative along (ḟ1, ḟ2) at (φ1, φ2). So
///   - the encoders' tangents ḟ_i come from `tangentForward(c_i)`;
///   - the critic's `directionalBackward(ḟ1, ḟ2)` adds dD/dθ_critic (what
///     it does for a penalty on its own inputs) and gives h_i = ∂D/∂φ_i,
///     its input Hessian along (ḟ1, ḟ2);
///   - D reaches θ_gi through φ_i (adjoint h_i) and through ḟ_i (adjoint
///     a_i): `tangentBackward(dOut: h_i, dTangent: a_i)`.
/// A shared encoder runs each of its passes once on the stacked 2K rows.
extension RepresentationPass {
    /// One interpolate per row of the batch x1 (k x g1.inputSize), x2, drawn from `rng`.
    func interpolates(_ x1: UnsafePointer<Scalar>, _ x2: UnsafePointer<Scalar>, k: Int, rng: inout RNG)
        -> (x1: Matrix<Scalar>, x2: Matrix<Scalar>) {
        let m1 = Matrix(rows: k, cols: g1.inputSize, storage: Array(UnsafeBufferPointer(start: x1, count: k * g1.inputSize)))
        let m2 = Matrix(rows: k, cols: g2.inputSize, storage: Array(UnsafeBufferPointer(start: x2, count: k * g2.inputSize)))
        let (a, b) = GradientPenalty.interpolates(x: m1, y: m2, rng: &rng)
        return (a, b)
    }

    /// The penalty and the norms n_r at the rows of `x1`, `x2` (already
    /// interpolated), without gradients. It overwrites what the encoders
    /// and the critic kept from their last passes.
    func evaluatePenalty(_ penalty: GradientPenalty, x1: Matrix<Scalar>, x2: Matrix<Scalar>) -> GradientPenalty.Evaluation {
        penaltyForward(penalty, x1: x1, x2: x2).evaluation
    }

    /// The penalty at the rows of `x1`, `x2`; adds its parameter gradient
    /// to every encoder and critic store (after the bound's, which must be
    /// complete: this overwrites what the passes kept). `afterBackward(i)`
    /// runs once encoder i's gradient is complete, as in `run`.
    func accumulatePenalty(_ penalty: GradientPenalty, x1: Matrix<Scalar>, x2: Matrix<Scalar>,
                           then afterBackward: ((Int) -> Void)?) -> GradientPenalty.Evaluation {
        var (a, v, evaluation) = penaltyForward(penalty, x1: x1, x2: x2)
        guard penalty.lambda > 0 else {
            // λ = 0: the norms are recorded, the gradient is exactly zero.
            afterBackward?(0)
            if !shared { afterBackward?(1) }
            return evaluation
        }
        penalty.scaleToDirections(&v, evaluation)
        let (d1, d2) = (g1.outputSize, g2.outputSize)
        let fDot = eachEncoder(v.x, v.y, cols: (d1, d2)) { e, c, out, rows in
            out.update(from: e.tangentForward(c), count: rows * e.outputSize)
        }
        var h1 = Matrix<Scalar>(rows: x1.rows, cols: d1), h2 = Matrix<Scalar>(rows: x1.rows, cols: d2)
        h1.storage.withUnsafeMutableBufferPointer { p1 in
            h2.storage.withUnsafeMutableBufferPointer { p2 in
                critic.directionalBackward(x: fDot.0, y: fDot.1, dX: p1.baseAddress!, dY: p2.baseAddress!)
            }
        }
        tangentBackward(dOut: (h1, h2), dTangent: a, then: afterBackward)
        return evaluation
    }

    /// Features at the interpolates, the critic's input gradient a there, and
    /// the composite's input gradient u = J_g^T a with its norms.
    private func penaltyForward(_ penalty: GradientPenalty, x1: Matrix<Scalar>, x2: Matrix<Scalar>)
        -> (a: (x: Matrix<Scalar>, y: Matrix<Scalar>), u: (x: Matrix<Scalar>, y: Matrix<Scalar>),
            evaluation: GradientPenalty.Evaluation) {
        precondition(x1.rows == x2.rows && x1.cols == g1.inputSize && x2.cols == g2.inputSize,
                     "interpolates must be k x \(g1.inputSize) and k x \(g2.inputSize)")
        let k = x1.rows
        let (f1, f2) = x1.storage.withUnsafeBufferPointer { p in
            x2.storage.withUnsafeBufferPointer { q in encode(p.baseAddress!, q.baseAddress!, k: k) }
        }
        _ = critic.pointwiseForward(x: f1, y: f2)
        let a = critic.inputGradient()
        let u = eachEncoder(a.x, a.y, cols: (g1.inputSize, g2.inputSize)) { e, d, out, _ in
            e.inputGradient(d, dInput: out)
        }
        let (v, evaluation) = penalty.measure((x: u.0, y: u.1))
        return (a, v, evaluation)
    }

    /// `op(encoder, input rows, output rows, row count)` for g1 on `m1` and
    /// g2 on `m2`, giving k x cols.0 and k x cols.1: side by side, or the
    /// shared encoder once on the stacked 2K rows (its passes are row-wise).
    private func eachEncoder(_ m1: Matrix<Scalar>, _ m2: Matrix<Scalar>, cols: (Int, Int),
                             _ op: (E, UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>, Int) -> Void)
        -> (Matrix<Scalar>, Matrix<Scalar>) {
        let k = m1.rows
        if shared {
            let stacked = m1.storage + m2.storage
            var out = [Scalar](repeating: 0, count: 2 * k * cols.0)
            stacked.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { op(g1, s.baseAddress!, $0.baseAddress!, 2 * k) }
            }
            return (Matrix(rows: k, cols: cols.0, storage: Array(out[0..<(k * cols.0)])),
                    Matrix(rows: k, cols: cols.1, storage: Array(out[(k * cols.0)...])))
        }
        var o1 = Matrix<Scalar>(rows: k, cols: cols.0), o2 = Matrix<Scalar>(rows: k, cols: cols.1)
        m1.storage.withUnsafeBufferPointer { i1 in
            m2.storage.withUnsafeBufferPointer { i2 in
                o1.storage.withUnsafeMutableBufferPointer { p1 in
                    o2.storage.withUnsafeMutableBufferPointer { p2 in
                        let (a, b, c, d) = (i1.baseAddress!, i2.baseAddress!, p1.baseAddress!, p2.baseAddress!)
                        parallelism.both({ op(self.g1, a, c, k) }, { op(self.g2, b, d, k) })
                    }
                }
            }
        }
        return (o1, o2)
    }

    /// Each encoder's `tangentBackward(dOut: h_i, dTangent: a_i)`, then `afterBackward(i)`.
    private func tangentBackward(dOut h: (Matrix<Scalar>, Matrix<Scalar>), dTangent a: (x: Matrix<Scalar>, y: Matrix<Scalar>),
                                 then afterBackward: ((Int) -> Void)?) {
        if shared {
            let dOut = h.0.storage + h.1.storage, dTangent = a.x.storage + a.y.storage
            dOut.withUnsafeBufferPointer { o in
                dTangent.withUnsafeBufferPointer { g1.tangentBackward(dOut: o.baseAddress!, dTangent: $0.baseAddress!) }
            }
            afterBackward?(0)
            return
        }
        h.0.storage.withUnsafeBufferPointer { o1 in
            h.1.storage.withUnsafeBufferPointer { o2 in
                a.x.storage.withUnsafeBufferPointer { t1 in
                    a.y.storage.withUnsafeBufferPointer { t2 in
                        let (p1, p2, q1, q2) = (o1.baseAddress!, o2.baseAddress!, t1.baseAddress!, t2.baseAddress!)
                        parallelism.both({
                            self.g1.tangentBackward(dOut: p1, dTangent: q1)
                            afterBackward?(0)
                        }, {
                            self.g2.tangentBackward(dOut: p2, dTangent: q2)
                            afterBackward?(1)
                        })
                    }
                }
            }
        }
    }
}
