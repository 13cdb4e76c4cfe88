/// Streams the decompressed content of ``ZipArchive/Entry`` values with fixed memory (Go's
/// `File.Open` plus its `checksumReader`).
///
/// A reader owns one zlib inflate stream and two fixed buffers (input and output, 256 KiB
/// each by default) and reuses them for every entry it reads (`inflateReset`, no per-entry or
/// per-chunk allocation). It is not `Sendable`: create one per thread. Several readers can
/// read different entries of the same ``ZipArchive`` at the same time.
///
/// A read succeeds only when the deflate stream ends (`Z_STREAM_END`) exactly at the declared
/// compressed size, exactly the declared uncompressed size came out (never more than one byte
/// past it is ever inflated) and the CRC-32 matches. Data already passed to `body` before an
/// error is not retracted: callers that write or hash must discard their result on error.
public final class ZipEntryReader {
    private var inflater: Inflater

    /// Creates a reader with input and output buffers of `bufferSize` bytes each.
    public init(bufferSize: Int = 256 * 1024) throws(ZipError) {
        inflater = try Inflater(inputSize: bufferSize, outputSize: bufferSize)
    }

    /// Streams `entry`'s content to `body`, chunk by chunk, then verifies it.
    ///
    /// Throws `.entryNotInArchive` when `entry` is not one of `archive.entries`; in Go-compatible
    /// mode, first throws any failure Go reports when opening the entry (unreadable local
    /// header, missing or mismatching data descriptor, directory declaring content). Directory
    /// entries produce no bytes (their data, if any, is still verified in strict mode).
    public func read(
        _ entry: ZipArchive.Entry, in archive: ZipArchive, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws(ZipError) {
        let entry = try archive.resolve(entry)
        if let error = entry.deferredError { throw error }
        if entry.isDirectory && (archive.mode == .goCompatible || entry.compressedSize == 0) {
            // Go never reads a directory's data (`dirReader`).
            guard entry.uncompressedSize == 0 else {
                throw ZipError(.directoryEntryWithData, entry: entry.name)
            }
            return
        }
        guard let dataOffset = entry.dataOffset else {
            throw ZipError(.truncatedEntry, entry: entry.name, offset: entry.localHeaderOffset,
                           detail: "local file header could not be read")
        }
        let crc = try inflater.stream(
            from: archive.source, at: dataOffset, method: entry.method,
            compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize,
            entry: entry.name, into: body)
        if entry.verifiesCRC, crc != entry.crc32 {
            throw ZipError(.crcMismatch, entry: entry.name,
                           detail: "content CRC-32 \(hex8(crc)), declared \(hex8(entry.crc32))")
        }
    }
}
