/// Why advisory data could not be read: the source and the rule it broke.
///
/// Equality compares the code only.
public struct AdvisoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The source (directory, file, zip, URL) cannot be opened or read.
        case unreadableSource = "unreadable-source"
        /// A record is not valid OSV JSON.
        case malformedRecord = "malformed-record"
        /// A record is larger than the limit.
        case oversizedRecord = "oversized-record"
        /// An index file (`index/modules.json`) is malformed or too large.
        case malformedIndex = "malformed-index"
        /// More records or files than the limit.
        case tooManyRecords = "too-many-records"
        /// A source location is not a directory, `file://`, `http(s)://` URL or zip.
        case invalidLocation = "invalid-location"
    }

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

    /// `<source>: <rule>[: <detail>]`.
    public var description: String {
        let what: String = switch code {
        case .unreadableSource: "cannot read advisory source"
        case .malformedRecord: "malformed advisory record"
        case .oversizedRecord: "advisory record too large"
        case .malformedIndex: "malformed advisory index"
        case .tooManyRecords: "too many advisory records"
        case .invalidLocation: "not an advisory source location"
        }
        return "\(source): \(what)" + (detail.isEmpty ? "" : ": \(detail)")
    }

    /// Equal codes.
    public static func == (lhs: AdvisoryError, rhs: AdvisoryError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
