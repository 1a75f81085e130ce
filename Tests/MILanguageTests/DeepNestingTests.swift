import Foundation
import XCTest
import MILanguage

/// Deep structures of every shape the grammar has: each is refused with a
/// positioned error when too deep (never a stack overflow), and the deepest
/// one accepted goes through every phase (parse, resolve, run, formatting,
/// the cache's JSON and canonical text) on a 512 KiB thread stack, a
/// sixteenth of the 8 MiB main thread that the REPL and the notebook runner
/// use.
final class DeepNestingTests: XCTestCase {
    /// Stack of the thread the programs run on. Unoptimised code keeps
    /// every temporary in its own stack slot (the parser's `primary` alone
    /// takes 5 KiB per level), so a debug build gets eight times as much.
    #if DEBUG
    static let stackSize = 4 << 20
    #else
    static let stackSize = 512 << 10
    #endif

    /// Programs of nesting `n`, by shape.
    static let shapes: [(name: String, program: @Sendable (Int) -> String)] = [
        ("parentheses", { "print " + String(repeating: "(", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("lists", { "print " + String(repeating: "[", count: $0) + "1" + String(repeating: "]", count: $0) }),
        ("negations", { "print " + String(repeating: "-", count: $0) + "1" }),
        ("nots", { "print " + String(repeating: "not ", count: $0) + "true" }),
        ("powers", { "print 1" + String(repeating: "^1", count: $0) }),
        ("negative powers", { "print 1" + String(repeating: "^-1", count: $0) }),
        ("bracketed powers", { "print 1" + String(repeating: "^(1", count: $0) + String(repeating: ")", count: $0) }),
        ("calls", { "print " + String(repeating: "abs(", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("sums", { "print 1" + String(repeating: " + 1", count: $0) }),
        ("products of sums", { "print " + String(repeating: "2 * (1 + ", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("comparisons", { "print " + String(repeating: "(1 == ", count: $0) + "1" + String(repeating: ")", count: $0) }),
        ("conjunctions", { "print true" + String(repeating: " and true", count: $0) }),
        ("disjunctions", { "print " + String(repeating: "(false or ", count: $0) + "true" + String(repeating: ")", count: $0) }),
        ("indexing", { "print " + String(repeating: "[", count: $0) + "1" + String(repeating: "]", count: $0)
                         + String(repeating: "[0]", count: $0) }),
        ("nested lists", { "x = " + String(repeating: "[", count: $0) + "1, 2" + String(repeating: "]", count: $0)
                             + "\nprint x, x == x, len(x), [x, x][1]\ntable x" }),
        ("ranges", { "print " + String(repeating: "[", count: $0) + "1..3" + String(repeating: "]", count: $0) }),
        ("options", { "estimate nce critic=optimal steps=1 batch=" + String(repeating: "(1 + ", count: $0) + "3"
                        + String(repeating: ")", count: $0) }),
        ("sweeps", { "estimate nce critic=optimal steps=1 batch=[" + String(repeating: "(", count: $0) + "3"
                       + String(repeating: ")", count: $0) + ", 4]" }),
        ("fields", { "r = estimate nce critic=optimal steps=1 batch=4\nprint r" + String(repeating: ".final", count: $0) }),
        ("nested commands", { "print " + String(repeating: "(estimate ", count: $0) + "nce critic=optimal steps=1 batch=4"
                                + String(repeating: ")", count: $0) }),
    ]

    func testTooDeepIsAPositionedErrorAndTheDeepestAcceptedRuns() throws {
        var report: [String] = []
        for (name, program) in DeepNestingTests.shapes {
            let (deepest, problems) = DeepNestingTests.onSmallStack { () -> (Int, [String]) in
                var problems: [String] = []
                // Far too deep: refused with an error on the first line.
                let huge = program(20_000)
                let d = Session(observer: CollectingObserver()).check(SourceFile(name: "deep.mi", text: huge)).diagnostics
                if d.isEmpty { problems.append("\(name): 20000 levels were accepted") }
                if let bad = d.first(where: { $0.range == nil || $0.lineText == nil }) {
                    problems.append("\(name): an error without a position: \(bad.message)")
                }
                // The deepest accepted: every phase.
                let deepest = DeepNestingTests.deepestAccepted(program)
                if deepest > 0 { problems += DeepNestingTests.runEveryPhase(program(deepest)).map { "\(name) at \(deepest): \($0)" } }
                return (deepest, problems)
            }
            report.append("\(name) \(deepest)")
            for p in problems { XCTFail(p) }
        }
        print("deepest accepted: " + report.joined(separator: ", "))
    }

    /// The 20,000-caret chain of issue 11, which overflowed the parser's stack.
    func testAPowerChainCountsEveryCaret() {
        let text = "print 1" + String(repeating: "^1", count: 20_000)
        let d = Session(observer: CollectingObserver()).check(SourceFile(name: "t.mi", text: text)).diagnostics
        XCTAssertEqual(d.map(\.message),
                       ["too many nested brackets or operators (the limit is \(Parser.maxDepth)); split the expression with 'let'"])
        XCTAssertEqual(d.first?.range?.start.line, 1)
    }

    // MARK: Helpers

    /// The largest n up to 400 whose program is accepted with every smaller one.
    static func deepestAccepted(_ program: @Sendable (Int) -> String) -> Int {
        var n = 0
        while n < 400 {
            let text = program(n + 1)
            if !Session(observer: CollectingObserver()).check(SourceFile(name: "deep.mi", text: text)).diagnostics.isEmpty { break }
            n += 1
        }
        return n
    }

    /// Runs `text` and everything done with its outputs; returns what went wrong.
    static func runEveryPhase(_ text: String) -> [String] {
        let observer = CollectingObserver()
        let session = Session(observer: observer)
        let source = SourceFile(name: "deep.mi", text: text)
        let (statements, resolution, _) = session.check(source)
        _ = Dependencies(statements, resolution: resolution)
        var problems: [String] = []
        do {
            try session.run(source)
        } catch is Diagnostic {
            // A runtime failure with its position is fine (`1^-1` chains divide by zero in no case, but sums may overflow).
        } catch {
            problems.append("ran with an error that is not a diagnostic: \(error)")
        }
        for output in observer.outputs {
            _ = Format.text(output, timing: false)
            if let problem = CacheCoding.roundTrip(output) { problems.append(problem) }
        }
        return problems
    }

    /// Runs `body` on a thread with a `stackSize` stack and waits for it.
    static func onSmallStack<T>(_ body: @escaping @Sendable () -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return box.value!
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
