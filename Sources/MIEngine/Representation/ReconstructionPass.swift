/// The decoder family of 002 sec. 5.1's V-InfoMax objective: the
/// functions phi the predictive family V maps features to the mean of a
/// Gaussian with (002 eq. 14), so that I_V(e(X) -> X) is measured with
/// respect to them.
public enum ReconstructionDecoder: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// One dense layer, features to values (002 App. C.3's linear decoder,
    /// matched to the linear evaluation protocol).
    case linear
    /// An MLP with these hidden widths and ReLU, no dropout (002 App. C.3:
    /// the encoder's architecture, 300-300, matched to the MLP probe).
    case mlp(hidden: [Int])

    /// The decoder's layer widths from `features` to `values`.
    public func sizes(features: Int, values: Int) -> [Int] {
        switch self {
        case .linear: return [features, values]
        case .mlp(let hidden): return [features] + hidden + [values]
        }
    }

    /// `linear`, or `mlp(300, 300)`.
    public var description: String {
        switch self {
        case .linear: return "linear"
        case .mlp(let hidden): return "mlp(" + hidden.map(String.init).joined(separator: ", ") + ")"
        }
    }
}

/// Which parameters a training pass differentiates.
enum ReconstructionGradients {
    /// The decoder alone (a decoder step: g1 held fixed).
    case decoder
    /// g1, through the fixed decoder (an encoder step).
    case encoder
    /// Both (the joint steps of 002 App. D.5, Fig. 14).
    case both
}

/// One batch through g1 and the decoder phi: the reconstruction loss of
/// 002 eq. 15 and its exact gradients. Generic over the encoder (as
/// `RepresentationPass`) so the gradients are checked in Double.
///
/// The loss is the mean squared error per value,
///
///     L = 1/(K D) sum_r sum_j (phi(g1(x_r))_j - t_rj)^2,
///
/// for K rows of inputs x (what g1 reads) and targets t (D values each; on
/// `WholeImageViews` t = x). 002 eq. 15 writes the mean over items of the
/// squared L2 norm, which is D times this: the same minimiser, and Adam's
/// steps barely depend on the scale, but the weight decay 002 adds to the
/// gradient (PyTorch's `weight_decay`, App. C.3: 1e-5) weighs against the
/// loss as written, and PyTorch's `MSELoss` (the L2 loss of 002's code
/// base, whose Table 2 reports losses below 1 on normalised CIFAR-10) is
/// this per-value mean. Reported losses are in squared pixel units
/// (pixels in [0, 1]).
///
///     dL/dphi_rj = 2 (phi_rj - t_rj) / (K D),
///
/// back through the decoder to d L / d features, and back through g1.
final class ReconstructionPass<E: EncoderPass> {
    typealias Scalar = E.Scalar
    let encoder: E
    let decoder: MLP<Scalar>
    /// The network of an MLP encoder, the one kind dropout applies to (nil otherwise).
    private let droppable: MLP<Scalar>?
    /// Dropout on g1's hidden layers in training passes (002 App. C.3: 0.5, 0.5).
    let dropout: Dropout
    private let dOutput = Scratch<Scalar>(), dFeatures = Scratch<Scalar>()

    init(encoder: E, decoder: MLP<Scalar>, dropout: Dropout) {
        precondition(decoder.inputSize == encoder.outputSize, "the decoder reads \(decoder.inputSize) features")
        self.encoder = encoder
        self.decoder = decoder
        self.dropout = dropout
        droppable = (encoder.object as? MLPEncoder<Scalar>)?.network
        precondition(!dropout.isActive || droppable != nil, "dropout applies to an MLP encoder's hidden layers")
    }

    /// The loss of `rows` rows without dropout, computing no gradient.
    func evaluate(_ x: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>, rows: Int) -> Double {
        let f = encoder.forward(x, rows: rows)
        return Self.meanSquaredError(decoder.forward(f, rows: rows), target, rows: rows, values: decoder.outputSize,
                                     gradient: nil)
    }

    /// A training pass: g1 runs with dropout (masks drawn from `rng`; the
    /// same generator state gives the same masks), and the loss's gradient
    /// replaces the gradients of the parameters `gradients` names. The
    /// decoder's gradients are replaced in every training pass (its
    /// backward pass computes them on the way to the features); g1's are
    /// left alone in a decoder step, whose backward pass stops at the features.
    func train(_ x: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>, rows: Int,
               gradients: ReconstructionGradients, rng: inout RNG) -> Double {
        let f: UnsafePointer<Scalar>
        if let droppable, dropout.isActive {
            f = droppable.forward(x, rows: rows, dropout: dropout, rng: &rng)
        } else {
            f = encoder.forward(x, rows: rows)
        }
        let y = decoder.forward(f, rows: rows)
        let d = decoder.outputSize
        let dy = dOutput.reserve(rows * d)
        let loss = Self.meanSquaredError(y, target, rows: rows, values: d, gradient: dy)
        decoder.store.zeroGrad()
        if gradients == .decoder {
            decoder.backward(UnsafePointer(dy), dInput: nil)
            return loss
        }
        let df = dFeatures.reserve(rows * decoder.inputSize)
        decoder.backward(UnsafePointer(dy), dInput: df)
        for s in encoder.stores { s.zeroGrad() }
        encoder.backward(UnsafePointer(df), dInput: nil)
        return loss
    }

    /// L above, summed in Double row by row in order (the same bits on any
    /// number of cores); with `gradient`, writes dL/dy there.
    static func meanSquaredError(_ y: UnsafePointer<Scalar>, _ t: UnsafePointer<Scalar>, rows: Int, values: Int,
                                 gradient: UnsafeMutablePointer<Scalar>?) -> Double {
        let n = rows * values
        let scale = 2 / Double(n)
        var total = 0.0
        for r in 0..<rows {
            var row = 0.0
            for j in (r * values)..<((r + 1) * values) {
                let e = Double(y[j]) - Double(t[j])
                row += e * e
                gradient?[j] = Scalar(scale * e)
            }
            total += row
        }
        return total / Double(n)
    }
}
