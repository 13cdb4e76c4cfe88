internal import CZlib

/// CRC-32 (IEEE, as zip and Go's `hash/crc32.ChecksumIEEE` use).
///
/// Long buffers are folded with PCLMULQDQ when the CPU has it (`Sources/CZlib/crc32_clmul.h`,
/// several times faster than zlib's table-driven `crc32`); the rest, and every CPU without it,
/// uses system zlib's `crc32`. Both give identical results (tested against zlib over random
/// lengths and alignments).
enum CRC32 {
    /// The CRC of no bytes.
    static let initial: UInt32 = 0

    /// Whether the carry-less-multiplication path is used on this CPU.
    static let usesCarrylessMultiplication: Bool = czlib_cpu_has_clmul() != 0

    /// Continues `crc` over `bytes`.
    @inline(__always)
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        var value = crc
        var pointer = base.assumingMemoryBound(to: UInt8.self)
        var remaining = bytes.count
        if remaining >= 64 && usesCarrylessMultiplication {
            let folded = remaining & ~15
            value = ~czlib_crc32_clmul(~value, pointer, folded)
            pointer += folded
            remaining -= folded
        }
        return zlibUpdate(value, pointer, remaining)
    }

    /// zlib's table-driven `crc32`, which takes a 32-bit length: larger buffers are split.
    static func zlibUpdate(_ crc: UInt32, _ start: UnsafePointer<UInt8>, _ count: Int) -> UInt32 {
        var value = UInt(crc)
        var pointer = start
        var remaining = count
        while remaining > 0 {
            let n = min(remaining, Int(UInt32.max / 2))
            value = crc32(value, pointer, UInt32(n))
            pointer += n
            remaining -= n
        }
        return UInt32(truncatingIfNeeded: value)
    }

    /// The CRC of `bytes`.
    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        let array = Array(bytes)
        return array.withUnsafeBytes { update(initial, $0) }
    }
}
