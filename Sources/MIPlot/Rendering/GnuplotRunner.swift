import Foundation

/// One run of gnuplot: a script file in a directory, with variables defined
/// before the script starts.
public struct GnuplotJob: Sendable, Equatable {
    /// The script's file name, relative to `directory`.
    public var scriptFile: String
    /// Where gnuplot runs: the script's relative paths (its data table, its
    /// output) resolve here.
    public var directory: URL
    /// Variables set before the script runs, as `(name, gnuplot expression)`
    /// in order; quote strings with `GnuplotText.quoted`.
    public var variables: [Variable]
    /// Seconds before gnuplot is stopped.
    public var timeout: Double

    /// A variable assignment `name = expression`.
    public struct Variable: Sendable, Equatable {
        /// The variable's name.
        public var name: String
        /// Its value, as gnuplot source text.
        public var expression: String
        /// An assignment; `expression` is gnuplot source text.
        public init(_ name: String, _ expression: String) {
            self.name = name
            self.expression = expression
        }
    }

    /// A job.
    public init(scriptFile: String, directory: URL, variables: [Variable] = [], timeout: Double = 60) {
        self.scriptFile = scriptFile
        self.directory = directory
        self.variables = variables
        self.timeout = timeout
    }

    /// The variables as one `-e` command: `format='png'; output='f.png'`.
    public var assignments: String {
        variables.map { "\($0.name) = \($0.expression)" }.joined(separator: "; ")
    }
}

/// Runs gnuplot. The renderer's only side effect besides files, kept behind
/// this protocol so tests can substitute a fake.
public protocol GnuplotRunner: Sendable {
    /// Runs `job` to completion and returns what gnuplot wrote to standard
    /// output (the drawing, for the `dumb` terminal without an output file).
    ///
    /// - Throws: `PlotError.gnuplotNotFound`, `.gnuplotFailed` (with stderr
    ///   and the script line at fault), or `.timedOut`.
    func run(_ job: GnuplotJob) throws -> Data
}

/// Runs the real gnuplot as a subprocess (`gnuplot -d -e VARIABLES SCRIPT`:
/// `-d` skips the user's `~/.gnuplot` so output does not depend on it).
public struct ProcessGnuplotRunner: GnuplotRunner {
    /// An explicit executable; `nil` searches `searchPath`.
    public var executable: String?
    /// The directories to search, `:`-separated; `nil` uses `PATH`.
    public var searchPath: String?

    /// A runner; by default it finds `gnuplot` on `PATH`.
    public init(executable: String? = nil, searchPath: String? = nil) {
        self.executable = executable
        self.searchPath = searchPath
    }

    /// The gnuplot executable this runner would use.
    ///
    /// - Throws: `PlotError.gnuplotNotFound`, whose message names the Debian
    ///   package to install.
    public func locate() throws -> String {
        let fm = FileManager.default
        if let executable {
            guard fm.isExecutableFile(atPath: executable) else {
                throw PlotError.gnuplotNotFound(searched: executable)
            }
            return executable
        }
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/gnuplot"
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw PlotError.gnuplotNotFound(searched: "PATH=" + path)
    }

    /// Runs gnuplot on `job`; see `GnuplotRunner.run(_:)`.
    public func run(_ job: GnuplotJob) throws -> Data {
        let executable = try locate()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        var arguments = ["-d"]
        if !job.variables.isEmpty { arguments += ["-e", job.assignments] }
        arguments.append(job.scriptFile)
        process.arguments = arguments
        process.currentDirectoryURL = job.directory
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err

        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw PlotError.gnuplotNotFound(searched: "\(executable) (could not start: \(error.localizedDescription))")
        }
        // Drain both pipes while gnuplot runs so it never blocks on a full pipe.
        let stdout = PipeReader(out.fileHandleForReading)
        let stderr = PipeReader(err.fileHandleForReading)

        if finished.wait(timeout: .now() + job.timeout) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
            throw PlotError.timedOut(seconds: job.timeout, stderr: stderr.text(wait: 1))
        }
        let output = stdout.data(wait: 10)
        let errors = stderr.text(wait: 10)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let scriptURL = job.directory.appendingPathComponent(job.scriptFile)
            let scriptText = (try? String(contentsOf: scriptURL, encoding: .utf8)) ?? ""
            throw PlotError.gnuplotFailed(GnuplotFailure(status: process.terminationStatus, stderr: errors,
                                                         script: job.scriptFile, scriptText: scriptText))
        }
        return output
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var collected = Data()

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            let data = handle.readDataToEndOfFile()
            self.lock.lock()
            self.collected = data
            self.lock.unlock()
            self.done.signal()
        }
    }

    /// What was read, waiting up to `seconds` for the end of the pipe.
    func data(wait seconds: Double) -> Data {
        if done.wait(timeout: .now() + seconds) == .success { done.signal() }
        lock.lock()
        defer { lock.unlock() }
        return collected
    }

    func text(wait seconds: Double) -> String {
        String(decoding: data(wait: seconds), as: UTF8.self)
    }
}
