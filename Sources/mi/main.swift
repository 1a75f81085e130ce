import ArgumentParser
import Foundation
import MILanguage

// `mi help TOPIC` explains the language; ArgumentParser's own help covers
// the command line (`mi --help`, `mi help bench`).
let arguments = Array(CommandLine.arguments.dropFirst())
let subcommands = MI.configuration.subcommands.map { $0.configuration.commandName ?? "" }
if arguments.first == "help", arguments.count <= 2, !(arguments.count == 2 && subcommands.contains(arguments[1])) {
    let topic = arguments.count == 2 ? arguments[1] : nil
    if let text = HelpTopics.text(topic) {
        print(text)
    } else {
        let suggestion = topic.flatMap { Suggestions.nearest($0, in: HelpTopics.all(.standard)) }
        report(MIHelpError(topic: topic ?? "", suggestion: suggestion))
        exit(ExitStatus.language)
    }
} else {
    MI.main()
}

struct MIHelpError: Error, CustomStringConvertible {
    let topic: String
    let suggestion: String?
    var description: String { "no help for '\(topic)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "") }
}
