import MILanguage

/// The REPL's own commands, written with a leading colon so they can never
/// clash with the language: `:help`, `:vars`, `:reset`, `:load FILE`, `:quit`.
enum MetaCommand: Equatable {
    case help
    case vars
    case reset
    case load(path: String)
    case quit
    /// A malformed or unknown command, with the message to show.
    case invalid(String)

    /// The names Tab completes.
    static let names = [":help", ":vars", ":reset", ":load", ":quit"]
    private static let aliases = [":q": ":quit", ":exit": ":quit", ":h": ":help", ":?": ":help"]

    /// The command on `line`, or nil when the line is not a command (does
    /// not start with `:`).
    static func parse(_ line: String) -> MetaCommand? {
        let text = line.trimmingSpaces()
        guard text.hasPrefix(":") else { return nil }
        let name = String(text.prefix(while: { $0 != " " && $0 != "\t" }))
        let argument = String(text.dropFirst(name.count)).trimmingSpaces()
        switch aliases[name] ?? name {
        case ":help": return argument.isEmpty ? .help : .invalid(":help takes no argument; try `help \(argument)`")
        case ":vars": return argument.isEmpty ? .vars : .invalid(":vars takes no argument")
        case ":reset": return argument.isEmpty ? .reset : .invalid(":reset takes no argument")
        case ":quit": return .quit
        case ":load":
            if argument.isEmpty { return .invalid(":load needs a file, e.g. :load notebooks/tour.mi") }
            return .load(path: unquoted(argument))
        default:
            let suggestion = Suggestions.nearest(name, in: names)
            return .invalid("unknown command '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                            + " (:help lists the commands)")
        }
    }

    /// `"my file.mi"` as `my file.mi`.
    private static func unquoted(_ s: String) -> String {
        if s.count >= 2, let q = s.first, q == "\"" || q == "'", s.last == q { return String(s.dropFirst().dropLast()) }
        return s
    }

    /// What `:help` prints before the language overview.
    static let helpText = """
        REPL commands:
          :help          this text, then the language overview (help TOPIC explains one name)
          :vars          variables with their types and values
          :reset         a fresh session: forget every variable, the seed back to its start value
          :load FILE     run a .mi program, or the ```mi cells of a Markdown notebook
          :quit          leave (also Ctrl-D on an empty line)

        Keys:
          Tab            complete verbs, estimators, options, option values, variables, fields, help topics
          Up / Down      history (kept in ~/.mi_history, or $MI_HISTORY); Ctrl-R searches it
          Ctrl-C         abandon the line; while an estimate runs, stop it and keep what it computed
          Ctrl-D         leave, on an empty line

        An open bracket or a trailing \\ continues a statement on the next line (prompt ...>).
        Errors name <repl>:LINE:COLUMN, counting the lines entered in this session.
        """
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}

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
