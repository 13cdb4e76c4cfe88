public import GoModCore
import Crypto
import GoModPlatform

/// A public key that verifies note signatures (x/mod `note.NewVerifier` / `note.Verifier`).
///
/// Key text: `<name>+<8 hex key hash>+<base64(0x01 ‖ 32-byte Ed25519 public key)>`.
public struct NoteVerifier: Sendable, Hashable {
    /// The key name (non-empty, valid UTF-8, no white space, no `+`).
    public let name: ByteString
    /// The first four bytes (big-endian) of SHA-256(name ‖ "\n" ‖ 0x01 ‖ key).
    public let keyHash: UInt32
    /// The 32-byte Ed25519 public key.
    public let publicKey: [UInt8]

    /// Parses a verifier key, mirroring x/mod `note.NewVerifier`.
    public init(verifierKey: String) throws(NoteError) {
        let bytes = Array(verifierKey.utf8)
        let parts = bytes.split(separator: UInt8(ascii: "+"), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw NoteError(.malformedKey) }
        let name = Array(parts[0])
        guard let hash = parseHex8(parts[1]), isValidNoteName(name),
              let key = Base64.decode(parts[2]), !key.isEmpty
        else { throw NoteError(.malformedKey) }
        guard hash == noteKeyHash(name: name, key: key) else { throw NoteError(.keyHashMismatch) }
        guard key[0] == 1 else { throw NoteError(.unknownAlgorithm) }
        guard key.count == 33 else { throw NoteError(.malformedKey) }
        self.name = ByteString(name)
        self.keyHash = hash
        self.publicKey = Array(key[1...])
    }

    /// A verifier for an Ed25519 public key (x/mod `note.NewEd25519VerifierKey`).
    public init(name: ByteString, ed25519PublicKey: [UInt8]) throws(NoteError) {
        guard isValidNoteName(name.bytes), ed25519PublicKey.count == 32 else { throw NoteError(.malformedKey) }
        self.name = name
        self.publicKey = ed25519PublicKey
        self.keyHash = noteKeyHash(name: name.bytes, key: [1] + ed25519PublicKey)
    }

    /// The key text `<name>+<hash>+<base64>` (x/mod `NewEd25519VerifierKey`'s result).
    public var verifierKey: String {
        String(decoding: name.bytes, as: UTF8.self) + "+" + keyHashHex(keyHash) + "+" + Base64.encodeString([1] + publicKey)
    }

    /// Whether `signature` is a valid Ed25519 signature of `message` by this key.
    public func verify(_ message: [UInt8], signature: [UInt8]) -> Bool {
        guard signature.count == 64,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}

/// A set of trusted verifiers (x/mod `note.VerifierList`).
public struct NoteVerifiers: Sendable {
    private var byKey: [NameHash: [NoteVerifier]] = [:]

    struct NameHash: Hashable, Sendable { var name: ByteString; var hash: UInt32 }

    /// The set of `verifiers`; a (name, hash) listed twice makes lookups of it ambiguous.
    public init(_ verifiers: [NoteVerifier]) {
        for verifier in verifiers {
            byKey[NameHash(name: verifier.name, hash: verifier.keyHash), default: []].append(verifier)
        }
    }

    /// The verifier for (name, hash): `nil` when unknown; `NoteError.Code.ambiguousKey` when
    /// listed twice (x/mod `verifierMap.Verifier`).
    public func verifier(name: ByteString, keyHash: UInt32) throws(NoteError) -> NoteVerifier? {
        guard let list = byKey[NameHash(name: name, hash: keyHash)] else { return nil }
        guard list.count == 1 else { throw NoteError(.ambiguousKey, keyName: name, keyHash: keyHash) }
        return list[0]
    }
}

/// x/mod `isValidName`: non-empty, valid UTF-8, no Unicode white space, no `+`.
func isValidNoteName(_ name: [UInt8]) -> Bool {
    guard !name.isEmpty, !name.contains(UInt8(ascii: "+")),
          let string = String(validating: name, as: UTF8.self) else { return false }
    return !string.unicodeScalars.contains { $0.properties.isWhitespace }
}

/// x/mod `keyHash`: the first four bytes of SHA-256(name ‖ "\n" ‖ key), big-endian.
func noteKeyHash(name: [UInt8], key: [UInt8]) -> UInt32 {
    var hasher = SHA256()
    hasher.update(data: name)
    hasher.update(data: [0x0A])
    hasher.update(data: key)
    let digest = Array(hasher.finalize())
    return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
}

/// Exactly eight hex digits (Go: `len(hash16) == 8 && ParseUint(hash16, 16, 32)`).
func parseHex8(_ text: some Collection<UInt8>) -> UInt32? {
    guard text.count == 8 else { return nil }
    var value: UInt32 = 0
    for byte in text {
        let digit: UInt8
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
        default: return nil
        }
        value = value << 4 | UInt32(digit)
    }
    return value
}
