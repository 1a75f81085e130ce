/// A line search for the strong Wolfe conditions (Nocedal & Wright,
/// "Numerical Optimization", 2nd ed., Algorithms 3.5 and 3.6): a step
/// length a > 0 along a descent direction p from x with
///
///     f(x + a p) <= f(x) + c1 a g(x).p          (sufficient decrease)
///     |g(x + a p).p| <= c2 |g(x).p|             (curvature)
///
/// The curvature condition keeps s.y > 0 for the L-BFGS update, so its
/// inverse-Hessian approximation stays positive definite. Trial steps grow
/// by cubic extrapolation until the minimum along p is bracketed, then the
/// bracket shrinks by safeguarded cubic interpolation (`zoom`).
struct WolfeLineSearch {
    /// The sufficient-decrease constant (N&W: 1e-4).
    var c1 = 1e-4
    /// The curvature constant (N&W: 0.9 for quasi-Newton directions).
    var c2 = 0.9
    /// Objective evaluations at most (scikit-learn gives SciPy's L-BFGS 50).
    var maxEvaluations = 50

    /// A point on the line with its value and gradient.
    struct Point {
        var step: Double
        var value: Double
        var gradient: [Double]
        /// g.p, the slope along the line.
        var slope: Double
    }

    enum Outcome {
        /// A step satisfying both conditions.
        case wolfe(Point)
        /// The evaluations ran out; the best step satisfying sufficient
        /// decrease (if any) is returned, without the curvature guarantee.
        case decreaseOnly(Point)
        /// No evaluated step decreased the objective enough.
        case failed
    }

    /// Searches along `direction` from `x` (value `f0`, gradient `g0`),
    /// starting with step `initialStep`; `evaluations` counts the calls of
    /// `objective(point, &gradient) -> value`.
    func search(x: [Double], f0: Double, g0: [Double], direction p: [Double], initialStep: Double,
                evaluations: inout Int, objective: ([Double], inout [Double]) -> Double) -> Outcome {
        let slope0 = LBFGS.dot(g0, p)
        precondition(slope0 < 0, "not a descent direction")
        var used = 0
        var trial = [Double](repeating: 0, count: x.count)
        var best: Point?

        func evaluate(_ a: Double) -> Point {
            for i in x.indices { trial[i] = x[i] + a * p[i] }
            var g = [Double](repeating: 0, count: x.count)
            let v = objective(trial, &g)
            used += 1
            evaluations += 1
            let point = Point(step: a, value: v, gradient: g, slope: LBFGS.dot(g, p))
            if sufficientDecrease(point), best.map({ point.value < $0.value }) ?? true { best = point }
            return point
        }
        func sufficientDecrease(_ q: Point) -> Bool {
            q.value.isFinite && q.value <= f0 + c1 * q.step * slope0
        }
        func curvature(_ q: Point) -> Bool { abs(q.slope) <= -c2 * slope0 }
        func giveUp() -> Outcome { best.map { .decreaseOnly($0) } ?? .failed }

        // Algorithm 3.6: `lo` satisfies sufficient decrease and has the
        // lowest value so far; the minimum lies between lo and hi.
        func zoom(_ lo0: Point, _ hi0: Point) -> Outcome {
            var lo = lo0, hi = hi0
            while used < maxEvaluations {
                let a = Self.interpolate(lo, hi)
                if a == lo.step || a == hi.step { break }  // the bracket is below resolution
                let q = evaluate(a)
                if !sufficientDecrease(q) || q.value >= lo.value {
                    hi = q
                } else {
                    if curvature(q) { return .wolfe(q) }
                    if q.slope * (hi.step - lo.step) >= 0 { hi = lo }
                    lo = q
                }
            }
            return giveUp()
        }

        let origin = Point(step: 0, value: f0, gradient: g0, slope: slope0)
        var previous = origin
        var a = initialStep
        while used < maxEvaluations {
            let q = evaluate(a)
            if !sufficientDecrease(q) || (used > 1 && q.value >= previous.value) {
                return zoom(previous, q)
            }
            if curvature(q) { return .wolfe(q) }
            if q.slope >= 0 { return zoom(q, previous) }
            // Still descending: extrapolate, at least 1.1 and at most 4
            // times further (the bounds of MINPACK-2's dcsrch).
            let next = Self.cubicMinimiser(previous, q)
            let lower = a + 1.1 * (a - previous.step), upper = a + 4 * (a - previous.step)
            previous = q
            a = next.map { Swift.min(Swift.max($0, lower), upper) } ?? upper
        }
        return giveUp()
    }

    /// A trial step inside the bracket (lo, hi): the minimiser of the cubic
    /// through both ends' values and slopes, kept at least a tenth of the
    /// bracket from either end; the midpoint when the cubic has none.
    static func interpolate(_ lo: Point, _ hi: Point) -> Double {
        let left = Swift.min(lo.step, hi.step), right = Swift.max(lo.step, hi.step)
        let margin = 0.1 * (right - left)
        guard hi.value.isFinite, let a = cubicMinimiser(lo, hi) else { return 0.5 * (left + right) }
        return Swift.min(Swift.max(a, left + margin), right - margin)
    }

    /// The minimiser of the cubic interpolating values and slopes at two
    /// points (N&W eq. 3.59), or nil when it has no finite minimum.
    static func cubicMinimiser(_ p: Point, _ q: Point) -> Double? {
        let d1 = p.slope + q.slope - 3 * (p.value - q.value) / (p.step - q.step)
        let disc = d1 * d1 - p.slope * q.slope
        guard disc >= 0 else { return nil }
        let d2 = (q.step > p.step ? 1.0 : -1.0) * disc.squareRoot()
        let denom = q.slope - p.slope + 2 * d2
        guard denom != 0 else { return nil }
        let a = q.step - (q.step - p.step) * (q.slope + d2 - d1) / denom
        return a.isFinite ? a : nil
    }
}
