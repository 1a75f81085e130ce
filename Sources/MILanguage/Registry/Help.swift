/// Help text, generated from the registry.
public enum HelpTopics {
    /// Topics that are not registry names.
    static let general = ["estimators", "objectives", "critics", "encoders", "data", "views", "functions", "statements", "fields", "syntax"]

    public static func all(_ registry: Registry) -> [String] {
        general + registry.allEntries.map(\.name) + ResultValue.fields.map(\.name)
    }

    public static func known(_ topic: String, registry: Registry) -> Bool {
        all(registry).contains(topic)
    }

    /// The help text for `topic`, or the overview when it is nil.
    public static func text(_ topic: String?, registry: Registry = .standard) -> String? {
        guard let topic else { return overview(registry) }
        switch topic {
        case "estimators": return list(.estimator, registry)
        case "objectives": return list(.objective, registry)
        case "critics": return list(.critic, registry)
        case "encoders": return list(.encoder, registry)
        case "data": return list(.data, registry)
        case "views": return list(.views, registry)
        case "functions": return list(.function, registry)
        case "statements": return list(.verb, registry)
        case "fields": return fields()
        case "syntax": return syntax
        default:
            if let o = registry.objective(topic) { return describe(o.entry) + "\n\n" + objectiveNotes(o).joined(separator: "\n") }
            if let entry = registry.entry(named: topic) { return describe(entry) }
            if let f = ResultValue.fields.first(where: { $0.name == topic }) {
                return "r.\(f.name) (\(f.type)): \(f.doc)"
            }
            return nil
        }
    }

    static func overview(_ registry: Registry) -> String {
        var lines = ["mi: estimate mutual information, learn representations through it, plot them, check claims.", ""]
        lines.append("Statements:")
        for v in registry.verbEntries { lines.append("  " + pad(v.usage, 44) + v.summary) }
        lines.append("")
        lines.append("Estimators: " + registry.names(.estimator).joined(separator: ", "))
        lines.append("Objectives: " + registry.names(.objective).joined(separator: ", ") + " (learn's, besides bounds)")
        lines.append("Critics:    " + registry.names(.critic).joined(separator: ", "))
        lines.append("Encoders:   " + registry.names(.encoder).joined(separator: ", "))
        lines.append("Data:       " + registry.names(.data).joined(separator: ", "))
        lines.append("Views:      " + registry.names(.views).joined(separator: ", "))
        lines.append("Functions:  " + registry.names(.function).joined(separator: ", "))
        lines.append("")
        lines.append("`help NAME` explains one of them; `help fields` lists what a result holds; `help syntax` the grammar.")
        return lines.joined(separator: "\n")
    }

    static func list(_ kind: EntryKind, _ registry: Registry) -> String {
        let entries = registry.allEntries.filter { $0.kind == kind }
        var lines = ["\(kind.plural.prefix(1).uppercased())\(kind.plural.dropFirst()):"]
        for e in entries { lines.append("  " + pad(e.usage, 36) + e.summary) }
        return lines.joined(separator: "\n")
    }

    static func describe(_ e: Entry) -> String {
        var lines = ["\(e.usage)", "  \(e.summary)"]
        if !e.details.isEmpty { lines.append("  \(e.details)") }
        if !e.parameters.isEmpty {
            lines.append("")
            lines.append(e.kind == .verb ? "Options:" : e.kind == .objective ? "Options of learn it adds:" : "Parameters:")
            for p in e.parameters {
                let head = "  \(p.name)" + (p.defaultText.map { "=\($0)" } ?? " (required)")
                lines.append(pad(head, 34) + p.doc + (p.sweeps ? " [a list sweeps]" : "") + " (\(p.type))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// How a learn objective changes `learn`'s options: defaults it
    /// replaces, options it refuses, the encoders it trains.
    static func objectiveNotes(_ o: LearnObjectiveEntry) -> [String] {
        var lines: [String] = []
        var changed = o.replaces.mapValues(\.shortDescription)
        if let views = o.views { changed["data"] = "\(views)()" }
        if !changed.isEmpty {
            lines.append("Defaults it changes: " + changed.keys.sorted().map { "\($0)=\(changed[$0]!)" }
                .joined(separator: ", ") + ".")
        }
        if !o.refuses.isEmpty {
            lines.append("Options of learn it refuses: " + o.refuses.map { "\($0.option) (\($0.reason))" }
                .joined(separator: "; ") + ".")
        }
        if let e = o.encoders {
            lines.append("Encoders: " + e.names.joined(separator: ", ") + " (" + e.reason + ").")
        }
        return lines
    }

    static func fields() -> String {
        var lines = ["Fields of a result r (a table gives a list per field):"]
        for f in ResultValue.fields { lines.append("  " + pad("r.\(f.name)", 18) + f.doc) }
        return lines.joined(separator: "\n")
    }

    static let syntax = """
        One statement per line; a trailing \\ or an open bracket continues it. # starts a comment.
          let x = 2 * log(64)          bind (plain x = ... also binds)
          [1, 2, 3]   2..10 step 2     lists and inclusive ranges
          + - * / % ^                  arithmetic (on lists, elementwise)
          < <= > >= == !=  and or not  comparisons and logic
          f(a, name=b)   r.final   xs[0]
          estimate nce batch=[64, 128] a list where one value is expected sweeps: a table
        """

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + "  " : s + String(repeating: " ", count: width - s.count)
    }
}
