extension StringProtocol {
    /// The text without leading and trailing white space, as Go's `strings.TrimSpace`: rune by
    /// rune (Unicode scalars with the White_Space property, which is Go's `unicode.IsSpace`),
    /// never by grapheme cluster, so a space followed by a combining mark is still trimmed.
    package func trimmingSpace() -> String { trimming(where: \.properties.isWhitespace) }

    /// The text without the leading and trailing Unicode scalars `predicate` accepts.
    package func trimming(where predicate: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !predicate($0) }),
              let last = scalars.lastIndex(where: { !predicate($0) }) else { return "" }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: scalars[first...last])
        return String(kept)
    }
}
