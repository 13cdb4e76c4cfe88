/// A code of an error (or of a finding or verdict) that later releases can extend without
/// breaking a client's exhaustive `switch`: the swift-asn1 `ASN1Error.ErrorCode` and NIO
/// `FileSystemError.Code` shape, written once for every GoModKit type that has codes.
///
/// Each type with codes is the `Domain` of its own `ErrorCode` and names it `Code`
/// (`public typealias Code = ErrorCode<ModFileError>`); the codes themselves are static
/// members of `ErrorCode where Domain == ModFileError`, declared next to the type in
/// `ModFileError+Codes.swift`, so `ModFileError.Code.usage`,
/// `error.code == .usage` and `switch error.code { case .usage: … default: … }` read as they
/// did when codes were enum cases. A `switch` needs a `default`: that is what lets a release
/// add a code.
///
/// Codes of different domains are different types. Two codes of one domain are equal when
/// they have the same name; ``rawValue`` and ``description`` are the name (the raw value of
/// the enum case the code used to be), unless the domain describes its codes in other words
/// (``ErrorCodeDomain/description(of:)``). A client cannot make a code this release does not
/// know: ``init(rawValue:)`` returns `nil` for a name that is not in the domain's
/// ``ErrorCodeDomain/codeNames``.
public struct ErrorCode<Domain: ErrorCodeDomain>: RawRepresentable, CaseIterable, Sendable, Hashable,
    CustomStringConvertible {
    /// The code's name, such as `usage`.
    public let rawValue: String

    /// The code named `name`, which must be one of the domain's ``ErrorCodeDomain/codeNames``
    /// (for the domain's static members; a test checks each of them against the list).
    package init(_ name: String) { rawValue = name }

    /// The code with this name, or `nil` for a name this release does not know. Names are
    /// matched byte for byte (not by Swift's canonical-equivalence `==`, which would take
    /// `GM\u{212A}003` for `GMK003`), and the code keeps the domain's own spelling.
    public init?(rawValue: String) {
        guard let name = Domain.codeNames.first(where: { $0.utf8.elementsEqual(rawValue.utf8) }) else { return nil }
        self.rawValue = name
    }

    /// The codes this release knows, in declaration order.
    public static var allCases: [ErrorCode] { Domain.codeNames.map { ErrorCode($0) } }

    /// The code's name (``rawValue``), or the domain's words for it.
    public var description: String { Domain.description(of: self) }
}

/// A type whose values carry an ``ErrorCode``: it lists the codes this release knows.
public protocol ErrorCodeDomain {
    /// The names of the codes this release knows (their ``ErrorCode/rawValue``), in
    /// declaration order: ``ErrorCode/allCases`` in this order, and the names
    /// ``ErrorCode/init(rawValue:)`` accepts.
    static var codeNames: [String] { get }

    /// A code's ``ErrorCode/description``; the code's name unless the domain says otherwise.
    static func description(of code: ErrorCode<Self>) -> String
}

extension ErrorCodeDomain {
    /// The code's name.
    public static func description(of code: ErrorCode<Self>) -> String { code.rawValue }
}

/// An error identified by its code: two errors are equal, and hash alike, when their codes are
/// equal; the rest (paths, offsets, messages) is context for people. Conforming gives `==`
/// (and, for a `Hashable` error, `hash(into:)`) on ``code`` only.
public protocol CodedError: Error, Equatable {
    /// The type of the code: an ``ErrorCode``, or a struct of the same extensible shape whose
    /// codes carry values.
    associatedtype Code: Hashable

    /// The rule that was broken.
    var code: Code { get }
}

extension CodedError {
    /// Errors are equal when their codes are.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}

extension CodedError where Self: Hashable {
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension ErrorCode: Codable {
    /// Decodes a code's name (a JSON string); a name this release does not know is a
    /// `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let code = ErrorCode(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown \(Domain.self) code \(raw)")
        }
        self = code
    }

    /// Encodes the code's name as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
