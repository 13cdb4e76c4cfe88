internal import CZlib

/// Owner of one zlib raw-deflate stream (`deflateInit2(level, Z_DEFLATED, -15, 8)`, zip method
/// 8) and of a fixed output buffer; streams entry data into a module zip with bounded memory.
///
/// The `z_stream` lives at a stable heap address (zlib keeps a pointer back to it) and is
/// reused across entries with `deflateReset`. Not `Sendable`: owned by one
/// ``ModuleZipWriter``. This is one of the few files allowed `unsafe` code, next to
/// the reader's `Inflater.swift`.
final class Deflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer

    /// Allocates the stream with zlib compression `level` (-1: zlib's default, 6, the level of
    /// Go's `flate.DefaultCompression`).
    init(level: Int32, outputSize: Int = 256 * 1024) throws(ModuleZipError) {
        switch makeZStream({ czlib_deflateInit2($0, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) }) {
        case .success(let stream): self.stream = stream
        case .failure(let status): throw ModuleZipError(.io, message: "deflateInit2 failed (\(status.code))")
        }
        self.output = .allocate(byteCount: max(outputSize, 4096), alignment: 16)
    }

    deinit {
        freeZStream(stream, end: { deflateEnd($0) })
        output.deallocate()
    }

    /// Prepares for a new entry.
    func reset() throws(ModuleZipError) {
        guard deflateReset(stream) == Z_OK else { throw ModuleZipError(.io, message: "deflateReset failed") }
    }

    /// Compresses `input` (all of it), passing compressed output to `sink`; with `finish`,
    /// also ends the deflate stream.
    func compress(_ input: UnsafeRawBufferPointer, finish: Bool,
                           _ sink: (UnsafeRawBufferPointer) throws(ModuleZipError) -> Void) throws(ModuleZipError) {
        var remaining = input
        repeat {
            // zlib takes at most UInt32.max bytes per call.
            let take = min(remaining.count, Int(UInt32.max / 2))
            let piece = UnsafeRawBufferPointer(rebasing: remaining[0..<take])
            remaining = UnsafeRawBufferPointer(rebasing: remaining[take...])
            let last = finish && remaining.isEmpty
            stream.pointee.next_in = piece.baseAddress.map {
                UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
            }
            stream.pointee.avail_in = UInt32(piece.count)
            while true {
                stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(output.count)
                let status = deflate(stream, last ? Z_FINISH : Z_NO_FLUSH)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw ModuleZipError(.io, message: "deflate failed (\(status))")
                }
                let produced = output.count - Int(stream.pointee.avail_out)
                if produced > 0 { try sink(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
                if last {
                    if status == Z_STREAM_END { break }
                } else if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 {
                    break
                }
            }
        } while !remaining.isEmpty
    }
}
