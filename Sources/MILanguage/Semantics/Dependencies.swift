/// Which variables a piece of source reads from before it and which it
/// defines: the edges of a notebook's dependency graph (its cache keys and
/// the cells a failure takes down with it).
public struct Dependencies: Sendable, Equatable {
    /// Variables read before this source assigns them, in first-use order.
    public var reads: [String] = []
    /// Variables (and parameters) this source assigns, in order.
    public var writes: [String] = []
    /// Whether it sets the seed.
    public var setsSeed = false

    public init(_ statements: [Statement], resolution: Resolution) {
        var defined = Set<String>()
        func visit(_ e: Expr) {
            switch e.kind {
            case .identifier(let name):
                if case .variable? = resolution.bindings[e.id], !defined.contains(name), !reads.contains(name) {
                    reads.append(name)
                }
            case .list(let items): items.forEach(visit)
            case .range(let a, let b, let s): visit(a); visit(b); s.map(visit)
            case .unary(_, let x): visit(x)
            case .binary(_, let a, let b): visit(a); visit(b)
            case .call(_, _, let args): args.forEach { visit($0.value) }
            case .field(let x, _, _): visit(x)
            case .index(let x, let i): visit(x); visit(i)
            case .command(let c): visit(c)
            case .number, .string, .bool: break
            }
        }
        func visit(_ c: Command) {
            c.subject.map(visit)
            c.options.forEach { $0.value.map(visit) }
        }
        for s in statements {
            switch s.kind {
            case .assign(let name, _, let value, _), .param(let name, _, let value):
                visit(value)
                defined.insert(name)
                if !writes.contains(name) { writes.append(name) }
            case .seed(let e):
                visit(e)
                setsSeed = true
            case .expect(let e), .table(let e), .expression(let e): visit(e)
            case .print(let items): items.forEach(visit)
            case .command(let c): visit(c)
            case .help: break
            }
        }
    }
}
