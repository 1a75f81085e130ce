import ArgumentParser
import MILanguage
import MINotebook

/// `-p NAME=VALUE` arguments of `mi run`, `mi step` and `mi render`.
///
/// VALUE is read as a literal, never run: a number, `true` or `false`, a
/// quoted string, or a list of literals; a single bare word is a string
/// (`-p method=nwj`). For a parameter whose default is a string, VALUE is
/// taken as written (`-p path=data/x.csv`). NAME must be a `param` of the
/// notebook. Anything else is a usage error that says what to write.
enum ParameterOverrides {
    /// The notebook's parameters: each `param NAME = DEFAULT` with its default.
    static func declared(in notebook: Notebook) -> [String: Expr] {
        var out: [String: Expr] = [:]
        for cell in notebook.cells {
            for statement in Parser.parse(cell.source(in: notebook)).statements {
                if case .param(let name, _, let value) = statement.kind, out[name] == nil { out[name] = value }
            }
        }
        return out
    }

    /// The overrides `items` give for a notebook declaring `declared`.
    static func parse(_ items: [String], declared: [String: Expr], notebook: String) throws -> [String: Value] {
        var out: [String: Value] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("-p expects NAME=VALUE, got '\(item)'")
            }
            let name = String(item[..<eq]), text = String(item[item.index(after: eq)...])
            guard let value = declared[name] else {
                throw ValidationError(unknown(name, declared: declared.keys.sorted(), notebook: notebook))
            }
            guard out[name] == nil else { throw ValidationError("-p \(name) is given twice") }
            if case .string = value.kind, !isQuoted(text) {
                out[name] = .string(text)
            } else {
                out[name] = try literal(text, name: name)
            }
        }
        return out
    }

    /// VALUE as a literal value, or a usage error.
    static func literal(_ text: String, name: String) throws -> Value {
        let (statements, diagnostics) = Parser.parse(SourceFile(name: "-p \(name)", text: text))
        if diagnostics.isEmpty, statements.count == 1, case .expression(let e) = statements[0].kind {
            if case .identifier(let word) = e.kind { return .string(word) }
            if let v = value(of: e) { return v }
        }
        throw ValidationError("-p \(name)=\(text): the value must be a literal: a number (500, -0.5, 1e-3), "
                              + "true or false, a string (\"text\"; one word needs no quotes), or a list of them "
                              + "([32, 64]). It is never run as code; to pass other text, quote it: -p '\(name)=\"...\"'")
    }

    private static func value(of e: Expr) -> Value? {
        switch e.kind {
        case .number(let x): return .number(x)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .unary(.negate, let inner):
            if case .number(let x) = inner.kind { return .number(-x) }
            return nil
        case .list(let items):
            let values = items.compactMap(value(of:))
            return values.count == items.count ? .list(values) : nil
        default:
            return nil
        }
    }

    private static func isQuoted(_ text: String) -> Bool {
        text.count >= 2 && text.first == "\"" && text.last == "\""
    }

    private static func unknown(_ name: String, declared: [String], notebook: String) -> String {
        guard !declared.isEmpty else {
            return "-p \(name): \(notebook) declares no parameters (a cell declares one with `param \(name) = VALUE`)"
        }
        let hint = Suggestions.nearest(name, in: declared).map { "; did you mean '\($0)'?" } ?? ""
        return "-p \(name): \(notebook) has no parameter '\(name)' (its parameters: \(declared.joined(separator: ", ")))" + hint
    }
}
