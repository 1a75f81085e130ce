import MIEngine

/// A critic the language can name.
public struct CriticEntry: Sendable {
    public let entry: Entry
}

extension Registry {
    static let hidden = Parameter("hidden", .list(.integer), default: .list([.number(256), .number(256)]),
                                  "hidden-layer widths", check: Check.widths)
    static let activation = Parameter("act", .symbol(Symbols.activation), default: .symbol("relu"), "nonlinearity")

    static let critics: [CriticEntry] = [
        CriticEntry(entry: Entry("separable", .critic, parameters: [
            hidden,
            Parameter("embed", .integer, default: .number(32), "embedding size of g(x) and h(y)",
                      check: Check.integer(in: 1...65536, "embed")),
            activation,
        ], summary: "f(x, y) = g(x) . h(y) with two MLPs: 2K network passes per batch",
           details: "004's separable critic: 20-256-256-32 on each side.")),
        CriticEntry(entry: Entry("concat", .critic, parameters: [hidden, activation],
                                 summary: "f(x, y) = MLP([x, y]) on all K x K pairs, first layer factorised",
                                 details: "004's joint critic: 40-256-256-1.")),
        CriticEntry(entry: Entry("bilinear", .critic, summary: "f(x, y) = x^T W y")),
        CriticEntry(entry: Entry("inner", .critic, summary: "f(x, y) = x^T y (no parameters; x and y of equal size)")),
        CriticEntry(entry: Entry("optimal", .critic,
                                 summary: "the analytic log p(y|x)/p(y) of a built-in distribution; nothing is trained",
                                 details: "Each estimator adds its own optimal shift (1 for nwj); `steps` counts batches.")),
    ]
}

extension CriticValue {
    /// Builds the trainable critic on x of `dimX` and y of `dimY`. Settings
    /// the critic was not given as arguments (`hidden`, `embed`, `act`) come
    /// from `setting`: the command's options, then their defaults.
    func build(dimX: Int, dimY: Int, rng: inout RNG,
               setting: (String) -> Value?) throws(RuntimeFailure) -> FloatCritic {
        func value(_ name: String) -> Value? { arguments[name] ?? setting(name) }
        let hidden = value("hidden")?.asList?.compactMap { $0.asNumber.map { Int($0) } } ?? [256, 256]
        let act = Activation(rawValue: value("act")?.asSymbol ?? "relu") ?? .relu
        let shape = NetworkShape(hidden: hidden, activation: act)
        switch name {
        case "separable":
            let embed = Int(value("embed")?.asNumber ?? 32)
            return .separable(SeparableCritic(dimX: dimX, dimY: dimY, shape: shape, embedding: embed, rng: &rng))
        case "concat":
            return .concat(ConcatCritic(dimX: dimX, dimY: dimY, shape: shape, rng: &rng))
        case "bilinear":
            return .bilinear(BilinearCritic(dimX: dimX, dimY: dimY, rng: &rng))
        case "inner":
            guard dimX == dimY else {
                throw RuntimeFailure("the inner critic needs x and y of the same size, got \(dimX) and \(dimY)")
            }
            return .bilinear(BilinearCritic(innerProductOf: dimX))
        default:
            throw RuntimeFailure("the \(name) critic is not trained; use bilinear, separable, concat or inner")
        }
    }
}
