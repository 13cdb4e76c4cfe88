public import GoModCore
public import GoModZip
/// Why a divergence check (``Divergence``) could not run to the end.
///
/// A divergence that was found is not an error: it is a ``Divergence/Report`` with a
/// ``Divergence/Verdict``. Equality compares ``code`` only.
public struct DivergenceError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// The rule that failed.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<DivergenceError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "invalidZip", "invalidInfo", "versionMismatch", "notFound", "fetchFailed", "tooLarge",
        "invalidModule", "upstream", "io",
    ]

    /// The rule that failed.
    public var code: Code
    /// What was being read (a URL, a file name, `path@version`).
    public var subject: String
    /// The details.
    public var message: String
    /// The rebuild's error, for `Code.upstream`.
    public var zipError: ModuleZipError?

    /// Creates an error.
    public init(_ code: Code, subject: String, message: String, zipError: ModuleZipError? = nil) {
        self.code = code
        self.subject = subject
        self.message = message
        self.zipError = zipError
    }

    /// `<subject>: <message>`.
    public var description: String { subject.isEmpty ? message : "\(subject): \(message)" }
}
