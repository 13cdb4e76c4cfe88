public import GoModCore

/// A scan failure, with the exit class of Docs/scan.md.
///
/// Equality is on ``code`` only (the project's error shape: struct + code).
public struct ScanError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` and `description` are
    /// the code's name.
    public typealias Code = ErrorCode<ScanError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "usage", "badInput", "corruptState", "network", "io", "incomplete", "unitLimit",
    ]

    /// What went wrong.
    public var code: Code
    /// The message, naming the input and the rule.
    public var message: String

    /// An error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The project's exit code for this error: 2 for usage and local input, 3 otherwise.
    public var exitCode: Int32 {
        switch code {
        case .usage, .badInput, .corruptState: 2
        default: 3
        }
    }

    /// The message.
    public var description: String { message }
}
