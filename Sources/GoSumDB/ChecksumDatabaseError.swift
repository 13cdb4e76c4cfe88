public import GoModCore
/// A checksum-database client failure (x/mod `sumdb.Client` and cmd/go `checkSumDB`).
///
/// Equality considers ``code`` only. ``description`` reads like Go: `<path>@<version>: <error>`.
public struct ChecksumDatabaseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// `GOSUMDB=off` (Go: `checksum database disabled by GOSUMDB=off`).
        case disabled
        /// The module path matches GONOSUMDB/GOPRIVATE (Go: `skipped (listed in GONOSUMDB)`).
        case skipped
        /// GOSUMDB or another setting is malformed.
        case invalidConfiguration
        /// A signed note failed to open (bad signature, unknown key, malformed).
        case note
        /// A tree note, record, tile path or proof is malformed or invalid.
        case tlog
        /// The server's two trees are inconsistent: SECURITY ERROR with evidence.
        case securityFork
        /// A record id is not below the tree size (Go: `cannot validate record <id> in tree of size <N>`).
        case recordNotInTree
        /// The record text does not hash to the log's leaf (Go: `cannot authenticate record data in server response`).
        case recordNotAuthenticated
        /// The authenticated record has no line for the module asked for (CVE-2026-42501;
        /// cmd/go: `checksum missing from sumdb response`).
        case lookupMissingEntry
        /// A tile failed authentication (Go: `downloaded inconsistent tile`).
        case inconsistentTile
        /// The note text carries lines after the tree hash (strict mode; CVE-2026-56864).
        case unexpectedNoteContent
        /// The server answered 404/410 (the database does not know the module, or a tile is missing).
        case notFound
        /// The server answered another non-200 status.
        case httpStatus
        /// A network failure (timeout, size cap, truncated body, redirect rules).
        case transport
        /// Offline mode and the cache lacks what is needed.
        case offlineMissing
        /// The stored `latest` is unreadable or not signed by the trusted key.
        case stateCorrupt
        /// More requests than the tree math allows for one operation.
        case tooManyRequests
        /// The config file changed under a compare-and-swap (retried internally).
        case writeConflict
        /// Reading or writing the store failed.
        case storeFailure
        /// The module path or version cannot be looked up (not escapable).
        case invalidModule
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
        default: body = detail
        }
        return module.map { "\($0): \(body)" } ?? body
    }
}
