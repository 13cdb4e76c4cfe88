public import GoModCore

// The codes of `DirHashError` this release knows, one static member each, in the order of
// `DirHashError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == DirHashError {
    /// A file name contains a newline, which the `h1:` summary format cannot represent
    /// (Go: `dirhash: filenames with newlines are not supported`).
    public static var newlineInName: Self { Self("newlineInName") }
    /// Two zip entries share a name (strict mode only; Go's `HashZip` hashes the last one twice).
    public static var duplicateEntry: Self { Self("duplicateEntry") }
    /// A directory tree to hash contains a symbolic link; GoModKit never follows links
    /// (Go's `HashDir` follows them, Docs/stricter-than-go.md).
    public static var symlinkInTree: Self { Self("symlinkInTree") }
    /// A directory tree contains something other than regular files and directories
    /// (a device, FIFO or socket).
    public static var irregularFile: Self { Self("irregularFile") }
    /// The path given as a directory is not a directory (Go: `<dir> is not a directory`).
    public static var notADirectory: Self { Self("notADirectory") }
    /// The zip archive could not be read; ``DirHashError/zipError`` has the reader's error.
    public static var zip: Self { Self("zip") }
    /// A file-system operation failed; the message carries `errno`'s text.
    public static var io: Self { Self("io") }
    /// The operation was cancelled.
    public static var cancelled: Self { Self("cancelled") }
}
