public import GoModCore
/// Why an `h1:` hash could not be computed.
///
/// Mirrors the failures of x/mod's `sumdb/dirhash` plus the cases where GoModKit is stricter
/// than Go (Docs/stricter-than-go.md): duplicate zip entries in strict mode and symbolic links in a
/// hashed directory tree.
public struct DirHashError: CodedError, ErrorCodeDomain, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<DirHashError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "newlineInName", "duplicateEntry", "symlinkInTree", "irregularFile", "notADirectory", "zip", "io",
        "cancelled",
    ]

    /// The kind of failure.
    public var code: Code
    /// The file or entry concerned, as raw bytes.
    public var name: ByteString?
    /// A human-readable explanation, in Go's wording where Go has one.
    public var message: String
    /// The zip reader's error when ``code`` is `Code.zip`.
    public var zipError: ZipError?

    /// Creates an error.
    public init(_ code: Code, name: ByteString? = nil, message: String, zipError: ZipError? = nil) {
        self.code = code
        self.name = name
        self.message = message
        self.zipError = zipError
    }

    /// The message, prefixed with the quoted name when there is one.
    public var description: String {
        if let name { return "\(name): \(message)" }
        return message
    }
}
