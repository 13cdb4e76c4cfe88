public import GoModCore

// The codes of `DivergenceError` this release knows, one static member each, in the order of
// `DivergenceError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == DivergenceError {
    /// The mirror's zip is not a valid module zip (strict reader, wrong prefix, ...).
    public static var invalidZip: Self { Self("invalidZip") }
    /// The `.info` document is not JSON of the expected shape.
    public static var invalidInfo: Self { Self("invalidInfo") }
    /// The `.info` names another version than the one asked for (Go: `proxy returned info
    /// for version <x> instead of requested version`).
    public static var versionMismatch: Self { Self("versionMismatch") }
    /// The proxy answered 404 or 410 (or the file does not exist in a `file://` proxy).
    public static var notFound: Self { Self("notFound") }
    /// The proxy could not be reached or answered another status.
    public static var fetchFailed: Self { Self("fetchFailed") }
    /// A download or file is larger than its cap (`.zip`: `ModuleZip.maxZipFile`,
    /// `.info`: ``Divergence/maxInfoSize``).
    public static var tooLarge: Self { Self("tooLarge") }
    /// The module path or version is not valid, or the version is not canonical.
    public static var invalidModule: Self { Self("invalidModule") }
    /// The upstream repository could not be read or the module could not be rebuilt from it
    /// (the underlying `ModuleZipError` is kept in ``DivergenceError/zipError``).
    public static var upstream: Self { Self("upstream") }
    /// A local file could not be read.
    public static var io: Self { Self("io") }
}
