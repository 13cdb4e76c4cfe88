public import GoModCore
/// Go module zip files: checking, creating and extracting them as golang.org/x/mod's `zip`
/// package does, and building them from a git tag as `cmd/go` does.
///
/// A module zip holds the files of one module version, every name prefixed with
/// `<module>@<version>/` (x/mod `zip/zip.go`; https://go.dev/ref/mod#zip-files). x/mod's rules, all
/// reproduced here with Go's messages:
///
/// * every name starts with the prefix; the rest is a clean, relative path that passes
///   `module.CheckFilePath`;
/// * no two names are equal under Unicode simple case folding (`strings.EqualFold`), and no name
///   is both a file and a directory;
/// * a `go.mod` may appear only at the root and only in lower case;
/// * the zip file and the total uncompressed size are at most 500 MiB (``maxZipFile``), the
///   root `go.mod` and `LICENSE` at most 16 MiB each (``maxGoMod``, ``maxLICENSE``).
///
/// Creating a zip (``create(_:files:output:options:)``, ``createFromDirectory(_:directory:output:options:)``,
/// `createFromGit(_:source:output:options:)` in GoModVCS) also omits what does not belong to the
/// module: nested modules, vendored packages (by a rule that depends on the root go.mod's `go`
/// line, ``isVendoredPackage(_:goVersion:)``), version-control directories, `.hg_archival.txt`,
/// symbolic links and other irregular files. Output is deterministic and shaped like x/mod's
/// (deflate, data descriptors, zero times, no directory entries); what must match Go is the
/// `h1:` hash, which every create function returns.
///
/// Checking reports every problem at once in a ``CheckedFiles`` value (x/mod's `CheckedFiles`):
/// valid files, omitted files with reasons, invalid files with reasons, a size error, and
/// GoModKit's own warnings. Functions throw only when the check or operation cannot run at all.
///
/// GoModKit is stricter than Go in a few documented ways (Docs/stricter-than-go.md): zips are read
/// with the strict ``ZipArchive`` reader unless Go-compatible mode is asked for, directory entries may
/// not carry data, file and name-byte counts are capped, and extraction is atomic.
public enum ModuleZip {
    /// x/mod `MaxZipFile`: the largest module zip file, and the largest total uncompressed
    /// size of a module's files: 500 MiB.
    public static let maxZipFile: Int64 = 500 << 20
    /// x/mod `MaxGoMod`: the largest root `go.mod`: 16 MiB.
    public static let maxGoMod: Int64 = 16 << 20
    /// x/mod `MaxLICENSE`: the largest root `LICENSE`: 16 MiB.
    public static let maxLICENSE: Int64 = 16 << 20
    /// GoModKit's cap on the number of files in a module (Go has none).
    public static let maxFiles = 1_000_000
    /// GoModKit's cap on the total bytes of all file names in a module (Go has none).
    public static let maxNameBytes = 64 << 20
    /// GoModKit's cap on the number of elements of one file path below the module root: 256
    /// (Go has none; Docs/stricter-than-go.md). A deeper path is invalid
    /// (`ModuleZipError.Code.pathTooDeep`), so extraction and cleanup never hold more than
    /// 256 directory descriptors or make more than 256 directories for one file.
    public static let maxPathDepth = 256
    /// GoModKit's cap on the length of one file path below the module root: 4,096 bytes, Linux's
    /// `PATH_MAX` (Go has none, but cannot extract such a file into a module cache on Linux:
    /// the joined path fails with `ENAMETOOLONG`; Docs/stricter-than-go.md). A longer path is
    /// invalid (`ModuleZipError.Code.pathTooLong`).
    public static let maxPathLength = 4096

    /// GoModKit's path limits for a file path below the module root (``maxPathDepth``, then
    /// ``maxPathLength``); `nil` when the path is within both. Linear in the path's length.
    static func pathLimitViolation(_ path: [UInt8]) -> (code: ModuleZipError.Code, message: String)? {
        var depth = 1
        for byte in path where byte == 0x2F { depth += 1 }
        if depth > maxPathDepth {
            return (.pathTooDeep, "file path too deep (\(depth) elements; GoModKit's limit is \(maxPathDepth))")
        }
        if path.count > maxPathLength {
            return (.pathTooLong, "file path too long (\(path.count) bytes; GoModKit's limit is \(maxPathLength) bytes)")
        }
        return nil
    }

    /// The `path@version/` prefix of every entry name.
    static func prefix(_ module: ModuleVersion) -> [UInt8] {
        module.path.bytes + [0x40] + module.version.bytes + [0x2F]
    }

    /// x/mod's module checks before checking or creating a zip: the version must be canonical
    /// and `module.Check` must accept the pair.
    static func checkModule(_ module: ModuleVersion) throws(ModuleZipError) {
        let canonical = Module.canonicalVersion(module.version)
        guard canonical == module.version else {
            throw ModuleZipError(
                .invalidModuleVersion,
                message: "version \(module.version) is not canonical (should be \(canonical))")
        }
        do {
            try module.check()
        } catch {
            throw ModuleZipError(.invalidModuleVersion, message: error.description, pathError: error)
        }
    }

    /// cmd/go's `modfetch.LegacyGoMod`: the go.mod the go command serves and hashes for a
    /// module version that has none — `module <AutoQuote(path)>\n` (cmd/go
    /// `internal/modfetch/coderepo.go`). Its `h1:` (``GoModCore/DirHash/hashGoMod(_:)``) is the
    /// go.sum `/go.mod` line of such a module.
    public static func legacyGoMod(_ modulePath: ByteString) -> [UInt8] {
        Array("module ".utf8) + GoMod.autoQuote(ByteString(modulePath.bytes)).bytes + [0x0A]
    }
}

// MARK: - Files

extension ModuleZip {
    /// A file offered to ``ModuleZip/create(_:files:output:options:)`` or
    /// ``ModuleZip/checkFiles(_:)``: x/mod's `zip.File` interface (`Path`, `Lstat`, `Open`).
    public struct File: Sendable {
        /// What `Lstat` would say the file is.
        public enum Kind: Sendable, Hashable {
            /// A regular file: included when its path is valid.
            case regular
            /// A directory (only checked for collisions; never included).
            case directory
            /// A symbolic link: always omitted (`file is a symbolic link`, golang.org/issue/27093).
            case symbolicLink
            /// A device, FIFO, socket or other irregular file: omitted (`not a regular file`).
            case irregular
        }

        /// The clean, slash-separated path relative to the module root, as raw bytes.
        public var path: ByteString
        /// The file's type.
        public var kind: Kind
        /// The size `Lstat` reported; at most this many bytes (plus one, to detect growth) are
        /// read when the file is written into a zip.
        public var size: Int64
        /// Where the bytes come from.
        public var content: Content

        /// Creates a file description.
        public init(path: ByteString, kind: Kind = .regular, size: Int64, content: Content) {
            self.path = path
            self.kind = kind
            self.size = size
            self.content = content
        }

        /// A regular file with the given bytes.
        public static func bytes(_ path: ByteString, _ data: [UInt8]) -> File {
            File(path: path, kind: .regular, size: Int64(data.count), content: .bytes(data))
        }
    }

    /// The source of a file's bytes.
    public struct Content: Sendable {
        enum Storage: Sendable {
            case bytes([UInt8])
            case file([UInt8])
            case tree(root: [UInt8], relative: [UInt8])
            case zipEntry(ZipArchive, ZipArchive.Entry)
            case none
        }

        let storage: Storage

        /// Bytes held in memory.
        public static func bytes(_ data: [UInt8]) -> Content { Content(storage: .bytes(data)) }

        /// A file at `path`, opened without following a symbolic link in its last component
        /// (`O_NOFOLLOW`) and required to be a regular file when opened.
        public static func file(_ path: String) -> Content { Content(storage: .file(Array(path.utf8))) }

        /// The decompressed content of a zip entry, verified by the ``ZipEntryReader`` rules.
        public static func zipEntry(_ archive: ZipArchive, _ entry: ZipArchive.Entry) -> Content {
            Content(storage: .zipEntry(archive, entry))
        }

        /// No content: opening fails (for directories, links and other irregular files, which
        /// are never opened).
        public static let unavailable = Content(storage: .none)

        /// A file below `root`, opened one path element at a time with `O_NOFOLLOW`, so that a
        /// symbolic link swapped into the tree after listing is never followed.
        static func tree(root: [UInt8], relative: [UInt8]) -> Content {
            Content(storage: .tree(root: root, relative: relative))
        }
    }

    /// One file that is invalid or omitted, and why (x/mod `zip.FileError`), or one of
    /// GoModKit's warnings.
    public struct FileError: Sendable, Hashable, CustomStringConvertible {
        /// The path as Go reports it: relative for ``ModuleZip/checkFiles(_:)``, the full entry
        /// name for ``ModuleZip/checkZip(_:archive:)``, joined with the directory for
        /// ``ModuleZip/checkDirectory(_:)``.
        public var path: ByteString
        /// The rule.
        public var code: ModuleZipError.Code
        /// Go's error text, as bytes (a `module.CheckFilePath` message may quote raw bytes).
        public var message: ByteString
        /// `module.CheckFilePath`'s error, for `ModuleZipError.Code.invalidPath`.
        public var pathError: ModulePathError?

        /// Creates a file error.
        public init(path: ByteString, code: ModuleZipError.Code, message: ByteString, pathError: ModulePathError? = nil) {
            self.path = path
            self.code = code
            self.message = message
            self.pathError = pathError
        }

        package init(path: [UInt8], code: ModuleZipError.Code, _ message: String) {
            self.init(path: ByteString(path), code: code, message: ByteString(message))
        }

        /// Go's `FileError.Error()` bytes: `<path>: <message>`.
        public var goText: [UInt8] { path.bytes + Array(": ".utf8) + message.bytes }

        /// `<path>: <message>`, with any control character or invalid UTF-8 Go-quoted so the
        /// text is safe for a terminal.
        public var description: String { safeText(goText) }
    }

    /// The classification of a set of files or zip entries (x/mod `zip.CheckedFiles`), plus
    /// GoModKit's warnings.
    public struct CheckedFiles: Sendable, Hashable {
        /// Paths that belong in the zip, in input order.
        public var valid: [ByteString] = []
        /// Files left out, and why (nested modules, vendored packages, VCS data, links, …).
        public var omitted: [FileError] = []
        /// Files that make the module invalid, and why.
        public var invalid: [FileError] = []
        /// Set when the files (or the zip file) exceed the size limit.
        public var sizeError: ModuleZipError?
        /// Things Go accepts silently that deserve attention (directory and link entries,
        /// vendored content, names that alias on other platforms). Never part of Go's lists.
        public var warnings: [FileError] = []

        /// Creates an empty report.
        public init() {}

        /// x/mod `CheckedFiles.Err`: the size error if there is one, otherwise
        /// `ModuleZipError.Code.invalidFiles` listing the invalid files, otherwise `nil`.
        public var error: ModuleZipError? {
            if let sizeError { return sizeError }
            guard !invalid.isEmpty else { return nil }
            let text = invalid.map { safeText($0.goText) }.joined(separator: "\n")
            return ModuleZipError(.invalidFiles, message: text, files: invalid)
        }

        /// Whether the files describe a valid module zip (no size error, nothing invalid).
        public var isValid: Bool { sizeError == nil && invalid.isEmpty }
    }
}

/// Bytes as text for messages: UTF-8 without control characters is shown as is, anything else
/// with Go's `%q` quoting (lossless, terminal-safe).
package func safeText(_ bytes: [UInt8]) -> String {
    if let text = String(validating: bytes, as: UTF8.self),
       !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || !goIsPrint($0) && $0 != " " }) {
        return text
    }
    return goQuote(bytes)
}


