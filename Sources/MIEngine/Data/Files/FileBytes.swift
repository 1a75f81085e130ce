#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

// How a loader gets the bytes of a file: read whole from disk, then
// decompressed when gzip-compressed.

/// Reads whole files as bytes, reporting the operating system's reason on
/// failure (`No such file or directory`, `Permission denied`, ...), which
/// Foundation's `FileManager.contents(atPath:)` would swallow.
enum FileBytes {
    /// The contents of the file at `path`.
    static func read(_ path: String) throws(DataFileError) -> [UInt8] {
        guard let handle = fopen(path, "rb") else {
            var error = DataFileError(file: path, "cannot open the file: \(reason(errno))")
            error.isInputOutput = true
            throw error
        }
        defer { fclose(handle) }
        var out: [UInt8] = []
        // Size hint; directories and pipes fall through to the plain loop.
        if fseek(handle, 0, SEEK_END) == 0 {
            let size = ftell(handle)
            if size > 0 { out.reserveCapacity(Int(size)) }
            rewind(handle)
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if n > 0 { out.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(handle) != 0 {
                    var error = DataFileError(file: path, "cannot read the file: \(reason(errno))")
                    error.isInputOutput = true
                    throw error
                }
                break
            }
        }
        return out
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
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 2)
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
