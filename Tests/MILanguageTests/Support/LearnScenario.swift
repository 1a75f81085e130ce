import Foundation
import MILanguage

/// The semantic fuzzer's `learn` cases: encoders trained through a bound
/// on view pairs, with estimator lists, critics, every encoder with its
/// arguments, `halves(...)` with its options, and every `learn` option,
/// values drawn as for `estimate` (in range, at the edges, beyond them).
/// What a case costs (Fashion-MNIST loading, encoders, probes, Jacobians)
/// is `RunCost.learn`; a dear draw is drawn again or only resolved.
extension CaseBuilder {
    mutating func learnScenario() {
        let spec = learn()
        guard rng.chance(0.8) else {
            lines.append(command(spec))
            return
        }
        let name = fresh("l")
        lines.append("\(name) = " + command(spec))
        let table = spec.subject.map { if case .list = $0.resolved { return true } else { return false } } == true
            || spec.options.contains { if case .list? = $0.value?.resolved, $0.name != "baseline" { return true } else { return false } }
        for _ in 0..<rng.below(3) {
            if table { tableFollowUp(name) } else { learnFollowUp(name) }
        }
    }

    /// What a program does with one learn result: its evaluation series,
    /// plots of them, or what it would do with any result.
    mutating func learnFollowUp(_ r: String) {
        let series = ["test", "test_se", "probe", "probe_train", "cond_p0", "cond_p40", "cond_p100", "eval_steps"]
        switch rng.below(6) {
        case 0: lines.append("print \(r).\(rng.pick(series + ["accuracy", "baseline_accuracy"]))")
        case 1: lines.append("print len(\(r).eval_steps), \(r).test[\(wantsMistake() ? "99" : "0")]")
        case 2:
            let name = fresh("p")
            let y = wantsMistake() ? rng.pick(["probes", "final", "nope"]) : rng.pick(series.dropLast())
            lines.append("\(name) = plot \(r) y=\"\(y)\"" + (rng.chance(0.3) ? " x=\"\(rng.pick(["steps", "samples"]))\"" : ""))
            figure([name])
        case 3: lines.append("expect \(r).accuracy >= 0")
        default: resultFollowUp(r)
        }
    }

    /// A `learn` command with a random subset of its options; `steps`,
    /// `batch` and `data` are nearly always given.
    mutating func learn() -> RunSpec {
        var subject = learnEstimator()
        // Now and then a learn objective that is no bound (adversarial), whose
        // option table differs: options it refuses are drawn now and then too.
        var objective: String? = nil
        if rng.chance(0.15), let o = registry.objectiveEntries.isEmpty ? nil : rng.pick(registry.objectiveEntries) {
            objective = o.entry.name
            subject = .word(o.entry.name)
        } else if rng.chance(0.1) {
            subject = .list((0..<(1 + rng.below(3))).map { _ in learnEstimator() })
        }
        var entry = registry.learnEntry(objective: objective)
        if objective != nil, wantsMistake() { entry = Entry("learn", .verb, parameters: entry.parameters + registry.verb("learn")!.parameters.filter { p in !entry.parameters.contains { $0.name == p.name } }, summary: "") }
        if rng.chance(0.05), wantsMistake() {
            subject = rng.pick([.number(3), .string("nce"), .word("mlp"), .word("halves"), .list([])])
        }
        var options: [(name: String, value: FuzzTerm?)] = []
        var sweeps = 0
        for p in entry.parameters {
            let chance: Double
            switch p.name {
            case "steps": chance = 0.95
            case "batch", "data": chance = 0.9
            case "encoder": chance = 0.75
            case "eval_batches", "probe": chance = 0.6
            case "critic": chance = 0.45
            case "probe_train", "eval_every": chance = 0.35
            case "conditioning": chance = 0.25
            case "warmup", "classifier_steps": chance = 0.6   // an objective's own: small values keep it cheap
            default: chance = 0.15
            }
            guard rng.chance(chance) else { continue }
            if p.type == .bool && rng.chance(0.5) || (rng.chance(0.03) && wantsMistake()) {
                options.append((p.name, nil))   // a bare flag, or an option without its value
                continue
            }
            if p.sweeps, rng.chance(0.04) {
                sweeps += 1
                let count = rng.chance(0.1) && wantsMistake() ? 0 : 2
                options.append((p.name, .list((0..<count).map { _ in checked(p) { $0.scalar(p, owner: "learn") } })))
            } else {
                options.append((p.name, value(p, owner: "learn")))
            }
        }
        let spec = RunSpec(verb: "learn", subject: subject, options: options)
        runs.append(spec)
        return spec
    }

    /// Mostly a bound with a learned critic (what learn trains through),
    /// now and then a model or a known-density estimator (refused at run time).
    mutating func learnEstimator() -> FuzzTerm {
        let bounds = registry.estimatorEntries.filter { $0.makeBound != nil && $0.makeModel == nil && !$0.usesKnownDensity }
        return entryTerm(rng.pick(rng.chance(0.9) && !bounds.isEmpty ? bounds : registry.estimatorEntries).entry)
    }

    /// A critic for encoder features: rarely `optimal`, which learn cannot train.
    mutating func learnCritic() -> FuzzTerm {
        let trained = registry.criticEntries.filter { $0.entry.name != "optimal" }
        if rng.chance(0.05) || trained.isEmpty { return .word("optimal") }
        return entryTerm(rng.pick(trained).entry)
    }

    mutating func encoderTerm() -> FuzzTerm {
        entryTerm(rng.pick(registry.encoderEntries).entry)
    }

    /// View pairs: `halves(...)`, listed among the case's data terms.
    mutating func viewsTerm() -> FuzzTerm {
        let term = entryTerm(rng.pick(registry.viewEntries).entry)
        dataTerms.append(term)
        return term
    }
}
