import MIEngine

/// A data source the language can name, and how to build it.
public struct DataEntry: Sendable {
    public let entry: Entry
    public let make: @Sendable (Arguments) throws -> any DataSource
}

extension Registry {
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
            make: { a in
                let dim = a.int("dim") ?? 20
                if a.given.contains("rho") && a.given.contains("mi") {
                    throw RuntimeFailure("gaussian takes rho or mi, not both")
                }
                if let rho = a.number("rho"), a.given.contains("rho") { return GaussianSource(dim: dim, rho: rho) }
                return GaussianSource(dim: dim, mi: a.number("mi") ?? 2)
            }),
        DataEntry(
            entry: Entry("staircase", .data, parameters: [
                Parameter("levels", .list(.number), default: .list([2, 4, 6, 8, 10].map { .number($0) }),
                          "the true MI of each stage, in nats"),
                Parameter("steps_per_level", .integer, default: .number(4000), "training steps per stage",
                          check: Check.integer(in: 1...100_000_000, "steps_per_level")),
                Parameter("dim", .integer, default: .number(20), "dimension of x and of y",
                          check: Check.integer(in: 1...100_000, "dim")),
            ], summary: "the stepped Gaussian of 004 Figure 2: MI climbs through `levels`"),
            make: { a in
                let levels = a.numbers("levels") ?? [2, 4, 6, 8, 10]
                if levels.isEmpty { throw RuntimeFailure("staircase needs at least one level") }
                if let bad = levels.first(where: { $0 < 0 || !$0.isFinite }) {
                    throw RuntimeFailure("staircase levels must be non-negative, got \(formatNumber(bad))")
                }
                return StaircaseSource(dim: a.int("dim") ?? 20, levels: levels,
                                       stepsPerLevel: a.int("steps_per_level") ?? 4000)
            }),
        DataEntry(
            entry: Entry("cubic", .data, positional: 1, parameters: [
                Parameter("base", .data, "the distribution to transform, e.g. gaussian(mi=4) or staircase()"),
                Parameter("linear", .bool, default: .bool(true), "apply the random full-rank map W before cubing"),
                Parameter("seed", .integer, default: .number(0), "seed of W"),
            ], summary: "y -> (W y)^3 elementwise (004 Figure 2, bottom): MI unchanged"),
            make: { a in
                guard case .data(let base)? = a["base"] else { throw RuntimeFailure("cubic needs a base distribution") }
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
            make: { a in
                NonIIDSource(shared: !(a.bool("iid") ?? false), rhoZ: a.number("rho_z") ?? -0.5,
                             rhoE: a.number("rho_e") ?? 0.9)
            }),
    ]
}
