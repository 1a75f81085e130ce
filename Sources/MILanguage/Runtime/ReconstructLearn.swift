import MIEngine

/// Runs `learn reconstruct` (002 sec. 5.1, V-InfoMax): g1 trained as the
/// encoder of an autoencoder whose decoder family (linear or MLP) is the
/// model class V of I_V(g1(X) -> X), judged at every evaluation by the test
/// reconstruction loss and by probes fitted afresh on g1's frozen features
/// (the probe of `probe=`, and with mlp_probe=true the MLP probe beside it).
/// Options come from `Registry.learnEntry(objective:)`; lists sweep as for
/// `learn`, and each run is cached under its own key.
struct ReconstructLearn {
    let command: LearnCommand
    let objective: String

    private var interpreter: Interpreter { command.interpreter }

    func run() throws -> Value {
        let entry = interpreter.registry.learnEntry(objective: objective)
        let sweep = try Sweep(command.command, entry: entry, subject: nil, in: interpreter)
        var results: [ResultValue] = []
        for (index, combination) in sweep.combinations.enumerated() {
            let (_, options) = sweep.options(combination, subjectAxis: "estimator")
            let run = ReconstructRun(learn: self, entry: entry, options: options, given: sweep.given,
                                     index: index + 1, of: sweep.combinations.count)
            let result = try run.result()
            results.append(result)
            if result.trace.interrupted { break }
        }
        if sweep.axes.isEmpty { return .result(results[0]) }
        let mlp = results.contains { $0.reconstruction?.evaluations.last?.metrics["mlp_probe"] != nil }
        return .table(sweep.table(summary: ["final", "accuracy"] + (mlp ? ["mlp_accuracy"] : []), results: results))
    }
}

/// One run of a `learn reconstruct` sweep.
private struct ReconstructRun {
    let learn: ReconstructLearn
    /// `learn`'s options for the objective.
    let entry: Entry
    let options: [String: Value]
    let given: [String: Sweep.Given]
    let index: Int
    let of: Int

    private var interpreter: Interpreter { learn.command.interpreter }
    private var registry: Registry { interpreter.registry }
    private var objective: String { learn.objective }

    private func option(_ name: String) -> Value? { options[name] ?? entry.parameter(name)?.defaultValue }
    private func int(_ name: String) -> Int { Int(option(name)?.asNumber ?? 0) }
    private func number(_ name: String) -> Double { option(name)?.asNumber ?? 0 }
    private func flag(_ name: String) -> Bool { option(name)?.asBool ?? false }
    private func at(_ name: String) -> SourceRange { given[name]?.range ?? learn.command.command.range }
    private var seed: UInt64 { options["seed"].flatMap(\.asNumber).map { UInt64($0) } ?? interpreter.environment.seed }
    private var probe: String { option("probe")?.asSymbol ?? "logistic" }
    private func probing(_ kind: String, conditioning: Int) -> LearnProbe {
        LearnProbe(interpreter: interpreter, probe: kind, trainLimit: int("probe_train"),
                   trainLimitGiven: given["probe_train"] != nil, conditioning: conditioning, seed: seed,
                   range: at(kind == probe ? "probe" : "mlp_probe"))
    }
    private var decoder: ReconstructionDecoder { option("decoder")?.asSymbol == "mlp" ? .mlp(hidden: [300, 300]) : .linear }
    private var dropout: Dropout {
        guard let v = option("dropout") else { return .none }
        return Dropout(rates: v.asList?.compactMap(\.asNumber) ?? [v.asNumber ?? 0])
    }

    /// Settings that contradict each other, refused before anything runs.
    private func checkCombinations() throws {
        if flag("joint") {
            for name in ["decoder_steps", "encoder_steps"] where given[name] != nil {
                throw interpreter.failure("\(name) sets the alternating schedule; joint=true updates g1 and the "
                                          + "decoder together at every step", at(name))
            }
        }
        if flag("mlp_probe") && probe == "mlp" {
            throw interpreter.failure("mlp_probe=true fits the MLP probe beside probe=logistic or none; "
                                      + "with probe=mlp that probe is the MLP probe already", at("mlp_probe"))
        }
    }

    func result() throws -> ResultValue {
        try checkCombinations()
        let views: ViewsValue
        if case .views(let v)? = options["data"] {
            views = v
        } else {
            let name = registry.objective(objective)?.views ?? "halves"
            guard case .views(let v) = try interpreter.makeViews(name, Arguments(values: LearnCommand.defaults(of: name, registry)),
                                                                 at: learn.command.command.verbRange) else {
                preconditionFailure("\(name)() builds views")
            }
            views = v
        }
        // Refused before anything is allocated when it cannot fit.
        let main = probing(probe, conditioning: int("conditioning"))
        let probeItems = [main.options(views)] + (flag("mlp_probe") ? [probing("mlp", conditioning: 0).options(views)] : [])
        let memory = LearnMemoryCheck(reconstruction: registry, views: views.source, decoder: decoder,
                                      dropout: dropout.isActive, probes: probeItems, option: option)
        if let refusal = memory.refusal() { throw interpreter.failure(refusal, at(memory.blamed)) }
        let baseline = try main.baseline(views)
        let value = try interpreter.memoised(key(views)) { .result(try train(views, baseline: baseline)) }
        guard case .result(let result) = value else { return try train(views, baseline: baseline) }
        return result
    }

    /// Everything the run's numbers depend on: the objective, every option in
    /// force (defaults included), the views with their files' contents, and the seed.
    private func key(_ views: ViewsValue) -> RunKey {
        var parts: [(String, String)] = [("objective", objective), ("data", views.key)]
        for p in entry.parameters where p.name != "seed" && p.name != "data" {
            if let v = option(p.name) { parts.append((p.name, v.keyText)) }
        }
        parts.append(("seed", String(seed)))
        return RunKey(verb: "learn", parts: parts, summary: "learn \(objective) decoder=\(decoder) K=\(int("batch"))")
    }

    private func train(_ views: ViewsValue, baseline: (accuracy: Double, loss: Double)?) throws -> ResultValue {
        let source = views.source
        // g1 from stream 1 of the run's seed (as `learn` builds its encoders),
        // then the decoder's weights from the same generator.
        guard case .encoder(let encoderValue)? = option("encoder") else { preconditionFailure("learn has a default encoder") }
        let encoderEntry = registry.encoder(encoderValue.name)!
        var arguments = Arguments(values: LearnCommand.defaults(of: encoderValue.name, registry),
                                  given: Set(encoderValue.arguments.keys))
        arguments.values.merge(encoderValue.arguments) { _, given in given }
        var rng = RNG(seed: seed, stream: 1)
        let g1: FloatEncoder
        do {
            g1 = try encoderEntry.make(arguments, source.shape1, &rng)
        } catch let f as RuntimeFailure {
            throw interpreter.failure(f.message, at("encoder"))
        }
        let trainingOptions = ReconstructionOptions(
            steps: int("steps"), batch: int("batch"), learningRate: number("lr"), weightDecay: number("weight_decay"),
            dropout: dropout, decoderSteps: int("decoder_steps"), encoderSteps: int("encoder_steps"),
            warmup: int("warmup"), joint: flag("joint"), seed: seed, evalEvery: int("eval_every"),
            evalBatches: int("eval_batches"))
        let trainer = ReconstructionTrainer(g1: g1, decoder: decoder, values: source.shape2.size, rng: &rng,
                                            options: trainingOptions)
        do {
            try trainer.check(source)
        } catch {
            throw interpreter.failure(error.description, at(optionBlamed(for: error)))
        }
        let main = try probing(probe, conditioning: int("conditioning")).hook(views, conditioningRange: at("conditioning"))
        let mlp = flag("mlp_probe") ? try probing("mlp", conditioning: 0).hook(views, conditioningRange: at("mlp_probe")) : nil
        if main != nil || mlp != nil {
            trainer.hook = { step, g1 in
                var metrics = main?(step, g1) ?? [:]
                for (name, value) in mlp?(step, g1) ?? [:] { metrics["mlp_" + name] = value }
                return metrics
            }
        }

        let observer = interpreter.observer, steps = int("steps")
        var progress = LearnProgress(observer: observer,
                                     label: "learn \(objective) \(encoderValue.description) decoder=\(decoder) K=\(int("batch"))",
                                     total: steps, run: index, runs: of)
        trainer.onStep = { s in progress.step(s.step, value: s.loss, time: s.time) }
        trainer.shouldStop = { observer.shouldStop() }
        let record = trainer.run(source)

        // The per-step trace is the training reconstruction loss of each encoder (or joint) step.
        let trace = Trace(name: record.name,
                          steps: record.steps.map { TraceStep(step: $0.step, estimate: $0.loss, time: $0.time) },
                          interrupted: record.interrupted)
        var settings: [(String, Value)] = [("objective", .string(objective))]
        for p in entry.parameters {
            switch p.name {
            case "data": settings.append(("data", .string(views.description)))
            case "encoder": settings.append(("encoder", .string(encoderValue.description)))
            default: if let v = option(p.name) { settings.append((p.name, v)) }
            }
        }
        settings.append(("seed", .number(Double(seed))))
        return ResultValue(estimator: objective, critic: "\(decoder) decoder", data: views.description,
                           batch: int("batch"), settings: settings, trace: trace, tail: max(1, steps / 10), span: 200,
                           reconstruction: record, baselineAccuracy: baseline?.accuracy, baselineLoss: baseline?.loss)
    }

    /// The option a refused setting came from.
    private func optionBlamed(for error: RepresentationError) -> String {
        switch error {
        case .encoderInput: return "encoder"
        case .notEnoughItems(let split, _, _, _): return split == .test && given["eval_batches"] != nil ? "eval_batches" : "batch"
        case .invalidOption(let name, _, _):
            switch name {
            case "dropout": return given["dropout"] != nil || given["encoder"] == nil ? "dropout" : "encoder"
            case "the learning rate": return "lr"
            case "weight decay": return "weight_decay"
            case "decoder steps per block": return "decoder_steps"
            case "encoder steps per block": return "encoder_steps"
            case "warm-up steps": return "warmup"
            case "the decoder's values out": return "data"
            default: return "steps"
            }
        case .invalidNoise, .unequalHalvesForNoise, .mismatchedImages, .imageTooSmall, .emptyImages, .missingClass,
             .noLabels: return "data"
        case .criticInput, .missingBaseline, .baselineShape, .needsAllPairs, .batchTooSmall: return "batch"
        case .penaltyThroughEncoder: return "encoder"
        case .spectralNormOfComposite: return "lipschitz"
        }
    }
}

extension LearnMemoryCheck {
    /// A `learn reconstruct` run's footprint (`MemoryFootprint.reconstruction`)
    /// and what to shrink when it does not fit.
    init(reconstruction registry: Registry, views: any ViewPairs, decoder: ReconstructionDecoder, dropout: Bool,
         probes: [RepresentationProbeOptions], option: (String) -> Value?) {
        var encoderValue = EncoderValue(name: "mlp", arguments: [:])
        if case .encoder(let e)? = option("encoder") { encoderValue = e }
        var arguments = Arguments(values: LearnCommand.defaults(of: encoderValue.name, registry))
        arguments.values.merge(encoderValue.arguments) { _, given in given }
        let plan = registry.encoder(encoderValue.name)?.plan ?? { _, shape in .mlp(sizes: [shape.size, 300, 300, 100]) }
        let g1 = plan(arguments, views.shape1)
        func int(_ name: String) -> Int { Int(option(name)?.asNumber ?? 0) }
        let batch = int("batch"), steps = int("steps"), warmup = int("warmup")
        let evalBatches = int("eval_every") > 0 ? int("eval_batches") : 0
        let probeItems = probes.reduce(0) { n, p in n + (p.probe == nil ? 0 : (p.trainLimit ?? views.count(.train)) + views.count(.test)) }
        let conditioning = probes.first?.conditioning ?? 0
        let sizes = decoder.sizes(features: g1.outputSize, values: views.shape2.size)
        let f = MemoryFootprint.reconstruction(g1: g1, decoder: sizes, dropout: dropout,
                                               views: (views.shape1.size, views.shape2.size), batch: batch,
                                               steps: steps, warmup: warmup, evalBatches: evalBatches,
                                               probeItems: probeItems, conditioning: conditioning)
        footprint = f
        let encoder = MemoryFootprint.encoder(g1, rows: batch)
        switch f.dominantPart {
        case .parameters:
            (advice, blamed) = 2 * encoder.parameters >= f.parameters
                ? ("use a smaller encoder (fewer or narrower layers, fewer features out)", "encoder")
                : ("use decoder=linear or a smaller encoder (fewer features out)", "decoder")
        case .activations, .scores:
            (advice, blamed) = ("use a smaller batch or a smaller encoder", "batch")
        case .data:
            let trace = steps * MemoryLayout<ReconstructionStep>.stride + warmup * MemoryLayout<Double>.stride
            let tests = evalBatches * batch * (views.shape1.size + views.shape2.size) * MemoryLayout<Float>.stride
            if trace >= tests && 2 * trace >= f.data {
                (advice, blamed) = ("use fewer steps or a shorter warmup", steps >= warmup ? "steps" : "warmup")
            } else if tests >= trace && 2 * tests >= f.data {
                (advice, blamed) = ("use fewer eval_batches or a smaller batch", "eval_batches")
            } else {
                (advice, blamed) = ("use a smaller probe_train or fewer test images (images(test=...))", "probe_train")
            }
        }
    }
}
