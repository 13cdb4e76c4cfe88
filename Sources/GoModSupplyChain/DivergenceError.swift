public import GoModCore
public import GoModZip
public import GoSumDB
public import GoModFetch
public import GoModVCS
/// Why a divergence check (``Divergence``) could not run to the end.
///
/// A divergence that was found is not an error: it is a ``Divergence/Report`` with a
/// ``Divergence/Verdict``. Equality compares ``code`` only (STYLE §5).
public struct DivergenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule that failed.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The mirror's zip is not a valid module zip (strict reader, wrong prefix, ...).
        case invalidZip
        /// The `.info` document is not JSON of the expected shape.
        case invalidInfo
        /// The `.info` names another version than the one asked for (Go: `proxy returned info
        /// for version <x> instead of requested version`).
        case versionMismatch
        /// The proxy answered 404 or 410 (or the file does not exist in a `file://` proxy).
        case notFound
        /// The proxy could not be reached or answered another status.
        case fetchFailed
        /// A download or file is larger than its cap (`.zip`: ``ModuleZip/maxZipFile``,
        /// `.info`: ``Divergence/maxInfoSize``).
        case tooLarge
        /// The module path or version is not valid, or the version is not canonical.
        case invalidModule
        /// The upstream repository could not be read or the module could not be rebuilt from it
        /// (the underlying ``ModuleZipError`` is kept in ``zipError``).
        case upstream
        /// A local file could not be read.
        case io
    }

    /// The rule that failed.
    public var code: Code
    /// What was being read (a URL, a file name, `path@version`).
    public var subject: String
    /// The details.
    public var message: String
    /// The rebuild's error, for ``Code/upstream``.
    public var zipError: ModuleZipError?

    /// Creates an error.
    public init(_ code: Code, subject: String, message: String, zipError: ModuleZipError? = nil) {
        self.code = code
        self.subject = subject
        self.message = message
        self.zipError = zipError
    }

    /// Equality on ``code`` only.
    public static func == (lhs: DivergenceError, rhs: DivergenceError) -> Bool { lhs.code == rhs.code }
    /// Hashes ``code`` only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `<subject>: <message>`.
    public var description: String { subject.isEmpty ? message : "\(subject): \(message)" }
}
