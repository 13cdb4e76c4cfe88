/// Bounds-checked little-endian reads over a byte array: every read returns `nil` instead of
/// running past the end, and values are assembled with shifts (never host-endian loads).
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    /// Reads `bytes[start..<end]` (the whole array by default).
    init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.end = min(end ?? bytes.count, bytes.count)
        self.position = min(max(start, 0), self.end)
    }

    /// Bytes left to read.
    var remaining: Int { end - position }

    mutating func u8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { position += 2 }
        return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
    }

    mutating func u32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { position += 4 }
        return UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8
            | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24
    }

    mutating func u64() -> UInt64? {
        guard let low = u32(), let high = u32() else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    /// The next `count` bytes, or `nil` when fewer remain.
    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, remaining >= count else { return nil }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// Skips `count` bytes; `false` when fewer remain.
    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, remaining >= count else { return false }
        position += count
        return true
    }
}

/// Little-endian helpers for fixed positions in small record buffers.
extension Array where Element == UInt8 {
    /// The 32-bit little-endian value at `index`, or `nil` when it does not fit.
    func le32(at index: Int) -> UInt32? {
        var reader = ByteReader(self, start: index)
        guard index >= 0 else { return nil }
        return reader.u32()
    }

    /// The 16-bit little-endian value at `index`, or `nil` when it does not fit.
    func le16(at index: Int) -> UInt16? {
        var reader = ByteReader(self, start: index)
        guard index >= 0 else { return nil }
        return reader.u16()
    }
}

/// Sequential reads from a ``ByteSource`` through a fixed buffer, for walking the central
/// directory without loading it whole. Records larger than the buffer grow it to at most the
/// largest record size the format allows (46 + 3 × 65,535 bytes).
struct SourceCursor {
    let source: any ByteSource
    /// Absolute offset of the next unread byte.
    private(set) var offset: Int64
    /// Reads never go past this absolute offset.
    let limit: Int64
    private var buffer: [UInt8] = []
    private var bufferStart: Int64 = 0   // absolute offset of buffer[0]
    private let chunk: Int

    init(source: any ByteSource, offset: Int64, limit: Int64, chunk: Int = 64 * 1024) {
        self.source = source
        self.offset = offset
        self.limit = limit
        self.chunk = chunk
        self.bufferStart = offset
    }

    /// Bytes available before `limit`.
    var remaining: Int64 { max(0, limit - offset) }

    /// The next `count` bytes (count ≤ 262,144), or `nil` when the source or the limit ends
    /// first; advances only on success.
    mutating func take(_ count: Int) throws(ZipError) -> [UInt8]? {
        guard count >= 0, count <= 262_144 else { return nil }
        guard Int64(count) <= remaining else { return nil }
        let startInBuffer = Int(offset - bufferStart)
        if startInBuffer + count > buffer.count {
            // Refill: keep nothing consumed, read a new window starting at `offset`.
            let want = Int(min(Int64(max(chunk, count)), remaining))
            buffer = try source.bytes(at: offset, count: want)
            bufferStart = offset
            guard buffer.count >= count else { return nil }
            offset += Int64(count)
            return Array(buffer[0..<count])
        }
        offset += Int64(count)
        return Array(buffer[startInBuffer..<(startInBuffer + count)])
    }
}
