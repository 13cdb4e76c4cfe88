/// A name, path or key held as raw bytes.
///
/// Go compares, sorts and hashes names as byte strings. Swift's `String` compares by Unicode
/// canonical equivalence (`"caf\u{E9}" == "cafe\u{301}"` is `true`), which would merge two zip
/// entries Go keeps apart, change `h1:` hashes and can trap `Dictionary(uniqueKeysWithValues:)`.
/// `ByteString` has bytewise equality, hashing and ordering (Go's string order), and never
/// decodes lossily.
public struct ByteString: Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible, CustomDebugStringConvertible
{
    /// The raw bytes.
    public var bytes: [UInt8]

    /// Wraps raw bytes without any validation or normalisation.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Wraps raw bytes from any byte collection.
    public init(_ bytes: some Sequence<UInt8>) { self.bytes = Array(bytes) }

    /// The UTF-8 bytes of `string`, exactly as stored (no normalisation).
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    /// The UTF-8 bytes of a string literal.
    public init(stringLiteral value: String) { self.bytes = Array(value.utf8) }

    /// Bytewise lexicographic order: Go's `<` on strings and `sort.Strings`.
    public static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// The number of bytes.
    public var count: Int { bytes.count }

    /// Whether there are no bytes.
    public var isEmpty: Bool { bytes.isEmpty }

    /// The bytes decoded as UTF-8, or `nil` when they are not valid UTF-8.
    ///
    /// Never substitutes U+FFFD: a name that is not valid UTF-8 has no `String` form.
    public var utf8String: String? { String(validating: bytes, as: UTF8.self) }

    /// Whether the bytes are valid UTF-8.
    public var isValidUTF8: Bool { utf8String != nil }

    /// Whether the bytes begin with `prefix`.
    public func hasPrefix(_ prefix: ByteString) -> Bool {
        bytes.count >= prefix.bytes.count && bytes[..<prefix.bytes.count].elementsEqual(prefix.bytes)
    }

    /// Whether the bytes end with `suffix`.
    public func hasSuffix(_ suffix: ByteString) -> Bool {
        bytes.count >= suffix.bytes.count
            && bytes[(bytes.count - suffix.bytes.count)...].elementsEqual(suffix.bytes)
    }

    /// Whether `byte` occurs anywhere.
    public func contains(_ byte: UInt8) -> Bool { bytes.contains(byte) }

    /// The bytes after `prefix`, or `nil` when the bytes do not start with it.
    public func dropping(prefix: ByteString) -> ByteString? {
        hasPrefix(prefix) ? ByteString(Array(bytes[prefix.bytes.count...])) : nil
    }

    /// The name quoted as Go's `%q` would print it: safe for terminals and logs, lossless.
    public var description: String { goQuote(bytes) }

    /// Same as ``description``.
    public var debugDescription: String { goQuote(bytes) }

    /// Concatenation.
    public static func + (lhs: ByteString, rhs: ByteString) -> ByteString {
        ByteString(lhs.bytes + rhs.bytes)
    }
}

extension ByteString: Codable {
    /// Decodes from a JSON string (UTF-8).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(try container.decode(String.self))
    }

    /// Encodes as a JSON string when the bytes are valid UTF-8, otherwise as the Go-quoted form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(utf8String ?? goQuote(bytes))
    }
}

extension Sequence where Element: StringProtocol {
    /// The strings in byte order of their UTF-8 (Go's string order), not Swift's
    /// Unicode-canonical `String` order: names, paths and keys sort as bytes.
    package func sortedByBytes() -> [Element] {
        sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
