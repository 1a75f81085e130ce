/// Input gradients of the bilinear critic f(x, y) = x^T W y in closed form:
///   ∇_x f = W y,  ∇_y f = W^T x,
/// and for a direction c = (cx, cy) the directional derivative
/// D = cx^T W y + x^T W cy, so d D / dW = cx y^T + x cy^T, and
/// ∂D/∂x = W cy, ∂D/∂y = W^T cx (f is bilinear: its Hessian swaps the halves).
/// For the inner-product critic W = I and nothing is learned.
///
/// Spectral normalisation bounds sigma(W) by 1, so ||∇_x f|| <= ||y|| and
/// ||∇_y f|| <= ||x||: f is Lipschitz only on bounded inputs.
extension BilinearCritic: LipschitzCritic {
    public var weightMatrices: [WeightMatrix] {
        isInner ? [] : [WeightMatrix(store: 0, offset: 0, rows: dimX, cols: dimY)]
    }

    public func pointwiseForward(x: Matrix<Scalar>, y: Matrix<Scalar>) -> [Scalar] {
        precondition(x.cols == dimX && y.cols == dimY && x.rows == y.rows, "\(name) critic expects N x \(dimX), N x \(dimY)")
        pointwiseInputs = (x, y)
        let xw = isInner ? x : times(x, transposeW: false)
        return (0..<x.rows).map { r in
            xw.storage.withUnsafeBufferPointer { a in
                y.storage.withUnsafeBufferPointer { b in RowKernels.dot(a.baseAddress! + r * dimY, b.baseAddress! + r * dimY, dimY) }
            }
        }
    }

    public func inputGradient() -> (x: Matrix<Scalar>, y: Matrix<Scalar>) {
        let (x, y) = pointwiseInputs
        if isInner { return (y, x) }
        return (times(y, transposeW: true), times(x, transposeW: false))
    }

    public func directionalBackward(x cx: Matrix<Scalar>, y cy: Matrix<Scalar>,
                                    dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?) {
        let (x, y) = pointwiseInputs
        precondition(cx.rows == x.rows && cy.rows == y.rows, "directions must match the last pointwise rows")
        // Row r of ∂D/∂x is (W cy_r)^T = cy_r^T W^T; of ∂D/∂y, cx_r^T W.
        if let dX { copy(isInner ? cy : times(cy, transposeW: true), to: dX) }
        if let dY { copy(isInner ? cx : times(cx, transposeW: false), to: dY) }
        if isInner { return }
        let n = x.rows, dw = store.grads.baseAddress!
        // dW += Cx^T Y + X^T Cy.
        for (a, b) in [(cx, y), (x, cy)] {
            a.storage.withUnsafeBufferPointer { ap in
                b.storage.withUnsafeBufferPointer { bp in
                    Scalar.gemm(transA: true, transB: false, m: dimX, n: dimY, k: n, alpha: 1,
                                a: ap.baseAddress!, lda: dimX, b: bp.baseAddress!, ldb: dimY,
                                beta: 1, c: dw, ldc: dimY)
                }
            }
        }
    }

    private func copy(_ m: Matrix<Scalar>, to p: UnsafeMutablePointer<Scalar>) {
        m.storage.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// X W (N x dimY), or Y W^T (N x dimX) when `transposeW`.
    private func times(_ m: Matrix<Scalar>, transposeW: Bool) -> Matrix<Scalar> {
        let outCols = transposeW ? dimX : dimY
        var out = Matrix<Scalar>(rows: m.rows, cols: outCols)
        m.storage.withUnsafeBufferPointer { a in
            out.storage.withUnsafeMutableBufferPointer { c in
                Scalar.gemm(transA: false, transB: transposeW, m: m.rows, n: outCols, k: m.cols, alpha: 1,
                            a: a.baseAddress!, lda: m.cols, b: store.values.baseAddress!, ldb: dimY,
                            beta: 0, c: c.baseAddress!, ldc: outCols)
            }
        }
        return out
    }
}
