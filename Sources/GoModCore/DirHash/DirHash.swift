
/// A Go module checksum as go.sum and the checksum database write it: `h1:` followed by the
/// standard base64 of a 32-byte SHA-256 digest (x/mod `sumdb/dirhash`).
///
/// Parsing accepts only the canonical text: exactly 44 base64 characters with `=` padding
/// and zero trailing bits, so that two different strings never denote the same hash
/// (stricter than Go, which compares the text: see Docs/stricter-than-go.md). Hashes are compared
/// by digest bytes.
public struct DirHash: Hashable, Sendable, LosslessStringConvertible, Codable {
    /// The 32-byte SHA-256 digest of the `Hash1` summary.
    public let digest: [UInt8]

    /// The hash algorithm prefix; only `h1` is defined by Go.
    public static let algorithm = "h1"

    /// Wraps a 32-byte digest; `nil` for any other length.
    public init?(digest: [UInt8]) {
        guard digest.count == 32 else { return nil }
        self.digest = digest
    }

    /// Wraps a digest known to be 32 bytes long.
    package init(uncheckedDigest: [UInt8]) { self.digest = uncheckedDigest }

    /// Parses canonical `h1:<base64>` text; `nil` for anything else (other algorithms,
    /// wrong length, non-canonical base64).
    public init?(_ description: String) {
        let utf8 = Array(description.utf8)
        guard utf8.count == 47, utf8.starts(with: Array("h1:".utf8)),
              let digest = Base64.decode(utf8[3...]), digest.count == 32 else { return nil }
        self.digest = digest
    }

    /// `h1:` followed by the base64 digest: the form go.sum stores.
    public var description: String { "h1:" + Base64.encodeString(digest) }

    /// Decodes from the `h1:…` string form.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let hash = DirHash(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "not a canonical h1: hash: \(goQuote(Array(text.utf8)))"))
        }
        self = hash
    }

    /// Encodes as the `h1:…` string form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
