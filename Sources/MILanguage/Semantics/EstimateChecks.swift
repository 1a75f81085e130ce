/// Checks of an `estimate` that look at several of its parts together:
/// combinations that can never run are reported before anything runs, so a
/// sweep does not fail after its first hours of training.
extension Resolver {
    /// The word for what a context names, in "unknown estimator 'nec'".
    static func noun(for type: ValueType?) -> String? {
        switch type {
        case .estimator?: return "estimator"
        case .critic?: return "critic"
        case .encoder?: return "encoder"
        case .data?: return "data source"
        case .views?: return "view-pair source"
        default: return nil
        }
    }

    /// Estimators that score with the known density given a learned critic,
    /// and estimators that need all K x K pairs given `negatives=shuffled`.
    /// Only names written in the command are checked; values of variables
    /// are checked when the command runs.
    mutating func checkCombinations(_ c: Command) {
        guard let subject = c.subject else { return }
        var estimators: [String] = []
        for name in names(in: subject, where: { if case .estimator(let n) = $0 { return n } else { return nil } })
            where !estimators.contains(name) {
            estimators.append(name)
        }
        for option in c.options {
            guard let value = option.value else { continue }
            switch option.name {
            case "critic":
                let critics = names(in: value, where: { if case .critic(let n) = $0 { return n } else { return nil } })
                guard let learned = critics.first(where: { $0 != "optimal" }),
                      let (e, why) = estimators.compactMap({ e in registry.estimator(e)?.refusesCritic.map { (e, $0) } }).first
                else { continue }
                report("\(e) \(why); it takes no critic (remove critic=\(learned))", value.range)
            case "negatives":
                guard words(in: value).contains("shuffled"),
                      let e = estimators.first(where: { registry.estimator($0)?.needsAllPairs == true })
                else { continue }
                report("\(e) needs all K x K pairs; use negatives=all", value.range)
            default:
                continue
            }
        }
    }

    /// Registry names bound in `e` (a name, a call, or a list of them).
    func names(in e: Expr, where pick: (Binding) -> String?) -> [String] {
        if case .list(let items) = e.kind { return items.flatMap { names(in: $0, where: pick) } }
        return resolution.bindings[e.id].flatMap(pick).map { [$0] } ?? []
    }

    /// Symbols and string literals in `e` (`shuffled`, `"shuffled"`, or a list of them).
    func words(in e: Expr) -> [String] {
        switch e.kind {
        case .list(let items): return items.flatMap(words(in:))
        case .string(let s): return [s]
        case .identifier:
            if case .symbol(let s)? = resolution.bindings[e.id] { return [s] }
            return []
        default: return []
        }
    }
}
