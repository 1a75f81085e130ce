/// A command's options evaluated, checked and expanded into every
/// combination of its sweeping lists (`estimate` and `learn`): the subject's
/// list first, then each list-valued sweeping option in the order written.
struct Sweep {
    /// One option's value and where it was written.
    struct Given {
        let parameter: Parameter
        let value: Value
        let range: SourceRange
    }

    /// One swept option (or the subject, named `subjectAxis`) and its values.
    struct Axis {
        let name: String
        let values: [Value]
        let range: SourceRange
    }

    let given: [String: Given]
    let axes: [Axis]
    /// One value per axis, for every combination, the last axis varying fastest.
    let combinations: [[Value]]

    /// Evaluates `command`'s options against `entry`; `subject` is the
    /// subject's axis when it was written as a list (or holds several values).
    init(_ command: Command, entry: Entry, subject: Axis?, in interpreter: Interpreter) throws {
        var given: [String: Given] = [:]
        for option in command.options {
            guard let p = entry.parameter(option.name) else { continue }
            let v = try option.value.map(interpreter.evaluate) ?? .bool(true)
            given[p.name] = Given(parameter: p, value: v, range: option.value?.range ?? option.nameRange)
        }
        var axes: [Axis] = subject.map { [$0] } ?? []
        for option in command.options {
            guard let g = given[option.name], g.parameter.sweeps, !Self.isListType(g.parameter.type),
                  case .list(let items) = g.value else { continue }
            if items.isEmpty { throw interpreter.failure("'\(option.name)' sweeps over an empty list", g.range) }
            axes.append(Axis(name: option.name, values: items, range: g.range))
        }
        for g in given.values {
            let items: [Value]
            if g.parameter.sweeps, !Self.isListType(g.parameter.type), case .list(let l) = g.value { items = l } else { items = [g.value] }
            for item in items {
                if !g.parameter.type.admits(item) {
                    throw interpreter.failure("'\(g.parameter.name)' expects \(g.parameter.type.withArticle), "
                                              + "got \(item.shortDescription)", g.range)
                }
                if let message = g.parameter.check?(item) { throw interpreter.failure(message, g.range) }
            }
        }
        self.given = given
        self.axes = axes
        combinations = axes.reduce([[Value]]([[]])) { acc, axis in acc.flatMap { prefix in axis.values.map { prefix + [$0] } } }
    }

    /// The options in force for one combination: those given, with each
    /// swept one replaced by its value; the subject axis's value apart.
    func options(_ combination: [Value], subjectAxis: String) -> (subject: Value?, options: [String: Value]) {
        var options = given.mapValues(\.value)
        var subject: Value? = nil
        for (axis, value) in zip(axes, combination) {
            if axis.name == subjectAxis { subject = value } else { options[axis.name] = value }
        }
        return (subject, options)
    }

    /// The table of a sweep: the axes' values (estimators, data sources and
    /// view pairs by their spelling, so the table can be cached), then
    /// `summary` fields of each run's result not already an axis.
    func table(summary: [String], results: [ResultValue]) -> TableValue {
        let names = axes.map(\.name)
        let extra = summary.filter { !names.contains($0) }
        let rows = zip(combinations, results).map { combo, r in
            combo.map { v -> Value in
                switch v {
                case .estimator(let e): return .string(e.description)
                case .data(let d): return .string(d.description)
                case .views(let w): return .string(w.description)
                default: return v
                }
            } + extra.map { r.field($0) ?? .nothing }
        }
        return TableValue(columns: names + extra, rows: rows, results: results)
    }

    /// The subject of `estimate` or `learn`: one estimator or a list of them.
    static func estimators(_ v: Value, verb: String, at range: SourceRange,
                           in interpreter: Interpreter) throws -> [EstimatorValue] {
        switch v {
        case .estimator(let e): return [e]
        case .list(let items) where !items.isEmpty:
            return try items.map {
                guard case .estimator(let e) = $0 else {
                    throw interpreter.failure("expected estimators, found \($0.shortDescription)", range)
                }
                return e
            }
        default:
            throw interpreter.failure("\(verb) needs an estimator such as nce, found \(v.shortDescription)", range)
        }
    }

    static func isListType(_ t: ValueType) -> Bool { if case .list = t { return true } else { return false } }

    static func isList(_ e: Expr) -> Bool { if case .list = e.kind { return true } else { return false } }
}
