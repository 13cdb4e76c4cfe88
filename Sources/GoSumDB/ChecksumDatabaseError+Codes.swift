public import GoModCore

// The codes of `ChecksumDatabaseError` this release knows, one static member each, in the order of
// `ChecksumDatabaseError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == ChecksumDatabaseError {
    /// `GOSUMDB=off` (Go: `checksum database disabled by GOSUMDB=off`).
    public static var disabled: Self { Self("disabled") }
    /// The module path matches GONOSUMDB/GOPRIVATE (Go: `skipped (listed in GONOSUMDB)`).
    public static var skipped: Self { Self("skipped") }
    /// GOSUMDB or another setting is malformed.
    public static var invalidConfiguration: Self { Self("invalidConfiguration") }
    /// A signed note failed to open (bad signature, unknown key, malformed).
    public static var note: Self { Self("note") }
    /// A tree note, record, tile path or proof is malformed or invalid.
    public static var tlog: Self { Self("tlog") }
    /// The server's two trees are inconsistent: SECURITY ERROR with evidence.
    public static var securityFork: Self { Self("securityFork") }
    /// A record id is not below the tree size (Go: `cannot validate record <id> in tree of size <N>`).
    public static var recordNotInTree: Self { Self("recordNotInTree") }
    /// The record text does not hash to the log's leaf (Go: `cannot authenticate record data in server response`).
    public static var recordNotAuthenticated: Self { Self("recordNotAuthenticated") }
    /// The authenticated record has no line for the module asked for (CVE-2026-42501;
    /// cmd/go: `checksum missing from sumdb response`).
    public static var lookupMissingEntry: Self { Self("lookupMissingEntry") }
    /// A tile failed authentication (Go: `downloaded inconsistent tile`).
    public static var inconsistentTile: Self { Self("inconsistentTile") }
    /// The note text carries lines after the tree hash (strict mode; CVE-2026-56864).
    public static var unexpectedNoteContent: Self { Self("unexpectedNoteContent") }
    /// The server answered 404/410 (the database does not know the module, or a tile is missing).
    public static var notFound: Self { Self("notFound") }
    /// The server answered another non-200 status.
    public static var httpStatus: Self { Self("httpStatus") }
    /// A network failure (timeout, size cap, truncated body, redirect rules).
    public static var transport: Self { Self("transport") }
    /// Offline mode and the cache lacks what is needed.
    public static var offlineMissing: Self { Self("offlineMissing") }
    /// The stored `latest` is unreadable or not signed by the trusted key.
    public static var stateCorrupt: Self { Self("stateCorrupt") }
    /// More requests than the tree math allows for one operation.
    public static var tooManyRequests: Self { Self("tooManyRequests") }
    /// The config file changed under a compare-and-swap (retried internally).
    public static var writeConflict: Self { Self("writeConflict") }
    /// Reading or writing the store failed.
    public static var storeFailure: Self { Self("storeFailure") }
    /// The module path or version cannot be looked up (not escapable).
    public static var invalidModule: Self { Self("invalidModule") }
    /// The caller's deadline passed before the lookup finished: not verified (neither
    /// verified nor refused).
    public static var deadlineExceeded: Self { Self("deadlineExceeded") }
}
