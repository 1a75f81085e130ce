import ArgumentParser
import Foundation
import MILanguage
import MINotebook

/// `mi step NB`: runs a notebook one statement at a time.
struct Step: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Step through a notebook one statement at a time.",
        discussion: """
            Before each statement, shows its file:line and waits: Enter runs it, `c` runs the rest \
            of the cell, `p NAME` prints a variable, `q` quits. Nothing is cached in step mode.
            """)

    @OptionGroup var options: NotebookOptions

    @ParentCommand var root: MI

    func validate() throws { try MI.refuseSeed(root, for: "step") }

    func run() throws {
        let nb = try options.load()
        let terminal = TerminalObserver(json: false)
        let session = Session(observer: terminal)
        let base = (nb.path as NSString).deletingLastPathComponent
        session.environment.baseDirectory = base.isEmpty ? FileManager.default.currentDirectoryPath : base
        session.environment.parameterOverrides = try options.overrides(for: nb)
        Interrupts.install()
        var failures: Int32 = 0
        let cells = nb.cells
        cells: for (n, cell) in cells.enumerated() {
            let source = cell.source(in: nb)
            let (statements, resolution, diagnostics) = session.check(source)
            print("── cell \(n + 1)/\(cells.count): \(cell.id) (\(nb.path):\(cell.firstLine)) ──")
            if !diagnostics.isEmpty {
                report(Diagnostics(diagnostics))
                failures = max(failures, ExitStatus.language)
                continue
            }
            var runRest = false
            for statement in statements {
                print("\(nb.path):\(statement.range.start.line): \(statement.text.replacingOccurrences(of: "\n", with: "\n    "))")
                while !runRest {
                    print("step> ", terminator: "")
                    fflush(nil)
                    guard let line = readLine() else { break cells }   // end of input: stop
                    let command = line.trimmingCharacters(in: .whitespaces)
                    if command.isEmpty { break }
                    if command == "c" { runRest = true; break }
                    if command == "q" { break cells }
                    if command.hasPrefix("p ") {
                        show(String(command.dropFirst(2)).trimmingCharacters(in: .whitespaces), session)
                        continue
                    }
                    print("Enter: run this statement   c: run the rest of the cell   p NAME: print a variable   q: quit")
                }
                Interrupts.reset()
                do {
                    try session.run([statement], resolution: resolution, source: source)
                } catch is Interpreter.Interrupted {
                    print("(interrupted)")
                } catch {
                    report(error)
                    failures = max(failures, ExitStatus.code(for: error))
                    break
                }
            }
        }
        if failures != 0 { throw ExitCode(failures) }
    }

    private func show(_ name: String, _ session: Session) {
        if let v = session.environment.values[name] {
            print("\(name) = \(Format.value(v))")
        } else {
            let hint = Suggestions.nearest(name, in: Array(session.environment.values.keys)).map { "; did you mean '\($0)'?" } ?? ""
            print("no variable '\(name)'\(hint)")
        }
    }
}
