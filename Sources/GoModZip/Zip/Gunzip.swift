import GoModCore

/// The content of a single-member gzip file (RFC 1952), as Go's `compress/gzip` reader gives
/// it: the header (`1f 8b`, method 8, optional FEXTRA, FNAME, FCOMMENT and FHCRC fields), the
/// raw deflate stream, then the trailer's CRC-32 and length checked against what came out.
///
/// Bounded: nothing is allocated from a declared size beyond `limit`; a stream that inflates
/// past `limit` or past the trailer's length fails. Go also reads further members concatenated
/// after the first (`Reader.Multistream`); those are refused here (`trailingCompressedData`):
/// the Go vulnerability database's `.json.gz` files have one member.
///
/// - Throws: ``ZipError`` (`notAZip` for a bad header, `entryTooLarge` past `limit`,
///   `truncatedEntry`, `sizeMismatch`, `crcMismatch`, `inflateError`, `trailingCompressedData`),
///   naming `name`.
package func gunzip(_ data: [UInt8], limit: Int, name: String) throws(ZipError) -> [UInt8] {
    let entry = ByteString(name)
    // ID1 ID2 CM FLG MTIME(4) XFL OS, then the trailer CRC32 ISIZE: at least 18 bytes.
    guard data.count >= 18, data[0] == 0x1F, data[1] == 0x8B else {
        throw ZipError(.notAZip, entry: entry, detail: "gzip: invalid header")
    }
    guard data[2] == 8 else { throw ZipError(.notAZip, entry: entry, detail: "gzip: unsupported compression method \(data[2])") }
    let flags = data[3]
    guard flags & 0xE0 == 0 else { throw ZipError(.notAZip, entry: entry, detail: "gzip: reserved header flags set") }
    var at = 10
    let end = data.count - 8
    // Go's `readString`: a name or comment with its terminating zero fits the reader's 512-byte
    // buffer, else `ErrHeader`.
    func skipZeroTerminated() throws(ZipError) {
        let start = at
        while at < end, data[at] != 0 {
            at += 1
            guard at - start < 512 else { throw ZipError(.notAZip, entry: entry, detail: "gzip: header field longer than 511 bytes") }
        }
        guard at < end else { throw ZipError(.truncatedEntry, entry: entry, detail: "gzip: header field without its terminating zero") }
        at += 1
    }
    if flags & 0x04 != 0 {
        guard at + 2 <= end else { throw ZipError(.truncatedEntry, entry: entry, detail: "gzip: truncated extra field") }
        let length = Int(data[at]) | Int(data[at + 1]) << 8
        at += 2
        guard at + length <= end else { throw ZipError(.truncatedEntry, entry: entry, detail: "gzip: truncated extra field") }
        at += length
    }
    if flags & 0x08 != 0 { try skipZeroTerminated() }
    if flags & 0x10 != 0 { try skipZeroTerminated() }
    if flags & 0x02 != 0 {
        guard at + 2 <= end else { throw ZipError(.truncatedEntry, entry: entry, detail: "gzip: truncated header CRC") }
        // The low 16 bits of the CRC-32 of the header bytes before it (RFC 1952 2.3.1; Go's
        // `readHeader` checks it, `ErrHeader`).
        let digest = UInt16(data[at]) | UInt16(data[at + 1]) << 8
        guard digest == UInt16(truncatingIfNeeded: CRC32.checksum(data[0..<at])) else {
            throw ZipError(.notAZip, entry: entry, detail: "gzip: header CRC mismatch")
        }
        at += 2
    }
    func le32(_ i: Int) -> UInt32 { UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24 }
    let expectedCRC = le32(end)
    let size = Int64(le32(end + 4))
    guard size <= Int64(limit) else {
        throw ZipError(.entryTooLarge, entry: entry, detail: "gzip: \(size) bytes, more than \(limit)")
    }
    var out: [UInt8] = []
    out.reserveCapacity(Int(size))
    var inflater = try Inflater(inputSize: 64 << 10, outputSize: 64 << 10)
    let crc = try inflater.stream(from: InMemoryByteSource(data), at: Int64(at), method: 8,
                                  compressedSize: Int64(end - at), uncompressedSize: size, entry: entry) { chunk in
        out.append(contentsOf: chunk)
    }
    guard crc == expectedCRC else {
        throw ZipError(.crcMismatch, entry: entry, detail: "gzip: checksum error")
    }
    return out
}
