/// Input gradients of the concat critic f(u) = MLP(u), u = [x; y].
///
/// A penalty looks at N matched rows, not the K^2 pairs the factorised,
/// block-fused passes are built for, so these run the plain MLP view of the
/// critic's own store (`pointwise`) on explicit rows [x_r, y_r]: its
/// parameter gradients land in the critic's store. With every weight matrix
/// spectrally normalised and 1-Lipschitz activations (relu, elu, tanh) f is
/// 1-Lipschitz in u (Miyato et al. 2018, sec. 2.1).
extension ConcatCritic: LipschitzCritic {
    public var weightMatrices: [WeightMatrix] {
        ([first] + middle + [last]).map { WeightMatrix($0, store: 0) }
    }

    public func pointwiseForward(x: Matrix<Scalar>, y: Matrix<Scalar>) -> [Scalar] {
        precondition(x.cols == dimX && y.cols == dimY, "concat critic expects dims \(dimX), \(dimY)")
        let u = joinColumns(x, y)
        let out = u.withUnsafeBufferPointer { pointwise.forward($0.baseAddress!, rows: x.rows) }
        return Array(UnsafeBufferPointer(start: out, count: x.rows))
    }

    public func inputGradient() -> (x: Matrix<Scalar>, y: Matrix<Scalar>) {
        let n = pointwise.rows
        let ones = [Scalar](repeating: 1, count: n)
        var v = [Scalar](repeating: 0, count: n * (dimX + dimY))
        ones.withUnsafeBufferPointer { d in
            v.withUnsafeMutableBufferPointer { pointwise.inputGradient(d.baseAddress!, dInput: $0.baseAddress!) }
        }
        return v.withUnsafeBufferPointer { splitColumns($0.baseAddress!, rows: n, dimX: dimX, dimY: dimY) }
    }

    public func directionalBackward(x cx: Matrix<Scalar>, y cy: Matrix<Scalar>,
                                    dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?) {
        let n = pointwise.rows
        precondition(cx.rows == n && cy.rows == n, "directions must match the last pointwise rows")
        let c = joinColumns(cx, cy)
        let ones = [Scalar](repeating: 1, count: n)
        c.withUnsafeBufferPointer { _ = pointwise.tangentForward($0.baseAddress!) }
        guard dX != nil || dY != nil else {
            ones.withUnsafeBufferPointer { pointwise.tangentBackward(dOut: nil, dTangent: $0.baseAddress!) }
            return
        }
        // ∂D/∂u for u = [x, y], split into its x and y columns.
        var du = [Scalar](repeating: 0, count: n * (dimX + dimY))
        ones.withUnsafeBufferPointer { o in
            du.withUnsafeMutableBufferPointer { pointwise.tangentBackward(dOut: nil, dTangent: o.baseAddress!, dInput: $0.baseAddress!) }
        }
        let (ux, uy) = du.withUnsafeBufferPointer { splitColumns($0.baseAddress!, rows: n, dimX: dimX, dimY: dimY) }
        if let dX { ux.storage.withUnsafeBufferPointer { dX.update(from: $0.baseAddress!, count: $0.count) } }
        if let dY { uy.storage.withUnsafeBufferPointer { dY.update(from: $0.baseAddress!, count: $0.count) } }
    }
}
