/// The separable critic f(x, y) = g(x)^T h(y) (van den Oord et al. 2018;
/// 001 sec. 3): two MLPs embed x and y, and all K x K scores are one product
/// G H^T, so a batch costs 2K network passes instead of K^2.
public final class SeparableCritic<Scalar: MIScalar>: Critic {
    public let g: MLP<Scalar>
    public let h: MLP<Scalar>
    public let shape: NetworkShape
    public let embedding: Int

    private let scores = Scratch<Scalar>(), dScoreMatrix = Scratch<Scalar>()
    private let dG = Scratch<Scalar>(), dH = Scratch<Scalar>()
    private var k = 0
    private var lastPairs = PairSet.all(0)
    /// Runs the two towers side by side (and each on all cores) when
    /// `.allCores`; setting it sets the towers'.
    public var parallelism: Parallelism {
        didSet {
            g.parallelism = parallelism
            h.parallelism = parallelism
        }
    }

    public init(dimX: Int, dimY: Int, shape: NetworkShape = NetworkShape(), embedding: Int = 32,
                parallelism: Parallelism = .allCores, rng: inout RNG) {
        self.shape = shape
        self.embedding = embedding
        self.parallelism = parallelism
        g = MLP(sizes: [dimX] + shape.hidden + [embedding], activation: shape.activation, parallelism: parallelism,
                rng: &rng)
        h = MLP(sizes: [dimY] + shape.hidden + [embedding], activation: shape.activation, parallelism: parallelism,
                rng: &rng)
    }

    public var name: String { "separable(\(shape.description), embed=\(embedding))" }
    public var stores: [ParameterStore<Scalar>] { [g.store, h.store] }

    public func forward(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet) -> [Scalar] {
        k = x.rows
        lastPairs = pairs
        // The two towers are independent: run them side by side.
        parallelism.both({ x.storage.withUnsafeBufferPointer { _ = self.g.forward($0.baseAddress!, rows: k) } },
                      { y.storage.withUnsafeBufferPointer { _ = self.h.forward($0.baseAddress!, rows: k) } })
        return gatheredScores(pairs: pairs)
    }

    /// Dropout acts inside both towers (on their hidden layers, not on the
    /// embeddings g(x), h(y)); each tower draws from its own generator
    /// split off `rng`, so the two can run side by side.
    public func forward(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet, dropout: Dropout,
                        rng: inout RNG) -> [Scalar] {
        guard dropout.isActive && g.hiddenLayers > 0 else { return forward(x: x, y: y, pairs: pairs) }
        k = x.rows
        lastPairs = pairs
        var rngG = rng.split(), rngH = rng.split()
        parallelism.both({ x.storage.withUnsafeBufferPointer {
                          _ = self.g.forward($0.baseAddress!, rows: self.k, dropout: dropout, rng: &rngG) } },
                      { y.storage.withUnsafeBufferPointer {
                          _ = self.h.forward($0.baseAddress!, rows: self.k, dropout: dropout, rng: &rngH) } })
        return gatheredScores(pairs: pairs)
    }

    /// All K x K products of the towers' last outputs, gathered for `pairs`.
    private func gatheredScores(pairs: PairSet) -> [Scalar] {
        let gx = g.output, hy = h.output
        let s = scores.reserve(k * k)
        Scalar.gemm(transA: false, transB: true, m: k, n: k, k: embedding, alpha: 1,
                    a: gx, lda: embedding, b: hy, ldb: embedding, beta: 0, c: s, ldc: k)
        return gatherScores(s, k: k, pairs: pairs)
    }

    public func backward(_ d: [Scalar]) {
        backward(d, dX: nil, dY: nil)
    }

    /// dG = dS H and dH = dS^T G through each tower, which writes its input
    /// gradient (dX, dY) when asked.
    public func backward(_ d: [Scalar], dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?) {
        let k = self.k, e = embedding
        let ds = dScoreMatrix.reserve(k * k)
        scatterScores(d, k: k, pairs: lastPairs, into: ds)
        let dg = dG.reserve(k * e), dh = dH.reserve(k * e)
        let inputs = UncheckedBox((dX, dY))
        // Each tower's own product, beside it.
        parallelism.both({
            Scalar.gemm(transA: false, transB: false, m: k, n: e, k: k, alpha: 1,
                        a: ds, lda: k, b: self.h.output, ldb: e, beta: 0, c: dg, ldc: e)
            self.g.backward(dg, dInput: inputs.value.0)
        }, {
            Scalar.gemm(transA: true, transB: false, m: k, n: e, k: k, alpha: 1,
                        a: ds, lda: k, b: self.g.output, ldb: e, beta: 0, c: dh, ldc: e)
            self.h.backward(dh, dInput: inputs.value.1)
        })
    }

    public func flops(batch: Int, pairs: PairSet) -> Double {
        mlpFlops(g.sizes, rows: batch) + mlpFlops(h.sizes, rows: batch)
            + 3 * 2 * Double(batch * batch * embedding)
    }
}
