/// A fully connected layer's place in a parameter store: the weight matrix
/// (inputs x outputs, row-major, so a forward pass is one `X W` product)
/// followed by the bias. The bias and activation are applied by the fused
/// passes in `Kernels`, not here.
public struct Dense: Sendable {
    public let inputs: Int
    public let outputs: Int
    public let weightOffset: Int
    public let biasOffset: Int

    public init(inputs: Int, outputs: Int, layout: inout ParameterLayout) {
        precondition(inputs > 0 && outputs > 0, "layer sizes must be positive")
        self.inputs = inputs
        self.outputs = outputs
        weightOffset = layout.reserve(inputs * outputs)
        biasOffset = layout.reserve(outputs)
    }

    public var parameterCount: Int { inputs * outputs + outputs }

    /// Glorot-uniform weights, zero bias (the Keras default the papers' code used).
    public func initialize<T: MIScalar>(_ store: ParameterStore<T>, rng: inout RNG) {
        glorotUniform(weight(store), fanIn: inputs, fanOut: outputs, rng: &rng)
        for k in 0..<outputs { store.values[biasOffset + k] = 0 }
    }

    @inline(__always)
    func weight<T>(_ s: ParameterStore<T>) -> UnsafeMutablePointer<T> { s.values.baseAddress! + weightOffset }
    @inline(__always)
    func bias<T>(_ s: ParameterStore<T>) -> UnsafeMutablePointer<T> { s.values.baseAddress! + biasOffset }
    @inline(__always)
    func weightGrad<T>(_ s: ParameterStore<T>) -> UnsafeMutablePointer<T> { s.grads.baseAddress! + weightOffset }
    @inline(__always)
    func biasGrad<T>(_ s: ParameterStore<T>) -> UnsafeMutablePointer<T> { s.grads.baseAddress! + biasOffset }

    /// out = in W (rows x outputs), overwriting `out`.
    func forward<T: MIScalar>(_ s: ParameterStore<T>, input: UnsafePointer<T>, rows: Int,
                              output: UnsafeMutablePointer<T>, parallelism: Parallelism) {
        ParallelGemm.gemm(transA: false, transB: false, m: rows, n: outputs, k: inputs,
                          alpha: 1, a: input, lda: inputs, b: weight(s), ldb: outputs,
                          beta: 0, c: output, ldc: outputs, parallelism: parallelism)
    }

    /// dW += in^T dOut; dIn = dOut W^T when `dInput` is given.
    func backward<T: MIScalar>(_ s: ParameterStore<T>, input: UnsafePointer<T>, rows: Int,
                               dOutput: UnsafePointer<T>, dInput: UnsafeMutablePointer<T>?,
                               parallelism: Parallelism) {
        ParallelGemm.gemm(transA: true, transB: false, m: inputs, n: outputs, k: rows,
                          alpha: 1, a: input, lda: inputs, b: dOutput, ldb: outputs,
                          beta: 1, c: weightGrad(s), ldc: outputs, parallelism: parallelism)
        if let dInput {
            ParallelGemm.gemm(transA: false, transB: true, m: rows, n: inputs, k: outputs,
                              alpha: 1, a: dOutput, lda: outputs, b: weight(s), ldb: outputs,
                              beta: 0, c: dInput, ldc: inputs, parallelism: parallelism)
        }
    }
}

/// Fills a fanIn x fanOut weight matrix from U(-l, l), l = sqrt(6 / (fanIn + fanOut))
/// (Glorot & Bengio 2010).
func glorotUniform<T: MIScalar>(_ w: UnsafeMutablePointer<T>, fanIn: Int, fanOut: Int, rng: inout RNG) {
    let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
    for k in 0..<(fanIn * fanOut) { w[k] = T((2 * rng.uniform() - 1) * limit) }
}
