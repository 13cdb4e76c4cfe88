public import GoModCore

// The codes of `ModuleZipError` this release knows, one static member each, in the order of
// `ModuleZipError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == ModuleZipError {
    // MARK: Whole operation

    /// The version is not canonical (`version "v1.0.0+bad" is not canonical (should be
    /// "v1.0.0")`) or `module.Check` rejects the path and version (Docs/stricter-than-go.md).
    public static var invalidModuleVersion: Self { Self("invalidModuleVersion") }
    /// The zip file is larger than 500 MiB (`module zip file is too large (N bytes; limit
    /// is 524288000 bytes)`), or a VCS archive is (`downloaded zip file too large`).
    public static var zipTooLarge: Self { Self("zipTooLarge") }
    /// The files together are larger than 500 MiB: `total uncompressed size of module
    /// contents too large …` (zips) or `module source tree too large …` (files).
    public static var moduleTooLarge: Self { Self("moduleTooLarge") }
    /// Some files are invalid; ``ModuleZipError/files`` lists them (Go's `FileErrorList`).
    public static var invalidFiles: Self { Self("invalidFiles") }
    /// The zip container could not be read; ``ModuleZipError/zipError`` has the reader's error.
    public static var zip: Self { Self("zip") }
    /// A file-system operation failed; the message carries `errno`'s text.
    public static var io: Self { Self("io") }
    /// A file is larger than the size it had when it was listed (`file "x" is larger than
    /// declared size`).
    public static var fileChanged: Self { Self("fileChanged") }
    /// More files, or more name bytes, than GoModKit's caps allow (1,000,000 files, 64 MiB
    /// of names; Go has no cap, Docs/stricter-than-go.md).
    public static var tooManyFiles: Self { Self("tooManyFiles") }
    /// The extraction target exists and is not empty (`target directory … exists and is not
    /// empty`, Docs/stricter-than-go.md).
    public static var targetNotEmpty: Self { Self("targetNotEmpty") }
    /// The extraction target exists but is not a directory (a file, or a symbolic link,
    /// which GoModKit never follows).
    public static var targetNotDirectory: Self { Self("targetNotDirectory") }
    /// A file to be extracted already exists (`O_EXCL` failed).
    public static var fileExists: Self { Self("fileExists") }
    /// Two names that differ only in Unicode normalisation (NFC/NFD) would be extracted
    /// onto a volume that normalises names, where they collide. Elsewhere a warning.
    public static var normalizationCollision: Self { Self("normalizationCollision") }
    /// A path element ends in a space or a dot, which Windows and SMB volumes drop, so it
    /// can alias another name. A warning on POSIX volumes.
    public static var platformAlias: Self { Self("platformAlias") }
    /// `git` failed or produced output GoModKit cannot use.
    public static var git: Self { Self("git") }
    /// A revision does not name a commit (`unknown revision v1.2.3`).
    public static var unknownRevision: Self { Self("unknownRevision") }
    /// The module is not where its path says it should be in the repository at that
    /// revision (cmd/go's `findDir` errors, such as `missing example.com/m/go.mod at
    /// revision v2.0.0` or `go.mod has post-v1 module path "example.com/m/v2" at revision
    /// v1.0.0`).
    public static var moduleNotFound: Self { Self("moduleNotFound") }
    /// A VCS archive is not shaped as cmd/go expects (`missing top-level directory prefix`,
    /// `zip file contains more than one top-level directory`).
    public static var invalidArchive: Self { Self("invalidArchive") }
    /// A pseudo-version does not match the commit it names (revision or time).
    public static var invalidPseudoVersion: Self { Self("invalidPseudoVersion") }
    /// A repository subdirectory or repository root path is not usable for the module
    /// (`mismatched repo`, `repository rooted at … cannot contain module …`, or a
    /// subdirectory that is not a clean relative path).
    public static var invalidRepositoryPath: Self { Self("invalidRepositoryPath") }

    // MARK: Invalid files (x/mod's CheckedFiles.Invalid)

    /// A zip entry's name does not start with `path@version/`.
    public static var outsidePrefix: Self { Self("outsidePrefix") }
    /// `file path is not clean`.
    public static var pathNotClean: Self { Self("pathNotClean") }
    /// `file path is not relative`.
    public static var pathNotRelative: Self { Self("pathNotRelative") }
    /// `module.CheckFilePath` rejects the path; the file error's
    /// ``ModuleZip/FileError/pathError`` has the exact rule.
    public static var invalidPath: Self { Self("invalidPath") }
    /// `case-insensitive file name collision: "a" and "b"`.
    public static var caseCollision: Self { Self("caseCollision") }
    /// `entry "a" is both a file and a directory`.
    public static var fileDirectoryCollision: Self { Self("fileDirectoryCollision") }
    /// `multiple entries for file "a"`.
    public static var duplicateEntry: Self { Self("duplicateEntry") }
    /// `go.mod files must have lowercase names`.
    public static var goModCase: Self { Self("goModCase") }
    /// `go.mod file not in module root directory`.
    public static var goModNotInRoot: Self { Self("goModNotInRoot") }
    /// `go.mod file too large (max size is 16777216 bytes)`.
    public static var goModTooLarge: Self { Self("goModTooLarge") }
    /// `LICENSE file too large (max size is 16777216 bytes)`.
    public static var licenseTooLarge: Self { Self("licenseTooLarge") }
    /// A directory entry (name ending in `/`) declares content: the `h1:` would commit to
    /// bytes no extractor writes (stricter than Go).
    public static var directoryEntryWithData: Self { Self("directoryEntryWithData") }
    /// A file path below the module root has more than ``ModuleZip/maxPathDepth`` (256)
    /// elements (stricter than Go: `file path too deep (N elements; GoModKit's limit is 256)`).
    public static var pathTooDeep: Self { Self("pathTooDeep") }
    /// A file path below the module root is longer than ``ModuleZip/maxPathLength`` (4,096)
    /// bytes (stricter than Go: `file path too long (N bytes; GoModKit's limit is 4096 bytes)`).
    public static var pathTooLong: Self { Self("pathTooLong") }
    /// A file could not be examined (I/O error while listing).
    public static var unreadableFile: Self { Self("unreadableFile") }

    // MARK: Omitted files (x/mod's CheckedFiles.Omitted)

    /// `file is in vendor directory`.
    public static var vendored: Self { Self("vendored") }
    /// `file is in another module`.
    public static var inSubmodule: Self { Self("inSubmodule") }
    /// `directory is in another module`.
    public static var submoduleDirectory: Self { Self("submoduleDirectory") }
    /// `directory is a version control repository` (`.bzr`, `.git`, `.hg`, `.svn`).
    public static var vcsDirectory: Self { Self("vcsDirectory") }
    /// `file is inserted by 'hg archive' and is always omitted`.
    public static var hgArchival: Self { Self("hgArchival") }
    /// `file is a symbolic link`.
    public static var symbolicLink: Self { Self("symbolicLink") }
    /// `not a regular file`.
    public static var notRegularFile: Self { Self("notRegularFile") }

    // MARK: Warnings (GoModKit findings; Go accepts these silently)

    /// A directory entry, or an entry named exactly `path@version/`: accepted and hashed as
    /// an empty file, as Go does, but never extracted.
    public static var directoryEntry: Self { Self("directoryEntry") }
    /// An entry whose Unix mode says symbolic link: treated as a regular file holding the
    /// link text, as Go does; never extracted as a link.
    public static var symlinkEntry: Self { Self("symlinkEntry") }
    /// Content in a `vendor/` directory: kept in the zip and hashed, but it is code the
    /// go command ignores when building the module.
    public static var vendoredContent: Self { Self("vendoredContent") }
}
