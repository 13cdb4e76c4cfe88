public import GoModCore
extension ModuleZip {
    // MARK: CheckFiles

    /// Classifies files as x/mod's `zip.CheckFiles` does: every file ends up in exactly one of
    /// ``CheckedFiles/valid``, ``CheckedFiles/omitted`` or ``CheckedFiles/invalid``, with
    /// Go's reasons and in Go's order. No file is opened except a root `go.mod`, whose `go` line
    /// selects the vendoring rule (``isVendoredPackage(_:goVersion:)``).
    ///
    /// The rules, in Go's order for each file: the path must be clean and relative; files in
    /// vendored packages, in nested modules (a directory holding a regular file named `go.mod`
    /// in any case) and `.hg_archival.txt` are omitted; the path must pass
    /// `module.CheckFilePath`; a root `go.mod` must be lower case; case-fold collisions are
    /// invalid; symbolic links and irregular files are omitted; sizes are checked against
    /// ``maxZipFile`` (total), ``maxGoMod`` and ``maxLICENSE``.
    ///
    /// Stricter than Go (Docs/stricter-than-go.md): a path deeper than ``maxPathDepth`` or longer
    /// than ``maxPathLength`` is invalid (`ModuleZipError.Code.pathTooDeep`,
    /// `ModuleZipError.Code.pathTooLong`), checked just before case-fold collisions. The
    /// collision and nested-module checks cost time and memory linear in the name bytes (Go's
    /// time grows with the square of a path's depth).
    ///
    /// - Throws: `ModuleZipError.Code.tooManyFiles` when there are more than ``maxFiles``
    ///   files or more than ``maxNameBytes`` bytes of names (GoModKit's caps).
    public static func checkFiles(_ files: [File]) throws(ModuleZipError) -> CheckedFiles {
        try checkFilesDetailed(files).checked
    }

    /// `checkFiles` with the positions of the valid files (Go's `validFiles`, `validSizes`).
    static func checkFilesDetailed(_ files: [File]) throws(ModuleZipError) -> (checked: CheckedFiles, valid: [Int]) {
        try checkCaps(count: files.count, nameBytes: files.reduce(0) { $0 + $1.path.count })
        var cf = CheckedFiles()
        var valid: [Int] = []
        var errorPaths = Set<ByteString>()
        func addError(_ path: ByteString, omitted: Bool, _ error: FileError) {
            guard errorPaths.insert(path).inserted else { return }
            if omitted { cf.omitted.append(error) } else { cf.invalid.append(error) }
        }
        func fail(_ path: [UInt8], omitted: Bool, _ code: ModuleZipError.Code, _ message: String) {
            addError(ByteString(path), omitted: omitted, FileError(path: path, code: code, message))
        }

        // Directories containing a regular go.mod (any case) other than the root are nested
        // modules; the root go.mod's `go` line selects the vendoring rule.
        // Go keeps a set of directory strings and tests every directory prefix of every file
        // against it (O(depth × length) per file); here the directories are a prefix table and
        // each file walks it once from the root.
        var goModDirectories = PathPrefixTable()
        var isGoModDirectory: [Bool] = []
        var goVersion: [UInt8] = []
        for file in files {
            let (dir, base) = splitPath(file.path.bytes)
            guard CaseFold.equalFold(base, goModName) else { continue }
            guard file.kind == .regular else { continue }
            if dir.isEmpty {
                if base == goModName, let data = try? readAll(file.content, limit: maxGoMod) {
                    goVersion = LaxGoVersion.languageVersion(ofGoMod: data)
                }
                continue
            }
            // `dir` ends in `/`: its elements are those of `dir` without that slash.
            var node = PathPrefixTable.root
            for element in dir.dropLast().split(separator: 0x2F, omittingEmptySubsequences: false) {
                guard let next = goModDirectories.intern(parent: node, element) else {
                    throw ModuleZipError(.tooManyFiles, message: "more nested-module directories than GoModKit can track")
                }
                node = next
            }
            if isGoModDirectory.count < goModDirectories.count {
                isGoModDirectory.append(contentsOf: repeatElement(false, count: goModDirectories.count - isGoModDirectory.count))
            }
            isGoModDirectory[Int(node)] = true
        }
        // Go's `inModule` negated: some proper directory prefix `p[...slash]` holds a go.mod.
        func inSubmodule(_ path: [UInt8]) -> Bool {
            var node = PathPrefixTable.root
            var start = 0
            for index in path.indices where path[index] == 0x2F {
                guard let next = goModDirectories.lookup(parent: node, path[start..<index]) else { return false }
                if isGoModDirectory[Int(next)] { return true }
                node = next
                start = index + 1
            }
            return false
        }

        var collisions = CollisionChecker()
        var remaining = maxZipFile
        let modern = usesModernVendorRule(goVersion)
        for (index, file) in files.enumerated() {
            let p = file.path.bytes
            if goPathClean(p) != p {
                fail(p, omitted: false, .pathNotClean, "file path is not clean")
                continue
            }
            if p.first == 0x2F {
                fail(p, omitted: false, .pathNotRelative, "file path is not relative")
                continue
            }
            if isVendored(p, modern: modern) {
                fail(p, omitted: true, .vendored, "file is in vendor directory")
                continue
            }
            if inSubmodule(p) {
                fail(p, omitted: true, .inSubmodule, "file is in another module")
                continue
            }
            if p == hgArchivalName {
                fail(p, omitted: true, .hgArchival, "file is inserted by 'hg archive' and is always omitted")
                continue
            }
            do {
                try Module.checkFilePath(file.path)
            } catch {
                addError(file.path, omitted: false,
                         FileError(path: file.path, code: .invalidPath, message: error.message, pathError: error))
                continue
            }
            // `strings.ToLower(p) == "go.mod"` holds exactly for ASCII case variants.
            if asciiLower(p) == goModName && p != goModName {
                fail(p, omitted: false, .goModCase, "go.mod files must have lowercase names")
                continue
            }
            if let violation = pathLimitViolation(p) {
                fail(p, omitted: false, violation.code, violation.message)
                continue
            }
            if let collision = collisions.check(p, isDirectory: file.kind == .directory) {
                addError(file.path, omitted: false, FileError(path: p, code: collision.code, collision.message))
                continue
            }
            if file.kind == .symbolicLink {
                fail(p, omitted: true, .symbolicLink, "file is a symbolic link")
                continue
            }
            if file.kind != .regular {
                fail(p, omitted: true, .notRegularFile, "not a regular file")
                continue
            }
            let size = file.size
            if size >= 0 && size <= remaining {
                remaining -= size
            } else if cf.sizeError == nil {
                cf.sizeError = ModuleZipError(
                    .moduleTooLarge, message: "module source tree too large (max size is \(maxZipFile) bytes)")
            }
            if p == goModName && size > maxGoMod {
                fail(p, omitted: false, .goModTooLarge, "go.mod file too large (max size is \(maxGoMod) bytes)")
                continue
            }
            if p == licenseName && size > maxLICENSE {
                fail(p, omitted: false, .licenseTooLarge, "LICENSE file too large (max size is \(maxLICENSE) bytes)")
                continue
            }
            cf.valid.append(file.path)
            valid.append(index)
        }
        addNameWarnings(&cf, names: cf.valid.map(\.bytes), stripping: 0)
        return (cf, valid)
    }

    // MARK: CheckZip

    /// Checks a module zip file as x/mod's `zip.CheckZip` does, reading only the central
    /// directory.
    ///
    /// Throws when the check cannot run: the version is not canonical or `module.Check` fails
    /// (`ModuleZipError.Code.invalidModuleVersion`), the file cannot be opened, or the zip
    /// reader rejects it (`ModuleZipError.Code.zip`; with `mode: .strict`, GoModKit's strict
    /// reader, see Docs/stricter-than-go.md). A file larger than ``maxZipFile`` is reported as the
    /// report's ``CheckedFiles/sizeError`` before anything is read, as in Go.
    public static func checkZip(_ module: ModuleVersion, path: String,
                                mode: ZipArchive.Mode = .strict) throws(ModuleZipError) -> CheckedFiles {
        try checkModule(module)
        let source: FileByteSource
        do {
            source = try FileByteSource(path: path)
        } catch {
            throw ModuleZipError(.io, message: error.detail, zipError: error)
        }
        if source.count > maxZipFile {
            var cf = CheckedFiles()
            cf.sizeError = ModuleZipError(
                .zipTooLarge, message: "module zip file is too large (\(source.count) bytes; limit is \(maxZipFile) bytes)")
            return cf
        }
        let archive: ZipArchive
        do {
            archive = try ZipArchive(source: source, mode: mode, limits: policyLimits)
        } catch {
            throw ModuleZipError(.zip, message: error.description, zipError: error)
        }
        return try checkZip(module, archive: archive)
    }

    /// Checks the entries of an open archive as x/mod's `zip.CheckZip` does (its checks after
    /// the file size): the `path@version/` prefix, clean paths, `module.CheckFilePath`,
    /// case-fold collisions, `go.mod` placement and case, and the size limits on declared
    /// uncompressed sizes. Reports invalid entries under their full names, as Go does.
    ///
    /// Stricter than Go: a directory entry declaring content is invalid
    /// (`ModuleZipError.Code.directoryEntryWithData`) and its size counts toward the total;
    /// a name whose part after the prefix is deeper than ``maxPathDepth`` or longer than
    /// ``maxPathLength`` is invalid (`ModuleZipError.Code.pathTooDeep`,
    /// `ModuleZipError.Code.pathTooLong`). Time and memory are linear in the name bytes.
    /// Warnings: directory and prefix-only entries, entries whose mode says symbolic link,
    /// vendored content, names that collide under Unicode normalisation or end in a space or dot.
    public static func checkZip(_ module: ModuleVersion, archive: ZipArchive) throws(ModuleZipError) -> CheckedFiles {
        try checkModule(module)
        let prefix = prefix(module)
        var cf = CheckedFiles()
        var collisions = CollisionChecker()
        var size: Int64 = 0
        func addError(_ entry: ZipArchive.Entry, _ code: ModuleZipError.Code, _ message: String) {
            cf.invalid.append(FileError(path: entry.name.bytes, code: code, message))
        }
        func countSize(_ declared: Int64) {
            if declared >= 0 && maxZipFile - size >= declared {
                size += declared
            } else if cf.sizeError == nil {
                cf.sizeError = ModuleZipError(
                    .moduleTooLarge,
                    message: "total uncompressed size of module contents too large (max size is \(maxZipFile) bytes)")
            }
        }
        // A directory entry is hashed as an empty file and never extracted: a warning, and an
        // error when it declares content.
        func directoryEntry(_ entry: ZipArchive.Entry, _ full: [UInt8], _ warning: String) {
            cf.warnings.append(FileError(path: full, code: .directoryEntry, warning))
            if entry.uncompressedSize != 0 {
                addError(entry, .directoryEntryWithData, "directory entry declares \(entry.uncompressedSize) bytes of content")
                countSize(entry.uncompressedSize)
            }
        }
        for entry in archive.entries {
            let full = entry.name.bytes
            guard full.starts(with: prefix) else {
                addError(entry, .outsidePrefix, "path does not have prefix \(goQuote(prefix))")
                continue
            }
            var name = Array(full[prefix.count...])
            if name.isEmpty {
                directoryEntry(entry, full, "entry named exactly the module prefix: hashed as an empty file, never extracted")
                continue
            }
            let isDirectory = name.last == 0x2F
            if isDirectory { name.removeLast() }
            if goPathClean(name) != name {
                addError(entry, .pathNotClean, "file path is not clean")
                continue
            }
            do {
                try Module.checkFilePath(ByteString(name))
            } catch {
                cf.invalid.append(FileError(path: entry.name, code: .invalidPath, message: error.message, pathError: error))
                continue
            }
            if let violation = pathLimitViolation(name) {
                addError(entry, violation.code, violation.message)
                continue
            }
            if let collision = collisions.check(name, isDirectory: isDirectory) {
                addError(entry, collision.code, collision.message)
                continue
            }
            if isDirectory {
                directoryEntry(entry, full, "directory entry: hashed as an empty file, never extracted")
                continue
            }
            let base = splitPath(name).base
            if CaseFold.equalFold(base, goModName) {
                if base != name {
                    addError(entry, .goModNotInRoot, "go.mod file not in module root directory")
                    continue
                }
                if name != goModName {
                    addError(entry, .goModCase, "go.mod files must have lowercase names")
                    continue
                }
            }
            let declared = entry.uncompressedSize
            countSize(declared)
            if name == goModName && declared > maxGoMod {
                addError(entry, .goModTooLarge, "go.mod file too large (max size is \(maxGoMod) bytes)")
                continue
            }
            if name == licenseName && declared > maxLICENSE {
                addError(entry, .licenseTooLarge, "LICENSE file too large (max size is \(maxLICENSE) bytes)")
                continue
            }
            if let mode = entry.unixMode, mode & 0o170000 == 0o120000 {
                cf.warnings.append(FileError(path: full, code: .symlinkEntry,
                                             "entry mode is a symbolic link: treated as a regular file holding the link text"))
            }
            cf.valid.append(entry.name)
        }
        addNameWarnings(&cf, names: cf.valid.map(\.bytes), stripping: prefix.count)
        return cf
    }

    /// Limits for reading a zip that the module policy checks itself: sizes are left to the
    /// policy (so Go's messages are reported), everything else keeps the module-zip bounds.
    package static var policyLimits: ZipArchive.Limits {
        var limits = ZipArchive.Limits.goModuleZip
        limits.maxEntrySize = .max
        limits.maxTotalUncompressedSize = .max
        return limits
    }

    // MARK: Vendoring

    /// x/mod's `isVendoredPackage`: whether `name` is a file of a vendored package, which
    /// module zips omit. `goVersion` is the language version of the root go.mod's `go` line
    /// (`go1.N`, or empty when there is none; x/mod `zip/zip.go`).
    ///
    /// From `go1.24` on, `vendor/modules.txt` is vendored, and a nested `…/vendor/` directory
    /// vendors only files in its subdirectories. Before (and with no version), `modules.txt` is
    /// kept and — a bug kept for checksum stability (golang.org/issue/37397) — every file below a
    /// nested `/vendor/` is vendored, because the offset of the check is `len("/vendor/")`
    /// rather than the position after the match.
    public static func isVendoredPackage(_ name: ByteString, goVersion: ByteString) -> Bool {
        isVendored(name.bytes, modern: usesModernVendorRule(goVersion.bytes))
    }

    /// Whether `goVersion` (a language version such as `go1.24`) is at least `go1.24`.
    static func usesModernVendorRule(_ goVersion: [UInt8]) -> Bool {
        LaxGoVersion.compare(goVersion, Array("go1.24".utf8)) >= 0
    }

    /// ``isVendoredPackage(_:goVersion:)`` with the version comparison done once.
    static func isVendored(_ n: [UInt8], modern: Bool) -> Bool {
        if modern && n == vendorModulesTxt { return true }
        var i: Int
        if n.starts(with: vendorPrefix) {
            i = vendorPrefix.count
        } else if let j = firstIndex(of: nestedVendor, in: n) {
            i = modern ? j + nestedVendor.count : nestedVendor.count
        } else {
            return false
        }
        return n[i...].contains(0x2F)
    }

    // MARK: Helpers

    package static let goModName = Array("go.mod".utf8)
    package static let licenseName = Array("LICENSE".utf8)
    static let hgArchivalName = Array(".hg_archival.txt".utf8)
    private static let vendorPrefix = Array("vendor/".utf8)
    private static let vendorModulesTxt = Array("vendor/modules.txt".utf8)
    private static let nestedVendor = Array("/vendor/".utf8)

    /// Go's `path.Split`: everything up to and including the last slash, and the rest.
    static func splitPath(_ p: [UInt8]) -> (dir: [UInt8], base: [UInt8]) {
        guard let slash = p.lastIndex(of: 0x2F) else { return ([], p) }
        return (Array(p[...slash]), Array(p[(slash + 1)...]))
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }

    static func checkCaps(count: Int, nameBytes: Int) throws(ModuleZipError) {
        guard count <= maxFiles else {
            throw ModuleZipError(.tooManyFiles, message: "\(count) files; GoModKit accepts at most \(maxFiles)")
        }
        guard nameBytes <= maxNameBytes else {
            throw ModuleZipError(.tooManyFiles, message: "\(nameBytes) bytes of file names; GoModKit accepts at most \(maxNameBytes)")
        }
    }

    /// Reads all of `content`, refusing more than `limit` bytes.
    static func readAll(_ content: Content, limit: Int64) throws(ModuleZipError) -> [UInt8] {
        var out: [UInt8] = []
        var tooLarge = false
        try stream(content, limit: limit + 1) { chunk in
            if Int64(out.count + chunk.count) > limit {
                tooLarge = true
            } else {
                out.append(contentsOf: chunk)
            }
        }
        guard !tooLarge else { throw ModuleZipError(.fileChanged, message: "file larger than \(limit) bytes") }
        return out
    }

    /// GoModKit warnings about the valid names: vendored content, names that collide under
    /// Unicode normalisation (after case folding), path elements ending in a space or a dot.
    static func addNameWarnings(_ cf: inout CheckedFiles, names: [[UInt8]], stripping prefixLength: Int) {
        var normalized: [String: [UInt8]] = [:]
        for full in names {
            let name = Array(full[prefixLength...])
            if name.starts(with: vendorPrefix) || firstIndex(of: nestedVendor, in: name) != nil {
                cf.warnings.append(FileError(path: full, code: .vendoredContent,
                                             "vendored content: hashed, but ignored by the go command when building"))
            }
            for element in name.split(separator: 0x2F) where element.last == 0x20 || element.last == 0x2E {
                cf.warnings.append(FileError(path: full, code: .platformAlias,
                                             "path element \(goQuote(element)) ends in a space or dot: Windows and SMB volumes alias it to another name"))
                break
            }
            // Swift `String` equality is canonical equivalence: exactly the normalisation
            // collision this looks for (and why names are never `String`s elsewhere). A valid
            // ASCII-only path can only be equivalent to itself or to a case-fold collision
            // (U+212A KELVIN SIGN), which CheckZip already rejects, so only non-ASCII names
            // need a key.
            guard name.contains(where: { $0 >= 0x80 }) else { continue }
            let key = String(decoding: CaseFold.key(name), as: UTF8.self)
            if let other = normalized[key] {
                cf.warnings.append(FileError(path: full, code: .normalizationCollision,
                                             "same name as \(goQuote(other)) under Unicode normalization: they collide on normalizing volumes (APFS, HFS+)"))
            } else {
                normalized[key] = full
            }
        }
    }
}

/// x/mod's `collisionChecker`: finds case-insensitive name collisions and paths that are both a
/// file and a directory.
///
/// Go keys a map by the case-folded text of every path and of each of its parent directories
/// (`check(path.Dir(p), true)`, recursively), hashing O(d²) bytes for a name d directories deep
/// (17 s for a 64 KiB name 32,757 deep with Go 1.27.3; a Swift copy of each key also held O(d²)
/// bytes: 1.07 GB). Here every prefix is a ``PathPrefixTable`` identity (parent identity plus last element),
/// once exactly and once case-folded, so memory and time are linear in the name bytes. The
/// outcome is Go's, including the order: the path itself is recorded first, then its parents
/// from the innermost out, stopping at the first collision.
///
/// Paths must be clean and relative, with no empty, `.` or `..` element — as they are after
/// `module.CheckFilePath`, which Go's callers (and ours) apply first — so that `path.Dir` is
/// "drop the last element".
struct CollisionChecker {
    /// Exact prefixes.
    private var exact = PathPrefixTable()
    /// Case-folded prefixes (x/mod `strToFold` of each element).
    private var folded = PathPrefixTable()
    /// Per folded prefix: the exact prefix first recorded under it (-1: none yet) — Go's
    /// `pathInfo.path` — and whether it was recorded as a directory (`pathInfo.isDir`).
    private var recorded: [Int32] = []
    private var recordedAsDirectory: [Bool] = []

    /// Prefixes stored, exact and folded together (for tests of the memory bound).
    var storedPrefixes: Int { exact.count + folded.count }

    /// Go's `check(p, isDir)`; `nil` when there is no collision.
    mutating func check(_ path: [UInt8], isDirectory: Bool) -> (code: ModuleZipError.Code, message: String)? {
        var foldIDs: [Int32] = [], exactIDs: [Int32] = [], ends: [Int] = []
        var foldParent = PathPrefixTable.root, exactParent = PathPrefixTable.root
        var start = 0
        for index in 0...path.count where index == path.count || path[index] == 0x2F {
            let element = path[start..<index]
            let key = CaseFold.key(Array(element))
            guard let f = folded.intern(parent: foldParent, key[...]),
                  let x = exact.intern(parent: exactParent, element) else {
                return (.tooManyFiles, "more distinct directories than GoModKit can track")
            }
            foldIDs.append(f)
            exactIDs.append(x)
            ends.append(index)
            foldParent = f
            exactParent = x
            start = index + 1
        }
        if recorded.count < folded.count {
            recorded.append(contentsOf: repeatElement(-1, count: folded.count - recorded.count))
            recordedAsDirectory.append(contentsOf: repeatElement(false, count: folded.count - recordedAsDirectory.count))
        }
        for level in foldIDs.indices.reversed() {
            let isDir = level < foldIDs.count - 1 || isDirectory
            let f = Int(foldIDs[level])
            guard recorded[f] >= 0 else {
                recorded[f] = exactIDs[level]
                recordedAsDirectory[f] = isDir
                continue
            }
            let p = Array(path[..<ends[level]])
            if recorded[f] != exactIDs[level] {
                return (.caseCollision,
                        "case-insensitive file name collision: \(goQuote(exact.path(of: recorded[f]))) and \(goQuote(p))")
            }
            if isDir != recordedAsDirectory[f] {
                return (.fileDirectoryCollision, "entry \(goQuote(p)) is both a file and a directory")
            }
            if !isDir {
                return (.duplicateEntry, "multiple entries for file \(goQuote(p))")
            }
        }
        return nil
    }
}
