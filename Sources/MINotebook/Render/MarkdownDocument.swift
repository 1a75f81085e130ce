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
        var parts = ["```mi\n\(cell.code)\n```"]
        var text: [String] = []
        func flushText() {
            if !text.isEmpty { parts.append("```text\n" + text.joined(separator: "\n") + "\n```") }
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
            parts.append("![\(figure.alt)](\(figure.image))")
        }
        switch record.status {
        case .failed, .skipped:
            parts.append("> **This cell \(record.status == .failed ? "failed" : "was skipped").**\n\n```text\n\(record.error ?? "")\n```")
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
            return s.replacingOccurrences(of: "|", with: "\\|")
        }
        var lines = ["| " + t.columns.joined(separator: " | ") + " |",
                     "|" + t.columns.map { _ in " --- " }.joined(separator: "|") + "|"]
        for row in t.rows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
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
