import MIEngine

/// An encoder the language can name, and how to build one for a view shape.
public struct EncoderEntry: Sendable {
    public let entry: Entry
    /// Builds the encoder for views of `shape` from its arguments (defaults
    /// filled in), drawing its initial weights from `rng`.
    public let make: @Sendable (Arguments, ViewShape, inout RNG) throws -> FloatEncoder
    /// The shapes `make` would build, for pricing the run before it allocates.
    public let plan: @Sendable (Arguments, ViewShape) -> EncoderPlan
}

extension Registry {
    /// Largest coupling stack or residual depth `learn` builds.
    static let maxEncoderLayers = 64

    /// The encoders a gradient penalty can run through (`TangentEncoder`), and why the others cannot.
    static let penaltyEncoders = (names: ["mlp", "residual"],
                                  reason: "mlp and residual encoders have one (convnet and coupling have no "
                                    + "tangent pass yet); use one of those or lipschitz=none")

    static let encoders: [EncoderEntry] = [
        EncoderEntry(
            entry: Entry("mlp", .encoder, parameters: [
                Parameter("hidden", .list(.integer), default: .list([.number(300), .number(300)]),
                          "hidden-layer widths", check: Check.layerWidths(allowingNone: true)),
                Parameter("out", .integer, default: .number(100), "features out",
                          check: Check.integer(in: 1...65536, "out")),
                activation,
            ], summary: "a multilayer perceptron on the flattened view: 001 sec. 3.2's 300-300-100, ReLU"),
            make: { a, shape, rng in
                .mlp(MLPEncoder(sizes: [shape.size] + (a.ints("hidden") ?? [300, 300]) + [a.int("out") ?? 100],
                                activation: Activation(rawValue: a.symbol("act") ?? "relu") ?? .relu, rng: &rng))
            },
            plan: { a, shape in .mlp(sizes: [shape.size] + (a.ints("hidden") ?? [300, 300]) + [a.int("out") ?? 100]) }),
        EncoderEntry(
            entry: Entry("residual", .encoder, parameters: [
                Parameter("blocks", .integer, default: .number(4), "nonlinear residual blocks of the input's width",
                          check: Check.integer(in: 0...maxEncoderLayers, "blocks")),
                Parameter("linear", .bool, default: .bool(true), "a linear residual block after them (001's code)"),
                activation,
            ], summary: "x + f(x) blocks of the input's width, initialised near the identity (001 sec. 3.1)",
               details: "Weights start N(0, 1e-4^2), truncated at 2 sd, so g starts invertible; features out = "
                + "values per view."),
            make: { a, shape, rng in
                do {
                    return .residual(try ResidualEncoder(width: shape.size, blocks: a.int("blocks") ?? 4,
                                                         activation: Activation(rawValue: a.symbol("act") ?? "relu") ?? .relu,
                                                         linearBlock: a.bool("linear") ?? true, rng: &rng))
                } catch { throw RuntimeFailure("residual: \(error)") }
            },
            plan: { a, shape in .residual(width: shape.size, blocks: (a.int("blocks") ?? 4) + (a.bool("linear") ?? true ? 1 : 0)) }),
        EncoderEntry(
            entry: Entry("convnet", .encoder, parameters: [
                Parameter("filters", .list(.integer), default: .list([.number(64), .number(128)]),
                          "channels of each 5x5 stride-2 convolution", check: Check.widths),
                Parameter("out", .integer, default: .number(100), "features out of the final linear layer",
                          check: Check.integer(in: 1...65536, "out")),
                Parameter("layer_norm", .bool, default: .bool(true), "layer normalisation before pooling (001 footnote 9)"),
            ], summary: "001 sec. 3.3's ConvNet: 5x5 stride-2 convolutions, ReLU, layer norm, average pooling, linear",
               details: "Convolutions run as im2col + sgemm on OpenBLAS."),
            make: { a, shape, rng in
                do {
                    return .conv(try ConvEncoder(channels: shape.channels, height: shape.height, width: shape.width,
                                                 filters: a.ints("filters") ?? [64, 128], features: a.int("out") ?? 100,
                                                 layerNorm: a.bool("layer_norm") ?? true, rng: &rng))
                } catch { throw RuntimeFailure("convnet on \(shape) views: \(error)") }
            },
            plan: { a, shape in
                .conv(channels: shape.channels, height: shape.height, width: shape.width,
                      filters: a.ints("filters") ?? [64, 128], features: a.int("out") ?? 100,
                      layerNorm: a.bool("layer_norm") ?? true)
            }),
        EncoderEntry(
            entry: Entry("coupling", .encoder, parameters: [
                Parameter("layers", .integer, default: .number(8), "additive coupling layers (001: 30)",
                          check: Check.integer(in: 1...maxEncoderLayers, "layers")),
                Parameter("hidden", .integer, default: .number(256), "units per hidden layer of each shift network (001: 512)",
                          check: Check.integer(in: 1...65536, "hidden")),
                Parameter("depth", .integer, default: .number(2), "hidden layers per shift network (001: 2)",
                          check: Check.integer(in: 1...16, "depth")),
            ], summary: "an invertible RealNVP-style stack of additive couplings with an exact inverse (001 sec. 3.1)",
               details: "Every layer permutes the coordinates and shifts one half by an MLP of the other, so g is a "
                + "bijection whatever its weights: I(g1(x1); g2(x2)) = I(x1; x2) throughout training. The default "
                + "8 layers of 2x256 is 001's 30 of 2x512 scaled to two cores."),
            make: { a, shape, rng in
                do {
                    return .coupling(try CouplingEncoder(width: shape.size, layers: a.int("layers") ?? 8,
                                                         hidden: a.int("hidden") ?? 256, hiddenLayers: a.int("depth") ?? 2,
                                                         rng: &rng))
                } catch { throw RuntimeFailure("coupling: \(error)") }
            },
            plan: { a, shape in
                .coupling(width: shape.size, layers: a.int("layers") ?? 8, hidden: a.int("hidden") ?? 256,
                          depth: a.int("depth") ?? 2)
            }),
    ]
}
