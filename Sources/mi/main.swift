import ArgumentParser
import Foundation
import MILanguage

// `mi help TOPIC` explains the language; ArgumentParser's own help covers
// the command line (`mi --help`, `mi help run`, `mi help bench`).
let arguments = Array(CommandLine.arguments.dropFirst())
// (`_commandName`: the name a command is called by, derived from its type
// when its configuration gives none, as for `run`.)
let subcommands = MI.configuration.subcommands.map { $0._commandName }
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
