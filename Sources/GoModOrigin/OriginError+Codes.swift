public import GoModCore

// The codes of `OriginError` this release knows, one static member each, in the order of
// `OriginError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == OriginError {
    /// The path fits no rule: `invalid github.com/ import path "<p>"`, `"https://" not allowed
    /// in import path`, `import path does not begin with hostname`, `invalid version control
    /// suffix in github.com/ path`, `cannot expand ... in "<p>"`.
    public static var invalidImportPath: Self { Self("invalidImportPath") }
    /// A `go-import` tag or the static table names a VCS cmd/go does not know
    /// (`<url>: unknown vcs "<v>"`).
    public static var unknownVCS: Self { Self("unknownVCS") }
    /// The `?go-get=1` page could not be fetched, or answered a non-200 status without a
    /// `go-import` tag, or its XML could not be parsed (`https fetch: …`, `reading <url>: 404
    /// Not Found`, `parsing <p>: …`, `can't decode XML document using charset "<c>"`).
    public static var discoveryFailed: Self { Self("discoveryFailed") }
    /// The page has no `go-import` tag whose prefix is a path prefix of the module path
    /// (`parse <url>: no go-import meta tags (…)`; on a prefix page: `fetching <prefix>: no
    /// go-import meta tag found in <url>`).
    public static var noMatchingMetaTag: Self { Self("noMatchingMetaTag") }
    /// Two tags match (`multiple meta tags match import path "<p>"`).
    public static var multipleMetaTags: Self { Self("multipleMetaTags") }
    /// The prefix page disagrees with the module path's page (`<url1> and <url2> disagree
    /// about go-import for <prefix>`).
    public static var metaTagDisagreement: Self { Self("metaTagDisagreement") }
    /// The repository URL is not an absolute URL, or uses `file:` (`<url>: invalid repo root
    /// "<u>": no scheme` / `file scheme disallowed`).
    public static var invalidRepoRoot: Self { Self("invalidRepoRoot") }
    /// The repository URL uses an insecure scheme (`http`, `git`) and GOINSECURE does not
    /// match the module path.
    public static var insecureRepoRoot: Self { Self("insecureRepoRoot") }
    /// GOVCS cannot be parsed (`empty entry in GOVCS`, `malformed entry in GOVCS (missing
    /// colon): "<e>"`, …).
    public static var govcsSyntax: Self { Self("govcsSyntax") }
    /// GOVCS forbids the VCS for the root (`GOVCS disallows using <vcs> for <public|private>
    /// <root>; see 'go help vcs'`).
    public static var govcsDisallowed: Self { Self("govcsDisallowed") }
    /// No secure scheme answered for a `.git`-qualified path (`no secure protocol found for
    /// repository`).
    public static var noSecureProtocol: Self { Self("noSecureProtocol") }
    /// `git ls-remote` failed (unreachable host, authentication required, …).
    public static var listingFailed: Self { Self("listingFailed") }
    /// The repository does not exist (`git ls-remote` failed and the URL answers 404).
    public static var repositoryNotFound: Self { Self("repositoryNotFound") }
    /// The repository uses a VCS GoModKit cannot list (hg, svn, bzr, fossil) or is a `mod`
    /// (GOPROXY protocol) server (`vcs <x> does not implement CheckReuse`).
    public static var unsupportedVCS: Self { Self("unsupportedVCS") }
    /// A `.info` `Origin` object is not JSON of the expected shape.
    public static var invalidOrigin: Self { Self("invalidOrigin") }
    /// `git ls-remote` printed a line that is not `<40 hex> <ref>`, or more than the limit.
    public static var invalidRefListing: Self { Self("invalidRefListing") }
    /// The server at an http(s) repository URL does not speak git's smart HTTP protocol (a
    /// "dumb" server serving files): ``SmartHTTPRefLister`` cannot list it; `git ls-remote` can.
    public static var unsupportedProtocol: Self { Self("unsupportedProtocol") }

    /// The repository could not be reached, or a transfer from it did not finish: git reported
    /// a transport failure (connection refused or reset, a name that did not resolve, a
    /// timeout, HTTP 5xx or 429, a connection cut mid-transfer) or the fetch was cancelled.
    /// Unlike ``listingFailed`` it says nothing about the repository's contents: retrying
    /// may succeed.
    public static var unreachable: Self { Self("unreachable") }
    /// A repository's work directory grew past the rebuilder's disk limit
    /// (``UpstreamRebuilder/init(modcache:git:diskLimit:)``).
    public static var diskLimit: Self { Self("diskLimit") }
}
