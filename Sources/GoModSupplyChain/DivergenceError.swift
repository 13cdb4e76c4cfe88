public import GoModZip
/// Why a divergence check (``Divergence``) could not run to the end.
///
/// A divergence that was found is not an error: it is a ``Divergence/Report`` with a
/// ``Divergence/Verdict``. Equality compares ``code`` only.
public struct DivergenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule that failed.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
    /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
    /// are the code's name, as the raw value of the former enum case was.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case invalidZip
            case invalidInfo
            case versionMismatch
            case notFound
            case fetchFailed
            case tooLarge
            case invalidModule
            case upstream
            case io
        }

        /// The code.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The mirror's zip is not a valid module zip (strict reader, wrong prefix, ...).
        public static let invalidZip = Code(.invalidZip)
        /// The `.info` document is not JSON of the expected shape.
        public static let invalidInfo = Code(.invalidInfo)
        /// The `.info` names another version than the one asked for (Go: `proxy returned info
        /// for version <x> instead of requested version`).
        public static let versionMismatch = Code(.versionMismatch)
        /// The proxy answered 404 or 410 (or the file does not exist in a `file://` proxy).
        public static let notFound = Code(.notFound)
        /// The proxy could not be reached or answered another status.
        public static let fetchFailed = Code(.fetchFailed)
        /// A download or file is larger than its cap (`.zip`: `ModuleZip.maxZipFile`,
        /// `.info`: ``Divergence/maxInfoSize``).
        public static let tooLarge = Code(.tooLarge)
        /// The module path or version is not valid, or the version is not canonical.
        public static let invalidModule = Code(.invalidModule)
        /// The upstream repository could not be read or the module could not be rebuilt from it
        /// (the underlying `ModuleZipError` is kept in ``zipError``).
        public static let upstream = Code(.upstream)
        /// A local file could not be read.
        public static let io = Code(.io)

        /// The code's name, such as `invalidZip`.
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
