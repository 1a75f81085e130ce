/// Reading a command's `name=value` options at run time, shared by the
/// commands that take options (`plot`, `figure`, `analyze`).
extension Command {
    /// The evaluated value of option `name` (`true` for a bare flag such as
    /// `truth`), or nil if the command does not give it.
    func option(_ name: String, in interpreter: Interpreter) throws -> Value? {
        guard let o = options.first(where: { $0.name == name }) else { return nil }
        return try o.value.map(interpreter.evaluate) ?? .bool(true)
    }

    /// Where option `name`'s value is written, or the whole command when it is not given.
    func range(ofOption name: String) -> SourceRange {
        options.first { $0.name == name }?.value?.range ?? range
    }
}
