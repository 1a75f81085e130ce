import MIEngine

/// A data source the language can name, and how to build it.
public struct DataEntry: Sendable {
    public let entry: Entry
    public let make: @Sendable (Arguments, BuildContext) throws -> any DataSource
}

extension Registry {
    /// Largest y that `cubic` transforms (its W is dense and inverted once).
    static let cubicMaxDimension = 4096

    static let dataSources: [DataEntry] = [
        DataEntry(
            entry: Entry("gaussian", .data, usage: "gaussian(rho | mi=..., dim=20)", positional: 1, parameters: [
                Parameter("rho", .number, shown: "from mi", "correlation of each coordinate pair",
                          check: Check.number(in: -1...1, "rho", open: true)),
                Parameter("mi", .number, shown: "2 (if rho is not given)", "total MI in nats",
                          check: Check.number(in: 0...1000, "mi")),
                Parameter("dim", .integer, default: .number(20), "dimension of x and of y",
                          check: Check.integer(in: 1...100_000, "dim")),
            ], summary: "x ~ N(0, I), y = rho x + sqrt(1 - rho^2) e: MI = -(dim/2) log(1 - rho^2)",
               details: "Give rho or mi, not both; rho = sqrt(1 - exp(-2 MI / dim))."),
            make: { a, _ in
                let dim = a.int("dim") ?? 20
                if a.given.contains("rho") && a.given.contains("mi") {
                    throw RuntimeFailure("gaussian takes rho or mi, not both")
                }
                if let rho = a.number("rho"), a.given.contains("rho") {
                    if let message = GaussianLimit.check(rho: rho) { throw RuntimeFailure(message) }
                    return GaussianSource(dim: dim, rho: rho)
                }
                let mi = a.number("mi") ?? 2
                if let message = GaussianLimit.check(mi: mi, dim: dim) { throw RuntimeFailure(message) }
                return GaussianSource(dim: dim, mi: mi)
            }),
        DataEntry(
            entry: Entry("staircase", .data, parameters: [
                Parameter("levels", .list(.number), default: .list([2, 4, 6, 8, 10].map { .number($0) }),
                          "the true MI of each stage, in nats", check: Check.numbers(in: 0...1000, "levels")),
                Parameter("steps_per_level", .integer, default: .number(4000), "training steps per stage",
                          check: Check.integer(in: 1...100_000_000, "steps_per_level")),
                Parameter("dim", .integer, default: .number(20), "dimension of x and of y",
                          check: Check.integer(in: 1...100_000, "dim")),
            ], summary: "the stepped Gaussian of 004 Figure 2: MI climbs through `levels`"),
            make: { a, _ in
                let levels = a.numbers("levels") ?? [2, 4, 6, 8, 10]
                if levels.isEmpty { throw RuntimeFailure("staircase needs at least one level") }
                if let bad = levels.first(where: { $0 < 0 || !$0.isFinite }) {
                    throw RuntimeFailure("staircase levels must be non-negative, got \(formatNumber(bad))")
                }
                for level in levels {
                    if let message = GaussianLimit.check(mi: level, dim: a.int("dim") ?? 20) {
                        throw RuntimeFailure("staircase level " + message)
                    }
                }
                return StaircaseSource(dim: a.int("dim") ?? 20, levels: levels,
                                       stepsPerLevel: a.int("steps_per_level") ?? 4000)
            }),
        DataEntry(
            entry: Entry("cubic", .data, positional: 1, parameters: [
                Parameter("base", .data, "the distribution to transform, e.g. gaussian(mi=4) or staircase()"),
                Parameter("linear", .bool, default: .bool(true), "apply the random full-rank map W before cubing"),
                Parameter("seed", .integer, default: .number(0), "seed of W", check: Check.seed),
            ], summary: "y -> (W y)^3 elementwise (004 Figure 2, bottom): MI unchanged",
               details: "W is a dense dim x dim matrix, inverted once for the density: y may have at most "
                + "\(cubicMaxDimension) dimensions."),
            make: { a, _ in
                guard case .data(let base)? = a["base"] else { throw RuntimeFailure("cubic needs a base distribution") }
                // W and its inverse take 16 n^2 bytes and LAPACK's solve ~8/3 n^3 flops: at n = 100000,
                // 160 GB before anything runs. 4096 keeps it to half a GiB and a few seconds.
                if base.source.dimY > cubicMaxDimension {
                    throw RuntimeFailure("cubic maps y with a dense \(base.source.dimY) x \(base.source.dimY) matrix W and "
                        + "inverts it; y may have at most \(cubicMaxDimension) dimensions (\(base.description) has "
                        + "\(base.source.dimY))")
                }
                return CubicSource(base: base.source, linear: a.bool("linear") ?? true,
                                   seed: UInt64(a.int("seed") ?? 0))
            }),
        DataEntry(
            entry: Entry("noniid", .data, parameters: [
                Parameter("iid", .bool, default: .bool(false), "draw Z per pair instead of once per batch"),
                Parameter("rho_z", .number, default: .number(-0.5), "correlation of Z",
                          check: Check.number(in: -1...1, "rho_z", open: true)),
                Parameter("rho_e", .number, default: .number(0.9), "correlation of the noise e",
                          check: Check.number(in: -1...1, "rho_e", open: true)),
            ], summary: "001 App. E: (X, Y) = Z + e with Z shared within a batch; true MI about 0.02 nats"),
            make: { a, _ in
                NonIIDSource(shared: !(a.bool("iid") ?? false), rhoZ: a.number("rho_z") ?? -0.5,
                             rhoE: a.number("rho_e") ?? 0.9)
            }),
        DataEntry(
            entry: Entry("csv", .data, usage: "csv(path, x=[columns], y=[columns])", positional: 1, parameters: [
                Parameter("path", .string, "the file, relative to the notebook (or the working directory)"),
                Parameter("x", .any, "x columns: names, 0-based indices, or a range such as \"x1..x20\""),
                Parameter("y", .any, "y columns, as for x"),
                Parameter("delimiter", .string, default: .string(","), "field separator"),
                Parameter("eval", .number, default: .number(0.2), "held-out fraction",
                          check: Check.number(in: 0...0.9, "eval")),
                Parameter("seed", .integer, default: .number(0), "seed of the train/held-out split",
                          check: Check.seed),
            ], summary: "your own samples from a CSV file with a header row",
               details: "A fixed dataset: minibatches come from the training part, r.heldout from the rest."),
            make: { a, context in
                let path = context.resolve(a.string("path") ?? "")
                let delimiter = a.string("delimiter") ?? ","
                guard delimiter.count == 1, let d = delimiter.first else {
                    throw RuntimeFailure("the delimiter must be one character, got \"\(delimiter)\"")
                }
                return try loading {
                    try FixedDataset(csv: path, x: try selectors(a["x"], "x"), y: try selectors(a["y"], "y"),
                                     options: CSVOptions(delimiter: d), evalFraction: a.number("eval") ?? 0.2,
                                     seed: UInt64(a.int("seed") ?? 0))
                }
            }),
        DataEntry(
            entry: Entry("npy", .data, usage: "npy(x=\"x.npy\", y=\"y.npy\") or npy(path, x=[cols], y=[cols])",
                         positional: 1, parameters: [
                Parameter("path", .string, shown: "none", "one .npy file holding x and y columns"),
                Parameter("x", .any, "the x file (or x columns of `path`)"),
                Parameter("y", .any, "the y file (or y columns of `path`)"),
                Parameter("eval", .number, default: .number(0.2), "held-out fraction",
                          check: Check.number(in: 0...0.9, "eval")),
                Parameter("seed", .integer, default: .number(0), "seed of the train/held-out split",
                          check: Check.seed),
            ], summary: "your own samples from NumPy .npy files (float32 or float64, C order)"),
            make: { a, context in
                let eval = a.number("eval") ?? 0.2, seed = UInt64(a.int("seed") ?? 0)
                if let path = a.string("path") {
                    return try loading {
                        try FixedDataset(npy: context.resolve(path), x: try selectors(a["x"], "x"),
                                         y: try selectors(a["y"], "y"), evalFraction: eval, seed: seed)
                    }
                }
                guard let x = a.string("x"), let y = a.string("y") else {
                    throw RuntimeFailure("npy needs x=\"x.npy\" and y=\"y.npy\", or a path and x/y columns")
                }
                return try loading {
                    try FixedDataset(npyX: context.resolve(x), npyY: context.resolve(y), evalFraction: eval, seed: seed)
                }
            }),
        DataEntry(
            entry: Entry("fashion_mnist", .data, parameters: [
                Parameter("halves", .string, default: .string("top-bottom"), "how each image is cut into x and y: top-bottom or left-right"),
                Parameter("limit", .integer, default: .number(10000), "images to use",
                          check: Check.integer(in: 10...60000, "limit")),
                Parameter("split", .string, default: .string("train"), "train or test"),
                Parameter("eval", .number, default: .number(0.2), "held-out fraction",
                          check: Check.number(in: 0...0.9, "eval")),
            ], summary: "Fashion-MNIST image halves (Debian's dataset-fashion-mnist): x = one half, y = the other",
               details: "Pixels in [0, 1]; the true MI is unknown."),
            make: { a, _ in
                let halves: ImageHalves
                switch a.string("halves") ?? "top-bottom" {
                case "top-bottom": halves = .topBottom
                case "left-right": halves = .leftRight
                case let other: throw RuntimeFailure("halves must be top-bottom or left-right, got \"\(other)\"")
                }
                let split: FashionMNIST.Split
                switch a.string("split") ?? "train" {
                case "train": split = .train
                case "test": split = .test
                case let other: throw RuntimeFailure("split must be train or test, got \"\(other)\"")
                }
                guard FashionMNIST.isInstalled(split: split) else {
                    throw RuntimeFailure("Fashion-MNIST is not installed at \(FashionMNIST.defaultDirectory); "
                        + "install it with: apt-get install dataset-fashion-mnist", isInputOutput: true)
                }
                return try loading {
                    try FashionMNIST(split: split, limit: a.int("limit"))
                        .dataset(halves: halves, evalFraction: a.number("eval") ?? 0.2)
                }
            }),
    ]
}

/// Runs a loader, turning its `DataFileError` into a runtime failure.
private func loading(_ body: () throws -> FixedDataset) throws -> any DataSource {
    do {
        return try body()
    } catch let e as DataFileError {
        throw RuntimeFailure(e.description, isInputOutput: e.isInputOutput)
    }
}

/// Column selectors from a language value: a name or range string, an
/// index, or a list of those.
private func selectors(_ v: Value?, _ which: String) throws -> [ColumnSelector] {
    func one(_ v: Value) throws -> ColumnSelector {
        switch v {
        case .string(let s): return ColumnSelector(s)
        case .number(let x) where x == x.rounded() && x >= 0 && x < 1e9: return .index(Int(x))
        default: throw RuntimeFailure("\(which) columns must be names, indices or ranges such as \"x1..x20\", got \(v.shortDescription)")
        }
    }
    switch v {
    case .list(let items)?: return try items.map(one)
    case let v?: return [try one(v)]
    case nil: throw RuntimeFailure("missing the \(which) columns")
    }
}
