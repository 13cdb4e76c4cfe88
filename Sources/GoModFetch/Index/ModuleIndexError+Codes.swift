public import GoModCore

// The codes of `ModuleIndexError` this release knows, one static member each, in the order of
// `ModuleIndexError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == ModuleIndexError {
    /// The server kept failing after the back-off, answered another status, or answered
    /// something that is not a feed (a line that is not an entry).
    public static var network: Self { Self("network") }
    /// The feed could not be read to the end within the bounds (pages, entries, bytes).
    public static var tooLarge: Self { Self("tooLarge") }
    /// A full page whose entries all share one Timestamp: the feed cannot be paged past it
    /// without possibly missing entries (Docs/scan.md, "What is on disk": gaps).
    public static var cannotAdvance: Self { Self("cannotAdvance") }
}
