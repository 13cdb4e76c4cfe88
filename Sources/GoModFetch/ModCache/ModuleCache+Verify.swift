import GoModZip
public import GoModCore
public import GoSumDB
import Dispatch
import GoModPlatform
import Synchronization

/// The outcome of ``ModuleCache/verify(project:checksumDatabase:deadline:)``.
public struct ModuleVerifyReport: Sendable {
    /// The build list checked (main module excluded), in cmd/go's order (path, then version).
    public var buildList: [ModuleVersion]
    /// Every problem found, `go mod verify`'s first, in build-list order.
    public var errors: [ModuleCacheError]
    /// Modules whose zip or extracted tree was present and hashed.
    public var verifiedCount: Int
    /// go.sum lines compared with the cache (beyond Go).
    public var goSumLinesChecked: Int
    /// go.sum lines authenticated against the checksum database (beyond Go).
    public var goSumLinesAuthenticated: Int
    /// Modules and go.sum lines not checked before the deadline
    /// (`ModuleCacheError.Code.deadlineExceeded`), in build-list then go.sum order.
    public var notVerified: [ModuleCacheError] = []

    /// No problem found and nothing left unchecked: cmd/go prints `all modules verified`.
    public var ok: Bool { errors.isEmpty && notVerified.isEmpty }
}

extension ModuleCache {
    /// `go mod verify` for one module (cmd/go's `verifyMod`): skipped when neither the zip nor
    /// the extracted tree exists; else the `.ziphash` must exist (`missing ziphash`), the zip's
    /// `HashZip` must equal it (`zip has been modified (<zip>)`), and the tree's
    /// `HashDir(dir, path@version)` must equal it (`dir has been modified (<dir>)`). A tree
    /// with a `.partial` marker or without `.ziphash` counts as absent, as cmd/go's
    /// `DownloadDir` says.
    ///
    /// - Returns: the errors, worded as cmd/go prints them after `go: `, and whether anything
    ///   was hashed.
    public func verifyModule(_ module: ModuleVersion) -> (errors: [ModuleCacheError], checked: Bool) {
        let head = "\(plain(module.path)) \(plain(module.version))"
        guard let zip = try? cachePath(module, "zip"), let dir = try? extractedDirectory(module),
              let hashPath = try? cachePath(module, "ziphash"), let partial = try? cachePath(module, "partial") else {
            return ([ModuleCacheError(.invalidModule, module: module, "\(head): invalid module version")], false)
        }
        let zipExists = fileExists(zip)
        // cmd/go's DownloadDir: a tree with .partial, or without .ziphash, counts as absent.
        let dirExists = isDirectory(dir) && !fileExists(partial) && fileExists(hashPath)
        guard let data = readSmallFile(hashPath, limit: 4096) else {
            if !zipExists && !dirExists { return ([], false) }
            let reason = fileExists(hashPath) ? "read \(hashPath): unreadable" : "open \(hashPath): no such file or directory"
            return ([ModuleCacheError(.missingZipHash, module: module, "\(head): missing ziphash: \(reason)")], true)
        }
        let recorded = String(decoding: data, as: UTF8.self).trimmingSpace()
        var errors: [ModuleCacheError] = []
        if zipExists {
            do {
                let h = try DirHash.hashZip(path: zip, mode: .goCompatible)
                if h.description != recorded {
                    errors.append(ModuleCacheError(.zipModified, module: module, "\(head): zip has been modified (\(zip))"))
                }
            } catch {
                return ([ModuleCacheError(.hashFailed, module: module, "\(head): \(error)")], true)
            }
        }
        if dirExists {
            do {
                let h = try DirHash.hashDir(dir, prefix: module.path + "@" + module.version)
                if h.description != recorded {
                    errors.append(ModuleCacheError(.dirModified, module: module, "\(head): dir has been modified (\(dir))"))
                }
            } catch {
                errors.append(ModuleCacheError(.hashFailed, module: module, "\(head): \(error)"))
            }
        }
        return (errors, true)
    }

    /// Beyond Go: every go.sum line whose file is in the cache must match it — zip lines the
    /// recorded `.ziphash` (and so the zip), `/go.mod` lines the cached `.mod`.
    public func checkGoSumAgainstCache(_ goSum: GoSum) -> (errors: [ModuleCacheError], checked: Int) {
        var errors: [ModuleCacheError] = []
        var checked = 0
        for record in goSum.records where record.hash.hasPrefix("h1:") {
            if record.isGoMod {
                let module = ModuleVersion(path: record.path, version: record.moduleVersion)
                guard let modPath = try? cachePath(module, "mod"), let data = readSmallFile(modPath, limit: Int(ModuleZip.maxGoMod)) else { continue }
                checked += 1
                let h = DirHash.hashGoMod(data)
                if ByteString(h.description) != record.hash {
                    errors.append(ModuleCacheError(.goSumCacheMismatch, module: module,
                        "\(plain(record.path)) \(plain(record.version)): \(goSum.sumFileName):\(record.line) records \(plain(record.hash)) but the module cache has \(h) (\(modPath))"))
                }
            } else {
                let module = record.key
                guard let hashPath = try? cachePath(module, "ziphash"), fileExists(hashPath) else { continue }
                checked += 1
                guard let h = recordedZipHash(module) else {
                    errors.append(ModuleCacheError(.missingZipHash, module: module, "\(plain(record.path)) \(plain(record.version)): malformed ziphash (\(hashPath))"))
                    continue
                }
                if ByteString(h.description) != record.hash {
                    errors.append(ModuleCacheError(.goSumCacheMismatch, module: module,
                        "\(plain(record.path)) \(plain(record.version)): \(goSum.sumFileName):\(record.line) records \(plain(record.hash)) but the module cache has \(h) (\(hashPath))"))
                }
            }
        }
        return (errors, checked)
    }

    /// Verifies the module cache of the project in `project` (a directory with go.mod):
    /// `go mod verify` for its build list, then (beyond Go) its go.sum against the cache and,
    /// when `checksumDatabase` is given, every go.sum line against the database (lines for
    /// `GONOSUMDB` paths are skipped; a database failure is an error, never a pass).
    ///
    /// Modules not hashed and go.sum lines not authenticated when `deadline` passes are listed
    /// in ``ModuleVerifyReport/notVerified`` (a module being hashed then is finished).
    public func verify(project: String, checksumDatabase: ChecksumDatabase? = nil,
                       deadline: ContinuousClock.Instant? = nil) async throws(ModuleCacheError) -> ModuleVerifyReport {
        let buildList = try ModuleBuildList.load(project: project, cache: self)
        // As go, modules are hashed concurrently (one per core) and reported in build-list order.
        let modules = buildList.modules
        let results = Mutex<[Int: (errors: [ModuleCacheError], checked: Bool)]>([:])
        let cache = self
        DispatchQueue.concurrentPerform(iterations: modules.count) { i in
            if let deadline, ContinuousClock.now >= deadline { return }
            let r = cache.verifyModule(modules[i])
            results.withLock { $0[i] = r }
        }
        var errors: [ModuleCacheError] = []
        var verified = 0
        let all = results.withLock { $0 }
        var notVerified: [ModuleCacheError] = []
        for i in modules.indices {
            guard let r = all[i] else {
                let m = modules[i]
                notVerified.append(ModuleCacheError(.deadlineExceeded, module: m, "\(plain(m.path)) \(plain(m.version)): not verified: deadline exceeded"))
                continue
            }
            errors += r.errors
            if r.checked { verified += 1 }
        }
        var report = ModuleVerifyReport(buildList: buildList.modules, errors: errors, verifiedCount: verified,
                                        goSumLinesChecked: 0, goSumLinesAuthenticated: 0, notVerified: notVerified)
        if let goSum = buildList.goSum {
            let (e, checked) = checkGoSumAgainstCache(goSum)
            report.errors += e
            report.goSumLinesChecked = checked
            if let db = checksumDatabase {
                let (e2, n) = await Self.checkGoSumAgainstDatabase(goSum, db, deadline: deadline)
                report.errors += e2.filter { $0.code != .deadlineExceeded }
                report.notVerified += e2.filter { $0.code == .deadlineExceeded }
                report.goSumLinesAuthenticated = n
            }
        }
        return report
    }

    /// Beyond Go: looks up every `h1:` go.sum line in the checksum database (with proofs),
    /// concurrently (the client bounds requests in flight). Lines for `GONOSUMDB` paths are
    /// skipped. A database that cannot be reached at all is reported once, not once per line.
    /// Lines not looked up when `deadline` passes are `ModuleCacheError.Code.deadlineExceeded`
    /// errors, one per line.
    public static func checkGoSumAgainstDatabase(_ goSum: GoSum, _ db: ChecksumDatabase,
                                                 deadline: ContinuousClock.Instant? = nil) async -> (errors: [ModuleCacheError], authenticated: Int) {
        let records = goSum.records.filter { $0.hash.hasPrefix("h1:") }
        let sumFile = goSum.sumFileName
        let audits = await db.audit(records, deadline: deadline)
        var errors: [ModuleCacheError] = []
        var count = 0
        var unreachableReported = false
        for audit in audits {
            let record = audit.record
            let module = ModuleVersion(path: record.path, version: record.moduleVersion)
            switch audit.status {
            case .verified:
                count += 1
            case .skipped:
                continue
            case .notVerified:
                errors.append(ModuleCacheError(.deadlineExceeded, module: module,
                    "\(plain(record.path)) \(plain(record.version)): \(sumFile):\(record.line): not verified against \(db.name): deadline exceeded"))
            case .mismatch:
                let recorded = audit.databaseHash.map { plain($0) } ?? "another hash"
                errors.append(ModuleCacheError(.goSumDatabaseMismatch, module: module,
                    "\(plain(record.path)) \(plain(record.version)): \(sumFile):\(record.line) records \(plain(record.hash)) but \(db.name) has \(recorded)"))
            case .missing where audit.error?.code == .lookupMissingEntry:
                errors.append(ModuleCacheError(.goSumDatabaseMismatch, module: module,
                    "\(plain(record.path)) \(plain(record.version)): checksum missing from sumdb response"))
            case .missing, .error:
                if var error = audit.error, error.code == .transport {
                    if unreachableReported { continue }
                    unreachableReported = true
                    error.module = nil
                    errors.append(ModuleCacheError(.checksumDatabaseFailure, module: module,
                        "could not reach the checksum database \(db.name): \(error) (use --offline to skip this check)",
                        checksumDatabaseError: error))
                } else {
                    errors.append(ModuleCacheError(.checksumDatabaseFailure, module: module,
                        "\(plain(record.path)) \(plain(record.version)): could not verify against the checksum database: \(audit.error.map { "\($0)" } ?? "unknown failure")",
                        checksumDatabaseError: audit.error))
                }
            }
        }
        return (errors, count)
    }
}

/// The build list of a main module as `go mod verify` walks it (cmd/go's `LoadModGraph` +
/// `BuildList`), read from go.mod files in the module cache: the main module's requirements,
/// the requirements of each loaded module (expanded transitively for modules at `go` < 1.17,
/// one level for pruned ones), `replace` applied to where go.mod files are read, `exclude`d
/// versions dropped, and the highest version of each path selected (MVS).
public struct ModuleBuildList: Sendable {
    /// The main module's path.
    public var mainPath: ByteString
    /// The selected versions, sorted by path.
    public var modules: [ModuleVersion]
    /// The main module's go.mod.
    public var goMod: GoMod
    /// The main module's go.sum, when present.
    public var goSum: GoSum?

    /// Loads the build list of the module in `project`.
    ///
    /// - Throws: `ModuleCacheError.Code.graph` when go.mod is missing or unparsable, or a
    ///   dependency's go.mod is not in the cache (cmd/go would download it).
    public static func load(project: String, cache: ModuleCache) throws(ModuleCacheError) -> ModuleBuildList {
        let goModPath = project + "/go.mod"
        guard let data = readSmallFile(goModPath, limit: 64 << 20) else {
            throw ModuleCacheError(.graph, "go.mod file not found in current directory or any parent directory; see 'go help modules'")
        }
        let main: GoMod
        do { main = try GoMod.parse(data, fileName: goModPath) } catch {
            throw ModuleCacheError(.graph, "\(error)")
        }
        guard let mainPath = main.module?.path else {
            throw ModuleCacheError(.graph, "\(goModPath): no module declaration in go.mod")
        }
        var goSum: GoSum?
        if let sumData = readSmallFile(project + "/go.sum", limit: 64 << 20) {
            goSum = try? GoSum(parsing: sumData, fileName: project + "/go.sum", mode: .go)
        }
        let excluded = Set(main.exclusions.map(\.module))
        var replacements: [ModuleVersion: ModuleVersion] = [:]
        var wildcard: [ByteString: ModuleVersion] = [:]
        for r in main.replacements {
            if r.old.version.isEmpty { wildcard[r.old.path] = r.new } else { replacements[r.old] = r.new }
        }
        func replacement(_ m: ModuleVersion) -> ModuleVersion? { replacements[m] ?? wildcard[m.path] }

        let mainPruned = Semver.compare("v" + (main.goVersion ?? "1.16"), "v1.17") >= 0
        var selected: [ByteString: ByteString] = [:]
        var loaded = Set<ModuleVersion>()
        var queue: [(ModuleVersion, Bool)] = []
        func note(_ m: ModuleVersion) {
            guard m.path != mainPath, !excluded.contains(m) else { return }
            if let v = selected[m.path] { if Semver.compare(m.version, v) > 0 { selected[m.path] = m.version } } else { selected[m.path] = m.version }
        }
        for r in main.requirements where !excluded.contains(r.module) {
            note(r.module)
            queue.append((r.module, !mainPruned))
        }
        var index = 0
        while index < queue.count {
            let (m, unpruned) = queue[index]
            index += 1
            guard m.path != mainPath, loaded.insert(m).inserted else { continue }
            let requirements: [GoMod.Requirement]
            var modPruned = true
            if let r = replacement(m) {
                if r.version.isEmpty {
                    let dir = r.path.utf8String.map { $0.hasPrefix("/") ? $0 : project + "/" + $0 } ?? ""
                    guard let d = readSmallFile(dir + "/go.mod", limit: 64 << 20), let f = try? GoMod.parse(d, strictness: .lax) else { continue }
                    requirements = f.requirements
                    modPruned = Semver.compare("v" + (f.goVersion ?? "1.16"), "v1.17") >= 0
                } else {
                    (requirements, modPruned) = try readRequirements(r, cache: cache)
                }
            } else {
                (requirements, modPruned) = try readRequirements(m, cache: cache)
            }
            let nextUnpruned = unpruned || !modPruned
            for req in requirements where !excluded.contains(req.module) {
                note(req.module)
                if !mainPruned || unpruned || !modPruned { queue.append((req.module, nextUnpruned)) }
            }
        }
        let modules = selected.map { ModuleVersion(path: $0.key, version: $0.value) }.sorted { $0.path < $1.path }
        return ModuleBuildList(mainPath: mainPath, modules: modules, goMod: main, goSum: goSum)
    }

    private static func readRequirements(_ m: ModuleVersion, cache: ModuleCache) throws(ModuleCacheError) -> ([GoMod.Requirement], Bool) {
        let path = try cache.cachePath(m, "mod")
        guard let data = readSmallFile(path, limit: Int(ModuleZip.maxGoMod)) else {
            throw ModuleCacheError(.graph, module: m, "\(plain(m.path))@\(plain(m.version)): go.mod not in the module cache (\(plain(path))); run go mod download or gomodkit download first")
        }
        let f: GoMod
        do { f = try GoMod.parse(data, fileName: path, strictness: .lax) } catch {
            throw ModuleCacheError(.graph, module: m, "\(plain(m.path))@\(plain(m.version)): parsing go.mod: \(error)")
        }
        return (f.requirements, Semver.compare("v" + (f.goVersion ?? "1.16"), "v1.17") >= 0)
    }
}
