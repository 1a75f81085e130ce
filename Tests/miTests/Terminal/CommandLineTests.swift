import Foundation
import Testing

/// Corners of the command line: `-p` values, `mi help COMMAND`, `mi run --json`.
@Suite("Command line", .enabled(if: Executable.mi != nil, "needs a built mi"))
struct CommandLineTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    static let notebook = """
        # Parameters

        ```mi id=params
        param steps = 30
        param label = "nce"
        param widths = [8, 16]
        param fast = true
        ```

        ```mi id=use
        print steps
        print label
        print widths
        print fast
        ```

        """

    /// Runs mi in the test's own folder (a render without -o writes Figures/ there).
    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Spawn.run(try #require(Executable.mi), arguments, capture: true, errors: true, directory: directory.url.path)
    }

    /// `-p` values are literals: printed back as given, never run.
    @Test func parameterValuesAreLiterals() throws {
        let nb = try directory.write("p.mi", Self.notebook)
        let (status, output) = try run(["run", nb, "-p", "steps=-2.5e1", "-p", "label=data/x.csv",
                                        "-p", "widths=[4, -8]", "-p", "fast=false"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("\n-25\n") && output.contains("data/x.csv") && output.contains("[4, -8]")
                && output.contains("false"), "\(output)")
        let quoted = try run(["run", nb, "-p", "label=\"two words\"", "-p", "steps=12"])
        #expect(quoted.status == 0 && quoted.output.contains("two words") && quoted.output.contains("\n12\n"), "\(quoted.output)")
    }

    /// `-p x=(estimate nce).final` used to train a model to compute the value.
    @Test(arguments: ["steps=(estimate nce critic=optimal steps=30000).final", "steps=2 * 3", "steps=sqrt(4)",
                      "steps=estimate nce", "steps=", "widths=[1, steps]", "steps=1 2"])
    func expressionsAreRefusedNotRun(_ item: String) throws {
        let nb = try directory.write("p.mi", Self.notebook)
        let started = Date()
        let (status, output) = try run(["run", nb, "-p", item])
        #expect(status == 64, "\(output)")
        #expect(output.contains("the value must be a literal"), "\(output)")
        #expect(!output.contains("[1/2]"), "the notebook ran")
        #expect(Date().timeIntervalSince(started) < 20, "the value was evaluated")
    }

    @Test func unknownParameterNamesSuggestTheNearest() throws {
        let nb = try directory.write("p.mi", Self.notebook)
        for command in ["run", "render", "step"] {
            let (status, output) = try Spawn.run(try #require(Executable.mi), [command, nb, "-p", "stesp=5"], capture: true,
                                                 errors: true, directory: directory.url.path)
            #expect(status == 64, "\(command): \(output)")
            #expect(output.contains("has no parameter 'stesp'") && output.contains("did you mean 'steps'?"), "\(output)")
        }
        let none = try directory.write("none.mi", "```mi\nprint 1\n```\n")
        let (status, output) = try run(["run", none, "-p", "steps=5"])
        #expect(status == 64 && output.contains("declares no parameters"), "\(output)")
    }

    /// `mi --seed 3 run NB` used to ignore the seed silently: the notebook's
    /// runs take theirs from the notebook. It is refused, saying how to seed one.
    @Test func seedWithANotebookCommandIsRefused() throws {
        let nb = try directory.write("p.mi", Self.notebook)
        for command in ["run", "render", "step"] {
            let (status, output) = try Spawn.run(try #require(Executable.mi), ["--seed", "3", command, nb], capture: true,
                                                 errors: true, directory: directory.url.path)
            #expect(status == 64, "\(command): \(output)")
            #expect(output.contains("`seed N` statement") && !output.contains("[1/"), "\(command): \(output)")
        }
        let (status, output) = try Spawn.run(try #require(Executable.mi), ["--seed", "3", "-e", "print 1"], capture: true,
                                             errors: true, directory: directory.url.path)
        #expect(status == 0 && output.contains("1"), "\(output)")
    }

    /// `mi help COMMAND` for every command, and the language's topics as before.
    @Test(arguments: ["run", "step", "render", "bench", "reference"])
    func helpForEachCommand(_ command: String) throws {
        let (status, output) = try run(["help", command])
        #expect(status == 0, "\(output)")
        #expect(output.contains("USAGE: mi \(command)"), "\(output)")
    }

    @Test func languageHelpStillWorks() throws {
        let (status, output) = try run(["help", "estimate"])
        #expect(status == 0 && output.hasPrefix("estimate ESTIMATOR"), "\(output)")
        let bad = try run(["help", "estimat"])
        #expect(bad.status == 65 && bad.output.contains("did you mean 'estimate'?"), "\(bad.output)")
    }

    /// `--help` promises "outputs as JSON, one object per line": every line
    /// of standard output parses, and each cell ends with its record.
    @Test func runJSONIsJSONLines() throws {
        let nb = try directory.write("j.mi", """
            ```mi id=one
            r = estimate nce critic=optimal batch=8 steps=10 data=gaussian(dim=2, mi=1)
            expect r.final <= log(8)
            t = estimate [nwj, nce] critic=optimal batch=8 steps=5 data=gaussian(dim=2, mi=1)
            plot r truth
            print [1, 0 / 1]
            print "text"
            ```

            ```mi id=two
            print 1 / 0
            let q = 1 +
            ```

            """)
        for arguments in [["run", nb, "--json"], ["--json", "run", nb], ["run", nb, "--json"]] {   // the last replays the cache
            let (status, stdout) = try Spawn.run(try #require(Executable.mi), arguments, capture: true)
            #expect(status == 65)
            let lines = stdout.split(separator: "\n").map(String.init)
            let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(objects.count == lines.count, "not JSON objects: \(lines.filter { !$0.hasPrefix("{") }.prefix(3))")
            #expect(objects.contains { $0["estimator"] as? String == "nce" && $0["final"] is Double })
            #expect(objects.contains { $0["expect"] != nil && $0["passed"] as? Bool == true })
            #expect(objects.contains { $0["columns"] != nil && ($0["rows"] as? [Any])?.count == 2 })
            #expect(objects.contains { $0["figure"] != nil })
            let cells = objects.compactMap { $0["cell"] as? String }
            #expect(cells == ["one", "two"])
            #expect(objects.last?["status"] as? String == "failed" && (objects.last?["error"] as? String)?.contains("j.mi:12") == true)
        }
    }
}
