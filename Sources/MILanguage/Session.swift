/// A running program: variables, parameters and the seed, kept from one
/// piece of source to the next (REPL lines, notebook cells, `-e` arguments).
public final class Session {
    public let interpreter: Interpreter
    public var registry: Registry { interpreter.registry }
    public var environment: Environment {
        get { interpreter.environment }
        set { interpreter.environment = newValue }
    }

    public init(observer: Observer, registry: Registry = .standard) {
        interpreter = Interpreter(registry: registry, observer: observer)
    }

    /// Parses and resolves `source` without running it.
    public func check(_ source: SourceFile) -> (statements: [Statement], resolution: Resolution, diagnostics: [Diagnostic]) {
        let (statements, syntax) = Parser.parse(source)
        var resolver = Resolver(registry: registry, scope: environment.types, source: source)
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

    /// Runs one statement already checked with `check` (step mode).
    public func run(_ statement: Statement, resolution: Resolution, source: SourceFile) throws {
        try interpreter.execute([statement], resolution: resolution, source: source)
    }
}
