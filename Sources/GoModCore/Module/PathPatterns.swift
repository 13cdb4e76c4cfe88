/// A comma-separated list of module-path glob patterns, as in GOPRIVATE, GONOPROXY,
/// GONOSUMDB and GOINSECURE (https://go.dev/ref/mod#private-modules).
///
/// ``matches(_:)-(ModulePath)`` is Go's `module.MatchPrefixPatterns`: a pattern with k
/// slashes matches when Go's `path.Match` accepts the first k+1 elements of the path, so
/// `*.corp.example.com` covers `git.corp.example.com/team/repo` and `rsc.io/private` covers
/// `rsc.io/private/quux`. Empty entries are ignored, one trailing `/` is removed from each
/// pattern, and a malformed pattern never matches (``invalidPatterns`` lists them, which Go
/// does not report).
public struct PathPatterns: Hashable, Sendable, CustomStringConvertible {
    /// The list exactly as given.
    public let globs: ByteString

    /// Wraps a comma-separated list, e.g. the value of GOPRIVATE.
    public init(_ globs: ByteString) { self.globs = globs }

    /// Wraps a comma-separated list, e.g. the value of GOPRIVATE.
    public init(_ globs: String) { self.globs = ByteString(globs) }

    /// The non-empty patterns, each with one trailing `/` removed, in list order.
    public var patterns: [ByteString] {
        globs.bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true).compactMap { glob in
            let trimmed = glob.last == UInt8(ascii: "/") ? glob.dropLast() : glob
            return trimmed.isEmpty ? nil : ByteString(Array(trimmed))
        }
    }

    /// Whether there is no usable pattern (an empty variable matches nothing).
    public var isEmpty: Bool { patterns.isEmpty }

    /// The patterns Go's `path.Match` rejects as malformed; they never match anything.
    public var invalidPatterns: [ByteString] {
        patterns.filter { pattern in
            do {
                _ = try GoModule.pathMatch(pattern, "")
                return false
            } catch {
                return true
            }
        }
    }

    /// Whether a prefix of `path` matches a pattern (Go's `module.MatchPrefixPatterns`).
    public func matches(_ path: ModulePath) -> Bool {
        GoModule.matchPrefixPatterns(globs, path.bytes)
    }

    /// Whether a prefix of `target` (any path, e.g. an import path) matches a pattern (Go's
    /// `module.MatchPrefixPatterns`).
    public func matches(_ target: ByteString) -> Bool {
        GoModule.matchPrefixPatterns(globs, target)
    }

    /// The list as given, Go-quoted.
    public var description: String { globs.description }
}
