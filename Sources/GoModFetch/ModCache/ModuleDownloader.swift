public import GoModCore
import GoModZip
public import GoSumDB
import GoModPlatform

/// A module version in the cache after ``ModuleDownloader/download(path:query:)``: the fields of
/// `go mod download -json` (https://go.dev/ref/mod#go-mod-download).
public struct DownloadedModule: Sendable, Hashable {
    /// `Path`.
    public var path: ByteString
    /// `Version` (resolved).
    public var version: ByteString
    /// `Query`: the query given when it was not a canonical version.
    public var query: ByteString?
    /// `Info`: absolute path of the cached `.info`.
    public var info: String
    /// `GoMod`: absolute path of the cached `.mod`.
    public var goMod: String
    /// `Zip`: absolute path of the cached `.zip`.
    public var zip: String
    /// `Dir`: absolute path of the extracted tree (empty when not extracted).
    public var dir: String
    /// `Sum`: the zip's `h1:` hash.
    public var sum: DirHash
    /// `GoModSum`: the go.mod's `h1:` hash.
    public var goModSum: DirHash
    /// `Origin` from the `.info`, re-encoded (compact JSON, sorted keys), if present.
    public var origin: [UInt8]?
    /// Findings that do not stop the download (beyond Go), e.g. the zip's go.mod differing from
    /// the `.mod` file (see Docs/stricter-than-go.md).
    public var warnings: [String]
}

/// Downloads module versions into a ``ModuleCache`` as cmd/go's `modfetch.Download` does, with
/// every check before anything becomes visible in the cache.
///
/// The zip is streamed from the proxy into a temporary file in the cache directory
/// (``ModuleProxyClient/zip(_:toFile:limit:)``), so memory stays bounded whatever its size (up
/// to x/mod's 500 MiB); a failed, refused or cancelled download removes it.
///
/// For each version: `.info`, `.mod` and `.zip` from the proxy list; the `.mod` hash and the
/// zip hash are checked against go.sum and otherwise against the checksum database (unless it
/// is off or the path matches `GONOSUMDB`; an unreachable database fails the download); the
/// zip must pass x/mod's `CheckZip` rules; only then are the files renamed into place
/// (temporary file + fsync + rename; `.ziphash` before the `.zip`, as cmd/go does) and the zip
/// extracted read-only (private temporary directory renamed onto `<ep>@<ev>`, with cmd/go's
/// `.partial` marker meanwhile). Work on one version is serialised by cmd/go's lock file
/// `<ev>.lock` (flock), so concurrent `go` and `gomodkit` processes cooperate. A failure or a
/// kill at any point leaves no partial entry: at worst stray temporary files, removed by the
/// next download of that version.
public struct ModuleDownloader: Sendable {
    /// The cache written.
    public var cache: ModuleCache
    /// The proxy client.
    public var proxy: ModuleProxyClient
    /// The checksum database, `nil` when `GOSUMDB=off`.
    public var checksumDatabase: ChecksumDatabase?
    /// go.sum consulted first (cmd/go's `checkModSum`), if any.
    public var goSum: GoSum?
    /// Extract the zip into `<ep>@<ev>` (as `go mod download` does).
    public var extract: Bool
    /// Leave the extracted tree writable (`-modcacherw`).
    public var writable: Bool

    /// A downloader.
    public init(cache: ModuleCache, proxy: ModuleProxyClient, checksumDatabase: ChecksumDatabase?,
                goSum: GoSum? = nil, extract: Bool = true, writable: Bool = false) {
        self.cache = cache
        self.proxy = proxy
        self.checksumDatabase = checksumDatabase
        self.goSum = goSum
        self.extract = extract
        self.writable = writable
    }

    /// Downloads `path@query` (`query` a canonical version, `latest`, or another version query
    /// the proxy answers in `.info`).
    public func download(path: ByteString, query: ByteString) async throws(ModuleCacheError) -> DownloadedModule {
        let module = "\(String(decoding: path.bytes, as: UTF8.self))@\(String(decoding: query.bytes, as: UTF8.self))"
        do { try Module.checkPath(path) } catch {
            throw ModuleCacheError(.invalidModule, "\(error)")
        }
        var version = query
        var info: ModuleInfo?
        var reportedQuery: ByteString?
        if Semver.canonical(query) != query && !query.hasSuffix("+incompatible") {
            reportedQuery = query
            do {
                info = query == "latest" ? try await proxy.resolveLatest(path: path) : try await proxy.info(ModuleVersion(path: path, version: query))
            } catch {
                throw ModuleCacheError(.proxy, error.description, proxyError: error)
            }
            version = info?.version ?? query
            guard Semver.canonical(version) == version || version.hasSuffix("+incompatible") else {
                throw ModuleCacheError(.invalidModule, "\(module): proxy resolved the query to non-canonical version \(goQuote(version.bytes))")
            }
        }
        var result = try await download(ModuleVersion(path: path, version: version), info: info)
        result.query = reportedQuery
        return result
    }

    /// Downloads one canonical module version (see the type's discussion).
    public func download(_ module: ModuleVersion, info knownInfo: ModuleInfo? = nil) async throws(ModuleCacheError) -> DownloadedModule {
        let infoPath = try cache.cachePath(module, "info")
        let modPath = try cache.cachePath(module, "mod")
        let zipPath = try cache.cachePath(module, "zip")
        let hashPath = try cache.cachePath(module, "ziphash")
        let dir = try cache.extractedDirectory(module)
        let lock = try FileLock(try cache.cachePath(module, "lock"), below: cache.root)
        defer { lock.unlock() }
        removeStaleTemporaries(module, zipPath: zipPath, dir: dir)
        var warnings: [String] = []

        // .info
        var info = knownInfo
        var infoCached = false
        if info == nil, let cached = readSmallFile(infoPath, limit: ModuleProxyClient.maxInfoResponse), let parsed = ModuleInfo(json: cached),
           parsed.version == module.version {
            info = parsed
            infoCached = true
        }
        if info == nil {
            do { info = try await proxy.info(module) } catch {
                throw ModuleCacheError(.proxy, module: module, error.description, proxyError: error)
            }
        }

        // A pseudo-version must agree with the .info time (stricter than Go; cmd/go checks it
        // only against the VCS when fetching directly).
        if Module.isPseudoVersion(module.version), let time = info?.time {
            try Self.checkPseudoVersion(module, infoTime: time)
        }

        // .mod: authenticated before it is cached.
        var goModBytes: [UInt8]
        let modCached: Bool
        if let cached = readSmallFile(modPath, limit: ModuleProxyClient.maxModResponse) {
            goModBytes = cached
            modCached = true
        } else {
            modCached = false
            do { goModBytes = try await proxy.goMod(module) } catch {
                throw ModuleCacheError(.proxy, module: module, error.description, proxyError: error)
            }
        }
        let goModSum = DirHash.hashGoMod(goModBytes)
        try await checkSum(ModuleVersion(path: module.path, version: module.version + GoSum.goModSuffix), goModSum, of: module)
        if let declared = GoMod.modulePath(in: goModBytes), declared != module.path {
            throw ModuleCacheError(.modulePathMismatch, module: module,
                                   "\(plain(module.path))@\(plain(module.version)): parsing go.mod:\n\tmodule declares its path as: \(plain(declared))\n\t        but was required as: \(plain(module.path))")
        }

        // .zip: reuse a cached one whose hash still matches its .ziphash; else download.
        var zipSum: DirHash
        var newZip: String?
        let recordedZipHash = cache.recordedZipHash(module)
        if fileExists(zipPath), let recorded = recordedZipHash,
           let computed = try? DirHash.hashZip(path: zipPath), computed == recorded {
            zipSum = computed
            try await checkSum(module, zipSum, of: module)
        } else {
            // Streamed to a temporary file beside the final name (bounded memory whatever the
            // zip's size); removed on any failure, cancellation included.
            let temp = try writeTemporaryFile(near: zipPath, [], below: cache.root)
            newZip = temp
            do throws(ModuleCacheError) {
                do { _ = try await proxy.zip(module, toFile: temp) } catch {
                    if error.code == .writeFailed {
                        // Go's *PathError wording (`write <temp>: file too large`), as for every
                        // other cache write.
                        throw ModuleCacheError(.io, module: module, error.detail)
                    }
                    throw ModuleCacheError(.proxy, module: module, error.description, proxyError: error)
                }
                zipSum = try checkDownloadedZip(module, path: temp, goMod: goModBytes, warnings: &warnings)
                try await checkSum(module, zipSum, of: module)
            } catch {
                unlink(temp)
                throw error
            }
        }

        // Everything is authenticated: make it visible. Files read from the cache above (under
        // the lock) are already in place and are not read again.
        do throws(ModuleCacheError) {
            if let info, !infoCached, readSmallFile(infoPath, limit: ModuleProxyClient.maxInfoResponse) != info.raw {
                try writeFileAtomically(infoPath, info.raw, below: cache.root)
            }
            if !modCached {
                try writeFileAtomically(modPath, goModBytes, below: cache.root)
                try rewriteVersionList(module.path)
            }
            if recordedZipHash != zipSum {
                try writeFileAtomically(hashPath, Array(zipSum.description.utf8), below: cache.root)
            }
            if let newZip {
                try renameInCache(newZip, to: zipPath, below: cache.root, module: module)
            }
        } catch {
            if let newZip { unlink(newZip) }
            throw error
        }

        var extracted = ""
        if extract {
            try extractZip(module, zipPath: zipPath, dir: dir)
            extracted = dir
        }
        return DownloadedModule(path: module.path, version: module.version, query: nil, info: infoPath, goMod: modPath,
                                zip: zipPath, dir: extracted, sum: zipSum, goModSum: goModSum, origin: info?.origin,
                                warnings: warnings)
    }

    /// The pseudo-version's revision must be 12 lower-case hex digits and its timestamp the
    /// `.info` `Time` (UTC, to the second).
    static func checkPseudoVersion(_ module: ModuleVersion, infoTime: String) throws(ModuleCacheError) {
        let head = "\(plain(module.path))@\(plain(module.version))"
        let rev: ByteString, time: Date
        do {
            rev = try Module.pseudoVersionRev(module.version)
            time = try Module.pseudoVersionTime(module.version)
        } catch {
            throw ModuleCacheError(.invalidPseudoVersion, module: module, "\(head): invalid pseudo-version: \(error)")
        }
        guard rev.count == 12, rev.bytes.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw ModuleCacheError(.invalidPseudoVersion, module: module, "\(head): invalid pseudo-version: revision \(plain(rev)) is not 12 lower-case hex digits")
        }
        let plainStyle = Date.ISO8601FormatStyle()
        let fractionalStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let stated = (try? plainStyle.parse(infoTime)) ?? (try? fractionalStyle.parse(infoTime)) else {
            throw ModuleCacheError(.invalidPseudoVersion, module: module, "\(head): invalid pseudo-version: .info Time \(goQuote(Array(infoTime.utf8))) is not RFC 3339")
        }
        guard Int64(stated.timeIntervalSince1970.rounded(.down)) == Int64(time.timeIntervalSince1970.rounded(.down)) else {
            throw ModuleCacheError(.invalidPseudoVersion, module: module,
                                   "\(head): invalid pseudo-version: does not match version-control timestamp (expected \(Self.pseudoTimestamp(stated)))")
        }
    }

    /// `yyyymmddhhmmss` in UTC, as in a pseudo-version.
    static func pseudoTimestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var c = tm()
        gmtime_r(&seconds, &c)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return digits(c.tm_year + 1900, 4) + digits(c.tm_mon + 1, 2) + digits(c.tm_mday, 2)
            + digits(c.tm_hour, 2) + digits(c.tm_min, 2) + digits(c.tm_sec, 2)
    }

    /// x/mod `CheckZip` rules, `HashZip`, and the go.mod divergence check.
    private func checkDownloadedZip(_ module: ModuleVersion, path: String, goMod: [UInt8],
                                    warnings: inout [String]) throws(ModuleCacheError) -> DirHash {
        let checked: ModuleZip.CheckedFiles
        do { checked = try ModuleZip.checkZip(module, path: path) } catch {
            throw ModuleCacheError(.invalidZip, module: module, "\(plain(module.path))@\(plain(module.version)): \(error)")
        }
        if let error = checked.error {
            throw ModuleCacheError(.invalidZip, module: module, "\(plain(module.path))@\(plain(module.version)): \(error)")
        }
        let archive: ZipArchive
        do { archive = try ZipArchive(path: path) } catch {
            throw ModuleCacheError(.invalidZip, module: module, "\(plain(module.path))@\(plain(module.version)): \(error)")
        }
        let sum: DirHash
        do { sum = try DirHash.hashZip(archive) } catch {
            throw ModuleCacheError(.invalidZip, module: module, "\(plain(module.path))@\(plain(module.version)): \(error)")
        }
        let goModName = ByteString(module.path.bytes + [0x40] + module.version.bytes + Array("/go.mod".utf8))
        if let entry = archive.entries.first(where: { $0.name == goModName }) {
            if let data = entry.uncompressedSize <= ModuleZip.maxGoMod ? try? archive.contents(of: entry) : nil, data != goMod {
                warnings.append("\(plain(module.path))@\(plain(module.version)): the go.mod in the zip differs from the .mod file (each is authenticated on its own; go builds with the .mod file)")
            }
        }
        return sum
    }

    /// cmd/go's `checkModSum`: go.sum first; without a line, the checksum database unless off
    /// or excluded by GONOSUMDB; an unreachable database is a failure.
    private func checkSum(_ key: ModuleVersion, _ hash: DirHash, of module: ModuleVersion) async throws(ModuleCacheError) {
        if let goSum {
            switch goSum.check(key, hash: hash) {
            case .match: return
            case .mismatch(let recorded, _):
                throw ModuleCacheError(.goSumMismatch, module: module,
                                       String(decoding: goSum.checksumMismatchMessage(for: key, downloaded: hash, recorded: recorded), as: UTF8.self))
            case .notPresent, .unverifiable: break
            }
        }
        guard let db = checksumDatabase else { return }
        let isGoMod = key.version.hasSuffix(GoSum.goModSuffix)
        let noun = isGoMod ? "go.mod" : "module"
        let lines: [ByteString]
        do {
            lines = try await db.lookup(key).lines
        } catch let error as ChecksumDatabaseError where error.code == .skipped {
            return
        } catch let error as ChecksumDatabaseError {
            var detail = error
            detail.module = nil
            throw ModuleCacheError(.checksumDatabaseFailure, module: module, "\(plain(module.path))@\(plain(module.version)): verifying \(noun): \(detail)",
                                   checksumDatabaseError: error)
        } catch {
            throw ModuleCacheError(.checksumDatabaseFailure, module: module, "\(plain(module.path))@\(plain(module.version)): verifying \(noun): \(error)")
        }
        let have = key.path + " " + key.version + " " + ByteString(hash.description)
        let prefix = key.path + " " + key.version + " h1:"
        for line in lines {
            if line == have { return }
            if line.hasPrefix(prefix) {
                let recorded = String(decoding: line.bytes.dropFirst(prefix.count - 3), as: UTF8.self)
                throw ModuleCacheError(.checksumDatabaseMismatch, module: module,
                                       "\(plain(module.path))@\(plain(module.version)): verifying \(noun): checksum mismatch\n\tdownloaded: \(hash)\n\t\(db.name): \(recorded)" + Self.sumdbMismatch)
            }
        }
        throw ModuleCacheError(.checksumDatabaseMismatch, module: module,
                               "\(plain(module.path))@\(plain(module.version)): verifying \(noun): checksum missing from sumdb response")
    }

    /// cmd/go's `sumdbMismatch` paragraph.
    static let sumdbMismatch = """


        SECURITY ERROR
        This download does NOT match the one reported by the checksum server.
        The bits may have been replaced on the origin server, or an attacker may
        have intercepted the download attempt.

        For more information, see 'go help module-auth'.

        """

    /// Extracts the zip into `dir` unless a complete tree is there (cmd/go's `unzip`): `.partial`
    /// marks the work; a partial tree left by a crash is removed first.
    private func extractZip(_ module: ModuleVersion, zipPath: String, dir: String) throws(ModuleCacheError) {
        let partial = try cache.cachePath(module, "partial")
        // A symbolic link planted at the tree's name is not a tree: it is removed (as a link,
        // its target untouched) and the module extracted in its place.
        if isDirectoryNoFollow(dir) && !fileExists(partial) { return }
        try makeDirectories(deletingLastPathComponent(dir), below: cache.root)
        removeTreeForcibly(dir, below: cache.root)
        try writeFileAtomically(partial, [], module: module, below: cache.root)
        do {
            try ModuleZip.unzip(zipPath, module: module, to: dir,
                                options: ModuleZip.UnzipOptions(readOnly: !writable, confinedBelow: cache.root))
        } catch where error.code == .io {
            // The cache, not the zip, refused (a full disk, a symbolic link below the root).
            throw ModuleCacheError(.io, module: module, "\(plain(module.path))@\(plain(module.version)): \(error)")
        } catch {
            throw ModuleCacheError(.invalidZip, module: module, "\(plain(module.path))@\(plain(module.version)): \(error)")
        }
        syncDirectory(of: dir)
        guard unlink(partial) == 0 else {
            throw ModuleCacheError(.io, module: module, "remove \(partial): \(systemMessage(errno))")
        }
    }

    /// Removes temporaries a killed download left (`<ev>.zip<n>.tmp`, `.<base>.gomodkit-unzip-*`).
    /// Called under the version's lock, so no live writer owns them.
    private func removeStaleTemporaries(_ module: ModuleVersion, zipPath: String, dir: String) {
        let downloadDir = deletingLastPathComponent(zipPath)
        let base = lastPathComponent(zipPath)
        let ev = String(base.dropLast(4))
        if let names = try? FileManager.default.contentsOfDirectory(atPath: downloadDir) {
            for name in names where name.hasSuffix(".tmp") && name.hasPrefix(ev + ".") {
                let rest = name.dropFirst(ev.count + 1)
                if ["zip", "info", "mod", "ziphash", "partial"].contains(where: { rest.hasPrefix($0) && rest.dropFirst($0.count).dropLast(4).allSatisfy(\.isNumber) }) {
                    removeTreeForcibly(downloadDir + "/" + name, below: cache.root)
                }
            }
        }
        let parent = deletingLastPathComponent(dir)
        let leaf = lastPathComponent(dir)
        let tempPrefix = "." + String(decoding: Array(leaf.utf8).prefix(64), as: UTF8.self) + ".gomodkit-unzip-"
        if let names = try? FileManager.default.contentsOfDirectory(atPath: parent) {
            for name in names where name.hasPrefix(tempPrefix) { removeTreeForcibly(parent + "/" + name, below: cache.root) }
        }
    }

    /// Rewrites `@v/list` from the `.mod` files present (cmd/go's `rewriteVersionList`), under
    /// `list.lock`.
    private func rewriteVersionList(_ path: ByteString) throws(ModuleCacheError) {
        let dir = try cache.downloadDirectory(path: path)
        let lock = try FileLock(dir + "/list.lock", below: cache.root)
        defer { lock.unlock() }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        var versions: [ByteString] = []
        for name in names where name.hasSuffix(".mod") {
            guard let v = try? Module.unescapeVersion(ByteString(String(name.dropLast(4)))) else { continue }
            versions.append(v)
        }
        Semver.sort(&versions)
        var data: [UInt8] = []
        for v in versions { data += v.bytes + [0x0A] }
        if readSmallFile(dir + "/list", limit: 16 << 20) != data { try writeFileAtomically(dir + "/list", data, below: cache.root) }
    }
}
