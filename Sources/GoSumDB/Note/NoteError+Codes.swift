public import GoModCore

// The codes of `NoteError` this release knows, one static member each, in the order of
// `NoteError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == NoteError {
    /// The note text or a signature line breaks the format (Go: `malformed note`).
    public static var malformedNote: Self { Self("malformedNote") }
    /// A verifier or signer key string is malformed (Go: `malformed verifier id`).
    public static var malformedKey: Self { Self("malformedKey") }
    /// The key's algorithm byte is not Ed25519 (Go: `unknown verifier algorithm`).
    public static var unknownAlgorithm: Self { Self("unknownAlgorithm") }
    /// The key hash in the key string does not match the key (Go: `invalid verifier hash`).
    public static var keyHashMismatch: Self { Self("keyHashMismatch") }
    /// A signature by a known key does not verify (Go: `invalid signature for key N+H`).
    public static var invalidSignature: Self { Self("invalidSignature") }
    /// No signature is by a known key (Go: `note has no verifiable signatures`).
    public static var unverifiedNote: Self { Self("unverifiedNote") }
    /// The trusted set lists one name and key hash twice (Go: `ambiguous key N+H`).
    public static var ambiguousKey: Self { Self("ambiguousKey") }
    /// A signer has an invalid name (Go: `invalid signer`).
    public static var invalidSigner: Self { Self("invalidSigner") }
}
