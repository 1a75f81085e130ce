import CCmarkGFM
import Foundation

/// The rendered document as a standalone HTML page: its Markdown through
/// GitHub's cmark-gfm, with the GitHub extensions on (tables,
/// strikethrough, autolinks, task lists, the tag filter).
///
/// cmark-gfm runs in its safe mode: raw HTML in the prose is left out and
/// `javascript:`-style links are dropped, so no string of a notebook or of
/// its outputs becomes markup the author did not write as Markdown.
public enum HTMLDocument {
    /// The page for `markdown`; its title is the first heading's text, or
    /// `fallbackTitle` when the document has no heading.
    public static func html(markdown: String, title fallbackTitle: String) -> String {
        let (body, heading) = CommonMark.render(markdown)
        let words = heading?.split(whereSeparator: \.isWhitespace).joined(separator: " ") ?? ""
        let title = words.isEmpty ? fallbackTitle : words
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body { max-width: 56rem; margin: 2rem auto; padding: 0 1rem; font: 16px/1.55 system-ui, sans-serif; color: #222; }
            pre { background: #f6f8fa; padding: 0.8rem 1rem; overflow-x: auto; border-radius: 6px; font-size: 0.9em; }
            code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
            pre code.language-mi { color: #0b3d91; }
            table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9em; }
            th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: right; }
            th { background: #f6f8fa; }
            img { max-width: 100%; height: auto; }
            blockquote { border-left: 4px solid #d1242f; margin: 1rem 0; padding: 0 1rem; color: #57606a; }
            </style>
            </head>
            <body>
            \(body)
            </body>
            </html>

            """
    }

    /// Text as HTML character data (also safe inside a double-quoted attribute).
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Markdown to an HTML fragment with cmark-gfm.
enum CommonMark {
    /// Registers the GitHub extensions once: registering is not thread-safe
    /// in cmark-gfm, and a Swift `static let` is initialised exactly once.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    private static let extensionNames = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]

    /// The HTML fragment for `markdown`, and the plain text of its first heading.
    static func render(_ markdown: String) -> (html: String, firstHeading: String?) {
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        guard let parser = cmark_parser_new(options) else { return ("", nil) }
        defer { cmark_parser_free(parser) }
        _ = registered
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        var bytes = Array(markdown.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
            }
        }
        guard let document = cmark_parser_finish(parser) else { return ("", nil) }
        defer { cmark_node_free(document) }
        var html = ""
        if let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) {
            html = String(cString: rendered)
            free(rendered)
        }
        return (html, firstHeading(document))
    }

    /// The text of the first heading under `root` (its text and code spans, joined).
    private static func firstHeading(_ root: OpaquePointer) -> String? {
        guard let iterator = cmark_iter_new(root) else { return nil }
        defer { cmark_iter_free(iterator) }
        var text: String?
        var depth = 0
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_HEADING {
                if event == CMARK_EVENT_ENTER {
                    text = ""
                    depth += 1
                } else {
                    return text
                }
            } else if depth > 0, event == CMARK_EVENT_ENTER {
                switch type {
                case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                    if let literal = cmark_node_get_literal(node) { text? += String(cString: literal) }
                case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                    text? += " "
                default:
                    break
                }
            }
        }
        return nil
    }
}
