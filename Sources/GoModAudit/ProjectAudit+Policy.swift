public import GoModCore
public import GoSumDB
import GoModSupplyChain
public import GoModFetch
import GoModPlatform

extension ProjectAudit {
    /// A team's policy gates (`gomodkit-audit.json`): each violation is a finding naming its
    /// rule (`GMK015`…`GMK017`).
    public struct Policy: Sendable, Hashable {
        /// Module path globs that must not be depended on (Go's GOPRIVATE syntax:
        /// comma-separated `path.Match` patterns, each matching a path prefix).
        public var deny: [String] = []
        /// Globs exempted from ``deny``.
        public var allow: [String] = []
        /// Every go.sum line must be checked against the checksum database.
        public var requireChecksumDatabase = false
        /// Every module checked against its repository by the origin check must have a
        /// consistent origin verdict (Docs/origin.md); modules whose repository was given
        /// (`--git`) are compared with it directly instead.
        public var requireOrigin = false
        /// Capability names (Capslock's, e.g. `NETWORK`, `EXEC`; `init` for a new init
        /// function) that a dependency update must not gain (checked with `--base`).
        public var forbidCapabilities: [String] = []

        /// Versions first seen by the module index less than this many days ago fail.
        public var minReleaseAgeDays: Int?
        /// The module index (its feed is `<index>/index`).
        public var moduleIndex = "https://index.golang.org"
        /// The transport for the index feed; `nil` (offline) fails the gate closed.
        public var indexTransport: (any HTTPTransport)?
        /// Where the feed's window is cached between runs (`FirstSeenWindow`); `nil` reads
        /// the whole window every time.
        public var indexCacheDirectory: String?
        /// Module paths the public module mirror never serves (`GONOPROXY`, which defaults to
        /// `GOPRIVATE`): the index has no first-seen time for them.
        public var notInIndex = ""
        /// For versions without an index time (``notInIndex``): judge them by the module
        /// cache's `.info` `Time` instead of failing them, each finding marked
        /// "author-controlled time" (Docs/advisories.md, "Policy gates").
        public var releaseAgeInfoFallback = false
        /// Retries of a failing feed request.
        public var indexRetry = RetryPolicy(maxAttempts: 4, baseDelay: .seconds(1), maxDelay: .seconds(30))
        /// "Now" in seconds since 1970 (tests); `nil` is the clock.
        public var now: Double?

        /// Equal settings (the transport is not compared).
        public static func == (a: Policy, b: Policy) -> Bool {
            a.deny == b.deny && a.allow == b.allow && a.requireChecksumDatabase == b.requireChecksumDatabase
                && a.requireOrigin == b.requireOrigin
                && a.forbidCapabilities == b.forbidCapabilities && a.minReleaseAgeDays == b.minReleaseAgeDays
                && a.moduleIndex == b.moduleIndex && a.indexCacheDirectory == b.indexCacheDirectory && a.now == b.now
                && a.notInIndex == b.notInIndex && a.releaseAgeInfoFallback == b.releaseAgeInfoFallback
        }

        /// Hashes the settings.
        public func hash(into h: inout Hasher) {
            h.combine(deny); h.combine(allow); h.combine(requireChecksumDatabase); h.combine(requireOrigin); h.combine(forbidCapabilities)
            h.combine(minReleaseAgeDays); h.combine(moduleIndex)
        }

        /// No gate.
        public init() {}

        /// Whether `forbidden`, an entry of ``forbidCapabilities``, names the gained capability
        /// `gained`: the same Capslock `capability_name` (`EXEC`, `MODIFY_SYSTEM_STATE/ENV`),
        /// its family (`MODIFY_SYSTEM_STATE` forbids every `MODIFY_SYSTEM_STATE/…`), or its
        /// Capslock enum name (`CAPABILITY_EXEC`, as `gomodkit caps --json` prints it).
        public static func capability(_ forbidden: String, names gained: String) -> Bool {
            gained == forbidden || gained.hasPrefix(forbidden + "/") || Capabilities.enumName(gained) == forbidden
        }

        /// The entries of ``forbidCapabilities`` that name no capability the analysis can
        /// report (a misspelt name must not silently weaken the gate).
        public var unknownCapabilities: [String] {
            // Capslock's taxonomy (proto/capability.proto, v0.3.2) with its sub-capabilities,
            // and GoModKit's init marker.
            var known: Set<String> = [Capabilities.initMarker, "SAFE", "FILES", "NETWORK", "RUNTIME", "READ_SYSTEM_STATE",
                                      "MODIFY_SYSTEM_STATE", "OPERATING_SYSTEM", "SYSTEM_CALLS", "ARBITRARY_EXECUTION",
                                      "CGO", "UNANALYZED", "UNSAFE_POINTER", "REFLECT", "EXEC", "MODIFY_SYSTEM_STATE/ENV",
                                      "MODIFY_SYSTEM_STATE/SIGNALS", "MODIFY_SYSTEM_STATE/LOGGING", "MODIFY_SYSTEM_STATE/CHDIR"]
            known.formUnion(Capabilities.packageDefaults.values)
            for names in Capabilities.functionOverrides.values { known.formUnion(names) }
            return forbidCapabilities.filter { f in !known.contains { Self.capability(f, names: $0) } }
        }
    }

    /// The deny/allow gate over every module path the project names.
    static func deniedModules(paths: [ByteString], where place: [ByteString: (file: String, line: Int)],
                              options: Options, into report: inout AuditReport) {
        let policy = options.policy
        guard !policy.deny.isEmpty else { return }
        let deny = PathPatterns(policy.deny.joined(separator: ","))
        let allow = PathPatterns(policy.allow.joined(separator: ","))
        for path in paths where deny.matches(path) && !allow.matches(path) {
            report.findings.append(AuditFinding(
                rule: .policyDeniedModule,
                message: "\(String(decoding: path.bytes, as: UTF8.self)): denied by policy (deny \(policy.deny.joined(separator: ",")))",
                modulePath: path, file: place[path]?.file, line: place[path]?.line))
        }
    }

    /// A version the public mirror never serves (``Policy/notInIndex``) has no index time:
    /// without ``Policy/releaseAgeInfoFallback`` it fails as "unknown time"; with it, the
    /// module cache's `.info` `Time` decides, and the finding says the time is
    /// author-controlled (a note when old enough). Answers whether it failed the gate.
    static func authorTimeFallback(_ r: GoSum.Record, since: IndexTimestamp, days: Int, options: Options,
                                   into report: inout AuditReport) -> Bool {
        let policy = options.policy
        func fail(_ message: String, severity: AuditFinding.Severity? = nil) {
            report.findings.append(AuditFinding(rule: .policyReleaseAge, severity: severity, message: message,
                                                modulePath: r.path, moduleVersion: r.version, file: "go.sum", line: r.line))
        }
        guard policy.releaseAgeInfoFallback else {
            fail("\(r.key): unknown time: not served by the public module mirror (GONOPROXY/GOPRIVATE \(policy.notInIndex)), so the module index has no first-seen time; policy minReleaseAge is \(days) days")
            return true
        }
        guard let cache = options.moduleCache, let path = try? cache.cachePath(r.key, "info"),
              let data = readSmallFile(path, limit: Divergence.maxInfoSize),
              let info = try? Divergence.Info.parse(data, expectedVersion: r.version, subject: path),
              let text = info.time, let time = IndexTimestamp(text) else {
            fail("\(r.key): unknown time: not served by the public module mirror, and no .info Time in the module cache to fall back to; policy minReleaseAge is \(days) days")
            return true
        }
        if time >= since {
            fail("\(r.key): .info Time \(text) (author-controlled time), less than \(days) days ago; policy minReleaseAge is \(days) days")
            return true
        }
        fail("\(r.key): .info Time \(text) (author-controlled time) is older than \(days) days; accepted by the .info fallback, not by the module index", severity: .note)
        return false
    }

    /// The release-age gate: every module version of go.sum first seen by the module index
    /// within the last ``Policy/minReleaseAgeDays`` days fails. One bounded read of the feed
    /// since now − N, through the cache (``FirstSeenWindow``); a version not in it was first
    /// seen earlier. An unreadable feed fails the gate closed.
    static func releaseAge(goSum: GoSum?, options: Options, into report: inout AuditReport) async {
        let policy = options.policy
        guard let days = policy.minReleaseAgeDays else { return }
        guard let goSum else {
            report.checks.append(.init(name: "age", status: .skipped, summary: "no go.sum"))
            return
        }
        let now = policy.now ?? Date().timeIntervalSince1970
        let sinceSeconds = Int64(now.rounded(.down)) - Int64(days) * 86400
        let since = IndexTimestamp(seconds: sinceSeconds, nanoseconds: 0, text: IndexTimestamp.format(seconds: sinceSeconds, nanoseconds: 0))
        // Versions the public mirror never serves have no index time (GONOPROXY/GOPRIVATE).
        let exempt = PathPatterns(ByteString(policy.notInIndex))
        let records = goSum.records.filter { !$0.isGoMod }
        let private_ = records.filter { !policy.notInIndex.isEmpty && exempt.matches($0.path) }
        let public_ = records.filter { policy.notInIndex.isEmpty || !exempt.matches($0.path) }
        var young = 0
        for r in private_ where authorTimeFallback(r, since: since, days: days, options: options, into: &report) { young += 1 }
        let privateNote = private_.isEmpty ? "" : "; \(private_.count) not in the index (GONOPROXY/GOPRIVATE)\(policy.releaseAgeInfoFallback ? ", judged by .info Time" : "")"
        guard !public_.isEmpty else {
            report.checks.append(.init(name: "age", status: young == 0 ? .passed : .failed,
                                       summary: "\(records.count) module versions, none served by the public module mirror\(privateNote): \(young) failed"))
            return
        }
        guard let transport = policy.indexTransport, let index = URL(string: policy.moduleIndex) else {
            report.findings.append(AuditFinding(rule: .policyReleaseAge, message: "minReleaseAge \(days)d: the module index \(policy.moduleIndex) cannot be read offline; every version fails closed", file: "go.sum"))
            report.checks.append(.init(name: "age", status: .failed, summary: "module index not readable (offline)"))
            return
        }
        let client = IndexFeedClient(url: index.appendingPathComponent("index"), transport: transport, retry: policy.indexRetry)
        let window = FirstSeenWindow(client: client, cacheDirectory: policy.indexCacheDirectory)
        let result: FirstSeenWindow.Result
        do throws(ModuleIndexError) {
            result = try await window.firstSeen(of: Set(public_.map(\.key)), since: since)
        } catch {
            report.findings.append(AuditFinding(rule: .policyReleaseAge, message: "minReleaseAge \(days)d: module index \(error.description); every version fails closed", file: "go.sum"))
            report.checks.append(.init(name: "age", status: .failed, summary: "module index feed not readable"))
            return
        }
        for r in public_ {
            guard let first = result.firstSeen[r.key], first >= since else { continue }
            young += 1
            let seconds = max(0, now - Double(first.seconds) - Double(first.nanoseconds) / 1e9)
            let age = seconds >= 86400 ? "\(Int(seconds / 86400)) day\(Int(seconds / 86400) == 1 ? "" : "s")"
                : "\(Int(seconds / 3600)) hour\(Int(seconds / 3600) == 1 ? "" : "s")"
            report.findings.append(AuditFinding(
                rule: .policyReleaseAge,
                message: "\(r.key): first seen by the module index at \(first.text), \(age) ago; policy minReleaseAge is \(days) days",
                modulePath: r.path, moduleVersion: r.version, file: "go.sum", line: r.line))
        }
        var summary = "\(records.count) module versions against the index feed since \(since.text) (\(result.entries) entries, \(result.fromCache) from the cache, \(result.pages) page\(result.pages == 1 ? "" : "s") read)\(privateNote): \(young) younger than \(days) days"
        if let note = result.cacheNote { summary += "; cache: \(note)" }
        report.checks.append(.init(name: "age", status: young == 0 ? .passed : .failed, summary: summary))
    }
}
