/// The bilinear critic f(x, y) = x^T W y (001 sec. 3), and with W fixed to
/// the identity the inner-product critic f(x, y) = x^T y.
public final class BilinearCritic<Scalar: MIScalar>: Critic {
    public let dimX: Int, dimY: Int
    /// W (dimX x dimY, row-major); empty for the inner-product critic.
    public let store: ParameterStore<Scalar>
    public let isInner: Bool

    /// X W from the last forward pass (kept for the input gradient of y).
    private let xw = Scratch<Scalar>()
    private let sBuf = Scratch<Scalar>(), dS = Scratch<Scalar>(), dSY = Scratch<Scalar>()
    private var x = Matrix<Scalar>(rows: 0, cols: 0), y = Matrix<Scalar>(rows: 0, cols: 0)
    private var lastPairs = PairSet.all(0)
    /// Its two or three products are single BLAS calls on the calling
    /// thread whatever this says.
    public var parallelism: Parallelism = .allCores
    /// The rows of the last `pointwiseForward` (BilinearCritic+Lipschitz.swift).
    var pointwiseInputs = (x: Matrix<Scalar>(rows: 0, cols: 0), y: Matrix<Scalar>(rows: 0, cols: 0))

    /// A learned W, initialised with small Glorot-uniform entries.
    public init(dimX: Int, dimY: Int, rng: inout RNG) {
        self.dimX = dimX
        self.dimY = dimY
        isInner = false
        store = ParameterStore(count: dimX * dimY)
        glorotUniform(store.values.baseAddress!, fanIn: dimX, fanOut: dimY, rng: &rng)
    }

    /// The parameter-free inner product x^T y (dimX must equal dimY).
    public init(innerProductOf dim: Int) {
        dimX = dim
        dimY = dim
        isInner = true
        store = ParameterStore(count: 0)
    }

    public var name: String { isInner ? "inner" : "bilinear" }
    public var stores: [ParameterStore<Scalar>] { isInner ? [] : [store] }

    public func forward(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet) -> [Scalar] {
        precondition(x.cols == dimX && y.cols == dimY, "\(name) critic expects dims \(dimX), \(dimY)")
        self.x = x
        self.y = y
        lastPairs = pairs
        let k = x.rows
        let s = sBuf.reserve(k * k)
        x.storage.withUnsafeBufferPointer { xp in
            y.storage.withUnsafeBufferPointer { yp in
                var left = xp.baseAddress!
                if !isInner {
                    let t = xw.reserve(k * dimY)
                    Scalar.gemm(transA: false, transB: false, m: k, n: dimY, k: dimX, alpha: 1,
                                a: left, lda: dimX, b: store.values.baseAddress!, ldb: dimY,
                                beta: 0, c: t, ldc: dimY)
                    left = UnsafePointer(t)
                }
                Scalar.gemm(transA: false, transB: true, m: k, n: k, k: dimY, alpha: 1,
                            a: left, lda: dimY, b: yp.baseAddress!, ldb: dimY, beta: 0, c: s, ldc: k)
            }
        }
        return gatherScores(s, k: k, pairs: pairs)
    }

    /// x^T W y has no hidden layer to drop: dropout is a no-op here (it
    /// draws nothing from `rng`) and this is `forward(x:y:pairs:)`.
    public func forward(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet, dropout: Dropout,
                        rng: inout RNG) -> [Scalar] {
        forward(x: x, y: y, pairs: pairs)
    }

    public func backward(_ d: [Scalar]) {
        backward(d, dX: nil, dY: nil)
    }

    /// With S = X W Y^T and G = dL/dS (zeros off the pairs scored):
    /// dW = X^T G Y, dX = G Y W^T, dY = G^T X W (W = I for the inner product).
    public func backward(_ d: [Scalar], dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?) {
        if isInner && dX == nil && dY == nil { return }
        let k = x.rows
        let ds = dS.reserve(k * k)
        scatterScores(d, k: k, pairs: lastPairs, into: ds)
        x.storage.withUnsafeBufferPointer { xb in
            y.storage.withUnsafeBufferPointer { yb in
                let xp = xb.baseAddress!, yp = yb.baseAddress!
                if isInner {
                    if let dX {
                        Scalar.gemm(transA: false, transB: false, m: k, n: dimY, k: k, alpha: 1,
                                    a: ds, lda: k, b: yp, ldb: dimY, beta: 0, c: dX, ldc: dimY)
                    }
                    if let dY {
                        Scalar.gemm(transA: true, transB: false, m: k, n: dimX, k: k, alpha: 1,
                                    a: ds, lda: k, b: xp, ldb: dimX, beta: 0, c: dY, ldc: dimX)
                    }
                    return
                }
                // T = G Y (K x dimY), then dW += X^T T.
                let t = dSY.reserve(k * dimY)
                Scalar.gemm(transA: false, transB: false, m: k, n: dimY, k: k, alpha: 1,
                            a: ds, lda: k, b: yp, ldb: dimY, beta: 0, c: t, ldc: dimY)
                Scalar.gemm(transA: true, transB: false, m: dimX, n: dimY, k: k, alpha: 1,
                            a: xp, lda: dimX, b: t, ldb: dimY, beta: 1,
                            c: store.grads.baseAddress!, ldc: dimY)
                if let dX {
                    Scalar.gemm(transA: false, transB: true, m: k, n: dimX, k: dimY, alpha: 1,
                                a: t, lda: dimY, b: store.values.baseAddress!, ldb: dimY, beta: 0, c: dX, ldc: dimX)
                }
                if let dY {
                    Scalar.gemm(transA: true, transB: false, m: k, n: dimY, k: k, alpha: 1,
                                a: ds, lda: k, b: xw.pointer, ldb: dimY, beta: 0, c: dY, ldc: dimY)
                }
            }
        }
    }

    public func flops(batch: Int, pairs: PairSet) -> Double {
        let k = Double(batch)
        return 2 * (k * Double(dimX * dimY) + k * k * Double(dimY)) * (isInner ? 1 : 3)
    }
}
