public import GoModCore

// The codes of `ScanError` this release knows, one static member each, in the order of
// `ScanError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == ScanError {
    /// Bad flags or arguments (`I ≥ N`, a missing count…): exit 2.
    public static var usage: Self { Self("usage") }
    /// A local input file that cannot be read or parsed (a `--versions` list, shard outputs
    /// given to `scan merge`): exit 2.
    public static var badInput: Self { Self("badInput") }
    /// The local feed mirror or its checkpoint is unreadable or inconsistent: exit 2
    /// (retrying cannot help; the message says how to recover).
    public static var corruptState: Self { Self("corruptState") }
    /// The server kept failing after the back-off, or answered something that is not a
    /// feed: exit 3 (retryable).
    public static var network: Self { Self("network") }
    /// A state or output file could not be written (disk full, permissions): exit 3.
    public static var io: Self { Self("io") }
    /// The pass ended with units that could not be checked; they are retried by the next
    /// run: exit 3.
    public static var incomplete: Self { Self("incomplete") }
    /// A unit passed a per-unit limit (``ScanOptions/unitTimeLimit``, the rebuilder's disk
    /// limit): it is not committed and the next run retries it: exit 3.
    public static var unitLimit: Self { Self("unitLimit") }
}
