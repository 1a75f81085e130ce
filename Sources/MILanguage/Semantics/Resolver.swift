/// Checks statements before anything runs (the resolver phase): every name,
/// option, field, type and arity is looked up in the registry and the scope.
/// A cell with any error runs nothing; all its errors are reported at once.
public struct Resolver {
    public let registry: Registry
    /// Variables known so far, with their static types (from earlier cells too).
    public private(set) var scope: [String: ValueType]
    public internal(set) var resolution = Resolution()
    public internal(set) var diagnostics: [Diagnostic] = []
    let source: SourceFile

    public init(registry: Registry = .standard, scope: [String: ValueType], source: SourceFile) {
        self.registry = registry
        self.scope = scope
        self.source = source
    }

    /// Resolves statements in order; later statements see earlier bindings.
    public mutating func resolve(_ statements: [Statement]) {
        for s in statements { statement(s) }
    }

    // MARK: Statements

    mutating func statement(_ s: Statement) {
        switch s.kind {
        case .assign(let name, let range, let value, _), .param(let name, let range, let value):
            let t = expression(value, expected: nil)
            if let kind = reservedKind(name) {
                report("'\(name)' is the name of \(kind); choose another name", range)
            }
            scope[name] = t
        case .seed(let e):
            let t = expression(e, expected: .integer)
            if let constant = Constant.evaluate(e), let message = Check.seed(constant) {
                report(message, e.range)
            } else if !ValueType.integer.accepts(t) {
                report("a seed must be a whole number, found \(t.withArticle)", e.range)
            }
        case .expect(let e):
            let t = expression(e, expected: .bool)
            if !(ValueType.bool.accepts(t) || ValueType.list(.bool).accepts(t)) {
                report("expect needs a condition (true or false), found \(t.withArticle)", e.range)
            }
        case .print(let items):
            for e in items { _ = expression(e, expected: nil) }
        case .table(let e):
            let t = expression(e, expected: nil)
            switch t {
            case .table, .result, .any, .list: break
            default: report("table needs a table, a result or a list, found \(t.withArticle)", e.range)
            }
        case .help(let topic, let range):
            if let topic, let range, !HelpTopics.known(topic, registry: registry) {
                report("no help for '\(topic)'", range, suggestion: Suggestions.nearest(topic, in: HelpTopics.all(registry)))
            }
        case .command(let c):
            _ = command(c)
        case .expression(let e):
            _ = expression(e, expected: nil)
        }
    }

    func reservedKind(_ name: String) -> String? {
        if registry.estimator(name) != nil { return "an estimator" }
        if registry.objective(name) != nil { return "a learn objective" }
        if registry.critic(name) != nil { return "a critic" }
        if registry.encoder(name) != nil { return "an encoder" }
        if registry.data(name) != nil { return "a data source" }
        if registry.views(name) != nil { return "a view-pair source" }
        if registry.function(name) != nil { return "a function" }
        return nil
    }

    // MARK: Expressions

    /// Resolves `e` and returns its static type. `expected` guides the
    /// meaning of bare words (`optimal` as a critic, `relu` as an activation).
    @discardableResult
    mutating func expression(_ e: Expr, expected: ValueType?, sweepable: Bool = false) -> ValueType {
        let t = infer(e, expected: expected)
        resolution.types[e.id] = t
        return t
    }

    mutating func infer(_ e: Expr, expected: ValueType?) -> ValueType {
        switch e.kind {
        case .number(let v):
            return v == v.rounded() && abs(v) < 9e15 ? .integer : .number
        case .string:
            return .string
        case .bool:
            return .bool
        case .identifier(let name):
            return identifier(name, e, expected: expected)
        case .list(let items):
            var element: ValueType? = nil
            let inner: ValueType? = { if case .list(let t)? = expected { return t } else { return expected } }()
            for item in items {
                let t = expression(item, expected: inner)
                element = element.map { join($0, t) } ?? t
            }
            // `x = [x]` line after line nests without a bracket in sight; the
            // parser's limit on brackets is the limit on lists of lists too.
            if let element, element.listDepth >= Parser.maxDepth {
                report("lists nested more than \(Parser.maxDepth) deep", e.range)
                return .any
            }
            return .list(element ?? .any)
        case .range(let start, let end, let step):
            var integral = true
            for part in [start, end] + (step.map { [$0] } ?? []) {
                let t = expression(part, expected: .number)
                if !ValueType.number.accepts(t) { report("range bounds must be numbers, found \(t.withArticle)", part.range) }
                if t != .integer { integral = false }
            }
            if let step, let c = Constant.evaluate(step), case .number(let v) = c, v == 0 {
                report("a range's step cannot be zero", step.range)
            }
            return .list(integral ? .integer : .number)
        case .unary(let op, let operand):
            let t = expression(operand, expected: nil)
            switch op {
            case .negate:
                if !numeric(t) { report("'-' needs a number, found \(t.withArticle)", operand.range) }
                return t
            case .not:
                if !ValueType.bool.accepts(t) { report("'not' needs true or false, found \(t.withArticle)", operand.range) }
                return .bool
            }
        case .binary(let op, let l, let r):
            return binary(op, l, r, e)
        case .call(let name, let nameRange, let arguments):
            return call(name, nameRange, arguments, e, expected: expected)
        case .field(let subject, let name, let nameRange):
            return field(subject, name, nameRange)
        case .index(let subject, let index):
            let st = expression(subject, expected: nil)
            let it = expression(index, expected: .integer)
            if !ValueType.integer.accepts(it) {
                let found = Constant.evaluate(index)?.shortDescription ?? it.withArticle
                report("an index must be a whole number, found \(found)", index.range)
            }
            switch st {
            case .list(let t): return t
            case .table: return .result
            case .any: return .any
            default:
                report("\(st.withArticle) cannot be indexed", subject.range)
                return .any
            }
        case .command(let c):
            return command(c)
        }
    }

    func numeric(_ t: ValueType) -> Bool {
        ValueType.number.accepts(t) || ValueType.list(.number).accepts(t)
    }

    func join(_ a: ValueType, _ b: ValueType) -> ValueType {
        if a == b { return a }
        if a.accepts(b) { return a }
        if b.accepts(a) { return b }
        return .any
    }

    mutating func identifier(_ name: String, _ e: Expr, expected: ValueType?) -> ValueType {
        if let t = scope[name] {
            resolution.bindings[e.id] = .variable(name)
            return t
        }
        // A bare word in a context that names things: `critic=optimal`, `act=relu`.
        let wanted: ValueType? = { if case .list(let t)? = expected { return t } else { return expected } }()
        if case .symbol(let set)? = wanted, set.members.contains(name) {
            resolution.bindings[e.id] = .symbol(name)
            return .symbol(set)
        }
        if let entry = registry.estimator(name) {
            resolution.bindings[e.id] = .estimator(name)
            if let missing = entry.entry.parameters.first(where: \.isRequired) {
                report("\(name) needs its argument '\(missing.name)': write \(entry.entry.usage)", e.range)
            }
            return .estimator
        }
        if registry.objective(name) != nil {
            report("'\(name)' is a learn objective; it can only be learn's subject: learn \(name) [option=value ...]", e.range)
            return .any
        }
        if registry.critic(name) != nil {
            resolution.bindings[e.id] = .critic(name)
            return .critic
        }
        if registry.encoder(name) != nil {
            resolution.bindings[e.id] = .encoder(name)
            return .encoder
        }
        if let entry = registry.data(name) {
            resolution.bindings[e.id] = .data(name)
            if let missing = entry.entry.parameters.first(where: \.isRequired) {
                report("\(name) needs its argument '\(missing.name)': write \(entry.entry.usage)", e.range)
            }
            return .data
        }
        if registry.views(name) != nil {
            resolution.bindings[e.id] = .views(name)
            return .views
        }
        if case .symbol? = wanted {
            // An unknown word where a symbol is expected: checked with a suggestion by checkOption.
            return wanted!
        }
        if registry.function(name) != nil {
            report("'\(name)' is a function; call it as \(name)(...)", e.range)
            return .any
        }
        var candidates = Array(scope.keys)
        candidates += wanted.map { registry.candidates(for: $0) } ?? []
        if wanted == nil || wanted == .any || candidates.isEmpty {
            candidates += registry.names(.estimator) + registry.names(.critic) + registry.names(.encoder)
                + registry.names(.data) + registry.names(.views)
        }
        report("unknown \(Resolver.noun(for: wanted) ?? "name") '\(name)'", e.range,
               suggestion: Suggestions.nearest(name, in: candidates))
        return .any
    }

    mutating func binary(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ e: Expr) -> ValueType {
        switch op {
        case .and, .or:
            for side in [l, r] {
                let t = expression(side, expected: .bool)
                if !ValueType.bool.accepts(t), !ValueType.list(.bool).accepts(t) {
                    report("'\(op.rawValue)' needs true or false on both sides, found \(t.withArticle)", side.range)
                }
            }
            return .bool
        case .equal, .notEqual:
            let a = expression(l, expected: nil), b = expression(r, expected: nil)
            if case .list = a { return .list(.bool) }
            if case .list = b { return .list(.bool) }
            return .bool
        default:
            let a = expression(l, expected: .number), b = expression(r, expected: .number)
            for (side, t) in [(l, a), (r, b)] where !numeric(t) {
                report("'\(op.rawValue)' needs numbers, found \(t.withArticle)", side.range)
            }
            let isList: Bool = { if case .list = a { return true }; if case .list = b { return true }; return false }()
            if op.isComparison { return isList ? .list(.bool) : .bool }
            let scalar: ValueType = (a == .integer && b == .integer && [.add, .subtract, .multiply, .remainder].contains(op))
                ? .integer : .number
            return isList ? .list(scalar) : scalar
        }
    }

    mutating func call(_ name: String, _ nameRange: SourceRange, _ arguments: [Argument], _ e: Expr,
                               expected: ValueType?) -> ValueType {
        let entry: Entry, result: ValueType
        if let f = registry.function(name), f.elementwise, arguments.count == 1, arguments[0].label == nil {
            resolution.bindings[e.id] = .function(name)
            let t = expression(arguments[0].value, expected: .number)
            if case .list(let inner) = t, ValueType.number.accepts(inner) { return .list(f.result) }
            checkOption(f.entry.parameters[0], value: arguments[0].value, type: t)
            return f.result
        } else if let f = registry.function(name), f.rowwise, arguments.count == 1, arguments[0].label == nil {
            resolution.bindings[e.id] = .function(name)
            let t = expression(arguments[0].value, expected: nil)
            if case .list(.list(let inner)) = t, ValueType.number.accepts(inner) { return .list(f.result) }
            checkOption(f.entry.parameters[0], value: arguments[0].value, type: t)
            return f.result
        } else if let f = registry.function(name) {
            entry = f.entry; result = f.result
            resolution.bindings[e.id] = .function(name)
        } else if let est = registry.estimator(name) {
            entry = est.entry; result = .estimator
            resolution.bindings[e.id] = .estimator(name)
        } else if let c = registry.critic(name) {
            entry = c.entry; result = .critic
            resolution.bindings[e.id] = .critic(name)
        } else if let en = registry.encoder(name) {
            entry = en.entry; result = .encoder
            resolution.bindings[e.id] = .encoder(name)
        } else if let d = registry.data(name) {
            entry = d.entry; result = .data
            resolution.bindings[e.id] = .data(name)
        } else if let v = registry.views(name) {
            entry = v.entry; result = .views
            resolution.bindings[e.id] = .views(name)
        } else if registry.objective(name) != nil {
            report("\(name) takes no arguments; give learn its options: learn \(name) [option=value ...]", nameRange)
            for a in arguments { _ = expression(a.value, expected: nil) }
            return .any
        } else {
            let wanted: ValueType? = { if case .list(let t)? = expected { return t } else { return expected } }()
            if scope[name] != nil {
                report("'\(name)' is a variable, not a function", nameRange)
            } else if let noun = Resolver.noun(for: wanted), let wanted {
                report("unknown \(noun) '\(name)'", nameRange,
                       suggestion: Suggestions.nearest(name, in: registry.candidates(for: wanted)))
            } else {
                let all = registry.names(.function) + registry.names(.estimator) + registry.names(.critic)
                    + registry.names(.encoder) + registry.names(.data) + registry.names(.views)
                report("unknown function '\(name)'", nameRange, suggestion: Suggestions.nearest(name, in: all))
            }
            for a in arguments { _ = expression(a.value, expected: nil) }
            return .any
        }
        bind(arguments, to: entry, call: e)
        return result
    }

    /// Checks arity, names and types of a call's arguments.
    mutating func bind(_ arguments: [Argument], to entry: Entry, call: Expr) {
        var given: [String: SourceRange] = [:]
        for (i, a) in arguments.enumerated() {
            let parameter: Parameter
            if let label = a.label, let range = a.labelRange {
                guard let p = entry.parameter(label) else {
                    report("\(entry.name) has no parameter '\(label)'", range,
                           suggestion: Suggestions.nearest(label, in: entry.parameters.map(\.name)))
                    _ = expression(a.value, expected: nil)
                    continue
                }
                parameter = p
            } else {
                guard i < entry.positional, i < entry.parameters.count else {
                    report(tooManyPositional(entry), a.value.range)
                    _ = expression(a.value, expected: nil)
                    continue
                }
                parameter = entry.parameters[i]
            }
            if let first = given[parameter.name] {
                report("'\(parameter.name)' is given twice (first at \(first.start))", a.labelRange ?? a.value.range)
            }
            given[parameter.name] = a.labelRange ?? a.value.range
            let t = expression(a.value, expected: parameter.type)
            checkOption(parameter, value: a.value, type: t)
        }
        for p in entry.parameters where p.isRequired && given[p.name] == nil {
            report("\(entry.name) needs its argument '\(p.name)': write \(entry.usage)", call.range)
        }
    }

    mutating func field(_ subject: Expr, _ name: String, _ range: SourceRange) -> ValueType {
        let t = expression(subject, expected: nil)
        let fields = ResultValue.fields
        switch t {
        case .result:
            if let f = fields.first(where: { $0.name == name }) { return f.type }
            report("a result has no field '\(name)'", range, suggestion: Suggestions.nearest(name, in: fields.map(\.name)))
            return .any
        case .table:
            // Tables come from sweeps: a column is a result field, the estimator, or a swept option.
            if let f = fields.first(where: { $0.name == name }) { return .list(f.type) }
            let options = Array(Set(registry.verb("estimate")!.parameters.map(\.name)
                                    + registry.verb("learn")!.parameters.map(\.name)
                                    + registry.objectiveEntries.flatMap { $0.entry.parameters.map(\.name) })).sorted()
            if name == "estimator" || options.contains(name) { return .list(.any) }
            if Registry.analysisColumns.contains(name) { return .list(.number) }
            report("a table has no column '\(name)'", range,
                   suggestion: Suggestions.nearest(name, in: fields.map(\.name) + options + Registry.analysisColumns))
            return .any
        case .any, .list(.any), .list(.result):
            return .any
        default:
            report("\(t.withArticle) has no fields", range)
            return .any
        }
    }

    mutating func report(_ message: String, _ range: SourceRange, suggestion: String? = nil) {
        diagnostics.append(Diagnostic(.resolve, message, range, in: source, suggestion: suggestion))
    }
}
