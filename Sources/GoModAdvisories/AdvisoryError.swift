public import GoModCore

/// Why advisory data could not be read: the source and the rule it broke.
///
/// Equality compares the code only.
public struct AdvisoryError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name, such as `unreadable-source`.
    public typealias Code = ErrorCode<AdvisoryError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "unreadable-source", "malformed-record", "oversized-record", "malformed-index", "too-many-records",
        "invalid-location",
    ]

    /// The code.
    public var code: Code
    /// The source, file or URL concerned.
    public var source: String
    /// Details.
    public var detail: String

    /// An error.
    public init(_ code: Code, source: String, detail: String = "") {
        self.code = code
        self.source = source
        self.detail = detail
    }

    /// `<source>: <rule>[: <detail>]` (a test checks every code's).
    public var description: String {
        let what: String = switch code {
        case .unreadableSource: "cannot read advisory source"
        case .malformedRecord: "malformed advisory record"
        case .oversizedRecord: "advisory record too large"
        case .malformedIndex: "malformed advisory index"
        case .tooManyRecords: "too many advisory records"
        case .invalidLocation: "not an advisory source location"
        default: code.rawValue
        }
        return "\(source): \(what)" + (detail.isEmpty ? "" : ": \(detail)")
    }
}
