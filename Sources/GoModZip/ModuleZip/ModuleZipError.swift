public import GoModCore
/// Why a module zip could not be checked, created or extracted, or why one file of it is
/// invalid or omitted (x/mod `zip` package errors).
///
/// The same type serves two purposes, like Go's `error` values in x/mod's `zip` package:
///
/// * **operation errors** thrown by ``ModuleZip`` functions: the module path or version is
///   malformed, the zip cannot be read, the module has invalid files (`Code.invalidFiles`,
///   with ``files`` listing them as Go's `FileErrorList` does), the target directory is not
///   empty, `git` failed, …;
/// * **per-file reasons** in ``ModuleZip/FileError``: why one path is invalid (for example
///   `Code.caseCollision`) or omitted (for example `Code.vendored`), and GoModKit's own
///   warnings (for example `Code.symlinkEntry`).
///
/// ``message`` is Go's text for the condition (`file path is not clean`,
/// `module source tree too large (max size is 524288000 bytes)`, …) and ``description`` adds
/// the operation prefix Go adds (`create zip <dir>: …`, `unzip <file>: …`). Two errors are
/// equal when their codes are equal.
public struct ModuleZipError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule. Cases are grouped by where they occur.
    ///
    /// An extensible `ErrorCode`: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. `rawValue` is the code's name;
    /// `description` is a short text naming the rule (``description(of:)``).
    public typealias Code = ErrorCode<ModuleZipError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "invalidModuleVersion", "zipTooLarge", "moduleTooLarge", "invalidFiles", "zip", "io", "fileChanged",
        "tooManyFiles", "targetNotEmpty", "targetNotDirectory", "fileExists", "normalizationCollision",
        "platformAlias", "git", "unknownRevision", "moduleNotFound", "invalidArchive",
        "invalidPseudoVersion", "invalidRepositoryPath", "outsidePrefix", "pathNotClean", "pathNotRelative",
        "invalidPath", "caseCollision", "fileDirectoryCollision", "duplicateEntry", "goModCase",
        "goModNotInRoot", "goModTooLarge", "licenseTooLarge", "directoryEntryWithData", "pathTooDeep",
        "pathTooLong", "unreadableFile", "vendored", "inSubmodule", "submoduleDirectory", "vcsDirectory",
        "hgArchival", "symbolicLink", "notRegularFile", "directoryEntry", "symlinkEntry", "vendoredContent",
    ]

    /// The broken rule; the only part that takes part in `==` and hashing.
    public var code: Code
    /// Go's message for the condition, without the operation prefix.
    public var message: String
    /// The operation and its subject, as Go prefixes them: `create zip <dir>`,
    /// `unzip <file>`; empty when Go adds none.
    public var context: String
    /// The file or entry concerned, when there is one.
    public var path: ByteString?
    /// The invalid files, for `Code.invalidFiles`.
    public var files: [ModuleZip.FileError]
    /// The zip reader's error, for `Code.zip`.
    public var zipError: ZipError?
    /// The module-path error, for `Code.invalidModuleVersion`.
    public var pathError: ModulePathError?
    /// The POSIX `errno` of the system call that failed, for `Code.io`: for example `ENOSPC`
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

    /// An `Code.io` error for a failed system call: `<operation>: <strerror(code)>`, with
    /// ``systemError`` set.
    static func system(_ operation: String, _ code: Int32, path: ByteString? = nil) -> ModuleZipError {
        ModuleZipError(.io, message: "\(operation): \(systemMessage(code))", path: path, systemError: code)
    }

    /// A short text naming the rule, such as `file path is not clean` for
    /// `pathNotClean`: a code's `description`.
    public static func description(of code: Code) -> String {
        switch code {
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
        default: code.rawValue
        }
    }

    /// Go's full text: `<context>: <message>`, or just the message.
    public var description: String { context.isEmpty ? message : "\(context): \(message)" }

    /// The same error with an operation prefix (Go's `zipError{verb, path}`), unless it has one.
    func within(_ context: String) -> ModuleZipError {
        guard self.context.isEmpty else { return self }
        var copy = self
        copy.context = context
        return copy
    }
}
