public import GoModCore
/// Why an `h1:` hash could not be computed.
///
/// Mirrors the failures of x/mod's `sumdb/dirhash` plus the cases where GoModKit is stricter
/// than Go (SECURITY.md §6): duplicate zip entries in strict mode and symbolic links in a
/// hashed directory tree.
public struct DirHashError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a value with a `default`, or compare
    /// with `==`. Values are equal when they name the same kind of failure.
    public struct Code: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// The values of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: Sendable, Hashable {
            case newlineInName
            case duplicateEntry
            case symlinkInTree
            case irregularFile
            case notADirectory
            case zip
            case io
            case cancelled
        }

        /// The value.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// A file name contains a newline, which the `h1:` summary format cannot represent
        /// (Go: `dirhash: filenames with newlines are not supported`).
        public static let newlineInName = Code(.newlineInName)
        /// Two zip entries share a name (strict mode only; Go's `HashZip` hashes the last one twice).
        public static let duplicateEntry = Code(.duplicateEntry)
        /// A directory tree to hash contains a symbolic link; GoModKit never follows links
        /// (Go's `HashDir` follows them, SECURITY.md row 79).
        public static let symlinkInTree = Code(.symlinkInTree)
        /// A directory tree contains something other than regular files and directories
        /// (a device, FIFO or socket).
        public static let irregularFile = Code(.irregularFile)
        /// The path given as a directory is not a directory (Go: `<dir> is not a directory`).
        public static let notADirectory = Code(.notADirectory)
        /// The zip archive could not be read; ``DirHashError/zipError`` has the reader's error.
        public static let zip = Code(.zip)
        /// A file-system operation failed; the message carries `errno`'s text.
        public static let io = Code(.io)
        /// The operation was cancelled.
        public static let cancelled = Code(.cancelled)

        /// The code's name, such as `newlineInName` (what the former enum case printed).
        public var description: String {
            switch backing {
            case .newlineInName: "newlineInName"
            case .duplicateEntry: "duplicateEntry"
            case .symlinkInTree: "symlinkInTree"
            case .irregularFile: "irregularFile"
            case .notADirectory: "notADirectory"
            case .zip: "zip"
            case .io: "io"
            case .cancelled: "cancelled"
            }
        }
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
