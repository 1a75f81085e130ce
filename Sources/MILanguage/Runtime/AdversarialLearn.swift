import MIEngine

/// Runs `learn adversarial` (001 sec. 3.1, Fig. 1c, App. B): an invertible
/// g1 trained so that a linear classifier on its features fails, judged at
/// every evaluation by a probe fitted afresh on the frozen features (the
/// separately trained classifier whose test loss 001 plots) against the same
/// probe on raw pixels. Options come from `Registry.learnEntry(objective:)`;
/// lists sweep as for `learn`, and each run is cached under its own key.
struct AdversarialLearn {
    let command: LearnCommand
    let objective: String

    private var interpreter: Interpreter { command.interpreter }

    func run() throws -> Value {
        let entry = interpreter.registry.learnEntry(objective: objective)
        let sweep = try Sweep(command.command, entry: entry, subject: nil, in: interpreter)
        var results: [ResultValue] = []
        for (index, combination) in sweep.combinations.enumerated() {
            let (_, options) = sweep.options(combination, subjectAxis: "estimator")
            let run = AdversarialRun(learn: self, entry: entry, options: options, given: sweep.given,
                                     index: index + 1, of: sweep.combinations.count)
            let result = try run.result()
            results.append(result)
            if result.trace.interrupted { break }
        }
        if sweep.axes.isEmpty { return .result(results[0]) }
        return .table(sweep.table(summary: ["final", "accuracy"], results: results))
    }
}

/// One run of a `learn adversarial` sweep.
private struct AdversarialRun {
    let learn: AdversarialLearn
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
    private func at(_ name: String) -> SourceRange { given[name]?.range ?? learn.command.command.range }
    private var seed: UInt64 { options["seed"].flatMap(\.asNumber).map { UInt64($0) } ?? interpreter.environment.seed }
    private var probing: LearnProbe {
        LearnProbe(interpreter: interpreter, probe: option("probe")?.asSymbol ?? "logistic", trainLimit: int("probe_train"),
                   trainLimitGiven: given["probe_train"] != nil, conditioning: int("conditioning"), seed: seed,
                   range: at("probe"))
    }

    /// The encoder g1 is built as; one the objective does not train (given
    /// through a variable, which the resolver cannot see) is refused here.
    private func encoderValue() throws -> EncoderValue {
        guard case .encoder(let e)? = option("encoder") else { preconditionFailure("learn has a default encoder") }
        if let why = registry.encoderRefusal(e.name, by: objective) { throw interpreter.failure(why, at("encoder")) }
        return e
    }

    func result() throws -> ResultValue {
        let encoder = try encoderValue()
        let views: ViewsValue
        if case .views(let v)? = options["data"] { views = v } else { views = try learn.command.defaultViews() }
        // Refused before anything is allocated when it cannot fit, priced as a
        // bound's run with g1 alone (shared) and a bilinear critic on its
        // features, at least what g1 and the out x classes classifier hold.
        let memory = LearnMemoryCheck(registry: registry, views: views.source, learnsBaseline: false,
                                      probe: probing.options(views),
                                      option: { $0 == "shared" ? .bool(true) : $0 == "critic" ? nil : option($0) })
        if let refusal = memory.refusal() { throw interpreter.failure(refusal, at(memory.blamed)) }
        let baseline = try probing.baseline(views)
        let value = try interpreter.memoised(key(views)) { .result(try train(views, encoder, baseline: baseline)) }
        guard case .result(let result) = value else { return try train(views, encoder, baseline: baseline) }
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
        return RunKey(verb: "learn", parts: parts, summary: "learn \(objective) K=\(int("batch"))")
    }

    private func train(_ views: ViewsValue, _ encoderValue: EncoderValue,
                       baseline: (accuracy: Double, loss: Double)?) throws -> ResultValue {
        let source = views.source
        // g1 from stream 1 of the run's seed (as `learn` builds its encoders),
        // then the classifier's weights from the same generator.
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
        let trainingOptions = AdversarialOptions(
            steps: int("steps"), batch: int("batch"), classifierLearningRate: number("classifier_lr"),
            encoderLearningRate: number("encoder_lr"), classifierSteps: int("classifier_steps"), warmup: int("warmup"),
            seed: seed, evalEvery: int("eval_every"), evalBatches: int("eval_batches"))
        let trainer = AdversarialEncoderTrainer(g1: g1, classes: max(source.classes, 1), rng: &rng, options: trainingOptions)
        do {
            try trainer.check(source)
        } catch {
            throw interpreter.failure(error.description, at(optionBlamed(for: error)))
        }
        trainer.hook = try probing.hook(views, conditioningRange: at("conditioning"))

        let observer = interpreter.observer, steps = int("steps")
        var progress = LearnProgress(observer: observer, label: "learn \(objective) \(encoderValue.description) K=\(int("batch"))",
                                     total: steps, run: index, runs: of)
        trainer.onStep = { s in progress.step(s.step, value: s.classifierLoss, time: s.time) }
        trainer.shouldStop = { observer.shouldStop() }
        let record = trainer.run(source)

        // The per-step trace is the in-loop classifier's training loss.
        let trace = Trace(name: record.name,
                          steps: record.steps.map { TraceStep(step: $0.step, estimate: $0.classifierLoss, time: $0.time) },
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
        return ResultValue(estimator: objective, critic: "linear classifier", data: views.description,
                           batch: int("batch"), settings: settings, trace: trace, tail: max(1, steps / 10), span: 200,
                           adversarial: record, baselineAccuracy: baseline?.accuracy, baselineLoss: baseline?.loss)
    }

    /// The option a refused setting came from.
    private func optionBlamed(for error: RepresentationError) -> String {
        switch error {
        case .encoderInput: return "encoder"
        case .notEnoughItems(let split, _, _, _): return split == .test && given["eval_batches"] != nil ? "eval_batches" : "batch"
        case .invalidOption(let name, _, _):
            switch name {
            case "the classifier's learning rate": return "classifier_lr"
            case "the encoder's learning rate": return "encoder_lr"
            case "classifier steps per encoder step": return "classifier_steps"
            case "warm-up steps": return "warmup"
            case "the views' labels", "the classifier's classes": return "data"
            default: return "steps"
            }
        case .invalidNoise, .unequalHalvesForNoise, .mismatchedImages, .imageTooSmall, .emptyImages, .missingClass, .noLabels:
            return "data"
        case .criticInput, .missingBaseline, .baselineShape, .needsAllPairs, .batchTooSmall: return "batch"
        case .penaltyThroughEncoder: return "encoder"
        case .spectralNormOfComposite: return "steps"
        }
    }
}
