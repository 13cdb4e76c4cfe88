extension StringProtocol {
    /// The text without leading and trailing white space, as Go's `strings.TrimSpace`
    /// (Unicode `White_Space`, which is what Go's `unicode.IsSpace` tests). Full Foundation's
    /// `trimmingCharacters(in:)` is not in FoundationEssentials.
    package func trimmingSpace() -> String { trimming(where: \.isWhitespace) }

    /// The text without leading and trailing characters that satisfy `predicate`.
    package func trimming(where predicate: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !predicate($0) }),
              let last = lastIndex(where: { !predicate($0) }) else { return "" }
        return String(self[first...last])
    }
}
