/// What a training run will hold in memory, estimated from its
/// configuration before anything is allocated, so that a run that cannot
/// fit is refused with the number instead of being killed (or swapping)
/// halfway.
///
/// The estimate counts the buffers the engine keeps for a step (they are
/// reused from step to step) and rounds nothing down; it leaves out the
/// program itself and whatever is already loaded (a dataset read from a
/// file is in memory before its run is planned).
public struct MemoryFootprint: Sendable, Equatable {
    /// Learned weights with their gradients and Adam's two moments (Float).
    public var parameters = 0
    /// Per-row buffers: the batch, activations, their gradients, dropout Jacobians.
    public var activations = 0
    /// Score matrices and their gradients, in Float and in Double.
    public var scores = 0
    /// A dataset drawn once, the per-step trace.
    public var data = 0

    public init(parameters: Int = 0, activations: Int = 0, scores: Int = 0, data: Int = 0) {
        self.parameters = parameters
        self.activations = activations
        self.scores = scores
        self.data = data
    }

    public var total: Int { parameters + activations + scores + data }

    /// The largest part (what to shrink first).
    public var dominantPart: Part {
        let parts: [(Part, Int)] = [(.parameters, parameters), (.activations, activations), (.scores, scores),
                                    (.data, data)]
        return parts.max { $0.1 < $1.1 }!.0
    }

    public enum Part: String, Sendable, CaseIterable {
        case parameters, activations, scores, data
    }

    public static func + (a: MemoryFootprint, b: MemoryFootprint) -> MemoryFootprint {
        MemoryFootprint(parameters: a.parameters + b.parameters, activations: a.activations + b.activations,
                        scores: a.scores + b.scores, data: a.data + b.data)
    }
}

/// How the critic of a planned run is built (the shapes its constructor takes).
public enum CriticPlan: Sendable, Equatable {
    case separable(NetworkShape, embedding: Int)
    case concat(NetworkShape)
    case bilinear
    case inner
    /// The analytic critic log p(y|x)/p(y) of a known density (Double, K x K).
    case optimal
    /// A model that learns without a critic (Barber-Agakov's decoder MLP
    /// of `sizes`, or nothing learned per row when empty).
    case model(sizes: [Int])
}

extension MemoryFootprint {
    /// Bytes of one Float.
    private static let float = MemoryLayout<Float>.stride
    private static let double = MemoryLayout<Double>.stride

    /// An MLP of `sizes` run on `rows` rows: its parameters (with gradients
    /// and Adam state) and the buffers `forward` and `backward` keep.
    public static func mlp(sizes: [Int], rows: Int, dropout: Bool) -> MemoryFootprint {
        var parameters = 0
        for l in 1..<sizes.count { parameters += sizes[l - 1] * sizes[l] + sizes[l] }
        let hidden = sizes.dropFirst().dropLast().reduce(0, +)
        let perRow = sizes.reduce(0, +) + 2 * (sizes.max() ?? 0) + (dropout ? hidden : 0)
        return MemoryFootprint(parameters: 4 * parameters * float, activations: rows * perRow * float)
    }

    /// A training run of `steps` steps at batch K: the critic's buffers and
    /// parameters, the bound's score arrays, the baseline network of
    /// `baseline` hidden widths (if the bound learns one), a Lipschitz
    /// constraint's pointwise passes, the batches and the trace.
    public static func training(critic: CriticPlan, dimX: Int, dimY: Int, batch k: Int,
                                negatives: NegativeSampling, dropout: Dropout, baseline: [Int]?,
                                lipschitz: Bool, steps: Int) -> MemoryFootprint {
        let pairs: PairSet = negatives == .all ? .all(k) : .shuffled(Array(0..<k))
        let p = pairs.count
        var f = MemoryFootprint()
        // Scores in Float (critic) and Double, the bound's gradient and one
        // temporary of the same size in Double, the gradient in Float. (At
        // K = 4096 with the concat critic this counts 0.7 GiB; the process
        // peaks at 0.33 GiB.)
        f.scores = p * (2 * float + 3 * double)
        let dropped = dropout.isActive
        var network: MemoryFootprint?
        switch critic {
        case let .separable(shape, embedding):
            let g = mlp(sizes: [dimX] + shape.hidden + [embedding], rows: k, dropout: dropped)
            let h = mlp(sizes: [dimY] + shape.hidden + [embedding], rows: k, dropout: dropped)
            network = g + h
            // The K x K product G H^T, its gradient, dG and dH.
            f.scores += 2 * k * k * float
            f.activations += 2 * k * embedding * float
        case let .concat(shape):
            f = f + ConcatCritic<Float>.memoryFootprint(dimX: dimX, dimY: dimY, shape: shape, batch: k, pairs: pairs,
                                                        dropout: dropout)
            if lipschitz {
                network = mlp(sizes: [dimX + dimY] + shape.hidden + [1], rows: k, dropout: false)
                network?.parameters = 0    // the critic's own store
            }
        case .bilinear, .inner:
            if critic == .bilinear { f.parameters += 4 * dimX * dimY * float }
            f.scores += 2 * k * k * float
            f.activations += k * dimY * float
        case .optimal:
            // log p(y|x) - log p(y) on all K x K pairs, its scaled inputs.
            f.scores += k * k * double
            f.activations += 2 * k * (dimX + dimY) * double
        case let .model(sizes):
            if !sizes.isEmpty { network = mlp(sizes: sizes, rows: k, dropout: false) }
        }
        if var n = network {
            // A gradient penalty runs the networks again, with tangents.
            if lipschitz { n.activations *= 4 }
            f = f + n
        }
        if let baseline {
            f = f + mlp(sizes: [dimY] + baseline + [1], rows: k, dropout: false)
        }
        // The batch in Double and Float, and the trace.
        f.activations += k * (dimX + dimY) * (double + float)
        f.data += steps * MemoryLayout<TraceStep>.stride
        return f
    }

    /// `n` pairs drawn once into a fixed dataset (the draw and the dataset's copy).
    public static func drawnDataset(n: Int, dimX: Int, dimY: Int) -> MemoryFootprint {
        MemoryFootprint(data: 2 * n * (dimX + dimY) * double)
    }
}
