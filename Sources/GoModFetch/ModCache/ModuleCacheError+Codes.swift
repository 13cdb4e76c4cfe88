public import GoModCore

// The codes of `ModuleCacheError` this release knows, one static member each, in the order of
// `ModuleCacheError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == ModuleCacheError {
    /// The module path or version is invalid or not canonical; nothing was touched.
    public static var invalidModule: Self { Self("invalidModule") }
    /// The proxy failed (see ``ModuleCacheError/proxyError``).
    public static var proxy: Self { Self("proxy") }
    /// A hash differs from go.sum: cmd/go's `SECURITY ERROR` go.sum text.
    public static var goSumMismatch: Self { Self("goSumMismatch") }
    /// A hash differs from the checksum database: cmd/go's `SECURITY ERROR` checksum-server text.
    public static var checksumDatabaseMismatch: Self { Self("checksumDatabaseMismatch") }
    /// The checksum database could not answer (unreachable, 404, misbehaving); the download is
    /// refused, never accepted unverified.
    public static var checksumDatabaseFailure: Self { Self("checksumDatabaseFailure") }
    /// The zip breaks the module zip rules (x/mod `CheckZip`) or cannot be read.
    public static var invalidZip: Self { Self("invalidZip") }
    /// The `.mod` file's `module` line names another path (`module declares its path as: …`).
    public static var modulePathMismatch: Self { Self("modulePathMismatch") }
    /// A file-system failure (create, write, rename, lock).
    public static var io: Self { Self("io") }
    /// `go mod verify`: `missing ziphash`.
    public static var missingZipHash: Self { Self("missingZipHash") }
    /// `go mod verify`: `zip has been modified`.
    public static var zipModified: Self { Self("zipModified") }
    /// `go mod verify`: `dir has been modified`.
    public static var dirModified: Self { Self("dirModified") }
    /// The directory or zip could not be hashed.
    public static var hashFailed: Self { Self("hashFailed") }
    /// Beyond Go: a go.sum line disagrees with the module cache.
    public static var goSumCacheMismatch: Self { Self("goSumCacheMismatch") }
    /// Beyond Go: a go.sum line is not what the checksum database records.
    public static var goSumDatabaseMismatch: Self { Self("goSumDatabaseMismatch") }
    /// A pseudo-version whose revision is not 12 lower-case hex digits or whose timestamp is
    /// not the `.info` time (Docs/stricter-than-go.md).
    public static var invalidPseudoVersion: Self { Self("invalidPseudoVersion") }
    /// The module graph could not be loaded (a go.mod missing from the cache, unparsable).
    public static var graph: Self { Self("graph") }
    /// vendor/modules.txt is inconsistent with go.mod (cmd/go's `modload` vendor rules).
    public static var vendorInconsistent: Self { Self("vendorInconsistent") }
    /// A vendored file differs from the module zip go.sum authenticates, or is not in it.
    public static var vendorFileModified: Self { Self("vendorFileModified") }
    /// A vendored module could not be checked (zip not in the cache, no go.sum line).
    public static var vendorUnverifiable: Self { Self("vendorUnverifiable") }
    /// The caller's deadline passed before this module or go.sum line was checked: not
    /// verified (neither verified nor refused).
    public static var deadlineExceeded: Self { Self("deadlineExceeded") }
}
