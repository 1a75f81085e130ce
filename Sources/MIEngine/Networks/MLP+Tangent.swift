/// Double backpropagation through an MLP, for penalties on the input
/// gradient (Gulrajani et al. 2017; 000 sec. 4.1).
///
/// With a_0 = u, z_l = a_{l-1} W_l + b_l, a_l = act(z_l) and the linear
/// output z_L, the tangent along a direction c (forward mode, a JVP) is
///   ȧ_0 = c,  ż_l = ȧ_{l-1} W_l,  ȧ_l = act'(z_l) ż_l,
/// so ż_L = J_f(u) c. `tangentBackward` then runs reverse mode through the
/// primal and the tangent together. With adjoints Ā, Ǡ of a_l, ȧ_l:
///   Ż̄_l = act'(z_l) Ǡ_l,
///   Z̄_l = act'(z_l) Ā_l + act''(z_l) ż_l Ǡ_l,
///   dW_l += a_{l-1}^T Z̄_l + ȧ_{l-1}^T Ż̄_l,   db_l += sum_r Z̄_l,
///   [Ā_{l-1}; Ǡ_{l-1}] = [Z̄_l; Ż̄_l] W_l^T   (one product over 2N rows).
/// act' and act'' are read from the stored outputs a_l (`Activation`).
///
/// A gradient penalty needs d/dθ sum_r <c_r, ∇_u f(u_r)> with c held fixed:
/// that is `tangentForward(c)` then `tangentBackward(dOut: nil, dTangent: 1)`.
extension MLP {
    /// dIn = dOut J_f at the rows of the last `forward`, written to `dInput`
    /// (rows x inputSize). Parameter gradients are not touched.
    public func inputGradient(_ dOut: UnsafePointer<T>, dInput: UnsafeMutablePointer<T>) {
        precondition(!droppedAny, "tangent passes need a forward pass without dropout")
        let buffers = tangent, n = rows, widest = sizes.max()!
        var d = buffers.adjointA.reserve(2 * n * widest), next = buffers.adjointB.reserve(2 * n * widest)
        let last = layers.count - 1
        d.update(from: dOut, count: n * outputSize)
        for l in stride(from: last, through: 0, by: -1) {
            let layer = layers[l]
            if l < last {
                TangentKernels.multiplyDerivative(d, hiddenOutput(l), n * layer.outputs, activation)
            }
            let target = l == 0 ? dInput : next
            ParallelGemm.gemm(transA: false, transB: true, m: n, n: layer.inputs, k: layer.outputs,
                              alpha: 1, a: d, lda: layer.outputs, b: layer.weight(store), ldb: layer.outputs,
                              beta: 0, c: target, ldc: layer.inputs, parallelism: parallelism)
            swap(&d, &next)
        }
    }

    /// The tangent ż_L = J_f(u) c (rows x outputSize) along `c` (rows x
    /// inputSize) at the rows of the last `forward`; valid until the next call.
    @discardableResult
    public func tangentForward(_ c: UnsafePointer<T>) -> UnsafePointer<T> {
        precondition(!droppedAny, "tangent passes need a forward pass without dropout")
        let buffers = tangent, n = rows, last = layers.count - 1
        let input = buffers.input.reserve(n * inputSize)
        input.update(from: c, count: n * inputSize)
        var current = UnsafePointer(input)
        for (l, layer) in layers.enumerated() {
            let zDot = buffers.preActivations[l].reserve(n * layer.outputs)
            ParallelGemm.gemm(transA: false, transB: false, m: n, n: layer.outputs, k: layer.inputs,
                              alpha: 1, a: current, lda: layer.inputs, b: layer.weight(store), ldb: layer.outputs,
                              beta: 0, c: zDot, ldc: layer.outputs, parallelism: parallelism)
            if l < last {
                let aDot = buffers.activations[l].reserve(n * layer.outputs)
                TangentKernels.tangentActivate(aDot, zDot, hiddenOutput(l), n * layer.outputs, activation)
                current = UnsafePointer(aDot)
            }
        }
        return tangentOutput
    }

    /// The output of the last `tangentForward`.
    public var tangentOutput: UnsafePointer<T> { UnsafePointer(tangent.preActivations[layers.count - 1].pointer) }

    /// Accumulates into `store.grads` the parameter gradient of
    /// sum_r <dOut_r, z_L,r> + <dTangent_r, ż_L,r>, at the rows of the last
    /// `forward` and `tangentForward` (`dOut` nil means zero). The direction
    /// c is held fixed. When `dInput` is given, the gradient of the same sum
    /// with respect to the input u (c fixed) is written there (rows x
    /// inputSize): Ā_0 = Z̄_1 W_1^T, for a network inside another one's
    /// double backpropagation (a critic on learned features).
    public func tangentBackward(dOut: UnsafePointer<T>?, dTangent: UnsafePointer<T>,
                                dInput: UnsafeMutablePointer<T>? = nil) {
        precondition(!droppedAny, "tangent passes need a forward pass without dropout")
        let buffers = tangent, n = rows, widest = sizes.max()!, last = layers.count - 1
        // Rows 0..<n hold the primal adjoint, rows n..<2n the tangent adjoint.
        var cur = buffers.adjointA.reserve(2 * n * widest), next = buffers.adjointB.reserve(2 * n * widest)
        let m = n * outputSize
        if let dOut { cur.update(from: dOut, count: m) } else { cur.initialize(repeating: 0, count: m) }
        (cur + m).update(from: dTangent, count: m)
        for l in stride(from: last, through: 0, by: -1) {
            let layer = layers[l], width = layer.outputs
            if l < last {
                TangentKernels.activationAdjoint(cur, cur + n * width, hiddenOutput(l),
                                                 buffers.preActivations[l].pointer, n * width, activation)
            }
            Kernels.columnSums(cur, rows: n, cols: width, into: layer.biasGrad(store))
            let primalIn = l == 0 ? input : hiddenOutput(l - 1)
            let tangentIn = l == 0 ? buffers.input.pointer : buffers.activations[l - 1].pointer
            ParallelGemm.gemm(transA: true, transB: false, m: layer.inputs, n: width, k: n,
                              alpha: 1, a: primalIn, lda: layer.inputs, b: cur, ldb: width,
                              beta: 1, c: layer.weightGrad(store), ldc: width, parallelism: parallelism)
            ParallelGemm.gemm(transA: true, transB: false, m: layer.inputs, n: width, k: n,
                              alpha: 1, a: tangentIn, lda: layer.inputs, b: cur + n * width, ldb: width,
                              beta: 1, c: layer.weightGrad(store), ldc: width, parallelism: parallelism)
            if l > 0 {
                ParallelGemm.gemm(transA: false, transB: true, m: 2 * n, n: layer.inputs, k: width,
                                  alpha: 1, a: cur, lda: width, b: layer.weight(store), ldb: width,
                                  beta: 0, c: next, ldc: layer.inputs, parallelism: parallelism)
                swap(&cur, &next)
            } else if let dInput {
                ParallelGemm.gemm(transA: false, transB: true, m: n, n: layer.inputs, k: width,
                                  alpha: 1, a: cur, lda: width, b: layer.weight(store), ldb: width,
                                  beta: 0, c: dInput, ldc: layer.inputs, parallelism: parallelism)
            }
        }
    }

    /// Convenience: the input gradient for `dOut` given as a matrix.
    public func inputGradient(_ dOut: Matrix<T>) -> Matrix<T> {
        precondition(dOut.rows == rows && dOut.cols == outputSize, "dOut must be \(rows) x \(outputSize)")
        var dIn = Matrix<T>(rows: rows, cols: inputSize)
        dOut.storage.withUnsafeBufferPointer { d in
            dIn.storage.withUnsafeMutableBufferPointer { inputGradient(d.baseAddress!, dInput: $0.baseAddress!) }
        }
        return dIn
    }

    /// Convenience: the tangent along `c` given as a matrix.
    public func tangentForward(_ c: Matrix<T>) -> Matrix<T> {
        precondition(c.rows == rows && c.cols == inputSize, "c must be \(rows) x \(inputSize)")
        let out = c.storage.withUnsafeBufferPointer { tangentForward($0.baseAddress!) }
        return Matrix(rows: rows, cols: outputSize, storage: Array(UnsafeBufferPointer(start: out, count: rows * outputSize)))
    }
}

/// Buffers of the tangent passes, kept across steps like the MLP's own.
final class TangentBuffers<T: MIScalar> {
    /// The direction c (rows x input).
    let input = Scratch<T>()
    /// ż_l per layer (the last is the tangent output).
    let preActivations: [Scratch<T>]
    /// ȧ_l per hidden layer.
    let activations: [Scratch<T>]
    /// Stacked adjoints [primal; tangent] (2 rows x widest), used in turn.
    let adjointA = Scratch<T>(), adjointB = Scratch<T>()

    init(layers: Int) {
        preActivations = (0..<layers).map { _ in Scratch<T>() }
        activations = (0..<layers).map { _ in Scratch<T>() }
    }
}

/// Elementwise loops of the tangent passes over plain pointers and counts,
/// so the optimiser vectorises them (see `RowKernels`).
enum TangentKernels {
    /// d[i] *= act'(a[i]).
    @inline(__always)
    static func multiplyDerivative<T: MIScalar>(_ d: UnsafeMutablePointer<T>, _ a: UnsafePointer<T>, _ n: Int,
                                                _ act: Activation) {
        for i in 0..<n { d[i] *= act.derivative(output: a[i]) }
    }

    /// aDot[i] = act'(a[i]) zDot[i].
    @inline(__always)
    static func tangentActivate<T: MIScalar>(_ aDot: UnsafeMutablePointer<T>, _ zDot: UnsafePointer<T>,
                                             _ a: UnsafePointer<T>, _ n: Int, _ act: Activation) {
        for i in 0..<n { aDot[i] = act.derivative(output: a[i]) * zDot[i] }
    }

    /// In place, from the adjoints of (a, ȧ) to those of (z, ż):
    /// primal <- act' primal + act'' ż tangent; tangent <- act' tangent.
    @inline(__always)
    static func activationAdjoint<T: MIScalar>(_ primal: UnsafeMutablePointer<T>, _ tangent: UnsafeMutablePointer<T>,
                                               _ a: UnsafePointer<T>, _ zDot: UnsafePointer<T>, _ n: Int,
                                               _ act: Activation) {
        for i in 0..<n {
            let d1 = act.derivative(output: a[i]), d2 = act.secondDerivative(output: a[i])
            let t = tangent[i]
            primal[i] = d1 * primal[i] + d2 * zDot[i] * t
            tangent[i] = d1 * t
        }
    }
}
