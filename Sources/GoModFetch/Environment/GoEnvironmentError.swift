public import GoModCore

/// A Go environment setting that cmd/go would reject: a malformed `GOFLAGS`, or a module cache
/// location that cannot be used.
///
/// ``description`` is cmd/go's text (`go: parsing $GOFLAGS: non-flag "x"` is printed by cmd/go
/// as `go: ` + this text; see `cmd/go/internal/base/goflags.go` and
/// `cmd/go/internal/modfetch/cache.go`).
public struct GoEnvironmentError: CodedError, ErrorCodeDomain, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<GoEnvironmentError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "invalidGOFLAGS", "moduleCacheUnset", "moduleCacheRelative", "gopathUnset",
    ]

    /// What went wrong.
    public let code: Code
    /// The variable concerned (`GOFLAGS`, `GOMODCACHE`).
    public let variable: String
    /// cmd/go's message, without the leading `go: `.
    public let message: String

    /// An error of `code` about `variable`.
    public init(_ code: Code, variable: String, _ message: String) {
        self.code = code
        self.variable = variable
        self.message = message
    }

    /// cmd/go's message, without the leading `go: `.
    public var description: String { message }
}
