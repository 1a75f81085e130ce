/// The two-sided gradient penalty of WGAN-GP (Gulrajani et al. 2017,
/// eq. 3), which paper 000 uses to keep its critics near 1-Lipschitz
/// (000 sec. 4.1, for eqs. 2 and 4):
///   P = λ mean_r (||∇_u f(u_r)||_2 - 1)^2,  λ = 10 by default (their choice),
/// added to the critic's loss, at one interpolate per positive pair,
///   u_r = ε_r (x_r, y_r) + (1 - ε_r) (x_a, y_b),  ε_r ~ U(0, 1).
///
/// Gulrajani et al. sample along straight lines between a draw of the data
/// distribution and one of the generator's. Here the two distributions the
/// critic separates are p(x, y) and p(x) p(y) (000 eq. 2), so a line joins
/// the positive (x_r, y_r) to a product-of-marginals pair (x_a, y_b), with
/// (a, b) uniform over the batch's K(K-1) off-diagonal index pairs: exactly
/// the negatives the bound sees (a = b would give a second positive). One
/// ε per line moves x and y together. 000 does not spell these details out.
///
/// The parameter gradient is exact (double backpropagation): with
/// v_r = ∇_u f(u_r) and n_r = ||v_r||,
///   dP/dθ = d/dθ sum_r <c_r, ∇_u f(u_r)>,  c_r = (2λ/N) (n_r - 1) v_r / n_r
/// held fixed, which each critic computes in `directionalBackward`.
public final class GradientPenalty: CriticRegularizer {
    public let lambda: Double
    /// The penalty and the gradient norms of the last training step.
    public private(set) var last: Evaluation?

    /// The penalty on one set of interpolates.
    public struct Evaluation: Sendable {
        /// λ mean_r (n_r - 1)^2.
        public var value: Double
        /// n_r = ||∇_u f(u_r)||_2 per interpolate.
        public var norms: [Double]
        public var meanNorm: Double { Statistics.mean(norms) }
    }

    public init(lambda: Double = 10) {
        precondition(lambda >= 0, "the penalty weight must be non-negative")
        self.lambda = lambda
    }

    /// Interpolates between each positive pair (x_r, y_r) and a random
    /// negative pair (x_a, y_b), a != b, drawn from `rng`.
    public static func interpolates<T: MIScalar>(x: Matrix<T>, y: Matrix<T>, rng: inout RNG)
        -> (x: Matrix<T>, y: Matrix<T>) {
        let k = x.rows
        precondition(k >= 2 && y.rows == k, "interpolates need a batch of at least 2 pairs")
        var xh = x, yh = y
        for r in 0..<k {
            let a = rng.int(below: k)
            var b = rng.int(below: k - 1)
            if b >= a { b += 1 }
            let e = T(rng.uniform()), f = 1 - e
            for j in 0..<x.cols { xh.storage[r * x.cols + j] = e * x.storage[r * x.cols + j] + f * x.storage[a * x.cols + j] }
            for j in 0..<y.cols { yh.storage[r * y.cols + j] = e * y.storage[r * y.cols + j] + f * y.storage[b * y.cols + j] }
        }
        return (xh, yh)
    }

    /// The penalty at the rows of `x`, `y` (already interpolated), without gradients.
    public func evaluate<C: LipschitzCritic>(_ critic: C, x: Matrix<C.Scalar>, y: Matrix<C.Scalar>) -> Evaluation {
        _ = critic.pointwiseForward(x: x, y: y)
        return measure(critic.inputGradient()).evaluation
    }

    /// The penalty at the rows of `x`, `y`; adds its parameter gradient to
    /// the critic's stores.
    @discardableResult
    public func accumulateGradient<C: LipschitzCritic>(_ critic: C, x: Matrix<C.Scalar>, y: Matrix<C.Scalar>) -> Evaluation {
        _ = critic.pointwiseForward(x: x, y: y)
        var (v, evaluation) = measure(critic.inputGradient())
        scaleToDirections(&v, evaluation)
        critic.directionalBackward(x: v.x, y: v.y)
        return evaluation
    }

    /// Turns the input gradients v_r of a `measure`d set of rows into the
    /// directions the double backpropagation holds fixed, in place:
    ///   c_r = d/dv_r λ/N (||v_r|| - 1)^2 = (2λ/N) (n_r - 1) v_r / n_r.
    /// At v_r = 0 the penalty has no gradient direction, and we take it as 0.
    func scaleToDirections<T: MIScalar>(_ v: inout (x: Matrix<T>, y: Matrix<T>), _ evaluation: Evaluation) {
        let n = Double(v.x.rows)
        for (r, norm) in evaluation.norms.enumerated() {
            let c = norm > 0 ? T(2 * lambda / n * (norm - 1) / norm) : 0
            for j in 0..<v.x.cols { v.x.storage[r * v.x.cols + j] *= c }
            for j in 0..<v.y.cols { v.y.storage[r * v.y.cols + j] *= c }
        }
    }

    /// The norms n_r = ||(v_x,r, v_y,r)|| of input gradients and the penalty
    /// they give (norms summed in Double).
    func measure<T: MIScalar>(_ v: (x: Matrix<T>, y: Matrix<T>))
        -> (v: (x: Matrix<T>, y: Matrix<T>), evaluation: Evaluation) {
        let n = v.x.rows
        var norms = [Double](repeating: 0, count: n), total = 0.0
        for r in 0..<n {
            var s = 0.0
            for j in 0..<v.x.cols { let e = Double(v.x.storage[r * v.x.cols + j]); s += e * e }
            for j in 0..<v.y.cols { let e = Double(v.y.storage[r * v.y.cols + j]); s += e * e }
            norms[r] = s.squareRoot()
            total += (norms[r] - 1) * (norms[r] - 1)
        }
        return (v, Evaluation(value: lambda * total / Double(n), norms: norms))
    }

    // MARK: CriticRegularizer

    /// When training, adds the penalty's gradient at interpolates of this
    /// batch drawn from `rng`, and records it in `last`.
    public func finish(_ critic: FloatCritic, x: Matrix<Float>, y: Matrix<Float>, training: Bool, rng: inout RNG) {
        guard training else { return }
        let (xh, yh) = Self.interpolates(x: x, y: y, rng: &rng)
        // Concrete types, so each call is specialised for Float.
        switch critic {
        case .separable(let c): last = accumulateGradient(c, x: xh, y: yh)
        case .concat(let c): last = accumulateGradient(c, x: xh, y: yh)
        case .bilinear(let c): last = accumulateGradient(c, x: xh, y: yh)
        }
    }
}
