import Testing
@testable import MIEngine

/// The encoders' defining properties: the residual encoder is the identity
/// at zero weights, the coupling encoder inverts, the ConvNet has 001's
/// size, and serial and all-core passes give the same bits.
@Suite struct EncoderPropertyTests {
    /// Inputs like image halves: values in [0, 1].
    static func pixels(_ rows: Int, _ cols: Int, seed: UInt64) -> Matrix<Float> {
        var rng = RNG(seed: seed)
        return Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in Float(rng.uniform()) })
    }

    /// 001 sec. 3.1: "by setting all weights to 0 the network becomes the identity function".
    @Test(arguments: Activation.allCases)
    func residualIsIdentityAtZero(_ act: Activation) throws {
        var rng = RNG(seed: 1)
        let e = try ResidualEncoder<Float>(width: 392, activation: act, initialStd: 0.1, rng: &rng)
        let x = Self.pixels(16, 392, seed: 2)
        #expect(e.forward(x) != x)
        for s in e.stores { s.load([Float](repeating: 0, count: s.count)) }
        #expect(e.forward(x) == x)
    }

    /// At the default initialisation the encoder moves its inputs by under a percent.
    @Test func residualStartsNearIdentity() throws {
        var rng = RNG(seed: 3)
        let e = try ResidualEncoder<Double>(width: 392, rng: &rng)
        var nrng = RNG(seed: 4)
        let x = Matrix<Double>(rows: 8, cols: 392, storage: nrng.normals(8 * 392))
        let y = e.forward(x)
        var diff = 0.0, norm = 0.0
        for i in x.storage.indices {
            diff += (y.storage[i] - x.storage[i]) * (y.storage[i] - x.storage[i])
            norm += x.storage[i] * x.storage[i]
        }
        let relative = (diff / norm).squareRoot()
        #expect(relative > 1e-4 && relative < 0.01, "relative change \(relative)")
    }

    /// With zero weights every shift is zero and the coupling encoder is
    /// the composition of its layers' permutations; at the default
    /// initialisation (weights of size 1e-4) it is within 1e-6 of it.
    @Test func couplingStartsNearItsPermutation() throws {
        var rng = RNG(seed: 5)
        let e = try CouplingEncoder<Float>(width: 392, rng: &rng)
        let x = Self.pixels(4, 392, seed: 6)
        var permuted = x
        for p in e.permutations {
            for r in 0..<x.rows {
                let row = permuted.row(r)
                for j in 0..<392 { permuted[r, j] = row[p[j]] }
            }
        }
        let initial = e.forward(x)
        #expect(initial != permuted)
        #expect(zip(initial.storage, permuted.storage).allSatisfy { abs($0 - $1) < 1e-6 })
        for s in e.stores { s.load([Float](repeating: 0, count: s.count)) }
        #expect(e.forward(x) == permuted)
    }

    /// x = g^-1(g(x)) within 1e-4 in Float, for the default encoder and for
    /// 001's 30 layers of 2 x 512, with weights moved well away from zero.
    @Test(arguments: [(layers: 8, hidden: 256), (layers: 30, hidden: 512), (layers: 5, hidden: 64)])
    func couplingInverts(_ c: (layers: Int, hidden: Int)) throws {
        let width = c.layers == 5 ? 391 : 392   // an odd width: parts of 195 and 196
        func make() throws -> CouplingEncoder<Float> {
            var rng = RNG(seed: 7)
            return try CouplingEncoder<Float>(width: width, layers: c.layers, hidden: c.hidden, rng: &rng)
        }
        let e = try make(), permutation = try make()
        var rng = RNG(seed: 8)
        for s in e.stores { for i in 0..<s.count { s.values[i] += Float(0.02 * rng.normal()) } }
        for s in permutation.stores { s.load([Float](repeating: 0, count: s.count)) }
        let x = Self.pixels(32, width, seed: 9)
        let y = e.forward(x), shuffled = permutation.forward(x)
        let back = e.inverse(y)
        var moved: Float = 0, error: Float = 0
        for i in x.storage.indices {
            moved = Swift.max(moved, abs(y.storage[i] - shuffled.storage[i]))
            error = Swift.max(error, abs(back.storage[i] - x.storage[i]))
        }
        #expect(moved > 0.1, "the shifts should not be near zero: moved \(moved)")
        #expect(error < 1e-4, "largest reconstruction error \(error)")
    }

    /// The inverse in Double is exact to rounding.
    @Test func couplingInvertsInDouble() throws {
        var rng = RNG(seed: 10)
        let e = try CouplingEncoder<Double>(width: 9, layers: 4, hidden: 8, rng: &rng)
        for s in e.stores { for i in 0..<s.count { s.values[i] += 0.5 * rng.normal() } }
        let x = Matrix<Double>(rows: 5, cols: 9, storage: rng.normals(45))
        let back = e.inverse(e.forward(x))
        #expect(FiniteDifference.relativeError(back.storage, x.storage) < 1e-13)
    }

    /// 001 sec. 3.3: "220k parameters".
    @Test func convnetHasPaperSize() throws {
        var rng = RNG(seed: 9)
        let e = try ConvEncoder<Float>(rng: &rng)
        #expect(e.parameterCount == 219_748)
        #expect(e.convolutions.map { [$0.shape.outChannels, $0.shape.outHeight, $0.shape.outWidth] } == [[64, 7, 14], [128, 4, 7]])
        #expect(e.name == "convnet(64, 128; 100)")
        // The second layer leaves out the kernel rows that read only padding
        // (the first, with 25 taps, runs as one product per chunk).
        #expect(e.convolutions.map(\.bands.count) == [1, 3])
        #expect(e.convolutions[1].colPerSample * 5 == e.convolutions[1].shape.positions * e.convolutions[1].shape.patchSize * 4)
        #expect(e.flops(rows: 128) > 9e9 / 2 && e.flops(rows: 128) < 9.2e9 / 2)
    }

    /// `backward` reads no input the caller may change after `forward`:
    /// the banded second layer gathers its input again (the first layer's
    /// output, which the encoder owns), and a banded first layer gets a
    /// copy. Garbage written over the caller's rows in between changes nothing.
    @Test(arguments: [5, 17])
    func backwardIgnoresTheCallersRowsAfterForward(_ kernel: Int) throws {
        func gradients(overwrite: Bool) throws -> [[Float]] {
            var rng = RNG(seed: 13)
            let e = try ConvEncoder<Float>(height: 20, width: 20, filters: [16, 6], kernel: kernel, stride: 2,
                                           padding: kernel / 2, features: 3, rng: &rng)
            #expect(e.convolutions[0].keepsColumns == (kernel == 5) && !e.convolutions[1].keepsColumns)
            var x = (0..<(8 * 400)).map { _ in Float(rng.uniform()) }
            let dOut = (0..<(8 * 3)).map { _ in Float(rng.normal()) }
            var dx = [Float](repeating: 0, count: x.count)
            _ = x.withUnsafeBufferPointer { e.forward($0.baseAddress!, rows: 8) }
            if overwrite { for i in x.indices { x[i] = -7 } }
            dOut.withUnsafeBufferPointer { d in dx.withUnsafeMutableBufferPointer { e.backward(d.baseAddress!, dInput: $0.baseAddress!) } }
            return [dx] + e.stores.map { Array($0.grads.prefix($0.count)) }
        }
        let clean = try gradients(overwrite: false)
        #expect(try gradients(overwrite: true) == clean)
        #expect(clean.allSatisfy { $0.contains { $0 != 0 } })
    }

    @Test func names() throws {
        var rng = RNG(seed: 11)
        #expect(try ResidualEncoder<Float>(width: 392, rng: &rng).name == "residual(392 x 4 + linear)")
        #expect(try ResidualEncoder<Float>(width: 10, blocks: 2, linearBlock: false, rng: &rng).name == "residual(10 x 2)")
        #expect(try CouplingEncoder<Float>(width: 10, layers: 3, hidden: 5, rng: &rng).name == "coupling(3 x 2x5)")
        #expect(try ResidualEncoder<Float>(width: 392, rng: &rng).parameterCount == 5 * (392 * 392 + 392))
    }

    @Test func shapeErrorsExplain() {
        var rng = RNG(seed: 10)
        #expect(throws: ShapeError("a 5x5 kernel does not fit a 2x28 input padded by 1")) {
            try ConvEncoder<Float>(height: 2, padding: 1, rng: &rng)
        }
        #expect(throws: ShapeError("padding must be in 0..<kernel (5), got 5")) {
            try ConvEncoder<Float>(padding: 5, rng: &rng)
        }
        #expect(throws: ShapeError("a coupling encoder needs at least 2 inputs, got 1")) {
            try CouplingEncoder<Float>(width: 1, rng: &rng)
        }
        #expect(throws: ShapeError("a residual encoder needs at least one block, got 0")) {
            try ResidualEncoder<Float>(width: 4, blocks: 0, linearBlock: false, rng: &rng)
        }
        #expect(throws: ShapeError("a 5x5 kernel does not fit a 14x3 input padded by 0")) {
            try ConvEncoder<Float>(width: 3, padding: 0, rng: &rng)
        }
        #expect(throws: ShapeError("input channels must be at least 1, got 0")) {
            try ConvEncoder<Float>(channels: 0, rng: &rng)
        }
    }

    /// Forward outputs, parameter gradients and input gradients of a
    /// 128-row batch are the same bits with one core and with all of them.
    @Test(arguments: ["mlp", "residual", "convnet", "coupling"])
    func serialAndParallelAgree(_ kind: String) throws {
        func run(_ parallelism: Parallelism) throws -> [[Float]] {
            var rng = RNG(seed: 11)
            let e: FloatEncoder
            switch kind {
            case "mlp": e = .mlp(MLPEncoder(sizes: [392, 300, 300, 100], rng: &rng))
            case "residual": e = .residual(try ResidualEncoder(width: 392, initialStd: 0.05, rng: &rng))
            case "convnet": e = .conv(try ConvEncoder(rng: &rng))
            default: e = .coupling(try CouplingEncoder(width: 392, layers: 4, rng: &rng))
            }
            for s in e.stores { for i in 0..<s.count { s.values[i] += Float(0.01 * rng.normal()) } }
            e.parallelism = parallelism
            let rows = 128
            let x = Self.pixels(rows, e.inputSize, seed: 12).storage
            var dOut = [Float](repeating: 0, count: rows * e.outputSize)
            for i in dOut.indices { dOut[i] = Float(rng.normal()) }
            var dx = [Float](repeating: 0, count: x.count)
            // Two steps, so the second runs on reused scratch buffers.
            var outputs: [Float] = []
            for _ in 0..<2 {
                for s in e.stores { s.zeroGrad() }
                outputs = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: e.forward($0.baseAddress!, rows: rows), count: dOut.count)) }
                dOut.withUnsafeBufferPointer { d in dx.withUnsafeMutableBufferPointer { e.backward(d.baseAddress!, dInput: $0.baseAddress!) } }
            }
            return [outputs, dx] + e.stores.map { Array($0.grads.prefix($0.count)) }
        }
        let serial = try run(.serial), parallel = try run(.allCores)
        #expect(serial == parallel)
        #expect(serial.allSatisfy { v in v.allSatisfy(\.isFinite) && v.contains { $0 != 0 } })
    }
}
