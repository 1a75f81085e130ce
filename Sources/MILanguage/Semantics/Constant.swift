/// Evaluates literal expressions at resolve time, so an out-of-range
/// constant (`batch=1`) is reported before anything runs.
enum Constant {
    static func evaluate(_ e: Expr) -> Value? {
        switch e.kind {
        case .number(let v): return .number(v)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .unary(.negate, let inner):
            if case .number(let v)? = evaluate(inner) { return .number(-v) }
            return nil
        case .list(let items):
            var values: [Value] = []
            for item in items {
                guard let v = evaluate(item) else { return nil }
                values.append(v)
            }
            return .list(values)
        default:
            return nil
        }
    }
}
