/// A problem found in one line of a go.sum file by GoModKit's strict reading (stricter than
/// cmd/go: see Docs/stricter-than-go.md). Reading continues after every diagnostic.
///
/// ``description`` reads `<file>:<line>: <severity>: <message>`; every untrusted byte in a
/// message is Go-quoted, so diagnostics are safe to print.
public struct GoSumDiagnostic: ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
        /// Noted and harmless (cmd/go does the same silently).
        case info
        /// Suspicious or unverifiable, but cmd/go accepts it.
        case warning
        /// The line is malformed or contradicts another line.
        case error

        /// `info` < `warning` < `error`.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.info, .warning, .error]
            return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
        }
    }

    /// What is wrong.
    ///
    /// An extensible ``ErrorCode``: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. ``ErrorCode/rawValue`` and ``ErrorCode/description`` are
    /// the code's name.
    public typealias Code = ErrorCode<GoSumDiagnostic>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "wrongFieldCount", "nulByte", "invalidUTF8", "invalidModulePath", "invalidVersion", "malformedHash",
        "unknownHashAlgorithm", "emptyGoModHash", "duplicateLine", "conflictingHashes", "unusualWhitespace",
    ]

    /// The file name given to the parser.
    public let fileName: String
    /// The 1-based line number.
    public let line: Int
    /// What is wrong.
    public let code: Code
    /// How serious it is.
    public let severity: Severity
    /// A human-readable explanation, with untrusted bytes Go-quoted.
    public let message: String

    /// Creates a diagnostic.
    public init(fileName: String, line: Int, code: Code, severity: Severity, message: String) {
        self.fileName = fileName
        self.line = line
        self.code = code
        self.severity = severity
        self.message = message
    }

    /// `<file>:<line>: <severity>: <message>`.
    public var description: String { "\(fileName):\(line): \(severity.rawValue): \(message)" }
}

/// A go.sum file that cannot be read at all.
///
/// GoModKit's strict reading reports problems as ``GoSumDiagnostic``s and throws only when the
/// input exceeds the size limit. The Go-compatible mode ``GoSum/ReadingMode/go`` throws
/// `GoSumError.Code.malformedLine` exactly where cmd/go stops.
///
/// Equality compares ``code`` only.
public struct GoSumError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// Why the file cannot be read.
    ///
    /// An extensible ``ErrorCode``: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. ``ErrorCode/rawValue`` and ``ErrorCode/description`` are
    /// the code's name.
    public typealias Code = ErrorCode<GoSumError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "tooLarge", "malformedLine",
    ]

    /// Why the file cannot be read.
    public let code: Code
    /// The file name given to the parser.
    public let fileName: String
    /// The offending line (1-based), or 0 when not about a line.
    public let line: Int
    /// The text. For `GoSumError.Code.malformedLine` it is cmd/go's exactly,
    /// `malformed go.sum:\n<file>:<line>: wrong number of fields <n>` (cmd/go prints it after
    /// `go: ` and follows it with a newline).
    public let message: String

    /// Creates an error.
    public init(_ code: Code, fileName: String, line: Int, message: String) {
        self.code = code
        self.fileName = fileName
        self.line = line
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
