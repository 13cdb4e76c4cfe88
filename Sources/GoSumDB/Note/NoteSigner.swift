public import GoModCore
import Crypto
import GoModPlatform

/// A private key that signs notes (x/mod `note.NewSigner`): for tests and private databases.
///
/// Key text: `PRIVATE+KEY+<name>+<8 hex key hash>+<base64(0x01 ‖ 32-byte Ed25519 seed)>`;
/// the key hash is checked against the derived public key.
public struct NoteSigner: Sendable {
    /// The key name.
    public let name: ByteString
    /// The key hash (of the public key).
    public let keyHash: UInt32
    private let seed: [UInt8]

    /// Parses a signer key, mirroring x/mod `note.NewSigner`.
    public init(signerKey: String) throws(NoteError) {
        let bytes = Array(signerKey.utf8)
        let parts = bytes.split(separator: UInt8(ascii: "+"), maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].elementsEqual("PRIVATE".utf8), parts[1].elementsEqual("KEY".utf8),
              let hash = parseHex8(parts[3]), isValidNoteName(Array(parts[2])),
              let key = Base64.decode(parts[4]), !key.isEmpty
        else { throw NoteError(.malformedKey) }
        guard key[0] == 1 else { throw NoteError(.unknownAlgorithm) }
        guard key.count == 33,
              let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: Array(key[1...]))
        else { throw NoteError(.malformedKey) }
        let name = Array(parts[2])
        guard hash == noteKeyHash(name: name, key: [1] + Array(privateKey.publicKey.rawRepresentation)) else {
            throw NoteError(.keyHashMismatch)
        }
        self.name = ByteString(name)
        self.keyHash = hash
        self.seed = Array(key[1...])
    }

    /// Generates a fresh key pair (x/mod `note.GenerateKey`).
    public static func generate(name: ByteString) throws(NoteError) -> (signer: NoteSigner, verifier: NoteVerifier) {
        let key = Curve25519.Signing.PrivateKey()
        let seed = Array(key.rawRepresentation)
        let verifier = try NoteVerifier(name: name, ed25519PublicKey: Array(key.publicKey.rawRepresentation))
        let text = "PRIVATE+KEY+" + String(decoding: name.bytes, as: UTF8.self) + "+" + keyHashHex(verifier.keyHash)
            + "+" + Base64.encodeString([1] + seed)
        return (try NoteSigner(signerKey: text), verifier)
    }

    /// The matching verifier.
    public var verifier: NoteVerifier {
        get throws(NoteError) {
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
                throw NoteError(.malformedKey)
            }
            return try NoteVerifier(name: name, ed25519PublicKey: Array(key.publicKey.rawRepresentation))
        }
    }

    /// The 64-byte Ed25519 signature of `message` (deterministic, RFC 8032).
    public func sign(_ message: [UInt8]) throws(NoteError) -> [UInt8] {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed),
              let signature = try? key.signature(for: message) else { throw NoteError(.invalidSigner) }
        return Array(signature)
    }
}
