/// What a representation pass needs of an encoder. `FloatEncoder` provides
/// it on the hot path (each encoder called with its concrete type);
/// `GenericEncoderPass` wraps any `FeatureEncoder`, so the same pass is
/// gradient-checked in Double.
protocol EncoderPass {
    associatedtype Scalar: MIScalar
    /// The encoder object (two passes over the same one share weights).
    var object: AnyObject { get }
    var inputSize: Int { get }
    var outputSize: Int { get }
    var stores: [ParameterStore<Scalar>] { get }
    func forward(_ x: UnsafePointer<Scalar>, rows: Int) -> UnsafePointer<Scalar>
    func backward(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>?)
    /// Whether the tangent passes below exist (`TangentEncoder`); a
    /// gradient penalty through the encoder needs them.
    var hasTangent: Bool { get }
    func inputGradient(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>)
    func tangentForward(_ c: UnsafePointer<Scalar>) -> UnsafePointer<Scalar>
    func tangentBackward(dOut: UnsafePointer<Scalar>, dTangent: UnsafePointer<Scalar>)
}

extension FloatEncoder: EncoderPass {
    var object: AnyObject { generic }
    var hasTangent: Bool { tangent != nil }
}

struct GenericEncoderPass<Scalar: MIScalar>: EncoderPass {
    let encoder: any FeatureEncoder<Scalar>
    var object: AnyObject { encoder }
    var inputSize: Int { encoder.inputSize }
    var outputSize: Int { encoder.outputSize }
    var stores: [ParameterStore<Scalar>] { encoder.stores }
    func forward(_ x: UnsafePointer<Scalar>, rows: Int) -> UnsafePointer<Scalar> { encoder.forward(x, rows: rows) }
    func backward(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>?) {
        encoder.backward(dOut, dInput: dInput)
    }
    private var withTangent: any TangentEncoder<Scalar> {
        guard let e = encoder as? any TangentEncoder<Scalar> else { preconditionFailure("\(encoder.name) has no tangent passes") }
        return e
    }
    var hasTangent: Bool { encoder is any TangentEncoder<Scalar> }
    func inputGradient(_ dOut: UnsafePointer<Scalar>, dInput: UnsafeMutablePointer<Scalar>) {
        withTangent.inputGradient(dOut, dInput: dInput)
    }
    func tangentForward(_ c: UnsafePointer<Scalar>) -> UnsafePointer<Scalar> { withTangent.tangentForward(c) }
    func tangentBackward(dOut: UnsafePointer<Scalar>, dTangent: UnsafePointer<Scalar>) {
        withTangent.tangentBackward(dOut: dOut, dTangent: dTangent)
    }
}

/// What a representation pass needs of a critic (as `EncoderPass`).
protocol CriticPass {
    associatedtype Scalar: MIScalar
    var stores: [ParameterStore<Scalar>] { get }
    func forward(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet) -> [Scalar]
    func backward(_ d: [Scalar], dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?)
    // The `LipschitzCritic` passes, for a gradient penalty.
    func pointwiseForward(x: Matrix<Scalar>, y: Matrix<Scalar>) -> [Scalar]
    func inputGradient() -> (x: Matrix<Scalar>, y: Matrix<Scalar>)
    func directionalBackward(x cx: Matrix<Scalar>, y cy: Matrix<Scalar>,
                             dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?)
}

extension FloatCritic: CriticPass {}

struct GenericCriticPass<Scalar: MIScalar>: CriticPass {
    let critic: any Critic<Scalar>
    var stores: [ParameterStore<Scalar>] { critic.stores }
    func forward(x: Matrix<Scalar>, y: Matrix<Scalar>, pairs: PairSet) -> [Scalar] {
        critic.forward(x: x, y: y, pairs: pairs)
    }
    func backward(_ d: [Scalar], dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?) {
        critic.backward(d, dX: dX, dY: dY)
    }
    private var lipschitz: any LipschitzCritic<Scalar> {
        guard let c = critic as? any LipschitzCritic<Scalar> else { preconditionFailure("\(critic.name) has no input gradient") }
        return c
    }
    func pointwiseForward(x: Matrix<Scalar>, y: Matrix<Scalar>) -> [Scalar] { lipschitz.pointwiseForward(x: x, y: y) }
    func inputGradient() -> (x: Matrix<Scalar>, y: Matrix<Scalar>) { lipschitz.inputGradient() }
    func directionalBackward(x cx: Matrix<Scalar>, y cy: Matrix<Scalar>,
                             dX: UnsafeMutablePointer<Scalar>?, dY: UnsafeMutablePointer<Scalar>?) {
        lipschitz.directionalBackward(x: cx, y: cy, dX: dX, dY: dY)
    }
}

/// One batch through the whole model: features f1 = g1(x1), f2 = g2(x2),
/// scores f(f1_i, f2_j), the bound (with log a(f2) from the baseline where
/// it needs one) and, when training, the loss gradient into every store:
/// critic and baseline parameters, then d loss / d f1 and d loss / d f2
/// (the critic's input gradients, plus the baseline's for f2)
/// backpropagated through the encoders.
///
/// Two distinct encoders run side by side (each on one core when
/// `parallelism` allows). One encoder passed as both g1 and g2 (shared
/// weights) runs once on the 2K rows [x1; x2] and backpropagates
/// [d f1; d f2] once, so its gradient sums both uses.
///
/// With a `penalty`, each training step also adds the WGAN-GP penalty on
/// the composite critic f(x1, x2) = critic(g1(x1), g2(x2)) with respect to
/// the views, through the encoders (RepresentationPass+Penalty.swift).
final class RepresentationPass<E: EncoderPass, C: CriticPass> where E.Scalar == C.Scalar {
    typealias Scalar = E.Scalar
    let g1: E, g2: E
    let critic: C
    let baseline: MLP<Scalar>?
    let shared: Bool
    var parallelism: Parallelism
    /// Every store the loss depends on, each once.
    let stores: [ParameterStore<Scalar>]
    /// The critic's and the baseline's stores (the encoders' are cleared
    /// on the cores that backpropagate through them).
    let headStores: [ParameterStore<Scalar>]
    /// The gradient penalty on f(x1, x2) = critic(g1(x1), g2(x2)) in the
    /// views, and the generator of its interpolates (one draw per training step).
    let penalty: GradientPenalty?
    var penaltyRNG: RNG
    private let stack = Scratch<Scalar>(), dStack = Scratch<Scalar>(), dF1 = Scratch<Scalar>(), dF2 = Scratch<Scalar>()

    struct Outcome {
        /// I_EST on the batch.
        var estimate: Double
        /// The loss minimised: -objective, or |estimate - t|, plus the penalty.
        var loss: Double
        /// The penalty and its gradient norms at this step's interpolates (training with a penalty).
        var penalty: GradientPenalty.Evaluation? = nil
    }

    init(g1: E, g2: E, critic: C, baseline: MLP<Scalar>?, parallelism: Parallelism,
         penalty: GradientPenalty? = nil, penaltyRNG: RNG = RNG(seed: 0)) {
        self.g1 = g1
        self.g2 = g2
        self.critic = critic
        self.baseline = baseline
        self.parallelism = parallelism
        self.penalty = penalty
        self.penaltyRNG = penaltyRNG
        shared = g1.object === g2.object
        var seen = Set<ObjectIdentifier>()
        let all = g1.stores + (shared ? [] : g2.stores) + critic.stores + (baseline.map { [$0.store] } ?? [])
        stores = all.filter { seen.insert(ObjectIdentifier($0)).inserted }
        let encoders = Set((g1.stores + g2.stores).map(ObjectIdentifier.init))
        headStores = stores.filter { !encoders.contains(ObjectIdentifier($0)) }
    }

    /// Runs the batch of `k` rows x1 (k x g1.inputSize) and x2. When
    /// training, `afterBackward(i)` runs on the core that has just
    /// completed encoder i's gradients (0: g1, or the shared encoder; 1:
    /// g2), so that encoder's optimiser steps there, while its gradients
    /// are still in cache and without a parallel region of its own. With a
    /// penalty, training also draws this batch's interpolates from
    /// `penaltyRNG` and adds the penalty's gradient (after the bound's).
    func run(x1: UnsafePointer<Scalar>, x2: UnsafePointer<Scalar>, k: Int, pairs: PairSet, bound: inout any Bound,
             objective: RepresentationObjective, train: Bool, afterBackward: ((Int) -> Void)? = nil) -> Outcome {
        let (f1, f2) = encode(x1, x2, k: k)
        let raw = critic.forward(x: f1, y: f2, pairs: pairs)
        let scores = Scores(raw.map(Double.init), pairs: pairs, parallelism: parallelism)
        let logBaseline = baseline.map { $0.forward(f2).storage.map(Double.init) }
        let result = bound.evaluate(scores, logBaseline: logBaseline)
        // d loss / d objective: -1 to maximise; sign(I - t) for |I - t|.
        let loss: Double, scale: Double
        switch objective {
        case .maximize:
            (loss, scale) = (-result.objective, -1)
        case .target(let t):
            let gap = result.estimate - t
            (loss, scale) = (Swift.abs(gap), gap > 0 ? 1 : gap < 0 ? -1 : 0)
        }
        if train {
            for s in headStores { s.zeroGrad() }
            let d1 = dF1.reserve(k * g1.outputSize), d2 = dF2.reserve(k * g2.outputSize)
            critic.backward(result.dScores.map { Scalar(scale * $0) }, dX: d1, dY: d2)
            if let baseline, let d = result.dLogBaseline {
                let dIn = baseline.backward(Matrix(rows: k, cols: 1, storage: d.map { Scalar(scale * $0) }))
                dIn.storage.withUnsafeBufferPointer { RowKernels.addTo(d2, $0.baseAddress!, k * g2.outputSize) }
            }
            guard let penalty else {
                backpropagate(UnsafePointer(d1), UnsafePointer(d2), k: k, then: afterBackward)
                return Outcome(estimate: result.estimate, loss: loss)
            }
            // The bound's gradient first: the penalty's passes overwrite what
            // the encoders and the critic kept from this batch.
            backpropagate(UnsafePointer(d1), UnsafePointer(d2), k: k, then: nil)
            let (x1h, x2h) = interpolates(x1, x2, k: k, rng: &penaltyRNG)
            let evaluation = accumulatePenalty(penalty, x1: x1h, x2: x2h, then: afterBackward)
            return Outcome(estimate: result.estimate, loss: loss + evaluation.value, penalty: evaluation)
        }
        return Outcome(estimate: result.estimate, loss: loss)
    }

    /// f1 = g1(x1), f2 = g2(x2) as matrices.
    func encode(_ x1: UnsafePointer<Scalar>, _ x2: UnsafePointer<Scalar>, k: Int) -> (Matrix<Scalar>, Matrix<Scalar>) {
        let n1 = g1.inputSize, out = g1.outputSize
        if shared {
            let rows = stack.reserve(2 * k * n1)
            rows.update(from: x1, count: k * n1)
            (rows + k * n1).update(from: x2, count: k * n1)
            let f = g1.forward(rows, rows: 2 * k)
            return (Matrix(rows: k, cols: out, storage: Array(UnsafeBufferPointer(start: f, count: k * out))),
                    Matrix(rows: k, cols: out, storage: Array(UnsafeBufferPointer(start: f + k * out, count: k * out))))
        }
        var f1 = Matrix<Scalar>(rows: 0, cols: 0), f2 = f1
        let inputs = UncheckedBox((x1, x2))
        withUnsafeMutablePointer(to: &f1) { p1 in
            withUnsafeMutablePointer(to: &f2) { p2 in
                let outs = UncheckedBox((p1, p2))
                parallelism.both({
                    let f = self.g1.forward(inputs.value.0, rows: k)
                    outs.value.0.pointee = Matrix(rows: k, cols: self.g1.outputSize,
                                                  storage: Array(UnsafeBufferPointer(start: f, count: k * self.g1.outputSize)))
                }, {
                    let f = self.g2.forward(inputs.value.1, rows: k)
                    outs.value.1.pointee = Matrix(rows: k, cols: self.g2.outputSize,
                                                  storage: Array(UnsafeBufferPointer(start: f, count: k * self.g2.outputSize)))
                })
            }
        }
        return (f1, f2)
    }

    /// Backpropagates d loss / d f1 and d loss / d f2 through the encoders,
    /// whose gradients it first clears.
    private func backpropagate(_ d1: UnsafePointer<Scalar>, _ d2: UnsafePointer<Scalar>, k: Int,
                               then afterBackward: ((Int) -> Void)?) {
        if shared {
            let out = g1.outputSize
            let d = dStack.reserve(2 * k * out)
            d.update(from: d1, count: k * out)
            (d + k * out).update(from: d2, count: k * out)
            for s in g1.stores { s.zeroGrad() }
            g1.backward(d, dInput: nil)
            afterBackward?(0)
            return
        }
        let grads = UncheckedBox((d1, d2))
        parallelism.both({
            for s in self.g1.stores { s.zeroGrad() }
            self.g1.backward(grads.value.0, dInput: nil)
            afterBackward?(0)
        }, {
            for s in self.g2.stores { s.zeroGrad() }
            self.g2.backward(grads.value.1, dInput: nil)
            afterBackward?(1)
        })
    }
}
