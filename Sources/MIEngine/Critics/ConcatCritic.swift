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
/// order, so the result does not depend on how many cores ran them.
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

    private let hx = Scratch<Scalar>(), hy = Scratch<Scalar>()
    private let dHx = Scratch<Scalar>(), dHy = Scratch<Scalar>()
    /// Per-pair activations of each hidden layer (rows x width); after
    /// dropout, the dropped activations the next layer reads.
    private let acts: [Scratch<Scalar>]
    /// Per-pair dropout Jacobians s act' of each hidden layer (DropoutKernels.swift).
    private let jacobians: [Scratch<Scalar>]
    /// The masks of the last forward pass: empty without dropout, else one
    /// per hidden layer (nil where its rate is 0).
    private var masks: [DropoutMask<Scalar>?] = []
    /// The seed of the last dropout pass's per-block generators.
    private var dropoutSeed: UInt64 = 0
    /// Two per-pair gradient buffers (rows x widest), used in turn.
    private let gradA = Scratch<Scalar>(), gradB = Scratch<Scalar>()
    /// One partial-gradient buffer per reduction group.
    private let partials = Scratch<Scalar>()
    private var x = Matrix<Scalar>(rows: 0, cols: 0), y = Matrix<Scalar>(rows: 0, cols: 0)
    private var plan = BlockPlan(pairs: .all(0))
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
        acts = shape.hidden.map { _ in Scratch<Scalar>() }
        jacobians = shape.hidden.map { _ in Scratch<Scalar>() }
        for layer in [first] + middle + [last] { layer.initialize(store, rng: &rng) }
    }

    public var name: String { "concat(\(shape.description))" }
    public var stores: [ParameterStore<Scalar>] { [store] }
    private var hidden: [Int] { shape.hidden }
    private var act: Activation { shape.activation }
    private var widest: Int { hidden.max()! }

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
    /// pass, after dropout (pairs x width; for tests).
    func activations(layer l: Int) -> UnsafePointer<Scalar> { UnsafePointer(acts[l].pointer) }

    /// The mask of hidden layer `l` in the last forward pass, if it was dropped.
    @inline(__always)
    private func mask(_ l: Int) -> DropoutMask<Scalar>? { masks.isEmpty ? nil : masks[l] }

    private func run(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet) -> [Scalar] {
        precondition(x.cols == dimX && y.cols == dimY, "concat critic expects dims \(dimX), \(dimY)")
        precondition(x.rows == pairs.batch && y.rows == pairs.batch, "batch size does not match the pairs")
        self.x = x
        self.y = y
        plan = BlockPlan(pairs: pairs)
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
        for (l, width) in hidden.enumerated() {
            _ = acts[l].reserve(plan.rows * width)
            if mask(l) != nil { _ = jacobians[l].reserve(plan.rows * width) }
        }

        var scores = [Scalar](repeating: 0, count: plan.rows)
        scores.withUnsafeMutableBufferPointer { sp in
            let out = SharedPointer(sp.baseAddress!)
            parallelism.forEach(plan.blocks.count) { self.forwardBlock($0, scores: out.base) }
        }
        return scores
    }

    private func forwardBlock(_ b: Int, scores: UnsafeMutablePointer<Scalar>) {
        let range = plan.blocks[b]
        let n = range.count, start = range.lowerBound, h1 = hidden[0], act = self.act
        let a1 = acts[0].pointer + start * h1
        // This block's dropout masks (unused without dropout).
        var rng = RNG(seed: dropoutSeed, stream: UInt64(b))
        if let m = mask(0) {
            let j1 = jacobians[0].pointer + start * h1
            for r in range {
                let j = j1 + (r - start) * h1
                m.fill(j, h1, rng: &rng)
                DropoutKernels.addActivate(a1 + (r - start) * h1, hx.pointer + plan.xIndex(r) * h1,
                                           hy.pointer + plan.yIndex(r) * h1, h1, act, j)
            }
        } else {
            for r in range {
                RowKernels.addActivate(a1 + (r - start) * h1, hx.pointer + plan.xIndex(r) * h1,
                                       hy.pointer + plan.yIndex(r) * h1, h1, act)
            }
        }
        let w = last.weight(store), bOut = last.bias(store)[0]
        if middle.isEmpty {
            for r in 0..<n { scores[start + r] = RowKernels.dot(a1 + r * h1, w, h1) + bOut }
            return
        }
        var input = UnsafePointer(a1)
        for (l, layer) in middle.enumerated() {
            let out = acts[l + 1].pointer + start * layer.outputs
            Scalar.gemm(transA: false, transB: false, m: n, n: layer.outputs, k: layer.inputs, alpha: 1,
                        a: input, lda: layer.inputs, b: layer.weight(store), ldb: layer.outputs,
                        beta: 0, c: out, ldc: layer.outputs)
            let bias = layer.bias(store), width = layer.outputs
            if let m = mask(l + 1) {
                let jl = jacobians[l + 1].pointer + start * width
                for r in 0..<n {
                    let row = out + r * width, j = jl + r * width
                    m.fill(j, width, rng: &rng)
                    if l == middle.count - 1 {
                        scores[start + r] = DropoutKernels.addActivateDot(row, bias, w, width, act, j) + bOut
                    } else {
                        DropoutKernels.addActivate(row, row, bias, width, act, j)
                    }
                }
            } else if l == middle.count - 1 {
                for r in 0..<n {
                    scores[start + r] = RowKernels.addActivateDot(out + r * width, bias, w, width, act) + bOut
                }
            } else {
                for r in 0..<n {
                    let row = out + r * width
                    RowKernels.addActivate(row, row, bias, width, act)
                }
            }
            input = UnsafePointer(out)
        }
    }

    // MARK: Backward

    public func backward(_ dScores: [Scalar]) {
        precondition(dScores.count == plan.rows, "expected \(plan.rows) score gradients")
        let k = x.rows, h1 = hidden[0]
        let layout = PartialLayout(hidden: hidden, middle: middle, k: k, exclusiveX: plan.exclusiveX)
        let groups = plan.groups
        let part = partials.reserve(groups * layout.count)
        _ = gradA.reserve(plan.rows * widest)
        _ = gradB.reserve(plan.rows * widest)
        let dhx = dHx.reserve(k * h1), dhy = dHy.reserve(k * h1)
        let shared = (part: SharedPointer(part), dhx: SharedPointer(dhx))
        dScores.withUnsafeBufferPointer { ds in
            let dsp = SharedPointer(UnsafeMutablePointer(mutating: ds.baseAddress!))
            parallelism.forEach(groups) { g in
                let p = shared.part.base + g * layout.count
                p.initialize(repeating: 0, count: layout.count)
                for b in stride(from: g, to: self.plan.blocks.count, by: groups) {
                    self.backwardBlock(self.plan.blocks[b], dScores: dsp.base, partial: p, layout: layout,
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
        let gw = first.weightGrad(store)
        x.storage.withUnsafeBufferPointer {
            Scalar.gemm(transA: true, transB: false, m: dimX, n: h1, k: k, alpha: 1, a: $0.baseAddress!,
                        lda: dimX, b: dhx, ldb: h1, beta: 1, c: gw, ldc: h1)
        }
        y.storage.withUnsafeBufferPointer {
            Scalar.gemm(transA: true, transB: false, m: dimY, n: h1, k: k, alpha: 1, a: $0.baseAddress!,
                        lda: dimY, b: dhy, ldb: h1, beta: 1, c: gw + dimX * h1, ldc: h1)
        }
    }

    private func backwardBlock(_ range: Range<Int>, dScores: UnsafePointer<Scalar>,
                               partial p: UnsafeMutablePointer<Scalar>, layout: PartialLayout,
                               dhx: UnsafeMutablePointer<Scalar>) {
        let n = range.count, start = range.lowerBound, act = self.act
        let h1 = hidden[0], lastHidden = hidden.count - 1, hl = hidden[lastHidden]
        // Output layer: dZ_L = dS w_out act'(A_L), in place over A_L (with
        // dropout, dS w_out J_L over the dropped activations).
        var dz = acts[lastHidden].pointer + start * hl
        let w = last.weight(store)
        if mask(lastHidden) != nil {
            let jl = jacobians[lastHidden].pointer + start * hl
            for r in 0..<n {
                let g = dScores[start + r]
                p[layout.dbOut] += g
                DropoutKernels.outputBackward(dz + r * hl, g, w, hl, jl + r * hl, p + layout.dwOut,
                                              p + layout.db[lastHidden])
            }
        } else {
            for r in 0..<n {
                let g = dScores[start + r]
                p[layout.dbOut] += g
                RowKernels.outputBackward(dz + r * hl, g, w, hl, act, p + layout.dwOut, p + layout.db[lastHidden])
            }
        }
        var buffers = (gradA.pointer + start * widest, gradB.pointer + start * widest)
        for l in stride(from: lastHidden, to: 0, by: -1) {
            let layer = middle[l - 1], below = acts[l - 1].pointer + start * layer.inputs
            // dW_l += A_{l-1}^T dZ_l; D = dZ_l W_l^T.
            Scalar.gemm(transA: true, transB: false, m: layer.inputs, n: layer.outputs, k: n, alpha: 1,
                        a: below, lda: layer.inputs, b: dz, ldb: layer.outputs,
                        beta: 1, c: p + layout.dW[l - 1], ldc: layer.outputs)
            let d = buffers.0
            Scalar.gemm(transA: false, transB: true, m: n, n: layer.inputs, k: layer.outputs, alpha: 1,
                        a: dz, lda: layer.outputs, b: layer.weight(store), ldb: layer.outputs,
                        beta: 0, c: d, ldc: layer.inputs)
            if l - 1 > 0, mask(l - 1) != nil {
                let jb = jacobians[l - 1].pointer + start * layer.inputs
                for r in 0..<n {
                    DropoutKernels.multiplyAccumulate(d + r * layer.inputs, jb + r * layer.inputs, layer.inputs,
                                                      p + layout.db[l - 1])
                }
            } else if l - 1 > 0 {
                for r in 0..<n {
                    RowKernels.maskAccumulate(d + r * layer.inputs, below + r * layer.inputs, layer.inputs,
                                              act, p + layout.db[l - 1])
                }
            }
            dz = d
            buffers = (buffers.1, buffers.0)
        }
        // dz holds d/dA_1 (already masked when the first layer is also the last).
        let a1 = acts[0].pointer + start * h1
        if plan.exclusiveX {
            // This block owns x indices range/K: its dHx rows are written here.
            for i in (start / plan.k)..<((start + n) / plan.k) { (dhx + i * h1).initialize(repeating: 0, count: h1) }
        }
        let dhxBase = plan.exclusiveX ? dhx : p + layout.dHx
        if lastHidden > 0, mask(0) != nil {
            let j1 = jacobians[0].pointer + start * h1
            for r in 0..<n {
                DropoutKernels.multiplyAccumulateTwice(dz + r * h1, j1 + r * h1, h1,
                                                       dhxBase + plan.xIndex(start + r) * h1,
                                                       p + layout.dHy + plan.yIndex(start + r) * h1)
            }
            return
        }
        for r in 0..<n {
            RowKernels.maskAccumulateTwice(dz + r * h1, lastHidden > 0 ? UnsafePointer(a1 + r * h1) : nil, h1, act,
                                           dhxBase + plan.xIndex(start + r) * h1,
                                           p + layout.dHy + plan.yIndex(start + r) * h1)
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
}

/// How the pair rows are cut into blocks and reduction groups.
struct BlockPlan {
    let k: Int
    let rows: Int
    let blocks: [Range<Int>]
    /// Block b belongs to reduction group b % groups.
    let groups: Int
    /// All-pairs blocks hold whole x indices (rows i*K ..< (i+n)*K).
    let exclusiveX: Bool
    private let pairX: [Int], pairY: [Int]

    /// Rows per block, about: a 512 x 256 Float block is 512 KiB, half an L2.
    static let targetRows = 512
    static let maximumGroups = 4

    init(pairs: PairSet) {
        k = pairs.batch
        rows = pairs.count
        let per: Int
        switch pairs {
        case .all(let k):
            per = k * Swift.max(1, BlockPlan.targetRows / Swift.max(k, 1))
            exclusiveX = true
            pairX = []
            pairY = []
        case .shuffled(let perm):
            per = BlockPlan.targetRows
            exclusiveX = false
            pairX = Array(perm.indices) + Array(perm.indices)
            pairY = Array(perm.indices) + perm
        }
        let total = rows
        let cut = stride(from: 0, to: total, by: Swift.max(per, 1)).map { $0..<Swift.min($0 + per, total) }
        blocks = cut
        groups = Swift.max(1, Swift.min(cut.count, BlockPlan.maximumGroups))
    }

    @inline(__always) func xIndex(_ r: Int) -> Int { exclusiveX ? r / k : pairX[r] }
    @inline(__always) func yIndex(_ r: Int) -> Int { exclusiveX ? r % k : pairY[r] }
}

/// Offsets of the gradient sums inside one reduction group's partial buffer.
struct PartialLayout {
    var dW: [Int] = []      // per middle layer
    var db: [Int] = []      // per hidden layer
    var dwOut = 0, dbOut = 0, dHy = 0, dHx = 0
    var count = 0

    init(hidden: [Int], middle: [Dense], k: Int, exclusiveX: Bool) {
        func take(_ n: Int) -> Int { defer { count += n }; return count }
        dW = middle.map { take($0.inputs * $0.outputs) }
        db = hidden.map { take($0) }
        dwOut = take(hidden[hidden.count - 1])
        dbOut = take(1)
        dHy = take(k * hidden[0])
        dHx = exclusiveX ? 0 : take(k * hidden[0])
    }
}

@inline(__always)
private func accumulate<T: MIScalar>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, count: Int) {
    RowKernels.addTo(dst, src, count)
}
