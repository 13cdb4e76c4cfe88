@testable import GoModZip

/// Raw DEFLATE compression with zlib (`deflateInit2(-15)`) of a whole buffer, for tests that
/// write method-8 entries by hand. Not for untrusted sizes.
enum RawDeflate {
    /// Compresses `bytes` at `level` (zlib's 0–9, -1 for the default) into a raw deflate stream,
    /// through the module-zip writer's ``Deflater`` (one deflate implementation in the package).
    static func compress(_ bytes: [UInt8], level: Int32 = -1) -> [UInt8] {
        var out: [UInt8] = []
        guard let deflater = try? Deflater(level: level) else { return [] }
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            do throws(ModuleZipError) {
                try deflater.compress(raw, finish: true) { out.append(contentsOf: $0) }
                return true
            } catch {
                return false
            }
        }
        return ok ? out : []
    }
}
