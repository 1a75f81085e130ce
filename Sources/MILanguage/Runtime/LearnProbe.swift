import MIEngine

/// How a `learn` run judges g1 (001 sec. 3): the probe fitted on its frozen
/// features at every evaluation (`probe=`, `probe_train=`, `conditioning=`)
/// and the same probe on view 1's raw pixels, the baseline. Shared by the
/// runs of a bound and of a learn objective, so both measure alike.
struct LearnProbe {
    let interpreter: Interpreter
    /// `logistic`, `mlp` or `none`.
    let probe: String
    /// The `probe_train` in force, and whether it was written.
    let trainLimit: Int
    let trainLimitGiven: Bool
    let conditioning: Int
    let seed: UInt64
    /// Where the `probe` option was written (or the command).
    let range: SourceRange

    /// The probe fits on the first `probe_train` training items; the default
    /// is capped at what the views hold, a value given must fit.
    func options(_ views: ViewsValue) -> RepresentationProbeOptions {
        let kind: ProbeKind? = probe == "mlp" ? .mlp(hidden: [300, 300]) : probe == "logistic" ? .logistic : nil
        let limit = trainLimitGiven ? trainLimit : min(trainLimit, views.source.count(.train))
        return RepresentationProbeOptions(probe: kind, trainLimit: kind == nil ? nil : limit,
                                          conditioning: conditioning, seed: seed)
    }

    /// The probe on view 1's raw pixels (nil with probe=none): its test
    /// accuracy and test cross-entropy, cached on its own, so every run of
    /// a sweep over the same views shares it.
    func baseline(_ views: ViewsValue) throws -> (accuracy: Double, loss: Double)? {
        guard probe != "none" else { return nil }
        let parts = [("data", views.key), ("probe", probe), ("probe_train", String(options(views).trainLimit ?? 0)),
                     ("seed", String(seed))]
        let key = RunKey(verb: "probe", parts: parts, summary: "\(probe) probe on raw pixels")
        let value = try interpreter.memoised(key) {
            do {
                let metrics = try RepresentationProbes.rawPixels(views: views.source, options: options(views))
                return .list([.number(metrics["probe"] ?? .nan), .number(metrics["probe_loss"] ?? .nan)])
            } catch {
                throw interpreter.failure("\(error)", range)
            }
        }
        let numbers = value.asList?.compactMap(\.asNumber) ?? []
        return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
    }

    /// The trainers' hook (nil when nothing is measured): the probe's
    /// metrics on g1's frozen features, and the conditioning of its Jacobian.
    func hook(_ views: ViewsValue, conditioningRange: SourceRange) throws -> ((Int, FloatEncoder) -> [String: Double])? {
        guard probe != "none" || conditioning > 0 else { return nil }
        do {
            return try RepresentationProbes.hook(views: views.source, options: options(views))
        } catch {
            throw interpreter.failure("\(error)", probe != "none" ? range : conditioningRange)
        }
    }
}
