import Foundation
import MILanguage

/// An expression the semantic fuzzer writes into a program, kept as a tree
/// so that the known-unfixed list and the cost model can read the values a
/// case gives (a batch size, an estimator's argument, a file's rows)
/// without parsing the program again.
indirect enum FuzzTerm: Sendable {
    case number(Double)
    /// Source text that is not a plain literal: `1/0`, `exp(1000)`, `1e309`.
    case raw(String, value: Double?)
    case string(String)
    case bool(Bool)
    /// A bare word: a symbol, an estimator, a critic, a variable.
    case word(String)
    case list([FuzzTerm])
    case call(String, [(label: String?, value: FuzzTerm)])
    /// A value routed through a variable (`let v3 = ...` earlier), so that
    /// the run-time checks see it rather than the resolver's constant checks.
    case variable(String, FuzzTerm)

    /// The program text of this term.
    var source: String {
        switch self {
        case .number(let x): return FuzzTerm.literal(x)
        case .raw(let text, _): return text
        case .string(let s):
            return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        case .bool(let b): return b ? "true" : "false"
        case .word(let w): return w
        case .list(let items): return "[" + items.map(\.source).joined(separator: ", ") + "]"
        case .call(let name, let args):
            return name + "(" + args.map { ($0.label.map { $0 + "=" } ?? "") + $0.value.source }.joined(separator: ", ") + ")"
        case .variable(let name, _): return name
        }
    }

    /// A number as the language's lexer reads it back exactly.
    static func literal(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// The language value of a constant term (nil for calls, words and expressions).
    var constant: Value? {
        switch resolved {
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .list(let items):
            let values = items.compactMap(\.constant)
            return values.count == items.count ? .list(values) : nil
        default: return nil
        }
    }

    /// The term a variable stands for.
    var resolved: FuzzTerm {
        if case .variable(_, let t) = self { return t.resolved }
        return self
    }

    /// The number this term evaluates to, when it is one.
    var number: Double? {
        switch resolved {
        case .number(let x): return x
        case .raw(_, let v): return v
        default: return nil
        }
    }

    /// The numbers of a number or of a list (a sweep), in order.
    var numbers: [Double] {
        switch resolved {
        case .list(let items): return items.compactMap(\.number)
        default: return number.map { [$0] } ?? []
        }
    }

    /// The elements of a list, or the term itself.
    var elements: [FuzzTerm] {
        if case .list(let items) = resolved { return items }
        return [resolved]
    }

    /// The name of a word or a call.
    var name: String? {
        switch resolved {
        case .word(let w): return w
        case .call(let n, _): return n
        default: return nil
        }
    }

    var string: String? {
        if case .string(let s) = resolved { return s }
        return nil
    }

    /// The argument `label` of a call (or positional argument `position`).
    func argument(_ label: String, position: Int? = nil) -> FuzzTerm? {
        guard case .call(_, let args) = resolved else { return nil }
        if let a = args.first(where: { $0.label == label }) { return a.value.resolved }
        if let position, position < args.count, args[position].label == nil { return args[position].value.resolved }
        return nil
    }

    /// Every call and word inside this term, itself first.
    var all: [FuzzTerm] {
        let t = resolved
        switch t {
        case .list(let items): return [t] + items.flatMap(\.all)
        case .call(_, let args): return [t] + args.flatMap { $0.value.all }
        default: return [t]
        }
    }
}
