/// A residual MLP as wide as its input (001 sec. 3.1, "bias towards
/// hard-to-invert encoders"): L blocks h <- h + act(h W + b), each with a
/// skip connection, and the last h as the features.
///
/// With every weight and bias zero each block adds act(0) = 0 and the
/// encoder is the identity, which maximises the true MI between the views
/// (001: "by setting all weights to 0 the network becomes the identity
/// function"). Exactly zero weights would also stop training: with ReLU the
/// blocks' gradients vanish at 0. So weights start N(0, initialStd^2),
/// biases zero: with the default 1e-3 at width 392 each block's weight
/// matrix has spectral norm about 2 sqrt(392) 1e-3 = 0.04, so the Jacobian
/// starts within a few percent of the identity (condition number near 1)
/// and the training, not the initialisation, decides how ill-conditioned
/// the encoder becomes (001 Fig. 2c).
public final class ResidualEncoder<Scalar: MIScalar>: FeatureEncoder {
    public let width: Int
    public let blocks: [Dense]
    public let activation: Activation
    public let store: ParameterStore<Scalar>
    public var parallelism: Parallelism

    /// h_0 (a copy of the input) ... h_L.
    private let states: [Scratch<Scalar>]
    /// act(h_l W_l + b_l) per block.
    private let activations: [Scratch<Scalar>]
    private let dState = Scratch<Scalar>(), dPre = Scratch<Scalar>()
    public private(set) var rows = 0

    /// - Parameters:
    ///   - width: inputs per row, and features per row.
    ///   - blocks: residual blocks (001: 4).
    ///   - initialStd: the standard deviation of the initial weights.
    public init(width: Int, blocks: Int = 4, activation: Activation = .relu, initialStd: Double = 1e-3,
                parallelism: Parallelism = .allCores, rng: inout RNG) throws(ShapeError) {
        guard width >= 1 else { throw ShapeError("width must be at least 1, got \(width)") }
        guard blocks >= 1 else { throw ShapeError("a residual encoder needs at least one block, got \(blocks)") }
        guard initialStd >= 0 && initialStd.isFinite else {
            throw ShapeError("the initial weights' standard deviation must be finite and not negative, got \(initialStd)")
        }
        self.width = width
        self.activation = activation
        self.parallelism = parallelism
        var layout = ParameterLayout()
        self.blocks = (0..<blocks).map { _ in Dense(inputs: width, outputs: width, layout: &layout) }
        store = ParameterStore(count: layout.count)
        for block in self.blocks {
            let w = block.weight(store)
            for i in 0..<(width * width) { w[i] = Scalar(initialStd * rng.normal()) }
        }
        states = (0...blocks).map { _ in Scratch() }
        activations = (0..<blocks).map { _ in Scratch() }
    }

    public var name: String { "residual(\(width) x \(blocks.count))" }
    public var inputSize: Int { width }
    public var outputSize: Int { width }
    public var stores: [ParameterStore<Scalar>] { [store] }

    public func forward(_ x: UnsafePointer<Scalar>, rows: Int) -> UnsafePointer<Scalar> {
        self.rows = rows
        let n = rows * width
        var h = states[0].reserve(n)
        h.update(from: x, count: n)
        for (l, block) in blocks.enumerated() {
            let a = activations[l].reserve(n)
            block.forward(store, input: h, rows: rows, output: a, parallelism: parallelism)
            Kernels.addBiasActivate(a, rows: rows, cols: width, bias: block.bias(store), activation: activation,
                                    parallelism: parallelism)
            let next = states[l + 1].reserve(n)
            Self.sum(next, h, a, n)
            h = next
        }
        return UnsafePointer(h)
    }

    /// o = a + b.
    @inline(__always)
    private static func sum(_ o: UnsafeMutablePointer<Scalar>, _ a: UnsafePointer<Scalar>,
                            _ b: UnsafePointer<Scalar>, _ n: Int) {
        for i in 0..<n { o[i] = a[i] + b[i] }
    }

    /// With dh the gradient at h_{l+1}: dz = dh act'(a_l); dW_l += h_l^T dz;
    /// db_l += sum dz; and the gradient at h_l is dh + dz W_l^T.
    public func backward(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>?) {
        let n = rows * width
        let dh = dState.reserve(n), dz = dPre.reserve(n)
        dh.update(from: dOut, count: n)
        for l in stride(from: blocks.count - 1, through: 0, by: -1) {
            let block = blocks[l]
            dz.update(from: dh, count: n)
            Kernels.activationBackward(dz, activations: activations[l].pointer, rows: rows, cols: width,
                                       activation: activation, dBias: block.biasGrad(store), parallelism: parallelism)
            ParallelGemm.gemm(transA: true, transB: false, m: width, n: width, k: rows, alpha: 1,
                              a: states[l].pointer, lda: width, b: dz, ldb: width,
                              beta: 1, c: block.weightGrad(store), ldc: width, parallelism: parallelism)
            if l > 0 || dInput != nil {
                ParallelGemm.gemm(transA: false, transB: true, m: rows, n: width, k: width, alpha: 1,
                                  a: dz, lda: width, b: block.weight(store), ldb: width,
                                  beta: 1, c: dh, ldc: width, parallelism: parallelism)
            }
        }
        dInput?.update(from: dh, count: n)
    }

    public func flops(rows: Int) -> Double { 2 * 3 * Double(blocks.count * width * width) * Double(rows) }
}
