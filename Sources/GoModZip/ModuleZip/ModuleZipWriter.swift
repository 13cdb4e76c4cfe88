import GoModCore
import GoModPlatform
import Crypto

/// Where a module zip's bytes go: memory, or a file descriptor through a fixed buffer.
final class ZipSink {
    enum Target { case memory, file(Int32, String) }

    private let target: Target
    private(set) var bytes: [UInt8] = []
    private var buffer: [UInt8] = []
    /// Bytes written so far (the next record's offset).
    private(set) var offset: UInt64 = 0

    init(_ target: Target) {
        self.target = target
        if case .file = target { buffer.reserveCapacity(Self.bufferSize) }
    }

    private static let bufferSize = 1 << 18

    func write(_ data: UnsafeRawBufferPointer) throws(ModuleZipError) {
        offset += UInt64(data.count)
        switch target {
        case .memory:
            bytes.append(contentsOf: data)
        case .file(let fd, let name):
            if buffer.count + data.count > Self.bufferSize { try flush() }
            if data.count >= Self.bufferSize {
                try writeAll(fd, name, data)
            } else {
                buffer.append(contentsOf: data)
            }
        }
    }

    func write(_ data: [UInt8]) throws(ModuleZipError) {
        var failure: ModuleZipError?
        data.withUnsafeBytes { raw in
            do throws(ModuleZipError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    func flush() throws(ModuleZipError) {
        guard case .file(let fd, let name) = target, !buffer.isEmpty else { return }
        var failure: ModuleZipError?
        buffer.withUnsafeBytes { raw in
            do throws(ModuleZipError) { try writeAll(fd, name, raw) } catch { failure = error }
        }
        buffer.removeAll(keepingCapacity: true)
        if let failure { throw failure }
    }

    private func writeAll(_ fd: Int32, _ name: String, _ data: UnsafeRawBufferPointer) throws(ModuleZipError) {
        do throws(SystemErrno) { try writeFully(fd, data) } catch {
            throw ModuleZipError.system("write \(name)", error.code)
        }
    }
}

/// Writes a module zip exactly in the shape x/mod's `zip.Create` (Go's `archive/zip` writer)
/// produces: one deflated entry per file in the given order, flag bit 3 with a signed data
/// descriptor after each entry, bit 11 when Go's `detectUTF8` requires it, DOS time and date 0,
/// version made by and needed 20 (host 0), no extra fields, no comments, no directory entries;
/// ZIP64 end records only when the entry count needs them (as Go writes them).
///
/// Without a sink it writes nothing and only hashes: the `h1:` of the zip it would write is
/// computed from the same bytes either way. Memory is bounded by fixed buffers plus the central
/// directory (about 46 bytes plus the name per file).
final class ModuleZipWriter {
    private let sink: ZipSink?
    private let deflater: Deflater?
    private var central: [UInt8] = []
    private var count = 0
    /// Names and content digests, for the `h1:` summary.
    private(set) var digests: [(name: ByteString, fileDigest: [UInt8])] = []

    /// A writer into `sink` (nil: hash only) with zlib compression `level`.
    init(sink: ZipSink?, level: Int32) throws(ModuleZipError) {
        self.sink = sink
        self.deflater = sink == nil ? nil : try Deflater(level: level)
    }

    /// Adds one file: reads at most `size + 1` bytes of `content` (x/mod's `LimitedReader`) and
    /// fails if that many came (`file "p" is larger than declared size`). `name` is the entry
    /// name (with the module prefix), `path` the file's path for messages.
    func add(name: [UInt8], path: [UInt8], content: ModuleZip.Content, size: Int64) throws(ModuleZipError) {
        let headerOffset = sink?.offset ?? 0
        let flags: UInt16 = 0x0008 | (Self.requiresUTF8Flag(name) ? 0x0800 : 0)
        guard name.count <= 0xFFFF else {
            throw ModuleZipError(.tooManyFiles, message: "file name longer than 65535 bytes", path: ByteString(path))
        }
        if let sink {
            var local: [UInt8] = []
            local.reserveCapacity(30 + name.count)
            Self.put32(&local, 0x0403_4B50)
            Self.put16(&local, 20)          // version needed
            Self.put16(&local, flags)
            Self.put16(&local, 8)           // deflate
            Self.put16(&local, 0)           // time
            Self.put16(&local, 0)           // date
            Self.put32(&local, 0)           // CRC-32: in the descriptor
            Self.put32(&local, 0)           // compressed size
            Self.put32(&local, 0)           // uncompressed size
            Self.put16(&local, UInt16(name.count))
            Self.put16(&local, 0)           // extra length
            local += name
            try sink.write(local)
            try deflater?.reset()
        }

        var hasher = SHA256()
        var crc = CRC32.initial
        var read: Int64 = 0
        var compressed: UInt64 = 0
        var failure: ModuleZipError?
        let sink = self.sink, deflater = self.deflater
        let limit = size < Int64.max ? size + 1 : size
        try ModuleZip.stream(content, limit: limit) { chunk in
            guard failure == nil else { return }
            read += Int64(chunk.count)
            hasher.update(bufferPointer: chunk)
            guard let sink, let deflater else { return }
            crc = CRC32.update(crc, chunk)
            do throws(ModuleZipError) {
                try deflater.compress(chunk, finish: false) { (out) throws(ModuleZipError) in
                    compressed += UInt64(out.count)
                    try sink.write(out)
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        if read > size {
            throw ModuleZipError(.fileChanged, message: "file \(goQuote(path)) is larger than declared size",
                                 path: ByteString(path))
        }
        digests.append((ByteString(name), Array(hasher.finalize())))
        count += 1
        guard let sink, let deflater else { return }
        try deflater.compress(UnsafeRawBufferPointer(start: nil, count: 0), finish: true) { (out) throws(ModuleZipError) in
            compressed += UInt64(out.count)
            try sink.write(out)
        }
        let usize = UInt64(read)
        guard compressed < 0xFFFF_FFFF, usize < 0xFFFF_FFFF, headerOffset < 0xFFFF_FFFF else {
            // Unreachable within the 500 MiB module limits; Go would switch to ZIP64 here.
            throw ModuleZipError(.moduleTooLarge, message: "module zip entry too large for a 32-bit zip")
        }
        var descriptor: [UInt8] = []
        Self.put32(&descriptor, 0x0807_4B50)
        Self.put32(&descriptor, crc)
        Self.put32(&descriptor, UInt32(compressed))
        Self.put32(&descriptor, UInt32(usize))
        try sink.write(descriptor)

        Self.put32(&central, 0x0201_4B50)
        Self.put16(&central, 20)        // version made by (host 0, MS-DOS)
        Self.put16(&central, 20)        // version needed
        Self.put16(&central, flags)
        Self.put16(&central, 8)
        Self.put16(&central, 0)
        Self.put16(&central, 0)
        Self.put32(&central, crc)
        Self.put32(&central, UInt32(compressed))
        Self.put32(&central, UInt32(usize))
        Self.put16(&central, UInt16(name.count))
        Self.put16(&central, 0)         // extra
        Self.put16(&central, 0)         // comment
        Self.put16(&central, 0)         // disk
        Self.put16(&central, 0)         // internal attributes
        Self.put32(&central, 0)         // external attributes
        Self.put32(&central, UInt32(headerOffset))
        central += name
    }

    /// Writes the central directory and the end records (Go's `Writer.Close`).
    func finish() throws(ModuleZipError) {
        guard let sink else { return }
        let start = sink.offset
        try sink.write(central)
        var records = UInt64(count)
        var cdSize = UInt64(central.count)
        var cdOffset = start
        var end: [UInt8] = []
        if records >= 0xFFFF || cdSize >= 0xFFFF_FFFF || cdOffset >= 0xFFFF_FFFF {
            let zip64End = sink.offset
            Self.put32(&end, 0x0606_4B50)
            Self.put64(&end, 56 - 12)
            Self.put16(&end, 45)
            Self.put16(&end, 45)
            Self.put32(&end, 0)
            Self.put32(&end, 0)
            Self.put64(&end, records)
            Self.put64(&end, records)
            Self.put64(&end, cdSize)
            Self.put64(&end, cdOffset)
            Self.put32(&end, 0x0706_4B50)
            Self.put32(&end, 0)
            Self.put64(&end, zip64End)
            Self.put32(&end, 1)
            records = 0xFFFF
            cdSize = 0xFFFF_FFFF
            cdOffset = 0xFFFF_FFFF
        }
        Self.put32(&end, 0x0605_4B50)
        Self.put16(&end, 0)
        Self.put16(&end, 0)
        Self.put16(&end, UInt16(records))
        Self.put16(&end, UInt16(records))
        Self.put32(&end, UInt32(cdSize))
        Self.put32(&end, UInt32(cdOffset))
        Self.put16(&end, 0)
        try sink.write(end)
        try sink.flush()
    }

    /// Go's `detectUTF8` rule for flag bit 11: the name is valid UTF-8 and has a rune below
    /// 0x20, above 0x7D, or `\`.
    static func requiresUTF8Flag(_ name: [UInt8]) -> Bool {
        var decoder = UTF8ByteDecoder(bytes: name)
        var require = false
        while let (rune, _, valid) = decoder.next() {
            if rune < 0x20 || rune > 0x7D || rune == 0x5C {
                guard valid else { return false }
                require = true
            }
        }
        return require
    }

    static func put16(_ out: inout [UInt8], _ v: UInt16) {
        out.append(UInt8(truncatingIfNeeded: v))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    static func put32(_ out: inout [UInt8], _ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    static func put64(_ out: inout [UInt8], _ v: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }
}
