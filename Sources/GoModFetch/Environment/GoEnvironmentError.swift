/// A Go environment setting that cmd/go would reject: a malformed `GOFLAGS`, or a module cache
/// location that cannot be used.
///
/// ``description`` is cmd/go's text (`go: parsing $GOFLAGS: non-flag "x"` is printed by cmd/go
/// as `go: ` + this text; see `cmd/go/internal/base/goflags.go` and
/// `cmd/go/internal/modfetch/cache.go`).
public struct GoEnvironmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    ///
    /// New codes may be added in later releases without breaking source compatibility: `switch`
    /// over a value with a `default`, or compare with `==`.
    public struct Code: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// The values of this release.
        fileprivate enum Backing: Sendable, Hashable {
            case invalidGOFLAGS
            case moduleCacheUnset
            case moduleCacheRelative
            case gopathUnset
        }

        /// The value.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// `GOFLAGS` is not a list of flags: an unterminated quote (`unterminated ' string`)
        /// or a word that is not `-name`, `--name`, `-name=value` (`non-flag "x"`).
        public static let invalidGOFLAGS = Code(.invalidGOFLAGS)
        /// Neither `GOMODCACHE` nor `GOPATH` (nor `HOME`) gives a module cache
        /// (`module cache not found: neither GOMODCACHE nor GOPATH is set`).
        public static let moduleCacheUnset = Code(.moduleCacheUnset)
        /// The module cache path is relative (`GOMODCACHE entry is relative; must be absolute path`).
        public static let moduleCacheRelative = Code(.moduleCacheRelative)

        /// No `GOPATH` (nor `HOME`) locates the checksum-database files (`could not locate
        /// sumdb file: missing $GOPATH`, cmd/go's `modfetch/sumdb.go`).
        public static let gopathUnset = Code(.gopathUnset)

        /// The code's name, such as `invalidGOFLAGS`.
        public var description: String {
            switch backing {
            case .invalidGOFLAGS: "invalidGOFLAGS"
            case .moduleCacheUnset: "moduleCacheUnset"
            case .moduleCacheRelative: "moduleCacheRelative"
            case .gopathUnset: "gopathUnset"
            }
        }
    }

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

    /// Errors are equal when their codes are.
    public static func == (lhs: GoEnvironmentError, rhs: GoEnvironmentError) -> Bool { lhs.code == rhs.code }
}
