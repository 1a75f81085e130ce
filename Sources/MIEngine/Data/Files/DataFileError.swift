/// Why a data file (CSV, NumPy .npy, IDX) could not be loaded, and where.
///
/// The description reads like a compiler diagnostic: the file as the caller
/// named it, then the position, then what was expected and what was found:
///
///     data.csv:14:9: expected a number in column 'y2', found 'n/a'
///     data.csv:1: unknown column 'x_1' in the x columns; did you mean 'x1'?
///     x.npy: header field 'descr': unsupported dtype '<i4'; expected ...
///     images.idx: byte 16: ...
///     data.csv: the file is empty; expected a header row naming the columns
///
/// Lines and columns are 1-based; a CSV column counts Unicode scalars from the
/// start of the physical line. Byte offsets are 0-based (as `xxd` and
/// `od` show them) and count bytes of the file as stored; for a gzip-compressed
/// file they count bytes of the decompressed stream.
public struct DataFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Where in the file the problem lies.
    public enum Location: Equatable, Sendable {
        /// The file as a whole (it is empty, unreadable, too short for a split).
        case file
        /// A 1-based line (CSV), e.g. a row with the wrong number of fields.
        case line(Int)
        /// A 1-based line and column (CSV), e.g. a field that is not a number.
        case lineColumn(line: Int, column: Int)
        /// A 0-based byte offset (binary formats).
        case byte(Int)
        /// A field of a binary header by name, e.g. 'descr' of a .npy header.
        case headerField(String)
    }

    /// The file as the caller named it (a path, or a label for in-memory bytes).
    public var file: String
    public var location: Location
    /// What was expected and what was found, without the position prefix.
    public var message: String
    /// True when the operating system could not open or read the file (as
    /// opposed to a file whose contents are malformed).
    public var isInputOutput = false

    public init(file: String, _ location: Location, _ message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// An error about the file as a whole.
    public init(file: String, _ message: String) {
        self.init(file: file, .file, message)
    }

    /// `file:line:column: message` and its variants (see the type's overview).
    public var description: String {
        switch location {
        case .file: return "\(file): \(message)"
        case .line(let l): return "\(file):\(l): \(message)"
        case .lineColumn(let l, let c): return "\(file):\(l):\(c): \(message)"
        case .byte(let b): return "\(file): byte \(b): \(message)"
        case .headerField(let f): return "\(file): header field '\(f)': \(message)"
        }
    }
}

/// Text helpers shared by the loaders' messages.
enum Quote {
    /// `text` between single quotes, shortened to `limit` characters, with
    /// control characters escaped so that a message stays on one line.
    static func field(_ text: String, limit: Int = 40) -> String {
        var out = ""
        var n = 0
        for scalar in text.unicodeScalars {
            if n == limit { out += "..."; break }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            n += 1
        }
        return "'\(out)'"
    }

    /// A byte for a message: printable ASCII as itself in quotes, anything else in hex.
    static func byte(_ b: UInt8) -> String {
        if b == 0x27 { return "\"'\"" }
        return (0x20..<0x7F).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x" + hex(b)
    }

    /// Two hex digits.
    static func hex(_ b: UInt8) -> String {
        let s = String(b, radix: 16)
        return s.count == 1 ? "0" + s : s
    }

    /// A list of names for a message: 'a', 'b', 'c' (at most `limit`, then "and N more").
    static func list(_ names: [String], limit: Int = 8) -> String {
        let shown = names.prefix(limit).map { field($0) }.joined(separator: ", ")
        return names.count > limit ? shown + " and \(names.count - limit) more" : shown
    }
}
