/// A failure reading the module index feed (index.golang.org) or its local cache.
///
/// Equality is on ``code`` only (the project's error shape: struct + code).
public struct ModuleIndexError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. New codes may be added; compare with `==` or `switch` with a `default`.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's name.
        public let rawValue: String
        /// A code by name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The server kept failing after the back-off, answered another status, or answered
        /// something that is not a feed (a line that is not an entry).
        public static let network = Code(rawValue: "network")
        /// The feed could not be read to the end within the bounds (pages, entries, bytes).
        public static let tooLarge = Code(rawValue: "tooLarge")
        /// A full page whose entries all share one Timestamp: the feed cannot be paged past it
        /// without possibly missing entries (Docs/scan.md, "What is on disk": gaps).
        public static let cannotAdvance = Code(rawValue: "cannotAdvance")
        /// The name.
        public var description: String { rawValue }
    }

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

    /// Equality on ``code``.
    public static func == (lhs: ModuleIndexError, rhs: ModuleIndexError) -> Bool { lhs.code == rhs.code }
    /// Hashes ``code``.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
