import GoModCore
/// x/mod `zip.strToFold`: a key such that `strings.EqualFold(s, t)` iff the keys of `s` and `t`
/// are equal, used to find case-insensitive file-name collisions in module zips.
///
/// Each rune becomes the smallest rune of its Unicode simple case-folding orbit (Go's
/// `unicode.SimpleFold` cycle), then ASCII `A`–`Z` become `a`–`z`; so `K`, `k` and U+212A KELVIN
/// SIGN all become `k`, and `ſ` (U+017F), `s` and `S` become `s`. Invalid UTF-8 decodes as
/// U+FFFD, one byte at a time, as Go's `range` over a string does. No normalisation is applied:
/// NFC and NFD spellings stay distinct. The per-rune mapping is ``CaseFoldTable``, generated
/// from Go 1.27.3's `unicode` tables and checked against Go for every code point.
enum CaseFold {
    /// The fold key of `name` (x/mod `strToFold`).
    static func key(_ name: [UInt8]) -> [UInt8] {
        // Fast path: all ASCII, no upper case (most paths).
        if !name.contains(where: { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) }) { return name }
        var out: [UInt8] = []
        out.reserveCapacity(name.count)
        var decoder = UTF8ByteDecoder(bytes: name)
        while let (rune, _, valid) = decoder.next() {
            appendUTF8(valid ? fold(rune) : 0xFFFD, to: &out)
        }
        return out
    }

    /// Whether Go's `strings.EqualFold(a, b)` holds.
    static func equalFold(_ a: [UInt8], _ b: [UInt8]) -> Bool { key(a) == key(b) }

    /// The image of one rune: the smallest rune of its simple-folding orbit, ASCII upper case
    /// lowered.
    static func fold(_ rune: UInt32) -> UInt32 {
        if rune < 0x80 {
            return rune >= 0x41 && rune <= 0x5A ? rune + 0x20 : rune
        }
        let runs = CaseFoldTable.runs
        let count = runs.count / 4
        // The last run starting at or before `rune`.
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if UInt32(runs[mid * 4]) <= rune { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return rune }
        let base = (low - 1) * 4
        let start = UInt32(runs[base]), length = UInt32(runs[base + 1]), stride = UInt32(runs[base + 2])
        let offset = runs[base + 3]
        let distance = rune - start
        guard distance % stride == 0, distance / stride < length else { return rune }
        return UInt32(Int64(rune) + Int64(offset))
    }

    /// Appends the UTF-8 encoding of a scalar value (Go's `utf8.AppendRune` for valid runes).
    static func appendUTF8(_ rune: UInt32, to out: inout [UInt8]) {
        switch rune {
        case 0..<0x80:
            out.append(UInt8(rune))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (rune >> 6)))
            out.append(UInt8(0x80 | (rune & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (rune >> 12)))
            out.append(UInt8(0x80 | ((rune >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (rune & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (rune >> 18)))
            out.append(UInt8(0x80 | ((rune >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((rune >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (rune & 0x3F)))
        }
    }
}
