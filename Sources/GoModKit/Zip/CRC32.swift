internal import CZlib

/// CRC-32 (IEEE, as zip and Go's `hash/crc32.ChecksumIEEE` use) computed by system zlib.
enum CRC32 {
    /// The CRC of no bytes.
    static let initial: UInt32 = 0

    /// Continues `crc` over `bytes`.
    @inline(__always)
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        var value = UInt(crc)
        var pointer = base.assumingMemoryBound(to: UInt8.self)
        var remaining = bytes.count
        // zlib takes a 32-bit length; split larger buffers.
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
