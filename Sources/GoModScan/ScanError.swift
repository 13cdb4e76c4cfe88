/// A scan failure, with the exit class of Docs/scan.md.
///
/// Equality is on ``code`` only (the project's error shape: struct + code).
public struct ScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. New codes may be added; compare with `==` or `switch` with a `default`.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's name.
        public let rawValue: String
        /// A code by name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Bad flags or arguments (`I ≥ N`, a missing count…): exit 2.
        public static let usage = Code(rawValue: "usage")
        /// A local input file that cannot be read or parsed (a `--versions` list, shard outputs
        /// given to `scan merge`): exit 2.
        public static let badInput = Code(rawValue: "badInput")
        /// The local feed mirror or its checkpoint is unreadable or inconsistent: exit 2
        /// (retrying cannot help; the message says how to recover).
        public static let corruptState = Code(rawValue: "corruptState")
        /// The server kept failing after the back-off, or answered something that is not a
        /// feed: exit 3 (retryable).
        public static let network = Code(rawValue: "network")
        /// A state or output file could not be written (disk full, permissions): exit 3.
        public static let io = Code(rawValue: "io")
        /// The pass ended with units that could not be checked; they are retried by the next
        /// run: exit 3.
        public static let incomplete = Code(rawValue: "incomplete")
        /// A unit passed a per-unit limit (``ScanOptions/unitTimeLimit``, the rebuilder's disk
        /// limit): it is not committed and the next run retries it: exit 3.
        public static let unitLimit = Code(rawValue: "unitLimit")
        /// The name.
        public var description: String { rawValue }
    }

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

    /// Equality on ``code``.
    public static func == (lhs: ScanError, rhs: ScanError) -> Bool { lhs.code == rhs.code }
    /// Hashes ``code``.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
