/// Reading a command's `name=value` options at run time, shared by the
/// commands that take options (`plot`, `figure`, `analyze`).
extension Command {
    /// The evaluated value of option `name` (`true` for a bare flag such as
    /// `truth`), or nil if the command does not give it. The value passes
    /// the registry's check of the option, as constants do in the resolver,
    /// so values computed at run time meet the same rules.
    func option(_ name: String, in interpreter: Interpreter) throws -> Value? {
        guard let o = options.first(where: { $0.name == name }) else { return nil }
        let value = try o.value.map(interpreter.evaluate) ?? .bool(true)
        if let check = interpreter.registry.verb(verb.rawValue)?.parameter(name)?.check, let message = check(value) {
            throw interpreter.failure(message, range(ofOption: name))
        }
        return value
    }

    /// Where option `name`'s value is written, or the whole command when it is not given.
    func range(ofOption name: String) -> SourceRange {
        options.first { $0.name == name }?.value?.range ?? range
    }
}
