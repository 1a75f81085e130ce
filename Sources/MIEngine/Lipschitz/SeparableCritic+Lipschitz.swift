/// Input gradients of the separable critic f(x, y) = g(x)^T h(y):
///   ∇_x f = J_g(x)^T h(y),  ∇_y f = J_h(y)^T g(x),
/// and along a direction c = (cx, cy) the directional derivative
///   D = <ġ, h> + <g, ḣ>,  ġ = J_g(x) cx,  ḣ = J_h(y) cy,
/// so d D / dθ_g runs g's tangent backward with seeds (primal ḣ, tangent h),
/// and symmetrically for h; the same pass gives ∂D/∂x as g's input adjoint
/// (J_g^T ḣ plus the second-order term of <h, J_g(x) cx>).
///
/// With spectral normalisation each tower is 1-Lipschitz, but f is a
/// product of the two: ||∇_x f|| <= ||h(y)||, so f is only locally
/// Lipschitz, with a constant that grows with the embeddings' norms.
extension SeparableCritic: LipschitzCritic {
    public var dimX: Int { g.inputSize }
    public var dimY: Int { h.inputSize }

    public var weightMatrices: [WeightMatrix] {
        g.layers.map { WeightMatrix($0, store: 0) } + h.layers.map { WeightMatrix($0, store: 1) }
    }

    public func pointwiseForward(x: Matrix<Scalar>, y: Matrix<Scalar>) -> [Scalar] {
        precondition(x.cols == dimX && y.cols == dimY && x.rows == y.rows, "separable critic expects N x \(dimX), N x \(dimY)")
        let n = x.rows, e = embedding
        parallelism.both({ x.storage.withUnsafeBufferPointer { _ = self.g.forward($0.baseAddress!, rows: n) } },
                      { y.storage.withUnsafeBufferPointer { _ = self.h.forward($0.baseAddress!, rows: n) } })
        let gx = g.output, hy = h.output
        return (0..<n).map { RowKernels.dot(gx + $0 * e, hy + $0 * e, e) }
    }

    public func inputGradient() -> (x: Matrix<Scalar>, y: Matrix<Scalar>) {
        let n = g.rows
        var vx = Matrix<Scalar>(rows: n, cols: dimX), vy = Matrix<Scalar>(rows: n, cols: dimY)
        vx.storage.withUnsafeMutableBufferPointer { px in
            vy.storage.withUnsafeMutableBufferPointer { py in
                let dx = px.baseAddress!, dy = py.baseAddress!
                parallelism.both({ self.g.inputGradient(self.h.output, dInput: dx) },
                              { self.h.inputGradient(self.g.output, dInput: dy) })
            }
        }
        return (vx, vy)
    }

    public func directionalBackward(x cx: Matrix<Scalar>, y cy: Matrix<Scalar>,
                                    dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?) {
        precondition(cx.rows == g.rows && cy.rows == h.rows, "directions must match the last pointwise rows")
        parallelism.both({ cx.storage.withUnsafeBufferPointer { _ = self.g.tangentForward($0.baseAddress!) } },
                      { cy.storage.withUnsafeBufferPointer { _ = self.h.tangentForward($0.baseAddress!) } })
        // Each backward reads the other tower's output and tangent, which
        // neither backward writes.
        let gDot = g.tangentOutput, hDot = h.tangentOutput
        parallelism.both({ self.g.tangentBackward(dOut: hDot, dTangent: self.h.output, dInput: dX) },
                      { self.h.tangentBackward(dOut: gDot, dTangent: self.g.output, dInput: dY) })
    }
}
