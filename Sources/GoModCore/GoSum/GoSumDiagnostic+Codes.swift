// The codes of `GoSumDiagnostic` this release knows, one static member each, in the order of
// `GoSumDiagnostic.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == GoSumDiagnostic {
    /// A line without exactly three fields (error). cmd/go 1.22+ stops with
    /// `malformed go.sum:\n<file>:<line>: wrong number of fields <n>`; Go ≤ 1.21 silently
    /// ignored the rest of the file. The line is not recorded.
    public static var wrongFieldCount: Self { Self("wrongFieldCount") }
    /// A NUL byte in the line (error).
    public static var nulByte: Self { Self("nulByte") }
    /// Invalid UTF-8 in the line (error).
    public static var invalidUTF8: Self { Self("invalidUTF8") }
    /// The module path fails `module.CheckPath` (error); the message is Go's.
    public static var invalidModulePath: Self { Self("invalidModulePath") }
    /// The version is not canonical, has a suffix other than a trailing `/go.mod`, or does
    /// not match the path's major version (error).
    public static var invalidVersion: Self { Self("invalidVersion") }
    /// An `h1:` hash that is not the canonical base64 of 32 bytes, or a hash field that is
    /// not `h<N>:` text at all (error).
    public static var malformedHash: Self { Self("malformedHash") }
    /// A hash with an algorithm other than `h1` (warning): kept, never used to
    /// verify anything.
    public static var unknownHashAlgorithm: Self { Self("unknownHashAlgorithm") }
    /// The hash of an empty go.mod, which an old cmd/go bug wrote for non-modules
    /// (info): dropped, as cmd/go drops it.
    public static var emptyGoModHash: Self { Self("emptyGoModHash") }
    /// A line repeating an earlier line exactly (warning).
    public static var duplicateLine: Self { Self("duplicateLine") }
    /// A second, different `h1:` hash for the same module version (error). cmd/go
    /// uses the first `h1:` line and rejects any download that does not match it.
    public static var conflictingHashes: Self { Self("conflictingHashes") }
    /// Fields separated by white space other than space, tab and carriage return —
    /// e.g. U+00A0 or U+3000, which cmd/go also treats as separators (warning).
    public static var unusualWhitespace: Self { Self("unusualWhitespace") }
}
