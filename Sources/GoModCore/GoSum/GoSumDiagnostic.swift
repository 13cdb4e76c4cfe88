/// A problem found in one line of a go.sum file by GoModKit's strict reading (stricter than
/// cmd/go: see Docs/stricter-than-go.md). Reading continues after every diagnostic.
///
/// ``description`` reads `<file>:<line>: <severity>: <message>`; every untrusted byte in a
/// message is Go-quoted, so diagnostics are safe to print.
public struct GoSumDiagnostic: Sendable, Hashable, CustomStringConvertible {
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
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
    /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
    /// are the code's name, as the raw value of the former enum case was.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case wrongFieldCount
            case nulByte
            case invalidUTF8
            case invalidModulePath
            case invalidVersion
            case malformedHash
            case unknownHashAlgorithm
            case emptyGoModHash
            case duplicateLine
            case conflictingHashes
            case unusualWhitespace
        }

        /// The code.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// A line without exactly three fields (error). cmd/go 1.22+ stops with
        /// `malformed go.sum:\n<file>:<line>: wrong number of fields <n>`; Go ≤ 1.21 silently
        /// ignored the rest of the file (row 92). The line is not recorded.
        public static let wrongFieldCount = Code(.wrongFieldCount)
        /// A NUL byte in the line (error, row 99).
        public static let nulByte = Code(.nulByte)
        /// Invalid UTF-8 in the line (error, row 99).
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// The module path fails `module.CheckPath` (error, row 98); the message is Go's.
        public static let invalidModulePath = Code(.invalidModulePath)
        /// The version is not canonical, has a suffix other than a trailing `/go.mod`, or does
        /// not match the path's major version (error, row 98).
        public static let invalidVersion = Code(.invalidVersion)
        /// An `h1:` hash that is not the canonical base64 of 32 bytes, or a hash field that is
        /// not `h<N>:` text at all (error, row 95).
        public static let malformedHash = Code(.malformedHash)
        /// A hash with an algorithm other than `h1` (warning, row 93): kept, never used to
        /// verify anything.
        public static let unknownHashAlgorithm = Code(.unknownHashAlgorithm)
        /// The hash of an empty go.mod, which an old cmd/go bug wrote for non-modules
        /// (info, row 96): dropped, as cmd/go drops it.
        public static let emptyGoModHash = Code(.emptyGoModHash)
        /// A line repeating an earlier line exactly (warning).
        public static let duplicateLine = Code(.duplicateLine)
        /// A second, different `h1:` hash for the same module version (error, row 94). cmd/go
        /// uses the first `h1:` line and rejects any download that does not match it.
        public static let conflictingHashes = Code(.conflictingHashes)
        /// Fields separated by white space other than space, tab and carriage return —
        /// e.g. U+00A0 or U+3000, which cmd/go also treats as separators (warning, row 97).
        public static let unusualWhitespace = Code(.unusualWhitespace)

        /// The code's name, such as `wrongFieldCount`.
        public var rawValue: String { backing.rawValue }

        /// The code with this name, or `nil` for a name this release does not know.
        public init?(rawValue: String) {
            guard let backing = Backing(rawValue: rawValue) else { return nil }
            self.init(backing)
        }

        /// The codes this release knows, in declaration order.
        public static var allCases: [Code] { Backing.allCases.map { Code($0) } }

        /// The code's name (``rawValue``).
        public var description: String { rawValue }
    }

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
/// ``Code-swift.struct/malformedLine`` exactly where cmd/go stops.
///
/// Equality compares ``code`` only (STYLE.md §5).
public struct GoSumError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the file cannot be read.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
    /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
    /// are the code's name, as the raw value of the former enum case was.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case tooLarge
            case malformedLine
        }

        /// The code.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The input is larger than ``GoSum/Limits/maxBytes``; nothing was parsed.
        public static let tooLarge = Code(.tooLarge)
        /// cmd/go's fatal error for a line without exactly three fields (Go-compatible mode).
        public static let malformedLine = Code(.malformedLine)

        /// The code's name, such as `tooLarge`.
        public var rawValue: String { backing.rawValue }

        /// The code with this name, or `nil` for a name this release does not know.
        public init?(rawValue: String) {
            guard let backing = Backing(rawValue: rawValue) else { return nil }
            self.init(backing)
        }

        /// The codes this release knows, in declaration order.
        public static var allCases: [Code] { Backing.allCases.map { Code($0) } }

        /// The code's name (``rawValue``).
        public var description: String { rawValue }
    }

    /// Why the file cannot be read.
    public let code: Code
    /// The file name given to the parser.
    public let fileName: String
    /// The offending line (1-based), or 0 when not about a line.
    public let line: Int
    /// The text. For ``Code-swift.struct/malformedLine`` it is cmd/go's exactly,
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

    /// Errors are equal when their codes are.
    public static func == (lhs: GoSumError, rhs: GoSumError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
