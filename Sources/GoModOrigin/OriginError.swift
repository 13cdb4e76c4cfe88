/// Why a module path could not be resolved to a repository, or a repository's refs could not be
/// listed or compared.
///
/// ``description`` is cmd/go's message for the same failure (`go1.19:cmd/go/internal/vcs/vcs.go`,
/// `vcs/discovery.go`, `modfetch/codehost/git.go`; the rules are listed in Docs/origin.md).
/// Equality compares ``code`` only.
public struct OriginError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule that failed.
    ///
    /// New codes may be added in later releases without breaking source compatibility: `switch`
    /// over a code with a `default`, or compare with `==`.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case invalidImportPath
            case unknownVCS
            case discoveryFailed
            case noMatchingMetaTag
            case multipleMetaTags
            case metaTagDisagreement
            case invalidRepoRoot
            case insecureRepoRoot
            case govcsSyntax
            case govcsDisallowed
            case noSecureProtocol
            case listingFailed
            case repositoryNotFound
            case unsupportedVCS
            case invalidOrigin
            case invalidRefListing
            case unreachable
            case diskLimit
            case unsupportedProtocol
        }

        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The path fits no rule: `invalid github.com/ import path "<p>"`, `"https://" not allowed
        /// in import path`, `import path does not begin with hostname`, `invalid version control
        /// suffix in github.com/ path`, `cannot expand ... in "<p>"`.
        public static let invalidImportPath = Code(.invalidImportPath)
        /// A `go-import` tag or the static table names a VCS cmd/go does not know
        /// (`<url>: unknown vcs "<v>"`).
        public static let unknownVCS = Code(.unknownVCS)
        /// The `?go-get=1` page could not be fetched, or answered a non-200 status without a
        /// `go-import` tag, or its XML could not be parsed (`https fetch: …`, `reading <url>: 404
        /// Not Found`, `parsing <p>: …`, `can't decode XML document using charset "<c>"`).
        public static let discoveryFailed = Code(.discoveryFailed)
        /// The page has no `go-import` tag whose prefix is a path prefix of the module path
        /// (`parse <url>: no go-import meta tags (…)`; on a prefix page: `fetching <prefix>: no
        /// go-import meta tag found in <url>`).
        public static let noMatchingMetaTag = Code(.noMatchingMetaTag)
        /// Two tags match (`multiple meta tags match import path "<p>"`).
        public static let multipleMetaTags = Code(.multipleMetaTags)
        /// The prefix page disagrees with the module path's page (`<url1> and <url2> disagree
        /// about go-import for <prefix>`).
        public static let metaTagDisagreement = Code(.metaTagDisagreement)
        /// The repository URL is not an absolute URL, or uses `file:` (`<url>: invalid repo root
        /// "<u>": no scheme` / `file scheme disallowed`).
        public static let invalidRepoRoot = Code(.invalidRepoRoot)
        /// The repository URL uses an insecure scheme (`http`, `git`) and GOINSECURE does not
        /// match the module path.
        public static let insecureRepoRoot = Code(.insecureRepoRoot)
        /// GOVCS cannot be parsed (`empty entry in GOVCS`, `malformed entry in GOVCS (missing
        /// colon): "<e>"`, …).
        public static let govcsSyntax = Code(.govcsSyntax)
        /// GOVCS forbids the VCS for the root (`GOVCS disallows using <vcs> for <public|private>
        /// <root>; see 'go help vcs'`).
        public static let govcsDisallowed = Code(.govcsDisallowed)
        /// No secure scheme answered for a `.git`-qualified path (`no secure protocol found for
        /// repository`).
        public static let noSecureProtocol = Code(.noSecureProtocol)
        /// `git ls-remote` failed (unreachable host, authentication required, …).
        public static let listingFailed = Code(.listingFailed)
        /// The repository does not exist (`git ls-remote` failed and the URL answers 404).
        public static let repositoryNotFound = Code(.repositoryNotFound)
        /// The repository uses a VCS GoModKit cannot list (hg, svn, bzr, fossil) or is a `mod`
        /// (GOPROXY protocol) server (`vcs <x> does not implement CheckReuse`).
        public static let unsupportedVCS = Code(.unsupportedVCS)
        /// A `.info` `Origin` object is not JSON of the expected shape.
        public static let invalidOrigin = Code(.invalidOrigin)
        /// `git ls-remote` printed a line that is not `<40 hex> <ref>`, or more than the limit.
        public static let invalidRefListing = Code(.invalidRefListing)
        /// The server at an http(s) repository URL does not speak git's smart HTTP protocol (a
        /// "dumb" server serving files): ``SmartHTTPRefLister`` cannot list it; `git ls-remote` can.
        public static let unsupportedProtocol = Code(.unsupportedProtocol)

        /// The repository could not be reached, or a transfer from it did not finish: git reported
        /// a transport failure (connection refused or reset, a name that did not resolve, a
        /// timeout, HTTP 5xx or 429, a connection cut mid-transfer) or the fetch was cancelled.
        /// Unlike ``listingFailed`` it says nothing about the repository's contents: retrying
        /// may succeed.
        public static let unreachable = Code(.unreachable)
        /// A repository's work directory grew past the rebuilder's disk limit
        /// (``UpstreamRebuilder/init(modcache:git:diskLimit:)``).
        public static let diskLimit = Code(.diskLimit)

        /// The code's name, such as `multipleMetaTags`.
        public var rawValue: String { backing.rawValue }

        /// The code with this name, or `nil` for a name this release does not know.
        public init?(rawValue: String) {
            guard let backing = Backing(rawValue: rawValue) else { return nil }
            self.init(backing)
        }

        /// The codes this release knows, in declaration order.
        public static var allCases: [Code] { Backing.allCases.map { Code($0) } }

        /// The code's name (``rawValue``).
        public var description: String { rawValue }
    }

    /// The rule that failed.
    public var code: Code
    /// The module path, prefix or repository URL the rule was applied to.
    public var subject: String
    /// cmd/go's message.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, subject: String, message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    /// Equality on ``code`` only.
    public static func == (lhs: OriginError, rhs: OriginError) -> Bool { lhs.code == rhs.code }
    /// Hashes ``code`` only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// cmd/go's message.
    public var description: String { message }
}
