public import GoModCore
/// A signed-note failure (x/mod `sumdb/note` errors).
///
/// Two errors are equal when their codes are equal, so tests can write
/// `#expect(throws: NoteError(.malformedNote))`. ``description`` uses Go's wording.
public struct NoteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
    /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
    /// are the code's name, as the raw value of the former enum case was.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case malformedNote
            case malformedKey
            case unknownAlgorithm
            case keyHashMismatch
            case invalidSignature
            case unverifiedNote
            case ambiguousKey
            case invalidSigner
        }

        /// The code.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The note text or a signature line breaks the format (Go: `malformed note`).
        public static let malformedNote = Code(.malformedNote)
        /// A verifier or signer key string is malformed (Go: `malformed verifier id`).
        public static let malformedKey = Code(.malformedKey)
        /// The key's algorithm byte is not Ed25519 (Go: `unknown verifier algorithm`).
        public static let unknownAlgorithm = Code(.unknownAlgorithm)
        /// The key hash in the key string does not match the key (Go: `invalid verifier hash`).
        public static let keyHashMismatch = Code(.keyHashMismatch)
        /// A signature by a known key does not verify (Go: `invalid signature for key N+H`).
        public static let invalidSignature = Code(.invalidSignature)
        /// No signature is by a known key (Go: `note has no verifiable signatures`).
        public static let unverifiedNote = Code(.unverifiedNote)
        /// The trusted set lists one name and key hash twice (Go: `ambiguous key N+H`).
        public static let ambiguousKey = Code(.ambiguousKey)
        /// A signer has an invalid name (Go: `invalid signer`).
        public static let invalidSigner = Code(.invalidSigner)

        /// The code's name, such as `malformedNote`.
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

    /// The rule that was broken.
    public var code: Code
    /// The key name involved, when there is one.
    public var keyName: ByteString?
    /// The key hash involved, when there is one.
    public var keyHash: UInt32?
    /// For ``Code/unverifiedNote``: the parsed note (all its signatures unverified), for diagnostics.
    public var unverifiedNote: Note?

    /// An error with only a code.
    public init(_ code: Code, keyName: ByteString? = nil, keyHash: UInt32? = nil, unverifiedNote: Note? = nil) {
        self.code = code
        self.keyName = keyName
        self.keyHash = keyHash
        self.unverifiedNote = unverifiedNote
    }

    /// Equality on ``code`` only.
    public static func == (lhs: NoteError, rhs: NoteError) -> Bool { lhs.code == rhs.code }

    /// Hashes ``code`` only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// Go's message for the error.
    public var description: String {
        let key = "\(keyName.map { String(decoding: $0.bytes, as: UTF8.self) } ?? "")+\(keyHashHex(keyHash ?? 0))"
        switch code.backing {
        case .malformedNote: return "malformed note"
        case .malformedKey: return "malformed verifier id"
        case .unknownAlgorithm: return "unknown verifier algorithm"
        case .keyHashMismatch: return "invalid verifier hash"
        case .invalidSignature: return "invalid signature for key \(key)"
        case .unverifiedNote: return "note has no verifiable signatures"
        case .ambiguousKey: return "ambiguous key \(key)"
        case .invalidSigner: return "invalid signer"
        }
    }
}

/// `%08x` of a key hash (no `0x`).
func keyHashHex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
