public import GoModCore
/// A signed-note failure (x/mod `sumdb/note` errors).
///
/// Two errors are equal when their codes are equal, so tests can write
/// `#expect(throws: NoteError(.malformedNote))`. ``description`` uses Go's wording.
public struct NoteError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<NoteError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "malformedNote", "malformedKey", "unknownAlgorithm", "keyHashMismatch", "invalidSignature",
        "unverifiedNote", "ambiguousKey", "invalidSigner",
    ]

    /// The rule that was broken.
    public var code: Code
    /// The key name involved, when there is one.
    public var keyName: ByteString?
    /// The key hash involved, when there is one.
    public var keyHash: UInt32?
    /// For `Code.unverifiedNote`: the parsed note (all its signatures unverified), for diagnostics.
    public var unverifiedNote: Note?

    /// An error with only a code.
    public init(_ code: Code, keyName: ByteString? = nil, keyHash: UInt32? = nil, unverifiedNote: Note? = nil) {
        self.code = code
        self.keyName = keyName
        self.keyHash = keyHash
        self.unverifiedNote = unverifiedNote
    }

    /// Go's message for the error (a test checks every code's).
    public var description: String {
        let key = "\(keyName.map { String(decoding: $0.bytes, as: UTF8.self) } ?? "")+\(keyHashHex(keyHash ?? 0))"
        switch code {
        case .malformedNote: return "malformed note"
        case .malformedKey: return "malformed verifier id"
        case .unknownAlgorithm: return "unknown verifier algorithm"
        case .keyHashMismatch: return "invalid verifier hash"
        case .invalidSignature: return "invalid signature for key \(key)"
        case .unverifiedNote: return "note has no verifiable signatures"
        case .ambiguousKey: return "ambiguous key \(key)"
        case .invalidSigner: return "invalid signer"
        default: return code.rawValue
        }
    }
}

/// `%08x` of a key hash (no `0x`).
func keyHashHex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
