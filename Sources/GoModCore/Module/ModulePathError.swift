/// A module path, import path, file path or version that breaks one of Go's naming rules
/// (x/mod `module.InvalidPathError`, `module.InvalidVersionError`, `module.ModuleError`, and the
/// plain errors of `module.UnescapePath`/`UnescapeVersion` and `path.Match`).
///
/// ``message`` holds the exact bytes Go's `err.Error()` returns, for example
/// `malformed module path "x": missing dot in first path element` or
/// `example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2`. Go formats some inputs
/// with `%s` (raw bytes) rather than `%q`, so the message is a byte string; ``description`` is
/// the same text, with any invalid UTF-8 escaped the way Go's `%q` would print it.
///
/// Equality compares ``code`` only (STYLE.md §5).
public struct ModulePathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which rule was broken. Each case names the Go message it corresponds to.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
    /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
    /// are the code's name, as the raw value of the former enum case was.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case invalidUTF8
            case empty
            case leadingDash
            case doubleSlash
            case trailingSlash
            case emptyElement
            case dotsOnlyElement
            case leadingDot
            case trailingDot
            case invalidCharacter
            case windowsReservedName
            case windowsShortName
            case leadingSlash
            case missingDotInFirstElement
            case leadingDashInFirstElement
            case invalidCharacterInFirstElement
            case invalidMajorVersionSuffix
            case notSemanticVersion
            case majorVersionMismatch
            case disallowedVersionString
            case escapingInconsistency
            case invalidEscapedPath
            case invalidEscapedVersion
            case pseudoVersionSyntax
            case pseudoVersionMalformedTime
            case pseudoVersionBuildWithoutBase
            case pseudoVersionNegativePatch
            case badPattern
        }

        /// The code.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// `invalid UTF-8`.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// `empty string`.
        public static let empty = Code(.empty)
        /// `leading dash` (module and import paths).
        public static let leadingDash = Code(.leadingDash)
        /// `double slash`.
        public static let doubleSlash = Code(.doubleSlash)
        /// `trailing slash`.
        public static let trailingSlash = Code(.trailingSlash)
        /// `empty path element`.
        public static let emptyElement = Code(.emptyElement)
        /// `invalid path element "..."`: an element made only of dots.
        public static let dotsOnlyElement = Code(.dotsOnlyElement)
        /// `leading dot in path element` (module paths only).
        public static let leadingDot = Code(.leadingDot)
        /// `trailing dot in path element`.
        public static let trailingDot = Code(.trailingDot)
        /// `invalid char 'c'`: a character outside the kind's character set.
        public static let invalidCharacter = Code(.invalidCharacter)
        /// `"con" disallowed as path element component on Windows`.
        public static let windowsReservedName = Code(.windowsReservedName)
        /// `trailing tilde and digits in path element` (Windows short names).
        public static let windowsShortName = Code(.windowsShortName)
        /// `leading slash` (module paths).
        public static let leadingSlash = Code(.leadingSlash)
        /// `missing dot in first path element` (module paths).
        public static let missingDotInFirstElement = Code(.missingDotInFirstElement)
        /// `leading dash in first path element` (module paths).
        public static let leadingDashInFirstElement = Code(.leadingDashInFirstElement)
        /// `invalid char 'c' in first path element` (module paths).
        public static let invalidCharacterInFirstElement = Code(.invalidCharacterInFirstElement)
        /// `invalid version`: a malformed major-version suffix such as `/v1`, `/v2.0` or `/v02`,
        /// or a `gopkg.in` path without `.vN`.
        public static let invalidMajorVersionSuffix = Code(.invalidMajorVersionSuffix)
        /// `not a semantic version` (`module.Check`).
        public static let notSemanticVersion = Code(.notSemanticVersion)
        /// `should be vN, not vM`: the version's major does not match the path's suffix.
        public static let majorVersionMismatch = Code(.majorVersionMismatch)
        /// `disallowed version string` (`module.EscapeVersion`).
        public static let disallowedVersionString = Code(.disallowedVersionString)
        /// `internal error: inconsistency in EscapePath`: Go's escaper met a non-ASCII rune
        /// (a version such as `v1.0.0-é` passes the file-name check but cannot be escaped).
        public static let escapingInconsistency = Code(.escapingInconsistency)
        /// `invalid escaped module path "..."` (`module.UnescapePath`).
        public static let invalidEscapedPath = Code(.invalidEscapedPath)
        /// `invalid escaped version "..."` (`module.UnescapeVersion`).
        public static let invalidEscapedVersion = Code(.invalidEscapedVersion)
        /// `syntax error`: not a pseudo-version.
        public static let pseudoVersionSyntax = Code(.pseudoVersionSyntax)
        /// `malformed time "..."`: a pseudo-version whose timestamp is not a valid UTC time.
        public static let pseudoVersionMalformedTime = Code(.pseudoVersionMalformedTime)
        /// `lacks base version, but has build metadata "..."`.
        public static let pseudoVersionBuildWithoutBase = Code(.pseudoVersionBuildWithoutBase)
        /// `version before vX.Y.0 would have negative patch number`.
        public static let pseudoVersionNegativePatch = Code(.pseudoVersionNegativePatch)
        /// `syntax error in pattern` (`path.Match`'s `ErrBadPattern`).
        public static let badPattern = Code(.badPattern)

        /// The code's name, such as `invalidUTF8`.
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

    /// Which of Go's three path kinds a path error is about.
    public enum PathKind: String, Sendable, Hashable {
        /// A module path (`module.CheckPath`).
        case module
        /// An import path (`module.CheckImportPath`).
        case `import`
        /// A file path inside a module (`module.CheckFilePath`).
        case file
    }

    /// The rule that was broken.
    public let code: Code

    /// The path kind for errors from the path checks; `nil` for version and pattern errors.
    public let kind: PathKind?

    /// The rejected input (path, version, escaped form or pattern), exactly as given.
    public let input: ByteString

    /// The exact text of Go's `err.Error()`.
    public let message: ByteString

    /// Which Go error type this error corresponds to, for ``GoModule/versionError(_:_:)``.
    enum GoShape: Sendable, Hashable {
        /// `*module.InvalidVersionError`: the version, whether it is a pseudo-version, the reason.
        case invalidVersion(version: ByteString, pseudo: Bool, reason: ByteString)
        /// `*module.ModuleError` for this path and version.
        case module(path: ByteString, version: ByteString)
        /// Any other error (`*module.InvalidPathError`, plain errors).
        case other
    }

    /// The Go error type behind this error.
    let shape: GoShape

    /// Creates an error; used by the checks in this folder.
    init(_ code: Code, kind: PathKind? = nil, input: ByteString, message: ByteString, shape: GoShape = .other) {
        self.code = code
        self.kind = kind
        self.input = input
        self.message = message
        self.shape = shape
    }

    /// Go's message; invalid UTF-8 (possible only where Go prints an input with `%s`) is
    /// shown Go-quoted so the text is safe for a terminal.
    public var description: String {
        message.utf8String ?? goQuote(message.bytes)
    }

    /// Errors are equal when their codes are.
    public static func == (lhs: ModulePathError, rhs: ModulePathError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

// MARK: - Message building on bytes

/// Appends the UTF-8 of `text` to a byte buffer; a small helper for building Go messages.
@inline(__always)
func appendText(_ out: inout [UInt8], _ text: String) { out.append(contentsOf: text.utf8) }

/// Go's `%q` of a string, as bytes.
func quotedBytes(_ bytes: some Collection<UInt8>) -> [UInt8] { Array(goQuote(bytes).utf8) }
