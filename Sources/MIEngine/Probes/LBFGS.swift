/// Limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989) for smooth
/// unconstrained minimisation in Double, with a strong-Wolfe line search.
///
/// The search direction is -H g from the two-loop recursion over the last
/// `memory` pairs s = x_{k+1} - x_k, y = g_{k+1} - g_k, starting from
/// H_0 = (s.y / y.y) I (N&W eq. 7.20). The stopping tests are those
/// scikit-learn hands to SciPy's L-BFGS-B (`LogisticRegression`, solver
/// lbfgs): the largest gradient component at most `gradientTolerance`, or
/// a relative decrease (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) of at
/// most `relativeDecrease`. Everything runs on the calling thread in a
/// fixed order, so the same objective gives the same iterates bit for bit.
struct LBFGS {
    /// Pairs (s, y) kept (SciPy's default 10).
    var memory = 10
    var maxIterations = 1000
    /// On the largest gradient component (scikit-learn's `tol`).
    var gradientTolerance = 1e-4
    /// On the relative decrease of one iteration (scikit-learn: 64 eps).
    var relativeDecrease = 64 * Double.ulpOfOne
    var lineSearch = WolfeLineSearch()

    /// Why the iterations stopped.
    enum Stop: String, Sendable {
        /// The largest gradient component fell to the tolerance.
        case gradient
        /// An iteration decreased the objective by less than the relative tolerance.
        case decrease
        /// `maxIterations` iterations ran.
        case iterations
        /// No step along steepest descent decreased the objective: the
        /// objective's rounding error is as large as what is left to gain.
        case lineSearch
    }

    struct Result {
        var x: [Double]
        var value: Double
        var gradient: [Double]
        var iterations: Int
        var evaluations: Int
        var stop: Stop
    }

    /// Minimises `objective(x, &gradient) -> value` from `x0`. The
    /// gradient test compares `gradientNorm(gradient)` with the tolerance:
    /// by default the largest component; a caller searching in changed
    /// variables (`LogisticPreconditioner`) measures the gradient in the
    /// original ones.
    func minimize(from x0: [Double], gradientNorm: ([Double]) -> Double = LBFGS.maxNorm,
                  _ objective: ([Double], inout [Double]) -> Double) -> Result {
        precondition(memory >= 1 && maxIterations >= 0, "invalid L-BFGS options")
        let n = x0.count
        var x = x0
        var g = [Double](repeating: 0, count: n)
        var f = objective(x, &g)
        var evaluations = 1
        var history: [(s: [Double], y: [Double], rho: Double)] = []
        var iterations = 0

        func result(_ stop: Stop) -> Result {
            Result(x: x, value: f, gradient: g, iterations: iterations, evaluations: evaluations, stop: stop)
        }
        if gradientNorm(g) <= gradientTolerance { return result(.gradient) }

        while iterations < maxIterations {
            var d = Self.direction(g, history)
            var slope = Self.dot(d, g)
            if !(slope < 0) {
                // Rounding made -H g useless: restart from steepest descent.
                history.removeAll()
                d = g.map { -$0 }
                slope = Self.dot(d, g)
                if !(slope < 0) { return result(.gradient) }
            }
            // Without curvature information the first step has length 1
            // (SciPy: 1 / ||g||, at most 1); afterwards the quasi-Newton step.
            let initial = history.isEmpty ? Swift.min(1, 1 / Self.dot(d, d).squareRoot()) : 1
            let outcome = lineSearch.search(x: x, f0: f, g0: g, direction: d, initialStep: initial,
                                            evaluations: &evaluations, objective: objective)
            let point: WolfeLineSearch.Point
            switch outcome {
            case .wolfe(let p), .decreaseOnly(let p):
                point = p
            case .failed:
                if history.isEmpty { return result(.lineSearch) }
                history.removeAll()
                continue
            }
            var s = [Double](repeating: 0, count: n), y = s
            for i in 0..<n {
                let xi = x[i] + point.step * d[i]
                s[i] = xi - x[i]
                y[i] = point.gradient[i] - g[i]
                x[i] = xi
            }
            let decrease = (f - point.value) / Swift.max(abs(f), abs(point.value), 1)
            f = point.value
            g = point.gradient
            iterations += 1
            let sy = Self.dot(s, y), yy = Self.dot(y, y)
            // Skip a pair without positive curvature (possible only after a
            // `decreaseOnly` step): it would make H indefinite.
            if sy > Double.ulpOfOne * yy {
                if history.count == memory { history.removeFirst() }
                history.append((s, y, 1 / sy))
            }
            if gradientNorm(g) <= gradientTolerance { return result(.gradient) }
            if decrease <= relativeDecrease { return result(.decrease) }
        }
        return result(.iterations)
    }

    /// -H g by the two-loop recursion (N&W Algorithm 7.4).
    static func direction(_ g: [Double], _ history: [(s: [Double], y: [Double], rho: Double)]) -> [Double] {
        var q = g
        var alphas = [Double](repeating: 0, count: history.count)
        for k in stride(from: history.count - 1, through: 0, by: -1) {
            let (s, y, rho) = history[k]
            let a = rho * dot(s, q)
            alphas[k] = a
            for i in q.indices { q[i] -= a * y[i] }
        }
        if let last = history.last {
            let gamma = 1 / (last.rho * dot(last.y, last.y))
            for i in q.indices { q[i] *= gamma }
        }
        for k in history.indices {
            let (s, y, rho) = history[k]
            let b = rho * dot(y, q)
            for i in q.indices { q[i] += (alphas[k] - b) * s[i] }
        }
        for i in q.indices { q[i] = -q[i] }
        return q
    }

    /// sum_i a_i b_i, in index order.
    @inline(__always)
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    /// max_i |v_i|.
    static func maxNorm(_ v: [Double]) -> Double {
        var m = 0.0
        for x in v { m = Swift.max(m, abs(x)) }
        return m
    }
}
