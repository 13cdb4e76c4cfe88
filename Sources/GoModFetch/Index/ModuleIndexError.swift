public import GoModCore

/// A failure reading the module index feed (index.golang.org) or its local cache.
///
/// Equality is on ``code`` only (the project's error shape: struct + code).
public struct ModuleIndexError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<ModuleIndexError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = ["network", "tooLarge", "cannotAdvance"]

    /// What went wrong.
    public var code: Code
    /// The message, naming the URL or file.
    public var message: String

    /// An error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
