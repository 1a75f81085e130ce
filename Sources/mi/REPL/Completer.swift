import MILanguage

/// Tab-completion candidates, generated from the registry (verbs,
/// estimators, critics, encoders, data and view sources, functions and their parameters, help
/// topics, result fields) and the session (variables and their static types):
/// nothing is listed by hand, so completion cannot drift from the language.
struct Completer {
    let registry: Registry
    /// The session's variables and their static types.
    let variables: [String: ValueType]
    /// The REPL's own commands (`:help`, ...).
    let metaCommands: [String]

    /// The candidates for `word`, given everything typed before it, sorted;
    /// nil when file names should be completed instead. Option and argument
    /// names come with their `=`, functions with their `(`.
    func candidates(before: String, word: String) -> [String]? {
        let context = CompletionContext.of(before: before, word: word, registry: registry)
        guard let all = candidates(for: context) else { return nil }
        var seen = Set<String>()
        return all.filter { $0.hasPrefix(word) && seen.insert($0).inserted }.sorted()
    }

    /// Every candidate a context allows, before filtering by the word.
    func candidates(for context: CompletionContext) -> [String]? {
        switch context {
        case .lineStart:
            return registry.verbEntries.map(\.name) + expression()
        case .metaCommand:
            return metaCommands
        case .fileName:
            return nil
        case .helpTopic:
            return HelpTopics.all(registry)
        case .fields(let subject):
            guard let subject else { return fieldNames }
            guard let type = variables[subject] else { return [] }
            return hasFields(type) ? fieldNames : []
        case .subject(.learn):
            return registry.names(.estimator) + registry.names(.objective) + variables(of: .estimator)
        case .subject(.estimate), .subject(.analyze), .estimatorList:
            return registry.names(.estimator) + variables(of: .estimator)
        case .subject:
            return variableNames
        case .options(let verb, let given, let objective):
            let parameters = verb == .learn ? registry.learnEntry(objective: objective).parameters
                : registry.verb(verb.rawValue)?.parameters ?? []
            return parameters.filter { !given.contains($0.name) }.map(named)
        case .arguments(let name, let given):
            if registry.function(name) != nil { return expression() }
            guard let entry = registry.entry(named: name) else { return expression() }
            let names = entry.parameters.filter { !given.contains($0.name) }.map { $0.name + "=" }
            return names + (entry.positional > 0 ? expression() : [])
        case .value(let type):
            return values(of: type)
        case .expression:
            return expression()
        case .assignment:
            return expression() + ["estimate", "learn", "analyze"]
        case .nothing:
            return []
        }
    }

    /// Values for an option or argument of `type`: registry names where the
    /// type has them, plus variables of that type.
    private func values(of type: ValueType) -> [String] {
        switch type {
        case .critic: return registry.names(.critic) + variables(of: .critic)
        case .data: return registry.names(.data) + variables(of: .data)
        case .encoder: return registry.names(.encoder) + variables(of: .encoder)
        case .views: return registry.names(.views) + variables(of: .views)
        case .estimator: return registry.names(.estimator) + variables(of: .estimator)
        case .symbol(let set): return set.members
        case .bool: return ["true", "false"] + variables(of: .bool)
        case .string: return variables(of: .string)
        default: return expression()
        }
    }

    /// Variables and functions: what may start an expression.
    private func expression() -> [String] {
        variableNames + registry.names(.function).map { $0 + "(" }
    }

    private var variableNames: [String] { variables.keys.sorted() }

    private var fieldNames: [String] { ResultValue.fields.map(\.name) }

    /// A command option as completed: `name=`, or a bare `name` for a flag
    /// (`plot r truth`).
    private func named(_ parameter: Parameter) -> String {
        parameter.type == .bool ? parameter.name : parameter.name + "="
    }

    /// Variables whose static type fits where `type` is expected (a list of
    /// them too, since a list sweeps).
    private func variables(of type: ValueType) -> [String] {
        variables.filter { _, actual in
            actual == type || actual == .list(type) || actual == .any
                || (type == .number && actual == .integer)
        }.keys.sorted()
    }

    private func hasFields(_ type: ValueType) -> Bool {
        switch type {
        case .result, .table, .any, .list(.any), .list(.result): return true
        default: return false
        }
    }
}
