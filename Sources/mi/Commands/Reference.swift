import ArgumentParser
import MILanguage

/// `mi reference`: the language reference in Markdown, generated from the
/// registry (what docs/reference.md holds).
struct Reference: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the language reference (docs/reference.md) in Markdown.",
        discussion: """
            Generated from the registry that also drives checking, `help` and completion: every \
            statement with its options, every estimator, critic, data source and function with its \
            parameters (type, default, meaning), and the fields of a result. \
            Regenerate the committed page with: swift run mi reference > docs/reference.md
            """
    )

    func run() throws {
        print(ReferenceDoc.markdown(), terminator: "")
    }
}
