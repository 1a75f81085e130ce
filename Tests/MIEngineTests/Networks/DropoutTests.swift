import Testing
@testable import MIEngine

/// The dropout mask kernel and dropout inside an MLP.
@Suite struct DropoutMaskTests {
    /// Kept units: a fraction 1-p, within 4 binomial standard errors, each
    /// scaled by exactly 1/(1-p) in the working precision.
    @Test(arguments: [0.05, 0.2, 0.5, 0.9])
    func keptFractionAndScale(_ p: Double) {
        let n = 200_001    // odd: the last unit takes a draw of its own
        var m = [Float](repeating: -1, count: n)
        var rng = RNG(seed: 17)
        let mask = DropoutMask<Float>(rate: p)
        m.withUnsafeMutableBufferPointer { mask.fill($0.baseAddress!, n, rng: &rng) }
        let kept = m.filter { $0 != 0 }
        #expect(kept.allSatisfy { $0 == Float(1 / (1 - p)) })
        #expect(m.allSatisfy { $0 == 0 || $0 == Float(1 / (1 - p)) })
        let q = 1 - p, se = (q * p / Double(n)).squareRoot()
        let fraction = Double(kept.count) / Double(n)
        #expect(abs(fraction - q) < 4 * se, "kept \(fraction), expected \(q) +- \(se)")
    }

    /// Two units per 64-bit draw: n units take ceil(n/2) numbers.
    @Test func drawsTwoUnitsPerNumber() {
        var rng = RNG(seed: 4), reference = rng
        var m = [Double](repeating: 0, count: 7)
        m.withUnsafeMutableBufferPointer { DropoutMask<Double>(rate: 0.3).fill($0.baseAddress!, 7, rng: &rng) }
        for _ in 0..<4 { _ = reference.next() }
        #expect(rng.next() == reference.next())
    }

    @Test func ratesPerLayer() {
        let d = Dropout(rates: [0.5, 0.3, 0.2])
        #expect(d.rate(layer: 0, of: 3) == 0.5 && d.rate(layer: 2, of: 3) == 0.2)
        let one: Dropout = 0.25
        #expect(one.rate(layer: 4, of: 5) == 0.25)
        #expect(!Dropout.none.isActive && !Dropout(rates: [0, 0]).isActive && Dropout(rates: [0, 0.1]).isActive)
    }

    @Test func rejectsRatesOutsideZeroToOne() async {
        await #expect(processExitsWith: .failure) { _ = Dropout(1) }
        await #expect(processExitsWith: .failure) { _ = Dropout(rates: [0.2, -0.1]) }
    }
}

@Suite struct MLPDropoutTests {
    static let rateCases = [Dropout(0.4), Dropout(rates: [0.5, 0.2]), Dropout(rates: [0, 0.6])]

    /// Parameter and input gradients with dropout against central finite
    /// differences of L = sum w * out, the masks held fixed by drawing them
    /// from the same generator state on every evaluation.
    @Test(arguments: Activation.allCases, rateCases)
    func gradientWithFixedMask(_ act: Activation, _ dropout: Dropout) {
        var rng = RNG(seed: 31)
        let mlp = MLP<Double>(sizes: [3, 6, 5, 2], activation: act, rng: &rng)
        // Small random biases so no unit sits exactly at a ReLU kink.
        for i in 0..<mlp.store.count { mlp.store.values[i] += 0.05 * rng.normal() }
        let rows = 7
        let x = rng.normals(rows * 3)
        let w = rng.normals(rows * 2)
        let maskState = RNG(seed: 5, stream: 9)

        func loss(_ input: [Double]) -> Double {
            var r = maskState
            let out = mlp.forward(Matrix(rows: rows, cols: 3, storage: input), dropout: dropout, rng: &r)
            return zip(out.storage, w).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let withDropout = loss(x)
        let plain = zip(mlp.forward(Matrix(rows: rows, cols: 3, storage: x)).storage, w).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(withDropout != plain, "dropout changed nothing")

        _ = loss(x)
        mlp.store.zeroGrad()
        let dInput = mlp.backward(Matrix(rows: rows, cols: 2, storage: w)).storage
        let analytic = Array(mlp.store.grads.prefix(mlp.store.count))
        let fd = FiniteDifference.gradient(mlp.store.snapshot, step: 1e-6) { v in
            let saved = mlp.store.snapshot
            mlp.store.load(v)
            defer { mlp.store.load(saved) }
            return loss(x)
        }
        let err = FiniteDifference.relativeError(analytic, fd)
        #expect(err < gradientTolerance, "\(act) \(dropout): parameter gradient relative error \(err)")
        let fdInput = FiniteDifference.gradient(x, step: 1e-6) { loss($0) }
        let inputErr = FiniteDifference.relativeError(dInput, fdInput)
        #expect(inputErr < gradientTolerance, "\(act) \(dropout): input gradient relative error \(inputErr)")
    }

    /// Rate 0 is the plain network bit for bit, and draws nothing.
    @Test(arguments: [Dropout.none, Dropout(rates: [0, 0])])
    func zeroRateIsThePlainNetwork(_ dropout: Dropout) {
        var rng = RNG(seed: 2)
        let mlp = MLP<Float>(sizes: [4, 16, 8, 3], activation: .elu, rng: &rng)
        let x = Matrix<Float>(rows: 9, cols: 4, storage: rng.normals(36).map(Float.init))
        let d = Matrix<Float>(rows: 9, cols: 3, storage: rng.normals(27).map(Float.init))
        let plain = mlp.forward(x)
        mlp.store.zeroGrad()
        let plainInput = mlp.backward(d)
        let plainGrads = Array(mlp.store.grads)

        var masks = RNG(seed: 77), untouched = masks
        let dropped = mlp.forward(x, dropout: dropout, rng: &masks)
        mlp.store.zeroGrad()
        let droppedInput = mlp.backward(d)
        #expect(dropped.storage == plain.storage)
        #expect(droppedInput.storage == plainInput.storage)
        #expect(Array(mlp.store.grads) == plainGrads)
        #expect(masks.next() == untouched.next())
    }

    /// On a pass large enough for the parallel chunked kernels: the first
    /// hidden layer is the plain one with each unit either zeroed or scaled
    /// by exactly 1/(1-p), a fraction 1-p kept; the same on one core.
    @Test func largePassKeepsOneMinusPAndIsThreadIndependent() {
        var rng = RNG(seed: 12)
        let width = 96, rows = 1500, p = 0.3       // 144,000 units: parallel chunks
        let mlp = MLP<Float>(sizes: [5, width, 32, 1], activation: .tanh, rng: &rng)
        let x = Matrix<Float>(rows: rows, cols: 5, storage: rng.normals(rows * 5).map(Float.init))
        _ = mlp.forward(x)
        let plain = Array(UnsafeBufferPointer(start: mlp.hiddenOutput(0), count: rows * width))
        let maskState = RNG(seed: 3)
        var r = maskState
        let out = mlp.forward(x, dropout: Dropout(p), rng: &r).storage
        let dropped = Array(UnsafeBufferPointer(start: mlp.hiddenOutput(0), count: rows * width))
        let scale = Float(1 / (1 - p))
        var kept = 0, bad = 0
        for i in plain.indices where plain[i] != 0 {
            if dropped[i] != 0 { kept += 1 }
            if dropped[i] != 0 && dropped[i] != plain[i] * scale { bad += 1 }
        }
        let units = plain.filter { $0 != 0 }.count
        #expect(bad == 0)
        let q = 1 - p, se = (q * p / Double(units)).squareRoot()
        #expect(abs(Double(kept) / Double(units) - q) < 4 * se)

        mlp.parallelism = .serial
        var serial = maskState
        #expect(mlp.forward(x, dropout: Dropout(p), rng: &serial).storage == out)
    }
}
