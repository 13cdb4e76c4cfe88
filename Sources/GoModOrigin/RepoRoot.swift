import GoModCore

/// Where a module path's code lives: cmd/go's `vcs.RepoRoot` (`go1.19:cmd/go/internal/vcs/vcs.go`),
/// plus what GoModKit fetched to find it.
public struct RepoRoot: Sendable, Hashable, Codable {
    /// The repository URL, including its scheme (`https://github.com/rsc/quote`), or for `mod` the
    /// GOPROXY-protocol server's URL.
    public var repoURL: String
    /// The import path of the repository root (`github.com/rsc/quote`; a `go-import` prefix).
    public var root: String
    /// `git`, `hg`, `svn`, `bzr`, `fossil`, or `mod`.
    public var vcs: String
    /// The repository subdirectory that ``root`` corresponds to: the Go 1.25 4th `go-import`
    /// field (golang/go#34055), empty otherwise.
    public var subdirectory: String
    /// Found by `?go-get=1` discovery (as opposed to the static host table or a VCS qualifier).
    public var isCustom: Bool
    /// The discovery pages fetched (in order), for findings; empty for static resolutions.
    public var discoveryURLs: [String]

    /// A result.
    public init(repoURL: String, root: String, vcs: String, subdirectory: String = "", isCustom: Bool = false,
                discoveryURLs: [String] = []) {
        self.repoURL = repoURL
        self.root = root
        self.vcs = vcs
        self.subdirectory = subdirectory
        self.isCustom = isCustom
        self.discoveryURLs = discoveryURLs
    }
}

/// What cmd/go knows about a version control system for resolution: its schemes in probing
/// order and the secure ones (go.dev/ref/mod#vcs-find, `go1.19:cmd/go/internal/vcs/vcs.go`
/// `vcsGit` … `vcsFossil`).
public struct VCSKind: Sendable, Hashable {
    /// The command name (`git`).
    public var name: String
    /// Schemes, in the order cmd/go probes them.
    public var schemes: [String]
    /// The schemes cmd/go treats as secure (`SecureSchemes`).
    public var secureSchemes: [String]

    /// git: `git`, `https`, `http`, `git+ssh`, `ssh`; secure `https`, `git+ssh`, `ssh`.
    public static let git = VCSKind(name: "git", schemes: ["git", "https", "http", "git+ssh", "ssh"],
                                    secureSchemes: ["https", "git+ssh", "ssh"])
    /// Mercurial.
    public static let hg = VCSKind(name: "hg", schemes: ["https", "http", "ssh"], secureSchemes: ["https", "ssh"])
    /// Subversion.
    public static let svn = VCSKind(name: "svn", schemes: ["https", "http", "svn", "svn+ssh"],
                                    secureSchemes: ["https", "svn+ssh"])
    /// Bazaar.
    public static let bzr = VCSKind(name: "bzr", schemes: ["https", "http", "bzr", "bzr+ssh"],
                                    secureSchemes: ["https", "bzr+ssh"])
    /// Fossil.
    public static let fossil = VCSKind(name: "fossil", schemes: ["https", "http"], secureSchemes: ["https"])

    /// cmd/go's `vcsList`.
    public static let all: [VCSKind] = [.hg, .git, .svn, .bzr, .fossil]

    /// cmd/go's `vcsByCmd`.
    public static func named(_ name: String) -> VCSKind? { all.first { $0.name == name } }

    /// cmd/go's `isSecureScheme`: for git a non-empty `GIT_ALLOW_PROTOCOL` (colon list) replaces
    /// the secure set.
    public func isSecureScheme(_ scheme: String, gitAllowProtocol: String?) -> Bool {
        if name == "git", let allow = gitAllowProtocol, !allow.isEmpty {
            return allow.split(separator: ":", omittingEmptySubsequences: false).contains { $0 == scheme }
        }
        return secureSchemes.contains(scheme)
    }

    /// cmd/go's `Cmd.IsSecure`: the URL's scheme is secure; a URL without a scheme (scp-like
    /// `user@host:path`) is not.
    public func isSecure(url: String, gitAllowProtocol: String?) -> Bool {
        guard let scheme = try? URLScheme.parse(url), !scheme.isEmpty else { return false }
        return isSecureScheme(scheme, gitAllowProtocol: gitAllowProtocol)
    }
}

/// The scheme of a URL as Go's `net/url.Parse` finds it (`getScheme`), with the parse errors
/// `validateRepoRoot` can see.
enum URLScheme {
    struct ParseError: Error { var message: String }

    /// The scheme (empty when the URL has none).
    static func parse(_ raw: String) throws(ParseError) -> String {
        let bytes = Array(raw.utf8)
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw ParseError(message: "parse \(goQuote(raw.utf8)): net/url: invalid control character in URL")
        }
        // The fragment is cut off first.
        let body = bytes.firstIndex(of: UInt8(ascii: "#")).map { Array(bytes[..<$0]) } ?? bytes
        for (i, c) in body.enumerated() {
            let letter = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A)
            if letter { continue }
            if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") {
                if i == 0 { break }
                continue
            }
            if c == UInt8(ascii: ":") {
                if i == 0 { throw ParseError(message: "parse \(goQuote(raw.utf8)): missing protocol scheme") }
                return String(decoding: body[..<i], as: UTF8.self).lowercased()
            }
            break
        }
        // No scheme: a colon in the first path segment is an error.
        let firstSegment = body.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") }
        if firstSegment.contains(UInt8(ascii: ":")) {
            throw ParseError(message: "parse \(goQuote(raw.utf8)): first path segment in URL cannot contain colon")
        }
        return ""
    }
}

/// cmd/go's `validateRepoRoot`: the URL parses, has a scheme, and is not `file:`.
func validateRepoRoot(_ repoRoot: String) throws(URLScheme.ParseError) {
    let scheme = try URLScheme.parse(repoRoot)
    if scheme.isEmpty { throw URLScheme.ParseError(message: "no scheme") }
    if scheme == "file" { throw URLScheme.ParseError(message: "file scheme disallowed") }
}

