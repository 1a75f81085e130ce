import MIEngine

/// A `learn` objective that is not a bound: what `learn NAME` trains when
/// NAME names one of these rather than an estimator. Its entry's parameters
/// are options of `learn` that only it takes; `replaces` changes defaults of
/// `learn`'s own options, and `refuses` names those that do not apply, with
/// why. `Registry.learnEntry(objective:)` merges the three into the option
/// table that parsing, running, help and completion all read.
public struct LearnObjectiveEntry: Sendable {
    public let entry: Entry
    /// `learn` options whose default differs for this objective.
    public let replaces: [String: Value]
    /// `learn` options that do not apply, each with the reason shown when one is given.
    public let refuses: [(option: String, reason: String)]
    /// The encoders g1 may be, by registry name (nil: any), and why.
    public let encoders: (names: [String], reason: String)?
    /// The view source `data` defaults to, by registry name (nil: `halves`).
    public var views: String? = nil
}

extension Registry {
    static let learnObjectives: [LearnObjectiveEntry] = [
        LearnObjectiveEntry(
            entry: Entry("adversarial", .objective, usage: "learn adversarial [option=value ...]", parameters: [
                Parameter("classifier_steps", .integer, default: .number(10), sweeps: true,
                          "classifier steps before each encoder step (001 App. B: 10)",
                          check: Check.integer(in: 1...10_000, "classifier_steps")),
                Parameter("warmup", .integer, default: .number(1000), sweeps: true,
                          "classifier steps before the first encoder step (001 App. B: 1k)",
                          check: Check.integer(in: 0...100_000_000, "warmup")),
                Parameter("classifier_lr", .number, default: .number(1e-4), sweeps: true,
                          "Adam learning rate of the in-loop linear classifier (001 App. B: 1e-4)",
                          check: Check.number(in: 0...10, "classifier_lr", open: true)),
                Parameter("encoder_lr", .number, default: .number(1e-6), sweeps: true,
                          "Adam learning rate of g1, towards the uniform softmax (001 App. B: 1e-6)",
                          check: Check.number(in: 0...10, "encoder_lr", open: true)),
            ], summary: "train an invertible g1 so that a linear classifier on its features fails (001 sec. 3.1, Fig. 1c)",
               details: "No MI estimator: a linear classifier on g1(x1) is trained on the true labels while g1 is "
                + "trained to make its softmax uniform, `classifier_steps` classifier steps per encoder step after "
                + "`warmup` classifier steps alone (001 App. B). g1 is a coupling stack, a bijection whatever its "
                + "weights, so I(g1(x1); x2) = I(x1; x2) stays maximal throughout. At every evaluation a probe "
                + "fitted afresh on the frozen g1(x1) (probe=logistic: 001's separately trained linear classifier) "
                + "gives its test accuracy and test cross-entropy (r.probe, r.probe_loss; 001 Fig. 1c plots the "
                + "loss), beside the raw-pixel baseline (r.baseline_accuracy, r.baseline_loss) and the in-loop "
                + "classifier's test loss (r.classifier_loss). `steps` counts encoder steps; r.trace is the in-loop "
                + "classifier's training loss at each; r.final is the probe's last test loss."),
            replaces: ["encoder": .encoder(EncoderValue(name: "coupling", arguments: [:])),
                       "steps": .number(2000), "eval_every": .number(200)],
            refuses: [
                ("critic", "there is no MI estimator, so no critic; the in-loop classifier is linear"),
                ("target", "it trains g1 against a classifier, not towards an MI value"),
                ("negatives", "there is no bound, so no negative pairs"),
                ("baseline", "there is no bound, so no baseline network"),
                ("shared", "it trains g1 alone; x2 only shares the coupled noise"),
                ("lr", "it has two learning rates: classifier_lr and encoder_lr"),
                ("weight_decay", "001 App. B trains both players without weight decay"),
                ("lipschitz", "there is no critic to keep Lipschitz"),
                ("penalty", "there is no critic, so no gradient penalty"),
            ],
            encoders: (["coupling"], "001 sec. 3.1 needs g1 invertible whatever its weights, so that I(g1(x1); x2) "
                        + "= I(x1; x2) throughout; coupling is the encoder that is by construction")),
        reconstructObjective,
    ]

    /// `learn`'s option table when its subject is `objective` (or a bound,
    /// when nil): the options that apply, with the objective's defaults,
    /// then the objective's own.
    public func learnEntry(objective: String?) -> Entry {
        let learn = verb("learn")!
        guard let objective, let o = self.objective(objective) else { return learn }
        let refused = Set(o.refuses.map(\.option))
        let parameters = learn.parameters.filter { !refused.contains($0.name) }.map { p -> Parameter in
            if p.name == "data", let views = o.views {
                return Parameter(p.name, p.type, shown: "\(views)()", sweeps: p.sweeps, p.doc, check: p.check)
            }
            guard let d = o.replaces[p.name] else { return p }
            return Parameter(p.name, p.type, default: d, sweeps: p.sweeps, p.doc, check: p.check)
        }
        return Entry("learn", .verb, usage: o.entry.usage, parameters: parameters + o.entry.parameters,
                     summary: o.entry.summary, details: o.entry.details)
    }

    /// Why `learn objective` refuses `option`, if it does.
    func refusal(of option: String, by objective: String) -> String? {
        self.objective(objective)?.refuses.first { $0.option == option }?.reason
    }

    /// Why `learn objective` refuses the encoder named `encoder`, if it does.
    func encoderRefusal(_ encoder: String, by objective: String) -> String? {
        guard let allowed = self.objective(objective)?.encoders, !allowed.names.contains(encoder) else { return nil }
        let names = allowed.names.joined(separator: " or ")
        return "learn \(objective) trains \(names) encoders, not \(encoder): \(allowed.reason)"
    }
}
