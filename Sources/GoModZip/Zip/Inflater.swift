import GoModCore
internal import CZlib

/// Owner of one zlib raw-inflate stream (`inflateInit2(-15)`, zip method 8) and of the two
/// fixed buffers entry data flows through.
///
/// The `z_stream` lives at a stable heap address (zlib keeps a pointer back to it) and is
/// reused across entries with `inflateReset`, so reading many small files costs no zlib
/// set-up. Memory is fixed at creation: nothing here is sized from a declared value.
/// Not copyable, not `Sendable`: one per thread, owned by a ``ZipEntryReader``.
struct Inflater: ~Copyable {
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer
    private var used = false

    /// Allocates the stream and the buffers.
    init(inputSize: Int, outputSize: Int) throws(ZipError) {
        switch makeZStream({ czlib_inflateInit2($0, -15) }) {
        case .success(let stream): self.stream = stream
        case .failure(let status): throw ZipError(.inflateError, detail: "inflateInit2 failed (\(status.code))")
        }
        self.input = .allocate(byteCount: max(inputSize, 4096), alignment: 16)
        self.output = .allocate(byteCount: max(outputSize, 4096), alignment: 16)
    }

    deinit {
        freeZStream(stream, end: { inflateEnd($0) })
        input.deallocate()
        output.deallocate()
    }

    /// Streams one entry's content to `sink` in chunks of at most the output buffer size and
    /// returns the CRC-32 of everything delivered.
    ///
    /// Stored data (method 0) is copied; deflate data (method 8) is inflated. Succeeds only
    /// when exactly `compressedSize` input bytes were consumed, the deflate stream ended
    /// (`Z_STREAM_END`) and exactly `uncompressedSize` bytes came out; never produces more
    /// than `uncompressedSize + 1` bytes, whatever the stream says.
    mutating func stream(
        from source: any ByteSource, at dataOffset: Int64, method: UInt16,
        compressedSize: Int64, uncompressedSize: Int64, entry: ByteString,
        into sink: (UnsafeRawBufferPointer) -> Void
    ) throws(ZipError) -> UInt32 {
        switch method {
        case 0:
            return try copyStored(from: source, at: dataOffset, size: compressedSize,
                                  declared: uncompressedSize, entry: entry, into: sink)
        case 8:
            return try inflate(from: source, at: dataOffset, compressedSize: compressedSize,
                               uncompressedSize: uncompressedSize, entry: entry, into: sink)
        default:
            throw ZipError(.unsupportedMethod(method), entry: entry)
        }
    }

    private func copyStored(
        from source: any ByteSource, at offset: Int64, size: Int64, declared: Int64,
        entry: ByteString, into sink: (UnsafeRawBufferPointer) -> Void
    ) throws(ZipError) -> UInt32 {
        guard size == declared else {
            throw ZipError(.sizeMismatch, entry: entry, offset: offset,
                           detail: "stored entry with compressed size \(size) and uncompressed size \(declared)")
        }
        var crc = CRC32.initial
        var position = offset
        var remaining = size
        while remaining > 0 {
            let want = Int(min(remaining, Int64(output.count)))
            let chunk = UnsafeMutableRawBufferPointer(rebasing: output[0..<want])
            let got = try source.read(at: position, into: chunk)
            if got > 0 {
                let delivered = UnsafeRawBufferPointer(rebasing: output[0..<got])
                crc = CRC32.update(crc, delivered)
                sink(delivered)
            }
            guard got == want else {
                throw ZipError(.truncatedEntry, entry: entry, offset: position + Int64(got),
                               detail: "file ends inside the entry's data")
            }
            position += Int64(got)
            remaining -= Int64(got)
        }
        return crc
    }

    private mutating func inflate(
        from source: any ByteSource, at offset: Int64, compressedSize: Int64,
        uncompressedSize: Int64, entry: ByteString, into sink: (UnsafeRawBufferPointer) -> Void
    ) throws(ZipError) -> UInt32 {
        if used {
            guard inflateReset(stream) == Z_OK else {
                throw ZipError(.inflateError, entry: entry, detail: "inflateReset failed")
            }
        }
        used = true
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0

        let inputBase = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        let outputBase = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        var crc = CRC32.initial
        var position = offset
        var inputLeft = compressedSize           // not yet read from the source
        var produced: Int64 = 0
        // Never ask zlib for more than one byte past the declared size.
        let (limit, limitOverflow) = uncompressedSize.addingReportingOverflow(1)
        let outputLimit = limitOverflow ? Int64.max : limit

        while true {
            if stream.pointee.avail_in == 0 && inputLeft > 0 {
                let want = Int(min(inputLeft, Int64(input.count)))
                let got = try source.read(at: position, into: UnsafeMutableRawBufferPointer(rebasing: input[0..<want]))
                guard got == want else {
                    throw ZipError(.truncatedEntry, entry: entry, offset: position + Int64(got),
                                   detail: "file ends inside the entry's compressed data")
                }
                stream.pointee.next_in = inputBase
                stream.pointee.avail_in = UInt32(got)
                position += Int64(got)
                inputLeft -= Int64(got)
            }
            let room = Int(min(Int64(output.count), outputLimit - produced))
            stream.pointee.next_out = outputBase
            stream.pointee.avail_out = UInt32(room)
            let availableBefore = stream.pointee.avail_in
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            let have = room - Int(stream.pointee.avail_out)
            if have > 0 {
                produced += Int64(have)
                guard produced <= uncompressedSize else {
                    throw ZipError(.sizeMismatch, entry: entry,
                                   detail: "inflates to more than the declared \(uncompressedSize) bytes")
                }
                let chunk = UnsafeRawBufferPointer(start: output.baseAddress, count: have)
                crc = CRC32.update(crc, chunk)
                sink(chunk)
            }
            switch status {
            case Z_STREAM_END:
                let unused = Int64(stream.pointee.avail_in) + inputLeft
                guard unused == 0 else {
                    throw ZipError(.trailingCompressedData, entry: entry,
                                   detail: "\(unused) bytes after the final deflate block")
                }
                guard produced == uncompressedSize else {
                    throw ZipError(.truncatedEntry, entry: entry,
                                   detail: "inflated \(produced) bytes, declared \(uncompressedSize)")
                }
                return crc
            case Z_OK, Z_BUF_ERROR:
                if stream.pointee.avail_in == 0 && inputLeft == 0 && have == 0 {
                    throw ZipError(.truncatedEntry, entry: entry,
                                   detail: "deflate stream ends before its final block")
                }
                if status == Z_BUF_ERROR && have == 0 && stream.pointee.avail_in == availableBefore
                    && stream.pointee.avail_in > 0 {
                    throw ZipError(.inflateError, entry: entry, detail: "inflate made no progress")
                }
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw ZipError(.inflateError, entry: entry, detail: message)
            }
        }
    }
}
