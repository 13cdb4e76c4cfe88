// The codes of `GoSumError` this release knows, one static member each, in the order of
// `GoSumError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == GoSumError {
    /// The input is larger than ``GoSum/Limits/maxBytes``; nothing was parsed.
    public static var tooLarge: Self { Self("tooLarge") }
    /// cmd/go's fatal error for a line without exactly three fields (Go-compatible mode).
    public static var malformedLine: Self { Self("malformedLine") }
}
