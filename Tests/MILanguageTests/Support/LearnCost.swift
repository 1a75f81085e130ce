import Foundation
import MILanguage

/// The price of a `learn` run (`RunCost.learn`): loading its view pairs
/// (Fashion-MNIST halves or multi-item pairs), two encoders and a critic trained for its steps,
/// the fixed test batches scored at each evaluation, the probe fitted on
/// g1's features at each evaluation and once on raw pixels, and the
/// condition numbers of g1's Jacobian. Like the rest of `RunCost` it is
/// deliberately rough, from the sizes the case gives and the registry's
/// defaults for the rest; it errs high.
extension RunCost {
    /// Loading `halves(...)`: both Fashion-MNIST files are inflated and
    /// parsed whole whatever the limits (measured: about 0.35 s release,
    /// 0.8 s debug on a 2-core machine), the compressed and inflated bytes
    /// held at once with the images and their halves.
    /// `items(...)` keeps the images and two indices per item of every
    /// pair, drawn at about 100 ns an item (errs high: debug builds).
    static func loadViews(_ d: FuzzTerm) -> RunCost {
        let (train, test) = viewCounts(d)
        if d.name == "items" {
            let n = itemCount(d)
            return RunCost(bytes: 26e6 + 47e6 * 2 + 8e6 + (train + test) * n * 8, work: 0.45 + (train + test) * n * 1e-7)
        }
        return RunCost(bytes: 26e6 + 47e6 * 2 + 8e6 + train * 784 * 2, work: 0.45)
    }

    /// The training and test items a view source keeps (images of
    /// `halves`, pairs of `items`).
    static func viewCounts(_ d: FuzzTerm?) -> (train: Double, test: Double) {
        func count(_ name: String, _ fallback: Double, _ range: ClosedRange<Double>) -> Double {
            guard let x = d?.argument(name)?.number, x.isFinite else { return fallback }
            return min(range.upperBound, max(range.lowerBound, x))
        }
        if d?.name == "items" { return (count("train", 50_000, 10...1_000_000), count("test", 10_000, 10...100_000)) }
        return (count("train", 60_000, 10...60_000), count("test", 10_000, 10...10_000))
    }

    /// The items per view of `items(n=...)`.
    static func itemCount(_ d: FuzzTerm?) -> Double {
        guard let x = d?.argument("n")?.number, x.isFinite else { return 3 }
        return min(16, max(1, x.rounded()))
    }

    /// The shape (channels, height, width) of view 1: a half of a 28 x 28
    /// image, or n items side by side or stacked.
    static func viewShape(_ d: FuzzTerm?) -> (c: Double, h: Double, w: Double) {
        if d?.name == "items" {
            let n = itemCount(d)
            return d?.argument("layout")?.name == "stacked" ? (n, 28, 28) : (1, 28, 28 * n)
        }
        return d?.argument("cut")?.name == "left" ? (1, 28, 14) : (1, 14, 28)
    }

    /// What an encoder term builds on views of `shape`: its parameters,
    /// flops per row (forward), values kept per row, and features out.
    static func encoder(_ e: FuzzTerm?, shape: (c: Double, h: Double, w: Double) = (1, 14, 28))
        -> (parameters: Double, flops: Double, perRow: Double, out: Double) {
        let width = shape.c * shape.h * shape.w
        func ints(_ name: String, _ fallback: [Double]) -> [Double] {
            guard let term = e?.argument(name) else { return fallback }
            if case .list(let items) = term.resolved { return items.compactMap(\.number).filter(\.isFinite).map { max(1, $0) } }
            return fallback
        }
        func int(_ name: String, _ fallback: Double) -> Double {
            guard let x = e?.argument(name)?.number, x.isFinite else { return fallback }
            return max(1, x)
        }
        switch e?.name ?? "mlp" {
        case "residual":
            let blocks = (e?.argument("blocks")?.number).map { max(0, $0) } ?? 4
            let p = (blocks + 1) * (width * width + width)
            return (p, p, (2 * blocks + 5) * width, width)
        case "convnet":
            let filters = ints("filters", [64, 128]), out = int("out", 100)
            var (c, h, w) = shape
            var p = 0.0, macs = 0.0, perRow = width
            for f in filters {
                let (oh, ow) = (((h - 1) / 2).rounded(.down) + 1, ((w - 1) / 2).rounded(.down) + 1)
                let positions = oh * ow, patch = 25 * c
                p += patch * f + f
                macs += positions * patch * f
                perRow += 2 * positions * patch + 3 * positions * f
                (c, h, w) = (f, oh, ow)
            }
            p += 2 * c + c * out + out
            return (p, 2 * macs + 2 * c * out, perRow + out, out)
        case "coupling":
            let layers = int("layers", 8), hidden = int("hidden", 256), depth = int("depth", 2)
            let p = layers * mlp([width / 2] + Array(repeating: hidden, count: Int(min(depth, 64))) + [width / 2])
            return (p, 2 * p, layers * (depth * hidden + width) + 8 * width, width)
        default:
            let sizes = [width] + ints("hidden", [300, 300]) + [int("out", 100)]
            let p = mlp(sizes)
            return (p, 2 * p, sizes.reduce(0, +) * 3, sizes.last!)
        }
    }

    static func learn(_ run: RunSpec, files: FuzzFiles) -> RunCost {
        // A learn objective (adversarial) has its own options and defaults.
        let objective = run.subject?.name.flatMap { Registry.standard.objective($0) != nil ? $0 : nil }
        let defaults = Registry.standard.learnEntry(objective: objective)
        func largest(_ name: String) -> Double {
            let values = run.option(name)?.numbers.filter(\.isFinite) ?? []
            if let m = values.max() { return max(0, m) }
            if case .number(let d)? = defaults.parameter(name)?.defaultValue { return d }
            return 0
        }
        let k = max(2, largest("batch")), steps = min(largest("steps"), Double(stepLimit))
        var combinations = Double(max(1, run.estimators.count))
        for o in run.options {
            if case .list(let items)? = o.value?.resolved, o.name != "baseline" { combinations *= Double(max(1, items.count)) }
        }
        let views = run.option("data")?.elements ?? [FuzzTerm.word("halves")]
        let train = views.map { viewCounts($0).train }.max() ?? 60_000
        let test = views.map { viewCounts($0).test }.max() ?? 10_000
        // The largest view (values per view 1; x2 is the same size or nearly).
        var shape: (c: Double, h: Double, w: Double) = (1, 14, 28)
        var slots = 1.0, stored = 0.0
        for v in views {
            let s = viewShape(v), counts = viewCounts(v)
            if s.c * s.h * s.w > shape.c * shape.h * shape.w { shape = s }
            // One probe per label slot (an item each); the images, or the images and the pairs' indices.
            let items: Double = v.name == "items" ? itemCount(v) : 1
            slots = max(slots, items)
            let kept: Double = v.name == "items" ? 70_000 * 784 + (counts.train + counts.test) * items * 8
                : (counts.train + counts.test) * 784
            stored = max(stored, kept)
        }
        let size: Double = shape.c * shape.h * shape.w
        let probe = run.option("probe")?.elements.map { $0.name ?? "logistic" } ?? ["logistic"]
        let probing = probe.contains { $0 != "none" }
        let mlpProbe = probe.contains("mlp")
        let probeTrain = min(train, run.option("probe_train") != nil ? largest("probe_train") : min(10_000, train))
        let conditioning = min(test, largest("conditioning"))
        let everyEval = max(1, largest("eval_every"))
        let evaluations = (steps / everyEval).rounded(.down) + 2
        let testBatches = largest("eval_batches")
        let shared = run.options.contains { $0.name == "shared" && ($0.value == nil || $0.value?.resolved.source == "true") }
        let learnsBaseline = run.estimators.contains { ["tuba", "alpha"].contains($0.name ?? "") }
        // A gradient penalty through the encoders (wpc and wdm by default, or
        // lipschitz=gp): forward, input gradient, tangent and double
        // backward on the interpolates, about two more steps' work and the
        // tangent buffers (measured: wpc at about 0.4 the steps/s of nce).
        let lipschitz = run.option("lipschitz")?.elements.compactMap(\.name) ?? []
        let penalised = lipschitz.contains("gp")
            || (lipschitz.isEmpty && run.estimators.contains { ["wpc", "wdm"].contains($0.name ?? "") })

        var worst = RunCost.zero
        let encoders = run.option("encoder")?.elements ?? [FuzzTerm.word(objective == "adversarial" ? "coupling" : "mlp")]
        // learn reconstruct (002 sec. 5.1): g1 on whole images (priced so on halves too), a decoder
        // back to 784 values, `decoder_steps` decoder steps per encoder step (none when joint).
        let reconstructs = objective == "reconstruct"
        let mlpDecoder = run.option("decoder")?.elements.contains { $0.name == "mlp" } ?? false
        let joint = run.options.contains { $0.name == "joint" && ($0.value == nil || $0.value?.resolved.source != "false") }
        let decoderSteps = joint ? 0 : largest("decoder_steps")
        let secondProbe = reconstructs && run.options.contains { $0.name == "mlp_probe" }
        let critics = run.option("critic")?.elements ?? [FuzzTerm.word("bilinear")]
        for e in encoders {
            let g = encoder(e, shape: reconstructs ? (1, 28, 28) : shape)
            let encoderCount = shared ? 1.0 : 2.0
            for critic in critics {
                // The critic on the features, as `estimate` prices it on data of that size.
                var spec: [(name: String, value: FuzzTerm?)] = [("batch", .number(k)), ("steps", .number(steps)),
                                                                ("critic", critic), ("data", .call("gaussian", [("dim", .number(g.out))]))]
                if learnsBaseline { spec.append(("baseline", run.option("baseline"))) }
                let head = RunCost.estimate(RunSpec(verb: "estimate", subject: .word(learnsBaseline ? "tuba" : "nce"), options: spec),
                                            files: files)
                let rows = max(shared ? 2 * k : k, probing || secondProbe || conditioning > 0 ? 1024 : 0)
                var bytes = encoderCount * g.parameters * 16 + rows * g.perRow * 4 * encoderCount * (penalised ? 3 : 1)
                    + head.bytes
                bytes += testBatches * k * 2 * size * 4 + k * 2 * size * 4 * 2
                bytes += ((probing ? 1 : 0) + (secondProbe ? 1 : 0)) * (probeTrain + test) * (size * 4 + g.out * 20)
                bytes += conditioning * size * 4 + (conditioning > 0 ? 1024 * size * 4 * 4 : 0)

                // A step: both encoders forward and backward, Adam on every parameter, the critic and bound.
                let step = (penalised ? 3 : 1) * 3 * encoderCount * k * g.flops / flopsPerSecond
                    + encoderCount * g.parameters * parameterSeconds + k * 2 * size * 4e-9
                // (less the Gaussian sampling `estimate` counts, which learn does not do)
                var work = max(0, head.work - steps * k * 2 * g.out * sampleSeconds) + steps * step
                if reconstructs {
                    let decoder = mlpDecoder ? g.out * 300 + 300 * 300 + 300 * 784 : g.out * 784
                    bytes += decoder * 16 + k * (mlpDecoder ? 2000 : 800) * 4
                    // Each decoder step: g1 forward, the decoder forward and backward; each encoder step: both.
                    let decoderStep = k * (g.flops + 3 * 2 * decoder) / flopsPerSecond + decoder * parameterSeconds
                    work += (largest("warmup") + steps * decoderSteps) * decoderStep + steps * decoderStep
                } else if objective != nil {
                    // 001 App. B: `warmup` classifier steps, then `classifier_steps` per encoder
                    // step, each a forward pass of g1 on a batch.
                    work += (largest("warmup") + steps * max(1, largest("classifier_steps"))) * k * g.flops / flopsPerSecond
                }
                // Each evaluation: the test batches forward, the probe on g1's features, the Jacobians.
                let forward = 2 * testBatches * k * g.flops / flopsPerSecond
                var probeWork = 0.0
                if probing {
                    probeWork += (probeTrain + test) * g.flops / flopsPerSecond
                    probeWork += slots * fit(rows: probeTrain, features: g.out, test: test, mlp: mlpProbe)
                }
                if secondProbe {
                    probeWork += (probeTrain + test) * g.flops / flopsPerSecond
                    probeWork += fit(rows: probeTrain, features: g.out, test: test, mlp: true)
                }
                // A Jacobian is out backward passes of g1, then an SVD of out x size in Double.
                let m = g.out, n = size
                let jacobians = conditioning * (3 * m * g.flops / flopsPerSecond + 12 * m * n * min(m, n) / 2e10)
                work += evaluations * (forward + probeWork + jacobians)
                // The raw-pixel baseline, once per views.
                if probing { work += slots * fit(rows: probeTrain, features: size, test: test, mlp: mlpProbe) }
                worst.bytes = max(worst.bytes, bytes)
                worst.work = max(worst.work, work)
            }
        }
        // The views' halves stay loaded through the run; without data= each
        // run of a sweep loads the default halves() itself.
        var total = RunCost(bytes: worst.bytes + stored, work: worst.work * combinations)
        if run.option("data") == nil {
            let load = loadViews(.word("halves"))
            total.work += load.work * combinations
            total.bytes = max(total.bytes, load.bytes)
        }
        return total
    }

    /// Fitting a probe on `rows` x `features` and scoring `test` rows: L-BFGS
    /// on the logistic loss (up to 1000 iterations of about 60 flops per
    /// value, in Double), or the MLP probe's epochs of a 300-300 network.
    static func fit(rows: Double, features: Double, test: Double, mlp: Bool) -> Double {
        let logistic = 300 * 60 * rows * features / 2e10 + 1e-3
        let network = mlp ? 100 * 6 * rows * (features * 300 + 300 * 300 + 3000) / flopsPerSecond + 0.05 : 0
        return logistic + network + test * features * 20 / flopsPerSecond
    }
}
