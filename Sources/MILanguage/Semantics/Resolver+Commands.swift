/// The resolver's checks of commands: each verb's subject, options and
/// their values against the registry (estimate sweeps, positional
/// arguments, ranges and symbol sets). Expressions are in Resolver.swift.
extension Resolver {
    mutating func command(_ c: Command) -> ValueType {
        switch c.verb {
        case .estimate:
            return sweeping(c, verb: "estimate")
        case .learn:
            return sweeping(c, verb: "learn")
        case .analyze:
            _ = options(of: c, entry: registry.verb("analyze")!, subject: .list(.estimator))
            let bestAlpha = c.options.contains { option in
                guard option.name == "of", let v = option.value, case .identifier("best_alpha") = v.kind else { return false }
                return true
            }
            if c.subject == nil && !bestAlpha {
                report("analyze needs estimators, e.g. analyze [nwj, nce] (only of=best_alpha takes none)", c.verbRange)
            } else if c.subject != nil && bestAlpha, let s = c.subject {
                report("of=best_alpha searches the alpha grid (alphas=); it takes no estimators", s.range)
            }
            if let s = c.subject, let t = resolution.types[s.id],
               !ValueType.estimator.accepts(t), !ValueType.list(.estimator).accepts(t) {
                report("analyze needs an estimator or a list of them, e.g. analyze [nwj, nce], found \(t.withArticle)", s.range)
            }
            return .table
        case .plot:
            _ = options(of: c, entry: registry.verb("plot")!, subject: nil)
            if let s = c.subject, let t = resolution.types[s.id] {
                switch t {
                case .result, .table, .list(.result), .list(.any), .any: break
                default: report("plot needs a result, a list of results or a table, found \(t)", s.range)
                }
                // Training curves run along steps or pairs drawn; other x
                // values name table columns.
                if t == .result || t == .list(.result),
                   let x = c.options.first(where: { $0.name == "x" }), let v = x.value,
                   case .string(let word) = v.kind, !Registry.curveAxes.contains(word) {
                    report(Registry.notACurveAxis(word), v.range, suggestion: Suggestions.nearest(word, in: Registry.curveAxes))
                }
            }
            return .figure
        case .figure:
            _ = options(of: c, entry: registry.verb("figure")!, subject: .list(.figure))
            if let s = c.subject, let t = resolution.types[s.id], !ValueType.list(.figure).accepts(t), t != .figure {
                report("figure needs a list of plots, e.g. figure [p1, p2], found \(t)", s.range)
            }
            return .figure
        default:
            return .nothing
        }
    }

    /// `estimate` and `learn`: an estimator (or a list) and options, lists of
    /// sweeping options giving a table.
    mutating func sweeping(_ c: Command, verb: String) -> ValueType {
        var sweeps = false
        let objective = verb == "learn" ? learnObjective(c) : nil
        if let subject = c.subject, let objective {
            resolution.bindings[subject.id] = .symbol(objective)
            resolution.types[subject.id] = registry.objectiveType
        } else if let subject = c.subject {
            let t = expression(subject, expected: .estimator)
            if case .list = t { sweeps = true }
            if case .list(let items) = subject.kind {
                if items.isEmpty { report("\(verb) needs at least one estimator in its list", subject.range) }
                for item in items where !ValueType.estimator.accepts(resolution.types[item.id] ?? .any) {
                    report("expected an estimator such as nce or alpha(0.5), found "
                           + (resolution.types[item.id] ?? .any).withArticle, item.range)
                }
            } else if !ValueType.estimator.accepts(t) && !ValueType.list(.estimator).accepts(t) {
                report("\(verb) needs an estimator such as nce or alpha(0.5), found \(t.withArticle)", subject.range)
            }
        }
        let entry = verb == "learn" ? registry.learnEntry(objective: objective) : registry.verb(verb)!
        var seen: [String: SourceRange] = [:]
        for option in c.options {
            guard let p = entry.parameter(option.name) else {
                if let objective, let why = registry.refusal(of: option.name, by: objective) {
                    report("learn \(objective) takes no \(option.name)=: \(why)", option.nameRange)
                } else if verb == "learn", let owner = registry.objectiveEntries.first(where: { $0.entry.parameter(option.name) != nil }) {
                    report("'\(option.name)' is an option of learn \(owner.entry.name), not of "
                           + (objective.map { "learn \($0)" } ?? "a bound"), option.nameRange)
                } else {
                    report("unknown option '\(option.name)' for \(verb)", option.nameRange,
                           suggestion: Suggestions.nearest(option.name, in: entry.parameters.map(\.name)))
                }
                continue
            }
            if let first = seen[option.name] {
                report("option '\(option.name)' is given twice (first at \(first.start))", option.nameRange)
            }
            seen[option.name] = option.nameRange
            guard let value = option.value else {
                if p.type != .bool { report("option '\(option.name)' needs a value, e.g. \(option.name)=\(p.defaultText ?? "...")", option.nameRange) }
                continue
            }
            let t = expression(value, expected: p.sweeps ? .list(p.type) : p.type, sweepable: p.sweeps)
            if p.sweeps, case .list(let inner) = t, p.type.accepts(inner), !isListParameter(p) { sweeps = true }
            checkOption(p, value: value, type: t)
            if p.name == "encoder", let objective { checkObjectiveEncoders(value, objective) }
        }
        if verb == "estimate" {
            if seen["data"] != nil, let mi = seen["mi"] {
                report("give either data= or mi=; mi sets the default Gaussian data", mi)
            }
            checkCombinations(c)
        } else if objective == nil {
            checkLearnLipschitz(c)
        }
        return sweeps ? .table : .result
    }

    /// The learn objective `learn`'s subject names (`learn adversarial`),
    /// if it is one and no variable hides it.
    func learnObjective(_ c: Command) -> String? {
        guard let subject = c.subject, case .identifier(let name) = subject.kind, scope[name] == nil,
              registry.objective(name) != nil else { return nil }
        return name
    }

    /// Encoders written out for `learn objective`'s `encoder=` (one, or a
    /// sweep's list) that it does not train; variables are checked when run.
    mutating func checkObjectiveEncoders(_ value: Expr, _ objective: String) {
        let items: [Expr]
        if case .list(let l) = value.kind { items = l } else { items = [value] }
        for item in items {
            let name: String
            switch item.kind {
            case .identifier(let n) where scope[n] == nil: name = n
            case .call(let n, _, _): name = n
            default: continue
            }
            if registry.encoder(name) != nil, let why = registry.encoderRefusal(name, by: objective) {
                report(why, item.range)
            }
        }
    }

    func isListParameter(_ p: Parameter) -> Bool { if case .list = p.type { return true } else { return false } }

    /// Checks plot and figure options.
    mutating func options(of c: Command, entry: Entry, subject: ValueType?) -> ValueType {
        if let s = c.subject { _ = expression(s, expected: subject) }
        var seen = Set<String>()
        for option in c.options {
            guard let p = entry.parameter(option.name) else {
                report("unknown option '\(option.name)' for \(entry.name)", option.nameRange,
                       suggestion: Suggestions.nearest(option.name, in: entry.parameters.map(\.name)))
                continue
            }
            if !seen.insert(option.name).inserted {
                report("option '\(option.name)' is given twice", option.nameRange)
            }
            guard let value = option.value else {
                if p.type != .bool { report("option '\(option.name)' needs a value", option.nameRange) }
                continue
            }
            let t = expression(value, expected: p.type)
            checkOption(p, value: value, type: t)
        }
        return .any
    }

    func tooManyPositional(_ entry: Entry) -> String {
        let n = entry.positional, plural = entry.positional == 1 ? "" : "s"
        if entry.parameters.isEmpty { return "\(entry.name) takes no arguments" }
        if n == 0 { return "\(entry.name) takes no positional arguments; name them: \(entry.usage)" }
        if entry.parameters.count <= n { return "\(entry.name) takes \(n) argument\(plural): \(entry.usage)" }
        let rest = entry.parameters.dropFirst(n).map(\.name).joined(separator: ", ")
        return "\(entry.name) takes \(n) positional argument\(plural); name the others (\(rest)): \(entry.usage)"
    }

    /// Type and, for constants, range checks of one option or argument value.
    mutating func checkOption(_ p: Parameter, value: Expr, type t: ValueType) {
        // A list written out for a sweeping option or a list parameter: each element on its own,
        // since a mixed list's type ("list of values") would accept anything.
        if case .list(let items) = value.kind, let element = elementType(p) {
            if items.isEmpty, p.sweeps, !isListParameter(p) {
                report("'\(p.name)' sweeps over an empty list; give at least one value", value.range)
                return
            }
            var ok = true
            for item in items where !checkValue(p, element, item, resolution.types[item.id] ?? .any, element: true) {
                ok = false
            }
            if ok { checkRange(p, value) }
            return
        }
        if checkValue(p, p.type, value, t) { checkRange(p, value) }
    }

    /// The type each element of a written-out list must have: the option's
    /// type when the list sweeps, the element type of a list parameter.
    func elementType(_ p: Parameter) -> ValueType? {
        if case .list(let element) = p.type { return element }
        return p.sweeps ? p.type : nil
    }

    /// Whether `value` (of static type `t`) may be given where `type` is expected; reports when not.
    mutating func checkValue(_ p: Parameter, _ type: ValueType, _ value: Expr, _ t: ValueType,
                                     element: Bool = false) -> Bool {
        let accepted = type.accepts(t) || (p.sweeps && !element && ValueType.list(p.type).accepts(t))
        if !accepted {
            var message = element ? "each element of '\(p.name)' must be \(type.withArticle), found \(t.withArticle)"
                : "'\(p.name)' expects \(type.withArticle), found \(t.withArticle)"
            if case .string(let text) = value.kind, Double(text) != nil, ValueType.number.accepts(type) {
                message += "; write \(text) without quotes"
            }
            report(message, value.range)
            return false
        }
        if case .symbol(let set) = type, let word = constantWord(value), !set.members.contains(word) {
            report("'\(word)' is not a valid value for \(p.name); expected one of \(set.members.joined(separator: ", "))",
                   value.range, suggestion: Suggestions.nearest(word, in: set.members))
            return false
        }
        return true
    }

    /// The parameter's own check (ranges, widths) of a constant value.
    mutating func checkRange(_ p: Parameter, _ value: Expr) {
        guard let check = p.check, let constant = Constant.evaluate(value) else { return }
        let items: [Value]
        if p.sweeps, case .list(let l) = constant, !isListParameter(p) { items = l } else { items = [constant] }
        for item in items {
            if let message = check(item) {
                report(message, value.range)
                return
            }
        }
    }

    func constantWord(_ e: Expr) -> String? {
        switch e.kind {
        case .identifier(let s), .string(let s): return scope[s] == nil ? s : nil
        default: return nil
        }
    }
}
