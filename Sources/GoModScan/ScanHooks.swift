public import GoModCore
public import GoModOrigin
public import GoModAdvisories
public import GoSumDB
import GoModFetch
import GoModSupplyChain
import Synchronization
import GoModPlatform

/// What a rebuild hook is asked about: a version whose tag moved or vanished, or that has no
/// `Origin`, so only a rebuild compared with the checksum database's `h1:` settles it
/// (Docs/origin.md, "The rebuild tier").
public struct VerdictRequest: Sendable, Hashable {
    /// Why a rebuild is needed.
    public enum Reason: String, Sendable, Hashable { case tagMoved, tagDeleted, missingOrigin }
    /// The module version.
    public var module: ModuleVersion
    /// Its repository.
    public var repository: RepoRoot
    /// The tag (`refs/tags/…`).
    public var ref: String
    /// The commit the tag names now (`nil`: deleted).
    public var currentCommit: String?
    /// The mirror's `Origin`, if any.
    public var origin: ModuleOrigin?
    /// The reason.
    public var reason: Reason

    /// A request.
    public init(module: ModuleVersion, repository: RepoRoot, ref: String, currentCommit: String?, origin: ModuleOrigin?,
                reason: Reason) {
        self.module = module; self.repository = repository; self.ref = ref
        self.currentCommit = currentCommit; self.origin = origin; self.reason = reason
    }
}

/// The pieces of a scan that other parts of GoModKit supply. Each is a closure so that a test
/// plugs in its own; the standard ones are GoModOrigin's `RepositoryResolver` (through
/// ``ScanResolver``), `RefListing` (through ``ScanRefLister``), `UpstreamRebuilder`
/// (through ``RebuildVerdicts``), GoModAdvisories (``AdvisoryMatcher``) and GoModSupplyChain's
/// capabilities (``CapabilityDiff``).
public struct ScanHooks: Sendable {
    /// Module path → repository; `nil` for a path that cannot be resolved (its own unit, keyed by
    /// the module path). Called once per new module path; must be deterministic. Throwing
    /// (a network failure) stops the ingest: the run is incomplete and resumes.
    public var resolve: @Sendable (ByteString) async throws -> RepoRoot?
    /// Lists a git repository's refs once per unit and pass; `nil` result: the repository is
    /// not found (every tag counts as deleted); `nil` hook: the ref tier is skipped.
    public var listRefs: (@Sendable (RepoRoot) async throws -> RefListing?)?
    /// The mirror's `Origin` for a version (the proxy's `.info`); `nil` result: no `Origin`.
    public var origin: (@Sendable (ModuleVersion) async throws -> ModuleOrigin?)?
    /// Rebuilds and compares; returns findings (`divergence`) or none.
    public var verdict: (@Sendable (VerdictRequest) async throws -> [ScanFinding])?
    /// Called once per run before the units, with the module paths that have new versions in
    /// this shard's pass (an advisory matcher reads its sources once here).
    public var prepareAdvisories: (@Sendable (Set<String>) async throws -> Void)?
    /// Advisory matching for a unit's new versions (repository URL given for the findings).
    public var advisories: (@Sendable ([ModuleVersion], String) async throws -> [ScanFinding])?
    /// Capability diff of a new version against the module's previous version.
    public var capabilities: (@Sendable (_ new: ModuleVersion, _ previous: ModuleVersion, _ repository: String) async throws -> [ScanFinding])?
    /// Called once a unit is done in this run — committed, or given up (an error, a limit) —
    /// with its key (the repository URL for a resolved unit); the standard one removes the
    /// repository's rebuild clone (``RebuildVerdicts/finish(repository:)``). Not called for a
    /// unit a previous run finished.
    public var unitFinished: (@Sendable (String) async -> Void)?

    /// Hooks; the default resolver knows the static hosts only (``ScanResolver/offline()``).
    public init(resolve: @escaping @Sendable (ByteString) async throws -> RepoRoot? = ScanResolver.offline().resolve,
                listRefs: (@Sendable (RepoRoot) async throws -> RefListing?)? = nil,
                origin: (@Sendable (ModuleVersion) async throws -> ModuleOrigin?)? = nil,
                verdict: (@Sendable (VerdictRequest) async throws -> [ScanFinding])? = nil,
                prepareAdvisories: (@Sendable (Set<String>) async throws -> Void)? = nil,
                advisories: (@Sendable ([ModuleVersion], String) async throws -> [ScanFinding])? = nil,
                capabilities: (@Sendable (ModuleVersion, ModuleVersion, String) async throws -> [ScanFinding])? = nil,
                unitFinished: (@Sendable (String) async -> Void)? = nil) {
        self.resolve = resolve
        self.listRefs = listRefs
        self.origin = origin
        self.verdict = verdict
        self.prepareAdvisories = prepareAdvisories
        self.advisories = advisories
        self.capabilities = capabilities
        self.unitFinished = unitFinished
    }
}

/// Module path → repository through GoModOrigin's `RepositoryResolver` (cmd/go's
/// `RepoRootForImportPath`: static hosts, `.git` qualifiers, `?go-get=1` discovery, GOVCS).
///
/// A path the resolver rejects (no go-import tag, a 404, an invalid or disallowed root) is
/// unresolved (`nil`): its own unit, checked for typosquats and advisories only. A transport
/// failure, a 429 or a 5xx answer is a `ScanError.Code.network` error: the run stops and the
/// next one retries. The resolver caches every page and path it saw; it is replaced after
/// ``rotation`` resolutions so that a long ingest does not keep them all in memory (the scan
/// stores each path's repository in its state and never resolves a path twice).
public final class ScanResolver: Sendable {
    private let make: @Sendable () -> RepositoryResolver
    private let current: Mutex<(resolver: RepositoryResolver, uses: Int)>
    /// Resolutions per resolver instance.
    public let rotation: Int

    /// Whether transport failures, 429 and 5xx are errors (retry the run) rather than
    /// "unresolved".
    public let retriesTransientFailures: Bool

    /// A resolver made by `make` (called again after every `rotation` resolutions).
    public init(rotation: Int = 50_000, retriesTransientFailures: Bool = true, make: @escaping @Sendable () -> RepositoryResolver) {
        self.make = make
        self.rotation = max(1, rotation)
        self.retriesTransientFailures = retriesTransientFailures
        self.current = Mutex((make(), 0))
    }

    /// The static hosts and `.git` qualifiers only: every HTTP request fails (so discovery
    /// leaves custom domains unresolved) and no scheme probe answers.
    public static func offline() -> ScanResolver {
        ScanResolver(retriesTransientFailures: false) {
            RepositoryResolver(configuration: .init(govcs: .unset), transport: RefusingTransport(), ping: { _, _ in false })
        }
    }

    /// The repository of `path`.
    public func resolve(_ path: ByteString) async throws -> RepoRoot? {
        guard let text = path.utf8String else { return nil }
        let resolver = current.withLock { state -> RepositoryResolver in
            state.uses += 1
            if state.uses > rotation { state = (make(), 1) }
            return state.resolver
        }
        do {
            return try await resolver.resolve(text)
        } catch {
            if retriesTransientFailures && Self.isTransient(error) { throw ScanError(.network, "resolve \(text): \(error.message)") }
            return nil
        }
    }

    /// A discovery failure worth retrying: the page could not be fetched, or the server
    /// answered 429 or 5xx.
    static func isTransient(_ error: OriginError) -> Bool {
        guard error.code == .discoveryFailed else { return false }
        let m = error.message
        if m.contains("fetch: Get ") || m.contains("fetching ") && m.contains(": Get ") { return true }
        for status in ["429", "500", "502", "503", "504"] where m.contains(": \(status) ") { return true }
        return false
    }
}

/// A transport that refuses every request (offline resolution).
struct RefusingTransport: HTTPTransport {
    func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        throw HTTPTransportError(.failed, url: url.absoluteString, detail: "offline")
    }
}

/// Lists refs through GoModOrigin (`RefListing`: `HEAD`, heads and tags, annotated tags
/// peeled): http(s) repositories in-process over git's smart HTTP protocol
/// (`SmartHTTPRefLister`, when a transport is given), others — and dumb HTTP servers, and every
/// repository when ``forceGitLsRemote`` is set — with `git ls-remote -q` (cmd/go's environment
/// for git), one uncached listing per call, under a ``HostLimiter`` permit for the repository's
/// host.
public struct ScanRefLister: Sendable {
    /// The git executable.
    public var git: String
    /// Per-host politeness (nil: none).
    public var limiter: HostLimiter?
    /// The transport for in-process listings of http(s) repositories (nil: `git ls-remote` for
    /// every repository). Not a ``PoliteTransport`` on the same limiter: the listing already
    /// holds a permit for its host.
    public var transport: (any HTTPTransport)?
    /// List every repository with `git ls-remote`, even http(s) ones (`gomodkit scan
    /// --git-ls-remote`, for comparison).
    public var forceGitLsRemote: Bool

    /// A lister.
    public init(git: String = "git", limiter: HostLimiter? = nil, transport: (any HTTPTransport)? = nil,
                forceGitLsRemote: Bool = false) {
        self.git = git
        self.limiter = limiter
        self.transport = transport
        self.forceGitLsRemote = forceGitLsRemote
    }

    /// The refs of `repository`; `nil` when it is not found (git's message, or a 404 answer to
    /// the smart HTTP discovery request); other failures throw `ScanError.Code.network`.
    public func list(_ repository: RepoRoot) async throws -> RefListing? {
        let git = self.git
        let url = repository.repoURL
        // The waiting git runs off the cooperative pool, so `--jobs` listings really wait on the
        // network at once, and a unit cancelled by its time limit kills its git.
        let subprocess: @Sendable () async -> Result<RefListing, OriginError> = {
            await GitRefLister.runOffPool(git: git, url: url)
        }
        let run: @Sendable () async -> Result<RefListing, OriginError>
        if let transport, !forceGitLsRemote, SmartHTTPRefLister.handles(url) {
            let lister = SmartHTTPRefLister(transport: transport)
            run = {
                do throws(OriginError) {
                    return .success(try await lister.list(url))
                } catch where error.code == .unsupportedProtocol {
                    return await subprocess()
                } catch {
                    return .failure(error)
                }
            }
        } else {
            run = subprocess
        }
        let result: Result<RefListing, OriginError>
        if let limiter { result = try await limiter.withPermit(HostLimiter.host(of: url)) { await run() } } else { result = await run() }
        switch result {
        case .success(let listing): return listing
        case .failure(let error):
            if error.code == .repositoryNotFound { return nil }
            let lower = error.message.lowercased()
            if error.code == .listingFailed, ["not found", "does not appear to be a git repository", "does not exist",
                                               "repository not exported"].contains(where: { lower.contains($0) }) {
                return nil
            }
            throw ScanError(.network, error.message)
        }
    }
}

/// The standard verdict: GoModOrigin's rebuild tier (`OriginChecker/rebuild(_:tier:)`: the
/// module zip rebuilt with `UpstreamRebuilder` at the mirror's recorded commit and at the tag
/// now) compared with the checksum database's `h1:`. A `divergence` finding when the tag now
/// names content other than what the checksum database vouches for — whether or not the
/// recorded commit still has it (ContentCheck `content-diverges`, or `ref-moved` with a
/// rebuild of the current tag). A benign retag (same content under a new commit) and a deleted
/// tag whose recorded commit still rebuilds are no divergence. A version the checksum database
/// does not know (GONOSUMDB, private) has nothing to compare with: no finding.
///
/// Only answers from the repository are verdicts. A rebuild that could not reach it (the
/// rebuilder's `OriginError.Code.unreachable`: connection refused, timeout, a transfer cut
/// short, HTTP 5xx) or a checksum database that could not be read throws
/// `ScanError.Code.network`; a work directory past the rebuilder's disk limit
/// (`OriginError.Code.diskLimit`) throws `ScanError.Code.unitLimit`: the unit is not
/// committed, the run exits 3 and the next run asks again. A ref or commit the server does not
/// have, or content that differs, stays a verdict.
public struct RebuildVerdicts: Sendable {
    /// The checksum database's `h1:` for a version; `nil`: not in the database. Throwing (the
    /// database could not be read) makes the unit incomplete.
    public var expectedHash: @Sendable (ModuleVersion) async throws -> String?
    /// The rebuilder (cmd/go's VCS cache layout).
    public var rebuilder: UpstreamRebuilder
    /// Per-host politeness for the fetches (nil: none).
    public var limiter: HostLimiter?
    /// Whether ``finish(repository:)`` keeps the repository's clone (`--keep-clones`).
    public var keepClones: Bool

    /// Verdicts.
    public init(expectedHash: @escaping @Sendable (ModuleVersion) async throws -> String?, rebuilder: UpstreamRebuilder,
                limiter: HostLimiter? = nil, keepClones: Bool = false) {
        self.expectedHash = expectedHash
        self.rebuilder = rebuilder
        self.limiter = limiter
        self.keepClones = keepClones
    }

    /// The end of a unit (``ScanHooks/unitFinished``): the repository's clone in the rebuilder's
    /// VCS cache is removed (a shard's disk holds one repository's clone per unit in flight;
    /// Docs/scan.md, "Failed rebuilds and per-unit limits"), unless ``keepClones``. A clone that cannot be removed is left for the next run.
    public func finish(repository: String) async {
        guard !keepClones else { return }
        try? await rebuilder.removeWorkDirectory(url: repository)
    }

    /// The expected hash from a checksum database client (GOSUMDB).
    public static func checksumDatabase(_ database: ChecksumDatabase) -> @Sendable (ModuleVersion) async throws -> String? {
        { module in
            do { return try await database.lookup(module).zipHash } catch let error as ChecksumDatabaseError
                where error.code == .notFound || error.code == .skipped || error.code == .disabled {
                return nil
            }
        }
    }

    /// The findings for `request`.
    public func verdict(_ request: VerdictRequest) async throws -> [ScanFinding] {
        let known: String?
        do { known = try await expectedHash(request.module) } catch let error as ScanError { throw error } catch {
            throw ScanError(.network, "checksum database: \(request.module): \(errorText(error))")
        }
        guard let expected = known else { return [] }
        let kind: OriginVerdict.Kind = switch request.reason {
        case .tagMoved: .refMoved
        case .tagDeleted: .refDeleted
        case .missingOrigin: .noOrigin
        }
        let root = request.repository
        guard let path = request.module.path.utf8String,
              let location = try? ModuleLocation(modulePath: path, root: root) else { return [] }
        let result = OriginChecker.Result(module: request.module, verdict: OriginVerdict(kind: kind, message: ""),
                                          repository: root, codeDir: location.codeDir, origin: request.origin)
        let tier = OriginChecker.RebuildTier(expectedHash: { _ in expected }, rebuilder: rebuilder)
        let check: @Sendable () async -> ContentCheck? = { await OriginChecker.rebuild(result, tier: tier) }
        let content: ContentCheck?
        if let limiter {
            content = try await limiter.withPermit(HostLimiter.host(of: root.repoURL)) { await check() }
        } else {
            content = await check()
        }
        guard let content else { return [] }
        for failed in content.rebuilt {
            guard let error = failed.error else { continue }
            let what = "\(root.repoURL): rebuilding \(request.module) at the \(failed.candidate == "current" ? "tag now" : "recorded commit")"
            switch failed.errorCode {
            case OriginError.Code.unreachable.rawValue: throw ScanError(.network, "\(what): \(error)")
            case OriginError.Code.diskLimit.rawValue: throw ScanError(.unitLimit, "\(what): \(error)")
            default: continue
            }
        }
        let current = content.rebuilt.first { $0.candidate == "current" && $0.error == nil }
        let recorded = content.rebuilt.first { $0.candidate == "recorded" && $0.error == nil }
        let diverges = content.outcome == .contentDiverges || (content.outcome == .refMoved && current != nil)
        guard diverges else { return [] }
        var message = "\(request.ref)"
        if let current { message += " now rebuilds to \(current.hash) at \(current.commit)" } else { message += " could not be rebuilt" }
        message += ", not the checksum database's \(expected)"
        if let recorded {
            message += recorded.matches ? "; the recorded commit \(recorded.commit) still has it" : "; the recorded commit \(recorded.commit) rebuilds to \(recorded.hash)"
        }
        return [ScanFinding(kind: .divergence, path: path, version: request.module.version.utf8String ?? "",
                            repository: root.repoURL, message: message)]
    }
}

/// Advisory matching through GoModAdvisories: the sources (Go vulnerability databases, OSV
/// trees) are read once per run for the module paths with new versions
/// (``ScanHooks/prepareAdvisories``), then each unit's new versions are matched in memory
/// (`VulnerabilityScan/match(modules:goVersion:records:)`). One `advisory` finding per
/// incident; ``ScanFinding/rule`` is its first id.
public final class AdvisoryMatcher: Sendable {
    /// The sources.
    public let sources: [AdvisorySource]
    private let transport: (any HTTPTransport)?
    private let records = Mutex<[String: [(OSVRecord, AdvisorySource)]]>([:])

    /// A matcher over `sources`; `transport` for http(s) sources (nil: offline).
    public init(sources: [AdvisorySource], transport: (any HTTPTransport)?) {
        self.sources = sources
        self.transport = transport
    }

    /// Reads the records naming any of `paths` from every source.
    ///
    /// - Throws: `ScanError.Code.network` when a source cannot be read (the pass is not
    ///   reported as clean).
    public func prepare(_ paths: Set<String>) async throws {
        var byPath: [String: [(OSVRecord, AdvisorySource)]] = [:]
        for source in sources {
            let found: [OSVRecord]
            do { found = try await AdvisoryReader(source: source, transport: transport).records(for: paths) } catch {
                throw ScanError(.network, "advisories: \(error)")
            }
            for r in found {
                for name in Set(r.affected.map(\.package.name)) where paths.contains(name) { byPath[name, default: []].append((r, source)) }
            }
        }
        records.withLock { $0 = byPath }
    }

    /// The advisory findings for `versions`.
    public func findings(_ versions: [ModuleVersion], repository: String) -> [ScanFinding] {
        // Each path's records once, however many of its versions are new (the matcher goes
        // through every record for every version).
        var seen: Set<String> = []
        let paths = versions.compactMap { $0.path.utf8String }.filter { seen.insert($0).inserted }
        let relevant = records.withLock { all in paths.flatMap { all[$0] ?? [] } }
        guard !relevant.isEmpty else { return [] }
        return VulnerabilityScan.match(modules: versions, goVersion: nil, records: relevant).incidents.map { incident in
            let first = incident.advisories[0]
            var message = incident.ids.joined(separator: ", ")
            if let summary = first.summary, !summary.isEmpty { message += ": " + summary }
            message += incident.fixedVersion.map { "; fixed in \($0)" } ?? "; no fixed version"
            return ScanFinding(kind: .advisory, path: incident.module, version: incident.version, repository: repository,
                               message: message, rule: first.id)
        }
    }
}

/// The capability diff (GoModSupplyChain's `Capabilities`, Capslock's names) of a new version
/// against the module's previous version, both zips read from the mirror: one
/// `capability-added` finding per capability the module as a whole did not have before (a
/// package-level `init` function counts, as `gomodkit caps --against` counts it). A zip that
/// cannot be analysed gives no finding.
public struct CapabilityDiff: Sendable {
    /// A version's module zip (normally `ModuleProxyClient.zip(_:)`).
    public var zip: @Sendable (ModuleVersion) async throws -> [UInt8]

    /// A diff reading zips through `zip`.
    public init(zip: @escaping @Sendable (ModuleVersion) async throws -> [UInt8]) { self.zip = zip }

    /// The findings for `new` against `previous`.
    public func findings(new: ModuleVersion, previous: ModuleVersion, repository: String) async throws -> [ScanFinding] {
        let oldZip: [UInt8], newZip: [UInt8]
        do {
            oldZip = try await zip(previous)
            newZip = try await zip(new)
        } catch let error as ModuleProxyError where error.code == .notFound {
            return []  // not served (any more): nothing to compare
        }
        guard let old = try? Capabilities.analyze(zip: oldZip, subject: previous.description),
              let now = try? Capabilities.analyze(zip: newZip, subject: new.description) else { return [] }
        let before = Set(old.capabilities)
        var out: [ScanFinding] = []
        for cap in now.capabilities where !before.contains(cap) {
            var reasons: [String] = []
            for package in now.packages where package.capabilities.contains(cap) {
                let dir = package.directory.isEmpty ? "." : "./" + package.directory
                reasons += (package.reasons[cap] ?? []).map { "\(dir): \($0)" }
            }
            let why = reasons.isEmpty ? "" : " (" + reasons.prefix(3).joined(separator: "; ") + (reasons.count > 3 ? "; …" : "") + ")"
            out.append(ScanFinding(kind: .capabilityAdded, path: new.path.utf8String ?? "", version: new.version.utf8String ?? "",
                                   repository: repository, message: "\(cap) added since \(previous.version.utf8String ?? "")\(why)",
                                   rule: cap))
        }
        return out
    }
}

/// A resolution table: lines `<import-prefix> <vcs> <repo-root>`, the three fields of a
/// `<meta name="go-import">` tag (cmd/go `vcs.RepoRootForImportPath`), `#` comments allowed.
/// It is the output of the earlier pass that resolves custom domains (Docs/scan.md), or a hand-written map; a module path resolves to the entry with the longest prefix
/// that ends at a path-element boundary.
public struct ResolutionTable: Sendable {
    /// (prefix, target), longest prefix first.
    public private(set) var entries: [(prefix: ByteString, target: RepoRoot)]

    /// Parses a table; throws `ScanError.Code.badInput` naming the bad line.
    public init(parsing data: [UInt8], name: String) throws(ScanError) {
        var out: [(ByteString, RepoRoot)] = []
        var number = 0
        for raw in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var line = Array(raw)
            if let hash = line.firstIndex(of: 0x23) { line = Array(line[..<hash]) }
            let fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }).map(Array.init)
            if fields.isEmpty { continue }
            guard fields.count == 3 else {
                throw ScanError(.badInput, "\(name):\(number): want <import-prefix> <vcs> <repo-root>, got \(goQuote(line))")
            }
            let prefix = ByteString(fields[0])
            do throws(ModulePathError) { try Module.checkPath(prefix) } catch {
                throw ScanError(.badInput, "\(name):\(number): \(error.description)")
            }
            let vcs = String(decoding: fields[1], as: UTF8.self)
            guard vcs == "git" else { throw ScanError(.badInput, "\(name):\(number): vcs \(goQuote(fields[1])): only git is supported") }
            out.append((prefix, RepoRoot(repoURL: String(decoding: fields[2], as: UTF8.self), root: String(decoding: prefix.bytes, as: UTF8.self), vcs: vcs)))
        }
        entries = out.sorted { $0.0.bytes.count > $1.0.bytes.count }.map { (prefix: $0.0, target: $0.1) }
    }

    /// The repository of `path`, or `nil`.
    public func resolve(_ path: ByteString) -> RepoRoot? {
        for (prefix, target) in entries where path == prefix || (path.hasPrefix(prefix) && path.bytes[prefix.bytes.count] == 0x2F) {
            return target
        }
        return nil
    }
}
