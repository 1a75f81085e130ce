import Foundation
import MIEngine

/// Which build of `mi` is running: the digest of its executable's bytes.
///
/// Cached runs are keyed on it, so a rebuilt `mi` never replays what an
/// older one computed: any change to the code, the compiler or the flags
/// changes the bytes. (A version number that someone must remember to bump
/// cannot promise that.) The executable is read once per process, about
/// 15 MB, in a few tens of milliseconds.
public enum BuildIdentity {
    /// 32 hexadecimal digits; when the executable cannot be read, a value
    /// unique to this process, so nothing is replayed across processes.
    public static let digest: String = {
        for path in candidates() {
            if let data = FileManager.default.contents(atPath: path), !data.isEmpty {
                var digest = ContentDigest()
                data.withUnsafeBytes { digest.update($0) }
                return digest.finish()
            }
        }
        return "unreadable-" + UUID().uuidString
    }()

    private static func candidates() -> [String] {
        var paths = ["/proc/self/exe"]
        if let executable = Bundle.main.executablePath { paths.append(executable) }
        paths.append(CommandLine.arguments[0])
        return paths
    }
}
