public import GoModCore
public import GoModZip
import GoModPlatform

extension ModuleZip {
    /// A module's source in a local git repository, as `cmd/go` fetches it with
    /// `GOPROXY=direct` (cmd/go `internal/modfetch/coderepo.go`,
    /// `internal/modfetch/codehost/git.go`).
    public struct GitSource: Sendable, Hashable {
        /// The repository: a working tree or a bare repository. It is only read: the archive is
        /// made in a private temporary repository that borrows its objects (see
        /// ``ModuleZip/createFromGit(_:source:output:options:)``).
        public var repository: String
        /// The module's directory within the repository (cmd/go's `codeDir`), without the
        /// `/vN` major-version directory, which is found automatically; empty for the root.
        /// Also the tag prefix: version `v1.2.3` is tag `<directory>/v1.2.3`.
        public var directory: ByteString
        /// The import path of the repository root (cmd/go's `codeRoot`), when known. When it
        /// equals the module path (a `go-import` tag naming the full `/vN` path), the `vN/`
        /// subdirectory layout is not considered, as in cmd/go; it also appears in messages.
        public var repositoryRoot: ByteString?
        /// The revision to archive instead of the version's tag: a tag, a branch, `HEAD` or a
        /// commit hash (prefix), resolved as cmd/go does (tags first). `nil`: the tag named by
        /// the version, or the commit of a pseudo-version.
        public var revision: String?
        /// The git executable (a path, or a name looked up in `PATH`).
        public var git: String

        /// A source at `directory` of `repository`.
        public init(repository: String, directory: ByteString = "", repositoryRoot: ByteString? = nil,
                    revision: String? = nil, git: String = "git") {
            self.repository = repository
            self.directory = directory
            self.repositoryRoot = repositoryRoot
            self.revision = revision
            self.git = git
        }

        /// The source of `module` in a repository whose root has import path `repositoryRoot`,
        /// with the module directory computed as cmd/go's `newCodeRepo` does (the module path
        /// minus the root and the major-version suffix, joined with `subdirectory`, the Go 1.25
        /// `go-import` subdirectory field).
        ///
        /// - Throws: `ModuleZipError.Code.invalidRepositoryPath` with Go's messages
        ///   (`mismatched repo: found <root> for <path>`, `repository rooted at <root> cannot
        ///   contain module <path>`, `invalid module path "<path>"`).
        public static func locating(module: ByteString, in repository: String, repositoryRoot: ByteString,
                                    subdirectory: ByteString = "", revision: String? = nil,
                                    git: String = "git") throws(ModuleZipError) -> GitSource {
            let path = module.bytes, root = repositoryRoot.bytes
            guard hasPathPrefix(path, root) else {
                throw ModuleZipError(.invalidRepositoryPath, message: "mismatched repo: found \(safeText(root)) for \(safeText(path))")
            }
            let (prefix, _, ok) = Module.splitPathVersionBytes(path)
            guard ok else {
                throw ModuleZipError(.invalidRepositoryPath, message: "invalid module path \(goQuote(path))")
            }
            var codeDir: [UInt8] = []
            if root != path {
                guard hasPathPrefix(prefix, root) else {
                    throw ModuleZipError(.invalidRepositoryPath,
                                         message: "repository rooted at \(safeText(root)) cannot contain module \(safeText(path))")
                }
                codeDir = trimSlashes(Array(prefix[root.count...]))
            }
            if !subdirectory.isEmpty {
                codeDir = goPathClean(codeDir.isEmpty ? subdirectory.bytes : codeDir + [0x2F] + subdirectory.bytes)
            }
            return GitSource(repository: repository, directory: ByteString(codeDir), repositoryRoot: repositoryRoot,
                             revision: revision, git: git)
        }
    }

    /// The result of ``ModuleZip/createFromGit(_:source:output:options:)``: the zip's report
    /// and hash, and what go.sum's `/go.mod` line hashes.
    public struct GitCreated: Sendable, Hashable {
        /// The zip's classification and `h1:` (the go.sum line `<path> <version> h1:…`).
        public var created: Created
        /// The full commit hash that was archived.
        public var commit: String
        /// Where the module was found in the repository (cmd/go's `findDir`): the module
        /// directory, or its `vN` subdirectory.
        public var directory: ByteString
        /// The go.mod cmd/go serves for this version: the raw blob of the module's go.mod at the
        /// commit (no checkout filters), or the synthesized `ModuleZip.legacyGoMod(_:)`.
        public var goMod: [UInt8]
        /// Whether ``goMod`` was synthesized because the module has no go.mod at the commit.
        public var goModIsSynthesized: Bool
        /// `h1:` of ``goMod`` (the go.sum line `<path> <version>/go.mod h1:…`).
        public var goModHash: DirHash
        /// The root go.mod's `go` version (modfile's lax reading), empty when there is none.
        /// cmd/go refuses modules newer than itself (`TooNewError`); GoModKit reports it instead.
        public var goVersion: ByteString
    }

    /// Builds the module zip of `module` from a git repository exactly as cmd/go's `codeRepo.Zip`
    /// does for `GOPROXY=direct` (cmd/go `internal/modfetch/coderepo.go`), and the go.mod
    /// `codeRepo.GoMod` serves.
    ///
    /// 1. The version must be canonical. Its revision is the tag `<directory>/<version>` (without
    ///    `+incompatible`), the commit of a pseudo-version (whose short hash, time and base tag
    ///    are validated like cmd/go's `validatePseudoVersion`), or ``GitSource/revision``.
    /// 2. The module's directory is found as cmd/go's `findDir` does: `<directory>/go.mod`, or
    ///    for a `/vN` module `<directory>/vN/go.mod`, must declare a matching module path; no
    ///    go.mod at all is allowed only for v0/v1 (and gopkg.in) modules at the repository root.
    ///    Errors carry cmd/go's messages.
    /// 3. The tree is archived with `git -c core.autocrlf=input -c core.eol=lf archive
    ///    --format=zip --prefix=prefix/ --end-of-options <commit> [<dir>]` after the attribute
    ///    line `* -export-subst -export-ignore` was added to the repository's `info/attributes`.
    ///    GoModKit does not modify the repository: it runs git in a fresh temporary bare
    ///    repository whose `objects/info/alternates` names the repository's object store and
    ///    whose `info/attributes` holds exactly cmd/go's line — the situation of cmd/go's own
    ///    bare clone in the module cache (fresh config, nothing else in `info/attributes`).
    ///    In-tree `.gitattributes` (`text`, `eol`, `ident`, filters) still apply, as in cmd/go;
    ///    `export-ignore` and `export-subst` do not.
    /// 4. The archive is re-rooted (one top-level directory, files under `<dir>/` only, no
    ///    directory entries); for a module below the root without a `LICENSE`, the root `LICENSE`
    ///    blob is added; the files go through `ModuleZip.create(_:files:output:options:)`.
    ///
    /// go.sum's `/go.mod` line hashes ``GitCreated/goMod``: the raw go.mod blob, or
    /// `module <path>\n` when there is none (the archive's copy may differ: it went through the
    /// checkout filters).
    public static func createFromGit(_ module: ModuleVersion, source: GitSource, output: Output = .none,
                                     options: CreateOptions = CreateOptions()) throws(ModuleZipError) -> GitCreated {
        let repo = GitRepository(source: source)
        // The commit time is not part of the zip: no `git log` for it.
        let stat = try resolveStat(module, repo: repo, withTime: false)
        let commit = stat.commit, dir = stat.directory.bytes

        // ReadZip, then re-root.
        var list = try repo.archiveFiles(commit: commit, directory: dir)
        if !dir.isEmpty && !list.contains(where: { $0.path.bytes == licenseName }) {
            let license: [UInt8]?
            do {
                license = try repo.readFile(commit: commit, path: licenseName)
            } catch where error.code == .moduleTooLarge {
                // cmd/go reads it whole and zip.Create then rejects it with this message.
                let file = FileError(path: licenseName, code: .licenseTooLarge,
                                     "LICENSE file too large (max size is \(maxLICENSE) bytes)")
                throw ModuleZipError(.invalidFiles, message: safeText(file.goText), context: "create zip", files: [file])
            }
            if let license { list.append(.bytes(ByteString(licenseName), license)) }
        }
        let created = try create(module, files: list, output: output, options: options)
        return GitCreated(created: created, commit: commit, directory: stat.directory, goMod: stat.goMod,
                          goModIsSynthesized: stat.goModIsSynthesized, goModHash: stat.goModHash,
                          goVersion: stat.goVersion)
    }

    /// What cmd/go's `codeRepo.Stat` and `GoMod` establish about a version before any archive
    /// is made: its commit and time, where the module is, and its go.mod.
    public struct GitStat: Sendable, Hashable {
        /// The full commit hash of the version's revision.
        public var commit: String
        /// The commit time, seconds since the Unix epoch (`git log --format=%ct`; cmd/go's
        /// `RevInfo.Time`).
        public var time: Int64
        /// Where the module was found (cmd/go's `findDir`).
        public var directory: ByteString
        /// The go.mod cmd/go serves (raw blob, or `ModuleZip.legacyGoMod(_:)`).
        public var goMod: [UInt8]
        /// Whether ``goMod`` was synthesized.
        public var goModIsSynthesized: Bool
        /// `h1:` of ``goMod``.
        public var goModHash: DirHash
        /// The root go.mod's `go` version, empty when there is none.
        public var goVersion: ByteString
    }

    /// Steps 1 and 2 of ``createFromGit(_:source:output:options:)`` — the revision, its
    /// commit (pseudo-versions validated), cmd/go's `checkCanonical` rules for major versions and
    /// `+incompatible` (`go1.27:cmd/go/internal/modfetch/coderepo.go` `convert`), and `findDir` —
    /// without archiving: what cmd/go's `codeRepo.Stat` and `GoMod` answer.
    public static func statFromGit(_ module: ModuleVersion, source: GitSource) throws(ModuleZipError) -> GitStat {
        try resolveStat(module, repo: GitRepository(source: source), withTime: true)
    }

    /// ``statFromGit(_:source:)``; without `withTime`, ``GitStat/time`` is left 0 (one `git log`
    /// fewer, for ``createFromGit(_:source:output:options:)``, which does not report it).
    private static func resolveStat(_ module: ModuleVersion, repo: GitRepository, withTime: Bool) throws(ModuleZipError) -> GitStat {
        let source = repo.source
        let version = module.version.bytes
        guard Module.canonicalVersion(module.version).bytes == version else {
            throw ModuleZipError(.invalidModuleVersion, message: "version \(safeText(version)) is not canonical")
        }
        let layout = try CodeLayout(module: module, source: source)

        // The revision and its commit.
        let rev: String
        if let revision = source.revision {
            rev = revision
        } else {
            guard Semver.isValid(module.version) else {
                throw ModuleZipError(.invalidModuleVersion, message: "syntax error", context: "\(module): invalid version")
            }
            if Module.isPseudoVersion(module.version) {
                rev = String(decoding: (try? Module.pseudoVersionRev(module.version).bytes) ?? [], as: UTF8.self)
            } else {
                var tag = version
                if Semver.build(module.version) == "+incompatible" { tag.removeLast("+incompatible".utf8.count) }
                rev = String(decoding: layout.codeDir.isEmpty ? tag : layout.codeDir + [0x2F] + tag, as: UTF8.self)
            }
        }
        let commit = try repo.resolve(rev, tagOnly: source.revision == nil && !Module.isPseudoVersion(module.version),
                                      module: module)

        // findDir (checkCanonical runs it first), then the major-version rules.
        let (dir, foundGoMod) = try findDir(module, rev: rev, commit: commit, layout: layout, repo: repo)
        try checkMajorVersion(module, commit: commit, layout: layout, repo: repo)
        if Module.isPseudoVersion(module.version) {
            try repo.validatePseudoVersion(module, commit: commit, layout: layout)
        }
        var goMod = foundGoMod
        if goMod == nil {
            goMod = try repo.readFile(commit: commit, path: dir.isEmpty ? goModName : dir + [0x2F] + goModName)
        }
        let synthesized = goMod == nil
        let goModBytes = goMod ?? legacyGoMod(module.path)
        let goVersion: [UInt8] = synthesized ? [] : LaxGoVersion.languageVersion(ofGoMod: goModBytes)
        return GitStat(commit: commit, time: withTime ? try repo.commitTime(commit) : 0, directory: ByteString(dir), goMod: goModBytes,
                       goModIsSynthesized: synthesized, goModHash: DirHash.hashGoMod(goModBytes),
                       goVersion: ByteString(goVersion))
    }

    /// cmd/go's `checkCanonical` for a canonical version asked for as itself: a version whose
    /// major does not match the path's needs `+incompatible`, which only a module at the
    /// repository root, without a major suffix and without a root go.mod may carry; a
    /// compatible major must not carry it.
    private static func checkMajorVersion(_ module: ModuleVersion, commit: String, layout: CodeLayout,
                                          repo: GitRepository) throws(ModuleZipError) {
        func fail(_ message: String) -> ModuleZipError {
            ModuleZipError(.invalidModuleVersion, message: message, context: "\(module): invalid version")
        }
        let version = module.version.bytes
        let suffix = Array("+incompatible".utf8)
        let incompatible = version.count > suffix.count && version.hasSuffix(suffix)
        let base = ByteString(incompatible ? Array(version.dropLast(suffix.count)) : version)
        let major = Semver.major(base).utf8String ?? ""
        if !Module.matchPathMajor(base, ByteString(layout.pathMajor)) {
            var canUseIncompatible = layout.codeDir.isEmpty && layout.pathMajor.isEmpty
            if canUseIncompatible { canUseIncompatible = try repo.readFile(commit: commit, path: goModName) == nil }
            if canUseIncompatible {
                if !incompatible {
                    throw fail("resolves to version \(safeText(base.bytes))+incompatible (\(safeText(base.bytes)) is not a tag)")
                }
                return
            }
            if !layout.pathMajor.isEmpty {
                throw fail("module path includes a major version suffix, so major version must match")
            }
            let joined = goPathClean(layout.pathPrefix + [0x2F] + Array(major.utf8))
            throw fail("module contains a go.mod file, so module path must match major version (\(goQuote(joined)))")
        }
        if incompatible {
            throw fail("+incompatible suffix not allowed: major version \(major) is compatible")
        }
    }

    /// cmd/go's codeRepo fields for a module in a repository.
    struct CodeLayout {
        var codeDir: [UInt8]
        var codeRoot: [UInt8]
        var pathPrefix: [UInt8]
        var pathMajor: [UInt8]
        var majorSubdirectoryAllowed: Bool

        init(module: ModuleVersion, source: GitSource) throws(ModuleZipError) {
            let path = module.path.bytes
            let (prefix, major, ok) = Module.splitPathVersionBytes(path)
            guard ok else {
                throw ModuleZipError(.invalidRepositoryPath, message: "invalid module path \(goQuote(path))")
            }
            let dir = source.directory.bytes
            guard dir.isEmpty || (goPathClean(dir) == dir && dir.first != 0x2F
                                  && !dir.split(separator: 0x2F).contains(where: { $0.elementsEqual([0x2E, 0x2E]) })
                                  && dir != [0x2E] && !dir.contains(0x0A)) else {
                throw ModuleZipError(.invalidRepositoryPath,
                                     message: "module directory \(goQuote(dir)) is not a clean relative path")
            }
            codeDir = dir
            pathMajor = major
            if let root = source.repositoryRoot?.bytes {
                codeRoot = root
                pathPrefix = root == path ? path : prefix
            } else if dir.isEmpty {
                codeRoot = prefix
                pathPrefix = prefix
            } else if prefix.count > dir.count, Array(prefix.suffix(dir.count + 1)) == [0x2F] + dir {
                codeRoot = Array(prefix.dropLast(dir.count + 1))
                pathPrefix = prefix
            } else {
                codeRoot = prefix
                pathPrefix = prefix
            }
            majorSubdirectoryAllowed = codeRoot != path
        }
    }

    /// cmd/go's `findDir`: the directory holding the module and its go.mod blob (nil when the
    /// module has none).
    private static func findDir(_ module: ModuleVersion, rev: String, commit: String, layout: CodeLayout,
                                repo: GitRepository) throws(ModuleZipError) -> ([UInt8], [UInt8]?) {
        func join(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] { a.isEmpty ? b : goPathClean(a + [0x2F] + b) }
        func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }
        func fail(_ message: String) -> ModuleZipError {
            ModuleZipError(.moduleNotFound, message: message, context: "\(module): invalid version")
        }
        let pathMajor = layout.pathMajor
        let file1 = join(layout.codeDir, goModName)
        let gomod1 = try repo.readFile(commit: commit, path: file1)
        let mpath1 = gomod1.map(modulePathOfGoMod) ?? []
        let found1 = gomod1 != nil && (isMajor(mpath1, pathMajor) || (pathMajor.isEmpty && mpath1.starts(with: Array("gopkg.in/".utf8))))

        var file2: [UInt8] = []
        if !pathMajor.isEmpty && layout.majorSubdirectoryAllowed && pathMajor.first != 0x2E {
            let dir2 = join(layout.codeDir, Array(pathMajor.dropFirst()))
            file2 = join(dir2, goModName)
            let gomod2 = try repo.readFile(commit: commit, path: file2)
            let mpath2 = gomod2.map(modulePathOfGoMod) ?? []
            let found2 = gomod2 != nil && isMajor(mpath2, pathMajor)
            if found1 && found2 {
                throw fail("\(text(layout.pathPrefix))/\(text(file1)) and ...\(text(pathMajor))/go.mod both have ...\(text(pathMajor)) module paths at revision \(rev)")
            }
            if found2 { return (dir2, gomod2) }
            if gomod2 != nil {
                if mpath2.isEmpty {
                    throw fail("\(text(layout.codeRoot))/\(text(file2)) is missing module path at revision \(rev)")
                }
                throw fail("\(text(layout.codeRoot))/\(text(file2)) has non-...\(text(pathMajor)) module path \(goQuote(mpath2)) at revision \(rev)")
            }
        }
        if found1 { return (layout.codeDir, gomod1) }
        if gomod1 != nil {
            let suffix = file2.isEmpty ? "" : " (and ...\(text(pathMajor))/go.mod does not exist)"
            if mpath1.isEmpty {
                throw fail("\(text(file1)) is missing module path\(suffix) at revision \(rev)")
            }
            if !pathMajor.isEmpty {
                throw fail("\(text(file1)) has non-...\(text(pathMajor)) module path \(goQuote(mpath1))\(suffix) at revision \(rev)")
            }
            if !Module.splitPathVersionBytes(mpath1).ok {
                throw fail("\(text(file1)) has malformed module path \(goQuote(mpath1))\(suffix) at revision \(rev)")
            }
            throw fail("\(text(file1)) has post-\(Semver.major(module.version).utf8String ?? "") module path \(goQuote(mpath1))\(suffix) at revision \(rev)")
        }
        if layout.codeDir.isEmpty && (pathMajor.isEmpty || pathMajor.first == 0x2E) {
            return ([], nil)
        }
        if !file2.isEmpty {
            throw fail("missing \(text(layout.pathPrefix))/go.mod and ...\(text(pathMajor))/go.mod at revision \(rev)")
        }
        throw fail("missing \(text(layout.pathPrefix))/go.mod at revision \(rev)")
    }

    /// cmd/go's `isMajor`.
    static func isMajor(_ mpath: [UInt8], _ pathMajor: [UInt8]) -> Bool {
        guard !mpath.isEmpty else { return false }
        let (_, mpathMajor, ok) = Module.splitPathVersionBytes(mpath)
        guard ok else { return false }
        if pathMajor.isEmpty {
            guard let prefix = Module.pathMajorPrefix(ByteString(mpathMajor)) else { return false }
            return prefix.isEmpty || prefix == "v0" || prefix == "v1"
        }
        guard !mpathMajor.isEmpty else { return false }
        return pathMajor.dropFirst().elementsEqual(mpathMajor.dropFirst())
    }

    /// modfile `ModulePath`: the module path of a go.mod's first `module` line, tolerant of
    /// everything else; empty when there is none or it is malformed.
    static func modulePathOfGoMod(_ data: [UInt8]) -> [UInt8] {
        GoMod.modulePath(in: data)?.bytes ?? []
    }

    /// Go's `bytes.TrimSpace` (Unicode white space at both ends).
    static func trimGoSpace(_ s: [UInt8]) -> [UInt8] {
        func isSpace(_ r: UInt32) -> Bool {
            switch r {
            case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
            default: false
            }
        }
        var start = 0
        while start < s.count {
            var decoder = UTF8ByteDecoder(bytes: Array(s[start..<min(s.count, start + 4)]))
            guard let (rune, width, valid) = decoder.next(), valid, isSpace(rune) else { break }
            start += width
        }
        var end = s.count
        while end > start {
            var begin = end - 1
            while begin > start && s[begin] & 0xC0 == 0x80 && end - begin < 4 { begin -= 1 }
            var decoder = UTF8ByteDecoder(bytes: Array(s[begin..<end]))
            guard let (rune, width, valid) = decoder.next(), valid, width == end - begin, isSpace(rune) else { break }
            end = begin
        }
        return Array(s[start..<end])
    }

    /// cmd/go's `hasPathPrefix`.
    static func hasPathPrefix(_ s: [UInt8], _ prefix: [UInt8]) -> Bool {
        if s.count == prefix.count { return s == prefix }
        guard s.count > prefix.count else { return false }
        if let last = prefix.last, last == 0x2F { return s.starts(with: prefix) }
        return s[prefix.count] == 0x2F && s.starts(with: prefix)
    }

    static func trimSlashes(_ s: [UInt8]) -> [UInt8] {
        var out = s[...]
        while out.first == 0x2F { out = out.dropFirst() }
        while out.last == 0x2F { out = out.dropLast() }
        return Array(out)
    }
}

/// Read-only access to a local repository through git commands.
package struct GitRepository {
    let source: ModuleZip.GitSource
    var git: GitCommand { GitCommand(executable: source.git) }

    package init(source: ModuleZip.GitSource) { self.source = source }

    /// Runs git in the repository; fails with git's message on a non-zero status.
    func run(_ arguments: [String], limit: Int = 64 << 20) throws(ModuleZipError) -> GitCommand.Result {
        let result = try git.run(["-C", source.repository] + arguments, limit: limit)
        if result.exceeded {
            throw ModuleZipError(.git, message: "git \(arguments.first ?? ""): output larger than \(limit) bytes")
        }
        return result
    }

    /// cmd/go's revision lookup (`gitRepo.stat`): a tag, then a branch, then `HEAD`, then a
    /// commit hash or unambiguous hash prefix (at least 7 hex digits). With `tagOnly`, only the
    /// tag. Returns the full commit hash.
    package func resolve(_ rev: String, tagOnly: Bool, module: ModuleVersion) throws(ModuleZipError) -> String {
        func unknown() -> ModuleZipError {
            ModuleZipError(.unknownRevision, message: "unknown revision \(rev)", context: "\(module): invalid version")
        }
        guard !rev.isEmpty, !rev.hasPrefix("-"), !rev.contains("\n"), !rev.contains("\0") else { throw unknown() }
        var candidates = ["refs/tags/\(rev)"]
        if !tagOnly {
            candidates.append("refs/heads/\(rev)")
            if rev == "HEAD" { candidates.append("HEAD") }
            if rev.count >= 7, rev.count <= 64, rev.allSatisfy({ $0.isHexDigit }) { candidates.append(rev) }
        }
        for candidate in candidates {
            let result = try run(["rev-parse", "--verify", "--quiet", "\(candidate)^{commit}"], limit: 4096)
            if result.status == 0 {
                let hash = String(decoding: result.stdout, as: UTF8.self).trimmingSpace()
                if !hash.isEmpty { return hash }
            }
        }
        throw unknown()
    }

    /// cmd/go's `ReadFile`: the raw blob at `commit:path` (`git cat-file blob`), or `nil` when
    /// there is none. Bounded at 16 MiB (cmd/go reads any size).
    func readFile(commit: String, path: [UInt8]) throws(ModuleZipError) -> [UInt8]? {
        let spec = commit + ":" + String(decoding: path, as: UTF8.self)
        let result = try git.run(["-C", source.repository, "cat-file", "--end-of-options", "blob", spec],
                                 limit: Int(ModuleZip.maxGoMod))
        if result.exceeded {
            throw ModuleZipError(.moduleTooLarge, message: "\(String(decoding: path, as: UTF8.self)) at \(commit) is larger than \(ModuleZip.maxGoMod) bytes")
        }
        return result.status == 0 ? result.stdout : nil
    }

    /// The commit's time (seconds since the epoch).
    func commitTime(_ commit: String) throws(ModuleZipError) -> Int64 {
        let result = try run(["-c", "log.showsignature=false", "log", "--no-decorate", "-n1", "--format=format:%ct",
                              "--end-of-options", commit, "--"], limit: 4096)
        guard result.status == 0,
              let time = Int64(String(decoding: result.stdout, as: UTF8.self).trimmingSpace())
        else {
            throw ModuleZipError(.git, message: "git log \(commit): \(result.stderrText)")
        }
        return time
    }

    /// cmd/go's `validatePseudoVersion`: the short revision, the time, and the base tag.
    func validatePseudoVersion(_ module: ModuleVersion, commit: String,
                               layout: ModuleZip.CodeLayout) throws(ModuleZipError) {
        func fail(_ message: String) -> ModuleZipError {
            ModuleZipError(.invalidPseudoVersion, message: message, context: "\(module): invalid pseudo-version")
        }
        let version = module.version
        let short = String(commit.prefix(12))
        guard let rev = try? Module.pseudoVersionRev(version).utf8String else { throw fail("syntax error") }
        if rev != short {
            if rev.hasPrefix(short) { throw fail("revision is longer than canonical (expected \(short))") }
            if short.hasPrefix(rev) { throw fail("revision is shorter than canonical (expected \(short))") }
            throw fail("does not match short name of revision (expected \(short))")
        }
        guard let time = try? Module.pseudoVersionTime(version) else { throw fail("syntax error") }
        let commitSeconds = try commitTime(commit)
        if Int64(time.timeIntervalSince1970) != commitSeconds {
            let stamp = Module.formatTimestamp(Date(timeIntervalSince1970: TimeInterval(commitSeconds)))
            throw fail("does not match version-control timestamp (expected \(String(decoding: stamp, as: UTF8.self)))")
        }
        let tagPrefix = layout.codeDir.isEmpty ? "" : String(decoding: layout.codeDir, as: UTF8.self) + "/"
        var trimmed = version.bytes
        if trimmed.hasSuffix(Array("+incompatible".utf8)) { trimmed.removeLast("+incompatible".utf8.count) }
        guard let baseBytes = try? Module.pseudoVersionBase(ByteString(trimmed)) else { throw fail("syntax error") }
        let base = String(decoding: baseBytes.bytes, as: UTF8.self)
        if base.isEmpty {
            let pseudoMajor = Module.pathMajorPrefix(ByteString(layout.pathMajor)) ?? ""
            if pseudoMajor.isEmpty && Semver.major(version) == "v1" {
                throw fail("major version without preceding tag must be v0, not v1")
            }
            return
        }
        let pointing = try run(["for-each-ref", "--format=%(refname:strip=2)", "--points-at", commit, "refs/tags/"])
        for tag in String(decoding: pointing.stdout, as: UTF8.self).split(separator: "\n") {
            let versionOnly = tag.hasPrefix(tagPrefix) ? String(tag.dropFirst(tagPrefix.count)) : String(tag)
            if versionOnly == base {
                throw fail("tag (\(tag)) found on revision \(rev) is already canonical, so should not be replaced with a pseudo-version derived from that tag")
            }
        }
        let tags = try run(["for-each-ref", "--format=%(refname:strip=2)", "refs/tags/\(tagPrefix)"])
        var lastTag = ""
        for tag in String(decoding: tags.stdout, as: UTF8.self).split(separator: "\n").sortedByBytes() {
            guard tag.hasPrefix(tagPrefix) else { continue }
            let versionOnly = String(tag.dropFirst(tagPrefix.count))
            guard Semver.compare(ByteString(versionOnly), ByteString(base)) == 0 else { continue }
            lastTag = String(tag)
            let ancestor = try run(["merge-base", "--is-ancestor", "refs/tags/\(tag)", commit])
            if ancestor.status == 0 { return }
        }
        if lastTag.isEmpty { throw fail("preceding tag (\(base)) not found") }
        throw fail("revision \(rev) is not a descendent of preceding tag (\(lastTag))")
    }

    /// cmd/go's `ReadZip` followed by the re-rooting of `codeRepo.Zip`: the module files of
    /// `directory` at `commit`, as entries of the archive git made.
    func archiveFiles(commit: String, directory: [UInt8]) throws(ModuleZipError) -> [ModuleZip.File] {
        let scratch = try ScratchRepository(repository: self)
        defer { scratch.remove() }
        var arguments = ["--git-dir=\(scratch.gitDir)", "-c", "core.autocrlf=input", "-c", "core.eol=lf",
                         "archive", "--format=zip", "--prefix=prefix/", "--end-of-options", commit]
        if !directory.isEmpty { arguments.append(String(decoding: directory, as: UTF8.self)) }
        let zipPath = scratch.gitDir + "/archive.zip"
        let fd = open(zipPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ModuleZipError(.io, message: "create \(zipPath): \(systemMessage(errno))") }
        let result: GitCommand.Result
        do {
            defer { close(fd) }
            result = try git.run(arguments, in: scratch.gitDir, limit: Int(ModuleZip.maxZipFile), stdoutFile: fd)
        }
        if result.exceeded { throw ModuleZipError(.zipTooLarge, message: "downloaded zip file too large") }
        if result.writeError != 0 {
            throw ModuleZipError(.io, message: "write \(zipPath): \(systemMessage(result.writeError))")
        }
        guard result.status == 0 else {
            if result.stderrText.contains("did not match any files") {
                throw ModuleZipError(.moduleNotFound, message: "no files in \(goQuote(directory)) at revision \(commit)")
            }
            throw ModuleZipError(.git, message: "git archive: \(result.stderrText)")
        }
        let archive: ZipArchive
        do {
            // The descriptor stays open in the archive's source after the scratch repository
            // (and this file) are removed.
            archive = try ZipArchive(path: zipPath, mode: .strict, limits: ModuleZip.policyLimits)
        } catch {
            throw ModuleZipError(.invalidArchive, message: "reading git archive: \(error.description)", zipError: error)
        }

        var subdir = ModuleZip.trimSlashes(directory)
        if !subdir.isEmpty { subdir.append(0x2F) }
        var files: [ModuleZip.File] = []
        var topPrefix: [UInt8] = []
        for entry in archive.entries {
            let name = entry.name.bytes
            if topPrefix.isEmpty {
                guard let slash = name.firstIndex(of: 0x2F) else {
                    throw ModuleZipError(.invalidArchive, message: "missing top-level directory prefix")
                }
                topPrefix = Array(name[...slash])
            }
            guard name.starts(with: topPrefix) else {
                throw ModuleZipError(.invalidArchive, message: "zip file contains more than one top-level directory")
            }
            let rest = Array(name[topPrefix.count...])
            guard rest.starts(with: subdir) else { continue }
            let relative = Array(rest[subdir.count...])
            if relative.isEmpty || relative.last == 0x2F { continue }
            files.append(ModuleZip.File(path: ByteString(relative), kind: Self.kind(of: entry),
                                        size: entry.uncompressedSize, content: .zipEntry(archive, entry)))
        }
        return files
    }

    /// Go's `FileHeader.Mode` reduced to what `zip.Create` looks at.
    static func kind(of entry: ZipArchive.Entry) -> ModuleZip.File.Kind {
        var isDirectory = entry.isDirectory
        var type: UInt32 = 0
        switch entry.versionMadeBy >> 8 {
        case 3, 19:  // Unix, macOS
            type = (entry.externalAttributes >> 16) & 0o170000
            if type == 0o040000 { isDirectory = true }
        case 0, 11, 14:  // MS-DOS, NTFS, VFAT
            if entry.externalAttributes & 0x10 != 0 { isDirectory = true }
        default:
            break
        }
        if isDirectory { return .directory }
        switch type {
        case 0, 0o100000: return .regular
        case 0o120000: return .symbolicLink
        default: return .irregular
        }
    }
}

/// A private temporary bare repository that borrows the objects of the real one (through
/// `objects/info/alternates`) and carries exactly cmd/go's `info/attributes`, so the archive
/// is made as in cmd/go's module-cache clone without touching the user's repository.
struct ScratchRepository {
    let gitDir: String

    init(repository: GitRepository) throws(ModuleZipError) {
        let format = try repository.run(["rev-parse", "--show-object-format"], limit: 4096)
        let objectFormat = format.status == 0
            ? String(decoding: format.stdout, as: UTF8.self).trimmingSpace() : "sha1"
        let common = try repository.run(["rev-parse", "--path-format=absolute", "--git-common-dir"], limit: 1 << 16)
        guard common.status == 0 else {
            throw ModuleZipError(.git, message: "\(repository.source.repository) is not a git repository: \(common.stderrText)")
        }
        let commonDir = String(decoding: common.stdout, as: UTF8.self).trimming(where: { $0 == "\n" || $0 == "\r" })
        let objects = commonDir + "/objects"
        guard !objects.contains("\n"), !objects.hasPrefix("\"") else {
            throw ModuleZipError(.git, message: "repository path \(goQuote(Array(objects.utf8))) cannot be used as an alternate")
        }
        var template = Array((FileManager.default.temporaryDirectory.path + "/gomodkit-git-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw ModuleZipError(.io, message: "mkdtemp: \(systemMessage(errno))") }
        gitDir = String(cString: template.map { UInt8(bitPattern: $0) } + [])
        let initResult = try repository.git.run(["init", "--quiet", "--bare", "--object-format=\(objectFormat)", gitDir],
                                                limit: 1 << 16)
        guard initResult.status == 0 else {
            remove()
            throw ModuleZipError(.git, message: "git init: \(initResult.stderrText)")
        }
        do {
            try Data((objects + "\n").utf8).write(to: URL(fileURLWithPath: gitDir + "/objects/info/alternates"))
            try FileManager.default.createDirectory(atPath: gitDir + "/info", withIntermediateDirectories: true)
            // cmd/go's ensureGitAttributes appends exactly this to a fresh clone's info/attributes.
            try Data("\n* -export-subst -export-ignore\n".utf8).write(to: URL(fileURLWithPath: gitDir + "/info/attributes"))
        } catch {
            remove()
            throw ModuleZipError(.io, message: "preparing scratch repository: \(errorText(error))")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: gitDir)
    }
}
