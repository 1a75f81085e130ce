#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory this process can still use.
public enum SystemMemory {
    /// Bytes available for new allocations without swapping: the kernel's
    /// `MemAvailable` (/proc/meminfo), or free physical pages where that
    /// file is missing, lowered to what a cgroup memory limit leaves
    /// (containers); nil when none of these can be read.
    public static func available() -> Int? {
        var best = memAvailable() ?? physicalAvailable()
        if let room = cgroupRoom() { best = min(best ?? room, room) }
        return best
    }

    /// A byte count for messages: `1.5 GiB`, `320 MiB`.
    public static func describe(_ bytes: Int) -> String {
        let gib = Double(bytes) / Double(1 << 30)
        if gib >= 1 { return "\(Double((gib * 10).rounded()) / 10) GiB" }
        return "\(Int((Double(bytes) / Double(1 << 20)).rounded(.up))) MiB"
    }

    /// MemAvailable in bytes.
    static func memAvailable() -> Int? {
        guard let text = readSmallFile("/proc/meminfo") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
        }
        return nil
    }

    static func physicalAvailable() -> Int? {
        let pages = sysconf(Int32(_SC_AVPHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages * size : nil
    }

    /// memory.max - memory.current of this process's cgroup (v2), when limited.
    static func cgroupRoom() -> Int? {
        func number(_ path: String) -> Int? {
            readSmallFile(path)?.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) }
        }
        // "max" (no limit) is not a number.
        guard let limit = number("/sys/fs/cgroup/memory.max"), let used = number("/sys/fs/cgroup/memory.current")
        else { return nil }
        return max(0, limit - used)
    }

    /// The contents of a small text file (procfs, sysfs), or nil.
    static func readSmallFile(_ path: String) -> String? {
        guard let handle = fopen(path, "r") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
