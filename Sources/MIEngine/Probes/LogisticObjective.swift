/// The objective of multinomial logistic regression with an L2 penalty on
/// the weights (not the intercept), as scikit-learn's `LogisticRegression`
/// (lbfgs) minimises it: with theta = (W, b), W features x classes,
///
///     F(theta) = (1/n) sum_i CE(x_i W + b, y_i) + ||W||^2 / (2 C n)
///
/// which is C sum_i CE + ||W||^2 / 2 divided by C n. The division changes
/// neither the minimiser nor the L-BFGS iterates, only the units of the
/// stopping tests, which are then scikit-learn's.
///
/// One evaluation reads the features once: rows go in fixed chunks, and
/// within a chunk in sub-blocks small enough to stay in the core's L2
/// cache between the two products that use them, logits = X_b W and
/// dW += X_b^T (softmax - onehot). Chunks run on all cores when allowed;
/// each writes its own partial gradient (summed over its sub-blocks in the
/// working precision, as a product sums its inner dimension), and the
/// partials are added in Double in chunk order. The chunks depend only on
/// the shape, so the result is the same bits on any number of cores.
final class LogisticObjective<T: MIScalar> {
    let features: Matrix<T>
    let labels: [Int]
    let classes: Int
    let c: Double
    let parallelism: Parallelism
    /// Rows per sub-block and per chunk (a whole number of sub-blocks).
    let blockRows: Int, chunkRows: Int
    let chunks: Int

    /// Per chunk: its partial dW (features x classes, T), its residuals'
    /// column sums (d/db).
    private let partialW: UnsafeMutablePointer<T>
    private let partialB: UnsafeMutablePointer<Double>
    /// Per chunk, one sub-block of logits.
    private let logits: UnsafeMutablePointer<T>
    /// The weights and intercept of the current evaluation, in T.
    private let weights: UnsafeMutablePointer<T>
    private let intercept: UnsafeMutablePointer<T>

    /// Sub-blocks of at most this many bytes of features.
    static var blockBytes: Int { 256 * 1024 }
    static var blocksPerChunk: Int { 4 }

    /// `blockRows` overrides the sub-block size (tests use small ones to
    /// exercise many chunks on small data).
    init(features: Matrix<T>, labels: [Int], classes: Int, c: Double, parallelism: Parallelism,
         blockRows: Int? = nil) {
        precondition(features.rows == labels.count && features.rows > 0 && classes >= 2, "checked by the probe")
        self.features = features
        self.labels = labels
        self.classes = classes
        self.c = c
        self.parallelism = parallelism
        let d = features.cols
        let block = blockRows ?? Swift.min(Swift.max(Self.blockBytes / (Swift.max(d, 1) * MemoryLayout<T>.stride), 16), 1024)
        self.blockRows = block
        chunkRows = block * Self.blocksPerChunk
        chunks = (features.rows + chunkRows - 1) / chunkRows
        partialW = .allocate(capacity: chunks * d * classes)
        partialB = .allocate(capacity: chunks * classes)
        logits = .allocate(capacity: chunks * block * classes)
        weights = .allocate(capacity: Swift.max(d * classes, 1))
        intercept = .allocate(capacity: classes)
    }

    deinit {
        partialW.deallocate()
        partialB.deallocate()
        logits.deallocate()
        weights.deallocate()
        intercept.deallocate()
    }

    var featureCount: Int { features.cols }
    /// Entries of theta: the weights (row-major, features x classes), then the intercept.
    var parameterCount: Int { features.cols * classes + classes }

    /// F(theta); writes dF/dtheta into `gradient`.
    func evaluate(_ theta: [Double], gradient: inout [Double]) -> Double {
        let d = features.cols, k = classes, n = features.rows
        precondition(theta.count == parameterCount && gradient.count == parameterCount, "parameter count")
        for i in 0..<(d * k) { weights[i] = T(theta[i]) }
        for j in 0..<k { intercept[j] = T(theta[d * k + j]) }

        let pw = SharedPointer(partialW), pb = SharedPointer(partialB), pz = SharedPointer(logits)
        let losses = UnsafeMutableBufferPointer<Double>.allocate(capacity: chunks)
        defer { losses.deallocate() }
        let pl = SharedPointer(losses.baseAddress!)
        features.storage.withUnsafeBufferPointer { xBuffer in
            labels.withUnsafeBufferPointer { yBuffer in
                let x = SharedPointer(UnsafeMutablePointer(mutating: xBuffer.baseAddress!))
                let y = SharedPointer(UnsafeMutablePointer(mutating: yBuffer.baseAddress!))
                parallelism.forEach(chunks) { chunk in
                    let dW = pw.base + chunk * d * k, dB = pb.base + chunk * k, z = pz.base + chunk * blockRows * k
                    for j in 0..<k { dB[j] = 0 }
                    var loss = 0.0
                    let start = chunk * chunkRows, end = Swift.min(start + chunkRows, n)
                    var first = true
                    for row in stride(from: start, to: end, by: blockRows) {
                        let rows = Swift.min(blockRows, end - row)
                        let xb = UnsafePointer(x.base + row * d)
                        T.gemm(transA: false, transB: false, m: rows, n: k, k: d, alpha: 1, a: xb, lda: d,
                               b: weights, ldb: k, beta: 0, c: z, ldc: k)
                        for r in 0..<rows { RowKernels.addTo(z + r * k, intercept, k) }
                        loss += SoftmaxRows.lossAndResidual(z, rows: rows, classes: k, labels: y.base + row,
                                                            columnSums: dB)
                        T.gemm(transA: true, transB: false, m: d, n: k, k: rows, alpha: 1, a: xb, lda: d,
                               b: z, ldb: k, beta: first ? 0 : 1, c: dW, ldc: k)
                        first = false
                    }
                    pl.base[chunk] = loss
                }
            }
        }

        // Partials in chunk order, in Double.
        for i in 0..<parameterCount { gradient[i] = 0 }
        var loss = 0.0
        for chunk in 0..<chunks {
            loss += losses[chunk]
            let dW = partialW + chunk * d * k, dB = partialB + chunk * k
            for i in 0..<(d * k) { gradient[i] += Double(dW[i]) }
            for j in 0..<k { gradient[d * k + j] += dB[j] }
        }
        let scale = 1 / Double(n), penalty = 1 / (c * Double(n))
        var squares = 0.0
        for i in 0..<(d * k) {
            squares += theta[i] * theta[i]
            gradient[i] = gradient[i] * scale + penalty * theta[i]
        }
        for j in 0..<k { gradient[d * k + j] *= scale }
        return loss * scale + 0.5 * penalty * squares
    }

    /// F in the brief's units: C sum_i CE + ||W||^2 / 2.
    func unscaled(_ value: Double) -> Double { value * c * Double(features.rows) }
}
