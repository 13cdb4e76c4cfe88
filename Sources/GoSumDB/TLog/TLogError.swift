public import GoModCore

/// A transparency-log failure (x/mod `sumdb/tlog` errors and the sumdb record/tree formats).
///
/// Equality considers ``code`` only. ``description`` uses Go's wording.
public struct TLogError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<TLogError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "malformedTree", "malformedRecord", "malformedTilePath", "malformedHash", "invalidProof",
        "invalidInput", "inconsistentTile",
    ]

    /// The broken rule.
    public var code: Code
    /// Detail for people (the offending input, quoted).
    public var detail: String

    /// An error.
    public init(_ code: Code, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// Go's message for the error (a test checks every code's).
    public var description: String {
        switch code {
        case .malformedTree: return "malformed tree note" + (detail.isEmpty ? "" : " (\(detail))")
        case .malformedRecord: return "malformed record data" + (detail.isEmpty ? "" : " (\(detail))")
        case .malformedTilePath: return "malformed tile path \(detail)"
        case .malformedHash: return "malformed hash"
        case .invalidProof: return "invalid transparency proof"
        case .invalidInput: return "tlog: invalid inputs" + (detail.isEmpty ? "" : " in \(detail)")
        case .inconsistentTile: return "downloaded inconsistent tile" + (detail.isEmpty ? "" : " (\(detail))")
        default: return code.rawValue + (detail.isEmpty ? "" : " (\(detail))")
        }
    }
}
