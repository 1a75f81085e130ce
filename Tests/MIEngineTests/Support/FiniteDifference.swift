import MIEngine

/// Central finite differences in Double, the oracle every analytic gradient
/// is checked against.
enum FiniteDifference {
    /// d f / d x_i by (f(x + h e_i) - f(x - h e_i)) / 2h for every i.
    static func gradient(_ x: [Double], step h: Double = 1e-5, _ f: ([Double]) -> Double) -> [Double] {
        var g = [Double](repeating: 0, count: x.count)
        var probe = x
        for i in x.indices {
            let h_i = h * Swift.max(1, abs(x[i]))
            probe[i] = x[i] + h_i
            let up = f(probe)
            probe[i] = x[i] - h_i
            let down = f(probe)
            probe[i] = x[i]
            g[i] = (up - down) / (2 * h_i)
        }
        return g
    }

    /// Relative error in the infinity norm: ||a - b|| / ||b||.
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "gradient sizes differ: \(a.count) vs \(b.count)")
        var diff = 0.0, scale = 0.0
        for i in a.indices {
            diff = Swift.max(diff, abs(a[i] - b[i]))
            scale = Swift.max(scale, abs(b[i]), abs(a[i]))
        }
        return scale == 0 ? diff : diff / scale
    }
}

/// The tolerance the acceptance criteria set for gradient checks.
let gradientTolerance = 1e-5

/// Random scores for a K x K batch, in a range that exercises the log domain.
func randomScores(k: Int, seed: UInt64, scale: Double = 2) -> [Double] {
    var rng = RNG(seed: seed)
    return (0..<(k * k)).map { _ in scale * rng.normal() }
}

/// The relative error of each store's accumulated gradient against central
/// finite differences of `loss` over that store's parameters (the store is
/// restored after every probe). Call after the backward pass filled `grads`.
func storeGradientErrors(_ stores: [ParameterStore<Double>], loss: () -> Double) -> [Double] {
    stores.map { store in
        let analytic = Array(store.grads.prefix(store.count))
        let fd = FiniteDifference.gradient(store.snapshot, step: 1e-6) { v in
            let saved = store.snapshot
            store.load(v)
            defer { store.load(saved) }
            return loss()
        }
        return FiniteDifference.relativeError(analytic, fd)
    }
}
