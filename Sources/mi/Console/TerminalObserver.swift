import Foundation
import MILanguage
import MIPlot

/// Prints a session's outputs to standard output (human text or one JSON
/// object per line) and, when standard error is a terminal, a progress line
/// for long estimates.
final class TerminalObserver: Observer {
    let json: Bool
    let showProgress: Bool
    private var lastDraw = 0.0
    private var progressVisible = false

    init(json: Bool, progress: Bool = isatty(STDERR_FILENO) != 0) {
        self.json = json
        self.showProgress = progress
    }

    func emit(_ output: Output) {
        clearProgress()
        if json {
            print(Format.jsonLine(Format.json(output)))
        } else if case .figure(let f) = output {
            print(Self.text(of: f))
        } else {
            print(Format.text(output))
        }
        fflush(nil)
    }

    func progress(_ p: RunProgress) { progress(p, prefix: "") }

    func progress(_ p: RunProgress, prefix: String) {
        guard showProgress else { return }
        let now = Date().timeIntervalSince1970
        if now - lastDraw < 0.1 && p.step < p.total { return }
        lastDraw = now
        var line = prefix + (p.runs > 1 ? "[\(p.run)/\(p.runs)] " : "")
        line += "\(p.label)  step \(p.step)/\(p.total)"
        if p.smoothed.isFinite { line += "  est \(Format.number(p.smoothed))" }
        if let t = p.truth { line += "  truth \(Format.number(t))" }
        line += "  \(Int(p.stepsPerSecond)) steps/s  \(duration(p.remaining)) left  (Ctrl-C stops)"
        // Room is left for the terminal's "^C" echo, so that it cannot wrap
        // onto a line that `clearProgress` would not erase.
        let width = terminalWidth() - 4
        if line.count > width { line = String(line.prefix(width)) }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        progressVisible = true
    }

    func shouldStop() -> Bool { Interrupts.requested }

    /// A figure drawn by gnuplot's text terminal, sized to the terminal.
    static func text(of figure: Figure) -> String {
        var size = winsize()
        let width = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) - 1 : 100
        let height = max(20, min(50, width * 3 / 10)) * max(1, figure.layout.rows)
        do {
            return try FigureRenderer.dumb(figure, width: width, height: height)
        } catch {
            return "(figure with \(figure.panels.count) panel\(figure.panels.count == 1 ? "" : "s"): \(error))"
        }
    }

    /// Erases the progress line before other output.
    func clearProgress() {
        guard progressVisible else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        progressVisible = false
    }

    private func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 100
    }
}

/// Prints a diagnostic (or several) to standard error.
func report(_ error: Error) {
    let text: String
    switch error {
    case let d as Diagnostics: text = d.description
    case let d as Diagnostic: text = d.description
    case is Interpreter.Interrupted: text = "interrupted"
    case let f as CellFailure: text = f.text
    default: text = "error: \(error)"
    }
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
