public import GoModCore

// The codes of `ModuleProxyError` this release knows, one static member each, in the order of
// `ModuleProxyError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == ModuleProxyError {
    /// 404 or 410 from every proxy tried, or a `file://` proxy without the file
    /// (Go: `fs.ErrNotExist`, falls through to the next list entry).
    public static var notFound: Self { Self("notFound") }
    /// Any other HTTP status (5xx, 403…): `reading <url>: <status>`.
    public static var httpStatus: Self { Self("httpStatus") }
    /// A transport failure: timeout, refused connection, truncated body, redirect loop,
    /// https→http redirect (see ``ModuleProxyError/underlying``).
    public static var transport: Self { Self("transport") }
    /// The body is larger than the limit for its kind (`downloaded zip file too large`).
    public static var oversizeResponse: Self { Self("oversizeResponse") }
    /// `GOPROXY=off` reached: `module lookup disabled by GOPROXY=off`.
    public static var proxyOff: Self { Self("proxyOff") }
    /// The list reached `direct` (or a GONOPROXY/GOPRIVATE path) and the client has no
    /// ``DirectModuleSource``.
    public static var directUnsupported: Self { Self("directUnsupported") }
    /// `GOPROXY list is not the empty string, but contains no entries`.
    public static var emptyProxyList: Self { Self("emptyProxyList") }
    /// `invalid proxy URL scheme (must be https, http, file)` or an unparsable URL.
    public static var invalidProxyURL: Self { Self("invalidProxyURL") }
    /// A `.info` or `@latest` answer that is not the JSON it should be:
    /// `invalid response from proxy "<base>": …`.
    public static var invalidResponse: Self { Self("invalidResponse") }
    /// A `.info` answer for another version than the canonical one requested:
    /// `proxy returned info for version <x> instead of requested version`.
    public static var proxyVersionMismatch: Self { Self("proxyVersionMismatch") }
    /// A `.zip` answer that is not a zip archive (an HTML error page, a truncated file).
    public static var notAZip: Self { Self("notAZip") }
    /// The module path or version is invalid; nothing was requested
    /// (`malformed module path …`, `disallowed version string …`).
    public static var invalidModule: Self { Self("invalidModule") }
    /// A version query (not a canonical version) where only canonical versions are allowed.
    public static var notCanonical: Self { Self("notCanonical") }
    /// No versions in `@v/list` and no `@latest`: `no matching versions for query "latest"`.
    public static var noVersions: Self { Self("noVersions") }
    /// Writing a streamed download to its file failed (disk full, file too large, I/O
    /// error): `write <file>: <errno text>`.
    public static var writeFailed: Self { Self("writeFailed") }

    /// A direct (version-control) fetch failed: the repository could not be resolved or
    /// read, the version is not in it, or its content breaks the module rules. The detail
    /// is cmd/go's message (`invalid version: unknown revision v1.2.3`,
    /// `unrecognized import path …`).
    public static var directFailed: Self { Self("directFailed") }
}
