/// Go's `strconv.Quote` over raw bytes: the text in double quotes, with `"` and `\` escaped,
/// non-printable runes as `\a \b \f \n \r \t \v`, `\xNN`, `\uNNNN` or `\UNNNNNNNN`, and each
/// byte of invalid UTF-8 as `\xNN`.
///
/// Used for every untrusted name in an error message, exactly as Go's `%q` prints it, so that
/// messages match Go's and no control character or bidi override reaches a terminal.
package func goQuote(_ bytes: some Collection<UInt8>) -> String {
    var out = "\""
    out.reserveCapacity(bytes.count + 2)
    var decoder = UTF8ByteDecoder(bytes: Array(bytes))
    while let (rune, _, valid) = decoder.next() {
        guard valid, let scalar = Unicode.Scalar(rune) else {
            // Invalid encoding: Go prints the single offending byte.
            out += "\\x" + hex2(UInt8(truncatingIfNeeded: rune))
            continue
        }
        appendGoEscaped(scalar, quote: "\"", to: &out)
    }
    out += "\""
    return out
}

/// Go's `strconv.QuoteRune` (what `fmt`'s `%q` prints for a rune): the rune in single quotes,
/// escaped like ``goQuote(_:)``; an invalid rune value prints as U+FFFD.
func goQuoteRune(_ rune: UInt32) -> String {
    let value = (rune > 0x10FFFF || (0xD800...0xDFFF).contains(rune)) ? 0xFFFD : rune
    guard let scalar = Unicode.Scalar(value) else { return "'\\ufffd'" }
    var out = "'"
    appendGoEscaped(scalar, quote: "'", to: &out)
    return out + "'"
}

/// Appends one rune as Go's `strconv` quoting writes it inside `quote` characters: the quote
/// and `\` escaped, printable runes as they are, others as `\a`…`\v`, `\xNN`, `\uNNNN` or
/// `\UNNNNNNNN`.
func appendGoEscaped(_ scalar: Unicode.Scalar, quote: Unicode.Scalar, to out: inout String) {
    if scalar == quote || scalar == "\\" {
        out += "\\"
        out.unicodeScalars.append(scalar)
        return
    }
    if goIsPrint(scalar) {
        out.unicodeScalars.append(scalar)
        return
    }
    switch scalar.value {
    case 0x07: out += "\\a"
    case 0x08: out += "\\b"
    case 0x0C: out += "\\f"
    case 0x0A: out += "\\n"
    case 0x0D: out += "\\r"
    case 0x09: out += "\\t"
    case 0x0B: out += "\\v"
    case 0..<0x20, 0x7F: out += "\\x" + hex2(UInt8(scalar.value))
    case 0..<0x10000: out += "\\u" + hex(scalar.value, width: 4)
    default: out += "\\U" + hex(scalar.value, width: 8)
    }
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
package func goIsPrint(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0x80 { return scalar.value >= 0x20 && scalar.value < 0x7F }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
        .nonspacingMark, .spacingMark, .enclosingMark,
        .decimalNumber, .letterNumber, .otherNumber,
        .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
        .initialPunctuation, .finalPunctuation, .otherPunctuation,
        .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
        return true
    default:
        return false
    }
}

private let hexDigits: [Character] = Array("0123456789abcdef")

func hex2(_ b: UInt8) -> String {
    String([hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
}

private func hex(_ v: UInt32, width: Int) -> String {
    var s = String(v, radix: 16)
    while s.count < width { s = "0" + s }
    return s
}

/// Decodes UTF-8 the way Go's `utf8.DecodeRune` does: an invalid or truncated sequence yields
/// one byte with `valid == false`; surrogates and overlong forms are invalid.
package struct UTF8ByteDecoder {
    let bytes: [UInt8]
    var index = 0

    package init(bytes: [UInt8]) { self.bytes = bytes }

    /// The next rune, its encoded width and whether it was valid; `nil` at the end.
    package mutating func next() -> (rune: UInt32, width: Int, valid: Bool)? {
        guard index < bytes.count else { return nil }
        let b0 = bytes[index]
        if b0 < 0x80 {
            index += 1
            return (UInt32(b0), 1, true)
        }
        let (need, minValue, initial): (Int, UInt32, UInt32)
        switch b0 {
        case 0xC2...0xDF: (need, minValue, initial) = (1, 0x80, UInt32(b0 & 0x1F))
        case 0xE0...0xEF: (need, minValue, initial) = (2, 0x800, UInt32(b0 & 0x0F))
        case 0xF0...0xF4: (need, minValue, initial) = (3, 0x10000, UInt32(b0 & 0x07))
        default:
            index += 1
            return (UInt32(b0), 1, false)
        }
        guard index + need < bytes.count else {
            index += 1
            return (UInt32(b0), 1, false)
        }
        var value = initial
        for k in 1...need {
            let pos = index + k
            guard pos < bytes.count, bytes[pos] & 0xC0 == 0x80 else {
                index += 1
                return (UInt32(b0), 1, false)
            }
            value = (value << 6) | UInt32(bytes[pos] & 0x3F)
        }
        if value < minValue || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) {
            index += 1
            return (UInt32(b0), 1, false)
        }
        index += need + 1
        return (value, need + 1, true)
    }
}
