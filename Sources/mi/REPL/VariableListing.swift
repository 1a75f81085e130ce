import MILanguage

/// What `:vars` prints: each variable with its static type and a short
/// value, one per line, names aligned, parameters marked.
struct VariableListing {
    let environment: Environment
    /// Values longer than this are cut with an ellipsis.
    var width = 60

    var text: String {
        let names = environment.types.keys.sorted()
        if names.isEmpty { return "no variables yet (x = 2 defines one)" }
        let rows = names.map { name -> (String, String, String) in
            let type = environment.types[name].map { "\($0)" } ?? "value"
            let kind = environment.parameters[name] != nil ? "param, " + type : type
            return (name, kind, environment.values[name].map(short) ?? "")
        }
        let nameWidth = rows.map(\.0.count).max() ?? 0
        let typeWidth = rows.map(\.1.count).max() ?? 0
        return rows.map { name, type, value in
            "  " + padded(name, nameWidth) + "  " + padded(type, typeWidth) + "  " + value
        }.joined(separator: "\n")
    }

    /// A value on one short line.
    private func short(_ value: Value) -> String {
        let text: String
        switch value {
        case .result(let r): text = r.summaryLine + (r.trace.interrupted ? " (interrupted)" : "")
        case .list(let items) where items.count > 8:
            text = "[" + items.prefix(6).map(\.shortDescription).joined(separator: ", ") + ", ... (\(items.count) values)]"
        default: text = value.shortDescription
        }
        return text.count > width ? String(text.prefix(width - 1)) + "…" : text
    }

    private func padded(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - s.count))
    }
}
