import Ink

/// The rendered document as a standalone HTML page (Markdown through Ink).
public enum HTMLDocument {
    public static func html(markdown: String, title: String) -> String {
        let body = MarkdownParser().html(from: markdown)
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

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
