/// How a CSV file is written.
public struct CSVOptions: Sendable, Equatable {
    /// The field separator: one ASCII character, not a quote, space or line break.
    public var delimiter: Character
    /// Lines whose first non-blank character is this are skipped; nil keeps them.
    public var commentPrefix: Character?

    public init(delimiter: Character = ",", commentPrefix: Character? = "#") {
        self.delimiter = delimiter
        self.commentPrefix = commentPrefix
    }
}

/// Reads numeric columns of a CSV file into x/y pairs.
///
/// The file starts with a header row naming the columns; every later record
/// is one sample and must have as many fields as the header. Only the
/// selected columns must hold numbers (other columns may hold anything).
/// Numbers are decimal or scientific (`-1.5`, `.5`, `2e-3`); NaN, infinities
/// and empty fields are errors. Blank lines and `#` comment lines are skipped;
/// fields may be quoted. See `CSVTokenizer` for the exact dialect and
/// `ColumnSelector` for choosing columns.
public enum CSVData {
    /// Reads the file at `path`.
    public static func read(path: String, x: [ColumnSelector], y: [ColumnSelector],
                            options: CSVOptions = CSVOptions()) throws(DataFileError) -> LoadedPairs {
        let contents = try FileBytes.readStamped(path)
        var pairs = try read(bytes: contents.bytes, file: path, x: x, y: y, options: options)
        pairs.files = [contents.stamp]
        return pairs
    }

    /// Reads CSV text held in memory; `file` names it in errors.
    public static func read(bytes: [UInt8], file: String, x: [ColumnSelector], y: [ColumnSelector],
                            options: CSVOptions = CSVOptions()) throws(DataFileError) -> LoadedPairs {
        var tokens = try CSVTokenizer(bytes: bytes, file: file, delimiter: options.delimiter,
                                      commentPrefix: options.commentPrefix)
        guard let header = try tokens.next() else {
            throw DataFileError(file: file, tokens.isBlank
                ? "the file is empty; expected a header row naming the columns"
                : "the file holds only comment lines; expected a header row naming the columns")
        }
        let names = header.fields.map(\.text)
        let resolver = ColumnResolver(file: file, location: .line(header.line), names: names,
                                      columnCount: names.count)
        let (xColumns, yColumns) = try resolver.resolve(x: x, y: y)

        var xs: [Double] = [], ys: [Double] = []
        var rows = 0
        while let record = try tokens.next() {
            try checkWidth(record, expected: names.count, headerLine: header.line, file: file)
            for c in xColumns { xs.append(try number(record.fields[c], column: c, names: names, file: file)) }
            for c in yColumns { ys.append(try number(record.fields[c], column: c, names: names, file: file)) }
            rows += 1
        }
        if rows == 0 {
            throw DataFileError(file: file, "expected data rows after the header (line \(header.line)), found none")
        }
        return LoadedPairs(x: Matrix(rows: rows, cols: xColumns.count, storage: xs),
                           y: Matrix(rows: rows, cols: yColumns.count, storage: ys),
                           xNames: xColumns.map { names[$0] }, yNames: yColumns.map { names[$0] },
                           source: file)
    }

    /// A record must have exactly as many fields as the header. Too many
    /// points at the first surplus field; too few at the end of the record.
    private static func checkWidth(_ record: CSVTokenizer.Record, expected: Int, headerLine: Int,
                                   file: String) throws(DataFileError) {
        let found = record.fields.count
        guard found != expected else { return }
        let message = "expected \(expected) field\(expected == 1 ? "" : "s") as in the header "
            + "(line \(headerLine)), found \(found)"
        if found > expected {
            let extra = record.fields[expected]
            throw DataFileError(file: file, .lineColumn(line: extra.line, column: extra.column), message)
        }
        throw DataFileError(file: file, .lineColumn(line: record.endLine, column: record.endColumn), message)
    }

    /// The number in `field`, or an error naming its position and column.
    private static func number(_ field: CSVTokenizer.Field, column: Int, names: [String],
                               file: String) throws(DataFileError) -> Double {
        let reading = NumberText.read(field.text)
        if case .number(let v) = reading { return v }
        let label = names[column].isEmpty ? "the unnamed column at index \(column)" : "column '\(names[column])'"
        let message: String
        switch reading {
        case .empty: message = "expected a number in \(label), found an empty field"
        case .nonFinite: message = "expected a finite number in \(label), found \(Quote.field(field.text))"
        case .overflow:
            message = "expected a finite number in \(label), found \(Quote.field(field.text)), "
                + "which is too large for a Double"
        default: message = "expected a number in \(label), found \(Quote.field(field.text))"
        }
        throw DataFileError(file: file, .lineColumn(line: field.line, column: field.column), message)
    }
}

/// Strict reading of one number written as text in a data file.
///
/// Accepted: an optional sign, digits with an optional decimal point (`12`,
/// `-0.5`, `3.`, `.25`), and an optional exponent (`1e-3`, `6.02E+23`).
/// Rejected with a reason: empty fields, words such as `n/a` or `NA`, hex
/// floats and digit separators (which Swift's `Double(_:)` would otherwise
/// accept or mangle), and non-finite values: `nan`, `inf`, `infinity` (any
/// case, any sign) and numbers too large for a Double (`1e999`).
enum NumberText {
    enum Reading: Equatable {
        case number(Double)
        /// An empty field.
        case empty
        /// Not a number at all.
        case notANumber
        /// NaN or an infinity spelled out.
        case nonFinite
        /// Well formed, but beyond the range of a Double.
        case overflow
    }

    /// Reads `text` (already trimmed of surrounding blanks).
    static func read(_ text: String) -> Reading {
        if text.isEmpty { return .empty }
        guard isDecimal(Array(text.utf8)) else {
            var word = Substring(text)
            if word.first == "+" || word.first == "-" { word = word.dropFirst() }
            switch word.lowercased() {
            case "nan", "inf", "infinity": return .nonFinite
            default: return .notANumber
            }
        }
        guard let value = Double(text) else { return .notANumber }
        return value.isFinite ? .number(value) : .overflow
    }

    /// `[+-]? (digits ('.' digits?)? | '.' digits) ([eE] [+-]? digits)?`
    static func isDecimal(_ s: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < s.count && s[i] >= 0x30 && s[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < s.count && (s[i] == 0x2B || s[i] == 0x2D) { i += 1 }
        var mantissa = digits()
        if i < s.count && s[i] == 0x2E {
            i += 1
            mantissa += digits()
        }
        if mantissa == 0 { return false }
        if i < s.count && (s[i] == 0x65 || s[i] == 0x45) {
            i += 1
            if i < s.count && (s[i] == 0x2B || s[i] == 0x2D) { i += 1 }
            if digits() == 0 { return false }
        }
        return i == s.count
    }
}
