public import GoModCore
/// A signed note (C2SP signed-note; x/mod `sumdb/note`): text followed by signature lines.
public struct Note: Sendable, Equatable {
    /// One signature line: `— <name> <base64(key hash ‖ signature)>`.
    public struct Signature: Sendable, Equatable, Hashable {
        /// The signer's key name.
        public var name: ByteString
        /// The signer's key hash.
        public var keyHash: UInt32
        /// The signature bytes after the 4-byte key hash.
        public var signature: [UInt8]

        /// A signature.
        public init(name: ByteString, keyHash: UInt32, signature: [UInt8]) {
            self.name = name
            self.keyHash = keyHash
            self.signature = signature
        }

        /// The base64 field of the signature line.
        public var base64: String {
            Base64.encodeString([UInt8(keyHash >> 24), UInt8(truncatingIfNeeded: keyHash >> 16),
                                 UInt8(truncatingIfNeeded: keyHash >> 8), UInt8(truncatingIfNeeded: keyHash)] + signature)
        }

        /// The signature line without its final newline.
        var line: [UInt8] { Note.signaturePrefix + name.bytes + [0x20] + Array(base64.utf8) }
    }

    /// The signed text, ending in `\n`.
    public var text: [UInt8]
    /// Signatures by trusted keys that verified.
    public var verifiedSignatures: [Signature]
    /// Signatures by unknown keys (kept, not verified; identical lines de-duplicated).
    public var unverifiedSignatures: [Signature]

    /// A note with `text` and no signatures.
    public init(text: [UInt8], verifiedSignatures: [Signature] = [], unverifiedSignatures: [Signature] = []) {
        self.text = text
        self.verifiedSignatures = verifiedSignatures
        self.unverifiedSignatures = unverifiedSignatures
    }

    /// `— ` (U+2014 EM DASH, space).
    static let signaturePrefix: [UInt8] = [0xE2, 0x80, 0x94, 0x20]

    /// The most signature lines a note may carry (x/mod's limit).
    public static let maxSignatures = 100

    /// Parses `message` and verifies its signatures against `verifiers`, mirroring x/mod
    /// `note.Open`: unknown signers are kept as unverified, a bad signature by a known key is
    /// an error, and at least one signature must verify.
    public static func open(_ message: [UInt8], verifiers: NoteVerifiers) throws(NoteError) -> Note {
        guard let utf8 = String(validating: message, as: UTF8.self) else { throw NoteError(.malformedNote) }
        for scalar in utf8.unicodeScalars where scalar.value < 0x20 && scalar.value != 0x0A {
            throw NoteError(.malformedNote)
        }
        guard let split = message.lastIndex(ofBytes: [0x0A, 0x0A]) else { throw NoteError(.malformedNote) }
        let text = Array(message[...split])
        var sigs = message[(split + 2)...]
        guard let last = sigs.last, last == 0x0A else { throw NoteError(.malformedNote) }

        var note = Note(text: text)
        var seen = Set<NoteVerifiers.NameHash>()
        var seenUnverified = Set<[UInt8]>()
        var count = 0
        while let newline = sigs.firstIndex(of: 0x0A) {
            let line = Array(sigs[sigs.startIndex..<newline])
            sigs = sigs[(newline + 1)...]
            guard line.starts(with: signaturePrefix) else { throw NoteError(.malformedNote) }
            let rest = line[signaturePrefix.count...]
            let space = rest.firstIndex(of: 0x20)
            let name = Array(rest[rest.startIndex..<(space ?? rest.endIndex)])
            let b64 = space.map { rest[($0 + 1)...] } ?? rest[rest.endIndex...]
            guard isValidNoteName(name), !b64.isEmpty, let raw = Base64.decode(b64), raw.count >= 5 else {
                throw NoteError(.malformedNote)
            }
            let hash = UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
            let signature = Signature(name: ByteString(name), keyHash: hash, signature: Array(raw[4...]))
            count += 1
            guard count <= maxSignatures else { throw NoteError(.malformedNote) }

            guard let verifier = try verifiers.verifier(name: signature.name, keyHash: hash) else {
                if seenUnverified.insert(Array(rest)).inserted { note.unverifiedSignatures.append(signature) }
                continue
            }
            let key = NoteVerifiers.NameHash(name: signature.name, hash: hash)
            guard seen.insert(key).inserted else { continue }
            guard verifier.verify(text, signature: signature.signature) else {
                throw NoteError(.invalidSignature, keyName: signature.name, keyHash: hash)
            }
            note.verifiedSignatures.append(signature)
        }
        guard !note.verifiedSignatures.isEmpty else { throw NoteError(.unverifiedNote, unverifiedNote: note) }
        return note
    }

    /// Opens with a list of trusted verifiers (see ``open(_:verifiers:)-(_,NoteVerifiers)``).
    public static func open(_ message: [UInt8], verifiers: [NoteVerifier]) throws(NoteError) -> Note {
        try open(message, verifiers: NoteVerifiers(verifiers))
    }

    /// Signs the note's text with `signers`, keeping existing signatures by other keys, as x/mod
    /// `note.Sign` does: text, blank line, the kept signatures, then the new ones.
    public func signed(by signers: [NoteSigner]) throws(NoteError) -> [UInt8] {
        guard text.last == 0x0A else { throw NoteError(.malformedNote) }
        var have = Set<NoteVerifiers.NameHash>()
        var fresh: [UInt8] = []
        for signer in signers {
            guard isValidNoteName(signer.name.bytes) else { throw NoteError(.invalidSigner) }
            have.insert(.init(name: signer.name, hash: signer.keyHash))
            let sig = Signature(name: signer.name, keyHash: signer.keyHash, signature: try signer.sign(text))
            fresh += sig.line + [0x0A]
        }
        var out = text + [0x0A]
        for sig in verifiedSignatures + unverifiedSignatures {
            guard isValidNoteName(sig.name.bytes) else { throw NoteError(.malformedNote) }
            if have.contains(.init(name: sig.name, hash: sig.keyHash)) { continue }
            out += sig.line + [0x0A]
        }
        return out + fresh
    }

    /// Signs `text` (which must end in `\n`) with `signers` (x/mod `note.Sign`).
    public static func sign(_ text: [UInt8], with signers: [NoteSigner]) throws(NoteError) -> [UInt8] {
        try Note(text: text).signed(by: signers)
    }
}
