import GoModKit

// Output encoding (Docs/output-encoding.md): the one place where text from input (module
// paths, versions, go.sum lines, zip entry names, server answers, library messages that quote
// them) is made safe before it is written.
//
// Text output: printable runes as they are; every other rune and every byte that is not valid
// UTF-8 escaped as Go's `%q` escapes it inside a quoted string: `\a \b \f \n \r \t \v`,
// `\xNN` (other C0 controls, DEL, invalid UTF-8 bytes), `\uNNNN` / `\UNNNNNNNN` (C1 controls,
// bidi overrides and isolates, zero-width and other format characters, separators,
// unassigned code points). Messages keep their line breaks and tabs (Go's multi-line error
// texts); names never do. The escaping is for people and is not reversible; `--json` is.
//
// JSON output: valid JSON (RFC 8259) in which every string is plain ASCII-safe for a
// terminal: JSONEncoder's output with DEL, C1 controls, U+2028/U+2029 and the bidi and other
// format characters written as `\uNNNN` escapes (the same string to any JSON reader). A name
// whose bytes are not valid UTF-8 is written as its Go-quoted form, and a sibling field
// `<field>Base64` holds the exact bytes (standard base64); for valid UTF-8 names that field is
// absent and the string is the bytes.

/// A message (library or Go wording, possibly quoting input) made safe for a terminal; line
/// breaks and tabs are kept.
func terminalSafe(_ text: String) -> String {
    terminalSafe(Array(text.utf8), lineBreaks: true)
}

/// A name from input (module path, version, file name, go.sum line) for one line of text:
/// line breaks and tabs escaped too, invalid UTF-8 bytes as `\xNN`.
func terminalName(_ name: ByteString) -> String {
    terminalSafe(name.bytes, lineBreaks: false)
}

/// A name held as a `String` (already decoded) for one line of text.
func terminalName(_ name: String) -> String {
    terminalSafe(Array(name.utf8), lineBreaks: false)
}

/// A name for JSON: the text when the bytes are valid UTF-8, else the Go-quoted form.
func jsonText(_ name: ByteString) -> String {
    name.utf8String ?? name.description
}

/// The exact bytes of a name for the `<field>Base64` JSON field: `nil` (field omitted) when
/// the bytes are valid UTF-8, so that the text field is already lossless.
func jsonBytes(_ name: ByteString) -> String? {
    name.isValidUTF8 ? nil : Base64.encodeString(name.bytes)
}

/// Encoded JSON with every character a terminal could act on written as a `\uNNNN` escape:
/// DEL, C1 controls (U+0080–U+009F), U+2028/U+2029, and the format characters Go does not
/// print (bidi marks, embeddings, overrides and isolates, zero-width characters). JSONEncoder
/// already escapes C0 controls. Outside strings JSON is ASCII, so the result is the same JSON
/// value.
func terminalSafeJSON(_ data: [UInt8]) -> [UInt8] {
    guard let text = String(validating: data, as: UTF8.self) else { return data }
    var needs = false
    for scalar in text.unicodeScalars where scalar.value >= 0x7F && mustEscapeInJSON(scalar) {
        needs = true
        break
    }
    guard needs else { return data }
    var out: [UInt8] = []
    out.reserveCapacity(data.count + 16)
    for scalar in text.unicodeScalars {
        if scalar.value >= 0x7F && mustEscapeInJSON(scalar) {
            out += Array("\\u".utf8) + hex4(UInt16(scalar.value))
        } else {
            out += Array(String(scalar).utf8)
        }
    }
    return out
}

/// DEL, C1, line/paragraph separators and the BMP format characters (all below U+10000, so a
/// single `\uNNNN` escape each).
private func mustEscapeInJSON(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x7F...0x9F, 0x2028, 0x2029: return true
    case 0x10000...: return false
    default: return scalar.properties.generalCategory == .format
    }
}

private func hex4(_ v: UInt16) -> [UInt8] {
    let digits = Array("0123456789abcdef".utf8)
    return [digits[Int(v >> 12)], digits[Int((v >> 8) & 0xF)], digits[Int((v >> 4) & 0xF)], digits[Int(v & 0xF)]]
}
