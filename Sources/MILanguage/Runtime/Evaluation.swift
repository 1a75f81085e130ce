import Foundation
import MIEngine

extension Interpreter {
    /// The value of an expression.
    func evaluate(_ e: Expr) throws -> Value {
        switch e.kind {
        case .number(let v): return .number(v)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .identifier(let name):
            return try identifier(name, e)
        case .list(let items):
            return .list(try items.map(evaluate))
        case .range(let start, let end, let step):
            return try range(start, end, step)
        case .unary(let op, let operand):
            let v = try evaluate(operand)
            switch op {
            case .negate: return try elementwise(v, .number(0), e.range) { x, _ in -x }
            case .not:
                guard case .bool(let b) = v else { throw failure("'not' needs true or false, got \(v.shortDescription)", operand.range) }
                return .bool(!b)
            }
        case .binary(let op, let l, let r):
            return try binary(op, l, r, e)
        case .call(let name, _, let arguments):
            return try call(name, arguments, e)
        case .field(let subject, let name, let nameRange):
            return try field(try evaluate(subject), name, nameRange)
        case .index(let subject, let index):
            return try self.index(try evaluate(subject), try evaluate(index), index.range)
        case .command(let c):
            return try command(c)
        }
    }

    private func identifier(_ name: String, _ e: Expr) throws -> Value {
        switch resolution.bindings[e.id] {
        case .variable(let n)?:
            guard let v = environment.values[n] else { throw failure("'\(n)' has no value yet", e.range) }
            return v
        case .estimator(let n)?: return .estimator(EstimatorValue(name: n))
        case .critic(let n)?: return .critic(CriticValue(name: n, arguments: [:]))
        case .encoder(let n)?: return .encoder(EncoderValue(name: n, arguments: [:]))
        case .data(let n)?: return try makeData(n, Arguments(), at: e.range)
        case .views(let n)?: return try makeViews(n, try bind([], to: registry.views(n)!.entry), at: e.range)
        case .symbol(let s)?: return .symbol(s)
        case .function?, nil:
            if let v = environment.values[name] { return v }
            throw failure("unknown name '\(name)'", e.range)
        }
    }

    private func range(_ start: Expr, _ end: Expr, _ step: Expr?) throws -> Value {
        func number(_ e: Expr) throws -> Double {
            guard case .number(let v) = try evaluate(e), v.isFinite else { throw failure("range bounds must be finite numbers", e.range) }
            return v
        }
        let a = try number(start), b = try number(end)
        let s = try step.map(number) ?? (b >= a ? 1 : -1)
        if s == 0 { throw failure("a range's step cannot be zero", step?.range ?? start.range) }
        // Counted in Double first: Int() of a huge quotient would trap.
        let count = ((b - a) / s + 1e-9).rounded(.down) + 1
        if count <= 0 { return .list([]) }
        if count > 1_000_000 {
            throw failure("range has \(formatNumber(count)) elements; the limit is 1000000", start.range.union(end.range))
        }
        return .list((0..<Int(count)).map { .number(a + Double($0) * s) })
    }

    private func binary(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ e: Expr) throws -> Value {
        switch op {
        case .and, .or:
            let lv = try evaluate(l)
            guard case .bool(let a) = lv else { throw failure("'\(op.rawValue)' needs true or false, got \(lv.shortDescription)", l.range) }
            if op == .and && !a { return .bool(false) }
            if op == .or && a { return .bool(true) }
            let rv = try evaluate(r)
            guard case .bool(let b) = rv else { throw failure("'\(op.rawValue)' needs true or false, got \(rv.shortDescription)", r.range) }
            return .bool(b)
        case .equal, .notEqual:
            let a = try evaluate(l), b = try evaluate(r)
            if case .list(let xs) = a, !isList(b) {
                return .list(xs.map { .bool(equal($0, b) == (op == .equal)) })
            }
            return .bool(equal(a, b) == (op == .equal))
        default:
            let a = try evaluate(l), b = try evaluate(r)
            if op == .divide || op == .remainder, containsZero(b) {
                throw failure(op == .divide ? "division by zero" : "remainder by zero", r.range)
            }
            let result = try elementwise(a, b, e.range) { x, y -> Double in
                switch op {
                case .add: return x + y
                case .subtract: return x - y
                case .multiply: return x * y
                case .divide: return x / y
                case .remainder: return x.truncatingRemainder(dividingBy: y)
                case .power: return Foundation.pow(x, y)
                case .less: return x < y ? 1 : 0
                case .lessEqual: return x <= y ? 1 : 0
                case .greater: return x > y ? 1 : 0
                case .greaterEqual: return x >= y ? 1 : 0
                default: return .nan
                }
            }
            if op.isComparison { return asBooleans(result) }
            try requireFinite(result, "'\(op.rawValue)'", e.range)
            return result
        }
    }

    private func isList(_ v: Value) -> Bool { if case .list = v { return true } else { return false } }

    private func containsZero(_ v: Value) -> Bool {
        switch v {
        case .number(let x): return x == 0
        case .list(let xs): return xs.contains { containsZero($0) }
        default: return false
        }
    }

    private func asBooleans(_ v: Value) -> Value {
        switch v {
        case .number(let x): return .bool(x != 0)
        case .list(let xs): return .list(xs.map(asBooleans))
        default: return v
        }
    }

    func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)), (.symbol(let x), .symbol(let y)),
             (.string(let x), .symbol(let y)), (.symbol(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.estimator(let x), .estimator(let y)): return x == y
        case (.estimator(let x), .string(let y)), (.string(let y), .estimator(let x)): return x.description == y
        case (.critic(let x), .critic(let y)): return x == y
        case (.encoder(let x), .encoder(let y)): return x == y
        default: return false
        }
    }

    /// Applies `f` to numbers, or elementwise when either side is a list.
    func elementwise(_ a: Value, _ b: Value, _ range: SourceRange, _ f: (Double, Double) -> Double) throws -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)): return .number(f(x, y))
        case (.list(let xs), .number):
            return .list(try xs.map { try elementwise($0, b, range, f) })
        case (.number, .list(let ys)):
            return .list(try ys.map { try elementwise(a, $0, range, f) })
        case (.list(let xs), .list(let ys)):
            guard xs.count == ys.count else {
                throw failure("lists of different lengths (\(xs.count) and \(ys.count))", range)
            }
            return .list(try zip(xs, ys).map { try elementwise($0, $1, range, f) })
        default:
            throw failure("expected numbers, got \(a.shortDescription) and \(b.shortDescription)", range)
        }
    }

    func requireFinite(_ v: Value, _ what: String, _ range: SourceRange) throws {
        switch v {
        case .number(let x) where !x.isFinite:
            throw failure("\(what) gave a non-finite result (\(formatNumber(x)))", range)
        case .list(let xs):
            for x in xs { try requireFinite(x, what, range) }
        default: break
        }
    }

    private func field(_ subject: Value, _ name: String, _ range: SourceRange) throws -> Value {
        switch subject {
        case .result(let r):
            guard let v = r.field(name) else { throw failure("a result has no field '\(name)'", range) }
            return v
        case .table(let t):
            if let column = t.column(name) { return .list(column) }
            if t.results.count == t.rows.count, let first = t.results.first, first.field(name) != nil {
                return .list(t.results.map { $0.field(name)! })
            }
            throw failure("the table has no column '\(name)'; columns: \(t.columns.joined(separator: ", "))", range)
        case .list(let items):
            return .list(try items.map { try field($0, name, range) })
        default:
            throw failure("\(subject.type.withArticle) has no fields", range)
        }
    }

    private func index(_ subject: Value, _ index: Value, _ range: SourceRange) throws -> Value {
        guard case .number(let x) = index, x == x.rounded() else {
            throw failure("an index must be a whole number, got \(index.shortDescription)", range)
        }
        let count: Int
        switch subject {
        case .list(let items): count = items.count
        case .table(let t): count = t.rows.count
        default: throw failure("\(subject.type.withArticle) cannot be indexed", range)
        }
        guard x >= 0 && x < Double(count) else { throw failure("index \(formatNumber(x)) is out of range 0..<\(count)", range) }
        let i = Int(x)
        switch subject {
        case .list(let items): return items[i]
        case .table(let t): return t.results.count == t.rows.count ? .result(t.results[i]) : .list(t.rows[i])
        default: return .nothing
        }
    }

    // MARK: Calls

    private func call(_ name: String, _ arguments: [Argument], _ e: Expr) throws -> Value {
        switch resolution.bindings[e.id] {
        case .function(let n)?:
            let f = registry.function(n)!
            if f.elementwise, arguments.count == 1, arguments[0].label == nil {
                let argument = try evaluate(arguments[0].value)
                let items: [Value]
                if case .list(let l) = argument { items = l } else { items = [argument] }
                let values = try items.map { item -> Value in
                    guard item.asNumber != nil else {
                        throw failure("\(n) expects a number, got \(item.shortDescription)", arguments[0].value.range)
                    }
                    var args = Arguments()
                    args.values[f.entry.parameters[0].name] = item
                    let v = try f.apply(args)
                    try requireFinite(v, "\(n)(...)", e.range)
                    return v
                }
                if case .list = argument { return .list(values) }
                return values[0]
            }
            func apply(_ args: Arguments) throws -> Value {
                do {
                    let v = try f.apply(args)
                    try requireFinite(v, "\(n)(...)", e.range)
                    return v
                } catch let failure as RuntimeFailure {
                    throw self.failure(failure.message, e.range)
                }
            }
            if f.rowwise, arguments.count == 1, arguments[0].label == nil {
                let argument = try evaluate(arguments[0].value)
                let name = f.entry.parameters[0].name
                func one(_ value: Value) throws -> Value {
                    var args = Arguments()
                    args.values[name] = value
                    args.given.insert(name)
                    return try apply(args)
                }
                // A list of lists (a table's column of series): one result per row.
                if case .list(let rows) = argument, !rows.isEmpty,
                   rows.allSatisfy({ if case .list = $0 { return true } else { return false } }) {
                    return .list(try rows.map(one))
                }
                return try one(argument)
            }
            return try apply(try bind(arguments, to: f.entry))
        case .estimator(let n)?:
            let entry = registry.estimator(n)!.entry
            let args = try bind(arguments, to: entry)
            let given = entry.parameters.filter { args.given.contains($0.name) }
                .map { EstimatorValue.Argument(name: $0.name, value: args[$0.name]!) }
            return .estimator(EstimatorValue(name: n, arguments: given, positional: entry.positional))
        case .critic(let n)?:
            let args = try bind(arguments, to: registry.critic(n)!.entry)
            return .critic(CriticValue(name: n, arguments: args.values.filter { args.given.contains($0.key) }))
        case .encoder(let n)?:
            let args = try bind(arguments, to: registry.encoder(n)!.entry)
            return .encoder(EncoderValue(name: n, arguments: args.values.filter { args.given.contains($0.key) }))
        case .data(let n)?:
            return try makeData(n, try bind(arguments, to: registry.data(n)!.entry), at: e.range)
        case .views(let n)?:
            return try makeViews(n, try bind(arguments, to: registry.views(n)!.entry), at: e.range)
        default:
            throw failure("unknown function '\(name)'", e.range)
        }
    }

    func makeData(_ name: String, _ args: Arguments, at range: SourceRange) throws -> Value {
        let entry = registry.data(name)!
        var filled = args
        for p in entry.entry.parameters where filled.values[p.name] == nil {
            if let d = p.defaultValue { filled.values[p.name] = d }
        }
        do {
            let source = try entry.make(filled, BuildContext(baseDirectory: environment.baseDirectory))
            let key = Self.sourceKey(name, entry.entry, filled, files: source.files)
            return .data(DataValue(source: source, description: source.name, key: key))
        } catch let f as RuntimeFailure {
            throw Diagnostic(f.isInputOutput ? .inputOutput : .runtime, f.message, range, in: self.source)
        }
    }

    /// Builds a view-pair source; its key holds every argument and the
    /// content stamps of the files it read, as a data source's does.
    func makeViews(_ name: String, _ args: Arguments, at range: SourceRange) throws -> Value {
        let entry = registry.views(name)!
        do {
            let source = try entry.make(args, BuildContext(baseDirectory: environment.baseDirectory))
            return .views(ViewsValue(source: source, description: source.name,
                                     key: Self.sourceKey(name, entry.entry, args, files: source.files)))
        } catch let f as RuntimeFailure {
            throw Diagnostic(f.isInputOutput ? .inputOutput : .runtime, f.message, range, in: self.source)
        }
    }

    /// A source's run key: its name, every argument (defaults included)
    /// exactly, and the bytes of every file read, not just its name (same
    /// path, new contents, new key).
    static func sourceKey(_ name: String, _ entry: Entry, _ args: Arguments, files: [DataFileStamp]) -> String {
        let arguments = entry.parameters.compactMap { p in args.values[p.name].map { "\(p.name)=\($0.keyText)" } }
        let stamps = files.map { "\(Value.quoted($0.path)):\($0.size):\($0.digest)" }
        return "\(name)(" + arguments.joined(separator: ",") + ")" + (stamps.isEmpty ? "" : "{" + stamps.joined(separator: ",") + "}")
    }

    /// Binds call arguments to an entry's parameters, filling defaults and
    /// running each parameter's range check.
    func bind(_ arguments: [Argument], to entry: Entry) throws -> Arguments {
        var args = Arguments()
        for (i, a) in arguments.enumerated() {
            let p = a.label.flatMap(entry.parameter) ?? entry.parameters[i]
            let v = try evaluate(a.value)
            if !p.type.admits(v) {
                throw failure("'\(p.name)' expects \(p.type.withArticle), got \(v.shortDescription)", a.value.range)
            }
            if let message = p.check?(v) { throw failure(message, a.value.range) }
            args.values[p.name] = v
            args.given.insert(p.name)
        }
        for p in entry.parameters where args.values[p.name] == nil {
            if let d = p.defaultValue { args.values[p.name] = d }
        }
        return args
    }
}
