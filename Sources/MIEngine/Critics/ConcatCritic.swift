/// The joint critic f(x, y) = MLP([x, y]) (Belghazi et al. 2018; 004 sec. 3)
/// evaluated on all K x K pairs, or on the 2K pairs of shuffled negatives.
///
/// The first layer factorises, W [x; y] = Wx x + Wy y (DESIGN sec. 4): its
/// products cost O(K), and the rows of the first hidden layer are built as
/// act(Hx[i] + b + Hy[j]).
///
/// At batch 64 the activations are 4096 x 256 per layer, and a sweep over
/// them costs about as much as a product. So the pair rows are cut into
/// blocks of about 512 rows, and one worker carries a block through the
/// whole chain while it sits in its core's L2 cache: forward, build ->
/// product -> bias, activation and the 1-unit output layer fused; backward,
/// output layer -> products -> masked reduction into dHx and dHy. Gradients
/// summed over rows accumulate per reduction group (a fixed set of blocks,
/// processed in order) and the groups' partial sums are added in group
/// order, so the result does not depend on how many cores ran them
/// (ConcatBlocks.swift).
///
/// The activations of all pairs are kept from forward to backward while
/// they fit in `storedActivationLimit` bytes (K = 64 needs 8 MiB). Beyond
/// that (K x K x width grows as K^2: 16 GiB per layer at K = 4096), the
/// critic streams: each reduction group keeps one block's activations, the
/// forward pass keeps only the scores, and the backward pass recomputes each
/// block's forward just before its backward. The recomputation performs the
/// same operations on the same block (and redraws the same dropout masks), so
/// the scores and gradients are the same bits either way, for a third more
/// arithmetic and memory O(groups x block).
///
/// Dropout (`forward(x:y:pairs:dropout:rng:)`, training only) masks each
/// (pair, unit) of the hidden activations independently, inside the same
/// fused row passes: block b draws its masks, row by row and layer by
/// layer, from RNG(seed, stream: b) with the seed taken from the caller's
/// generator, so they do not depend on the number of cores either. Each
/// dropped layer keeps a second pairs x width buffer (the Jacobian s act',
/// DropoutKernels.swift), so dropout doubles the activation memory.
public final class ConcatCritic<Scalar: MIScalar>: Critic {
    public let dimX: Int, dimY: Int
    public let shape: NetworkShape
    /// [x; y] -> hidden[0]; its first dimX weight rows are Wx, the rest Wy.
    let first: Dense
    /// hidden[l-1] -> hidden[l].
    let middle: [Dense]
    /// hidden.last -> 1.
    let last: Dense
    public let store: ParameterStore<Scalar>

    let hx = Scratch<Scalar>(), hy = Scratch<Scalar>()
    private let dHx = Scratch<Scalar>(), dHy = Scratch<Scalar>()
    /// Per-pair buffers: one workspace for all rows when the activations are
    /// stored, one per reduction group (a block each) when streaming.
    private var workspaces: [BlockWorkspace<Scalar>]
    /// The masks of the last forward pass: empty without dropout, else one
    /// per hidden layer (nil where its rate is 0).
    private(set) var masks: [DropoutMask<Scalar>?] = []
    /// The seed of the last dropout pass's per-block generators.
    private(set) var dropoutSeed: UInt64 = 0
    /// One partial-gradient buffer per reduction group.
    private let partials = Scratch<Scalar>()
    private var x = Matrix<Scalar>(rows: 0, cols: 0), y = Matrix<Scalar>(rows: 0, cols: 0)
    private(set) var plan = BlockPlan(pairs: .all(0))
    /// Whether the last forward pass streamed (kept no per-pair activations).
    private(set) var streaming = false
    /// Bytes of per-pair activations (and dropout Jacobians) kept from
    /// forward to backward at most; above it the critic streams.
    var storedActivationLimit = ConcatCritic.defaultStoredActivationLimit
    static var defaultStoredActivationLimit: Int { 256 << 20 }
    /// Whether the blocks of pair rows run on all cores (the result is the
    /// same either way).
    public var parallelism: Parallelism {
        didSet { pointwiseNetwork?.parallelism = parallelism }
    }
    private var pointwiseNetwork: MLP<Scalar>?
    /// The same network as a plain MLP over this store, run on explicit
    /// rows [x_r, y_r] (input gradients: ConcatCritic+Lipschitz.swift).
    var pointwise: MLP<Scalar> {
        if let p = pointwiseNetwork { return p }
        let p = MLP<Scalar>(sizes: [dimX + dimY] + shape.hidden + [1], activation: shape.activation,
                            sharing: store, parallelism: parallelism)
        pointwiseNetwork = p
        return p
    }

    public init(dimX: Int, dimY: Int, shape: NetworkShape = NetworkShape(), parallelism: Parallelism = .allCores,
                rng: inout RNG) {
        precondition(!shape.hidden.isEmpty, "the concat critic needs at least one hidden layer")
        self.parallelism = parallelism
        self.dimX = dimX
        self.dimY = dimY
        self.shape = shape
        var layout = ParameterLayout()
        first = Dense(inputs: dimX + dimY, outputs: shape.hidden[0], layout: &layout)
        middle = (1..<shape.hidden.count).map {
            Dense(inputs: shape.hidden[$0 - 1], outputs: shape.hidden[$0], layout: &layout)
        }
        last = Dense(inputs: shape.hidden[shape.hidden.count - 1], outputs: 1, layout: &layout)
        store = ParameterStore(count: layout.count)
        workspaces = [BlockWorkspace(layers: shape.hidden.count)]
        for layer in [first] + middle + [last] { layer.initialize(store, rng: &rng) }
    }

    public var name: String { "concat(\(shape.description))" }
    public var stores: [ParameterStore<Scalar>] { [store] }
    var hidden: [Int] { shape.hidden }
    var act: Activation { shape.activation }
    var widest: Int { hidden.max()! }

    // MARK: Forward

    public func forward(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet) -> [Scalar] {
        if !masks.isEmpty { masks = [] }
        return run(x: x, y: y, pairs: pairs)
    }

    /// Scores with dropout on every hidden layer's activations (a training
    /// pass); takes one number from `rng` when any rate is nonzero, none
    /// otherwise (and then equals the plain `forward`).
    public func forward(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet, dropout: Dropout,
                        rng: inout RNG) -> [Scalar] {
        guard dropout.isActive else { return forward(x: x, y: y, pairs: pairs) }
        masks = dropout.masks(hiddenLayers: hidden.count)
        dropoutSeed = rng.next()
        return run(x: x, y: y, pairs: pairs)
    }

    /// The per-pair activations of hidden layer `l` from the last forward
    /// pass, after dropout (pairs x width; for tests; only when not streaming).
    func activations(layer l: Int) -> UnsafePointer<Scalar> {
        precondition(!streaming, "a streaming pass keeps no per-pair activations")
        return UnsafePointer(workspaces[0].acts[l].pointer)
    }

    /// The mask of hidden layer `l` in the last forward pass, if it was dropped.
    @inline(__always)
    func mask(_ l: Int) -> DropoutMask<Scalar>? { masks.isEmpty ? nil : masks[l] }

    /// Whether the per-pair activations of `plan` fit in `limit` bytes.
    static func storesActivations(_ plan: BlockPlan, hidden: [Int], dropped: Bool, limit: Int) -> Bool {
        plan.rows * hidden.reduce(0, +) * (dropped ? 2 : 1) * MemoryLayout<Scalar>.stride <= limit
    }

    private func run(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet) -> [Scalar] {
        precondition(x.cols == dimX && y.cols == dimY, "concat critic expects dims \(dimX), \(dimY)")
        precondition(x.rows == pairs.batch && y.rows == pairs.batch, "batch size does not match the pairs")
        self.x = x
        self.y = y
        plan = BlockPlan(pairs: pairs)
        streaming = !Self.storesActivations(plan, hidden: hidden, dropped: !masks.isEmpty,
                                            limit: storedActivationLimit)
        let k = x.rows, h1 = hidden[0]
        // Hx = X Wx + b1, Hy = Y Wy (K rows each).
        let hxp = hx.reserve(k * h1), hyp = hy.reserve(k * h1)
        let w = first.weight(store)
        x.storage.withUnsafeBufferPointer {
            Scalar.gemm(transA: false, transB: false, m: k, n: h1, k: dimX, alpha: 1, a: $0.baseAddress!,
                        lda: dimX, b: w, ldb: h1, beta: 0, c: hxp, ldc: h1)
        }
        y.storage.withUnsafeBufferPointer {
            Scalar.gemm(transA: false, transB: false, m: k, n: h1, k: dimY, alpha: 1, a: $0.baseAddress!,
                        lda: dimY, b: w + dimX * h1, ldb: h1, beta: 0, c: hyp, ldc: h1)
        }
        addBias(hxp, rows: k, cols: h1, bias: first.bias(store))
        reserveWorkspaces()

        var scores = [Scalar](repeating: 0, count: plan.rows)
        scores.withUnsafeMutableBufferPointer { sp in
            let out = SharedPointer(sp.baseAddress!)
            if streaming {
                parallelism.forEach(plan.groups) { g in
                    for b in stride(from: g, to: self.plan.blocks.count, by: self.plan.groups) {
                        let range = self.plan.blocks[b]
                        self.forwardBlock(b, self.buffers(range, group: g), scores: out.base + range.lowerBound)
                    }
                }
            } else {
                parallelism.forEach(plan.blocks.count) { b in
                    let range = self.plan.blocks[b]
                    self.forwardBlock(b, self.buffers(range, group: 0), scores: out.base + range.lowerBound)
                }
            }
        }
        return scores
    }

    /// Sizes the workspaces for the current plan: all rows in one, or one
    /// block in each of `plan.groups`.
    private func reserveWorkspaces() {
        let count = streaming ? plan.groups : 1
        while workspaces.count < count { workspaces.append(BlockWorkspace(layers: hidden.count)) }
        let rows = streaming ? plan.blocks.map(\.count).max() ?? 0 : plan.rows
        for w in workspaces.prefix(count) {
            w.reserve(rows: rows, hidden: hidden, widest: widest, dropped: masks.map { $0 != nil })
        }
    }

    /// Pointers to the buffers of the block `range` in workspace `group`
    /// (0 when the activations are stored, where rows keep their own place).
    func buffers(_ range: Range<Int>, group: Int) -> BlockBuffers<Scalar> {
        let start = streaming ? 0 : range.lowerBound
        return workspaces[group].buffers(startRow: start, hidden: hidden, widest: widest)
    }

    // MARK: Backward

    public func backward(_ dScores: [Scalar]) {
        backward(dScores, dX: nil, dY: nil)
    }

    /// The input gradients come out of the factorised first layer: with
    /// dHx, dHy the summed gradients of its K x and K y rows (below),
    /// dX = dHx Wx^T and dY = dHy Wy^T. Both passes (stored and streaming)
    /// leave the same dHx, dHy.
    public func backward(_ dScores: [Scalar], dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?) {
        precondition(dScores.count == plan.rows, "expected \(plan.rows) score gradients")
        let k = x.rows, h1 = hidden[0]
        let layout = PartialLayout(hidden: hidden, middle: middle, k: k, exclusiveX: plan.exclusiveX)
        let groups = plan.groups
        let part = partials.reserve(groups * layout.count)
        let dhx = dHx.reserve(k * h1), dhy = dHy.reserve(k * h1)
        let shared = (part: SharedPointer(part), dhx: SharedPointer(dhx))
        let blockRows = plan.blocks.map(\.count).max() ?? 0
        let recomputed = streaming ? workspaces.prefix(groups).map { $0.scores.reserve(blockRows) } : []
        let scoreSink = recomputed.map(SharedPointer.init)
        dScores.withUnsafeBufferPointer { ds in
            let dsp = SharedPointer(UnsafeMutablePointer(mutating: ds.baseAddress!))
            parallelism.forEach(groups) { g in
                let p = shared.part.base + g * layout.count
                p.initialize(repeating: 0, count: layout.count)
                for b in stride(from: g, to: self.plan.blocks.count, by: groups) {
                    let range = self.plan.blocks[b], buffers = self.buffers(range, group: self.streaming ? g : 0)
                    if self.streaming { self.forwardBlock(b, buffers, scores: scoreSink[g].base) }
                    self.backwardBlock(range, buffers, dScores: dsp.base, partial: p, layout: layout,
                                       dhx: shared.dhx.base)
                }
            }
        }
        // Add the groups' partial sums in group order.
        if groups > 1 {
            for g in 1..<groups {
                RowKernels.addTo(part, part + g * layout.count, layout.count)
            }
        }
        let grads = store.grads.baseAddress!
        for (l, layer) in middle.enumerated() {
            accumulate(part + layout.dW[l], into: grads + layer.weightOffset, count: layer.inputs * layer.outputs)
            accumulate(part + layout.db[l + 1], into: grads + layer.biasOffset, count: layer.outputs)
        }
        accumulate(part + layout.dwOut, into: grads + last.weightOffset, count: hidden[hidden.count - 1])
        grads[last.biasOffset] += part[layout.dbOut]
        if !plan.exclusiveX { dhx.update(from: part + layout.dHx, count: k * h1) }
        dhy.update(from: part + layout.dHy, count: k * h1)

        // The factorised first layer: db1 = sum_i dHx[i], dWx = X^T dHx, dWy = Y^T dHy.
        Kernels.columnSums(dhx, rows: k, cols: h1, into: first.biasGrad(store))
        let gw = first.weightGrad(store), w = first.weight(store)
        x.storage.withUnsafeBufferPointer {
            Scalar.gemm(transA: true, transB: false, m: dimX, n: h1, k: k, alpha: 1, a: $0.baseAddress!,
                        lda: dimX, b: dhx, ldb: h1, beta: 1, c: gw, ldc: h1)
        }
        y.storage.withUnsafeBufferPointer {
            Scalar.gemm(transA: true, transB: false, m: dimY, n: h1, k: k, alpha: 1, a: $0.baseAddress!,
                        lda: dimY, b: dhy, ldb: h1, beta: 1, c: gw + dimX * h1, ldc: h1)
        }
        if let dX {
            Scalar.gemm(transA: false, transB: true, m: k, n: dimX, k: h1, alpha: 1, a: dhx, lda: h1,
                        b: w, ldb: h1, beta: 0, c: dX, ldc: dimX)
        }
        if let dY {
            Scalar.gemm(transA: false, transB: true, m: k, n: dimY, k: h1, alpha: 1, a: dhy, lda: h1,
                        b: w + dimX * h1, ldb: h1, beta: 0, c: dY, ldc: dimY)
        }
    }

    public func flops(batch: Int, pairs: PairSet) -> Double {
        let rows = Double(pairs.count), k = Double(batch)
        var macs = k * Double((dimX + dimY) * hidden[0])          // factorised first layer
        for layer in middle { macs += rows * Double(layer.inputs * layer.outputs) }
        macs += rows * Double(hidden[hidden.count - 1])
        // Forward once, backward twice (weights and inputs).
        return 2 * 3 * macs
    }

    /// What a critic of this shape holds at batch `k` over `pairs`,
    /// computed before one is built: parameters with their gradients, Adam's
    /// moments and each reduction group's partial sums; the per-pair
    /// buffers (all pairs, or a block per group when streaming) with Hx, Hy
    /// and their gradients; the scores and their gradients.
    public static func memoryFootprint(dimX: Int, dimY: Int, shape: NetworkShape, batch k: Int, pairs: PairSet,
                                       dropout: Dropout) -> MemoryFootprint {
        let hidden = shape.hidden, size = MemoryLayout<Scalar>.stride
        let plan = BlockPlan(pairs: pairs)
        let dropped = dropout.isActive
        let blockRows = plan.blocks.map(\.count).max() ?? 0
        let stored = storesActivations(plan, hidden: hidden, dropped: dropped, limit: defaultStoredActivationLimit)
        let rowsHeld = stored ? plan.rows : plan.groups * blockRows
        let widest = hidden.max() ?? 0
        let perRow = hidden.reduce(0, +) * (dropped ? 2 : 1) + 2 * widest + (stored ? 0 : 1)
        var parameters = (dimX + dimY + 1) * hidden[0] + 2 * hidden[hidden.count - 1] + 1
        var weightPartials = 2 * hidden[hidden.count - 1] + 1 + hidden.reduce(0, +)
        for l in 1..<hidden.count {
            parameters += hidden[l - 1] * hidden[l] + hidden[l]
            weightPartials += hidden[l - 1] * hidden[l]
        }
        let rowPartials = k * hidden[0] * (plan.exclusiveX ? 1 : 2)
        return MemoryFootprint(parameters: (4 * parameters + plan.groups * weightPartials) * size,
                               activations: (rowsHeld * perRow + plan.groups * rowPartials + 4 * k * hidden[0]) * size,
                               scores: 2 * plan.rows * size)
    }
}

@inline(__always)
private func accumulate<T: MIScalar>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, count: Int) {
    RowKernels.addTo(dst, src, count)
}
