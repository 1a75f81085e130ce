import MIEngine

/// Runs a `learn` command (001 sec. 3): encoders g1, g2 trained through a
/// bound on labelled view pairs, a critic on their features, and at every
/// evaluation the test I_EST, a probe's accuracy on g1's frozen features and
/// (optionally) the conditioning of g1's Jacobian. Lists sweep as for
/// `estimate`; each run is cached under its own key.
struct LearnCommand {
    let interpreter: Interpreter
    let command: Command
    private var registry: Registry { interpreter.registry }
    private var entry: Entry { registry.verb("learn")! }

    func run() throws -> Value {
        guard let subject = command.subject else { throw interpreter.failure("learn needs an estimator", command.verbRange) }
        let subjectValue = try interpreter.evaluate(subject)
        if case .symbol(let name) = subjectValue, registry.objective(name) != nil {
            if name == "reconstruct" { return try ReconstructLearn(command: self, objective: name).run() }
            return try AdversarialLearn(command: self, objective: name).run()
        }
        let estimators = try Sweep.estimators(subjectValue, verb: "learn", at: subject.range, in: interpreter)
        let subjectAxis = estimators.count > 1 || Sweep.isList(subject)
            ? Sweep.Axis(name: "estimator", values: estimators.map(Value.estimator), range: subject.range) : nil
        let sweep = try Sweep(command, entry: entry, subject: subjectAxis, in: interpreter)
        var results: [ResultValue] = []
        for (index, combination) in sweep.combinations.enumerated() {
            let (subjectValue, options) = sweep.options(combination, subjectAxis: "estimator")
            var estimator = estimators[0]
            if case .estimator(let e)? = subjectValue { estimator = e }
            let run = Run(command: self, estimator: estimator, options: options, given: sweep.given,
                          index: index + 1, of: sweep.combinations.count)
            let result = try run.result()
            results.append(result)
            if result.trace.interrupted { break }
        }
        if sweep.axes.isEmpty { return .result(results[0]) }
        return .table(sweep.table(summary: ["final", "se", "accuracy"], results: results))
    }

    /// The default views, `halves()`.
    func defaultViews() throws -> ViewsValue {
        guard case .views(let v) = try interpreter.makeViews("halves", Arguments(values: Self.defaults(of: "halves", registry)),
                                                             at: command.verbRange) else {
            preconditionFailure("halves() builds views")
        }
        return v
    }

    static func defaults(of name: String, _ registry: Registry) -> [String: Value] {
        var values: [String: Value] = [:]
        for p in registry.entry(named: name)?.parameters ?? [] { values[p.name] = p.defaultValue }
        return values
    }
}

/// One run of a `learn` sweep.
private struct Run {
    let command: LearnCommand
    let estimator: EstimatorValue
    let options: [String: Value]
    let given: [String: Sweep.Given]
    let index: Int
    let of: Int

    private var interpreter: Interpreter { command.interpreter }
    private var registry: Registry { interpreter.registry }

    private func option(_ name: String) -> Value? { options[name] ?? registry.verb("learn")!.parameter(name)?.defaultValue }
    private func int(_ name: String) -> Int { Int(option(name)?.asNumber ?? 0) }
    private func number(_ name: String) -> Double { option(name)?.asNumber ?? 0 }
    private func at(_ name: String) -> SourceRange { given[name]?.range ?? command.command.range }
    private var seed: UInt64 { options["seed"].flatMap(\.asNumber).map { UInt64($0) } ?? interpreter.environment.seed }
    private var probe: String { option("probe")?.asSymbol ?? "logistic" }
    private var probing: LearnProbe {
        LearnProbe(interpreter: interpreter, probe: probe, trainLimit: int("probe_train"),
                   trainLimitGiven: given["probe_train"] != nil, conditioning: int("conditioning"), seed: seed,
                   range: at("probe"))
    }

    /// The bound the encoders are trained through: one with a critic.
    private func bound() throws -> any Bound {
        let estimatorEntry = registry.estimator(estimator.name)!
        guard estimatorEntry.makeModel == nil, !estimatorEntry.usesKnownDensity,
              let bound = estimatorEntry.makeBound?(estimator.bound) else {
            throw interpreter.failure("\(estimator.name) is not a bound with a critic; learn trains encoders through "
                                      + "one such as nce, nwj, js or tuba", command.command.subject?.range ?? command.command.range)
        }
        return bound
    }

    /// The Lipschitz constraint of the composite critic: `lipschitz=`, else the estimator's default.
    private func lipschitz() throws -> Lipschitz {
        switch options["lipschitz"]?.asSymbol ?? registry.estimator(estimator.name)!.defaultLipschitz {
        case "gp": return .gradientPenalty(lambda: number("penalty"))
        case "sn": throw interpreter.failure(RepresentationError.spectralNormOfComposite.description, at("lipschitz"))
        default: return .none
        }
    }

    func result() throws -> ResultValue {
        _ = try bound()
        let views: ViewsValue
        if case .views(let v)? = options["data"] { views = v } else { views = try command.defaultViews() }
        // Refused before anything is allocated (the raw-pixel probe included) when it cannot fit.
        let memory = LearnMemoryCheck(registry: registry, views: views.source, learnsBaseline: try bound().baseline == .learned,
                                      lipschitz: try lipschitz() != .none, probe: probing.options(views), option: option)
        if let refusal = memory.refusal() { throw interpreter.failure(refusal, at(memory.blamed)) }
        let baseline = try probing.baseline(views)
        let value = try interpreter.memoised(key(views)) { .result(try train(views, baseline: baseline)) }
        guard case .result(let result) = value else { return try train(views, baseline: baseline) }
        return result
    }

    /// Everything the run's numbers depend on: the estimator, every option
    /// in force (defaults included), the views with their files' contents, and the seed.
    private func key(_ views: ViewsValue) -> RunKey {
        var parts: [(String, String)] = [("estimator", Value.estimator(estimator).keyText), ("data", views.key)]
        for p in registry.verb("learn")!.parameters where p.name != "seed" && p.name != "data" {
            if let v = option(p.name) { parts.append((p.name, v.keyText)) }
        }
        parts.append(("seed", String(seed)))
        return RunKey(verb: "learn", parts: parts, summary: "learn \(estimator.description) K=\(int("batch"))")
    }

    private func train(_ views: ViewsValue, baseline probeBaseline: (accuracy: Double, loss: Double)?) throws -> ResultValue {
        let bound = try self.bound()
        let source = views.source

        // Encoders, critic and baseline, each from the run's seed.
        var encoderValue = EncoderValue(name: "mlp", arguments: [:])
        if case .encoder(let e)? = option("encoder") { encoderValue = e }
        let encoderEntry = registry.encoder(encoderValue.name)!
        var arguments = Arguments(values: LearnCommand.defaults(of: encoderValue.name, registry),
                                  given: Set(encoderValue.arguments.keys))
        arguments.values.merge(encoderValue.arguments) { _, given in given }
        let shared = option("shared")?.asBool ?? false
        if shared && source.shape1 != source.shape2 {
            throw interpreter.failure("shared=true needs views of one shape; \(views.description) has \(source.shape1) "
                                      + "and \(source.shape2)", at("shared"))
        }
        var rng = RNG(seed: seed, stream: 1)
        let g1: FloatEncoder, g2: FloatEncoder
        do {
            g1 = try encoderEntry.make(arguments, source.shape1, &rng)
            g2 = shared ? g1 : try encoderEntry.make(arguments, source.shape2, &rng)
        } catch let f as RuntimeFailure {
            throw interpreter.failure(f.message, at("encoder"))
        }
        var criticValue = CriticValue(name: "bilinear", arguments: [:])
        if case .critic(let c)? = option("critic") { criticValue = c }
        let critic: FloatCritic
        do {
            critic = try criticValue.build(dimX: g1.outputSize, dimY: g2.outputSize, rng: &rng) { name in
                registry.verb("estimate")!.parameter(name)?.defaultValue
            }
        } catch { throw interpreter.failure(error.message, at("critic")) }
        var baseline: MLP<Float>? = nil
        if bound.baseline == .learned {
            var baselineRNG = RNG(seed: seed, stream: 5)
            let widths = option("baseline")?.asList?.compactMap { $0.asNumber.map { Int($0) } } ?? [512, 512]
            baseline = MLP(sizes: [g2.outputSize] + widths + [1], activation: .relu, rng: &baselineRNG)
        }

        let negatives = NegativeSampling(rawValue: option("negatives")?.asSymbol ?? "all") ?? .all
        let target = options["target"]?.asNumber
        let trainingOptions = RepresentationOptions(
            steps: int("steps"), batch: int("batch"), learningRate: number("lr"), weightDecay: number("weight_decay"),
            seed: seed, evalEvery: int("eval_every"), evalBatches: int("eval_batches"),
            objective: target.map { .target($0) } ?? .maximize, negatives: negatives, lipschitz: try lipschitz())
        let trainer = RepresentationTrainer(g1: g1, g2: g2, critic: critic, bound: bound, baseline: baseline,
                                            options: trainingOptions)
        do {
            try trainer.check(source)
        } catch {
            throw interpreter.failure(error.description, at(optionBlamed(for: error)))
        }
        trainer.hook = try probing.hook(views, conditioningRange: at("conditioning"))

        let observer = interpreter.observer, steps = int("steps")
        var progress = LearnProgress(observer: observer, label: "learn \(estimator.description) \(encoderValue.description) K=\(int("batch"))",
                                     total: steps, run: index, runs: of)
        trainer.onStep = { s in progress.step(s.step, value: s.estimate, time: s.time) }
        trainer.shouldStop = { observer.shouldStop() }
        let record = trainer.run(source)

        let trace = Trace(name: record.name,
                          steps: record.steps.map { TraceStep(step: $0.step, estimate: $0.estimate, time: $0.time) },
                          ceiling: record.ceiling, interrupted: record.interrupted)
        let constraint = trainingOptions.lipschitz
        var settings: [(String, Value)] = [("estimator", .string(estimator.description))]
        for p in registry.verb("learn")!.parameters {
            switch p.name {
            case "data": settings.append(("data", .string(views.description)))
            case "encoder": settings.append(("encoder", .string(encoderValue.description)))
            case "critic": settings.append(("critic", .string(criticValue.description)))
            case "lipschitz": settings.append(("lipschitz", .symbol(constraint == .none ? "none" : "gp")))
            case "penalty": if constraint != .none { settings.append(("penalty", .number(number("penalty")))) }
            default: if let v = option(p.name) { settings.append((p.name, v)) }
            }
        }
        settings.append(("seed", .number(Double(seed))))
        let criticDescription = criticValue.description + (constraint == .none ? "" : ", lipschitz=\(constraint)")
        return ResultValue(estimator: estimator.description, critic: criticDescription,
                           data: views.description, batch: int("batch"), settings: settings, trace: trace,
                           tail: max(1, steps / 10), span: 200, representation: record,
                           baselineAccuracy: probeBaseline?.accuracy, baselineLoss: probeBaseline?.loss)
    }

    /// The option a refused setting came from.
    private func optionBlamed(for error: RepresentationError) -> String {
        switch error {
        case .encoderInput: return "encoder"
        case .criticInput: return "critic"
        case .missingBaseline, .baselineShape: return "baseline"
        case .needsAllPairs: return "negatives"
        case .notEnoughItems(let split, _, _, _): return split == .test && given["eval_batches"] != nil ? "eval_batches" : "batch"
        case .batchTooSmall: return "batch"
        case .invalidOption(let name, _, _):
            switch name {
            case "the target": return "target"
            case "the learning rate": return "lr"
            case "the penalty weight": return "penalty"
            default: return "steps"
            }
        case .penaltyThroughEncoder: return "encoder"
        case .spectralNormOfComposite: return "lipschitz"
        case .invalidNoise, .unequalHalvesForNoise, .mismatchedImages, .imageTooSmall, .emptyImages, .missingClass, .noLabels:
            return "data"
        }
    }
}
