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
/// Equality compares ``code`` only.
public struct ModulePathError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// Which rule was broken. Each case names the Go message it corresponds to.
    ///
    /// An extensible ``ErrorCode``: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. ``ErrorCode/rawValue`` and ``ErrorCode/description`` are
    /// the code's name.
    public typealias Code = ErrorCode<ModulePathError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "invalidUTF8", "empty", "leadingDash", "doubleSlash", "trailingSlash", "emptyElement",
        "dotsOnlyElement", "leadingDot", "trailingDot", "invalidCharacter", "windowsReservedName",
        "windowsShortName", "leadingSlash", "missingDotInFirstElement", "leadingDashInFirstElement",
        "invalidCharacterInFirstElement", "invalidMajorVersionSuffix", "notSemanticVersion",
        "majorVersionMismatch", "disallowedVersionString", "escapingInconsistency", "invalidEscapedPath",
        "invalidEscapedVersion", "pseudoVersionSyntax", "pseudoVersionMalformedTime",
        "pseudoVersionBuildWithoutBase", "pseudoVersionNegativePatch", "badPattern",
    ]

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

    /// Which Go error type this error corresponds to, for ``Module/versionError(_:_:)``.
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
}

// MARK: - Message building on bytes

/// Appends the UTF-8 of `text` to a byte buffer; a small helper for building Go messages.
@inline(__always)
func appendText(_ out: inout [UInt8], _ text: String) { out.append(contentsOf: text.utf8) }

/// Go's `%q` of a string, as bytes.
func quotedBytes(_ bytes: some Collection<UInt8>) -> [UInt8] { Array(goQuote(bytes).utf8) }
