public import GoModCore
import GoModOrigin
import GoModSupplyChain
public import GoModFetch
import Synchronization
import GoModPlatform

/// Where a scan's new versions come from.
public enum ScanInput: Sendable {
    /// The local mirror of the index feed: entries after the state's last position.
    case mirror(IndexMirror)
    /// A plain `path@version` list (`IndexEntry/parseList(_:name:)`); entries the state
    /// already knows are skipped.
    case list([IndexEntry], name: String)

    var label: String {
        switch self {
        case .mirror(let m): "mirror:" + m.directory
        case .list(_, let name): "list:" + name
        }
    }
}

/// Settings of a scan run.
public struct ScanOptions: Sendable {
    /// The state directory (`--state`): `shard-I-of-N.sqlite`, `.lock`, and the default output.
    public var stateDirectory: String
    /// This run's shard.
    public var shard: ShardSpec
    /// The output directory: `shard-I-of-N.jsonl` and `shard-I-of-N.journal` (Docs/scan.md).
    public var outputDirectory: String
    /// Units processed at once.
    public var concurrency: Int
    /// Entries ingested per transaction.
    public var ingestBatch: Int
    /// Extra typosquat references (`--known`).
    public var knownPaths: [ByteString]
    /// Whether the built-in well-known list is a typosquat reference.
    public var typosquatBuiltIn: Bool
    /// The clock for observation times (nanoseconds since the Unix epoch): stored in the state,
    /// never written into findings.
    public var now: @Sendable () -> Int64
    /// The most seconds one unit's checks may take (`--unit-timeout`; `nil` or ≤ 0: no limit):
    /// the `.info` fetches, the listing, the rebuilds, the advisory and capability checks. A
    /// unit over it is cancelled (its git processes killed, its HTTP requests cancelled) and not
    /// committed: it is reported with the rule (`unit time limit 600 s`), the other units go
    /// on, and the pass stays open for the next run (exit 3).
    public var unitTimeLimit: Double?

    /// The default ``unitTimeLimit``: 600 seconds.
    public static let defaultUnitTimeLimit: Double = 600

    /// Options; the output goes to `<stateDirectory>/out` unless given.
    public init(stateDirectory: String, shard: ShardSpec = .single, outputDirectory: String? = nil,
                concurrency: Int = 8, ingestBatch: Int = 10_000, knownPaths: [ByteString] = [], typosquatBuiltIn: Bool = true,
                unitTimeLimit: Double? = ScanOptions.defaultUnitTimeLimit,
                now: @escaping @Sendable () -> Int64 = ScanOptions.wallClock) {
        self.unitTimeLimit = unitTimeLimit.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        self.stateDirectory = stateDirectory
        self.shard = shard
        self.outputDirectory = outputDirectory ?? stateDirectory + "/out"
        self.concurrency = max(1, concurrency)
        self.ingestBatch = max(1, ingestBatch)
        self.knownPaths = knownPaths
        self.typosquatBuiltIn = typosquatBuiltIn
        self.now = now
    }

    /// The system clock in nanoseconds since the Unix epoch.
    @Sendable public static func wallClock() -> Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    /// `<out>/shard-I-of-N.jsonl`.
    public var outputPath: String { outputDirectory + "/" + shard.fileStem + ".jsonl" }
    /// `<out>/shard-I-of-N.journal`.
    public var journalPath: String { outputDirectory + "/" + shard.fileStem + ".journal" }
    /// `<state>/shard-I-of-N.sqlite`.
    public var databasePath: String { stateDirectory + "/" + shard.fileStem + ".sqlite" }
}

/// What a scan run did.
public struct ScanOutcome: Sendable {
    /// The pass number in this shard's state.
    public var pass: Int64
    /// Whether this run resumed a pass a previous run had started.
    public var resumed: Bool
    /// Versions this shard took on in this pass.
    public var newVersions: Int
    /// Units in the pass.
    public var units: Int
    /// Units processed by this run (the others were done before a restart).
    public var unitsProcessed: Int
    /// Units that could not be checked (unit key, reason): the pass stays open and the next run
    /// retries them.
    public var failedUnits: [(unit: String, reason: String)]
    /// Every finding of the pass, in output order; when the pass is incomplete, the findings of
    /// the units committed so far (a finding wins over "incomplete": exit 1, not 3), in the same
    /// order, and no output file is written.
    public var findings: [ScanFinding]
    /// Whether the pass completed and its output was written.
    public var complete: Bool { failedUnits.isEmpty }
}

/// Progress reports for a terminal.
public struct ScanProgress: Sendable {
    /// `ingest` or `units`.
    public var phase: String
    /// Done so far.
    public var done: Int
    /// Total, when known.
    public var total: Int?
    /// Units given up in this run so far (an error or a per-unit limit; retried by the next run).
    public var failed: Int = 0
    /// The last unit given up and why (e.g. `unit time limit 600 s`).
    public var lastFailure: (unit: String, reason: String)? = nil
}

/// One pass of the scan over a shard (Docs/scan.md):
///
/// 1. **Ingest** new entries (feed order) in batches, each one transaction: resolve each new
///    module path to its repository (``ScanHooks/resolve``), keep the versions whose unit this
///    shard owns, record every new path in `paths` and check it for typosquats against the
///    references and every earlier path (all shards see all paths, so the check is the same
///    wherever it runs).
/// 2. **Units**, in key order with bounded concurrency: fetch missing `Origin`s, list refs once,
///    compare every known version's tag with its `Origin` and with the last listing, ask the
///    verdict hook about moved, deleted or `Origin`-less tags, match advisories for new versions;
///    then commit the unit's observations and finding lines in one transaction and append them
///    and a checkpoint line to the journal.
/// 3. **Output**: all units' lines in key order to `shard-I-of-N.jsonl` (temporary + fsync +
///    rename).
///
/// A run killed anywhere resumes the open pass: the ingest from its recorded position, then only
/// units not yet done; the output is byte-identical to an uninterrupted run.
public final class Scanner {
    let options: ScanOptions
    let hooks: ScanHooks
    let state: ScanState
    private let lock: StateLock

    /// Opens the shard's state (taking its lock). A lock held by another run is waited for up
    /// to 2 seconds, blocking the calling thread; from async code use
    /// ``open(options:hooks:)``.
    public convenience init(options: ScanOptions, hooks: ScanHooks) throws(ScanError) {
        try StateFiles.makeDirectory(options.stateDirectory)
        try self.init(options: options, hooks: hooks, lock: StateLock(Self.lockPath(options)))
    }

    /// Opens the shard's state (taking its lock), as ``init(options:hooks:)`` does, but waits
    /// for a busy lock without holding a thread; cancelling the task ends the wait with
    /// `ScanError.Code.incomplete`.
    public static func open(options: ScanOptions, hooks: ScanHooks) async throws(ScanError) -> Scanner {
        try StateFiles.makeDirectory(options.stateDirectory)
        let lock = try await StateLock.waitingForTurn(lockPath(options), upTo: StateLock.busyWait)
        return try Scanner(options: options, hooks: hooks, lock: lock)
    }

    private init(options: ScanOptions, hooks: ScanHooks, lock: StateLock) throws(ScanError) {
        self.options = options
        self.hooks = hooks
        self.lock = lock
        state = try ScanState(path: options.databasePath)
    }

    private static func lockPath(_ options: ScanOptions) -> String {
        options.stateDirectory + "/" + options.shard.fileStem + ".lock"
    }

    /// Runs (or resumes) a pass.
    public func run(input: ScanInput, progress: (@Sendable (ScanProgress) -> Void)? = nil) async throws(ScanError) -> ScanOutcome {
        let db = state.db
        var resumed = true
        var pass: Int64
        var position: Int64
        if let open = try db.query("SELECT id, state, ingest_position FROM passes WHERE state != 'done' ORDER BY id LIMIT 1").first,
           let id = open[0].int {
            pass = id
            position = open[2].int ?? 0
            if open[1].string == "running" { position = -1 }
        } else {
            resumed = false
            var start: Int64 = 0
            if case .mirror = input { start = try state.meta("mirror_offset")?.int ?? 0 }
            pass = try db.transaction { () throws(ScanError) -> Int64 in
                try db.query("INSERT INTO passes(input, state, ingest_position, started_ns) VALUES (?1, 'ingesting', ?2, ?3)",
                             [.text(input.label), .integer(start), .integer(options.now())])
                return try db.query("SELECT last_insert_rowid()").first?.first?.int ?? 0
            }
            position = start
            try StateFiles.makeDirectory(options.outputDirectory)
            try StateFiles.writeAtomically(options.journalPath, [])
        }
        if position >= 0 { try await ingest(input: input, pass: pass, from: position, progress: progress) }
        let newVersions = Int(try db.query("SELECT count(*) FROM versions WHERE first_pass = ?1", [.integer(pass)]).first?.first?.int ?? 0)

        try StateFiles.makeDirectory(options.outputDirectory)
        try syncJournal(pass: pass)
        if let prepare = hooks.prepareAdvisories {
            let paths = Set(try db.query("SELECT DISTINCT path FROM versions WHERE first_pass = ?1", [.integer(pass)])
                .compactMap { $0[0].bytes.map { text(ByteString($0)) } })
            if !paths.isEmpty {
                do { try await prepare(paths) } catch let error as ScanError { throw error } catch {
                    throw ScanError(.network, "advisories: \(errorText(error))")
                }
            }
        }
        let units = try db.query("SELECT unit FROM pass_units WHERE pass = ?1 AND done = 0 ORDER BY unit", [.integer(pass)])
            .compactMap { $0[0].bytes }
        let total = Int(try db.query("SELECT count(*) FROM pass_units WHERE pass = ?1", [.integer(pass)]).first?.first?.int ?? 0)
        var failed: [(unit: String, reason: String)] = []
        var processed = 0
        var next = 0
        await withTaskGroup(of: (String, Result<UnitResult, ScanError>).self) { group in
            func launch() {
                guard next < units.count else { return }
                let key = units[next]
                next += 1
                let unitKey = String(decoding: key, as: UTF8.self)
                do throws(ScanError) {
                    let input = try unitInput(key, pass: pass)
                    let hooks = self.hooks
                    let limit = options.unitTimeLimit
                    group.addTask { (unitKey, await Self.process(input, hooks: hooks, timeLimit: limit)) }
                } catch {
                    failed.append((unit: unitKey, reason: error.message))
                    launch()
                }
            }
            func report() {
                progress?(ScanProgress(phase: "units", done: total - units.count + processed, total: total, failed: failed.count,
                                       lastFailure: failed.last))
            }
            for _ in 0..<options.concurrency { launch() }
            while let item = await group.next() {
                let (unitKey, result) = item
                switch result {
                case .success(let unit):
                    do throws(ScanError) {
                        try commit(unit, pass: pass)
                        processed += 1
                    } catch {
                        failed.append((unit: unitKey, reason: error.message))
                    }
                case .failure(let error):
                    failed.append((unit: unitKey, reason: error.message))
                }
                // After the commit (or the give-up): the unit's clone goes.
                if let finished = hooks.unitFinished { await finished(unitKey) }
                report()
                launch()
            }
        }
        failed.sort { Array($0.unit.utf8).lexicographicallyPrecedes(Array($1.unit.utf8)) }
        var outcome = ScanOutcome(pass: pass, resumed: resumed, newVersions: newVersions, units: total,
                                  unitsProcessed: processed, failedUnits: failed, findings: [])
        guard failed.isEmpty else {
            for row in try db.query("SELECT records FROM pass_units WHERE pass = ?1 AND done = 1 ORDER BY unit", [.integer(pass)]) {
                for line in (row[0].bytes ?? []).split(separator: 0x0A) { if let f = ScanFinding(jsonLine: line) { outcome.findings.append(f) } }
            }
            return outcome
        }

        // Output: every unit's lines in key order.
        var bytes: [UInt8] = []
        for row in try db.query("SELECT records FROM pass_units WHERE pass = ?1 ORDER BY unit", [.integer(pass)]) {
            let lines = row[0].bytes ?? []
            bytes += lines
            for line in lines.split(separator: 0x0A) { if let f = ScanFinding(jsonLine: line) { outcome.findings.append(f) } }
        }
        try StateFiles.writeAtomically(options.outputPath, bytes)
        try db.query("UPDATE passes SET state = 'done', finished_ns = ?2 WHERE id = ?1", [.integer(pass), .integer(options.now())])
        return outcome
    }

    // MARK: - Ingest

    /// A path's repository as stored in `paths` (`nil` root: unresolved).
    struct PathUnit: Sendable {
        var unit: String
        var root: RepoRoot?
    }

    private func storedUnit(_ path: ByteString) throws(ScanError) -> PathUnit? {
        guard let row = try state.db.query("SELECT unit, vcs, root, subdir, resolved FROM paths WHERE path = ?1",
                                           [.blob(path.bytes)]).first, let unit = row[0].string else { return nil }
        guard row[4].int == 1 else { return PathUnit(unit: unit, root: nil) }
        return PathUnit(unit: unit, root: RepoRoot(repoURL: unit, root: row[2].string ?? "", vcs: row[1].string ?? "git",
                                                   subdirectory: row[3].string ?? ""))
    }

    /// Resolves `paths` with at most `options.concurrency` lookups at once.
    private func resolveAll(_ paths: [ByteString]) async throws(ScanError) -> [ByteString: PathUnit] {
        let hooks = self.hooks
        var out: [ByteString: PathUnit] = [:]
        var failure: ScanError? = nil
        await withTaskGroup(of: (ByteString, Result<RepoRoot?, ScanError>).self) { group in
            var next = 0
            func launch() {
                guard next < paths.count else { return }
                let path = paths[next]
                next += 1
                group.addTask {
                    do { return (path, .success(try await hooks.resolve(path))) } catch let error as ScanError {
                        return (path, .failure(error))
                    } catch {
                        return (path, .failure(ScanError(.network, "resolve \(text(path)): \(errorText(error))")))
                    }
                }
            }
            for _ in 0..<options.concurrency { launch() }
            while let (path, result) = await group.next() {
                switch result {
                case .success(let root): out[path] = PathUnit(unit: root?.repoURL ?? text(path), root: root)
                case .failure(let error): if failure == nil { failure = error }
                }
                launch()
            }
        }
        if let failure { throw failure }
        return out
    }

    private func ingest(input: ScanInput, pass: Int64, from start: Int64, progress: (@Sendable (ScanProgress) -> Void)?) async throws(ScanError) {
        let db = state.db
        // Typosquat references: the built-in list, --known, then every path seen before, in feed
        // order (each new path is checked, then added).
        var detector = Typosquat.Detector(known: options.knownPaths, project: [], includeBuiltIn: options.typosquatBuiltIn)
        var knownPaths = Set<ByteString>()
        for row in try db.query("SELECT path FROM paths ORDER BY first_seq") {
            guard let p = row[0].bytes else { continue }
            detector.insert(ByteString(p), as: .project)
            knownPaths.insert(ByteString(p))
        }
        var seq = try state.meta("next_seq")?.int ?? 0
        var position = start
        var ingested = 0
        while true {
            // One batch of entries after `position`.
            var batch: [(IndexEntry, Int64)] = []
            switch input {
            case .mirror(let mirror):
                let limit = options.ingestBatch
                try mirror.forEachEntry(from: position) { (entry, after) throws(ScanError) -> Bool in
                    batch.append((entry, after))
                    return batch.count < limit
                }
            case .list(let entries, _):
                let from = Int(position)
                let to = min(entries.count, from + options.ingestBatch)
                if from < to { for i in from..<to { batch.append((entries[i], Int64(i + 1))) } }
            }
            if batch.isEmpty { break }
            // Each path's repository: from the state when an earlier batch or pass resolved it,
            // else resolved now (outside the transaction: the hook is async), concurrently.
            // (A set of the paths looked at: a batch of `ingestBatch` new paths is one state
            // query each, not a quadratic scan of the unresolved list.)
            var units: [ByteString: PathUnit] = [:]
            var unresolved: [ByteString] = []
            var looked: Set<ByteString> = []
            for (entry, _) in batch where looked.insert(entry.path).inserted {
                if let stored = try storedUnit(entry.path) { units[entry.path] = stored } else { unresolved.append(entry.path) }
            }
            for (path, unit) in try await resolveAll(unresolved) { units[path] = unit }
            let end = batch.last?.1 ?? position
            try db.transaction { () throws(ScanError) in
                for (entry, _) in batch {
                    seq += 1
                    let pathUnit = units[entry.path] ?? PathUnit(unit: text(entry.path), root: nil)
                    let unit = pathUnit.unit
                    let target = pathUnit.root
                    let owned = options.shard.owns(Array(unit.utf8))
                    if !knownPaths.contains(entry.path) {
                        knownPaths.insert(entry.path)
                        try db.query("""
                            INSERT OR IGNORE INTO paths(path, first_seq, first_seen, unit, vcs, root, subdir, resolved)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                            """, [.blob(entry.path.bytes), .integer(seq), entry.timestamp.map { .text($0.text) } ?? .null,
                                  .text(unit), target.map { .text($0.vcs) } ?? .null, target.map { .text($0.root) } ?? .null,
                                  target.map { .text($0.subdirectory) } ?? .null, .integer(target == nil ? 0 : 1)])
                        // One finding per path: the strongest rule against the first reference.
                        if owned, let hits = try? detector.check(entry.path) {
                            for hit in hits.prefix(1) {
                                let finding = ScanFinding(
                                    kind: .typosquat, path: text(entry.path), version: text(entry.version), repository: unit,
                                    message: "looks like \(text(hit.target)) (\(hit.rule.rawValue): \(hit.detail))",
                                    target: text(hit.target), rule: hit.rule.rawValue)
                                try db.query("INSERT INTO pending_findings(pass, unit, record) VALUES (?1, ?2, ?3)",
                                             [.integer(pass), .blob(Array(unit.utf8)), .blob(finding.jsonLine)])
                            }
                        }
                        detector.insert(entry.path, as: .project)
                    }
                    guard owned else { continue }
                    try db.query("""
                        INSERT OR IGNORE INTO versions(path, version, seq, first_seen, first_seen_ns, first_pass, repository)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                        """, [.blob(entry.path.bytes), .blob(entry.version.bytes), .integer(seq),
                              entry.timestamp.map { .text($0.text) } ?? .null,
                              entry.timestamp.map { .integer($0.epochNanoseconds) } ?? .null,
                              .integer(pass), .blob(Array(unit.utf8))])
                    try db.query("INSERT OR IGNORE INTO repositories(url, vcs, root, resolved) VALUES (?1, ?2, ?3, ?4)",
                                 [.blob(Array(unit.utf8)), target.map { .text($0.vcs) } ?? .null,
                                  .blob(target.map { Array($0.root.utf8) } ?? entry.path.bytes), .integer(target == nil ? 0 : 1)])
                }
                try state.setMeta("next_seq", .integer(seq))
                try db.query("UPDATE passes SET ingest_position = ?2 WHERE id = ?1", [.integer(pass), .integer(end)])
            }
            position = end
            ingested += batch.count
            progress?(ScanProgress(phase: "ingest", done: ingested, total: nil))
            if case .list(let entries, _) = input, position >= Int64(entries.count) { break }
        }
        // The pass's units: every repository this shard owns.
        try db.transaction { () throws(ScanError) in
            try db.query("INSERT OR IGNORE INTO pass_units(pass, unit) SELECT ?1, url FROM repositories", [.integer(pass)])
            if case .mirror = input { try state.setMeta("mirror_offset", .integer(position)) }
            try db.query("UPDATE passes SET state = 'running' WHERE id = ?1", [.integer(pass)])
        }
    }

    // MARK: - Units

    struct UnitVersion: Sendable {
        var module: ModuleVersion
        /// The path's repository root (nil: unresolved).
        var root: RepoRoot?
        var isNew: Bool
        var originFetched: Bool
        var origin: ModuleOrigin?
    }

    struct UnitInput: Sendable {
        var key: String
        var target: RepoRoot?
        var versions: [UnitVersion]
        var refsNow: [ByteString: String]
        var pending: [ScanFinding]
        /// Earlier verdicts: `path@version <key>` → findings.
        var verdicts: [String: [ScanFinding]]
        var now: Int64
    }

    struct UnitResult: Sendable {
        var input: UnitInput
        var findings: [ScanFinding]
        var origins: [(ModuleVersion, ModuleOrigin?)]
        /// The listing (refs), or `[:]` for a repository not found; nil when not listed.
        var listing: RefListing?
        /// New verdicts: (module, key, findings).
        var verdicts: [(ModuleVersion, String, [ScanFinding])]
    }

    private func unitInput(_ key: [UInt8], pass: Int64) throws(ScanError) -> UnitInput {
        let db = state.db
        let repo = try db.query("SELECT vcs, root, resolved FROM repositories WHERE url = ?1", [.blob(key)]).first
        let unit = String(decoding: key, as: UTF8.self)
        var target: RepoRoot? = nil
        if let repo, repo[2].int == 1 {
            target = RepoRoot(repoURL: unit, root: repo[1].string ?? "", vcs: repo[0].string ?? "git")
        }
        let versions = try db.query("""
            SELECT v.path, v.version, v.first_pass, v.origin_fetched, v.origin, p.vcs, p.root, p.subdir, p.resolved
            FROM versions v LEFT JOIN paths p ON p.path = v.path WHERE v.repository = ?1 ORDER BY v.path, v.version
            """, [.blob(key)]).map { row in
            UnitVersion(module: ModuleVersion(path: ByteString(row[0].bytes ?? []), version: ByteString(row[1].bytes ?? [])),
                        root: row[8].int == 1 ? RepoRoot(repoURL: unit, root: row[6].string ?? "", vcs: row[5].string ?? "git",
                                                         subdirectory: row[7].string ?? "") : nil,
                        isNew: row[2].int == pass, originFetched: row[3].int == 1,
                        origin: row[4].bytes.flatMap { try? ModuleOrigin(json: $0) })
        }
        var refs: [ByteString: String] = [:]
        for row in try db.query("SELECT ref, commit_hash FROM refs_now WHERE repository = ?1", [.blob(key)]) {
            refs[ByteString(row[0].bytes ?? [])] = row[1].string ?? ""
        }
        let pending = try db.query("SELECT record FROM pending_findings WHERE pass = ?1 AND unit = ?2", [.integer(pass), .blob(key)])
            .compactMap { $0[0].bytes.flatMap { ScanFinding(jsonLine: $0) } }
        var verdicts: [String: [ScanFinding]] = [:]
        for row in try db.query("SELECT path, version, key, findings FROM verdicts WHERE repository = ?1", [.blob(key)]) {
            let k = text(ByteString(row[0].bytes ?? [])) + "@" + text(ByteString(row[1].bytes ?? [])) + " " + (row[2].string ?? "")
            verdicts[k] = (row[3].bytes ?? []).split(separator: 0x0A).compactMap { ScanFinding(jsonLine: $0) }
        }
        return UnitInput(key: unit, target: target, versions: versions, refsNow: refs, pending: pending, verdicts: verdicts,
                         now: options.now())
    }

    /// The checks of one unit within `timeLimit` seconds (``ScanOptions/unitTimeLimit``): at the
    /// limit the unit's task is cancelled (killing its git processes, cancelling its HTTP
    /// requests) and the answer is `ScanError.Code.unitLimit` at once, whether or not the
    /// cancelled work has stopped yet.
    static func process(_ input: UnitInput, hooks: ScanHooks, timeLimit: Double?) async -> Result<UnitResult, ScanError> {
        guard let timeLimit else { return await process(input, hooks: hooks) }
        let race = UnitRace()
        let rule = ScanError(.unitLimit, "unit time limit \(Self.seconds(timeLimit)) s")
        return await withCheckedContinuation { continuation in
            race.start(continuation,
                       work: { await process(input, hooks: hooks) },
                       deadline: .milliseconds(Int64((timeLimit * 1000).rounded(.up))), onDeadline: .failure(rule))
        }
    }

    /// `600`, `0.5`: seconds as given, without a trailing `.0`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The checks of one unit (no state access: runs concurrently).
    static func process(_ input: UnitInput, hooks: ScanHooks) async -> Result<UnitResult, ScanError> {
        do {
            return .success(try await check(input, hooks: hooks))
        } catch let error as ScanError {
            return .failure(error)
        } catch {
            return .failure(ScanError(.network, "\(input.key): \(errorText(error))"))
        }
    }

    /// One unit: fetch missing `Origin`s; list the refs once; for every tagged version compare
    /// the `Origin` with the refs now (GoModOrigin's ``OriginVerdict``: `ref-moved` and
    /// `ref-deleted` become `tag-moved` and `tag-deleted`), or, without an `Origin`, the tag with
    /// the scan's own last listing; ask the verdict hook about moved, deleted or `Origin`-less
    /// new tags (each question once: verdicts are kept per version, reason, commit now and
    /// recorded commit); match advisories and diff capabilities for new versions.
    /// `.info` requests in flight for one unit.
    static let originFetches = 8

    static func check(_ input: UnitInput, hooks: ScanHooks) async throws -> UnitResult {
        var findings = input.pending
        var origins: [(ModuleVersion, ModuleOrigin?)] = []
        var originOf: [ModuleVersion: ModuleOrigin] = [:]
        var missing: [ModuleVersion] = []
        for v in input.versions {
            if v.originFetched {
                if let o = v.origin { originOf[v.module] = o }
            } else if hooks.origin != nil {
                missing.append(v.module)
            }
        }
        if let fetch = hooks.origin, !missing.isEmpty {
            // A repository's new versions' .info answers, `originFetches` at a time (the
            // HostLimiter bounds what reaches one host).
            try await withThrowingTaskGroup(of: (ModuleVersion, ModuleOrigin?).self) { group in
                var next = 0
                for _ in 0..<min(originFetches, missing.count) {
                    let m = missing[next]
                    next += 1
                    group.addTask { (m, try await fetch(m)) }
                }
                while let (m, o) = try await group.next() {
                    origins.append((m, o))
                    if let o { originOf[m] = o }
                    if next < missing.count {
                        let m = missing[next]
                        next += 1
                        group.addTask { (m, try await fetch(m)) }
                    }
                }
            }
            origins.sort { ($0.0.path, $0.0.version) < ($1.0.path, $1.0.version) }
        }
        var listing: RefListing? = nil
        var newVerdicts: [(ModuleVersion, String, [ScanFinding])] = []
        if let target = input.target, target.vcs == "git", let list = hooks.listRefs {
            let answer = try await list(target)
            let repositoryGone = answer == nil
            let refs = answer ?? RefListing(refs: [:])
            listing = refs
            for v in input.versions where !Module.isPseudoVersion(v.module.version) {
                guard let root = v.root, let path = v.module.path.utf8String,
                      let location = try? ModuleLocation(modulePath: path, root: root),
                      let tag = location.tag(for: v.module.version) else { continue }
                let tagRef = "refs/tags/" + tag
                let origin = originOf[v.module]
                func finding(_ kind: ScanFinding.Kind, _ message: String) -> ScanFinding {
                    ScanFinding(kind: kind, path: path, version: text(v.module.version), repository: target.repoURL,
                                message: repositoryGone ? message + " (repository not found)" : message)
                }
                var reason: VerdictRequest.Reason? = nil
                var ref = tagRef
                var current = refs.refs[ByteString(tagRef)]
                if let origin, !(origin.hash ?? "").isEmpty || !(origin.ref ?? "").isEmpty {
                    let verdict = OriginVerdict.evaluate(origin: origin, version: v.module.version, root: root, location: location,
                                                         listing: refs)
                    switch verdict.kind {
                    case .refMoved:
                        ref = verdict.ref ?? tagRef
                        current = verdict.currentHash
                        findings.append(finding(.tagMoved, verdict.message))
                        reason = .tagMoved
                    case .refDeleted:
                        ref = verdict.ref ?? tagRef
                        current = nil
                        findings.append(finding(.tagDeleted, verdict.message + "; the mirror's Origin names \(origin.hash ?? "")"))
                        reason = .tagDeleted
                    case .hashOnlyAbsent:
                        // No Ref in the Origin; its commit is no longer named by any ref.
                        let hash = origin.hash ?? ""
                        if let current {
                            findings.append(finding(.tagMoved, "ref \(goQuote(tagRef.utf8)) moved from \(hash) to \(current)"))
                            reason = .tagMoved
                        } else {
                            findings.append(finding(.tagDeleted, "ref \(goQuote(tagRef.utf8)) deleted; the mirror's Origin names \(hash)"))
                            reason = .tagDeleted
                        }
                    case .originMoved, .nonSpecific:
                        if v.isNew { reason = .missingOrigin }
                    default:
                        break
                    }
                } else {
                    let previous = input.refsNow[ByteString(tagRef)]
                    if let previous, current == nil {
                        findings.append(finding(.tagDeleted, "ref \(goQuote(tagRef.utf8)) deleted; the last listing had \(previous)"))
                        reason = .tagDeleted
                    } else if let previous, let current, current != previous {
                        findings.append(finding(.tagMoved, "ref \(goQuote(tagRef.utf8)) moved from \(previous) to \(current) since the last listing"))
                        reason = .tagMoved
                    } else if v.isNew && hooks.origin != nil {
                        // The mirror was asked and has no Origin (versions cached before 2022).
                        reason = .missingOrigin
                    }
                }
                if let reason, let verdict = hooks.verdict {
                    let key = "\(reason.rawValue) \(current ?? "-") \(origin?.hash ?? "-")"
                    if let known = input.verdicts["\(v.module) \(key)"] {
                        findings += known
                    } else {
                        let found = try await verdict(VerdictRequest(module: v.module, repository: root, ref: ref, currentCommit: current,
                                                                     origin: origin, reason: reason))
                        newVerdicts.append((v.module, key, found))
                        findings += found
                    }
                }
            }
        }
        let fresh = input.versions.filter(\.isNew)
        if let advisories = hooks.advisories, !fresh.isEmpty {
            findings += try await advisories(fresh.map(\.module), input.key)
        }
        if let capabilities = hooks.capabilities {
            for v in fresh where !Module.isPseudoVersion(v.module.version) {
                // The module's previous version: the highest known release below it.
                let previous = input.versions
                    .filter { $0.module.path == v.module.path && !Module.isPseudoVersion($0.module.version)
                              && Semver.compare($0.module.version, v.module.version) < 0 }
                    .max { Semver.compare($0.module.version, $1.module.version) < 0 }
                if let previous { findings += try await capabilities(v.module, previous.module, input.key) }
            }
        }
        findings = Array(Set(findings)).sorted()
        return UnitResult(input: input, findings: findings, origins: origins, listing: listing, verdicts: newVerdicts)
    }

    private func commit(_ unit: UnitResult, pass: Int64) throws(ScanError) {
        let db = state.db
        let key: [UInt8] = Array(unit.input.key.utf8)
        let now = unit.input.now
        var lines: [UInt8] = []
        for f in unit.findings { lines += f.jsonLine + [0x0A] }
        try db.transaction { () throws(ScanError) in
            for (module, origin) in unit.origins {
                let json: SQLValue = origin.flatMap(Self.encodedOrigin) ?? .null
                try db.query("UPDATE versions SET origin_fetched = 1, origin = ?3 WHERE path = ?1 AND version = ?2",
                             [.blob(module.path.bytes), .blob(module.version.bytes), json])
            }
            for (module, verdictKey, found) in unit.verdicts {
                var records: [UInt8] = []
                for f in found { records += f.jsonLine + [0x0A] }
                try db.query("INSERT OR REPLACE INTO verdicts(repository, path, version, key, findings) VALUES (?1, ?2, ?3, ?4, ?5)",
                             [.blob(key), .blob(module.path.bytes), .blob(module.version.bytes), .text(verdictKey), .blob(records)])
            }
            if let listing = unit.listing {
                // Tags only: branches move by design.
                let tags = listing.refs.filter { $0.key.hasPrefix("refs/tags/") }
                for (ref, commit) in tags.sorted(by: { $0.key < $1.key }) {
                    let previous = unit.input.refsNow[ref]
                    guard previous != commit else { continue }
                    try db.query("INSERT OR REPLACE INTO ref_events(repository, ref, observed_ns, pass, event, commit_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                 [.blob(key), .blob(ref.bytes), .integer(now), .integer(pass), .text(previous == nil ? "new" : "moved"), .text(commit)])
                    try db.query("INSERT OR REPLACE INTO refs_now(repository, ref, commit_hash, since_ns) VALUES (?1, ?2, ?3, ?4)",
                                 [.blob(key), .blob(ref.bytes), .text(commit), .integer(now)])
                }
                for (ref, _) in unit.input.refsNow.sorted(by: { $0.key < $1.key }) where tags[ref] == nil {
                    try db.query("INSERT OR REPLACE INTO ref_events(repository, ref, observed_ns, pass, event, commit_hash) VALUES (?1, ?2, ?3, ?4, 'deleted', NULL)",
                                 [.blob(key), .blob(ref.bytes), .integer(now), .integer(pass)])
                    try db.query("DELETE FROM refs_now WHERE repository = ?1 AND ref = ?2", [.blob(key), .blob(ref.bytes)])
                }
                try db.query("UPDATE repositories SET last_listed_ns = ?2 WHERE url = ?1", [.blob(key), .integer(now)])
            }
            for f in unit.findings {
                try db.query("INSERT INTO findings(pass, kind, path, version, repository, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             [.integer(pass), .text(f.kind.rawValue), .blob(Array(f.path.utf8)), .blob(Array(f.version.utf8)),
                              .blob(Array(f.repository.utf8)), .blob(f.jsonLine)])
            }
            try db.query("UPDATE pass_units SET done = 1, records = ?3 WHERE pass = ?1 AND unit = ?2",
                         [.integer(pass), .blob(key), .blob(lines)])
        }
        try StateFiles.append(options.journalPath, lines + checkpointLine(unit.input.key, count: unit.findings.count))
    }

    static func encodedOrigin(_ origin: ModuleOrigin) -> SQLValue? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(origin)).map { .blob(Array($0)) }
    }

    private func checkpointLine(_ unit: String, count: Int) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ((try? Array(encoder.encode(JournalCheckpoint(checkpoint: .init(unit: unit, records: count))))) ?? []) + [0x0A]
    }

    /// Makes the journal agree with the state after a crash: units committed to the state but
    /// missing a checkpoint line (the crash fell between the commit and the append) are
    /// appended; a torn last line is cut off.
    private func syncJournal(pass: Int64) throws(ScanError) {
        let path = options.journalPath
        var data = try StateFiles.read(path, limit: 1 << 30) ?? []
        if let lastNewline = data.lastIndex(of: 0x0A), lastNewline != data.count - 1 {
            data = Array(data[...lastNewline])
            try StateFiles.writeAtomically(path, data)
        } else if !data.isEmpty, data.last != 0x0A {
            data = []
            try StateFiles.writeAtomically(path, data)
        }
        var journaled = Set<String>()
        for line in data.split(separator: 0x0A) {
            if let l = try? JSONDecoder().decode(JournalCheckpoint.self, from: Data(line)) { journaled.insert(l.checkpoint.unit) }
        }
        var missing: [UInt8] = []
        for row in try state.db.query("SELECT unit, records FROM pass_units WHERE pass = ?1 AND done = 1 ORDER BY unit", [.integer(pass)]) {
            let unit = row[0].string ?? ""
            guard !journaled.contains(unit) else { continue }
            let records = row[1].bytes ?? []
            missing += records + checkpointLine(unit, count: records.split(separator: 0x0A).count)
        }
        if !missing.isEmpty { try StateFiles.append(path, missing) }
    }
}

/// Bytes as text for findings (module paths and versions are ASCII when valid).
func text(_ b: ByteString) -> String { String(decoding: b.bytes, as: UTF8.self) }

/// A journal's checkpoint line: `{"checkpoint":{"records":N,"unit":"<key>"}}`.
private struct JournalCheckpoint: Codable {
    struct Inner: Codable { var unit: String; var records: Int }
    var checkpoint: Inner
}

/// A unit's work racing its deadline: whichever ends first resumes the continuation; the work
/// is cancelled at the deadline, the timer when the work ends first.
final class UnitRace: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<Scanner.UnitResult, ScanError>, Never>?
        var timer: Task<Void, Never>?
    }
    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Result<Scanner.UnitResult, ScanError>, Never>,
               work: @escaping @Sendable () async -> Result<Scanner.UnitResult, ScanError>,
               deadline: Duration, onDeadline: Result<Scanner.UnitResult, ScanError>) {
        state.withLock { $0.continuation = continuation }
        let workTask = Task {
            let result = await work()
            self.resume(result)
            self.state.withLock { $0.timer }?.cancel()
        }
        let timerTask = Task {
            do { try await Task.sleep(for: deadline) } catch { return }
            self.resume(onDeadline)
            workTask.cancel()
        }
        let decided = state.withLock { state -> Bool in
            state.timer = timerTask
            return state.continuation == nil
        }
        // The work ended before the timer was recorded: stop the timer here.
        if decided { timerTask.cancel() }
    }

    /// Resumes with `result` unless the race is decided.
    private func resume(_ result: Result<Scanner.UnitResult, ScanError>) {
        let continuation = state.withLock { state in
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: result)
    }
}
