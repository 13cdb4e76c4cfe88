public import GoModCore
public import GoModFetch
import GoModVCS
import GoModZip
import GoModPlatform

/// `GOPROXY=direct` for `ModuleProxyClient`: fetches module versions from their git
/// repositories as cmd/go's `modfetch.lookupDirect` + `codeRepo` do
/// (`go1.27:cmd/go/internal/modfetch/coderepo.go`, `codehost/git.go`).
///
/// For a version it
/// 1. resolves the module path's repository (``RepositoryResolver``, cmd/go's
///    `RepoRootForImportPath` with `PreferMod`); a `mod` (GOPROXY-protocol) server or a VCS
///    other than git is refused;
/// 2. finds the revision as cmd/go's `gitRepo.stat` does, in cmd/go's VCS cache
///    (`$GOMODCACHE/cache/vcs/<sha256 of "git3:"+URL>`, shared with ``UpstreamRebuilder`` and
///    with `go` itself): a tag already fetched is used as it is; otherwise the refs are listed
///    once per repository (``GitRefLister``) and the tag — or, for a pseudo-version, the ref
///    whose commit the revision prefixes — is fetched shallowly
///    (`git -c protocol.version=2 fetch -f --depth=1 origin <ref>:<ref>`); a commit no ref
///    names is looked for in all heads and tags (`fetch … refs/heads/*:refs/heads/*
///    refs/tags/*:refs/tags/*`, then `--unshallow`), never fetched by hash;
/// 3. checks the version as `codeRepo.Stat` does (`ModuleZip/statFromGit(_:source:)`:
///    findDir, major version and `+incompatible` rules, pseudo-version base and time);
/// 4. records the `.info` cmd/go writes: `{"Version":…,"Time":…,"Origin":{…}}`, compact, with
///    `Time` the commit time in UTC and `Origin` = `VCS` `git`, `URL` the repository URL as
///    resolved (not rewritten by `insteadOf`), `Subdir` the module directory, `Hash` the
///    commit, `Ref` the ref it was found by (`refs/tags/v1.2.3`; none for a commit already in
///    the cache, found only through the full fetch, or named by `HEAD`), and for a
///    pseudo-version not based on `v0.0.0`, `TagPrefix` and `TagSum` (cmd/go's `convert`).
///    The `.info` file gets it as cmd/go's `writeDiskStat` cleans it (no `TagPrefix`/`TagSum`,
///    no `Ref` for a pseudo-version); `ModuleInfo/origin` keeps it whole, as
///    `go mod download -json` prints it;
/// 5. serves go.mod as `codeRepo.GoMod` and the zip as `codeRepo.Zip`
///    (`ModuleZip/createFromGit(_:source:output:options:)`).
///
/// Each version is examined once per fetcher; the three requests of `DirectModuleSource`
/// share the result.
public actor DirectModuleFetcher: DirectModuleSource {
    private let resolver: RepositoryResolver
    private let lister: GitRefLister
    private let rebuilder: UpstreamRebuilder
    private var prepared: [ModuleVersion: Task<Result<Prepared, ModuleProxyError>, Never>] = [:]

    /// What one version's examination established.
    struct Prepared: Sendable {
        var info: ModuleInfo
        var goMod: [UInt8]
        var source: ModuleZip.GitSource
    }

    /// A fetcher resolving with `resolver`, listing refs with `lister`, and keeping its bare
    /// repositories in `rebuilder`'s VCS cache.
    public init(resolver: RepositoryResolver, lister: GitRefLister, rebuilder: UpstreamRebuilder) {
        self.resolver = resolver
        self.lister = lister
        self.rebuilder = rebuilder
    }

    /// The version's `.info`, as cmd/go writes it in direct mode.
    public func info(_ module: ModuleVersion) async throws(ModuleProxyError) -> ModuleInfo {
        try await prepare(module).info
    }

    /// The version's go.mod (`codeRepo.GoMod`).
    public func goMod(_ module: ModuleVersion) async throws(ModuleProxyError) -> [UInt8] {
        try await prepare(module).goMod
    }

    /// Builds the version's zip into `path` (`codeRepo.Zip`).
    public func zip(_ module: ModuleVersion, toFile path: String) async throws(ModuleProxyError) -> Int {
        let source = try await prepare(module).source
        let result: Result<Int, ModuleProxyError> = await Task.detached {
            do throws(ModuleZipError) {
                _ = try ModuleZip.createFromGit(module, source: source, output: .file(path))
            } catch {
                return .failure(Self.failure(module, error.description))
            }
            var info = stat()
            guard lstat(path, &info) == 0 else {
                return .failure(ModuleProxyError(.writeFailed, "stat \(path): \(systemMessage(errno))"))
            }
            return .success(Int(info.st_size))
        }.value
        return try result.get()
    }

    private func prepare(_ module: ModuleVersion) async throws(ModuleProxyError) -> Prepared {
        if let existing = prepared[module] { return try await existing.value.get() }
        let resolver = self.resolver, lister = self.lister, rebuilder = self.rebuilder
        let task = Task { await Self.examine(module, resolver: resolver, lister: lister, rebuilder: rebuilder) }
        prepared[module] = task
        return try await task.value.get()
    }

    /// A direct failure whose message may start with the module (cmd/go's `ModuleError` text):
    /// the module is left to ``ModuleProxyError/description``.
    static func failure(_ module: ModuleVersion, _ message: String) -> ModuleProxyError {
        let name = "\(module): "
        let detail = message.hasPrefix(name) ? String(message.dropFirst(name.count)) : message
        return ModuleProxyError(.directFailed, detail, module: "\(module)")
    }

    private static func examine(_ module: ModuleVersion, resolver: RepositoryResolver, lister: GitRefLister,
                                rebuilder: UpstreamRebuilder) async -> Result<Prepared, ModuleProxyError> {
        do throws(ModuleProxyError) {
            return .success(try await examineThrowing(module, resolver: resolver, lister: lister, rebuilder: rebuilder))
        } catch {
            return .failure(error)
        }
    }

    private static func examineThrowing(_ module: ModuleVersion, resolver: RepositoryResolver, lister: GitRefLister,
                                        rebuilder: UpstreamRebuilder) async throws(ModuleProxyError) -> Prepared {
        guard Semver.canonical(module.version) == module.version || module.version.hasSuffix("+incompatible") else {
            throw failure(module, "version \(goQuote(module.version.bytes)) is not canonical")
        }
        let path = String(decoding: module.path.bytes, as: UTF8.self)
        let root: RepoRoot
        let location: ModuleLocation
        do throws(OriginError) {
            root = try await resolver.resolve(path)
            location = try ModuleLocation(modulePath: path, root: root)
        } catch {
            throw failure(module, error.message)
        }
        guard root.vcs == "git" else {
            throw failure(module, root.vcs == "mod"
                ? "\(root.root) is served by the module proxy \(root.repoURL) (go-import \"mod\"): GoModKit fetches only git repositories directly"
                : "\(root.vcs) repositories are not supported by GoModKit (only git)")
        }
        let url = root.repoURL
        let dir: String
        do throws(OriginError) { dir = try await rebuilder.workDirectory(url: url) } catch {
            throw failure(module, error.message)
        }
        var ref: String?
        var listing: RefListing?
        func refs() async throws(ModuleProxyError) -> RefListing {
            if let listing { return listing }
            do throws(OriginError) {
                let listed = try await lister.list(url)
                listing = listed
                return listed
            } catch {
                throw failure(module, error.message)
            }
        }
        func git(_ arguments: [String]) async throws(ModuleProxyError) -> (status: Int32, stdout: [UInt8], stderr: String) {
            do throws(OriginError) { return try await rebuilder.runGit(arguments, in: dir, url: url) } catch {
                throw failure(module, error.message)
            }
        }
        // cmd/go's gitRepo fetches everything at most once (fetchLevel): a failed shallow fetch
        // and the pseudo-version's base-tag check would otherwise both fetch it all.
        var fetchedAll = false
        func fetchAll() async throws(ModuleProxyError) {
            guard !fetchedAll else { return }
            // cmd/go's fetchRefsLocked: heads and tags first, then unshallow in a second fetch.
            let result = try await git(["fetch", "-f", "--end-of-options", "origin", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"])
            guard result.status == 0 else { throw failure(module, "git fetch -f origin refs/heads/*:refs/heads/* refs/tags/*:refs/tags/*: exit status \(result.status)\n\(result.stderr)") }
            if FileManager.default.fileExists(atPath: dir + "/shallow") {
                let unshallow = try await git(["fetch", "--unshallow", "-f", "--end-of-options", "origin"])
                guard unshallow.status == 0 else { throw failure(module, "git fetch --unshallow -f origin: exit status \(unshallow.status)\n\(unshallow.stderr)") }
            }
            fetchedAll = true
        }
        func fetchOne(_ refspec: String) async throws(ModuleProxyError) {
            let result = try await git(["-c", "protocol.version=2", "fetch", "-f", "--depth=1", "--end-of-options", "origin", refspec])
            // Whatever went wrong, cmd/go falls back to the complete fetch.
            if result.status != 0 { try await fetchAll() }
        }

        if let tag = location.tag(for: module.version) {
            // gitRepo.stat: a tag already fetched is used as it is (tags are assumed not to
            // change meaning); otherwise the listing must name it.
            let local = try await git(["rev-parse", "--verify", "--quiet", "--end-of-options", "refs/tags/\(tag)^{commit}"])
            if local.status != 0 {
                let name = ByteString("refs/tags/\(tag)")
                guard try await refs().refs[name] != nil else {
                    throw failure(module, "invalid version: unknown revision \(tag)")
                }
                try await fetchOne("\(name):\(name)")
            }
            ref = "refs/tags/\(tag)"
        } else {
            // A pseudo-version: its revision is a 12-digit commit prefix.
            let rev: String
            do { rev = try Module.pseudoVersionRev(module.version).utf8String ?? "" } catch {
                throw failure(module, "invalid version: \(error)")
            }
            guard rev.utf8.count >= 7, rev.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
                throw failure(module, "invalid version: unknown revision \(rev)")
            }
            let local = try await git(["-c", "log.showsignature=false", "log", "--no-decorate", "-n1", "--format=format:%H",
                                       "--end-of-options", rev, "--"])
            if local.status != 0 {
                var found: (ref: ByteString, hash: String)?
                for (name, hash) in try await refs().refs where hash.hasPrefix(rev) {
                    if let found, found.hash != hash { throw failure(module, "invalid version: ambiguous revision \(rev)") }
                    if found.map({ $0.ref > name }) ?? true { found = (name, hash) }
                }
                if let found {
                    if found.ref == "HEAD" {
                        // cmd/go fetches HEAD's commit under refs/dummy and records no Ref.
                        try await fetchOne("\(found.hash):refs/dummy")
                    } else {
                        let name = String(decoding: found.ref.bytes, as: UTF8.self)
                        try await fetchOne("\(name):\(name)")
                        ref = name
                    }
                } else {
                    try await fetchAll()
                }
            }
            // The base tag must be an ancestor: that needs the tags and the history.
            if let base = try? Module.pseudoVersionBase(module.version), !base.isEmpty {
                try await fetchAll()
            }
        }

        let source = ModuleZip.GitSource(repository: dir, directory: ByteString(location.codeDir),
                                         repositoryRoot: ByteString(root.root), git: rebuilder.gitExecutable)
        let stat: ModuleZip.GitStat
        let statResult: Result<ModuleZip.GitStat, ModuleZipError> = await Task.detached {
            do throws(ModuleZipError) { return .success(try ModuleZip.statFromGit(module, source: source)) } catch {
                return .failure(error)
            }
        }.value
        switch statResult {
        case .success(let s): stat = s
        case .failure(let error): throw failure(module, error.description)
        }

        // The Origin, in codehost.Origin's field order.
        var origin: [(String, GoJSON)] = [("VCS", .string("git")), ("URL", .string(ByteString(url)))]
        if !location.codeDir.isEmpty { origin.append(("Subdir", .string(ByteString(location.codeDir)))) }
        origin.append(("Hash", .string(ByteString(stat.commit))))
        if Module.isPseudoVersion(module.version) && !module.version.hasPrefix("v0.0.0-") {
            var prefix = location.codeDir.isEmpty ? "" : location.codeDir + "/"
            if !location.pathMajor.isEmpty { prefix += String(location.pathMajor.dropFirst()) + "." }
            if !prefix.isEmpty { origin.append(("TagPrefix", .string(ByteString(prefix)))) }
            origin.append(("TagSum", .string(ByteString(try await refs().tagSum(prefix: ByteString(prefix))))))
        }
        if let ref { origin.append(("Ref", .string(ByteString(ref)))) }
        // The .info file holds the Origin cleaned as cmd/go's writeDiskStat does (no TagPrefix
        // or TagSum; no Ref for a pseudo-version); `go mod download -json` prints it whole.
        let cleaned = origin.filter { key, _ in
            key != "TagPrefix" && key != "TagSum" && !(key == "Ref" && Module.isPseudoVersion(module.version))
        }
        let json = GoJSON.object([("Version", .string(module.version)), ("Time", .string(ByteString(rfc3339(stat.time)))),
                                  ("Origin", .object(cleaned))]).compactEncoded()
        let full = GoJSON.object(origin).compactEncoded()
        guard var info = ModuleInfo(json: json), let fullOrigin = ModuleInfo(json: Array(#"{"Version":"","Origin":"#.utf8) + full + [0x7D])?.origin else {
            throw failure(module, "internal error: unreadable .info \(goQuote(json))")
        }
        info.origin = fullOrigin
        return Prepared(info: info, goMod: stat.goMod, source: source)
    }

    /// Go's `time.Time` JSON text for a whole second in UTC (`2006-01-02T15:04:05Z`).
    static func rfc3339(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var c = tm()
        gmtime_r(&t, &c)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return digits(c.tm_year + 1900, 4) + "-" + digits(c.tm_mon + 1, 2) + "-" + digits(c.tm_mday, 2) + "T"
            + digits(c.tm_hour, 2) + ":" + digits(c.tm_min, 2) + ":" + digits(c.tm_sec, 2) + "Z"
    }
}
