public import GoModCore

/// Why a module path could not be resolved to a repository, or a repository's refs could not be
/// listed or compared.
///
/// ``description`` is cmd/go's message for the same failure (`go1.19:cmd/go/internal/vcs/vcs.go`,
/// `vcs/discovery.go`, `modfetch/codehost/git.go`; the rules are listed in Docs/origin.md).
/// Equality compares ``code`` only.
public struct OriginError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// The rule that failed.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<OriginError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "invalidImportPath", "unknownVCS", "discoveryFailed", "noMatchingMetaTag", "multipleMetaTags",
        "metaTagDisagreement", "invalidRepoRoot", "insecureRepoRoot", "govcsSyntax", "govcsDisallowed",
        "noSecureProtocol", "listingFailed", "repositoryNotFound", "unsupportedVCS", "invalidOrigin",
        "invalidRefListing", "unreachable", "diskLimit", "unsupportedProtocol",
    ]

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

    /// cmd/go's message.
    public var description: String { message }
}
