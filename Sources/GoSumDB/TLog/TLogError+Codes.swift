public import GoModCore

// The codes of `TLogError` this release knows, one static member each, in the order of
// `TLogError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == TLogError {
    /// A tree note is malformed (Go: `malformed tree note`).
    public static var malformedTree: Self { Self("malformedTree") }
    /// A lookup record is malformed, including a non-canonical or negative id
    /// (Go: `malformed record data`; Go accepts `-1`, `+5`, `007`).
    public static var malformedRecord: Self { Self("malformedRecord") }
    /// A tile path is malformed (Go: `malformed tile path "…"`).
    public static var malformedTilePath: Self { Self("malformedTilePath") }
    /// A hash is not canonical base64 of 32 bytes (Go: `malformed hash`).
    public static var malformedHash: Self { Self("malformedHash") }
    /// A proof does not verify (Go: `invalid transparency proof`).
    public static var invalidProof: Self { Self("invalidProof") }
    /// Sizes or indexes outside the tree (Go: `tlog: invalid inputs in …`, `indexes not in tree`).
    public static var invalidInput: Self { Self("invalidInput") }
    /// A tile is not authenticated by the signed tree, or has the wrong length
    /// (Go: `downloaded inconsistent tile`).
    public static var inconsistentTile: Self { Self("inconsistentTile") }
}
