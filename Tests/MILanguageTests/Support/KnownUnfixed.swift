import Foundation
import MILanguage

/// TEMPORARY (issue 11). Crashes the engine helper is fixing in its own
/// branch: a fuzz case that matches one of these is resolved but not run,
/// and the summary counts it under the entry's name. Once that branch is
/// merged, delete this file and its one use in `CaseRunner.run`; the fuzzer
/// then runs these cases like any other, and a crash among them fails.
enum KnownUnfixed {
    struct Entry: Sendable {
        let name: String
        /// A program that crashes at 263315b.
        let reproduction: String
        let matches: @Sendable (FuzzCase, FuzzFiles) -> Bool
    }

    static let memory = "sizes that exhaust memory"
    static let notRegular = "a data file that is not a regular file"

    /// The names of the entries `c` matches.
    static func matches(_ c: FuzzCase, files: FuzzFiles) -> [String] {
        entries.filter { $0.matches(c, files) }.map(\.name)
    }

    static let entries: [Entry] = [
        Entry(name: "gaussian mi so large that rho rounds to 1",
              reproduction: "estimate nce critic=optimal steps=5 batch=8 mi=400") { c, _ in
            // rho = sqrt(1 - exp(-2 mi / dim)) is 1 in Double from mi / dim = 18.4 on.
            gaussians(c).contains { $0.mi / $0.dim > 18 }
        },
        Entry(name: "file data with fewer training rows than the batch, or n= with file data",
              reproduction: "estimate nce batch=64 steps=5 data=csv(\"pairs_40_1x1.csv\", x=\"x1\", y=\"y1\")") { c, files in
            c.runs.contains { run in
                guard run.verb == "estimate" else { return false }
                let fileSources = fileData(run)
                if fileSources.isEmpty { return false }
                if run.option("n") != nil { return true }
                let batch = run.option("batch")?.numbers.filter(\.isFinite).max() ?? 64
                return fileSources.contains { d in trainingRows(d, files: files).map { Double($0) < batch } ?? false }
            }
        },
        Entry(name: "mine(rate=0)", reproduction: "estimate mine(rate=0) critic=separable steps=5 batch=8") { c, _ in
            estimators(c).contains { $0.name == "mine" && ($0.argument("rate", position: 0)?.number == 0) }
        },
        Entry(name: "alpha(a) at batch 2", reproduction: "estimate alpha(0.5) batch=2 steps=5") { c, _ in
            c.runs.contains { run in
                run.names("alpha") && (run.option("batch")?.numbers.contains(2) ?? false)
            }
        },
        Entry(name: "variational_upper with file data",
              reproduction: "estimate variational_upper steps=5 data=csv(\"pairs_200_2x2.csv\", x=\"x1\", y=\"y1\")") { c, _ in
            c.runs.contains { run in run.names("variational_upper") && !fileData(run).isEmpty }
        },
        Entry(name: memory, reproduction: "estimate nce critic=concat batch=8192 steps=1") { c, files in
            RunCost.of(c, files: files).bytes >= RunCost.machineMemory
        },
        Entry(name: notRegular, reproduction: "print csv(\"/dev/zero\", x=0, y=1)") { c, files in
            c.data.contains { d in
                d.all.contains { t in t.string.flatMap(files.file).map { !$0.regular } ?? false }
            }
        },

        // Found by this fuzzer; the fix belongs outside the language's files (see the report of issue 11).
        Entry(name: "analyze with two bounds of one name",
              reproduction: "analyze [tuba, tuba] mi=[1] batch=[8] batches=2 dim=2; "
                + "analyze of=best_alpha mi=[1] batch=[8] batches=2 dim=2 alphas=[0.5, 0.5]") { c, _ in
            // MIEngine/Analysis: OptimalCriticSweep and GradientAccuracySweep build
            // Dictionary(uniqueKeysWithValues:) from the bounds' names, which show
            // alpha's and smile's argument in a few digits (alpha(1e-300) is alpha(0)).
            c.runs.contains { run in
                guard run.verb == "analyze" else { return false }
                func key(_ name: String, _ x: Double?) -> String {
                    guard let x else { return name }
                    return name + (abs(x) < 1e-3 ? "0" : String(format: "%.2g", x))
                }
                var names = run.estimators.map { e -> String in
                    let name = e.name ?? ""
                    guard name == "alpha" || name == "smile", let p = Registry.standard.estimator(name)?.entry.parameters.first
                    else { return name }
                    let fallback: Double? = { if case .number(let x)? = p.defaultValue { return x } else { return nil } }()
                    return key(name, e.argument(p.name, position: 0)?.number ?? fallback)
                }
                if run.option("of")?.name == "best_alpha" {
                    names = (run.option("alphas")?.numbers ?? []).map { key("alpha", $0) }
                }
                return Set(names).count < names.count
            }
        },
    ]

    // MARK: Reading cases

    /// The file sources a run reads, also inside `cubic(...)`.
    static func fileData(_ run: RunSpec) -> [FuzzTerm] {
        (run.option("data")?.elements ?? []).flatMap(\.all).filter { ["csv", "npy", "fashion_mnist"].contains($0.name ?? "") }
    }

    /// Every estimator a case names.
    static func estimators(_ c: FuzzCase) -> [FuzzTerm] {
        c.runs.flatMap(\.estimators) + c.runs.flatMap { $0.estimators.flatMap(\.all) }
    }

    /// Every Gaussian a case builds: (mi, dim) or rho, from data sources
    /// and from the default data of `estimate` and `analyze`.
    static func gaussians(_ c: FuzzCase) -> [(mi: Double, dim: Double, rho: Double?)] {
        var out: [(mi: Double, dim: Double, rho: Double?)] = []
        for d in c.data + c.runs.flatMap({ $0.option("data")?.elements ?? [] }) {
            for t in d.all {
                let dim = max(1, t.argument("dim")?.number ?? 20)
                switch t.name {
                case "gaussian":
                    if let rho = t.argument("rho", position: 0)?.number { out.append((0, dim, rho)) }
                    out.append((t.argument("mi")?.number ?? 2, dim, nil))
                case "staircase":
                    for level in t.argument("levels")?.numbers ?? [] { out.append((level, dim, nil)) }
                default: break
                }
            }
        }
        for run in c.runs where run.option("data") == nil {
            let dims = run.option("dim")?.numbers ?? [20]
            for mi in run.option("mi")?.numbers ?? [] {
                for dim in dims { out.append((mi, max(1, dim), nil)) }
            }
        }
        return out.filter { $0.mi.isFinite }
    }

    /// Training rows of a file source, when the file is well formed.
    static func trainingRows(_ d: FuzzTerm, files: FuzzFiles) -> Int? {
        let rows: Int?
        switch d.name {
        case "fashion_mnist":
            rows = Int(min(60_000, max(0, d.argument("limit")?.number ?? 10_000)))
        default:
            let paths = [d.argument("path", position: 0), d.argument("x"), d.argument("y")].compactMap { $0?.string }
            rows = paths.compactMap { files.file($0)?.rows }.min()
        }
        guard let rows else { return nil }
        let eval = min(1, max(0, d.argument("eval")?.number ?? 0.2))
        return rows - Int((Double(rows) * eval).rounded())
    }
}
