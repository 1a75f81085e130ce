/// A multilayer perceptron: dense layers with a nonlinearity between them
/// and a linear output layer, over its own parameter store.
///
/// `forward` keeps each layer's output for `backward` (llm.c style:
/// `layer_forward` / `layer_backward` over flat buffers reused across steps).
/// `forward(_:rows:dropout:rng:)` drops hidden units while training
/// (`Dropout`); `backward` then follows the masks that pass drew.
public final class MLP<T: MIScalar> {
    public let sizes: [Int]
    public let activation: Activation
    public let layers: [Dense]
    public let store: ParameterStore<T>

    private let inputBuffer = Scratch<T>()
    private let outputs: [Scratch<T>]
    private let gradA = Scratch<T>(), gradB = Scratch<T>()
    /// Per hidden layer, the Jacobian s act' of the last dropout pass
    /// (DropoutKernels.swift).
    private let jacobians: [Scratch<T>]
    /// Whether each hidden layer was dropped in the last `forward`.
    private var dropped: [Bool]
    /// Whether any was (so the plain pass resets `dropped` only when needed).
    private(set) var droppedAny = false
    public private(set) var rows = 0
    /// Whether the layers' products and row passes may use every core
    /// (the result is the same either way).
    public var parallelism: Parallelism
    /// Buffers of the tangent passes (MLP+Tangent.swift), made on first use.
    lazy var tangent = TangentBuffers<T>(layers: layers.count)

    /// `sizes` = [input, hidden..., output]; weights drawn from `rng`.
    public convenience init(sizes: [Int], activation: Activation, parallelism: Parallelism = .allCores,
                            rng: inout RNG) {
        self.init(sizes: sizes, activation: activation, store: nil, parallelism: parallelism)
        for layer in layers { layer.initialize(store, rng: &rng) }
    }

    /// A network over an existing store whose layout is that of an MLP of
    /// `sizes` (e.g. the concat critic's), so both read the same weights and
    /// accumulate into the same gradients.
    public convenience init(sizes: [Int], activation: Activation, sharing store: ParameterStore<T>,
                            parallelism: Parallelism = .allCores) {
        self.init(sizes: sizes, activation: activation, store: store, parallelism: parallelism)
    }

    private init(sizes: [Int], activation: Activation, store shared: ParameterStore<T>?, parallelism: Parallelism) {
        self.parallelism = parallelism
        precondition(sizes.count >= 2, "an MLP needs an input and an output size")
        self.sizes = sizes
        self.activation = activation
        var layout = ParameterLayout()
        layers = (0..<(sizes.count - 1)).map { Dense(inputs: sizes[$0], outputs: sizes[$0 + 1], layout: &layout) }
        if let shared {
            precondition(shared.count == layout.count,
                         "store has \(shared.count) parameters, an MLP of \(sizes) needs \(layout.count)")
        }
        store = shared ?? ParameterStore(count: layout.count)
        outputs = layers.map { _ in Scratch<T>() }
        jacobians = layers.dropLast().map { _ in Scratch<T>() }
        dropped = [Bool](repeating: false, count: layers.count - 1)
    }

    public var inputSize: Int { sizes[0] }
    public var outputSize: Int { sizes[sizes.count - 1] }
    /// The number of hidden layers (the ones dropout applies to).
    public var hiddenLayers: Int { layers.count - 1 }

    /// Runs the network on `rows` inputs; the result stays valid until the next call.
    @discardableResult
    public func forward(_ x: UnsafePointer<T>, rows: Int) -> UnsafePointer<T> {
        if droppedAny {
            for l in dropped.indices { dropped[l] = false }
            droppedAny = false
        }
        return run(x, rows: rows, masks: [], seeds: [])
    }

    /// Runs the network on `rows` inputs with dropout on the hidden
    /// activations (a training pass): each hidden layer with a nonzero rate
    /// takes one number from `rng` as the seed of its masks. With no
    /// nonzero rate this is the plain `forward` and draws nothing.
    @discardableResult
    public func forward(_ x: UnsafePointer<T>, rows: Int, dropout: Dropout, rng: inout RNG) -> UnsafePointer<T> {
        guard dropout.isActive && hiddenLayers > 0 else { return forward(x, rows: rows) }
        let masks: [DropoutMask<T>?] = dropout.masks(hiddenLayers: hiddenLayers)
        let seeds = masks.map { $0 == nil ? 0 : rng.next() }
        for l in dropped.indices { dropped[l] = masks[l] != nil }
        droppedAny = true
        return run(x, rows: rows, masks: masks, seeds: seeds)
    }

    /// The forward pass; `masks` is empty or holds one entry per hidden layer.
    private func run(_ x: UnsafePointer<T>, rows: Int, masks: [DropoutMask<T>?], seeds: [UInt64]) -> UnsafePointer<T> {
        self.rows = rows
        let input = inputBuffer.reserve(rows * inputSize)
        input.update(from: x, count: rows * inputSize)
        var current = UnsafePointer(input)
        for (l, layer) in layers.enumerated() {
            let out = outputs[l].reserve(rows * layer.outputs)
            layer.forward(store, input: current, rows: rows, output: out, parallelism: parallelism)
            let isLast = l == layers.count - 1
            if isLast {
                addBias(out, rows: rows, cols: layer.outputs, bias: layer.bias(store))
            } else if !masks.isEmpty, let mask = masks[l] {
                Kernels.addBiasActivateDropout(out, rows: rows, cols: layer.outputs, bias: layer.bias(store),
                                               activation: activation, mask: mask, seed: seeds[l],
                                               jacobian: jacobians[l].reserve(rows * layer.outputs),
                                               parallelism: parallelism)
            } else {
                Kernels.addBiasActivate(out, rows: rows, cols: layer.outputs, bias: layer.bias(store),
                                        activation: activation, parallelism: parallelism)
            }
            current = UnsafePointer(out)
        }
        return current
    }

    /// Convenience: forward on a matrix.
    public func forward(_ x: Matrix<T>) -> Matrix<T> {
        precondition(x.cols == inputSize, "MLP expects \(inputSize) inputs, got \(x.cols)")
        let out = x.storage.withUnsafeBufferPointer { forward($0.baseAddress!, rows: x.rows) }
        return Matrix(rows: x.rows, cols: outputSize, storage: Array(UnsafeBufferPointer(start: out, count: x.rows * outputSize)))
    }

    /// Convenience: forward on a matrix with dropout.
    public func forward(_ x: Matrix<T>, dropout: Dropout, rng: inout RNG) -> Matrix<T> {
        precondition(x.cols == inputSize, "MLP expects \(inputSize) inputs, got \(x.cols)")
        let out = x.storage.withUnsafeBufferPointer { forward($0.baseAddress!, rows: x.rows, dropout: dropout, rng: &rng) }
        return Matrix(rows: x.rows, cols: outputSize, storage: Array(UnsafeBufferPointer(start: out, count: x.rows * outputSize)))
    }

    /// The output of the last `forward`.
    public var output: UnsafePointer<T> { UnsafePointer(outputs[layers.count - 1].pointer) }

    /// The activations of hidden layer `l` from the last `forward`: what
    /// layer l+1 read (after dropout, when that pass dropped units).
    func hiddenOutput(_ l: Int) -> UnsafePointer<T> { UnsafePointer(outputs[l].pointer) }
    var input: UnsafePointer<T> { UnsafePointer(inputBuffer.pointer) }

    /// Backpropagates `dOut` (rows x output) from the last `forward`:
    /// parameter gradients accumulate into `store.grads`; the input gradient
    /// is written to `dInput` when given. After a dropout pass this is the
    /// exact gradient of the network with that pass's masks held fixed.
    public func backward(_ dOut: UnsafePointer<T>, dInput: UnsafeMutablePointer<T>? = nil) {
        let widest = sizes.max()!
        var dCurrent = gradA.reserve(rows * widest)
        var dNext = gradB.reserve(rows * widest)
        let last = layers.count - 1
        dCurrent.update(from: dOut, count: rows * layers[last].outputs)
        for l in stride(from: last, through: 0, by: -1) {
            let layer = layers[l]
            if l == last {
                Kernels.columnSums(dCurrent, rows: rows, cols: layer.outputs, into: layer.biasGrad(store))
            } else if dropped[l] {
                Kernels.jacobianBackward(dCurrent, jacobian: jacobians[l].pointer, rows: rows,
                                         cols: layer.outputs, dBias: layer.biasGrad(store), parallelism: parallelism)
            } else {
                Kernels.activationBackward(dCurrent, activations: hiddenOutput(l), rows: rows,
                                           cols: layer.outputs, activation: activation,
                                           dBias: layer.biasGrad(store), parallelism: parallelism)
            }
            let layerInput = l == 0 ? input : hiddenOutput(l - 1)
            let target: UnsafeMutablePointer<T>? = l == 0 ? dInput : dNext
            layer.backward(store, input: layerInput, rows: rows, dOutput: dCurrent, dInput: target,
                           parallelism: parallelism)
            swap(&dCurrent, &dNext)
        }
    }

    /// Convenience: backward from a matrix; returns the input gradient.
    @discardableResult
    public func backward(_ dOut: Matrix<T>) -> Matrix<T> {
        var dIn = Matrix<T>(rows: rows, cols: inputSize)
        dOut.storage.withUnsafeBufferPointer { d in
            dIn.storage.withUnsafeMutableBufferPointer { backward(d.baseAddress!, dInput: $0.baseAddress!) }
        }
        return dIn
    }
}

@inline(__always)
func addBias<T: MIScalar>(_ z: UnsafeMutablePointer<T>, rows: Int, cols: Int, bias: UnsafePointer<T>) {
    for r in 0..<rows { RowKernels.addTo(z + r * cols, bias, cols) }
}
