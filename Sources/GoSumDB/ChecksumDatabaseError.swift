/// A checksum-database client failure (x/mod `sumdb.Client` and cmd/go `checkSumDB`).
///
/// Equality considers ``code`` only. ``description`` reads like Go: `<path>@<version>: <error>`.
public struct ChecksumDatabaseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
    /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
    /// are the code's name, as the raw value of the former enum case was.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case disabled
            case skipped
            case invalidConfiguration
            case note
            case tlog
            case securityFork
            case recordNotInTree
            case recordNotAuthenticated
            case lookupMissingEntry
            case inconsistentTile
            case unexpectedNoteContent
            case notFound
            case httpStatus
            case transport
            case offlineMissing
            case stateCorrupt
            case tooManyRequests
            case writeConflict
            case storeFailure
            case invalidModule
            case deadlineExceeded
        }

        /// The code.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// `GOSUMDB=off` (Go: `checksum database disabled by GOSUMDB=off`).
        public static let disabled = Code(.disabled)
        /// The module path matches GONOSUMDB/GOPRIVATE (Go: `skipped (listed in GONOSUMDB)`).
        public static let skipped = Code(.skipped)
        /// GOSUMDB or another setting is malformed.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A signed note failed to open (bad signature, unknown key, malformed).
        public static let note = Code(.note)
        /// A tree note, record, tile path or proof is malformed or invalid.
        public static let tlog = Code(.tlog)
        /// The server's two trees are inconsistent: SECURITY ERROR with evidence.
        public static let securityFork = Code(.securityFork)
        /// A record id is not below the tree size (Go: `cannot validate record <id> in tree of size <N>`).
        public static let recordNotInTree = Code(.recordNotInTree)
        /// The record text does not hash to the log's leaf (Go: `cannot authenticate record data in server response`).
        public static let recordNotAuthenticated = Code(.recordNotAuthenticated)
        /// The authenticated record has no line for the module asked for (CVE-2026-42501;
        /// cmd/go: `checksum missing from sumdb response`).
        public static let lookupMissingEntry = Code(.lookupMissingEntry)
        /// A tile failed authentication (Go: `downloaded inconsistent tile`).
        public static let inconsistentTile = Code(.inconsistentTile)
        /// The note text carries lines after the tree hash (strict mode; CVE-2026-56864).
        public static let unexpectedNoteContent = Code(.unexpectedNoteContent)
        /// The server answered 404/410 (the database does not know the module, or a tile is missing).
        public static let notFound = Code(.notFound)
        /// The server answered another non-200 status.
        public static let httpStatus = Code(.httpStatus)
        /// A network failure (timeout, size cap, truncated body, redirect rules).
        public static let transport = Code(.transport)
        /// Offline mode and the cache lacks what is needed.
        public static let offlineMissing = Code(.offlineMissing)
        /// The stored `latest` is unreadable or not signed by the trusted key.
        public static let stateCorrupt = Code(.stateCorrupt)
        /// More requests than the tree math allows for one operation.
        public static let tooManyRequests = Code(.tooManyRequests)
        /// The config file changed under a compare-and-swap (retried internally).
        public static let writeConflict = Code(.writeConflict)
        /// Reading or writing the store failed.
        public static let storeFailure = Code(.storeFailure)
        /// The module path or version cannot be looked up (not escapable).
        public static let invalidModule = Code(.invalidModule)
        /// The caller's deadline passed before the lookup finished: not verified (neither
        /// verified nor refused).
        public static let deadlineExceeded = Code(.deadlineExceeded)

        /// The code's name, such as `disabled`.
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

    /// The broken rule.
    public var code: Code
    /// Detail (Go's message body).
    public var detail: String
    /// `path@version` the failure concerns, when there is one.
    public var module: String?
    /// For ``Code/securityFork``: the full SECURITY ERROR report (both notes and the proof).
    public var securityReport: String?
    /// Where the evidence was saved, if it was.
    public var evidencePath: String?
    /// The underlying error (NoteError, TLogError, HTTPTransportError…), when there is one.
    public var underlying: (any Error & Sendable)?

    /// An error.
    public init(_ code: Code, _ detail: String = "", module: String? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.detail = detail
        self.module = module
        self.underlying = underlying
    }

    /// Whether the failure shows the server misbehaved (its answer failed verification: a
    /// fork, a bad signature, a record or tile that does not authenticate, a record without
    /// the line asked for), as opposed to being unavailable or misconfigured.
    public var isSecurityFailure: Bool {
        // Over the backing enum, without `default`, so a new code must be classified here.
        switch code.backing {
        case .securityFork, .note, .tlog, .recordNotInTree, .recordNotAuthenticated, .lookupMissingEntry,
             .inconsistentTile, .unexpectedNoteContent:
            true
        case .disabled, .skipped, .invalidConfiguration, .notFound, .httpStatus, .transport, .offlineMissing,
             .stateCorrupt, .tooManyRequests, .writeConflict, .storeFailure, .invalidModule, .deadlineExceeded:
            false
        }
    }

    /// Equality on ``code`` only.
    public static func == (lhs: ChecksumDatabaseError, rhs: ChecksumDatabaseError) -> Bool { lhs.code == rhs.code }
    /// Hashes ``code`` only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The message, prefixed with `path@version: ` when known; a fork prints Go's SECURITY ERROR report.
    public var description: String {
        if code == .securityFork, let report = securityReport {
            return report + (evidencePath.map { "\nevidence saved to \($0)\n" } ?? "")
        }
        let body: String
        switch code {
        case .disabled: body = detail.isEmpty ? "checksum database disabled by GOSUMDB=off" : detail
        case .skipped: body = "skipped (listed in GONOSUMDB)"
        case .lookupMissingEntry: body = detail.isEmpty ? "checksum missing from sumdb response" : detail
        case .writeConflict: body = "write conflict"
        case .deadlineExceeded: body = detail.isEmpty ? "not verified: deadline exceeded" : detail
        default: body = detail
        }
        return module.map { "\($0): \(body)" } ?? body
    }
}
