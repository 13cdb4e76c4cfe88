import GoModTestSupport
import Testing
@testable import GoModCore
@testable import GoModZip

/// The folding CRC-32 must equal zlib's table-driven `crc32` for every length and alignment.
@Suite struct CRC32Tests {
    /// The CRC catalogue's check value for CRC-32/ISO-HDLC ("123456789" → 0xCBF43926), and
    /// the same digits repeated long enough to take the folding path.
    @Test func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func foldingEqualsZlibForAllLengthsAndOffsets() {
        var generator = SplitMix64(seed: 0x5EED)
        let data = (0..<9000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            for offset in 0..<17 {
                for length in Array(0..<300) + Array(stride(from: 300, through: 8000, by: 97)) where offset + length <= data.count {
                    let slice = UnsafeRawBufferPointer(start: base + offset, count: length)
                    let expected = CRC32.zlibUpdate(0, base + offset, length)
                    #expect(CRC32.update(0, slice) == expected, "offset \(offset) length \(length)")
                    // Continuing from a non-zero CRC, split at an odd point.
                    let cut = length / 3
                    let first = CRC32.update(0, UnsafeRawBufferPointer(start: base + offset, count: cut))
                    let both = CRC32.update(first, UnsafeRawBufferPointer(start: base + offset + cut, count: length - cut))
                    #expect(both == expected, "split offset \(offset) length \(length)")
                }
            }
        }
    }
}
