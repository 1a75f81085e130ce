import MIEngine

extension Registry {
    /// The decoder families of `learn reconstruct`.
    static let decoderFamilies = SymbolSet(name: "decoder", members: ["linear", "mlp"])

    /// `learn reconstruct`: 002 sec. 5.1's V-InfoMax autoencoder.
    static let reconstructObjective = LearnObjectiveEntry(
        entry: Entry("reconstruct", .objective, usage: "learn reconstruct [decoder=linear|mlp] [option=value ...]", parameters: [
            Parameter("decoder", .symbol(decoderFamilies), default: .symbol("linear"), sweeps: true,
                      "the decoder family V: one linear layer, or an MLP with two hidden layers of 300 and ReLU, "
                      + "g1's architecture without dropout (002 App. C.3)"),
            Parameter("decoder_steps", .integer, default: .number(10), sweeps: true,
                      "decoder steps before each block of encoder steps (002 App. C.3: c1 = 10)",
                      check: Check.integer(in: 1...10_000, "decoder_steps")),
            Parameter("encoder_steps", .integer, default: .number(1),
                      "encoder steps per block (002 App. C.3: c2 = 1)",
                      check: Check.integer(in: 1...10_000, "encoder_steps")),
            Parameter("warmup", .integer, default: .number(1000), sweeps: true,
                      "decoder steps on the random, frozen g1 before the first encoder step (002 App. C.3: 150 "
                      + "epochs, about 70k)", check: Check.integer(in: 0...100_000_000, "warmup")),
            Parameter("joint", .bool, default: .bool(false), sweeps: true,
                      "joint gradient steps on g1 and the decoder instead of alternating (002 App. D.5, Fig. 14)"),
            Parameter("dropout", .any, default: .number(0.5),
                      "dropout on g1's hidden layers while training: one rate, or one per layer (002 App. C.3: 0.5, "
                      + "0.5); an mlp encoder's only", check: Check.dropout),
            Parameter("mlp_probe", .bool, default: .bool(false),
                      "also fit an MLP probe (two hidden layers of 300, 002 sec. 5's non-linear evaluation) at every "
                      + "evaluation, beside `probe`: r.mlp_probe, r.mlp_accuracy"),
        ], summary: "train g1 as the encoder of an autoencoder whose decoder family is V (002 sec. 5.1, V-InfoMax)",
           details: "No MI estimator: maximising I_V(g1(X) -> X), with V the Gaussians whose mean is a decoder phi "
            + "of the chosen family, is minimising the L2 reconstruction loss of x from phi(g1(x)) over g1 and phi "
            + "(002 eqs. 14, 15). The loss is the mean squared error per pixel (002's sum over pixels divided by "
            + "their number, 784 on images(): the same minimiser; pixels in [0, 1]). The decoder is trained alone on the random g1 for "
            + "`warmup` steps, then `decoder_steps` decoder steps precede every `encoder_steps` encoder steps "
            + "(002 App. C.3), or with joint=true every step updates both. g1 trains with `dropout`, and is "
            + "evaluated and probed without it. It decodes x2 from g1(x1): on images() (the default) the image "
            + "itself; on halves() the other half. `steps` counts encoder (or joint) steps. At every evaluation: "
            + "the test reconstruction loss (r.reconstruction; r.final is the last, r.se its standard error over "
            + "the test batches), I_V in nats (r.vinfo: the test targets' summed variance less the summed squared "
            + "error), a probe fitted afresh on g1's frozen features (r.probe, r.accuracy) and, with "
            + "mlp_probe=true, the MLP probe (r.mlp_probe, r.mlp_accuracy). 002's claims: the linear decoder gives "
            + "the better linear probe, the MLP decoder the lower loss and the better MLP probe."),
        replaces: ["lr": .number(2.5e-4), "weight_decay": .number(1e-5), "steps": .number(2000),
                   "eval_every": .number(200)],
        refuses: [
            ("critic", "there is no MI estimator, so no critic; the decoder is the model family V"),
            ("target", "it minimises a reconstruction loss, not towards an MI value"),
            ("negatives", "there is no bound, so no negative pairs"),
            ("baseline", "there is no bound, so no baseline network"),
            ("shared", "it trains g1 alone; x2 is what the decoder predicts"),
        ],
        encoders: nil, views: "images")
}
