import ArgumentParser

/// The `mi` command: notebooks, the REPL and tools for MI research.
@main
struct MI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mi",
        abstract: "A literate environment for estimating mutual information.",
        discussion: """
            Notebooks (.mi files) mix Markdown prose with cells that run MI estimators \
            on a Swift engine; plots are drawn with gnuplot.
            """,
        version: MIVersion.string,
        subcommands: [Bench.self]
    )
}

enum MIVersion {
    static let string = "0.1.0"
}
