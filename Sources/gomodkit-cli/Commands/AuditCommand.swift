import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit audit [DIR]`: every check for one Go project, one summary (thin over
/// ``ProjectAudit``).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit a Go project: go.mod/go.sum, typosquats, checksum database, module cache, vendor/, tag divergence.",
        discussion: ExitStatus.discussion("""
            Checks, in order: go.mod and go.sum parse; module paths against well-known modules \
            (typosquats); every go.sum line against the checksum database (online, or --offline \
            from its local cache; skipped with GOSUMDB=off); the module cache against .ziphash \
            and go.sum (like go mod verify); vendor/ when vendor/modules.txt exists; and, for \
            modules whose upstream git repository is given (--git, --git-root), the module \
            cache's zip against the zip rebuilt from the tag today (divergence). The repositories \
            of the other modules are found as go finds them with GOPROXY=direct and checked \
            (origin: the cached .info Origin against one git ls-remote per repository, and a \
            rebuild in GOMODCACHE/cache/vcs where that is not conclusive; --no-origin or \
            --offline skip it). Settings may \
            also come from gomodkit-audit.json in DIR; flags override it, and it overrides the \
            environment. A finding of warning or error severity exits 1; a check that could not \
            run or a go.sum line that could not be verified (and no finding) exits 3.
            """))

    @OptionGroup var directory: ProjectDirectoryArgument

    @Flag(help: "Use only the checksum database's local cache; never the network.")
    var offline = false

    @Option(help: "The module cache (default: gomodkit-audit.json, $GOMODCACHE, else GOPATH/pkg/mod).")
    var modcache: String?

    @Option(help: "A GOSUMDB value; off skips the checksum-database check.")
    var gosumdb: String?

    @Option(help: "The upstream repository of a module: MODULE=PATH (a directory or a git bundle). Repeatable.")
    var git: [String] = []

    @Option(name: .customLong("git-root"), help: "A directory of clones or .bundle files laid out by module path. Repeatable.")
    var gitRoot: [String] = []

    @Option(help: "A file of well-known module paths (one a line, # comments). Repeatable.")
    var known: [String] = []

    @Option(help: "A Go vulnerability database (directory, zip, file:// or https:// URL) for the vulnerability check. Repeatable.")
    var vulndb: [String] = []

    @Option(help: "An OSV tree or zip (ossf/malicious-packages) for the vulnerability check. Repeatable.")
    var osv: [String] = []

    @Option(name: .customLong("go"), help: "The Go release the standard library is matched at (default: from go.mod).")
    var goVersion: String?

    @Option(help: "Policy: a module path glob to deny (GOPRIVATE syntax). Repeatable.")
    var deny: [String] = []

    @Option(help: "Policy: a module path glob exempted from --deny. Repeatable.")
    var allow: [String] = []

    @Flag(name: .customLong("require-checksum-database"), help: "Policy: every go.sum line must be checked against the checksum database.")
    var requireChecksumDatabase = false

    @Flag(name: .customLong("require-origin"), help: "Policy: every module checked against its repository must have a consistent origin (the proxy's recorded commit is the tag's commit now).")
    var requireOrigin = false

    @Option(name: .customLong("forbid-capability"), help: "Policy: a capability (NETWORK, EXEC, …) a dependency update must not gain (with --base). Repeatable.")
    var forbidCapability: [String] = []

    @Option(name: .customLong("min-release-age"), help: "Policy: minimum age in days of every module version, by the module index's first-seen time.")
    var minReleaseAge: Int?

    @Flag(name: .customLong("min-release-age-info-fallback"), help: "Policy: judge versions the module index never sees (GONOPROXY/GOPRIVATE) by their .info Time, marked author-controlled, instead of failing them.")
    var minReleaseAgeInfoFallback = false

    @Option(name: .customLong("module-index"), help: "The module index (default https://index.golang.org).")
    var moduleIndex: String?

    @Option(help: "The go.sum of the base revision: report dependencies whose version changed and gained capabilities.")
    var base: String?

    @Option(help: "The audit settings file (default: DIR/gomodkit-audit.json when present).")
    var config: String?

    @OptionGroup var network: TimeoutOption<ShortTimeout>

    @Option(help: "Most modules checked against their repositories at once (the origin check).")
    var jobs: Int = 4

    @OptionGroup var deadline: DeadlineOption

    @Flag(name: .customLong("no-origin"),
          help: "Do not look up the repositories of modules without --git (the origin check and its rebuilds).")
    var noOrigin = false

    @OptionGroup var format: JSONOption

    @Flag(help: "Print SARIF 2.1.0 (for code-scanning UIs).")
    var sarif = false

    func validate() throws {
        try checkReportFormat(json: format.json, sarif: sarif)
        for entry in git where !entry.contains("=") { throw ValidationError("--git \(entry): want MODULE=PATH") }
        var probe = ProjectAudit.Policy()
        probe.forbidCapabilities = forbidCapability
        if let unknown = probe.unknownCapabilities.first {
            throw ValidationError("--forbid-capability \(terminalSafe(unknown)): not a capability name (want Capslock's names: NETWORK, EXEC, CGO, UNSAFE_POINTER, MODIFY_SYSTEM_STATE/ENV, …, or CAPABILITY_NETWORK…; init for a new init function)")
        }
    }

    func run() async throws {
        let until = deadline.fromNow
        let dir = try directory.resolve()
        let settings: ProjectAudit.Configuration
        do { settings = try ProjectAudit.Configuration.load(directory: dir, path: config) } catch {
            throw CLIFailure.input(error.description)
        }

        var environment = try GoEnvironment.forCommand()
        if let cache = modcache ?? settings.gomodcache { environment.set("GOMODCACHE", absolutePath(cache)) }
        if let value = gosumdb ?? settings.gosumdb { environment.set("GOSUMDB", value) }
        let isOffline = offline || settings.offline == true

        var options = ProjectAudit.Options()
        options.deadline = until
        options.moduleCache = try environment.cache()
        if let db = try environment.checksumDatabase(offline: isOffline, timeout: network.timeout) {
            options.checksumDatabase = db
        } else {
            options.checksumDatabaseSkipReason = "GOSUMDB=off"
        }
        for (path, source) in settings.git { options.gitSources[ByteString(path)] = source }
        for entry in git {
            guard let eq = entry.firstIndex(of: "=") else { continue }
            options.gitSources[ByteString(String(entry[..<eq]))] = ProjectAudit.UpstreamRepository(repository: absolutePath(String(entry[entry.index(after: eq)...])))
        }
        options.gitRoots = settings.gitRoots + gitRoot.map(absolutePath)
        options.advisorySources = (settings.vulndb + vulndb.map(absoluteLocation)).map { AdvisorySource.vulnDB($0) }
            + (settings.osv + osv.map(absoluteLocation)).map { AdvisorySource.osv($0) }
        options.advisoryTransport = isOffline ? nil : DefaultHTTPTransport(timeout: network.timeout)
        options.goVersion = goVersion
        options.policy = settings.policy
        options.policy.deny += deny
        options.policy.allow += allow
        if requireChecksumDatabase { options.policy.requireChecksumDatabase = true }
        if requireOrigin { options.policy.requireOrigin = true }
        options.policy.forbidCapabilities += forbidCapability
        if let minReleaseAge { options.policy.minReleaseAgeDays = minReleaseAge }
        if let moduleIndex { options.policy.moduleIndex = moduleIndex }
        if minReleaseAgeInfoFallback { options.policy.releaseAgeInfoFallback = true }
        options.policy.notInIndex = environment.gonoproxy
        options.policy.indexTransport = isOffline ? nil : DefaultHTTPTransport(timeout: network.timeout)
        options.policy.indexCacheDirectory = FirstSeenWindow.defaultCacheDirectory(environment: environment.processEnvironment)
        if let base {
            options.baseGoSum = try readGoSum(base, mode: .go, context: "\(base): ")
        }
        if noOrigin {
            options.upstreamSkipReason = "--no-origin"
        } else if isOffline {
            options.upstreamSkipReason = "offline: the repositories were not contacted"
        } else {
            options.upstream = try upstreamCheck(environment, modcache: options.moduleCache?.root)
        }
        for file in settings.known + known.map(absolutePath) {
            options.knownModules += GoModKit.Typosquat.parseList(try readInputFile(file, limit: 64 << 20))
        }

        let progress = ProgressLine()
        if !format.json && !sarif { progress.show("auditing \(terminalSafe(dir))…") }
        let opts = options
        let report = await ProjectAudit.run(directory: dir, options: opts)
        progress.clear()

        if sarif {
            writeSARIF(report)
        } else if format.json {
            try Terminal.json(Output(report))
        } else {
            try? writeFully(1, Array(terminalSafe(render(report)).utf8))
        }
        try Self.outcome(report).finish()
    }

    /// The verdicts of the report's findings and of what it could not verify.
    static func outcome(_ report: AuditReport) -> Outcome {
        var outcome = Outcome()
        for finding in report.findings { outcome.record(Verdict(finding)) }
        for _ in report.notVerified { outcome.record(.unverified) }
        return outcome
    }

    /// The origin check (Docs/origin.md) over Go's environment: GOINSECURE, GOVCS, GOPRIVATE,
    /// the VCS cache under GOMODCACHE.
    func upstreamCheck(_ environment: GoEnvironment, modcache: String?) throws(CLIFailure) -> ProjectAudit.UpstreamCheck {
        let resolver = try environment.repositoryResolver(timeout: network.timeout)
        let line = ProgressLine()
        var progress: (@Sendable (Int, Int) -> Void)?
        if line.enabled {
            progress = { (done: Int, total: Int) in
                line.show("origin: \(done)/\(total) modules checked against their repositories")
            }
        }
        return ProjectAudit.UpstreamCheck(resolver: resolver, lister: GitRefLister(),
                                          rebuilder: UpstreamRebuilder(modcache: modcache ?? environment.gomodcache),
                                          parallelism: max(1, jobs), progress: progress)
    }

    /// The text report: the findings, then one line per check, then the verdict.
    func render(_ report: AuditReport) -> String {
        var out = ""
        for finding in report.findings {
            var location = ""
            if let file = finding.file { location = file + (finding.line.map { ":\($0)" } ?? "") + ": " }
            out += "\(location)\(finding.severity.rawValue): \(terminalSafe(finding.message)) [\(finding.rule.rawValue)]\n"
            for detail in finding.details { out += "    \(terminalSafe(detail))\n" }
        }
        if !report.findings.isEmpty { out += "\n" }
        for check in report.checks {
            func pad(_ s: String, _ width: Int) -> String {
                s.count >= width ? String(s.prefix(width)) : s + String(repeating: " ", count: width - s.count)
            }
            out += "\(pad(check.name, 11)) \(pad(check.status.rawValue, 8)) \(terminalSafe(check.summary))\n"
        }
        for item in report.notVerified { out += "not verified: \(terminalSafe(item))\n" }
        let counts = report.counts
        let outcome = Self.outcome(report)
        switch outcome.status {
        case .clean:
            out += "audit passed\(counts[.note].map { " (\($0) notes)" } ?? "")\n"
        case .unverified:
            out += "audit INCOMPLETE: \(outcome.counts[.unverified] ?? 0) could not be verified"
                + (report.notVerified.isEmpty ? "" : " (\(report.notVerified.count) not checked by the deadline)") + ", "
                + "\(counts[.note] ?? 0) notes\n"
        case .finding, .usage:
            out += "audit FAILED: \(counts[.error] ?? 0) errors, \(counts[.warning] ?? 0) warnings, \(counts[.note] ?? 0) notes\n"
        }
        return out
    }

    /// The JSON report.
    struct Output: Encodable {
        struct Finding: Encodable {
            var rule: String
            var severity: String
            var message: String
            var module: String?
            /// The exact bytes of ``module`` (and ``version``) when they are not valid UTF-8
            /// (Docs/output-encoding.md).
            var moduleBase64: String?
            var version: String?
            var versionBase64: String?
            var file: String?
            var line: Int?
            var details: [String]
        }

        var directory: String
        var failed: Bool
        var checks: [AuditReport.Check]
        var findings: [Finding]
        var notVerified: [String]

        init(_ report: AuditReport) {
            notVerified = report.notVerified
            directory = report.directory
            failed = report.failed
            checks = report.checks
            findings = report.findings.map {
                Finding(rule: $0.rule.rawValue, severity: $0.severity.rawValue, message: $0.message,
                        module: $0.modulePath.map(jsonText), moduleBase64: $0.modulePath.flatMap(jsonBytes),
                        version: $0.moduleVersion.map(jsonText), versionBase64: $0.moduleVersion.flatMap(jsonBytes),
                        file: $0.file, line: $0.line, details: $0.details)
            }
        }
    }
}
