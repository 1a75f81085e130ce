import Foundation
import MILanguage

/// The rendered document of a notebook run, in Markdown: the prose as
/// written, each cell's code, its outputs and its figures inline, and
/// errors where cells failed.
public struct MarkdownDocument {
    /// Figure files written for each cell (paths relative to the document).
    public var figures: [String: [DocumentFigure]] = [:]
    /// A closing line with the render's wall time and machine, when set.
    public var footer: String?

    public init(figures: [String: [DocumentFigure]] = [:], footer: String? = nil) {
        self.figures = figures
        self.footer = footer
    }

    public func markdown(for run: NotebookRun) -> String {
        var out: [String] = []
        var records = run.records.makeIterator()
        for block in run.notebook.blocks {
            switch block {
            case .prose(let text):
                let trimmed = text.split(separator: "\n", omittingEmptySubsequences: false)
                    .drop(while: { $0.trimmingCharacters(in: .whitespaces).isEmpty })
                    .reversed().drop(while: { $0.trimmingCharacters(in: .whitespaces).isEmpty }).reversed()
                if !trimmed.isEmpty { out.append(trimmed.joined(separator: "\n")) }
            case .cell(let cell):
                guard let record = records.next() else { continue }
                out.append(cellMarkdown(cell, record))
            }
        }
        if let footer { out.append("---\n\n_\(footer)_") }
        var text = out.joined(separator: "\n\n")
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    private func cellMarkdown(_ cell: Cell, _ record: CellRecord) -> String {
        var parts = [Self.fenced(cell.code, info: "mi")]
        var text: [String] = []
        func flushText() {
            if !text.isEmpty { parts.append(Self.fenced(text.joined(separator: "\n"), info: "text")) }
            text = []
        }
        for output in record.outputs {
            switch output {
            case .table(let t):
                flushText()
                parts.append(Self.markdownTable(t))
            default:
                if let line = Self.text(output) { text.append(line) }
            }
        }
        flushText()
        for figure in figures[cell.id] ?? [] {
            parts.append("![\(Self.inline(figure.alt, escaping: "\\[]"))](\(figure.image))")
        }
        switch record.status {
        case .failed, .skipped:
            parts.append("> **This cell \(record.status == .failed ? "failed" : "was skipped").**\n\n"
                         + Self.fenced(record.error ?? "", info: "text"))
        case .interrupted:
            parts.append("> **Interrupted** before this cell finished.")
        default:
            break
        }
        return parts.joined(separator: "\n\n")
    }

    /// An output as plain text (tables and figures are rendered separately).
    static func text(_ output: Output) -> String? {
        switch output {
        case .value(let v): return Format.value(v)
        case .text(let s): return s
        case .result(let r): return Format.summary(r, timing: false)
        case .expectation(let s): return "ok: \(s)"
        case .table, .figure: return nil
        }
    }

    /// A GitHub-flavoured Markdown table.
    static func markdownTable(_ t: TableValue) -> String {
        func cell(_ v: Value) -> String {
            let s: String
            switch v {
            case .number(let x): s = Format.number(x)
            case .string(let str): s = str
            default: s = v.shortDescription
            }
            return inline(s, escaping: "\\|")
        }
        var lines = ["| " + t.columns.map { inline($0, escaping: "\\|") }.joined(separator: " | ") + " |",
                     "|" + t.columns.map { _ in " --- " }.joined(separator: "|") + "|"]
        for row in t.rows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }
}

extension MarkdownDocument {
    /// `text` in a fenced code block whose fence is longer than any run of
    /// backticks in it, so no output or code can close the block early.
    static func fenced(_ text: String, info: String) -> String {
        var longest = 0, run = 0
        for c in text {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + info + "\n" + text + "\n" + fence
    }

    /// `text` on one line, with each character of `special` backslash-escaped
    /// (a table cell cannot hold a newline or an unescaped `|`, alt text a `]`).
    static func inline(_ text: String, escaping special: String) -> String {
        var out = ""
        for c in text {
            if c == "\n" || c == "\r" { out.append(" "); continue }
            if special.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

/// A figure written for the document.
public struct DocumentFigure: Sendable {
    /// Image shown inline (relative path), and the other files beside it.
    public var image: String
    public var alt: String
    public var files: [String]

    public init(image: String, alt: String, files: [String]) {
        self.image = image
        self.alt = alt
        self.files = files
    }
}
