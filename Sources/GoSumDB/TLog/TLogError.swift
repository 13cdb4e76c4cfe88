/// A transparency-log failure (x/mod `sumdb/tlog` errors and the sumdb record/tree formats).
///
/// Equality considers ``code`` only. ``description`` uses Go's wording.
public struct TLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
    /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
    /// are the code's name, as the raw value of the former enum case was.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case malformedTree
            case malformedRecord
            case malformedTilePath
            case malformedHash
            case invalidProof
            case invalidInput
            case inconsistentTile
        }

        /// The code.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// A tree note is malformed (Go: `malformed tree note`).
        public static let malformedTree = Code(.malformedTree)
        /// A lookup record is malformed, including a non-canonical or negative id
        /// (Go: `malformed record data`; Go accepts `-1`, `+5`, `007`).
        public static let malformedRecord = Code(.malformedRecord)
        /// A tile path is malformed (Go: `malformed tile path "…"`).
        public static let malformedTilePath = Code(.malformedTilePath)
        /// A hash is not canonical base64 of 32 bytes (Go: `malformed hash`).
        public static let malformedHash = Code(.malformedHash)
        /// A proof does not verify (Go: `invalid transparency proof`).
        public static let invalidProof = Code(.invalidProof)
        /// Sizes or indexes outside the tree (Go: `tlog: invalid inputs in …`, `indexes not in tree`).
        public static let invalidInput = Code(.invalidInput)
        /// A tile is not authenticated by the signed tree, or has the wrong length
        /// (Go: `downloaded inconsistent tile`).
        public static let inconsistentTile = Code(.inconsistentTile)

        /// The code's name, such as `malformedTree`.
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
        switch code.backing {
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
