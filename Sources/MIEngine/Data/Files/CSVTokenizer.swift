/// Splits CSV bytes into records of fields, remembering where every field
/// starts so that a bad value can be reported as `file:line:column`.
///
/// Why not a package: SwiftCSV 0.10.0 and yaslab/CSV.swift 2.5.2 are both
/// available offline, but neither reports where a row or field lies in the
/// file (their errors carry no line or column, and quoted fields spanning
/// lines make counting rows afterwards unreliable), so the exact positions the
/// loader's messages promise would be lost. This reader is small and strict.
///
/// The dialect (RFC 4180 plus conveniences):
/// - fields are separated by a one-byte ASCII delimiter (default `,`);
///   records end at `\n`, `\r\n` or a lone `\r`;
/// - spaces and tabs around a field are ignored (a tab delimiter stays a delimiter);
/// - a field may be quoted with `"`; inside quotes, the delimiter and line
///   breaks are ordinary characters and `""` stands for one `"`; after the
///   closing quote only spaces or tabs may come before the next delimiter;
///   a `"` inside an unquoted field is an error;
/// - lines that are empty or hold only spaces and tabs are skipped, and so are
///   lines whose first non-blank character is the comment prefix (default `#`);
/// - a UTF-8 byte-order mark at the start is skipped; fields must be UTF-8.
struct CSVTokenizer {
    /// One field: its text (quotes removed, `""` unescaped) and where it starts.
    struct Field {
        var text: String
        var line: Int
        var column: Int
    }

    /// One record (row): its fields, the line it starts on, and the position
    /// just after its last character.
    struct Record {
        var fields: [Field]
        var line: Int
        var endLine: Int
        var endColumn: Int
    }

    private let bytes: [UInt8]
    private let file: String
    private let delimiter: UInt8
    private let comment: UInt8?
    private var pos = 0
    private var line = 1
    private var column = 1

    /// A tokenizer over `bytes`; `file` names the source in errors. The
    /// delimiter and comment prefix must be single ASCII characters other than
    /// a quote, a line break or (for the delimiter) a space.
    init(bytes: [UInt8], file: String, delimiter: Character, commentPrefix: Character?) throws(DataFileError) {
        func ascii(_ c: Character, _ what: String) throws(DataFileError) -> UInt8 {
            guard let v = c.asciiValue, c != "\"", c != "\n", c != "\r", c != " " else {
                throw DataFileError(file: file, "the \(what) must be a single ASCII character other than a quote, "
                                    + "a space or a line break, found \(Quote.field(String(c)))")
            }
            return v
        }
        self.bytes = bytes
        self.file = file
        self.delimiter = try ascii(delimiter, "delimiter")
        if let commentPrefix {
            let c = try ascii(commentPrefix, "comment prefix")
            if c == self.delimiter {
                throw DataFileError(file: file, "the comment prefix and the delimiter are both "
                                    + "\(Quote.field(String(commentPrefix))); they must differ")
            }
            self.comment = c
        } else {
            self.comment = nil
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
    }

    /// Whether the input holds nothing but blanks, line breaks and a byte-order mark.
    var isBlank: Bool {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        return body.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// The next record, or nil at the end of the input.
    mutating func next() throws(DataFileError) -> Record? {
        // Skip blank and comment lines.
        while true {
            skipBlanks()
            guard pos < bytes.count else { return nil }
            let b = bytes[pos]
            if b == 0x0A || b == 0x0D {
                advanceLineBreak()
            } else if let comment, b == comment {
                while pos < bytes.count && bytes[pos] != 0x0A && bytes[pos] != 0x0D { advance() }
            } else {
                break
            }
        }
        let recordLine = line
        var fields: [Field] = []
        while true {
            skipBlanks()
            let start = (line: line, column: column)
            let text = pos < bytes.count && bytes[pos] == 0x22 ? try quotedField() : try plainField()
            fields.append(Field(text: text, line: start.line, column: start.column))
            if pos < bytes.count && bytes[pos] == delimiter {
                advance()
                continue
            }
            let record = Record(fields: fields, line: recordLine, endLine: line, endColumn: column)
            if pos < bytes.count { advanceLineBreak() }
            return record
        }
    }

    /// An unquoted field: up to the delimiter or the end of the line, blanks trimmed.
    private mutating func plainField() throws(DataFileError) -> String {
        let start = pos
        var end = pos
        let startColumn = column
        while pos < bytes.count {
            let b = bytes[pos]
            if b == delimiter || b == 0x0A || b == 0x0D { break }
            if b == 0x22 {
                throw fail("unexpected '\"' inside an unquoted field; expected the delimiter "
                           + "\(Quote.byte(delimiter)) or the end of the line (quote the whole field "
                           + "and write a quote inside it as \"\")")
            }
            advance()
            if !isBlank(b) { end = pos }
        }
        return try decode(bytes[start..<end], line: line, column: startColumn)
    }

    /// A quoted field starting at the opening quote under `pos`.
    private mutating func quotedField() throws(DataFileError) -> String {
        let open = (line: line, column: column)
        advance()
        var content: [UInt8] = []
        while true {
            guard pos < bytes.count else {
                throw DataFileError(file: file, .lineColumn(line: open.line, column: open.column),
                                    "unterminated quoted field: expected a closing '\"' before the end of the file")
            }
            let b = bytes[pos]
            if b == 0x22 {
                if pos + 1 < bytes.count && bytes[pos + 1] == 0x22 {
                    content.append(0x22)
                    advance(); advance()
                    continue
                }
                advance()
                break
            }
            content.append(b)
            if b == 0x0A || b == 0x0D {
                if b == 0x0D && pos + 1 < bytes.count && bytes[pos + 1] == 0x0A {
                    content.append(0x0A)
                }
                advanceLineBreak()
            } else {
                advance()
            }
        }
        skipBlanks()
        if pos < bytes.count {
            let b = bytes[pos]
            if b != delimiter && b != 0x0A && b != 0x0D {
                throw fail("expected the delimiter \(Quote.byte(delimiter)) or the end of the line after "
                           + "the closing quote, found \(Quote.byte(b))")
            }
        }
        return try decode(content[...], line: open.line, column: open.column)
    }

    private func decode(_ slice: ArraySlice<UInt8>, line: Int, column: Int) throws(DataFileError) -> String {
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw DataFileError(file: file, .lineColumn(line: line, column: column),
                                "expected UTF-8 text, found a field with invalid UTF-8 bytes")
        }
        return s
    }

    private func isBlank(_ b: UInt8) -> Bool {
        (b == 0x20 || b == 0x09) && b != delimiter
    }

    private mutating func skipBlanks() {
        while pos < bytes.count && isBlank(bytes[pos]) { advance() }
    }

    /// Moves one byte along the current line; columns count Unicode scalars,
    /// so UTF-8 continuation bytes do not advance the column.
    private mutating func advance() {
        pos += 1
        if pos < bytes.count && bytes[pos] & 0xC0 == 0x80 { return }
        column += 1
    }

    /// Moves past a line break (`\n`, `\r\n` or `\r`) under `pos`.
    private mutating func advanceLineBreak() {
        if bytes[pos] == 0x0D && pos + 1 < bytes.count && bytes[pos + 1] == 0x0A { pos += 1 }
        pos += 1
        line += 1
        column = 1
    }

    private func fail(_ message: String) -> DataFileError {
        DataFileError(file: file, .lineColumn(line: line, column: column), message)
    }
}
