import MIEngine

/// What a `learn` run will hold in memory (`MemoryFootprint.representation`),
/// priced from its options before any encoder, critic or probe input is
/// allocated, and the refusal of a run that would not fit in the memory
/// this machine has free, with the number and what to shrink, as
/// `estimate` refuses (an encoder of two 65536-wide layers would otherwise
/// allocate 68 GiB and be killed).
struct LearnMemoryCheck {
    let footprint: MemoryFootprint
    /// What to change, and the option to point at.
    let advice: String
    let blamed: String

    /// - Parameters:
    ///   - option: the run's value of a `learn` option, defaults included.
    ///   - probe: the probe hook's options (nil probe: none).
    ///   - lipschitz: whether the run has a gradient penalty (tangent passes through encoders and critic).
    init(registry: Registry, views: any ViewPairs, learnsBaseline: Bool, lipschitz: Bool = false,
         probe: RepresentationProbeOptions, option: (String) -> Value?) {
        var encoderValue = EncoderValue(name: "mlp", arguments: [:])
        if case .encoder(let e)? = option("encoder") { encoderValue = e }
        var arguments = Arguments(values: LearnCommand.defaults(of: encoderValue.name, registry))
        arguments.values.merge(encoderValue.arguments) { _, given in given }
        let plan = registry.encoder(encoderValue.name)?.plan ?? { _, shape in .mlp(sizes: [shape.size, 300, 300, 100]) }
        let shared = option("shared")?.asBool ?? false
        let g1 = plan(arguments, views.shape1)
        let g2 = shared ? g1 : plan(arguments, views.shape2)
        var critic = CriticValue(name: "bilinear", arguments: [:])
        if case .critic(let c)? = option("critic") { critic = c }
        // Settings learn does not take itself are estimate's defaults (as `CriticValue.build` is given them).
        func setting(_ name: String) -> Value? { critic.arguments[name] ?? registry.verb("estimate")!.parameter(name)?.defaultValue }
        let shape = NetworkShape(hidden: setting("hidden")?.asList?.compactMap { $0.asNumber.map { Int($0) } } ?? [256, 256],
                                 activation: .relu)
        let criticPlan: CriticPlan
        switch critic.name {
        case "separable": criticPlan = .separable(shape, embedding: Int(setting("embed")?.asNumber ?? 32))
        case "concat": criticPlan = .concat(shape)
        case "inner": criticPlan = .inner
        default: criticPlan = .bilinear
        }
        let baseline = learnsBaseline ? option("baseline")?.asList?.compactMap { $0.asNumber.map { Int($0) } } ?? [512, 512] : nil
        let negatives = NegativeSampling(rawValue: option("negatives")?.asSymbol ?? "all") ?? .all
        func int(_ name: String) -> Int { Int(option(name)?.asNumber ?? 0) }
        let batch = int("batch"), steps = int("steps")
        let evalBatches = int("eval_every") > 0 ? int("eval_batches") : 0
        let probeItems = probe.probe == nil ? 0 : (probe.trainLimit ?? views.count(.train)) + views.count(.test)
        footprint = .representation(g1: g1, g2: g2, shared: shared, critic: criticPlan, views: (views.shape1.size, views.shape2.size),
                                    batch: batch, negatives: negatives, baseline: baseline, steps: steps,
                                    evalBatches: evalBatches, probeItems: probeItems, conditioning: probe.conditioning,
                                    lipschitz: lipschitz)

        // The advice follows the largest part, and within it the largest contributor.
        let encoders = MemoryFootprint.encoder(g1, rows: batch) + (shared ? MemoryFootprint() : .encoder(g2, rows: batch))
        switch footprint.dominantPart {
        case .parameters:
            if 2 * encoders.parameters >= footprint.parameters {
                (advice, blamed) = ("use a smaller encoder (fewer or narrower layers, fewer features out)", "encoder")
            } else {
                (advice, blamed) = ("use a smaller critic" + (baseline != nil ? " or baseline" : "")
                                    + (criticPlan == .bilinear ? " (bilinear weighs out x out features: fewer encoder features out)" : ""),
                                    "critic")
            }
        case .activations, .scores:
            let shuffle = negatives == .all && critic.name == "concat"
            (advice, blamed) = ("use a smaller batch" + (shuffle ? " or negatives=shuffled" : "")
                                + (2 * encoders.activations >= footprint.activations ? " or a smaller encoder" : ""), "batch")
        case .data:
            let trace = steps * MemoryLayout<TraceStep>.stride
            let tests = evalBatches * batch * (views.shape1.size + views.shape2.size) * MemoryLayout<Float>.stride
            let conditioning = probe.conditioning * views.shape1.size * MemoryLayout<Float>.stride
            let largest = max(trace, tests, conditioning)
            if largest == trace {
                (advice, blamed) = ("use fewer steps", "steps")
            } else if largest == tests {
                (advice, blamed) = ("use fewer eval_batches or a smaller batch", "eval_batches")
            } else if largest == conditioning && largest * 2 >= footprint.data {
                (advice, blamed) = ("use fewer conditioning inputs", "conditioning")
            } else {
                (advice, blamed) = ("use a smaller probe_train or fewer test items (the views' test=...)", "probe_train")
            }
        }
    }

    /// The refusal message when the run does not fit in `available` bytes
    /// (nil: it fits, or the free memory is unknown).
    func refusal(available: Int? = SystemMemory.available()) -> String? {
        guard let available, footprint.total > available else { return nil }
        return "this run needs about \(SystemMemory.describe(footprint.total)) of memory, more than this machine "
            + "has free; \(advice)"
    }
}
