/// How an encoder of a planned representation-learning run is built: the
/// shapes its constructor takes, known before any weight is allocated, so
/// that `MemoryFootprint.representation` can price the run (an encoder of
/// two 65536-wide layers would need 68 GiB before its first step).
public enum EncoderPlan: Sendable, Equatable {
    /// `MLPEncoder` of these layer widths (input first).
    case mlp(sizes: [Int])
    /// `ResidualEncoder`: `blocks` blocks (the linear one included) of `width`.
    case residual(width: Int, blocks: Int)
    /// `ConvEncoder` with 5x5 stride-2 convolutions padded by 2.
    case conv(channels: Int, height: Int, width: Int, filters: [Int], features: Int, layerNorm: Bool)
    /// `CouplingEncoder`: `layers` shift MLPs of `depth` hidden layers of `hidden`.
    case coupling(width: Int, layers: Int, hidden: Int, depth: Int)

    /// Features out per row.
    public var outputSize: Int {
        switch self {
        case .mlp(let sizes): return sizes.last ?? 0
        case .residual(let width, _): return width
        case .conv(_, _, _, _, let features, _): return features
        case .coupling(let width, _, _, _): return width
        }
    }

    /// The convolutions' (positions, patch size, output channels), in order:
    /// each halves the height and width, rounding up ((h + 4 - 5) / 2 + 1).
    private static func convolutions(channels: Int, height: Int, width: Int, filters: [Int]) -> [(Int, Int, Int)] {
        var c = channels, h = height, w = width
        var out: [(Int, Int, Int)] = []
        for f in filters {
            let (oh, ow) = ((h - 1) / 2 + 1, (w - 1) / 2 + 1)
            out.append((oh * ow, 25 * c, f))
            (c, h, w) = (f, oh, ow)
        }
        return out
    }

    /// Learned values (weights and biases).
    public var parameterCount: Int {
        func mlp(_ sizes: [Int]) -> Int { zip(sizes, sizes.dropFirst()).map { $0 * $1 + $1 }.reduce(0, +) }
        switch self {
        case .mlp(let sizes): return mlp(sizes)
        case .residual(let width, let blocks): return blocks * (width * width + width)
        case let .conv(channels, height, width, filters, features, layerNorm):
            let convs = Self.convolutions(channels: channels, height: height, width: width, filters: filters)
            let last = filters.last ?? 0
            return convs.map { $0.1 * $0.2 + $0.2 }.reduce(0, +) + (layerNorm ? 2 * last : 0) + last * features + features
        case let .coupling(width, layers, hidden, depth):
            return layers * mlp([width / 2] + Array(repeating: hidden, count: depth) + [width - width / 2])
        }
    }

    /// Values kept per row by a forward and backward pass (activations,
    /// im2col columns, gradients of the widest layer twice).
    public var activationsPerRow: Int {
        switch self {
        case .mlp(let sizes):
            return sizes.reduce(0, +) + 2 * (sizes.max() ?? 0)
        case .residual(let width, let blocks):
            return (2 * blocks + 3) * width
        case let .conv(channels, height, width, filters, features, _):
            let convs = Self.convolutions(channels: channels, height: height, width: width, filters: filters)
            // Columns and their gradient, pre-activations and outputs per layer.
            let perLayer = convs.map { 2 * $0.0 * $0.1 + 2 * $0.0 * $0.2 }.reduce(0, +)
            let widest = convs.map { max($0.0 * $0.1 / 25, $0.0 * $0.2) }.max() ?? 0
            return channels * height * width + perLayer + 2 * widest + features + (filters.last ?? 0)
        case let .coupling(width, layers, hidden, depth):
            return layers * (depth * hidden + width) + 2 * max(hidden, width) + 8 * width
        }
    }
}

extension EncoderPlan {
    /// Values per row kept by the tangent passes of a gradient penalty
    /// through the encoder (for the MLP `TangentBuffers`: the direction, ż
    /// and ȧ per layer, two stacked [primal; tangent] adjoints of the widest
    /// layer; for the residual MLP `ResidualTangentBuffers`); 0 for encoders
    /// without them (such a run is refused).
    public var tangentPerRow: Int {
        switch self {
        case .mlp(let sizes):
            let hidden = sizes.dropFirst().dropLast().reduce(0, +)
            return sizes.reduce(0, +) + hidden + 4 * (sizes.max() ?? 0)
        case .residual(let width, let blocks):
            return ResidualTangentBuffers<Float>.perRow(blocks: blocks, width: width)
        case .conv, .coupling:
            return 0
        }
    }
}

extension MemoryFootprint {
    /// An encoder of `plan` run on `rows` rows: parameters with gradients
    /// and Adam's two moments (Float), and the buffers of a pass.
    public static func encoder(_ plan: EncoderPlan, rows: Int) -> MemoryFootprint {
        MemoryFootprint(parameters: 4 * plan.parameterCount * MemoryLayout<Float>.stride,
                        activations: rows * plan.activationsPerRow * MemoryLayout<Float>.stride)
    }

    /// A representation-learning run (`RepresentationTrainer` with its
    /// probes): encoders g1 and g2 (one when shared, run on 2K rows), the
    /// critic, bound and baseline on their features as `training` counts
    /// them, the batch of views, `evalBatches` test batches kept for the
    /// whole run, and the probe's inputs: `probeItems` view-1 rows and
    /// their features encoded `RepresentationTrainer.encodeChunk` rows at a
    /// time, and `conditioning` inputs whose Jacobians are taken in groups
    /// of about `encodeChunk` rows (Double for the SVD). The views
    /// themselves are loaded before the run is planned and not counted.
    /// With `lipschitz` (a gradient penalty through the encoders) it adds
    /// the encoders' tangent buffers, the critic's pointwise passes with
    /// tangents, and the penalty's per-row copies (interpolates, input
    /// gradients, directions; about 4 values per view value and 5 per feature).
    public static func representation(g1: EncoderPlan, g2: EncoderPlan, shared: Bool, critic: CriticPlan,
                                      views: (Int, Int), batch k: Int, negatives: NegativeSampling,
                                      baseline: [Int]?, steps: Int, evalBatches: Int, probeItems: Int,
                                      conditioning: Int, lipschitz: Bool = false) -> MemoryFootprint {
        let float = MemoryLayout<Float>.stride, double = MemoryLayout<Double>.stride
        let chunk = RepresentationTrainer.encodeChunk
        let measuring = probeItems > 0 || conditioning > 0
        // g1 runs on the batch (2K rows when shared), on probe chunks and Jacobian passes.
        let g1Rows = max(shared ? 2 * k : k, measuring ? chunk : 0)
        var f = encoder(g1, rows: g1Rows)
        if !shared { f = f + encoder(g2, rows: k) }
        f = f + training(critic: critic, dimX: g1.outputSize, dimY: g2.outputSize, batch: k, negatives: negatives,
                         dropout: .none, baseline: baseline, lipschitz: lipschitz, steps: steps)
        if lipschitz {
            f.activations += (shared ? 2 * k * g1.tangentPerRow : k * (g1.tangentPerRow + g2.tangentPerRow)) * float
            f.activations += k * (4 * (views.0 + views.1) + 5 * (g1.outputSize + g2.outputSize)) * float
        }
        // The batch of views, and the fixed test batches.
        f.activations += k * (views.0 + views.1) * float
        f.data += evalBatches * k * (views.0 + views.1) * float
        if probeItems > 0 {
            // View-1 rows, their features, and the probe's standardised Double copy.
            f.data += probeItems * (views.0 * float + g1.outputSize * (float + 2 * double))
        }
        if conditioning > 0 {
            let m = max(1, g1.outputSize), n = views.0
            let group = min(conditioning, max(1, chunk / m))
            f.data += conditioning * n * float
            // A group's Jacobians in Float, one Double copy per core at a time, and the pass buffers.
            f.activations += group * m * n * float + 4 * m * n * double + chunk * (2 * n + m) * float
        }
        return f
    }
}
