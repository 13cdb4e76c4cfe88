import GoModPlatform

/// Strict standard base64 (with `=` padding) used by notes, keys and hashes.
package enum Base64 {
    /// Decodes canonical standard base64: only the alphabet and correct padding, and zero
    /// trailing bits (re-encoding reproduces the input). `nil` otherwise.
    ///
    /// Go's `base64.StdEncoding` also accepts non-zero trailing bits and skips `\r`/`\n`;
    /// GoModKit does not, so one value has one text (stricter than Go: see
    /// Docs/stricter-than-go.md).
    package static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard !text.isEmpty, text.count % 4 == 0 else { return text.isEmpty ? [] : nil }
        for byte in text {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                continue
            default: return nil
            }
        }
        guard let data = Data(base64Encoded: Data(text)) else { return nil }
        let bytes = Array(data)
        guard encode(bytes).elementsEqual(text) else { return nil }
        return bytes
    }

    /// Standard base64 with padding, as bytes.
    package static func encode(_ bytes: [UInt8]) -> [UInt8] { Array(Data(bytes).base64EncodedString().utf8) }

    /// Standard base64 with padding, as a string.
    package static func encodeString(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}

extension Array where Element == UInt8 {
    /// The index of the first occurrence of `needle` at or after `from`.
    package func firstIndex(ofBytes needle: [UInt8], from: Int = 0) -> Int? {
        guard needle.count <= count else { return nil }
        var i = from
        while i + needle.count <= count {
            if self[i] == needle[0] && self[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The index of the last occurrence of `needle`.
    package func lastIndex(ofBytes needle: [UInt8]) -> Int? {
        guard needle.count <= count else { return nil }
        var i = count - needle.count
        while i >= 0 {
            if self[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }
}
