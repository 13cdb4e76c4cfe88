public import GoModCore
/// A signed-note failure (x/mod `sumdb/note` errors).
///
/// Two errors are equal when their codes are equal, so tests can write
/// `#expect(throws: NoteError(.malformedNote))`. ``description`` uses Go's wording.
public struct NoteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The note text or a signature line breaks the format (Go: `malformed note`).
        case malformedNote
        /// A verifier or signer key string is malformed (Go: `malformed verifier id`).
        case malformedKey
        /// The key's algorithm byte is not Ed25519 (Go: `unknown verifier algorithm`).
        case unknownAlgorithm
        /// The key hash in the key string does not match the key (Go: `invalid verifier hash`).
        case keyHashMismatch
        /// A signature by a known key does not verify (Go: `invalid signature for key N+H`).
        case invalidSignature
        /// No signature is by a known key (Go: `note has no verifiable signatures`).
        case unverifiedNote
        /// The trusted set lists one name and key hash twice (Go: `ambiguous key N+H`).
        case ambiguousKey
        /// A signer has an invalid name (Go: `invalid signer`).
        case invalidSigner
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
        switch code {
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
