import Testing
@testable import MIEngine

/// Gradient checks for layers and encoders: the loss is L = sum_i w_i out_i
/// with fixed random weights w, so d L / d out = w, and the analytic
/// gradients from one backward pass of w are compared with central finite
/// differences of L in Double.
enum LayerCheck {
    /// The relative error of the gradient at `indices` of `values` (all
    /// when nil) against central differences of `loss`, moving one value
    /// at a time and restoring it.
    static func error(analytic: [Double], indices: [Int]?, values: UnsafeMutableBufferPointer<Double>,
                      loss: () -> Double) -> Double {
        let picked = indices ?? Array(0..<analytic.count)
        var numeric: [Double] = [], wanted: [Double] = []
        for i in picked {
            let saved = values[i]
            let h = 1e-6 * Swift.max(1, abs(saved))
            values[i] = saved + h
            let up = loss()
            values[i] = saved - h
            let down = loss()
            values[i] = saved
            numeric.append((up - down) / (2 * h))
            wanted.append(analytic[i])
        }
        return FiniteDifference.relativeError(wanted, numeric)
    }

    /// `count` distinct indices below `n` (all of them when n <= count).
    static func sample(_ n: Int, count: Int, rng: inout RNG) -> [Int]? {
        n <= count ? nil : Array(rng.permutation(n).prefix(count)).sorted()
    }

    /// Parameter and input gradient errors of an encoder at `rows` random
    /// inputs: one error per store, then the input's. At most `probes`
    /// coordinates of each are moved.
    static func encoderErrors(_ e: any FeatureEncoder<Double>, rows: Int, inputScale: Double = 1,
                              probes: Int = 400, seed: UInt64) -> (stores: [Double], input: Double) {
        var rng = RNG(seed: seed)
        // On the heap, so the loss reads the inputs while a probe moves them.
        let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: rows * e.inputSize)
        defer { x.deallocate() }
        for i in x.indices { x[i] = inputScale * rng.normal() }
        let w = rng.normals(rows * e.outputSize)
        func loss() -> Double {
            let out = e.forward(x.baseAddress!, rows: rows)
            var s = 0.0
            for i in w.indices { s += w[i] * out[i] }
            return s
        }
        _ = loss()
        e.zeroGrad()
        var dx = [Double](repeating: .nan, count: x.count)
        w.withUnsafeBufferPointer { wp in
            dx.withUnsafeMutableBufferPointer { e.backward(wp.baseAddress!, dInput: $0.baseAddress!) }
        }
        let stores = e.stores.map { store in
            error(analytic: Array(store.grads.prefix(store.count)),
                  indices: sample(store.count, count: probes, rng: &rng), values: store.values, loss: loss)
        }
        let inputIndices = sample(x.count, count: probes, rng: &rng)
        let input = error(analytic: dx, indices: inputIndices, values: x, loss: loss)
        return (stores, input)
    }

    /// Adds N(0, scale^2) to every parameter (so no layer starts at zero
    /// and no ReLU sits at its kink).
    static func perturb(_ stores: [ParameterStore<Double>], scale: Double, rng: inout RNG) {
        for s in stores { for i in 0..<s.count { s.values[i] += scale * rng.normal() } }
    }
}
