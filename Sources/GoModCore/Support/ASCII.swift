/// ASCII lower case of one byte: `A`–`Z` become `a`–`z`, every other byte is unchanged. This is
/// what Go's `strings.ToLower` does to ASCII; the callers compare names whose case folding Go
/// defines on ASCII only (x/mod's `module.CheckFilePath` Windows short names, `zip.CheckFiles`'s
/// `go.mod` case variants, the typosquat keys in Docs/catch-a-poisoned-module.md).
@inline(__always) package func asciiLower(_ c: UInt8) -> UInt8 {
    c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c + 0x20 : c
}

/// ASCII lower case of a byte string, byte by byte; bytes outside
/// `A`–`Z`, including every byte of a multi-byte UTF-8 sequence, are unchanged.
package func asciiLower(_ s: [UInt8]) -> [UInt8] { s.map { asciiLower($0) } }

/// Whether the byte is an ASCII digit, `0`–`9`.
@inline(__always) package func isASCIIDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

/// Whether the byte is an ASCII letter, `a`–`z` or `A`–`Z`.
@inline(__always) package func isASCIILetter(_ c: UInt8) -> Bool {
    (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
}

/// Whether the byte is an ASCII hex digit, `0`–`9`, `a`–`f` or `A`–`F`.
@inline(__always) package func isASCIIHexDigit(_ c: UInt8) -> Bool {
    isASCIIDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
}
