import MIEngine

/// An estimator the language can name: its documentation and how to build
/// it: a bound scored by a critic, or (`makeModel`) a model trained on its
/// own, such as Barber-Agakov's decoder.
public struct EstimatorEntry: Sendable {
    public let entry: Entry
    /// Needs the data's known density: it scores with log p(y|x) itself.
    public let usesKnownDensity: Bool
    /// The critic's Lipschitz constraint when the user gives none.
    public let defaultLipschitz: String
    /// The bound a critic is trained on; nil for models.
    public let makeBound: (@Sendable (Arguments) -> any Bound)?
    /// A self-contained estimator on the given data (no critic); nil for bounds.
    public let makeModel: (@Sendable (ModelContext) throws -> any Estimator)?

    init(entry: Entry, usesKnownDensity: Bool, defaultLipschitz: String,
         makeBound: @escaping @Sendable (Arguments) -> any Bound) {
        self.entry = entry
        self.usesKnownDensity = usesKnownDensity
        self.defaultLipschitz = defaultLipschitz
        self.makeBound = makeBound
        self.makeModel = nil
    }

    init(model entry: Entry, make: @escaping @Sendable (ModelContext) throws -> any Estimator) {
        self.entry = entry
        self.usesKnownDensity = true
        self.defaultLipschitz = "none"
        self.makeBound = nil
        self.makeModel = make
    }

    /// Why the estimator takes no learned critic (nil when it takes one):
    /// it trains its own model, or scores with the known conditional.
    var refusesCritic: String? {
        guard usesKnownDensity else { return nil }
        return makeModel != nil ? "trains its own model" : "scores with the known log p(y|x)"
    }

    /// Whether the bound scores all K x K pairs (so shuffled negatives cannot serve it).
    var needsAllPairs: Bool { makeBound?(Arguments()).needsAllPairs ?? false }
}

/// What a model estimator is built from.
public struct ModelContext {
    /// The estimator's own arguments, e.g. `ba(decoder=[64])`.
    public let arguments: Arguments
    public let source: any DataSource
    public let activation: Activation
    /// The generator of the initial weights.
    public var rng: RNG
}

extension Registry {
    static let estimators: [EstimatorEntry] = [
        simple("nwj", "Nguyen-Wainwright-Jordan bound: mean_P f - exp(LME_N f - 1) (004 eq. 7)",
               "Unbiased with the optimal critic 1 + log p(y|x)/p(y), but its variance grows like e^MI / K.") { _ in NWJ() },
        simple("tuba", "TUBA bound with a learned log-baseline a(y) (004 eq. 6)",
               "1 + mean_P (f - a) - exp(LME_N (f - a)); the baseline network's size is the `baseline` option.") { _ in TUBA() },
        simple("dv", "Donsker-Varadhan: mean_P f - LME_N f (004 eq. 5)",
               "On a batch this is an estimate, neither an upper nor a lower bound; its gradient is biased.") { _ in DV() },
        EstimatorEntry(
            entry: Entry("mine", .estimator, positional: 1,
                         parameters: [Parameter("rate", .number, default: .number(0.01),
                                                "weight of the newest batch in the moving average",
                                                check: Check.number(in: 0...1, "rate", lowerOpen: true))],
                         summary: "MINE: reports dv, follows a moving-average-corrected gradient (Belghazi et al. 2018)",
                         details: "The moving average of mean_N e^f replaces the batch estimate in the gradient's denominator; 004 sec. 2.2 shows this is the gradient of TUBA with a(y) = EMA."),
            usesKnownDensity: false, defaultLipschitz: "none",
            makeBound: { MINE(rate: $0.number("rate") ?? 0.01) }),
        simple("nce", "InfoNCE: log K + mean_i [S_ii - logsumexp_j S_ij] (004 eq. 10)",
               "Low variance, but never above log K: it saturates once MI passes log(batch).") { _ in InfoNCE() },
        EstimatorEntry(
            entry: Entry("alpha", .estimator, positional: 1,
                         parameters: [Parameter("a", .number, "interpolation weight alpha in [0, 1]: 0 is nwj-like, 1 nce-like",
                                                check: Check.number(in: 0...1, "alpha"))],
                         summary: "interpolated bound I_alpha between nwj and nce (004 eq. 11)",
                         details: "Leave-one-out batch mean mixed with a learned baseline q(y); never above 1 + log(K/alpha)."),
            usesKnownDensity: false, defaultLipschitz: "none",
            makeBound: { Interpolated(alpha: $0.number("a") ?? 0.5) }),
        simple("js", "critic trained on Jensen-Shannon, reported as nwj at f + 1 (004 sec. 2.6)",
               "JS's optimal critic is log r and NWJ's is 1 + log r; the shift makes the estimate a valid bound.") { _ in JSBound() },
        simple("js_plugin", "JS-trained critic used directly: mean_P f (002 sec. 2.3); not a bound",
               "The average log density ratio on positive pairs; can lose monotonicity at high MI.") { _ in JSPlugin() },
        EstimatorEntry(
            entry: Entry("smile", .estimator, positional: 1,
                         parameters: [Parameter("tau", .number, default: .number(5), "clip negatives to [-tau, tau]",
                                                check: Check.positive)],
                         summary: "SMILE: JS-trained critic in dv with clipped negatives (Song & Ermon 2020)"),
            usesKnownDensity: false, defaultLipschitz: "none",
            makeBound: { SMILE(tau: $0.number("tau") ?? 5) }),
        EstimatorEntry(
            entry: Entry("wdm", .estimator,
                         summary: "Wasserstein dependency measure: mean_P f - mean_N f, Lipschitz critic (000 eq. 2)",
                         details: "Not in nats: it measures dependency in the input space's metric. The critic is kept 1-Lipschitz by a gradient penalty unless `lipschitz` says otherwise."),
            usesKnownDensity: false, defaultLipschitz: "gp", makeBound: { _ in WassersteinDependency() }),
        EstimatorEntry(
            entry: Entry("wpc", .estimator,
                         summary: "Wasserstein predictive coding: InfoNCE's form, Lipschitz critic (000 eq. 4)"),
            usesKnownDensity: false, defaultLipschitz: "gp", makeBound: { _ in wassersteinPredictiveCoding() }),
        EstimatorEntry(
            entry: Entry("structured_nce", .estimator,
                         summary: "InfoNCE with the known conditional log p(y|x) as critic (004 eq. 12)",
                         details: "Needs a built-in distribution; nothing is trained."),
            usesKnownDensity: true, defaultLipschitz: "none",
            makeBound: { _ in InfoNCE(normalise: .columns, name: "structured_nce") }),
        EstimatorEntry(
            entry: Entry("loo_upper", .estimator,
                         summary: "leave-one-out upper bound with the known conditional (004 eq. 13)",
                         details: "Needs a built-in distribution; nothing is trained. Large bias and variance when K is small."),
            usesKnownDensity: true, defaultLipschitz: "none", makeBound: { _ in LeaveOneOutUpperBound() }),
        EstimatorEntry(
            model: Entry("ba", .estimator, positional: 1,
                         parameters: [Parameter("decoder", .list(.integer), default: .list([]),
                                                "hidden widths of the decoder's mean network; [] is linear",
                                                check: Check.layerWidths(allowingNone: true))],
                         summary: "Barber-Agakov: mean log q(x|y) + h(X) with a learned Gaussian decoder q (004 eq. 2)",
                         details: "A lower bound whenever h(X) is known (built-in distributions). The linear decoder is exact for the Gaussian data, so the gap to the truth is what the decoder still has to learn."),
            make: { context in
                guard context.source.density(step: 0)?.entropyX != nil else {
                    throw RuntimeFailure("ba needs h(X), known only for built-in distributions; \(context.source.name) has none")
                }
                var rng = context.rng
                let decoder = GaussianDecoder<Float>(dimY: context.source.dimY, dimX: context.source.dimX,
                                                     hidden: context.arguments.ints("decoder") ?? [],
                                                     activation: context.activation, rng: &rng)
                return BarberAgakovEstimator(source: context.source, decoder: decoder)
            }),
        EstimatorEntry(
            model: Entry("variational_upper", .estimator,
                         summary: "variational upper bound: mean log p(y|x) - log q(y), learned Gaussian marginal q (004 eq. 3)",
                         details: "Needs the known conditional p(y|x); trains only q(y) = N(mu, diag sigma^2), and is tight when q is the true marginal."),
            make: { context in
                guard context.source.density(step: 0) != nil else {
                    throw RuntimeFailure("variational_upper needs the known p(y|x) of a built-in distribution; "
                                         + "\(context.source.name) has none")
                }
                return VariationalUpperBoundEstimator<Float>(source: context.source)
            }),
    ]

    private static func simple(_ name: String, _ summary: String, _ details: String = "",
                               _ make: @escaping @Sendable (Arguments) -> any Bound) -> EstimatorEntry {
        EstimatorEntry(entry: Entry(name, .estimator, summary: summary, details: details),
                       usesKnownDensity: false, defaultLipschitz: "none", makeBound: make)
    }
}
