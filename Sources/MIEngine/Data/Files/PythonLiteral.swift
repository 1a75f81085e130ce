/// A value of the small Python literal language that .npy headers are
/// written in (`{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }`),
/// with the byte offset in the file where it starts.
struct PythonLiteral {
    indirect enum Kind {
        case string(String)
        case int(Int)
        case bool(Bool)
        case none
        case tuple([PythonLiteral])
        case list([PythonLiteral])
        case dict([(key: String, value: PythonLiteral)])
    }

    var kind: Kind
    /// 0-based byte offset of the value's first character in the file.
    var offset: Int

    /// The value as Python would print it, for messages.
    var repr: String {
        switch kind {
        case .string(let s): return "'\(s)'"
        case .int(let i): return "\(i)"
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .tuple(let items):
            let inner = items.map(\.repr).joined(separator: ", ")
            return items.count == 1 ? "(\(inner),)" : "(\(inner))"
        case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .dict(let entries): return "{" + entries.map { "'\($0.key)': \($0.value.repr)" }.joined(separator: ", ") + "}"
        }
    }

    /// What kind of value this is, for messages: "a string", "a tuple", ...
    var typeName: String {
        switch kind {
        case .string: return "a string"
        case .int: return "an integer"
        case .bool: return "a boolean"
        case .none: return "None"
        case .tuple: return "a tuple"
        case .list: return "a list"
        case .dict: return "a dictionary"
        }
    }
}

/// Parses one Python literal from bytes: strings in single or double quotes
/// (with backslash escapes of quotes and backslashes), integers (an old
/// Python 2 `L` suffix is accepted), True, False, None, and tuples, lists and
/// dictionaries of these with optional trailing commas. Nesting is limited
/// so that hostile input cannot exhaust the stack.
struct PythonLiteralParser {
    private let bytes: [UInt8]
    private let end: Int
    private let file: String
    private var pos: Int
    private static let maxDepth = 16

    /// A parser over `bytes[start..<end]`; offsets in errors are relative to `bytes`.
    init(bytes: [UInt8], start: Int, end: Int, file: String) {
        self.bytes = bytes
        self.pos = start
        self.end = end
        self.file = file
    }

    /// The single literal that fills the range (surrounding whitespace allowed).
    mutating func parseAll() throws(DataFileError) -> PythonLiteral {
        let value = try parseValue(depth: 0)
        skipSpace()
        if pos < end { throw fail("expected the end of the header after the dictionary, found \(found())") }
        return value
    }

    private mutating func parseValue(depth: Int) throws(DataFileError) -> PythonLiteral {
        skipSpace()
        guard depth < Self.maxDepth else { throw fail("values are nested too deeply") }
        guard pos < end else { throw fail("expected a value, found the end of the header") }
        let start = pos
        switch bytes[pos] {
        case 0x27, 0x22: return PythonLiteral(kind: .string(try parseString()), offset: start)
        case 0x28: return PythonLiteral(kind: .tuple(try parseItems(close: 0x29, depth: depth)), offset: start)
        case 0x5B: return PythonLiteral(kind: .list(try parseItems(close: 0x5D, depth: depth)), offset: start)
        case 0x7B: return PythonLiteral(kind: .dict(try parseDict(depth: depth)), offset: start)
        case 0x2D, 0x30...0x39: return PythonLiteral(kind: .int(try parseInt()), offset: start)
        default:
            for (word, kind) in [("True", PythonLiteral.Kind.bool(true)), ("False", .bool(false)), ("None", .none)]
            where matches(word) {
                pos += word.utf8.count
                return PythonLiteral(kind: kind, offset: start)
            }
            throw fail("expected a value (a string, number, True, False, None, tuple, list or dictionary), "
                       + "found \(found())")
        }
    }

    private mutating func parseItems(close: UInt8, depth: Int) throws(DataFileError) -> [PythonLiteral] {
        pos += 1
        var items: [PythonLiteral] = []
        while true {
            skipSpace()
            if pos < end && bytes[pos] == close { pos += 1; return items }
            items.append(try parseValue(depth: depth + 1))
            skipSpace()
            if pos < end && bytes[pos] == 0x2C { pos += 1; continue }
            if pos < end && bytes[pos] == close { pos += 1; return items }
            throw fail("expected ',' or \(Quote.byte(close)), found \(found())")
        }
    }

    private mutating func parseDict(depth: Int) throws(DataFileError) -> [(key: String, value: PythonLiteral)] {
        pos += 1
        var entries: [(key: String, value: PythonLiteral)] = []
        while true {
            skipSpace()
            if pos < end && bytes[pos] == 0x7D { pos += 1; return entries }
            guard pos < end && (bytes[pos] == 0x27 || bytes[pos] == 0x22) else {
                throw fail("expected a quoted key or '}', found \(found())")
            }
            let keyOffset = pos
            let key = try parseString()
            if entries.contains(where: { $0.key == key }) {
                throw headerError(keyOffset, "the key '\(key)' appears twice")
            }
            skipSpace()
            guard pos < end && bytes[pos] == 0x3A else { throw fail("expected ':' after the key '\(key)', found \(found())") }
            pos += 1
            entries.append((key, try parseValue(depth: depth + 1)))
            skipSpace()
            if pos < end && bytes[pos] == 0x2C { pos += 1; continue }
            if pos < end && bytes[pos] == 0x7D { pos += 1; return entries }
            throw fail("expected ',' or '}', found \(found())")
        }
    }

    private mutating func parseString() throws(DataFileError) -> String {
        let open = pos
        let quote = bytes[pos]
        pos += 1
        var content: [UInt8] = []
        while true {
            guard pos < end, bytes[pos] != 0x0A else {
                throw headerError(open, "unterminated string")
            }
            let b = bytes[pos]
            if b == quote { pos += 1; break }
            if b == 0x5C && pos + 1 < end { pos += 1 }
            content.append(bytes[pos])
            pos += 1
        }
        // Version 1 and 2 headers are Latin-1, version 3 UTF-8; every key and
        // value this loader accepts is ASCII, so decoding as UTF-8 with
        // replacement is only ever needed to quote a rejected value.
        return String(decoding: content, as: UTF8.self)
    }

    private mutating func parseInt() throws(DataFileError) -> Int {
        let start = pos
        var negative = false
        if bytes[pos] == 0x2D { negative = true; pos += 1 }
        var value = 0
        var digits = 0
        while pos < end, bytes[pos] >= 0x30 && bytes[pos] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[pos] - 0x30))
            if o1 || o2 { throw headerError(start, "integer too large") }
            value = a
            digits += 1
            pos += 1
        }
        if digits == 0 { throw fail("expected digits after '-', found \(found())") }
        if pos < end && (bytes[pos] == 0x4C || bytes[pos] == 0x6C) { pos += 1 }
        if pos < end && (bytes[pos] == 0x2E || bytes[pos] == 0x65 || bytes[pos] == 0x45) {
            throw headerError(start, "expected an integer, found a floating-point number")
        }
        return negative ? -value : value
    }

    private func matches(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard pos + w.count <= end, Array(bytes[pos..<(pos + w.count)]) == w else { return false }
        // Not a prefix of a longer identifier (e.g. "Trueish").
        if pos + w.count < end {
            let next = bytes[pos + w.count]
            if (next >= 0x41 && next <= 0x5A) || (next >= 0x61 && next <= 0x7A) || next == 0x5F
                || (next >= 0x30 && next <= 0x39) { return false }
        }
        return true
    }

    private mutating func skipSpace() {
        while pos < end && (bytes[pos] == 0x20 || bytes[pos] == 0x09 || bytes[pos] == 0x0A || bytes[pos] == 0x0D) {
            pos += 1
        }
    }

    private func found() -> String {
        pos < end ? Quote.byte(bytes[pos]) : "the end of the header"
    }

    private func fail(_ message: String) -> DataFileError {
        headerError(pos, message)
    }

    private func headerError(_ offset: Int, _ message: String) -> DataFileError {
        DataFileError(file: file, .byte(offset), "malformed .npy header: " + message)
    }
}
