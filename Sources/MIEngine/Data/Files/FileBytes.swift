#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

// How a loader gets the bytes of a file: read whole from disk (checked to
// be a regular file of a size that fits), digested on the way, then
// decompressed when gzip-compressed.

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Musl)
private let systemRead = Musl.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif

/// A file's bytes with the stamp of what was read.
struct FileContents {
    var bytes: [UInt8]
    var stamp: DataFileStamp
}

/// Reads whole files as bytes, reporting the operating system's reason on
/// failure (`No such file or directory`, `Permission denied`, ...), which
/// Foundation's `FileManager.contents(atPath:)` would swallow.
///
/// Only regular files are read: a directory, a FIFO (which would block
/// until someone writes), a device such as /dev/zero (endless) or a socket
/// is refused before any byte is read. So is a file larger than half the
/// memory this machine has free (the loaders hold the bytes and the
/// numbers parsed from them at once), or than `maximumSize`.
enum FileBytes {
    /// The largest file read at all, whatever the free memory.
    static let maximumSize = 64 << 30

    /// The contents of the file at `path`.
    static func read(_ path: String) throws(DataFileError) -> [UInt8] {
        try readStamped(path).bytes
    }

    /// The contents of the file at `path` and their stamp.
    static func readStamped(_ path: String) throws(DataFileError) -> FileContents {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            var error = DataFileError(file: path, "cannot open the file: \(reason(errno))")
            error.isInputOutput = true
            throw error
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            var error = DataFileError(file: path, "cannot read the file: \(reason(errno))")
            error.isInputOutput = true
            throw error
        }
        if let kind = kind(of: info.st_mode) {
            var error = DataFileError(file: path, "expected a regular file, found \(kind)")
            error.isInputOutput = true
            throw error
        }
        let size = Int(info.st_size)
        try checkSize(size, file: path, what: "the file is")
        var out = [UInt8](repeating: 0, count: size)
        var digest = ContentDigest()
        var filled = 0
        let failure: Int32? = out.withUnsafeMutableBytes { buffer in
            while filled < size {
                let n = systemRead(fd, buffer.baseAddress! + filled, Swift.min(size - filled, 1 << 20))
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return errno
                }
                if n == 0 { break }    // the file shrank while being read
                digest.update(UnsafeRawBufferPointer(rebasing: buffer[filled..<(filled + n)]))
                filled += n
            }
            return nil
        }
        if let failure {
            var error = DataFileError(file: path, "cannot read the file: \(reason(failure))")
            error.isInputOutput = true
            throw error
        }
        if filled < size { out.removeLast(size - filled) }
        return FileContents(bytes: out, stamp: DataFileStamp(path: path, size: filled, digest: digest.finish()))
    }

    /// What a file that is not regular is, for the message; nil for a regular file.
    static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "something other than a file"
        }
    }

    /// Refuses `size` bytes (of a file, or of decompressed data) beyond
    /// `maximumSize` or half the free memory.
    static func checkSize(_ size: Int, file: String, what: String) throws(DataFileError) {
        let free = SystemMemory.available()
        let limit = Swift.min(maximumSize, free.map { $0 / 2 } ?? maximumSize)
        guard size > limit else { return }
        let why = size > maximumSize
            ? "more than the \(SystemMemory.describe(maximumSize)) a data file may have"
            : "more than half the memory this machine has free (data files are read whole)"
        throw DataFileError(file: file, "\(what) \(SystemMemory.describe(size)), \(why)")
    }

    /// The C library's text for an errno value.
    static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// gzip (RFC 1952) through the system zlib.
enum Gzip {
    /// Whether `bytes` start with the gzip magic number 1f 8b.
    static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// What a single inflate pass ended with.
    private enum Outcome {
        case done
        case failed(String)
    }

    /// The decompressed contents of a gzip file (several concatenated gzip
    /// members are decompressed one after another, as `gunzip` does).
    /// Corrupt or truncated input is a `DataFileError` naming `file`.
    static func decompress(_ input: [UInt8], file: String) throws(DataFileError) -> [UInt8] {
        guard input.count <= Int(UInt32.max) else {
            throw DataFileError(file: file, "the compressed file is too large (over 4 GiB)")
        }
        // zlib keeps a pointer back to its z_stream, so the stream lives at a
        // fixed address rather than in a Swift variable.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard czlib_inflate_init_gzip(stream) == Z_OK else {
            throw DataFileError(file: file, "cannot start zlib to decompress the file")
        }
        defer { inflateEnd(stream) }
        let limit = Swift.min(FileBytes.maximumSize, SystemMemory.available().map { $0 / 2 } ?? FileBytes.maximumSize)
        var out: [UInt8] = []
        out.reserveCapacity(Swift.min(input.count * 2, limit))
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        let outcome: Outcome = input.withUnsafeBufferPointer { source in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.pointee.avail_in = UInt32(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.pointee.next_out = buffer.baseAddress
                    stream.pointee.avail_out = UInt32(buffer.count)
                    return inflate(stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.pointee.avail_out)
                out.append(contentsOf: chunk[0..<produced])
                if out.count > limit {
                    return .failed("the data decompresses to more than \(SystemMemory.describe(limit)), more than "
                                   + "half the memory this machine has free (data files are read whole)")
                }
                switch status {
                case Z_STREAM_END:
                    let consumed = source.count - Int(stream.pointee.avail_in)
                    if stream.pointee.avail_in == 0 { return .done }
                    // Another gzip member follows, or trailing garbage.
                    if source[consumed] == 0x1F && stream.pointee.avail_in >= 2 && source[consumed + 1] == 0x8B {
                        if inflateReset(stream) != Z_OK { return .failed("zlib could not restart") }
                        continue
                    }
                    return .failed("unexpected \(stream.pointee.avail_in) bytes after the end of the gzip data "
                                   + "(compressed byte \(consumed))")
                case Z_OK:
                    if produced == 0 && stream.pointee.avail_in == 0 { return truncated(out.count) }
                case Z_BUF_ERROR:
                    if stream.pointee.avail_in == 0 { return truncated(out.count) }
                    if produced == 0 { return .failed("zlib made no progress") }
                case Z_DATA_ERROR:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                    return .failed("corrupt gzip data (zlib: \(reason)) after \(out.count) decompressed bytes")
                case Z_MEM_ERROR:
                    return .failed("out of memory while decompressing")
                default:
                    return .failed("zlib error \(status) after \(out.count) decompressed bytes")
                }
            }
        }
        if case .failed(let message) = outcome { throw DataFileError(file: file, message) }
        return out
    }

    private static func truncated(_ produced: Int) -> Outcome {
        .failed("the gzip data is truncated: the compressed stream ends after \(produced) decompressed "
                + "bytes, before its end marker")
    }

    /// `bytes` compressed as one gzip member (tests write .gz files with it).
    static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard czlib_deflate_init_gzip(stream, level) == Z_OK else { return [] }
        defer { deflateEnd(stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        bytes.withUnsafeBufferPointer { source in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.pointee.avail_in = UInt32(source.count)
            var status = Z_OK
            while status == Z_OK || status == Z_BUF_ERROR {
                status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.pointee.next_out = buffer.baseAddress
                    stream.pointee.avail_out = UInt32(buffer.count)
                    return deflate(stream, Z_FINISH)
                }
                out.append(contentsOf: chunk[0..<(chunk.count - Int(stream.pointee.avail_out))])
            }
        }
        return out
    }
}
