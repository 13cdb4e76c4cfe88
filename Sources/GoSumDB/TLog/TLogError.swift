public import GoModCore
/// A transparency-log failure (x/mod `sumdb/tlog` errors and the sumdb record/tree formats).
///
/// Equality considers ``code`` only. ``description`` uses Go's wording.
public struct TLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A tree note is malformed (Go: `malformed tree note`).
        case malformedTree
        /// A lookup record is malformed, including a non-canonical or negative id
        /// (Go: `malformed record data`; Go accepts `-1`, `+5`, `007`).
        case malformedRecord
        /// A tile path is malformed (Go: `malformed tile path "…"`).
        case malformedTilePath
        /// A hash is not canonical base64 of 32 bytes (Go: `malformed hash`).
        case malformedHash
        /// A proof does not verify (Go: `invalid transparency proof`).
        case invalidProof
        /// Sizes or indexes outside the tree (Go: `tlog: invalid inputs in …`, `indexes not in tree`).
        case invalidInput
        /// A tile is not authenticated by the signed tree, or has the wrong length
        /// (Go: `downloaded inconsistent tile`).
        case inconsistentTile
    }

    /// The broken rule.
    public var code: Code
    /// Detail for people (the offending input, quoted).
    public var detail: String

    /// An error.
    public init(_ code: Code, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// Equality on ``code`` only.
    public static func == (lhs: TLogError, rhs: TLogError) -> Bool { lhs.code == rhs.code }

    /// Hashes ``code`` only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// Go's message for the error.
    public var description: String {
        switch code {
        case .malformedTree: return "malformed tree note" + (detail.isEmpty ? "" : " (\(detail))")
        case .malformedRecord: return "malformed record data" + (detail.isEmpty ? "" : " (\(detail))")
        case .malformedTilePath: return "malformed tile path \(detail)"
        case .malformedHash: return "malformed hash"
        case .invalidProof: return "invalid transparency proof"
        case .invalidInput: return "tlog: invalid inputs" + (detail.isEmpty ? "" : " in \(detail)")
        case .inconsistentTile: return "downloaded inconsistent tile" + (detail.isEmpty ? "" : " (\(detail))")
        }
    }
}
