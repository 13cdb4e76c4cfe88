public import GoModCore

// The codes of `GoEnvironmentError` this release knows, one static member each, in the order of
// `GoEnvironmentError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == GoEnvironmentError {
    /// `GOFLAGS` is not a list of flags: an unterminated quote (`unterminated ' string`)
    /// or a word that is not `-name`, `--name`, `-name=value` (`non-flag "x"`).
    public static var invalidGOFLAGS: Self { Self("invalidGOFLAGS") }
    /// Neither `GOMODCACHE` nor `GOPATH` (nor `HOME`) gives a module cache
    /// (`module cache not found: neither GOMODCACHE nor GOPATH is set`).
    public static var moduleCacheUnset: Self { Self("moduleCacheUnset") }
    /// The module cache path is relative (`GOMODCACHE entry is relative; must be absolute path`).
    public static var moduleCacheRelative: Self { Self("moduleCacheRelative") }

    /// No `GOPATH` (nor `HOME`) locates the checksum-database files (`could not locate
    /// sumdb file: missing $GOPATH`, cmd/go's `modfetch/sumdb.go`).
    public static var gopathUnset: Self { Self("gopathUnset") }
}
