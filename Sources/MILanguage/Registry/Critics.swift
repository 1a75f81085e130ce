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
