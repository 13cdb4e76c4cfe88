public import GoModCore

/// A checksum-database client failure (x/mod `sumdb.Client` and cmd/go `checkSumDB`).
///
/// Equality considers ``code`` only. ``description`` reads like Go: `<path>@<version>: <error>`.
public struct ChecksumDatabaseError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<ChecksumDatabaseError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "disabled", "skipped", "invalidConfiguration", "note", "tlog", "securityFork", "recordNotInTree",
        "recordNotAuthenticated", "lookupMissingEntry", "inconsistentTile", "unexpectedNoteContent",
        "notFound", "httpStatus", "transport", "offlineMissing", "stateCorrupt", "tooManyRequests",
        "writeConflict", "storeFailure", "invalidModule", "deadlineExceeded",
    ]

    /// The broken rule.
    public var code: Code
    /// Detail (Go's message body).
    public var detail: String
    /// `path@version` the failure concerns, when there is one.
    public var module: String?
    /// For `Code.securityFork`: the full SECURITY ERROR report (both notes and the proof).
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
        // A test lists every code with its class, so a new code must be classified here.
        switch code {
        case .securityFork, .note, .tlog, .recordNotInTree, .recordNotAuthenticated, .lookupMissingEntry,
             .inconsistentTile, .unexpectedNoteContent:
            true
        default:
            false
        }
    }

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
