import Testing
@testable import MIEngine

/// Each new layer's parameter and input gradients against central finite
/// differences in Double (relative error below 1e-5).
@Suite struct LayerGradientTests {
    struct ConvCase: CustomTestStringConvertible, Sendable {
        var c: Int, h: Int, w: Int, out: Int, k: Int, s: Int, p: Int
        var activation: Activation?
        var rows: Int
        /// Whether padding-only kernel rows are left out (`Conv2D.bands`).
        var banded = true
        var testDescription: String {
            "\(c)x\(h)x\(w) -> \(out), \(k)x\(k)/\(s) pad \(p), \(activation?.rawValue ?? "linear"), \(rows) rows"
                + (banded ? "" : ", one band")
        }
        func layer(_ layout: inout ParameterLayout) -> Conv2D<Double> {
            Conv2D(shape: shape, activation: activation, layout: &layout, parallelism: .allCores,
                   bandedFrom: banded ? 0 : .max)
        }
        var shape: ConvShape {
            try! ConvShape(inChannels: c, inHeight: h, inWidth: w, outChannels: out, kernel: k, stride: s, padding: p)
        }
    }

    static let convCases: [ConvCase] = [
        // 001's layers in miniature: 5x5, stride 2, padding 2 (three bands of kernel rows).
        ConvCase(c: 1, h: 6, w: 9, out: 3, k: 5, s: 2, p: 2, activation: .relu, rows: 3),
        ConvCase(c: 1, h: 6, w: 9, out: 3, k: 5, s: 2, p: 2, activation: .relu, rows: 3, banded: false),
        ConvCase(c: 3, h: 5, w: 7, out: 4, k: 5, s: 2, p: 2, activation: .tanh, rows: 2),
        // Odd sizes, stride 1, a kernel wider than the stride.
        ConvCase(c: 2, h: 7, w: 9, out: 3, k: 3, s: 2, p: 1, activation: .elu, rows: 4),
        ConvCase(c: 3, h: 5, w: 5, out: 2, k: 2, s: 1, p: 0, activation: nil, rows: 3),
        // Stride larger than the kernel overlap; padding on both sides only for some rows.
        ConvCase(c: 2, h: 4, w: 6, out: 3, k: 3, s: 3, p: 2, activation: .relu, rows: 2),
        // Enough samples for several chunks and two backward groups (16 samples a chunk, 4 chunks a group).
        ConvCase(c: 2, h: 5, w: 6, out: 3, k: 3, s: 2, p: 1, activation: .relu, rows: 70),
        ConvCase(c: 2, h: 5, w: 6, out: 3, k: 3, s: 2, p: 1, activation: .tanh, rows: 70, banded: false),
    ]

    @Test(arguments: convCases)
    func convolution(_ c: ConvCase) {
        var layout = ParameterLayout()
        let conv = c.layer(&layout)
        let store = ParameterStore<Double>(count: layout.count)
        var rng = RNG(seed: 3)
        conv.initialize(store, rng: &rng)
        LayerCheck.perturb([store], scale: 0.1, rng: &rng)
        let (paramErr, inputErr) = check(inputSize: c.shape.inputSize, outputSize: c.shape.outputSize,
                                         rows: c.rows, store: store, rng: &rng,
                                         forward: { conv.forward(store, input: $0, rows: $1) },
                                         backward: { conv.backward(store, dOutput: $0, dInput: $1) })
        #expect(paramErr < gradientTolerance, "parameters: relative error \(paramErr)")
        #expect(inputErr < gradientTolerance, "input: relative error \(inputErr)")
        if c.rows > 64 { #expect(conv.chunkRanges(c.rows).count > Conv2D<Double>.chunksPerGroup) }
    }

    /// The convolution against its definition, summed directly over the
    /// kernel (every tap, padding read as zero).
    @Test(arguments: convCases)
    func convolutionMatchesDefinition(_ c: ConvCase) {
        var layout = ParameterLayout()
        let s = c.shape
        let conv = c.layer(&layout)
        let store = ParameterStore<Double>(count: layout.count)
        var rng = RNG(seed: 4)
        conv.initialize(store, rng: &rng)
        LayerCheck.perturb([store], scale: 0.1, rng: &rng)
        let x = rng.normals(c.rows * s.inputSize)
        let out = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: conv.forward(store, input: $0.baseAddress!, rows: c.rows),
                                                                          count: c.rows * s.outputSize)) }
        var worst = 0.0
        for n in 0..<c.rows {
            for oy in 0..<s.outHeight {
                for ox in 0..<s.outWidth {
                    for o in 0..<s.outChannels {
                        var z = store.values[conv.biasOffset + o]
                        for ky in 0..<s.kernel {
                            for kx in 0..<s.kernel {
                                let iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx
                                guard iy >= 0 && iy < s.inHeight && ix >= 0 && ix < s.inWidth else { continue }
                                for ch in 0..<s.inChannels {
                                    let wv = store.values[conv.weightOffset + ((ky * s.kernel + kx) * s.inChannels + ch) * s.outChannels + o]
                                    z += wv * x[n * s.inputSize + (iy * s.inWidth + ix) * s.inChannels + ch]
                                }
                            }
                        }
                        let want = c.activation?.apply(z) ?? z
                        let got = out[n * s.outputSize + (oy * s.outWidth + ox) * s.outChannels + o]
                        worst = Swift.max(worst, abs(got - want))
                    }
                }
            }
        }
        #expect(worst < 1e-12, "largest difference \(worst)")
    }

    @Test(arguments: [(features: 12, channels: 3, rows: 5), (features: 7, channels: 1, rows: 4),
                      (features: 4 * 7 * 8, channels: 8, rows: 40)])
    func layerNorm(_ c: (features: Int, channels: Int, rows: Int)) {
        var layout = ParameterLayout()
        let ln = LayerNorm<Double>(features: c.features, channels: c.channels, layout: &layout)
        let store = ParameterStore<Double>(count: layout.count)
        ln.initialize(store)
        var rng = RNG(seed: 5)
        LayerCheck.perturb([store], scale: 0.3, rng: &rng)
        let (paramErr, inputErr) = check(inputSize: c.features, outputSize: c.features, rows: c.rows, store: store,
                                         rng: &rng,
                                         forward: { ln.forward(store, input: $0, rows: $1) },
                                         backward: { ln.backward(store, dOutput: $0, dInput: $1!) })
        #expect(paramErr < gradientTolerance, "parameters: relative error \(paramErr)")
        #expect(inputErr < gradientTolerance, "input: relative error \(inputErr)")
    }

    /// With gain 1 and bias 0 each row has mean 0 and variance 1/(1 + eps/var).
    @Test func layerNormStandardises() {
        var layout = ParameterLayout()
        let ln = LayerNorm<Double>(features: 20, channels: 4, epsilon: 0, layout: &layout)
        let store = ParameterStore<Double>(count: layout.count)
        ln.initialize(store)
        var rng = RNG(seed: 6)
        let x = rng.normals(3 * 20).map { 3 + 2 * $0 }
        let y = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: ln.forward(store, input: $0.baseAddress!, rows: 3), count: 60)) }
        for r in 0..<3 {
            let row = y[(r * 20)..<((r + 1) * 20)]
            let mean = row.reduce(0, +) / 20
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 20
            #expect(abs(mean) < 1e-12 && abs(variance - 1) < 1e-12)
        }
    }

    @Test func averagePool() {
        let pool = AveragePool<Double>(positions: 6, channels: 3)
        var rng = RNG(seed: 7)
        let store = ParameterStore<Double>(count: 0)
        let (_, inputErr) = check(inputSize: 18, outputSize: 3, rows: 4, store: store, rng: &rng,
                                  forward: { pool.forward($0, rows: $1) },
                                  backward: { pool.backward($0, dInput: $1!) })
        #expect(inputErr < gradientTolerance, "input: relative error \(inputErr)")
        let x = (0..<18).map(Double.init)
        let y = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: pool.forward($0.baseAddress!, rows: 1), count: 3)) }
        #expect(y == [7.5, 8.5, 9.5])
    }

    /// One residual block h + act(h W + b), each activation; and the linear block h + h W + b.
    @Test(arguments: Activation.allCases.map(Optional.some) + [nil])
    func residualBlock(_ act: Activation?) throws {
        var rng = RNG(seed: 8)
        let e = try ResidualEncoder<Double>(width: 6, blocks: act == nil ? 0 : 1, activation: act ?? .relu,
                                            linearBlock: act == nil, initialStd: 0.5, rng: &rng)
        LayerCheck.perturb(e.stores, scale: 0.1, rng: &rng)
        let (stores, input) = LayerCheck.encoderErrors(e, rows: 5, seed: 9)
        #expect(stores.allSatisfy { $0 < gradientTolerance } && input < gradientTolerance, "\(stores) \(input)")
    }

    /// One coupling layer x_B + m(x_A), odd and even widths.
    @Test(arguments: [5, 6])
    func couplingLayer(_ width: Int) throws {
        var rng = RNG(seed: 10)
        let e = try CouplingEncoder<Double>(width: width, layers: 1, hidden: 7, rng: &rng)
        LayerCheck.perturb(e.stores, scale: 0.3, rng: &rng)
        let (stores, input) = LayerCheck.encoderErrors(e, rows: 4, seed: 11)
        #expect(stores.allSatisfy { $0 < gradientTolerance } && input < gradientTolerance, "\(stores) \(input)")
    }

    /// Runs a layer's forward and backward on random inputs with a random
    /// loss weighting; returns the parameter and input gradient errors.
    private func check(inputSize: Int, outputSize: Int, rows: Int, store: ParameterStore<Double>, rng: inout RNG,
                       forward: @escaping (UnsafePointer<Double>, Int) -> UnsafePointer<Double>,
                       backward: (UnsafePointer<Double>, UnsafeMutablePointer<Double>?) -> Void) -> (Double, Double) {
        // On the heap, so the loss reads the inputs while a probe moves them.
        let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: rows * inputSize)
        defer { x.deallocate() }
        for i in x.indices { x[i] = rng.normal() }
        let w = rng.normals(rows * outputSize)
        func loss() -> Double {
            let out = forward(x.baseAddress!, rows)
            var s = 0.0
            for i in w.indices { s += w[i] * out[i] }
            return s
        }
        _ = loss()
        store.zeroGrad()
        var dx = [Double](repeating: .nan, count: x.count)
        w.withUnsafeBufferPointer { wp in dx.withUnsafeMutableBufferPointer { backward(wp.baseAddress!, $0.baseAddress!) } }
        let paramErr = store.count == 0 ? 0
            : LayerCheck.error(analytic: Array(store.grads.prefix(store.count)), indices: nil, values: store.values, loss: loss)
        let inputIndices = LayerCheck.sample(x.count, count: 600, rng: &rng)
        let inputErr = LayerCheck.error(analytic: dx, indices: inputIndices, values: x, loss: loss)
        return (paramErr, inputErr)
    }
}
