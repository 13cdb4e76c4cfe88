public import GoModCore
/// Why a module zip could not be checked, created or extracted, or why one file of it is
/// invalid or omitted (x/mod `zip` package errors).
///
/// The same type serves two purposes, like Go's `error` values in x/mod's `zip` package:
///
/// * **operation errors** thrown by ``ModuleZip`` functions: the module path or version is
///   malformed, the zip cannot be read, the module has invalid files (``Code/invalidFiles``,
///   with ``files`` listing them as Go's `FileErrorList` does), the target directory is not
///   empty, `git` failed, …;
/// * **per-file reasons** in ``ModuleZip/FileError``: why one path is invalid (for example
///   ``Code/caseCollision``) or omitted (for example ``Code/vendored``), and GoModKit's own
///   warnings (for example ``Code/symlinkEntry``).
///
/// ``message`` is Go's text for the condition (`file path is not clean`,
/// `module source tree too large (max size is 524288000 bytes)`, …) and ``description`` adds
/// the operation prefix Go adds (`create zip <dir>: …`, `unzip <file>: …`). Two errors are
/// equal when their codes are equal.
public struct ModuleZipError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule. Cases are grouped by where they occur.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a value with a `default`, or compare
    /// with `==`. Values are equal when they name the same rule.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The values of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: Sendable, Hashable {
            case invalidModuleVersion
            case zipTooLarge
            case moduleTooLarge
            case invalidFiles
            case zip
            case io
            case fileChanged
            case tooManyFiles
            case targetNotEmpty
            case targetNotDirectory
            case fileExists
            case normalizationCollision
            case platformAlias
            case git
            case unknownRevision
            case moduleNotFound
            case invalidArchive
            case invalidPseudoVersion
            case invalidRepositoryPath
            case outsidePrefix
            case pathNotClean
            case pathNotRelative
            case invalidPath
            case caseCollision
            case fileDirectoryCollision
            case duplicateEntry
            case goModCase
            case goModNotInRoot
            case goModTooLarge
            case licenseTooLarge
            case directoryEntryWithData
            case pathTooDeep
            case pathTooLong
            case unreadableFile
            case vendored
            case inSubmodule
            case submoduleDirectory
            case vcsDirectory
            case hgArchival
            case symbolicLink
            case notRegularFile
            case directoryEntry
            case symlinkEntry
            case vendoredContent
        }

        /// The value.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        // MARK: Whole operation

        /// The version is not canonical (`version "v1.0.0+bad" is not canonical (should be
        /// "v1.0.0")`) or `module.Check` rejects the path and version (Docs/stricter-than-go.md).
        public static let invalidModuleVersion = Code(.invalidModuleVersion)
        /// The zip file is larger than 500 MiB (`module zip file is too large (N bytes; limit
        /// is 524288000 bytes)`), or a VCS archive is (`downloaded zip file too large`).
        public static let zipTooLarge = Code(.zipTooLarge)
        /// The files together are larger than 500 MiB: `total uncompressed size of module
        /// contents too large …` (zips) or `module source tree too large …` (files).
        public static let moduleTooLarge = Code(.moduleTooLarge)
        /// Some files are invalid; ``ModuleZipError/files`` lists them (Go's `FileErrorList`).
        public static let invalidFiles = Code(.invalidFiles)
        /// The zip container could not be read; ``ModuleZipError/zipError`` has the reader's error.
        public static let zip = Code(.zip)
        /// A file-system operation failed; the message carries `errno`'s text.
        public static let io = Code(.io)
        /// A file is larger than the size it had when it was listed (`file "x" is larger than
        /// declared size`).
        public static let fileChanged = Code(.fileChanged)
        /// More files, or more name bytes, than GoModKit's caps allow (1,000,000 files, 64 MiB
        /// of names; Go has no cap, Docs/stricter-than-go.md).
        public static let tooManyFiles = Code(.tooManyFiles)
        /// The extraction target exists and is not empty (`target directory … exists and is not
        /// empty`, Docs/stricter-than-go.md).
        public static let targetNotEmpty = Code(.targetNotEmpty)
        /// The extraction target exists but is not a directory (a file, or a symbolic link,
        /// which GoModKit never follows).
        public static let targetNotDirectory = Code(.targetNotDirectory)
        /// A file to be extracted already exists (`O_EXCL` failed).
        public static let fileExists = Code(.fileExists)
        /// Two names that differ only in Unicode normalisation (NFC/NFD) would be extracted
        /// onto a volume that normalises names, where they collide. Elsewhere a warning.
        public static let normalizationCollision = Code(.normalizationCollision)
        /// A path element ends in a space or a dot, which Windows and SMB volumes drop, so it
        /// can alias another name. A warning on POSIX volumes.
        public static let platformAlias = Code(.platformAlias)
        /// `git` failed or produced output GoModKit cannot use.
        public static let git = Code(.git)
        /// A revision does not name a commit (`unknown revision v1.2.3`).
        public static let unknownRevision = Code(.unknownRevision)
        /// The module is not where its path says it should be in the repository at that
        /// revision (cmd/go's `findDir` errors, such as `missing example.com/m/go.mod at
        /// revision v2.0.0` or `go.mod has post-v1 module path "example.com/m/v2" at revision
        /// v1.0.0`).
        public static let moduleNotFound = Code(.moduleNotFound)
        /// A VCS archive is not shaped as cmd/go expects (`missing top-level directory prefix`,
        /// `zip file contains more than one top-level directory`).
        public static let invalidArchive = Code(.invalidArchive)
        /// A pseudo-version does not match the commit it names (revision or time).
        public static let invalidPseudoVersion = Code(.invalidPseudoVersion)
        /// A repository subdirectory or repository root path is not usable for the module
        /// (`mismatched repo`, `repository rooted at … cannot contain module …`, or a
        /// subdirectory that is not a clean relative path).
        public static let invalidRepositoryPath = Code(.invalidRepositoryPath)

        // MARK: Invalid files (x/mod's CheckedFiles.Invalid)

        /// A zip entry's name does not start with `path@version/`.
        public static let outsidePrefix = Code(.outsidePrefix)
        /// `file path is not clean`.
        public static let pathNotClean = Code(.pathNotClean)
        /// `file path is not relative`.
        public static let pathNotRelative = Code(.pathNotRelative)
        /// `module.CheckFilePath` rejects the path; the file error's
        /// ``ModuleZip/FileError/pathError`` has the exact rule.
        public static let invalidPath = Code(.invalidPath)
        /// `case-insensitive file name collision: "a" and "b"`.
        public static let caseCollision = Code(.caseCollision)
        /// `entry "a" is both a file and a directory`.
        public static let fileDirectoryCollision = Code(.fileDirectoryCollision)
        /// `multiple entries for file "a"`.
        public static let duplicateEntry = Code(.duplicateEntry)
        /// `go.mod files must have lowercase names`.
        public static let goModCase = Code(.goModCase)
        /// `go.mod file not in module root directory`.
        public static let goModNotInRoot = Code(.goModNotInRoot)
        /// `go.mod file too large (max size is 16777216 bytes)`.
        public static let goModTooLarge = Code(.goModTooLarge)
        /// `LICENSE file too large (max size is 16777216 bytes)`.
        public static let licenseTooLarge = Code(.licenseTooLarge)
        /// A directory entry (name ending in `/`) declares content: the `h1:` would commit to
        /// bytes no extractor writes (stricter than Go).
        public static let directoryEntryWithData = Code(.directoryEntryWithData)
        /// A file path below the module root has more than ``ModuleZip/maxPathDepth`` (256)
        /// elements (stricter than Go: `file path too deep (N elements; GoModKit's limit is 256)`).
        public static let pathTooDeep = Code(.pathTooDeep)
        /// A file path below the module root is longer than ``ModuleZip/maxPathLength`` (4,096)
        /// bytes (stricter than Go: `file path too long (N bytes; GoModKit's limit is 4096 bytes)`).
        public static let pathTooLong = Code(.pathTooLong)
        /// A file could not be examined (I/O error while listing).
        public static let unreadableFile = Code(.unreadableFile)

        // MARK: Omitted files (x/mod's CheckedFiles.Omitted)

        /// `file is in vendor directory`.
        public static let vendored = Code(.vendored)
        /// `file is in another module`.
        public static let inSubmodule = Code(.inSubmodule)
        /// `directory is in another module`.
        public static let submoduleDirectory = Code(.submoduleDirectory)
        /// `directory is a version control repository` (`.bzr`, `.git`, `.hg`, `.svn`).
        public static let vcsDirectory = Code(.vcsDirectory)
        /// `file is inserted by 'hg archive' and is always omitted`.
        public static let hgArchival = Code(.hgArchival)
        /// `file is a symbolic link`.
        public static let symbolicLink = Code(.symbolicLink)
        /// `not a regular file`.
        public static let notRegularFile = Code(.notRegularFile)

        // MARK: Warnings (GoModKit findings; Go accepts these silently)

        /// A directory entry, or an entry named exactly `path@version/`: accepted and hashed as
        /// an empty file, as Go does, but never extracted.
        public static let directoryEntry = Code(.directoryEntry)
        /// An entry whose Unix mode says symbolic link: treated as a regular file holding the
        /// link text, as Go does; never extracted as a link.
        public static let symlinkEntry = Code(.symlinkEntry)
        /// Content in a `vendor/` directory: kept in the zip and hashed, but it is code the
        /// go command ignores when building the module.
        public static let vendoredContent = Code(.vendoredContent)

        /// A short text naming the rule.
        public var description: String {
            switch backing {
            case .invalidModuleVersion: "invalid module version"
            case .zipTooLarge: "module zip file is too large"
            case .moduleTooLarge: "module contents too large"
            case .invalidFiles: "invalid files"
            case .zip: "invalid zip file"
            case .io: "I/O error"
            case .fileChanged: "file is larger than declared size"
            case .tooManyFiles: "too many files"
            case .targetNotEmpty: "target directory exists and is not empty"
            case .targetNotDirectory: "target is not a directory"
            case .fileExists: "file exists"
            case .normalizationCollision: "Unicode normalization collision"
            case .platformAlias: "name aliased on some platforms"
            case .git: "git failed"
            case .unknownRevision: "unknown revision"
            case .moduleNotFound: "module not found at revision"
            case .invalidArchive: "invalid VCS archive"
            case .invalidPseudoVersion: "invalid pseudo-version"
            case .invalidRepositoryPath: "invalid repository path"
            case .outsidePrefix: "path does not have the module prefix"
            case .pathNotClean: "file path is not clean"
            case .pathNotRelative: "file path is not relative"
            case .invalidPath: "malformed file path"
            case .caseCollision: "case-insensitive file name collision"
            case .fileDirectoryCollision: "entry is both a file and a directory"
            case .duplicateEntry: "multiple entries for file"
            case .goModCase: "go.mod files must have lowercase names"
            case .goModNotInRoot: "go.mod file not in module root directory"
            case .goModTooLarge: "go.mod file too large"
            case .licenseTooLarge: "LICENSE file too large"
            case .directoryEntryWithData: "directory entry with data"
            case .pathTooDeep: "file path too deep"
            case .pathTooLong: "file path too long"
            case .unreadableFile: "file could not be examined"
            case .vendored: "file is in vendor directory"
            case .inSubmodule: "file is in another module"
            case .submoduleDirectory: "directory is in another module"
            case .vcsDirectory: "directory is a version control repository"
            case .hgArchival: "file is inserted by 'hg archive'"
            case .symbolicLink: "file is a symbolic link"
            case .notRegularFile: "not a regular file"
            case .directoryEntry: "directory entry"
            case .symlinkEntry: "symbolic-link entry"
            case .vendoredContent: "vendored content"
            }
        }
    }

    /// The broken rule; the only part that takes part in `==` and hashing.
    public var code: Code
    /// Go's message for the condition, without the operation prefix.
    public var message: String
    /// The operation and its subject, as Go prefixes them: `create zip <dir>`,
    /// `unzip <file>`; empty when Go adds none.
    public var context: String
    /// The file or entry concerned, when there is one.
    public var path: ByteString?
    /// The invalid files, for ``Code/invalidFiles``.
    public var files: [ModuleZip.FileError]
    /// The zip reader's error, for ``Code/zip``.
    public var zipError: ZipError?
    /// The module-path error, for ``Code/invalidModuleVersion``.
    public var pathError: ModulePathError?
    /// The POSIX `errno` of the system call that failed, for ``Code/io``: for example `ENOSPC`
    /// or `EDQUOT` (disk full), `ENAMETOOLONG`, `EFBIG` (file size limit), `EMFILE`; `nil`
    /// when the failure did not come from a system call.
    public var systemError: Int32?

    /// Creates an error; only `code` matters for equality.
    public init(_ code: Code, message: String, context: String = "", path: ByteString? = nil,
                files: [ModuleZip.FileError] = [], zipError: ZipError? = nil, pathError: ModulePathError? = nil,
                systemError: Int32? = nil) {
        self.code = code
        self.message = message
        self.context = context
        self.path = path
        self.files = files
        self.zipError = zipError
        self.pathError = pathError
        self.systemError = systemError
    }

    /// An ``Code/io`` error for a failed system call: `<operation>: <strerror(code)>`, with
    /// ``systemError`` set.
    static func system(_ operation: String, _ code: Int32, path: ByteString? = nil) -> ModuleZipError {
        ModuleZipError(.io, message: "\(operation): \(systemMessage(code))", path: path, systemError: code)
    }

    /// Go's full text: `<context>: <message>`, or just the message.
    public var description: String { context.isEmpty ? message : "\(context): \(message)" }

    /// Errors are equal when their codes are equal.
    public static func == (lhs: ModuleZipError, rhs: ModuleZipError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The same error with an operation prefix (Go's `zipError{verb, path}`), unless it has one.
    func within(_ context: String) -> ModuleZipError {
        guard self.context.isEmpty else { return self }
        var copy = self
        copy.context = context
        return copy
    }
}
