import Foundation
@testable import MIPlot

/// A gnuplot stand-in: records its jobs and behaves as told, without
/// running anything.
final class FakeRunner: GnuplotRunner, @unchecked Sendable {
    enum Behaviour {
        /// Write half an image to the requested output, then fail.
        case writePartialThenFail
        /// Fail without writing.
        case fail
        /// Succeed without writing anything.
        case succeedWithoutOutput
        /// Write `bytes` to the output and succeed, printing `stdout`.
        case succeed(bytes: Data, stdout: String)
        /// Succeed for the first `n` runs (writing `bytes`), then write half
        /// an image and fail.
        case failAfter(Int, bytes: Data)
    }

    let behaviour: Behaviour
    private let lock = NSLock()
    private var recorded: [GnuplotJob] = []

    init(_ behaviour: Behaviour) { self.behaviour = behaviour }

    var jobs: [GnuplotJob] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    func run(_ job: GnuplotJob) throws -> Data {
        lock.lock()
        recorded.append(job)
        let count = recorded.count
        lock.unlock()
        let output = Self.outputName(of: job).map { job.directory.appendingPathComponent($0) }
        let failure = PlotError.gnuplotFailed(GnuplotFailure(status: 1, stderr: "fake failure", script: job.scriptFile,
                                                             scriptText: ""))
        switch behaviour {
        case .writePartialThenFail:
            if let output { try Data([0x89, 0x50, 0x4E, 0x47]).write(to: output) }
            throw failure
        case .fail:
            throw failure
        case .succeedWithoutOutput:
            return Data()
        case .succeed(let bytes, let stdout):
            if let output { try bytes.write(to: output) }
            return Data(stdout.utf8)
        case .failAfter(let n, let bytes):
            if count <= n {
                if let output { try bytes.write(to: output) }
                return Data()
            }
            if let output { try Data([0x89, 0x50]).write(to: output) }
            throw failure
        }
    }

    /// The file named by the job's `output` variable (`'name.png'`).
    static func outputName(of job: GnuplotJob) -> String? {
        guard let v = job.variables.first(where: { $0.name == "output" }) else { return nil }
        let name = v.expression.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        return name.isEmpty ? nil : name
    }
}
