import Foundation

/// The language reference (docs/reference.md), generated from the registry
/// like `help`, so the two cannot drift apart. `mi reference` prints it; a
/// test fails when the committed page differs from what this generates.
public enum ReferenceDoc {
    /// The whole page, in Markdown.
    public static func markdown(_ registry: Registry = .standard) -> String {
        var out: [String] = []
        out += [
            "# The mi language reference",
            "",
            "<!-- Generated from the registry by `mi reference`; do not edit. After changing the registry, run",
            "     swift run mi reference > docs/reference.md -->",
            "",
            "Everything the language knows: its statements with their options, estimators, critics, data sources,",
            "functions and the fields of a result. `help NAME` in the language shows the same text.",
            "",
            "- [Syntax](#syntax)",
        ]
        let sections: [(EntryKind, String)] = [
            (.verb, "Statements"), (.estimator, "Estimators"), (.objective, "Learn objectives"), (.critic, "Critics"), (.encoder, "Encoders"),
            (.data, "Data sources"), (.views, "View pairs"), (.function, "Functions"),
        ]
        for (_, title) in sections { out.append("- [\(title)](#\(anchor(title)))") }
        out.append("- [Result fields](#result-fields)")
        out += ["", "## Syntax", "", "```", HelpTopics.syntax, "```", ""]
        out.append("Reserved words: " + Keyword.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ") + ".")
        out += ["", "Words that options take:", ""]
        for set in Registry.symbolSets {
            out.append("- \(set.name): " + set.members.map { "`\($0)`" }.joined(separator: ", "))
        }
        for (kind, title) in sections {
            out += ["", "## \(title)", "", intro(kind)]
            for entry in registry.allEntries where entry.kind == kind {
                out += [""] + section(entry, registry)
            }
        }
        out += ["", "## Result fields", "",
                "`r = estimate ...` or `r = learn ...` gives a result; `r.NAME` reads a field (fields marked learn: hold",
                "what `learn` records at each evaluation). A sweep gives a table, whose",
                "`t.NAME` is the list of that field over its rows (and `t.OPTION` the swept option's values).", "",
                "| field | type | description |", "|---|---|---|"]
        for f in ResultValue.fields { out.append("| `\(f.name)` | \(cell(f.type.description)) | \(cell(f.doc)) |") }
        return out.joined(separator: "\n") + "\n"
    }

    private static func intro(_ kind: EntryKind) -> String {
        switch kind {
        case .verb:
            return "One statement per line. An option marked *sweeps* may be given a list: every combination "
                + "runs and the result is a table."
        case .estimator:
            return "The subject of `estimate`: `estimate nce`, `estimate alpha(0.5)`, `estimate [nwj, nce]`."
        case .objective:
            return "The subject of `learn` when it trains something other than a bound: `learn adversarial "
                + "data=halves()`. It takes `learn`'s options that apply, with the defaults it changes, and its own."
        case .critic:
            return "The `critic=` option of `estimate`: `critic=concat`, `critic=separable(hidden=[128], embed=16)`. "
                + "Arguments not given come from `estimate`'s options of the same name."
        case .data:
            return "The `data=` option of `estimate`: `data=gaussian(dim=20, mi=4)`. Without it, `estimate` uses "
                + "`gaussian(dim=dim, mi=mi)` from its own `dim` and `mi` options."
        case .encoder:
            return "The `encoder=` option of `learn`: g1 and g2 (one network with `shared=true`), built afresh for "
                + "each run on the views' shape: `encoder=convnet`, `encoder=coupling(layers=30, hidden=512)`."
        case .views:
            return "The `data=` option of `learn`: labelled pairs of views x1, x2 with a train/test split; the "
                + "labels are kept for probes and never seen by the encoders."
        case .function:
            return "Called in expressions: `log(64)`, `mi_to_rho(4, dim=20)`."
        }
    }

    private static func section(_ e: Entry, _ registry: Registry) -> [String] {
        var out = ["### \(e.name)", "", "```", e.usage, "```", "", sentence(e.summary)]
        if !e.details.isEmpty { out += ["", e.details] }
        var notes: [String] = []
        if let estimator = registry.estimator(e.name) {
            if estimator.makeModel != nil {
                notes.append("Trains its own model: it takes no critic and needs a built-in distribution.")
            } else if estimator.usesKnownDensity {
                notes.append("Scores with the data's known log p(y|x): it takes no critic (or `critic=optimal`) "
                             + "and needs a built-in distribution.")
            }
            if estimator.defaultLipschitz != "none" {
                notes.append("The critic is kept Lipschitz by default (`lipschitz=\(estimator.defaultLipschitz)`).")
            }
        }
        if let f = registry.function(e.name) { notes.append("Returns \(f.result.withArticle).") }
        if let o = registry.objective(e.name) { notes += HelpTopics.objectiveNotes(o) }
        if !notes.isEmpty { out += [""] + notes }
        if !e.parameters.isEmpty {
            let sweeps = e.parameters.contains(where: \.sweeps)
            let positional = e.positional > 0
                ? " The first \(e.positional == 1 ? "may" : "\(e.positional) may") be given without a name." : ""
            let options = e.kind == .verb || e.kind == .objective
            out += ["", (e.kind == .verb ? "Options." : e.kind == .objective ? "Options of `learn` it adds." : "Parameters.")
                    + positional, ""]
            out.append("| \(options ? "option" : "parameter") | type | default |" + (sweeps ? " sweeps |" : "")
                       + " description |")
            out.append("|---|---|---|" + (sweeps ? "---|" : "") + "---|")
            for p in e.parameters {
                // A constant default is code; a described one ("the session seed") is prose.
                let def = p.defaultText.map { p.defaultValue == nil ? cell($0) : "`\(cell($0))`" } ?? "required"
                out.append("| `\(p.name)` | \(cell(p.type.description)) | \(def) |" + (sweeps ? (p.sweeps ? " yes |" : " |") : "")
                           + " \(cell(p.doc)) |")
            }
        }
        return out
    }

    /// Ends `s` with a full stop.
    private static func sentence(_ s: String) -> String { s.hasSuffix(".") ? s : s + "." }

    /// Text safe inside a table cell.
    private static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// GitHub's heading anchor: lower case, spaces to hyphens.
    private static func anchor(_ title: String) -> String {
        title.lowercased().replacingOccurrences(of: " ", with: "-")
    }
}
