import MILanguage
import Testing
@testable import mi

/// Tab-completion candidates by context, without a terminal.
@Suite struct CompleterTests {
    let completer = Completer(registry: .standard,
                              variables: ["r": .result, "d": .data, "n": .integer, "sweep": .table, "word": .string],
                              metaCommands: MetaCommand.names)

    private func complete(_ line: String) -> [String]? {
        // The word is what follows the last break character, as readline splits it.
        let breaks = Set(ReadlineCompletion.languageBreaks)
        let word = String(line.reversed().prefix(while: { !breaks.contains($0) }).reversed())
        return completer.candidates(before: String(line.dropLast(word.count)), word: word)
    }

    @Test func estimatorOptionsAfterTheEstimator() {
        #expect(complete("estimate nce ba") == ["baseline=", "batch="])
        #expect(complete("estimate alpha(0.5) crit") == ["critic="])
        #expect(complete("r = estimate nce batch=64 st") == ["steps="])
        #expect(complete("estimate nce batch=64 ba") == ["baseline="], "options already given are left out")
        #expect(complete("estimate nce batch=[64, 128] lr=1e-3 ")?.contains("critic=") == true)
    }

    /// `learn adversarial` takes the options of learn that apply, with its own.
    @Test func learnObjectiveOptionsFollowTheSubject() throws {
        #expect(complete("learn ad") == ["adversarial"])
        #expect(complete("learn adversarial warm") == ["warmup="])
        #expect(complete("learn adversarial cl") == ["classifier_lr=", "classifier_steps="])
        #expect(complete("learn adversarial cr") == [], "no critic without an estimator")
        #expect(complete("learn nce warm") == [], "a bound takes no warm-up")
        #expect(complete("learn nce cr") == ["critic="])
        let encoders = try #require(complete("learn adversarial encoder="))
        #expect(encoders.contains("coupling"))
        #expect(complete("learn rec") == ["reconstruct"])
        #expect(complete("learn reconstruct deco") == ["decoder=", "decoder_steps="])
        #expect(complete("learn reconstruct decoder=") == ["linear", "mlp"])
        #expect(complete("learn reconstruct sh") == [], "it trains g1 alone")
        #expect(complete("learn reconstruct data=im") == ["images"])
    }

    @Test func verbsAndVariablesAtTheStartOfALine() throws {
        let all = try #require(complete(""))
        #expect(all.contains("estimate") && all.contains("print") && all.contains("help"))
        #expect(all.contains("r") && all.contains("log("))
        #expect(complete("es") == ["estimate"])
        #expect(complete("x = 1\nes") == ["estimate"], "a new statement on a later line")
    }

    @Test func estimatorsAfterEstimateAndInsideItsList() {
        #expect(complete("estimate n") == ["nce", "nwj"])
        #expect(complete("estimate [nwj, n") == ["nce", "nwj"])
        #expect(complete("estimate [\n  nwj,\n  al") == ["alpha"])
        #expect(complete("r = estimate js") == ["js", "js_plugin"])
    }

    @Test func optionValuesFromTheRegistry() throws {
        #expect(complete("estimate nce critic=con") == ["concat"])
        #expect(complete("estimate nce critic=[separable, con") == ["concat"])
        #expect(complete("estimate nce act=r") == ["relu"])
        #expect(complete("estimate nce negatives=") == ["all", "shuffled"])
        #expect(complete("estimate nce lipschitz=") == ["gp", "none", "sn"])
        let data = try #require(complete("estimate nce data="))
        #expect(data.contains("gaussian") && data.contains("staircase") && data.contains("d"))
        #expect(!data.contains("r"), "only variables of the option's type")
    }

    @Test func argumentsOfConstructors() {
        #expect(complete("estimate nce critic=concat(") == ["act=", "hidden="])
        #expect(complete("estimate nce critic=separable(embed=16, a") == ["act="])
        #expect(complete("estimate nce critic=concat(act=t") == ["tanh"])
        #expect(complete("estimate nce data=gaussian(d") == ["d", "dim="])
        #expect(complete("estimate nce data=cubic(base=g") == ["gaussian"])
        #expect(complete("print lo") == ["log("])
        #expect(complete("print log(n") == ["n"])
    }

    @Test func fieldsOfResults() throws {
        #expect(complete("print r.fi") == ["final"])
        #expect(complete("expect r.final < r.tr") == ["trace", "truth", "truths"])
        #expect(complete("print sweep.fi") == ["final"])
        #expect(complete("print n.") == [], "a number has no fields")
        #expect(complete("print 0.") == [], "a decimal point is not a field")
    }

    @Test func helpTopicsAndPlotOptions() throws {
        #expect(complete("help estim") == ["estimate", "estimator", "estimators"].filter { HelpTopics.all(.standard).contains($0) })
        #expect(complete("help fie") == ["fields"])
        #expect(complete("plot r tr") == ["truth"], "a flag completes without '='")
        #expect(complete("plot r truth ti") == ["title="])
        #expect(complete("plot r truth tr") == [], "a given flag is left out")
    }

    @Test func metaCommandsAndFileNames() {
        #expect(complete(":lo") == [":load"])
        #expect(complete(":") == MetaCommand.names.sorted())
        #expect(completer.candidates(before: ":load ", word: "no") == nil, "file names after :load")
        #expect(completer.candidates(before: "estimate nce data=csv(\"", word: "da") == nil, "file names in strings")
    }

    @Test func nothingWhereANewNameGoes() {
        #expect(complete("let ") == [])
        #expect(complete("x = ")?.contains("estimate") == true)
        #expect(complete("let y = sw") == ["sweep"])
        #expect(complete("y = 2 * r") == ["r", "rho_to_mi(", "round("])
    }
}
