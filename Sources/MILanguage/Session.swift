/// A running program: variables, parameters and the seed, kept from one
/// piece of source to the next (REPL lines, notebook cells, `-e` arguments).
public final class Session {
    public let interpreter: Interpreter
    public var registry: Registry { interpreter.registry }
    public var environment: Environment {
        get { interpreter.environment }
        set { interpreter.environment = newValue }
    }

    /// Where runs are replayed from and kept (see `RunCache`).
    public var runCache: (any RunCache)? {
        get { interpreter.runCache }
        set { interpreter.runCache = newValue }
    }

    public init(observer: Observer, registry: Registry = .standard) {
        interpreter = Interpreter(registry: registry, observer: observer)
    }

    /// Parses and resolves `source` without running it. Names in `assuming`
    /// resolve as variables of the given types even though they have no
    /// value (a notebook's cells after a failed cell use this to tell a
    /// dependent cell from a wrong one).
    public func check(_ source: SourceFile, assuming: [String: ValueType] = [:])
        -> (statements: [Statement], resolution: Resolution, diagnostics: [Diagnostic]) {
        let (statements, syntax) = Parser.parse(source)
        let scope = environment.types.merging(assuming) { current, _ in current }
        var resolver = Resolver(registry: registry, scope: scope, source: source)
        resolver.resolve(statements)
        // In source order, whichever phase found them (stable: ties keep phase order).
        let all = (syntax + resolver.diagnostics).enumerated().sorted { a, b in
            let x = a.element.range?.start ?? SourceLocation(line: .max, column: 0)
            let y = b.element.range?.start ?? SourceLocation(line: .max, column: 0)
            return x == y ? a.offset < b.offset : x < y
        }.map(\.element)
        return (statements, resolver.resolution, all)
    }

    /// Runs `source`. Nothing runs when any statement fails to parse or
    /// resolve (`Diagnostics` lists them all); a runtime error or a failed
    /// `expect` stops at that statement (`Diagnostic`); a user stop throws
    /// `Interpreter.Interrupted` after the partial result was shown.
    public func run(_ source: SourceFile) throws {
        let (statements, resolution, diagnostics) = check(source)
        if !diagnostics.isEmpty { throw Diagnostics(diagnostics) }
        try interpreter.execute(statements, resolution: resolution, source: source)
    }

    /// Runs statements already checked with `check` (notebooks run a
    /// checked cell; step mode runs one statement at a time).
    public func run(_ statements: [Statement], resolution: Resolution, source: SourceFile) throws {
        try interpreter.execute(statements, resolution: resolution, source: source)
    }
}
