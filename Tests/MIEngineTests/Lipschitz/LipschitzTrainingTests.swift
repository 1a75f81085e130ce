import Testing
@testable import MIEngine

/// Short Float training runs of wdm and wpc with Lipschitz critics.
@Suite struct LipschitzTrainingTests {
    static let data = GaussianSource(dim: 2, mi: 1)
    static let options = TrainingOptions(steps: 300, batch: 32, learningRate: 1e-3, seed: 5)

    static func critic(_ kind: String, rng: inout RNG) -> FloatCritic {
        let shape = NetworkShape(hidden: [32, 32], activation: .relu)
        switch kind {
        case "separable":
            return .separable(SeparableCritic(dimX: 2, dimY: 2, shape: shape, embedding: 8, rng: &rng))
        default:
            return .concat(ConcatCritic(dimX: 2, dimY: 2, shape: shape, rng: &rng))
        }
    }

    /// Mean input-gradient norm at fresh interpolates of the critic as the
    /// estimator uses it (with normalised weights under spectral normalisation).
    static func meanNorm(_ e: CriticEstimator, seed: UInt64) -> Double {
        let critic = e.critic
        let sn = e.regularizers.lazy.compactMap { $0 as? SpectralNormalization }.first
        sn?.prepare(critic, training: false)
        defer { sn?.state.restore(critic.stores, mapGradients: false) }
        var rng = RNG(seed: seed, stream: 9)
        let batch = data.sample(batch: 256, step: 0, rng: &rng)
        let (x, y) = GradientPenalty.interpolates(x: batch.x.converted(to: Float.self),
                                                  y: batch.y.converted(to: Float.self), rng: &rng)
        let probe = GradientPenalty()
        switch critic {
        case .separable(let c): return probe.evaluate(c, x: x, y: y).meanNorm
        case .concat(let c): return probe.evaluate(c, x: x, y: y).meanNorm
        case .bilinear(let c): return probe.evaluate(c, x: x, y: y).meanNorm
        }
    }

    struct Run {
        let estimator: CriticEstimator
        let trace: Trace
        /// The penalty's mean gradient norm at each training step (gradient penalty only).
        let trainingNorms: [Double]
    }

    static func train(_ kind: String, _ lipschitz: Lipschitz, wpc: Bool = false, steps: Int = 300) -> Run {
        var rng = RNG(seed: 1)
        let critic = critic(kind, rng: &rng)
        let e = wpc ? CriticEstimator.wpc(critic: critic, lipschitz: lipschitz, rng: &rng)
                    : CriticEstimator.wdm(critic: critic, lipschitz: lipschitz, rng: &rng)
        let penalty = e.regularizers.lazy.compactMap { $0 as? GradientPenalty }.first
        var norms: [Double] = []
        var options = Self.options
        options.steps = steps
        let trace = Trainer(options: options, onStep: { _ in
            if let last = penalty?.last { norms.append(last.meanNorm) }
        }).run(e, on: data)
        return Run(estimator: e, trace: trace, trainingNorms: norms)
    }

    /// wdm's objective is linear in f: unconstrained, the critic's scale
    /// grows without limit; the gradient penalty holds ||∇f|| near 1.
    @Test(arguments: ["concat", "separable"])
    func gradientPenaltyKeepsNormsNearOne(_ kind: String) {
        let run = Self.train(kind, .standard)
        #expect(run.estimator.name.hasSuffix("lipschitz=gp(10)"))
        #expect(run.trainingNorms.count == Self.options.steps)
        let training = Statistics.mean(run.trainingNorms.suffix(100))
        let final = Self.meanNorm(run.estimator, seed: 3)
        #expect(abs(training - 1) < 0.1, "mean norm over the last 100 steps \(training)")
        #expect(abs(final - 1) < 0.15, "mean norm after training \(final)")
        #expect(run.trace.estimates.allSatisfy { $0.isFinite })
        #expect(run.trace.finalMean(last: 50) > 0, "wdm should separate dependent pairs")

        let free = Self.train(kind, .none)
        let freeNorm = Self.meanNorm(free.estimator, seed: 3)
        #expect(freeNorm > 5 * final, "unconstrained norm \(freeNorm) vs penalised \(final)")
    }

    /// With spectral normalisation the concat critic stays (about)
    /// 1-Lipschitz, and one power iteration per step tracks sigma.
    @Test func spectralNormBoundsConcatCritic() {
        let run = Self.train("concat", .spectralNorm)
        #expect(run.estimator.lipschitz == .spectralNorm)
        let norm = Self.meanNorm(run.estimator, seed: 3)
        #expect(norm <= 1.05 && norm > 0.05, "mean norm \(norm)")
        #expect(run.trace.estimates.allSatisfy { $0.isFinite })
        let sn = run.estimator.regularizers.compactMap { $0 as? SpectralNormalization }[0]
        let stores = run.estimator.critic.stores
        sn.prepare(run.estimator.critic, training: false)
        sn.state.restore(stores, mapGradients: false)
        for (i, m) in sn.state.matrices.enumerated() {
            let w = Matrix(rows: m.rows, cols: m.cols,
                           storage: Array(stores[m.store].values[m.offset..<(m.offset + m.count)]))
            let truth = w.converted(to: Double.self).singularValues[0]
            #expect(abs(sn.state.sigmas[i] - truth) / truth < 0.1, "matrix \(i): sigma \(sn.state.sigmas[i]) vs \(truth)")
        }
    }

    /// wpc (InfoNCE's form on a penalised critic) learns and stays under
    /// log K. A critic with slope about 1 on unit-scale data cannot reach
    /// the log density ratio, so it ends well below the true MI (1 nat).
    @Test func wpcWithGradientPenalty() {
        let run = Self.train("separable", .standard, wpc: true)
        let logK = LogDomain.log(Double(Self.options.batch))
        #expect(run.trace.estimates.allSatisfy { $0.isFinite && $0 <= logK + 1e-9 })
        #expect(run.trace.finalMean(last: 50) > 0.1, "wpc final \(run.trace.finalMean(last: 50))")
        #expect(abs(Statistics.mean(run.trainingNorms.suffix(100)) - 1) < 0.25)
    }

    /// No constraint attached means the estimator runs exactly as before:
    /// the same numbers, bit for bit, as a plain `CriticEstimator`.
    @Test func unconstrainedPathUnchanged() {
        var r1 = RNG(seed: 1), r2 = RNG(seed: 1)
        let a = CriticEstimator.wdm(critic: Self.critic("concat", rng: &r1), lipschitz: .none, rng: &r1)
        let b = CriticEstimator(critic: Self.critic("concat", rng: &r2), bound: WassersteinDependency())
        var options = Self.options
        options.steps = 20
        let ta = Trainer(options: options).run(a, on: Self.data)
        let tb = Trainer(options: options).run(b, on: Self.data)
        #expect(a.regularizers.isEmpty && a.name == b.name)
        #expect(ta.estimates == tb.estimates)
    }

    /// Attaching a new constraint replaces the old one.
    @Test func constrainReplaces() {
        var rng = RNG(seed: 2)
        let e = CriticEstimator.wdm(critic: Self.critic("concat", rng: &rng), rng: &rng)
        #expect(e.lipschitz == .gradientPenalty(lambda: 10))
        e.constrain(.spectralNorm, rng: &rng)
        #expect(e.lipschitz == .spectralNorm && e.regularizers.count == 1)
        e.constrain(.gradientPenalty(lambda: 2.5), rng: &rng)
        #expect(e.name.hasSuffix("lipschitz=gp(2.5)"))
        e.constrain(.none, rng: &rng)
        #expect(e.regularizers.isEmpty)
    }
}
