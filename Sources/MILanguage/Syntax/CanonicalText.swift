/// A canonical rendering of statements: the same program up to spacing,
/// comments and line breaks gives the same text. With a resolution, names
/// carry what they mean (`$r` for a variable, `@nce` for a registry entry),
/// so the text identifies a cell's meaning for the notebook cache.
public enum CanonicalText {
    public static func of(_ statements: [Statement], resolution: Resolution? = nil) -> String {
        statements.map { statement($0, resolution) }.joined(separator: "\n")
    }

    static func statement(_ s: Statement, _ r: Resolution?) -> String {
        switch s.kind {
        case .assign(let name, _, let value, let isLet):
            return (isLet ? "let " : "") + "\(name) = " + expr(value, r)
        case .param(let name, _, let value): return "param \(name) = " + expr(value, r)
        case .seed(let e): return "seed " + expr(e, r)
        case .expect(let e): return "expect " + expr(e, r)
        case .print(let items): return "print " + items.map { expr($0, r) }.joined(separator: ", ")
        case .table(let e): return "table " + expr(e, r)
        case .help(let topic, _): return "help" + (topic.map { " \($0)" } ?? "")
        case .command(let c): return command(c, r)
        case .expression(let e): return expr(e, r)
        }
    }

    static func command(_ c: Command, _ r: Resolution?) -> String {
        var parts = [c.verb.rawValue]
        if let s = c.subject { parts.append(expr(s, r)) }
        for o in c.options { parts.append(o.value.map { "\(o.name)=\(expr($0, r))" } ?? o.name) }
        return parts.joined(separator: " ")
    }

    static func expr(_ e: Expr, _ r: Resolution?) -> String {
        switch e.kind {
        case .number(let v): return formatNumberExactly(v)
        case .string(let s): return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
        case .bool(let b): return b ? "true" : "false"
        case .identifier(let name):
            switch r?.bindings[e.id] {
            case .variable?: return "$" + name
            case .symbol?: return "'" + name
            case nil: return name
            default: return "@" + name
            }
        case .list(let items): return "[" + items.map { expr($0, r) }.joined(separator: ", ") + "]"
        case .range(let a, let b, let step):
            return "(" + expr(a, r) + ".." + expr(b, r) + (step.map { " step " + expr($0, r) } ?? "") + ")"
        case .unary(let op, let x): return "(" + (op == .negate ? "-" : "not ") + expr(x, r) + ")"
        case .binary(let op, let a, let b): return "(" + expr(a, r) + " \(op.rawValue) " + expr(b, r) + ")"
        case .call(let name, _, let args):
            return "@\(name)(" + args.map { ($0.label.map { "\($0)=" } ?? "") + expr($0.value, r) }.joined(separator: ", ") + ")"
        case .field(let x, let name, _): return expr(x, r) + "." + name
        case .index(let x, let i): return expr(x, r) + "[" + expr(i, r) + "]"
        case .command(let c): return "(" + command(c, r) + ")"
        }
    }

    /// Every bit of the number, so 0.1 and 0.1000000001 differ.
    static func formatNumberExactly(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
    }
}
