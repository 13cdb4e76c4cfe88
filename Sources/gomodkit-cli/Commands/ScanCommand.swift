import ArgumentParser
import GoModPlatform
import GoModKit
import GoModScan

/// `gomodkit scan`: watch the ecosystem (Docs/scan.md).
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan module versions from the module index (or a list) per repository, optionally as one shard of many.",
        discussion: """
            Exit status: 0 clean (or, with --findings-exit-zero, every unit processed), 1 findings, \
            2 usage or unreadable local input (bad flags, shard index out of range, corrupt \
            mirror or checkpoint), 3 incomplete (network exhausted after back-off, state or \
            output not writable; retryable: a new run resumes the pass).
            """,
        subcommands: [ScanRun.self, ScanMerge.self, ScanMirror.self],
        defaultSubcommand: ScanRun.self
    )
}

/// Maps a scan error to the CLI's failure (exit 2 or 3).
func scanFailure(_ error: ScanError) -> CLIFailure {
    CLIFailure(code: error.exitCode, message: "gomodkit scan: \(terminalSafe(error.message))")
}

struct ScanRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run (or resume) one pass of the scan.",
        discussion: """
            New versions come from the index feed (--index, mirrored under --state/index; \
            without --index, the mirror as it is), or a list of path@version lines (--versions). GOPROXY, GOSUMDB and the other Go settings \
            come from the environment. Findings go to <out>/shard-<I>-of-<N>.jsonl, one JSON \
            object per line (kind, path, version, repository, message), written atomically; a \
            killed run resumes the pass where it stopped.
            """
    )

    @Option(help: "The state directory (SQLite state, feed mirror, lock).")
    var state: String

    @Option(help: "The module index feed URL (e.g. https://index.golang.org/index).")
    var index: String?

    @Option(help: "A file of path@version lines to scan instead of the feed.")
    var versions: String?

    @Option(help: "Start a new mirror at this RFC 3339 time instead of the beginning of the feed.")
    var since: String?

    @Flag(help: "Keep going: sync the feed and run a pass every --interval seconds.")
    var follow = false

    @Option(help: "Seconds between passes with --follow.")
    var interval: Double = 300

    @Option(name: .customLong("db"), help: "A Go vulnerability database (directory, zip, file:// or https URL) matched against new versions (repeatable).")
    var databases: [String] = []

    @Option(name: .customLong("osv"), help: "An OSV advisory tree or directory (e.g. ossf/malicious-packages) matched against new versions (repeatable).")
    var osv: [String] = []

    @Option(help: "This shard's index (default $JOB_COMPLETION_INDEX, then $GOMODKIT_SHARD_INDEX).")
    var shardIndex: Int?

    @Option(help: "The number of shards (default $GOMODKIT_SHARD_COUNT).")
    var shardCount: Int?

    @Option(help: "The output directory (default <state>/out).")
    var out: String?

    @Option(help: "A resolution table: lines <import-prefix> <vcs> <repo-root> (go-import fields) for paths outside github.com and bitbucket.org.")
    var resolutions: String?

    @Option(help: "A file of module paths added to the typosquat references (repeatable).")
    var known: [String] = []

    @Flag(help: "Skip fetching each new version's .info Origin from GOPROXY.")
    var noOrigin = false

    @Flag(help: "Skip listing repository refs.")
    var noRefs = false

    @Flag(help: "List http(s) repositories with git ls-remote too (default: in-process over git's smart HTTP protocol; for comparison).")
    var gitLsRemote = false

    @Flag(help: "Skip the rebuild of moved, deleted or Origin-less tags (compared with GOSUMDB's h1:).")
    var noRebuild = false

    @Flag(help: "Diff each new version's capabilities against the module's previous version (two zips from GOPROXY per new version).")
    var caps = false

    @Option(help: "Requests in flight to one host at once (GOPROXY, GOSUMDB, go-get discovery, git listings and fetches).")
    var perHost: Int = 16

    @Option(help: "The module-cache root whose cache/vcs holds the rebuilds' repositories (default: <state>/rebuild).")
    var modcache: String?

    @Option(help: "Seconds one repository's checks may take (listing, .info fetches, rebuilds); past it the repository is not checked in this run and the pass exits 3 (0: no limit).")
    var unitTimeout: Double = ScanOptions.defaultUnitTimeLimit

    @Option(help: "The most bytes one repository's rebuild clone may hold, measured after each fetch (a number with an optional K, M, G, KiB, MiB or GiB suffix; 0: no limit).")
    var unitDiskLimit: String = "2GiB"

    @Flag(help: "Keep each repository's rebuild clone after its unit (default: removed once the unit is done).")
    var keepClones = false

    @Flag(help: "Exit 0 when the pass completed, whatever it found (for batch engines; scan merge exits 1 on findings).")
    var findingsExitZero = false

    @Option(help: "Units (repositories) checked at once.")
    var jobs: Int = 8

    @OptionGroup var feed: FeedOptions

    func validate() throws {
        if index != nil && versions != nil { throw ValidationError("--index and --versions exclude each other") }
        if follow && versions != nil { throw ValidationError("--follow needs --index") }
        if let since, IndexTimestamp(since) == nil { throw ValidationError("--since \(terminalSafe(since)): not an RFC 3339 time") }
        if !(unitTimeout >= 0 && unitTimeout.isFinite) { throw ValidationError("--unit-timeout \(unitTimeout): want a number of seconds ≥ 0") }
        if parseByteSize(unitDiskLimit) == nil {
            throw ValidationError("--unit-disk-limit \(terminalSafe(unitDiskLimit)): want a number of bytes with an optional K, M, G, KiB, MiB or GiB suffix")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let shard: ShardSpec
        do throws(ScanError) { shard = try ShardSpec.resolve(index: shardIndex, count: shardCount, environment: environment) } catch {
            throw scanFailure(error)
        }
        var knownPaths: [ByteString] = []
        for file in known { knownPaths += GoModKit.Typosquat.parseList(try readInputFile(file)) }
        let stateDir = cleanAbsolutePath(state)
        let options = ScanOptions(stateDirectory: stateDir, shard: shard, outputDirectory: out.map(absolutePath),
                                  concurrency: jobs, knownPaths: knownPaths, unitTimeLimit: unitTimeout)
        let goEnvironment = try GoEnvironment.forCommand()
        let limiter = HostLimiter(limit: perHost)
        let http = DefaultHTTPTransport(timeout: feed.network.timeout)
        let transport = PoliteTransport(http, limiter: limiter)
        let resolverConfiguration = try goEnvironment.repositoryResolverConfiguration()
        let resolver = ScanResolver {
            RepositoryResolver(configuration: resolverConfiguration, transport: transport, ping: { vcs, url in
                guard vcs == "git" else { return false }
                return (try? await limiter.withPermit(HostLimiter.host(of: url)) { await GitRefLister.isReachable(url: url) }) ?? false
            })
        }
        var hooks = ScanHooks(resolve: resolver.resolve)
        if let resolutions {
            let table: ResolutionTable
            do { table = try ResolutionTable(parsing: try readInputFile(resolutions), name: resolutions) } catch let error as ScanError {
                throw scanFailure(error)
            }
            hooks.resolve = { path in
                if let root = table.resolve(path) { return root }
                return try await resolver.resolve(path)
            }
        }
        if !noRefs {
            // The lister holds the host's permit for the whole listing: its transport is the
            // unwrapped one.
            let lister = ScanRefLister(limiter: limiter, transport: http, forceGitLsRemote: gitLsRemote)
            hooks.listRefs = { root in try await lister.list(root) }
        }
        let proxy = try goEnvironment.proxy(transport: transport)
        if !noOrigin {
            hooks.origin = { module in
                do {
                    let info = try await proxy.info(module)
                    guard let raw = info.origin else { return nil }
                    return try ModuleOrigin(json: raw)
                } catch let error as ModuleProxyError where error.code == .notFound {
                    return nil
                }
            }
        }
        if !noRebuild && !noRefs {
            let cache = modcache.map(absolutePath) ?? stateDir + "/rebuild"
            if let database = try goEnvironment.checksumDatabase(transport: transport) {
                let limit = parseByteSize(unitDiskLimit) ?? 0
                let rebuilder = UpstreamRebuilder(modcache: cache, diskLimit: limit > 0 ? limit : nil)
                let verdicts = RebuildVerdicts(expectedHash: RebuildVerdicts.checksumDatabase(database),
                                               rebuilder: rebuilder, limiter: limiter, keepClones: keepClones)
                hooks.verdict = { request in try await verdicts.verdict(request) }
                hooks.unitFinished = { unit in await verdicts.finish(repository: unit) }
            } else {
                Terminal.error("gomodkit scan: note: GOSUMDB is off: moved and deleted tags are not rebuilt")
            }
        }
        if !databases.isEmpty || !osv.isEmpty {
            let matcher = AdvisoryMatcher(sources: databases.map { .vulnDB(absoluteLocation($0)) } + osv.map { .osv(absoluteLocation($0)) },
                                          transport: transport)
            hooks.prepareAdvisories = { paths in try await matcher.prepare(paths) }
            hooks.advisories = { versions, repository in matcher.findings(versions, repository: repository) }
        }
        if caps {
            let diff = CapabilityDiff(zip: { module in try await proxy.zip(module) })
            hooks.capabilities = { new, previous, repository in try await diff.findings(new: new, previous: previous, repository: repository) }
        }
        let listInput: ScanInput?
        if let versions {
            let data = try readInputFile(versions, limit: 1 << 30)
            do throws(ScanError) { listInput = .list(try IndexEntry.parseList(data, name: versions), name: versions) } catch { throw scanFailure(error) }
        } else {
            listInput = nil
        }
        let progress = ProgressLine()
        let scanner: Scanner
        do throws(ScanError) { scanner = try await Scanner.open(options: options, hooks: hooks) } catch { throw scanFailure(error) }
        while true {
            let input: ScanInput
            if let listInput {
                input = listInput
            } else {
                let mirror = IndexMirror(directory: stateDir + "/index")
                if let index {
                    do {
                        // IndexMirror.sync makes the directory and holds its lock: shards sharing
                        // one state directory take turns syncing the mirror.
                        let summary = try await mirror.sync(client: try feed.client(index),
                                                            initialSince: since.flatMap(IndexTimestamp.init))
                        for gap in summary.gaps {
                            Terminal.error("gomodkit scan: feed gap: a full page at \(gap.at) could not advance; continued at \(gap.resumedAt)")
                        }
                    } catch let error as ScanError {
                        throw scanFailure(error)
                    }
                }
                if index == nil {
                    // No --index: scan the mirror as it is (synced by `gomodkit scan mirror`).
                    do {
                        guard try mirror.checkpoint() != nil else {
                            throw CLIFailure.input("gomodkit scan: no feed mirror in \(terminalSafe(mirror.directory)): give --index URL, --versions FILE, or run gomodkit scan mirror first")
                        }
                    } catch let error as ScanError { throw scanFailure(error) }
                }
                input = .mirror(mirror)
            }
            let outcome: ScanOutcome
            do throws(ScanError) {
                outcome = try await scanner.run(input: input) { p in
                    var line = "scan \(shard.fileStem): \(p.phase) \(p.done)\(p.total.map { "/\($0)" } ?? "")"
                    if let last = p.lastFailure {
                        line += " (\(p.failed) not checked; last: \(terminalSafe(last.unit)): \(terminalSafe(last.reason)))"
                    }
                    progress.show(line)
                }
            } catch {
                progress.clear()
                throw scanFailure(error)
            }
            progress.clear()
            Terminal.error("gomodkit scan: pass \(outcome.pass)\(outcome.resumed ? " (resumed)" : ""): \(outcome.newVersions) new versions, \(outcome.units) repositories, \(outcome.findings.count) findings")
            for (unit, reason) in outcome.failedUnits {
                Terminal.error("gomodkit scan: not checked: \(terminalSafe(unit)): \(terminalSafe(reason))")
            }
            if !follow {
                if !outcome.complete {
                    let note = "gomodkit scan: \(outcome.failedUnits.count) repositories not checked; run again to resume"
                    // A finding wins over "incomplete" (exit 1, not 3), except for a batch engine,
                    // which must retry the shard.
                    if !outcome.findings.isEmpty && !findingsExitZero {
                        for finding in outcome.findings { print(finding.text) }
                        throw CLIFailure.verification(note + " (findings of the repositories checked so far above)")
                    }
                    throw CLIFailure.unverified(note)
                }
                for finding in outcome.findings { print(finding.text) }
                if !outcome.findings.isEmpty && !findingsExitZero {
                    throw CLIFailure.verification("")
                }
                return
            }
            for finding in outcome.findings { print(finding.text) }
            try await Task.sleep(for: .milliseconds(Int64(max(1, interval) * 1000)))
        }
    }
}

/// A byte count: digits with an optional `K`, `M`, `G` (powers of 1000) or `KiB`, `MiB`, `GiB`
/// (powers of 1024) suffix; `nil` for anything else or an overflow.
func parseByteSize(_ text: String) -> Int64? {
    let units: [(String, Int64)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("K", 1000), ("M", 1_000_000), ("G", 1_000_000_000)]
    var digits = Substring(text)
    var factor: Int64 = 1
    for (suffix, value) in units where text.hasSuffix(suffix) {
        digits = text.dropLast(suffix.count)
        factor = value
        break
    }
    guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int64(digits) else { return nil }
    let (product, overflow) = number.multipliedReportingOverflow(by: factor)
    return overflow ? nil : product
}

struct ScanMerge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join shard outputs into one report.",
        discussion: """
            Each input is a shard output file or a directory of shard-<I>-of-<N>.jsonl files. \
            Exit status: 0 no findings, 1 findings, 2 unreadable or mismatched inputs, 3 a shard \
            of N is missing (the scan is incomplete).
            """
    )

    enum Format: String, ExpressibleByArgument { case text, json, sarif }

    @Option(help: "Output format: text, json or sarif.")
    var format: Format = .text

    @Argument(help: "Shard output files or directories.")
    var inputs: [String]

    func run() async throws {
        guard !inputs.isEmpty else { throw CLIFailure.input("gomodkit scan merge: no inputs") }
        let merged: ScanReport.Merged
        do throws(ScanError) { merged = try ScanReport.merge(inputs) } catch { throw scanFailure(error) }
        switch format {
        case .text: Terminal.write(Array(ScanReport.text(merged.findings).utf8))
        case .json: Terminal.write(ScanReport.json(merged) + [0x0A])
        case .sarif: Terminal.write(ScanReport.sarif(merged.findings) + [0x0A])
        }
        if !merged.missingShards.isEmpty {
            throw CLIFailure.unverified("gomodkit scan merge: incomplete: no output from shard\(merged.missingShards.count == 1 ? "" : "s") \(merged.missingShards.map(String.init).joined(separator: ", ")) of \(merged.shardCount ?? 0)")
        }
        if !merged.findings.isEmpty { throw CLIFailure.verification("") }
    }
}

struct ScanMirror: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Only sync the local mirror of the index feed (<state>/index).",
        discussion: "Exit status: 0 synced, 2 usage or corrupt mirror, 3 network exhausted or disk not writable."
    )

    @Option(help: "The state directory.")
    var state: String

    @Option(help: "The module index feed URL.")
    var index: String = "https://index.golang.org/index"

    @Option(help: "Start a new mirror at this RFC 3339 time.")
    var since: String?

    @Option(help: "Stop after this many pages.")
    var maxPages: Int?

    @OptionGroup var feed: FeedOptions

    func run() async throws {
        var start: IndexTimestamp? = nil
        if let since {
            guard let t = IndexTimestamp(since) else { throw CLIFailure.input("gomodkit scan mirror: --since \(terminalSafe(since)): not an RFC 3339 time") }
            start = t
        }
        let dir = cleanAbsolutePath(state) + "/index"
        let mirror = IndexMirror(directory: dir)
        do throws(MakeDirectoryAllError) {
            try makeDirectoryAll(dir)
        } catch {
            throw CLIFailure.unverified("gomodkit scan mirror: mkdir \(error.path): \(systemMessage(error.code))")
        }
        do {
            let summary = try await mirror.sync(client: try feed.client(index), maxPages: maxPages, initialSince: start)
            let cp = try mirror.checkpoint()
            print("\(summary.pages) pages, \(summary.appended) new entries, \(summary.duplicates) duplicates dropped; mirror holds \(cp?.entries ?? 0) entries up to \(cp?.since ?? "-")\(summary.caughtUp ? "" : " (not caught up)")")
            for gap in summary.gaps { print("gap: a full page at \(gap.at) could not advance; continued at \(gap.resumedAt)") }
        } catch let error as ScanError {
            throw scanFailure(error)
        }
    }
}
