import Foundation
import MIEngine

/// Runs resolved statements (the evaluator phase). Errors carry the source
/// position of the expression that failed.
public final class Interpreter {
    public var environment: Environment
    public let registry: Registry
    public let observer: Observer
    /// Where runs are looked up before they are computed (a notebook's
    /// cache); nil computes every run.
    public var runCache: (any RunCache)?
    /// What the runs did since the host last reset it.
    public var tally = RunTally()
    var source = SourceFile(name: "<input>", text: "")
    var resolution = Resolution()

    public init(environment: Environment = Environment(), registry: Registry = .standard, observer: Observer) {
        self.environment = environment
        self.registry = registry
        self.observer = observer
    }

    /// Thrown after a run was stopped by the user; outputs so far were emitted.
    public struct Interrupted: Error {}

    /// Runs statements resolved together; stops at the first runtime error.
    public func execute(_ statements: [Statement], resolution: Resolution, source: SourceFile) throws {
        self.resolution = resolution
        self.source = source
        for s in statements { try execute(s) }
    }

    func execute(_ s: Statement) throws {
        switch s.kind {
        case .assign(let name, _, let value, _):
            let v = try evaluate(value)
            environment.bind(name, v, type: resolution.types[value.id] ?? v.type)
            if case .command(let c) = value.kind, c.verb == .estimate || c.verb == .learn { try show(v) }
            try stopIfInterrupted(v)
        case .param(let name, let nameRange, let value):
            let declared = try evaluate(value)
            var v = declared
            if let override = environment.parameterOverrides[name] {
                v = try coerce(override, toMatch: declared, name: name, at: nameRange)
            }
            environment.parameters[name] = v
            environment.bind(name, v, type: v.type)
        case .seed(let e):
            let v = try evaluate(e)
            guard case .number(let x) = v else { throw failure("a seed must be a whole number, got \(v.shortDescription)", e.range) }
            if let message = Check.seed(v) { throw failure(message, e.range) }
            environment.seed = UInt64(x)
        case .expect(let e):
            try expect(e, statement: s)
        case .print(let items):
            for e in items { observer.emit(.value(try evaluate(e))) }
        case .table(let e):
            let v = try evaluate(e)
            observer.emit(.table(try tabulate(v, at: e.range)))
        case .help(let topic, _):
            observer.emit(.text(HelpTopics.text(topic, registry: registry) ?? "no help for '\(topic ?? "")'"))
        case .command(let c):
            let v = try command(c)
            try show(v)
            try stopIfInterrupted(v)
        case .expression(let e):
            let v = try evaluate(e)
            if case .command = e.kind { try show(v) } else if case .nothing = v {} else { observer.emit(.value(v)) }
            try stopIfInterrupted(v)
        }
    }

    private func show(_ v: Value) throws {
        switch v {
        case .result(let r): observer.emit(.result(r))
        case .table(let t): observer.emit(.table(t))
        case .figure(let f): observer.emit(.figure(f))
        case .nothing: break
        default: observer.emit(.value(v))
        }
    }

    private func stopIfInterrupted(_ v: Value) throws {
        switch v {
        case .result(let r) where r.trace.interrupted: throw Interrupted()
        case .table(let t) where t.interrupted || t.results.contains(where: { $0.trace.interrupted }): throw Interrupted()
        default: break
        }
    }

    /// A `-p` override, parsed as text, converted to the declared parameter's kind.
    private func coerce(_ override: Value, toMatch declared: Value, name: String, at range: SourceRange) throws -> Value {
        switch (declared, override) {
        case (.number, .number), (.string, .string), (.bool, .bool), (.list, .list): return override
        case (.string, _): return .string(override.shortDescription)
        default:
            throw failure("parameter '\(name)' takes \(declared.type.withArticle) (its default is "
                          + "\(declared.shortDescription)), but -p gave \(override.shortDescription)", range)
        }
    }

    func command(_ c: Command) throws -> Value {
        switch c.verb {
        case .estimate: return try EstimateCommand(interpreter: self, command: c).run()
        case .learn: return try LearnCommand(interpreter: self, command: c).run()
        case .analyze: return try AnalyzeCommand(interpreter: self, command: c).run()
        case .plot: return try PlotCommand(interpreter: self, command: c).run()
        case .figure: return try PlotCommand(interpreter: self, command: c).arrange()
        default: throw failure("'\(c.verb.rawValue)' cannot be used here", c.verbRange)
        }
    }

    // MARK: Expect

    private func expect(_ e: Expr, statement: Statement) throws {
        let v = try evaluate(e)
        let holds: Bool
        var failingIndex: Int? = nil
        switch v {
        case .bool(let b): holds = b
        case .list(let items):
            failingIndex = items.firstIndex { if case .bool(true) = $0 { return false } else { return true } }
            holds = failingIndex == nil
        default:
            throw failure("expect needs true or false, got \(v.shortDescription)", e.range)
        }
        if holds {
            observer.emit(.expectation(statement.text))
            return
        }
        var message = statement.text
        if case .binary(let op, let l, let r) = e.kind, op.isComparison {
            let lv = try evaluate(l), rv = try evaluate(r)
            message += ": left side \(describe(lv, at: failingIndex)), right side \(describe(rv, at: failingIndex))"
        }
        if let i = failingIndex { message += " (element \(i) fails)" }
        throw Diagnostic(.expectation, message, statement.range, in: source)
    }

    private func describe(_ v: Value, at index: Int?) -> String {
        if let index, case .list(let items) = v, index < items.count { return items[index].shortDescription }
        return v.shortDescription
    }

    // MARK: Errors

    func failure(_ message: String, _ range: SourceRange) -> Diagnostic {
        Diagnostic(.runtime, message, range, in: source)
    }
}
