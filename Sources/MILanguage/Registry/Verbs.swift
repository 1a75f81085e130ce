import MIEngine

extension Registry {
    /// Options of `estimate`. A list given to an option marked "sweeps" runs
    /// every combination and gives a table.
    static let estimateOptions: [Parameter] = [
        Parameter("data", .data, shown: "gaussian(dim=dim, mi=mi)", sweeps: true, "where the samples come from"),
        Parameter("mi", .number, default: .number(2), sweeps: true,
                  "true MI of the default Gaussian data (ignored when data= is given)",
                  check: Check.number(in: 0...1000, "mi")),
        Parameter("dim", .integer, default: .number(20), "dimension of the default Gaussian data",
                  check: Check.integer(in: 1...100_000, "dim")),
        Parameter("batch", .integer, default: .number(64), sweeps: true, "batch size K",
                  check: Check.integer(in: 2...8192, "batch")),
        Parameter("steps", .integer, default: .number(2000), sweeps: true,
                  "training steps (batches evaluated, for critic=optimal)",
                  check: Check.integer(in: 1...100_000_000, "steps")),
        Parameter("critic", .critic, default: .critic(CriticValue(name: "separable", arguments: [:])), sweeps: true,
                  "the critic: separable, concat, bilinear, inner or optimal"),
        Parameter("hidden", .list(.integer), default: .list([.number(256), .number(256)]),
                  "hidden widths of the critic's networks", check: Check.widths),
        Parameter("embed", .integer, default: .number(32), "embedding size of the separable critic",
                  check: Check.integer(in: 1...65536, "embed")),
        Parameter("act", .symbol(Symbols.activation), default: .symbol("relu"), "the networks' nonlinearity"),
        Parameter("lr", .number, default: .number(5e-4), sweeps: true, "Adam learning rate",
                  check: Check.number(in: 0...10, "lr", open: true)),
        Parameter("dropout", .any, default: .number(0),
                  "dropout on the critic's hidden layers while training: one rate, or one per layer "
                  + "([0.5, 0.3, 0.2] in 002 Fig. 3)", check: Check.dropout),
        Parameter("weight_decay", .number, default: .number(0), "L2 weight decay added to the gradient",
                  check: Check.number(in: 0...10, "weight_decay")),
        Parameter("negatives", .symbol(Symbols.negatives), default: .symbol("all"), sweeps: true,
                  "all K(K-1) off-diagonal pairs, or one shuffled y per x (002 sec. 3)"),
        Parameter("baseline", .list(.integer), default: .list([.number(512), .number(512)]),
                  "hidden widths of the baseline network (tuba, alpha)", check: Check.widths),
        Parameter("seed", .integer, shown: "the session seed", sweeps: true,
                  "seed of the weights, the batches and the negatives",
                  check: Check.seed),
        Parameter("n", .integer, shown: "fresh batches", "draw one fixed dataset of n pairs and train on it",
                  check: Check.integer(in: 4...100_000_000, "n")),
        Parameter("eval", .number, default: .number(0.2), "held-out fraction of a fixed dataset",
                  check: Check.number(in: 0...0.9, "eval")),
        Parameter("eval_every", .integer, default: .number(100), "steps between held-out evaluations",
                  check: Check.integer(in: 1...100_000_000, "eval_every")),
        Parameter("span", .number, default: .number(200), "span of the moving average in r.smoothed",
                  check: Check.number(in: 1...1e9, "span")),
        Parameter("smoothing", .symbol(Symbols.smoothing), default: .symbol("ema"),
                  "how r.smoothed and plots smooth the trace: ema (span `span`) or triangular "
                  + "(means of `epoch` steps, weighted +-10 epochs; 002 App. C.1)"),
        Parameter("epoch", .integer, default: .number(100), "steps per epoch for triangular smoothing",
                  check: Check.integer(in: 1...100_000_000, "epoch")),
        Parameter("tail", .integer, default: .number(500), "last steps summarised by r.final and r.std",
                  check: Check.integer(in: 1...100_000_000, "tail")),
        Parameter("lipschitz", .symbol(Symbols.lipschitz), shown: "none (gp for wdm and wpc)",
                  "keep the critic Lipschitz: gradient penalty (gp) or spectral normalisation (sn)"),
        Parameter("penalty", .number, default: .number(10), "weight of the gradient penalty",
                  check: Check.number(in: 0...1e6, "penalty")),
    ]

    /// Options of `learn`: encoders trained through a bound on view pairs,
    /// judged by probes (001 sec. 3).
    static let learnOptions: [Parameter] = [
        Parameter("data", .views, shown: "halves()", sweeps: true,
                  "the labelled view pairs, e.g. halves(noise=0.05) or items(n=3)"),
        Parameter("encoder", .encoder, default: .encoder(EncoderValue(name: "mlp", arguments: [:])), sweeps: true,
                  "the architecture of g1 and g2: mlp, residual, convnet or coupling"),
        Parameter("shared", .bool, default: .bool(false), "one encoder for both views (g2 = g1, as in 001 sec. 3.3)"),
        Parameter("critic", .critic, default: .critic(CriticValue(name: "bilinear", arguments: [:])), sweeps: true,
                  "the critic on the features: bilinear, separable, concat or inner (its own hidden=, embed=)"),
        Parameter("batch", .integer, default: .number(128), sweeps: true, "batch size K",
                  check: Check.integer(in: 2...8192, "batch")),
        Parameter("steps", .integer, default: .number(3000), sweeps: true, "training steps",
                  check: Check.integer(in: 0...100_000_000, "steps")),
        Parameter("lr", .number, default: .number(1e-4), sweeps: true, "Adam learning rate (001: 1e-4)",
                  check: Check.number(in: 0...10, "lr", open: true)),
        Parameter("weight_decay", .number, default: .number(0), "L2 weight decay added to the gradient",
                  check: Check.number(in: 0...10, "weight_decay")),
        Parameter("target", .number, shown: "none (maximise)", sweeps: true,
                  "minimise |I_EST - target| instead of maximising I_EST (001 sec. 3.3)",
                  check: Check.number(in: -1000...1000, "target")),
        Parameter("negatives", .symbol(Symbols.negatives), default: .symbol("all"),
                  "all K(K-1) off-diagonal pairs, or one shuffled x2 per x1"),
        Parameter("baseline", .list(.integer), default: .list([.number(512), .number(512)]),
                  "hidden widths of the baseline network on g2's features (tuba, alpha)", check: Check.widths),
        Parameter("lipschitz", .symbol(Symbols.lipschitz), shown: "none (gp for wdm and wpc)",
                  "keep f(x1, x2) = critic(g1(x1), g2(x2)) Lipschitz in the views: the gradient penalty through "
                  + "the encoders (gp; mlp or residual encoders), or none (sn is estimate's only)"),
        Parameter("penalty", .number, default: .number(10), sweeps: true,
                  "weight of the gradient penalty (000: 10); 0 records r.grad_norm without constraining",
                  check: Check.number(in: 0...1e6, "penalty")),
        Parameter("eval_every", .integer, default: .number(500), "steps between test evaluations (and probes)",
                  check: Check.integer(in: 1...100_000_000, "eval_every")),
        Parameter("eval_batches", .integer, default: .number(20), "test batches averaged in each test I_EST",
                  check: Check.integer(in: 1...10_000, "eval_batches")),
        Parameter("probe", .symbol(Symbols.probe), default: .symbol("logistic"), sweeps: true,
                  "the classifier fitted on g1's frozen features at each evaluation: logistic regression "
                  + "(001's linear evaluation), an MLP with two hidden layers of 300 (002 sec. 5), or none"),
        Parameter("probe_train", .integer, default: .number(10000),
                  "training items the probe fits on (the first images of halves(), pairs of items())",
                  check: Check.integer(in: 10...60000, "probe_train")),
        Parameter("conditioning", .integer, default: .number(0),
                  "test inputs at which the condition number of g1's Jacobian is computed per evaluation "
                  + "(001 Fig. 2c uses 128; 0: none)", check: Check.integer(in: 0...10_000, "conditioning")),
        Parameter("seed", .integer, shown: "the session seed", sweeps: true,
                  "seed of the weights, the batches, the noise and the negatives", check: Check.seed),
    ]

    /// Every column an `analyze` table can hold (all numbers but `estimator`).
    static let analysisColumns = ["estimator", "mi", "batch", "mean", "truth", "bias", "variance", "mse", "mse_se",
                                  "max", "alpha"]

    /// Options of `analyze`: optimal-critic studies without training (004 Figures 3 and 4).
    static let analyzeOptions: [Parameter] = [
        Parameter("of", .symbol(Symbols.analysis), default: .symbol("estimates"),
                  "estimates: bias, variance and MSE of each bound (004 Fig. 3); gradients: MSE of the encoder "
                  + "gradient (004 Fig. 4); best_alpha: the alpha with the lowest gradient MSE"),
        Parameter("mi", .list(.number), default: .list([2, 4, 6, 8, 10].map { Value.number($0) }),
                  "true MIs of the Gaussian data, in nats", check: Check.numbers(in: 0...1000, "mi")),
        Parameter("batch", .list(.integer), default: .list([64, 128, 256, 512].map { Value.number($0) }),
                  "batch sizes K", check: Check.integers(in: 3...8192, "batch")),
        Parameter("batches", .integer, default: .number(200), "batches per (MI, K) cell",
                  check: Check.integer(in: 2...1_000_000, "batches")),
        Parameter("dim", .integer, default: .number(20), "dimension of the Gaussian data",
                  check: Check.integer(in: 1...100_000, "dim")),
        Parameter("alphas", .list(.number), shown: "13 values, 0.001 to 0.999 on a logit scale",
                  "the alpha grid of best_alpha", check: Check.numbers(in: 0...1, "alpha")),
        Parameter("seed", .integer, shown: "the session seed", "seed of the batches", check: Check.seed),
    ]

    static let plotOptions: [Parameter] = [
        Parameter("title", .string, default: .string(""), "panel title"),
        Parameter("x", .string, shown: "steps", "table column for the x axis; for training curves \"steps\" or \"samples\" (step times batch size)"),
        Parameter("y", .string, shown: "final", "table column (or result field) for the y axis"),
        Parameter("by", .string, shown: "none", "table column whose values become separate lines"),
        Parameter("z", .string, shown: "none", "table column drawn as a heat map over the x and y columns"),
        Parameter("xlabel", .string, shown: "from x", "x-axis label"),
        Parameter("ylabel", .string, shown: "from y", "y-axis label"),
        Parameter("logx", .bool, default: .bool(false), "logarithmic x axis"),
        Parameter("logy", .bool, default: .bool(false), "logarithmic y axis"),
        Parameter("ylim", .list(.number), shown: "automatic", "y-axis range [low, high]"),
        Parameter("truth", .bool, default: .bool(false), "draw the true MI (a bare `truth` turns it on)"),
        Parameter("log_k", .bool, default: .bool(false), "draw the estimator's ceiling, e.g. log K for nce"),
        Parameter("raw", .bool, default: .bool(true), "draw the raw trace in a light tint behind the smoothed one"),
        Parameter("hline", .any, shown: "none", "grey dashed horizontal lines at these heights (a number or a list), "
                  + "e.g. `hline=log(64)` for log N", check: Check.finiteNumbers("hline")),
        Parameter("hlabel", .any, shown: "the value", "legend name of the hline lines, e.g. \"log N\", or one name per line",
                  check: Check.names("hlabel")),
    ]

    /// What `x` may be in a plot of training curves: steps, or pairs drawn
    /// (step times batch size). For tables, `x` names a column.
    static let curveAxes = ["steps", "samples"]

    static func notACurveAxis(_ word: String) -> String {
        "for training curves x is \"steps\" or \"samples\", got \"\(word)\""
    }

    static let figureOptions: [Parameter] = [
        Parameter("cols", .integer, shown: "up to 3", "panels per row", check: Check.integer(in: 1...12, "cols")),
        Parameter("title", .string, default: .string(""), "figure title"),
        Parameter("width", .integer, default: .number(1200), "image width in pixels",
                  check: Check.integer(in: 100...10000, "width")),
        Parameter("height", .integer, shown: "from the rows", "image height in pixels",
                  check: Check.integer(in: 100...10000, "height")),
    ]

    static let verbs: [Entry] = [
        Entry("let", .verb, usage: "let NAME = EXPRESSION", summary: "bind a value to a name (plain `NAME = EXPRESSION` also binds)"),
        Entry("param", .verb, usage: "param NAME = EXPRESSION",
              summary: "declare a notebook parameter; `mi run NB -p NAME=VALUE` overrides its default"),
        Entry("seed", .verb, usage: "seed N", summary: "set the session seed used by later estimates"),
        Entry("estimate", .verb, usage: "estimate ESTIMATOR [option=value ...]", parameters: estimateOptions,
              summary: "train (or evaluate) an estimator; lists sweep and give a table",
              details: "`estimate nce batch=64 data=gaussian(dim=20, mi=2) critic=optimal steps=500`; "
                + "`estimate [nwj, nce] batch=[64, 128]` runs four combinations."),
        Entry("learn", .verb, usage: "learn ESTIMATOR|OBJECTIVE [option=value ...]", parameters: learnOptions,
              summary: "train encoders g1, g2 through a bound on view pairs and probe their features; lists sweep",
              details: "`learn nce data=halves(noise=0.05) encoder=residual conditioning=128` maximises I_NCE of "
                + "g1(x1) and g2(x2) with a bilinear critic, and at every evaluation records the test I_EST, a "
                + "probe's test accuracy on g1's features and the conditioning of g1's Jacobian (001 sec. 3). "
                + "`target=2` minimises |I_EST - 2| instead. The result's fields: test, test_se, probe, probe_loss, "
                + "cond_p0 .. cond_p100, eval_steps, accuracy, baseline_accuracy, baseline_loss. `learn wpc` is "
                + "000's Wasserstein predictive coding (eq. 4): InfoNCE with the gradient penalty on "
                + "critic(g1(x1), g2(x2)) in the views, through the encoders (mlp or residual), recorded as r.grad_norm; "
                + "`learn nce lipschitz=gp` is the same. With an objective "
                + "in place of the estimator (`learn adversarial`, see `help objectives`) it trains that instead."),
        Entry("analyze", .verb, usage: "analyze ESTIMATOR|[ESTIMATOR, ...] [of=estimates|gradients|best_alpha] [option=value ...]",
              parameters: analyzeOptions,
              summary: "study bounds with the optimal critic, without training: a table over MI and batch size",
              details: "`analyze [nwj, nce, alpha(0.5)] mi=[2, 6, 10] batch=[64, 512]` gives mean, bias, variance and "
                + "MSE per cell (004 Fig. 3); `of=gradients` the MSE of the encoder gradient (004 Fig. 4); "
                + "`analyze alpha of=best_alpha` the alpha of lowest gradient MSE per cell. Batches of a cell "
                + "run on all cores; the numbers do not depend on the core count."),
        Entry("plot", .verb, usage: "plot RESULT|TABLE [truth] [log_k] [option=value ...]", parameters: plotOptions,
              summary: "make a figure panel from results or a table"),
        Entry("figure", .verb, usage: "figure [PANEL, ...] [cols=N] [title=TEXT]", parameters: figureOptions,
              summary: "arrange panels in a grid"),
        Entry("table", .verb, usage: "table VALUE", summary: "print a table (a sweep, or a result's summary)"),
        Entry("expect", .verb, usage: "expect CONDITION",
              summary: "check a claim; fails loudly with both sides' values when it does not hold"),
        Entry("print", .verb, usage: "print VALUE[, VALUE ...]", summary: "print values"),
        Entry("help", .verb, usage: "help [TOPIC]", summary: "list what the language knows, or explain one name"),
    ]
}
