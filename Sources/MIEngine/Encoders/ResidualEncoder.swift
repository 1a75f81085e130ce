/// A residual MLP as wide as its input (001 sec. 3.1, "bias towards
/// hard-to-invert encoders"): blocks h <- h + act(h W + b), each with a skip
/// connection, then a linear block h <- h + h W + b, and the last h as the
/// features. 001 uses 4 nonlinear blocks ("4 hidden layers of the same
/// dimension as the input, and with a skip connection added to each layer");
/// its code's network, `MLP([392] * 5, shortcuts=True)`, also passes the
/// output layer around a skip connection, which `linearBlock` keeps.
///
/// With every weight and bias zero each block adds act(0) = 0 and the
/// encoder is the identity, which maximises the true MI between the views
/// (001: "by setting all weights to 0 the network becomes the identity
/// function"). Exactly zero weights would also stop training: with ReLU the
/// blocks' gradients vanish at 0. So, as in 001's code, weights start
/// N(0, initialStd^2) truncated at two standard deviations with initialStd
/// 1e-4, biases zero: at width 392 each block's weight matrix then has
/// spectral norm about 2 sqrt(392) 1e-4 = 0.004, so the Jacobian starts
/// within a percent of the identity (condition number about 1.02) and the
/// training, not the initialisation, decides how ill-conditioned the
/// encoder becomes (001 Fig. 2c).
public final class ResidualEncoder<Scalar: MIScalar>: FeatureEncoder {
    public let width: Int
    /// The nonlinear blocks, then the linear block when there is one.
    public let blocks: [Dense]
    public let activation: Activation
    /// Whether the last block is linear, h + h W + b.
    public let linearBlock: Bool
    public let store: ParameterStore<Scalar>
    public var parallelism: Parallelism

    /// h_0 (a copy of the input) ... h_L.
    let states: [Scratch<Scalar>]
    /// act(h_l W_l + b_l) per block (no act for the linear block).
    let activations: [Scratch<Scalar>]
    private let dState = Scratch<Scalar>(), dPre = Scratch<Scalar>()
    public private(set) var rows = 0
    /// Buffers of the tangent passes (ResidualEncoder+Tangent.swift), made on first use.
    lazy var tangent = ResidualTangentBuffers<Scalar>(blocks: blocks.count)

    /// - Parameters:
    ///   - width: inputs per row, and features per row.
    ///   - blocks: nonlinear residual blocks (001: 4).
    ///   - linearBlock: whether a linear residual block follows them (001's code: yes).
    ///   - initialStd: the standard deviation of the initial weights (001's code: 1e-4).
    public init(width: Int, blocks: Int = 4, activation: Activation = .relu, linearBlock: Bool = true,
                initialStd: Double = 1e-4, parallelism: Parallelism = .allCores, rng: inout RNG) throws(ShapeError) {
        guard width >= 1 else { throw ShapeError("width must be at least 1, got \(width)") }
        guard blocks >= 0 && blocks + (linearBlock ? 1 : 0) >= 1 else {
            throw ShapeError("a residual encoder needs at least one block, got \(blocks)")
        }
        guard initialStd >= 0 && initialStd.isFinite else {
            throw ShapeError("the initial weights' standard deviation must be finite and not negative, got \(initialStd)")
        }
        self.width = width
        self.activation = activation
        self.linearBlock = linearBlock
        self.parallelism = parallelism
        var layout = ParameterLayout()
        let count = blocks + (linearBlock ? 1 : 0)
        self.blocks = (0..<count).map { _ in Dense(inputs: width, outputs: width, layout: &layout) }
        store = ParameterStore(count: layout.count)
        for block in self.blocks {
            truncatedNormal(block.weight(store), count: width * width, std: initialStd, rng: &rng)
        }
        states = (0...count).map { _ in Scratch() }
        activations = (0..<count).map { _ in Scratch() }
    }

    /// Whether block l applies the nonlinearity.
    @inline(__always)
    func isNonlinear(_ l: Int) -> Bool { !(linearBlock && l == blocks.count - 1) }

    public var name: String {
        "residual(\(width) x \(blocks.count - (linearBlock ? 1 : 0))" + (linearBlock ? " + linear)" : ")")
    }
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
            if isNonlinear(l) {
                Kernels.addBiasActivate(a, rows: rows, cols: width, bias: block.bias(store), activation: activation,
                                        parallelism: parallelism)
            } else {
                addBias(a, rows: rows, cols: width, bias: block.bias(store))
            }
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

    /// With dh the gradient at h_{l+1}: dz = dh act'(a_l) (dz = dh in the linear block); dW_l += h_l^T dz;
    /// db_l += sum dz; and the gradient at h_l is dh + dz W_l^T.
    public func backward(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>?) {
        let n = rows * width
        let dh = dState.reserve(n), dz = dPre.reserve(n)
        dh.update(from: dOut, count: n)
        for l in stride(from: blocks.count - 1, through: 0, by: -1) {
            let block = blocks[l]
            dz.update(from: dh, count: n)
            if isNonlinear(l) {
                Kernels.activationBackward(dz, activations: activations[l].pointer, rows: rows, cols: width,
                                           activation: activation, dBias: block.biasGrad(store), parallelism: parallelism)
            } else {
                Kernels.columnSums(dz, rows: rows, cols: width, into: block.biasGrad(store))
            }
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
