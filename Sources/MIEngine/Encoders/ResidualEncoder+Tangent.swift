/// Double backpropagation through the residual encoder, for a gradient
/// penalty through it (`TangentEncoder`; the algebra of MLP+Tangent.swift
/// with a skip connection around every block).
///
/// Block l maps h_l to h_{l+1} = h_l + a_l, a_l = act(z_l), z_l = h_l W_l + b_l
/// (a_l = z_l in the linear block). Along a direction c the tangent is
///   ḣ_0 = c,  ż_l = ḣ_l W_l,  ȧ_l = act'(z_l) ż_l,  ḣ_{l+1} = ḣ_l + ȧ_l.
/// Reverse mode through primal and tangent together, with adjoints H̄_l, Ḣ̄_l
/// of h_l, ḣ_l (the skip passes both through unchanged):
///   Ż̄_l = act'(z_l) Ḣ̄_{l+1},  Z̄_l = act'(z_l) H̄_{l+1} + act''(z_l) ż_l Ḣ̄_{l+1},
///   dW_l += h_l^T Z̄_l + ḣ_l^T Ż̄_l,  db_l += sum_r Z̄_l,
///   [H̄_l; Ḣ̄_l] = [H̄_{l+1}; Ḣ̄_{l+1}] + [Z̄_l; Ż̄_l] W_l^T   (one product over 2N rows).
/// act' and act'' are read from the stored a_l (`Activation`).
extension ResidualEncoder: TangentEncoder {
    /// dIn = dOut J_g at the rows of the last `forward`: the adjoint of h
    /// runs back through each block as dh += (dh act'(a_l)) W_l^T.
    /// Parameter gradients are not touched.
    public func inputGradient(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>) {
        let n = rows * width, buffers = tangent
        let dz = buffers.adjointZ.reserve(n)
        dInput.update(from: dOut, count: n)
        for l in stride(from: blocks.count - 1, through: 0, by: -1) {
            dz.update(from: dInput, count: n)
            if isNonlinear(l) { TangentKernels.multiplyDerivative(dz, activations[l].pointer, n, activation) }
            ParallelGemm.gemm(transA: false, transB: true, m: rows, n: width, k: width, alpha: 1,
                              a: dz, lda: width, b: blocks[l].weight(store), ldb: width,
                              beta: 1, c: dInput, ldc: width, parallelism: parallelism)
        }
    }

    /// ḣ_L = J_g(x) c (rows x width) at the rows of the last `forward`; valid until the next call.
    public func tangentForward(_ c: UnsafePointer<Scalar>) -> UnsafePointer<Scalar> {
        let n = rows * width, buffers = tangent
        var h = buffers.states[0].reserve(n)
        h.update(from: c, count: n)
        for (l, block) in blocks.enumerated() {
            let zDot = buffers.preActivations[l].reserve(n)
            ParallelGemm.gemm(transA: false, transB: false, m: rows, n: width, k: width, alpha: 1,
                              a: h, lda: width, b: block.weight(store), ldb: width,
                              beta: 0, c: zDot, ldc: width, parallelism: parallelism)
            let next = buffers.states[l + 1].reserve(n)
            if isNonlinear(l) {
                TangentKernels.tangentActivate(next, zDot, activations[l].pointer, n, activation)
                for i in 0..<n { next[i] += h[i] }
            } else {
                for i in 0..<n { next[i] = h[i] + zDot[i] }
            }
            h = next
        }
        return UnsafePointer(h)
    }

    /// Accumulates into `store.grads` the parameter gradient of
    /// sum_r <dOut_r, h_L,r> + <dTangent_r, ḣ_L,r>, c held fixed.
    public func tangentBackward(dOut: UnsafePointer<Scalar>, dTangent: UnsafePointer<Scalar>) {
        let n = rows * width, buffers = tangent
        // Rows 0..<rows hold the adjoint of h, rows..<2 rows that of ḣ; the same for z.
        let hBar = buffers.adjointH.reserve(2 * n), zBar = buffers.adjointZ.reserve(2 * n)
        hBar.update(from: dOut, count: n)
        (hBar + n).update(from: dTangent, count: n)
        for l in stride(from: blocks.count - 1, through: 0, by: -1) {
            let block = blocks[l]
            zBar.update(from: hBar, count: 2 * n)
            if isNonlinear(l) {
                TangentKernels.activationAdjoint(zBar, zBar + n, activations[l].pointer,
                                                 buffers.preActivations[l].pointer, n, activation)
            }
            Kernels.columnSums(zBar, rows: rows, cols: width, into: block.biasGrad(store))
            ParallelGemm.gemm(transA: true, transB: false, m: width, n: width, k: rows, alpha: 1,
                              a: states[l].pointer, lda: width, b: zBar, ldb: width,
                              beta: 1, c: block.weightGrad(store), ldc: width, parallelism: parallelism)
            ParallelGemm.gemm(transA: true, transB: false, m: width, n: width, k: rows, alpha: 1,
                              a: buffers.states[l].pointer, lda: width, b: zBar + n, ldb: width,
                              beta: 1, c: block.weightGrad(store), ldc: width, parallelism: parallelism)
            if l > 0 {
                ParallelGemm.gemm(transA: false, transB: true, m: 2 * rows, n: width, k: width, alpha: 1,
                                  a: zBar, lda: width, b: block.weight(store), ldb: width,
                                  beta: 1, c: hBar, ldc: width, parallelism: parallelism)
            }
        }
    }
}

/// Buffers of the residual encoder's tangent passes, kept across steps.
final class ResidualTangentBuffers<T: MIScalar> {
    /// ḣ_0 (the direction) ... ḣ_L.
    let states: [Scratch<T>]
    /// ż_l per block.
    let preActivations: [Scratch<T>]
    /// Stacked adjoints [primal; tangent] of h and of z (2 rows x width each).
    let adjointH = Scratch<T>(), adjointZ = Scratch<T>()

    init(blocks: Int) {
        states = (0...blocks).map { _ in Scratch<T>() }
        preActivations = (0..<blocks).map { _ in Scratch<T>() }
    }

    /// Values per row these hold for `blocks` blocks of `width`.
    static func perRow(blocks: Int, width: Int) -> Int { (2 * blocks + 1 + 4) * width }
}
