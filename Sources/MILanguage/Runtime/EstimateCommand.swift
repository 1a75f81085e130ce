import MIEngine

/// Runs an `estimate` command: evaluates its options, expands sweeps into
/// every combination, builds the engine objects for each and trains.
struct EstimateCommand {
    let interpreter: Interpreter
    let command: Command
    private var registry: Registry { interpreter.registry }

    func run() throws -> Value {
        guard let subject = command.subject else { throw interpreter.failure("estimate needs an estimator", command.verbRange) }
        let estimators = try Sweep.estimators(try interpreter.evaluate(subject), verb: "estimate", at: subject.range,
                                             in: interpreter)
        let subjectAxis = estimators.count > 1 || Sweep.isList(subject)
            ? Sweep.Axis(name: "estimator", values: estimators.map(Value.estimator), range: subject.range) : nil
        let sweep = try Sweep(command, entry: registry.verb("estimate")!, subject: subjectAxis, in: interpreter)
        let given = sweep.given
        var results: [ResultValue] = []
        for (runIndex, combo) in sweep.combinations.enumerated() {
            let (subjectValue, options) = sweep.options(combo, subjectAxis: "estimator")
            var estimator = estimators[0]
            if case .estimator(let e)? = subjectValue { estimator = e }
            let result = try runOne(estimator, options, given: given, run: runIndex + 1, of: sweep.combinations.count)
            results.append(result)
            if result.trace.interrupted { break }
        }
        if sweep.axes.isEmpty { return .result(results[0]) }
        return .table(sweep.table(summary: ["final", "truth", "bias", "std"], results: results))
    }

    // MARK: One run

    /// One run, replayed from the session's run cache when it holds one
    /// with the same key.
    private func runOne(_ estimator: EstimatorValue, _ options: [String: Value], given: [String: Sweep.Given],
                        run: Int, of runs: Int) throws -> ResultValue {
        let value = try interpreter.memoised(key(estimator, options)) {
            .result(try train(estimator, options, given: given, run: run, of: runs))
        }
        guard case .result(let result) = value else {
            return try train(estimator, options, given: given, run: run, of: runs)
        }
        return result
    }

    /// Everything a run's numbers depend on: the estimator, every option's
    /// value in force (defaults included), and the seed.
    private func key(_ estimator: EstimatorValue, _ options: [String: Value]) -> RunKey {
        let entry = registry.verb("estimate")!
        var parts: [(String, String)] = [("estimator", Value.estimator(estimator).keyText)]
        for p in entry.parameters where p.name != "seed" {
            if let v = options[p.name] ?? p.defaultValue { parts.append((p.name, v.keyText)) }
        }
        let seed = options["seed"].flatMap(\.asNumber).map { UInt64($0) } ?? interpreter.environment.seed
        parts.append(("seed", String(seed)))
        let batch = (options["batch"] ?? entry.parameter("batch")?.defaultValue)?.shortDescription ?? "?"
        return RunKey(verb: "estimate", parts: parts, summary: "\(estimator.description) K=\(batch)")
    }

    private func train(_ estimator: EstimatorValue, _ options: [String: Value], given: [String: Sweep.Given],
                       run: Int, of runs: Int) throws -> ResultValue {
        func option(_ name: String) -> Value? { options[name] ?? registry.verb("estimate")!.parameter(name)?.defaultValue }
        func int(_ name: String) -> Int { Int(option(name)?.asNumber ?? 0) }
        func number(_ name: String) -> Double { option(name)?.asNumber ?? 0 }
        func ints(_ name: String) -> [Int] { option(name)?.asList?.compactMap { $0.asNumber.map { Int($0) } } ?? [] }
        func at(_ name: String) -> SourceRange { given[name]?.range ?? command.range }

        let estimatorEntry = registry.estimator(estimator.name)!
        let bound = estimatorEntry.makeBound?(estimator.bound)
        let batch = int("batch"), steps = int("steps")
        let seed = options["seed"].flatMap(\.asNumber).map { UInt64($0) } ?? interpreter.environment.seed
        let negatives = NegativeSampling(rawValue: option("negatives")?.asSymbol ?? "all") ?? .all
        if bound?.needsAllPairs == true && negatives == .shuffled {
            throw interpreter.failure("\(estimator.description) needs all K x K pairs; use negatives=all", at("negatives"))
        }

        // Data.
        var data: any DataSource
        var dataDescription: String
        if case .data(let d)? = options["data"] {
            data = d.source
            dataDescription = d.description
        } else {
            if let message = GaussianLimit.check(mi: number("mi"), dim: int("dim")) {
                throw interpreter.failure(message, at("mi"))
            }
            let g = GaussianSource(dim: int("dim"), mi: number("mi"))
            data = g
            dataDescription = g.name
        }
        // Critic.
        var criticValue = CriticValue(name: "separable", arguments: [:])
        if case .critic(let c)? = options["critic"] { criticValue = c }
        let engineEstimator: any Estimator
        let criticDescription: String
        if let why = estimatorEntry.refusesCritic, given["critic"] != nil, criticValue.name != "optimal" {
            throw interpreter.failure("\(estimator.name) \(why); it takes no critic (remove critic=\(criticValue.name))",
                                      at("critic"))
        }
        let dropout = try self.dropout(option("dropout"), criticValue, options: options, at: at("dropout"))
        try checkMemory(estimator, estimatorEntry, bound: bound, critic: criticValue, options: options, data: data,
                        batch: batch, steps: steps, negatives: negatives, dropout: dropout, at: at)
        // A fixed dataset is drawn only once the critic is known to fit: drawing
        // n pairs of a wide source can take a minute that a refusal should not cost.
        if let n = options["n"]?.asNumber {
            if let pairs = data.trainingPairs, Int(n) > pairs {
                throw interpreter.failure("n=\(Int(n)) is more than the \(pairs) training pairs of \(dataDescription) "
                                          + "to draw from; use n=\(pairs) or less", at("n"))
            }
            try checkMemory(.drawnDataset(n: Int(n), dimX: data.dimX, dimY: data.dimY),
                            advice: "use a smaller n", at: at("n"))
            let fixed = FixedDataset(drawing: Int(n), from: data, evalFraction: number("eval"), seed: seed)
            if batch > fixed.trainIndices.count {
                throw interpreter.failure("batch \(batch) is larger than the \(fixed.trainIndices.count) training pairs of n=\(Int(n))", at("batch"))
            }
            data = fixed
            dataDescription = fixed.name
        }
        if let makeModel = estimatorEntry.makeModel {
            let act = Activation(rawValue: option("act")?.asSymbol ?? "relu") ?? .relu
            let context = ModelContext(arguments: estimator.bound, source: data, activation: act, rng: RNG(seed: seed, stream: 1))
            do {
                engineEstimator = try makeModel(context)
            } catch let f as RuntimeFailure {
                throw interpreter.failure(f.message, at(given["data"] != nil ? "data" : "critic"))
            }
            criticDescription = engineEstimator.name.components(separatedBy: " with ").last ?? ""
        } else if let bound, criticValue.name == "optimal" || estimatorEntry.usesKnownDensity {
            guard data.density(step: 0) != nil else {
                throw interpreter.failure("\(criticValue.name == "optimal" ? "critic=optimal" : estimator.name) needs a built-in "
                    + "distribution with a known density; \(dataDescription) has none", at(given["data"] != nil ? "data" : "critic"))
            }
            engineEstimator = OptimalEstimator(bound: bound, source: data, negatives: negatives)
            criticDescription = estimatorEntry.usesKnownDensity ? "log p(y|x)" : "optimal"
        } else if let bound {
            var rng = RNG(seed: seed, stream: 1)
            let critic: FloatCritic
            do {
                critic = try criticValue.build(dimX: data.dimX, dimY: data.dimY, rng: &rng) { criticOption($0, criticValue, options) }
            } catch { throw interpreter.failure(error.message, at("critic")) }
            var baseline: MLP<Float>? = nil
            if bound.baseline == .learned {
                var baselineRNG = RNG(seed: seed, stream: 5)
                let act = Activation(rawValue: option("act")?.asSymbol ?? "relu") ?? .relu
                baseline = MLP(sizes: [data.dimY] + ints("baseline") + [1], activation: act, rng: &baselineRNG)
            }
            let constrained = CriticEstimator(critic: critic, bound: bound, baseline: baseline, negatives: negatives)
            constrained.dropout = dropout
            switch options["lipschitz"]?.asSymbol ?? estimatorEntry.defaultLipschitz {
            case "gp":
                var lipschitzRNG = RNG(seed: seed, stream: 6)
                constrained.constrain(.gradientPenalty(lambda: number("penalty")), rng: &lipschitzRNG)
            case "sn":
                var lipschitzRNG = RNG(seed: seed, stream: 6)
                constrained.constrain(.spectralNorm, rng: &lipschitzRNG)
            default:
                break
            }
            engineEstimator = constrained
            criticDescription = critic.name + (constrained.lipschitz == .none ? "" : ", lipschitz=\(constrained.lipschitz)")
                + (constrained.dropout.isActive ? ", dropout=\(constrained.dropout)" : "")
        } else {
            preconditionFailure("estimator \(estimator.name) has neither a bound nor a model")
        }

        // Train.
        let trainingOptions = TrainingOptions(steps: steps, batch: batch, learningRate: number("lr"),
                                              weightDecay: number("weight_decay"), seed: seed,
                                              evalEvery: int("eval_every"))
        let observer = interpreter.observer
        let label = "\(estimator.description) \(criticDescription) K=\(batch)"
        let span = number("span")
        var smoothed = EMA(span: span)
        var trainer = Trainer(options: trainingOptions)
        do {
            try trainer.check(engineEstimator, on: data)
        } catch .batchTooSmall(let batch, let minimum, _) {
            throw interpreter.failure("\(estimator.description) needs a batch of at least \(minimum), got \(batch)",
                                      at("batch"))
        } catch .batchTooLarge(let batch, let pairs, _) {
            let split = (data as? FixedDataset).map { " (\($0.count) rows, \($0.evalIndices.count) held out)" } ?? ""
            throw interpreter.failure("batch \(batch) is larger than the \(pairs) training pairs of \(dataDescription)"
                                      + "\(split); use batch=\(pairs) or less, or hold out fewer rows", at("batch"))
        }
        trainer.onStep = { s in
            smoothed.add(s.estimate)
            observer.progress(RunProgress(label: label, step: s.step + 1, total: steps, run: run, runs: runs,
                                       estimate: s.estimate, smoothed: smoothed.value, truth: s.truth,
                                       stepsPerSecond: s.time > 0 ? Double(s.step + 1) / s.time : 0, elapsed: s.time))
        }
        trainer.shouldStop = { observer.shouldStop() }
        let trace = trainer.run(engineEstimator, on: data)

        var settings: [(String, Value)] = [("estimator", .string(estimator.description))]
        for p in registry.verb("estimate")!.parameters {
            if p.name == "data" { settings.append(("data", .string(dataDescription))); continue }
            if p.name == "critic" { settings.append(("critic", .string(criticDescription))); continue }
            if let v = option(p.name) { settings.append((p.name, v)) }
        }
        settings.append(("seed", .number(Double(seed))))
        return ResultValue(estimator: estimator.description, critic: criticDescription, data: dataDescription,
                           batch: batch, settings: settings, trace: trace, tail: int("tail"), span: span,
                           epoch: option("smoothing")?.asSymbol == "triangular" ? int("epoch") : nil)
    }

    /// Refuses a run whose buffers would not fit in the memory this
    /// machine has free, naming what it needs and what to change.
    private func checkMemory(_ estimator: EstimatorValue, _ entry: EstimatorEntry, bound: (any Bound)?,
                             critic c: CriticValue, options: [String: Value], data: any DataSource, batch: Int,
                             steps: Int, negatives: NegativeSampling, dropout: Dropout,
                             at: (String) -> SourceRange) throws {
        func value(_ name: String) -> Value? { criticOption(name, c, options) }
        let hidden = value("hidden")?.asList?.compactMap { $0.asNumber.map { Int($0) } } ?? [256, 256]
        let shape = NetworkShape(hidden: hidden, activation: .relu)
        let plan: CriticPlan
        if entry.makeModel != nil {
            let decoder = estimator.bound.ints("decoder") ?? []
            plan = .model(sizes: estimator.name == "ba" ? [data.dimY] + decoder + [data.dimX] : [])
        } else if c.name == "optimal" || entry.usesKnownDensity {
            plan = .optimal
        } else {
            switch c.name {
            case "concat": plan = .concat(shape)
            case "bilinear": plan = .bilinear
            case "inner": plan = .inner
            default: plan = .separable(shape, embedding: Int(value("embed")?.asNumber ?? 32))
            }
        }
        let learnedBaseline = bound?.baseline == .learned && plan != .optimal
        let baseline = learnedBaseline
            ? options["baseline"]?.asList?.compactMap { $0.asNumber.map { Int($0) } } ?? [512, 512] : nil
        let lipschitz = (options["lipschitz"]?.asSymbol ?? entry.defaultLipschitz) != "none"
        let footprint = MemoryFootprint.training(critic: plan, dimX: data.dimX, dimY: data.dimY, batch: batch,
                                                 negatives: negatives, dropout: dropout, baseline: baseline,
                                                 lipschitz: lipschitz && plan != .optimal, steps: steps)
        let advice: String, range: SourceRange
        switch footprint.dominantPart {
        case .parameters where plan == .bilinear:
            advice = "the bilinear critic's W is \(data.dimX) x \(data.dimY); use critic=separable, whose size "
                + "grows with the dimensions, not with their product"
            range = at("critic")
        case .parameters:
            advice = "use a smaller critic (fewer or narrower hidden layers)" + (baseline != nil ? " or baseline" : "")
            range = at(options["hidden"] != nil ? "hidden" : options["baseline"] != nil ? "baseline" : "critic")
        case .activations, .scores:
            // Scores, and the concat critic's per-pair rows, grow with the pairs scored.
            let perPair = footprint.dominantPart == .scores || c.name == "concat"
            let shuffle = perPair && negatives == .all && bound?.needsAllPairs == false && plan != .optimal
            advice = "use a smaller batch" + (shuffle ? " or negatives=shuffled (2K scored pairs instead of K x K)" : "")
            range = at("batch")
        case .data:
            advice = "use fewer steps"
            range = at("steps")
        }
        try checkMemory(footprint, advice: advice, at: range)
    }

    private func checkMemory(_ footprint: MemoryFootprint, advice: String, at range: SourceRange) throws {
        guard let available = SystemMemory.available(), footprint.total > available else { return }
        throw interpreter.failure("this run needs about \(SystemMemory.describe(footprint.total)) of memory, more than "
                                  + "this machine has free; \(advice)", range)
    }

    /// The dropout of `dropout=`: one rate for every hidden layer, or one per layer.
    private func dropout(_ value: Value?, _ c: CriticValue, options: [String: Value], at range: SourceRange) throws -> Dropout {
        guard let value else { return .none }
        let rates = value.asList?.compactMap(\.asNumber) ?? [value.asNumber ?? 0]
        let hidden = criticOption("hidden", c, options)?.asList?.count ?? 0
        if rates.count > 1 && rates.count != hidden {
            throw interpreter.failure("dropout gives \(rates.count) rates but the critic has \(hidden) hidden layers", range)
        }
        return Dropout(rates: rates)
    }

    /// A critic setting: from the critic's own arguments (`concat(hidden=[64])`),
    /// else the estimate's options, else the default.
    private func criticOption(_ name: String, _ c: CriticValue, _ options: [String: Value]) -> Value? {
        c.arguments[name] ?? options[name] ?? registry.verb("estimate")!.parameter(name)?.defaultValue
    }
}

/// An exponential moving average updated one value at a time (bias-corrected
/// like `Smoothing.exponential`).
struct EMA {
    let alpha: Double
    private var numerator = 0.0, denominator = 0.0
    init(span: Double) { alpha = 2 / (max(span, 1) + 1) }
    mutating func add(_ x: Double) {
        numerator = (1 - alpha) * numerator + x
        denominator = (1 - alpha) * denominator + 1
    }
    var value: Double { denominator > 0 ? numerator / denominator : .nan }
}
