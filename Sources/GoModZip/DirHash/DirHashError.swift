public import GoModCore
/// Why an `h1:` hash could not be computed.
///
/// Mirrors the failures of x/mod's `sumdb/dirhash` plus the cases where GoModKit is stricter
/// than Go (SECURITY.md §6): duplicate zip entries in strict mode and symbolic links in a
/// hashed directory tree.
public struct DirHashError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: Sendable, Equatable {
        /// A file name contains a newline, which the `h1:` summary format cannot represent
        /// (Go: `dirhash: filenames with newlines are not supported`).
        case newlineInName
        /// Two zip entries share a name (strict mode only; Go's `HashZip` hashes the last one twice).
        case duplicateEntry
        /// A directory tree to hash contains a symbolic link; GoModKit never follows links
        /// (Go's `HashDir` follows them, SECURITY.md row 79).
        case symlinkInTree
        /// A directory tree contains something other than regular files and directories
        /// (a device, FIFO or socket).
        case irregularFile
        /// The path given as a directory is not a directory (Go: `<dir> is not a directory`).
        case notADirectory
        /// The zip archive could not be read; ``DirHashError/zipError`` has the reader's error.
        case zip
        /// A file-system operation failed; the message carries `errno`'s text.
        case io
        /// The operation was cancelled.
        case cancelled
    }

    /// The kind of failure.
    public var code: Code
    /// The file or entry concerned, as raw bytes.
    public var name: ByteString?
    /// A human-readable explanation, in Go's wording where Go has one.
    public var message: String
    /// The zip reader's error when ``code`` is ``Code/zip``.
    public var zipError: ZipError?

    /// Creates an error.
    public init(_ code: Code, name: ByteString? = nil, message: String, zipError: ZipError? = nil) {
        self.code = code
        self.name = name
        self.message = message
        self.zipError = zipError
    }

    /// Errors are equal when their codes are.
    public static func == (lhs: DirHashError, rhs: DirHashError) -> Bool { lhs.code == rhs.code }

    /// The message, prefixed with the quoted name when there is one.
    public var description: String {
        if let name { return "\(name): \(message)" }
        return message
    }
}
