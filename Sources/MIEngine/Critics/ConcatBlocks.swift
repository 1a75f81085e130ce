/// The concat critic's work on one block of pair rows (see `ConcatCritic`):
/// where its buffers are, and its fused forward and backward passes.
extension ConcatCritic {
    /// Carries block `b` (rows `plan.blocks[b]`) through the network: the
    /// hidden activations go to `buf`, the block's scores to `scores[0..<n]`.
    func forwardBlock(_ b: Int, _ buf: BlockBuffers<Scalar>, scores: UnsafeMutablePointer<Scalar>) {
        let range = plan.blocks[b]
        let n = range.count, start = range.lowerBound, h1 = hidden[0], act = self.act
        let a1 = buf.acts[0]
        // This block's dropout masks (unused without dropout).
        var rng = RNG(seed: dropoutSeed, stream: UInt64(b))
        if let m = mask(0) {
            let j1 = buf.jacobians[0]
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
            for r in 0..<n { scores[r] = RowKernels.dot(a1 + r * h1, w, h1) + bOut }
            return
        }
        var input = UnsafePointer(a1)
        for (l, layer) in middle.enumerated() {
            let out = buf.acts[l + 1]
            Scalar.gemm(transA: false, transB: false, m: n, n: layer.outputs, k: layer.inputs, alpha: 1,
                        a: input, lda: layer.inputs, b: layer.weight(store), ldb: layer.outputs,
                        beta: 0, c: out, ldc: layer.outputs)
            let bias = layer.bias(store), width = layer.outputs
            if let m = mask(l + 1) {
                let jl = buf.jacobians[l + 1]
                for r in 0..<n {
                    let row = out + r * width, j = jl + r * width
                    m.fill(j, width, rng: &rng)
                    if l == middle.count - 1 {
                        scores[r] = DropoutKernels.addActivateDot(row, bias, w, width, act, j) + bOut
                    } else {
                        DropoutKernels.addActivate(row, row, bias, width, act, j)
                    }
                }
            } else if l == middle.count - 1 {
                for r in 0..<n {
                    scores[r] = RowKernels.addActivateDot(out + r * width, bias, w, width, act) + bOut
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

    /// Backpropagates the block `range` from the activations in `buf`,
    /// adding its parameter and dHy (and, for shuffled pairs, dHx) sums
    /// into the group's partial buffer `p`; all-pairs blocks own their
    /// x indices and write their dHx rows directly.
    func backwardBlock(_ range: Range<Int>, _ buf: BlockBuffers<Scalar>, dScores: UnsafePointer<Scalar>,
                       partial p: UnsafeMutablePointer<Scalar>, layout: PartialLayout,
                       dhx: UnsafeMutablePointer<Scalar>) {
        let n = range.count, start = range.lowerBound, act = self.act
        let h1 = hidden[0], lastHidden = hidden.count - 1, hl = hidden[lastHidden]
        // Output layer: dZ_L = dS w_out act'(A_L), in place over A_L (with
        // dropout, dS w_out J_L over the dropped activations).
        var dz = buf.acts[lastHidden]
        let w = last.weight(store)
        if mask(lastHidden) != nil {
            let jl = buf.jacobians[lastHidden]
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
        var buffers = (buf.gradA, buf.gradB)
        for l in stride(from: lastHidden, to: 0, by: -1) {
            let layer = middle[l - 1], below = buf.acts[l - 1]
            // dW_l += A_{l-1}^T dZ_l; D = dZ_l W_l^T.
            Scalar.gemm(transA: true, transB: false, m: layer.inputs, n: layer.outputs, k: n, alpha: 1,
                        a: below, lda: layer.inputs, b: dz, ldb: layer.outputs,
                        beta: 1, c: p + layout.dW[l - 1], ldc: layer.outputs)
            let d = buffers.0
            Scalar.gemm(transA: false, transB: true, m: n, n: layer.inputs, k: layer.outputs, alpha: 1,
                        a: dz, lda: layer.outputs, b: layer.weight(store), ldb: layer.outputs,
                        beta: 0, c: d, ldc: layer.inputs)
            if l - 1 > 0, mask(l - 1) != nil {
                let jb = buf.jacobians[l - 1]
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
        let a1 = buf.acts[0]
        if plan.exclusiveX {
            // This block owns x indices range/K: its dHx rows are written here.
            for i in (start / plan.k)..<((start + n) / plan.k) { (dhx + i * h1).initialize(repeating: 0, count: h1) }
        }
        let dhxBase = plan.exclusiveX ? dhx : p + layout.dHx
        if lastHidden > 0, mask(0) != nil {
            let j1 = buf.jacobians[0]
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
}

/// The per-pair buffers of a block: its first row in each.
struct BlockBuffers<Scalar: MIScalar> {
    /// Per hidden layer: activations (after dropout, what the next layer reads).
    var acts: [UnsafeMutablePointer<Scalar>]
    /// Per hidden layer: dropout Jacobians s act' (unused where not dropped).
    var jacobians: [UnsafeMutablePointer<Scalar>]
    /// Two gradient buffers (rows x widest), used in turn.
    var gradA: UnsafeMutablePointer<Scalar>, gradB: UnsafeMutablePointer<Scalar>
}

/// Buffers for a number of pair rows: all of them, or one block of a
/// streaming group.
final class BlockWorkspace<Scalar: MIScalar> {
    let acts: [Scratch<Scalar>]
    let jacobians: [Scratch<Scalar>]
    let gradA = Scratch<Scalar>(), gradB = Scratch<Scalar>()
    /// Scores of a block recomputed before its backward pass (discarded).
    let scores = Scratch<Scalar>()

    init(layers: Int) {
        acts = (0..<layers).map { _ in Scratch<Scalar>() }
        jacobians = (0..<layers).map { _ in Scratch<Scalar>() }
    }

    /// Room for `rows` rows; Jacobians only for the layers dropped.
    func reserve(rows: Int, hidden: [Int], widest: Int, dropped: [Bool]) {
        for (l, width) in hidden.enumerated() {
            _ = acts[l].reserve(rows * width)
            if l < dropped.count && dropped[l] { _ = jacobians[l].reserve(rows * width) }
        }
        _ = gradA.reserve(rows * widest)
        _ = gradB.reserve(rows * widest)
    }

    func buffers(startRow: Int, hidden: [Int], widest: Int) -> BlockBuffers<Scalar> {
        BlockBuffers(acts: hidden.indices.map { acts[$0].pointer + startRow * hidden[$0] },
                     jacobians: hidden.indices.map { jacobians[$0].pointer + startRow * hidden[$0] },
                     gradA: gradA.pointer + startRow * widest, gradB: gradB.pointer + startRow * widest)
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
