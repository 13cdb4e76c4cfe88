import GoModVCS
public import GoModCore
import GoModZip
public import GoSumDB
public import GoModFetch
import GoModSupplyChain
public import GoModAdvisories
import GoModPlatform

/// Everything GoModKit can check about one Go project, in one call: go.mod and go.sum parse,
/// typosquatted module paths, go.sum against the checksum database, the module cache and
/// vendor/ against go.sum, and mirror-versus-tag divergence for modules whose upstream git
/// repository is at hand.
///
/// ```swift
/// var options = ProjectAudit.Options()
/// options.moduleCache = try GoEnvironment.current().moduleCache()
/// let report = await ProjectAudit.run(directory: "path/to/project", options: options)
/// if report.failed { print(String(decoding: report.sarif(), as: UTF8.self)) }
/// ```
///
/// Each check ends up in ``AuditReport/checks`` as passed, failed or skipped (with the reason),
/// so that a report never reads "clean" for a check that did not run.
public enum ProjectAudit {
    /// Where a module's upstream repository is.
    public struct UpstreamRepository: Sendable, Hashable, Codable {
        /// A git repository directory, or a git bundle file (cloned to a temporary directory).
        public var repository: String
        /// The module's directory inside the repository (`""` for the root).
        public var subdir: String

        /// A source.
        public init(repository: String, subdir: String = "") {
            self.repository = repository
            self.subdir = subdir
        }
    }

    /// What to check, and with what.
    public struct Options: Sendable {
        /// The module cache to verify and to take mirror zips from; `nil` skips both checks.
        public var moduleCache: ModuleCache?
        /// The checksum database client for the go.sum check; `nil` skips it (say why in
        /// ``checksumDatabaseSkipReason``).
        public var checksumDatabase: ChecksumDatabase?
        /// Why the checksum-database check is skipped when ``checksumDatabase`` is `nil`.
        public var checksumDatabaseSkipReason = "no checksum database configured"
        /// Lookups in flight at once.
        public var checksumDatabaseConcurrency = 32
        /// More well-known module paths for the typosquat check (e.g. from `--known` lists).
        public var knownModules: [ByteString] = []
        /// Upstream repositories by module path, for the divergence check.
        public var gitSources: [ByteString: UpstreamRepository] = [:]
        /// Directories holding clones (or `<path>.bundle` files) laid out by module path, e.g.
        /// `<root>/github.com/boltdb/bolt`; a module below a repository's path is taken from its
        /// subdirectory.
        public var gitRoots: [String] = []
        /// Check vendor/ (default: when vendor/modules.txt exists).
        public var checkVendor: Bool?
        /// The git executable.
        public var git = "git"
        /// When the audit must end (a command's `--deadline`): checksum-database lookups and
        /// module-cache hashing still to do then are reported in ``AuditReport/notVerified``,
        /// and the vendor and divergence checks are not started after it.
        public var deadline: ContinuousClock.Instant?
        /// The go.sum of the base revision (e.g. the target branch of a pull request): modules
        /// whose version changed are checked for capabilities gained; `nil` skips the check.
        public var baseGoSum: GoSum?
        /// Policy gates (``ProjectAudit/Policy``).
        public var policy = Policy()
        /// Advisory sources for the vulnerability check; empty skips it.
        public var advisorySources: [AdvisorySource] = []
        /// The transport for http(s) advisory sources; `nil` is offline.
        public var advisoryTransport: (any HTTPTransport)?
        /// The Go release the standard library is matched at (`go1.26.4`); `nil`: from go.mod.
        public var goVersion: String?
        /// Finds the repository of every module without a given one, as `go` does with
        /// `GOPROXY=direct`, and checks it (Docs/origin.md); `nil` skips that.
        public var upstream: UpstreamCheck?
        /// Why ``upstream`` is `nil` (`--no-origin`, `--offline`), reported as a skipped check.
        public var upstreamSkipReason: String?

        /// Default options: nothing but go.mod, go.sum and typosquats is checked until a cache,
        /// a database or git sources are given.
        public init() {}
    }

    /// Audits the Go project in `directory` (the directory holding go.mod).
    public static func run(directory: String, options: Options) async -> AuditReport {
        var report = AuditReport(directory: directory)
        let root = URL(fileURLWithPath: directory)

        // go.mod
        let goModPath = root.appendingPathComponent("go.mod").path
        var goMod: GoMod?
        if let data = readSmallFile(goModPath, limit: 16 << 20) {
            do {
                goMod = try GoMod.parse(data, fileName: "go.mod")
                report.checks.append(.init(name: "go.mod", status: .passed, summary: "go.mod parses"))
            } catch {
                for e in error.allErrors {
                    report.findings.append(AuditFinding(rule: .goModInvalid, message: e.description, file: "go.mod",
                                                        line: e.line > 0 ? e.line : nil))
                }
                report.checks.append(.init(name: "go.mod", status: .failed, summary: "go.mod does not parse"))
            }
        } else {
            report.findings.append(AuditFinding(rule: .checkFailed, severity: .error,
                                                message: "\(goModPath): no readable go.mod", file: "go.mod"))
            report.checks.append(.init(name: "go.mod", status: .failed, summary: "no go.mod"))
        }

        // go.sum
        var goSum: GoSum?
        let goSumPath = root.appendingPathComponent("go.sum").path
        if let data = readSmallFile(goSumPath, limit: GoSum.Limits.default.maxBytes) {
            do {
                let sums = try GoSum(parsing: data, fileName: "go.sum", mode: .strict)
                goSum = sums
                let problems = sums.diagnostics.filter { $0.severity == .error }
                for d in problems {
                    report.findings.append(AuditFinding(rule: .goSumInvalid, message: d.message, file: "go.sum", line: d.line))
                }
                report.checks.append(.init(name: "go.sum", status: problems.isEmpty ? .passed : .failed,
                                           summary: "\(plural(sums.count, "line")), \(problems.count) malformed or conflicting"))
            } catch {
                report.findings.append(AuditFinding(rule: .goSumInvalid, message: error.description, file: "go.sum"))
                report.checks.append(.init(name: "go.sum", status: .failed, summary: "go.sum unreadable"))
            }
        } else {
            report.checks.append(.init(name: "go.sum", status: .skipped, summary: "no go.sum"))
        }

        // Module paths of the dependency graph, with where each is first named.
        var where_: [ByteString: (file: String, line: Int)] = [:]
        var paths: [ByteString] = []
        func note(_ path: ByteString, _ file: String, _ line: Int) {
            if where_[path] == nil { where_[path] = (file, line); paths.append(path) }
        }
        if let goMod {
            for r in goMod.requirements { note(r.module.path, "go.mod", r.position.line) }
            for r in goMod.replacements where !r.isLocalDirectory { note(r.new.path, "go.mod", r.position.line) }
        }
        for r in goSum?.records ?? [] { note(r.path, "go.sum", r.line) }

        typosquats(paths: paths, where: where_, options: options, into: &report)
        deniedModules(paths: paths, where: where_, options: options, into: &report)
        await checksumDatabase(goSum: goSum, options: options, into: &report)
        await moduleCache(directory: directory, goMod: goMod, options: options, into: &report)
        if let deadline = options.deadline, ContinuousClock.now >= deadline {
            for name in ["vendor", "divergence"] {
                report.checks.append(.init(name: name, status: .incomplete, summary: "not run: deadline exceeded"))
                report.notVerified.append("\(name): not run: deadline exceeded")
            }
            return report
        }
        vendor(directory: directory, options: options, into: &report)
        await divergence(goSum: goSum, where: where_, options: options, into: &report)
        await advisories(directory: directory, goMod: goMod, where: where_, options: options, into: &report)
        capabilityChanges(goSum: goSum, where: where_, options: options, into: &report)
        await releaseAge(goSum: goSum, options: options, into: &report)
        return report
    }

    // MARK: - Checks

    private static func typosquats(paths: [ByteString], where place: [ByteString: (file: String, line: Int)],
                                   options: Options, into report: inout AuditReport) {
        let detector = Typosquat.Detector(known: options.knownModules, project: paths)
        var flagged = 0
        for path in paths {
            let findings: [Typosquat.Finding]
            do { findings = try detector.check(path) } catch {
                report.findings.append(AuditFinding(rule: .goModInvalid, message: error.description, modulePath: path,
                                                    file: place[path]?.file, line: place[path]?.line))
                continue
            }
            for f in findings {
                flagged += 1
                report.findings.append(AuditFinding(
                    rule: .typosquat,
                    message: "\(safe(path)) looks like a typosquat of \(safe(f.target)) (\(f.rule.rawValue): \(f.detail))",
                    modulePath: path, file: place[path]?.file, line: place[path]?.line))
            }
        }
        report.checks.append(.init(name: "typosquat", status: flagged == 0 ? .passed : .failed,
                                   summary: "\(plural(paths.count, "module path")) against \(detector.count) well-known ones, \(flagged) flagged"))
    }

    private static func checksumDatabase(goSum: GoSum?, options: Options, into report: inout AuditReport) async {
        guard let goSum, goSum.count > 0 else {
            report.checks.append(.init(name: "sumdb", status: .skipped, summary: "no go.sum lines"))
            return
        }
        guard let db = options.checksumDatabase else {
            report.checks.append(.init(name: "sumdb", status: .skipped, summary: options.checksumDatabaseSkipReason))
            if options.policy.requireChecksumDatabase {
                report.findings.append(AuditFinding(
                    rule: .policyChecksumDatabase,
                    message: "\(goSum.count) go.sum line\(goSum.count == 1 ? "" : "s") not checked against a checksum database (\(options.checksumDatabaseSkipReason)); policy requireChecksumDatabase",
                    file: "go.sum"))
            }
            return
        }
        let audits = await db.audit(goSum.records, concurrency: options.checksumDatabaseConcurrency, deadline: options.deadline)
        var counts: [GoSumLineAudit.Status: Int] = [:]
        var sameCause: [ChecksumDatabaseError.Code: Int] = [:]
        var firstOfCause: [ChecksumDatabaseError.Code: Int] = [:]
        for a in audits {
            counts[a.status, default: 0] += 1
            let r = a.record
            let subject = "\(safe(r.path)) \(safe(r.version))"
            switch a.status {
            case .skipped:
                if options.policy.requireChecksumDatabase {
                    report.findings.append(AuditFinding(
                        rule: .policyChecksumDatabase,
                        message: "\(subject): not checked against \(db.name) (GONOSUMDB/GOPRIVATE); policy requireChecksumDatabase",
                        modulePath: r.path, moduleVersion: r.moduleVersion, file: "go.sum", line: r.line))
                }
                continue
            case .verified:
                continue
            case .notVerified:
                report.notVerified.append("go.sum:\(r.line): \(subject): not verified against \(db.name): deadline exceeded")
            case .mismatch:
                report.findings.append(AuditFinding(
                    rule: .checksumMismatch,
                    message: "\(subject): go.sum records \(safe(r.hash)) but \(db.name) has \(a.databaseHash.map(safe) ?? "another hash")",
                    modulePath: r.path, moduleVersion: r.moduleVersion, file: "go.sum", line: r.line))
            case .missing:
                report.findings.append(AuditFinding(
                    rule: .checksumMissing, message: "\(subject): \(db.name) has no record of it",
                    modulePath: r.path, moduleVersion: r.moduleVersion, file: "go.sum", line: r.line,
                    details: a.error.map { ["\($0)"] } ?? []))
            case .error where a.error?.isSecurityFailure == true:
                report.findings.append(AuditFinding(
                    rule: .checksumDatabaseMisbehaved, message: "\(subject): \(db.name)'s answer failed verification",
                    modulePath: r.path, moduleVersion: r.moduleVersion, file: "go.sum", line: r.line,
                    details: a.error.map { ["\($0)"] } ?? []))
            case .error:
                // An unreachable database, or an offline cache without the data, fails every
                // line the same way: one finding says so, with the count.
                if let code = a.error?.code, code == .transport || code == .offlineMissing {
                    sameCause[code, default: 0] += 1
                    if sameCause[code] == 1 { firstOfCause[code] = report.findings.count } else { continue }
                }
                report.findings.append(AuditFinding(
                    rule: .checksumUnverified, message: "\(subject): not verified against \(db.name)",
                    modulePath: r.path, moduleVersion: r.moduleVersion, file: "go.sum", line: r.line,
                    details: a.error.map { ["\($0)"] } ?? []))
            }
        }
        for (code, index) in firstOfCause {
            let n = sameCause[code] ?? 1
            guard n > 1 else { continue }
            let why = code == .transport ? "the checksum database \(db.name) could not be reached"
                : "offline, and the local cache of \(db.name) does not hold them"
            report.findings[index].message = "\(n) go.sum lines not verified: \(why) (the first is shown)"
        }
        let failed = (counts[.mismatch] ?? 0) + (counts[.missing] ?? 0) + (counts[.error] ?? 0)
        let unchecked = counts[.notVerified] ?? 0
        report.checks.append(.init(
            name: "sumdb", status: failed > 0 ? .failed : unchecked > 0 ? .incomplete : .passed,
            summary: "\(audits.count) go.sum lines against \(db.name): \(counts[.verified] ?? 0) verified, "
                + "\(counts[.mismatch] ?? 0) mismatched, \(counts[.missing] ?? 0) missing, "
                + "\(counts[.error] ?? 0) unverifiable, \(counts[.skipped] ?? 0) skipped"
                + (unchecked > 0 ? ", \(unchecked) not verified (deadline exceeded)" : "")))
    }

    private static func moduleCache(directory: String, goMod: GoMod?, options: Options, into report: inout AuditReport) async {
        guard let cache = options.moduleCache else {
            report.checks.append(.init(name: "modcache", status: .skipped, summary: "no module cache given"))
            return
        }
        guard goMod != nil else {
            report.checks.append(.init(name: "modcache", status: .skipped, summary: "no usable go.mod"))
            return
        }
        guard directoryExists(cache.root) else {
            report.checks.append(.init(name: "modcache", status: .skipped, summary: "module cache \(cache.root) does not exist"))
            return
        }
        let result: Result<ModuleVerifyReport, ModuleCacheError>
        do throws(ModuleCacheError) {
            result = .success(try await cache.verify(project: directory, checksumDatabase: nil, deadline: options.deadline))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let verified):
            for e in verified.errors {
                report.findings.append(AuditFinding(rule: .moduleCacheMismatch, message: e.message,
                                                    modulePath: e.module?.path, moduleVersion: e.module?.version))
            }
            report.notVerified += verified.notVerified.map(\.message)
            report.checks.append(.init(
                name: "modcache", status: !verified.errors.isEmpty ? .failed : verified.notVerified.isEmpty ? .passed : .incomplete,
                summary: "\(plural(verified.buildList.count, "module")) in the build list, \(verified.verifiedCount) found in \(cache.root) and hashed, "
                    + "\(plural(verified.goSumLinesChecked, "go.sum line")) compared, \(plural(verified.errors.count, "problem"))"))
        case .failure(let error):
            report.findings.append(AuditFinding(rule: .checkFailed, message: "module cache: \(error.message)",
                                                modulePath: error.module?.path, moduleVersion: error.module?.version))
            report.checks.append(.init(name: "modcache", status: .failed, summary: "could not verify: \(error.message)"))
        }
    }

    private static func vendor(directory: String, options: Options, into report: inout AuditReport) {
        let modulesTxt = URL(fileURLWithPath: directory).appendingPathComponent("vendor/modules.txt").path
        let present = FileManager.default.fileExists(atPath: modulesTxt)
        guard options.checkVendor ?? present else {
            report.checks.append(.init(name: "vendor", status: .skipped, summary: "no vendor/modules.txt"))
            return
        }
        guard let cache = options.moduleCache else {
            report.checks.append(.init(name: "vendor", status: .skipped, summary: "no module cache to compare vendor/ with"))
            return
        }
        do {
            let (errors, files) = try VendorCheck.check(project: directory, cache: cache)
            for e in errors {
                report.findings.append(AuditFinding(rule: e.code == .vendorUnverifiable ? .checkFailed : .vendorMismatch,
                                                    message: e.message,
                                                    modulePath: e.module?.path, moduleVersion: e.module?.version,
                                                    file: "vendor/modules.txt"))
            }
            report.checks.append(.init(name: "vendor", status: errors.isEmpty ? .passed : .failed,
                                       summary: "\(plural(files, "vendored file")) compared, \(plural(errors.count, "problem"))"))
        } catch {
            report.findings.append(AuditFinding(rule: error.code == .vendorInconsistent || error.isSecurityFailure ? .vendorMismatch : .checkFailed,
                                                message: error.message, file: "vendor/modules.txt"))
            report.checks.append(.init(name: "vendor", status: .failed, summary: "could not check: \(error.message)"))
        }
    }

    private static func divergence(goSum: GoSum?, where place: [ByteString: (file: String, line: Int)],
                                   options: Options, into report: inout AuditReport) async {
        guard let goSum else {
            report.checks.append(.init(name: "divergence", status: .skipped, summary: "no go.sum"))
            return
        }
        let modules = goSum.records.filter { !$0.isGoMod }
        var checked = 0, diverged = 0, noSource = 0, notCached = 0, failed = 0
        var upstreamTally = UpstreamCheck.Tally()
        defer {
            if options.upstream != nil {
                report.checks.append(upstreamTally.check)
            } else if let reason = options.upstreamSkipReason {
                report.checks.append(.init(name: "origin", status: .skipped, summary: reason))
            }
        }
        // Each repository opened once (a bundle is cloned once), by the path it was given as.
        var repositories: [String: String] = [:]
        var clones: [String] = []
        defer { for dir in clones { try? FileManager.default.removeItem(atPath: dir) } }
        // Modules without a given repository: the origin check, in parallel, after the loop.
        var upstreamRecords: [GoSum.Record] = []
        /// The `requireOrigin` gate's finding for a module whose origin is not known consistent.
        func requireOrigin(_ record: GoSum.Record, _ notConsistent: String) {
            guard options.policy.requireOrigin else { return }
            report.findings.append(AuditFinding(
                rule: .policyOrigin,
                message: "\(safeText(record.path.bytes))@\(safeText(record.version.bytes)): \(notConsistent); policy requireOrigin requires a consistent origin",
                modulePath: record.path, moduleVersion: record.version, file: "go.sum", line: record.line))
        }
        for record in modules {
            let module = record.key
            guard let source = gitSource(for: record.path, options: options) else {
                if options.upstream != nil {
                    upstreamRecords.append(record)
                } else {
                    noSource += 1
                    requireOrigin(record, "origin not checked (\(options.upstreamSkipReason ?? "no origin check configured"))")
                }
                continue
            }
            guard let cache = options.moduleCache,
                  let zipPath = try? cache.cachePath(module, "zip"),
                  let zip = readSmallFile(zipPath, limit: Int(ModuleZip.maxZipFile)) else {
                notCached += 1
                report.findings.append(AuditFinding(
                    rule: .checkFailed, severity: .warning,
                    message: "\(module): upstream repository given but the mirror's zip is not in the module cache; divergence not checked",
                    modulePath: record.path, moduleVersion: record.version, file: "go.sum", line: record.line))
                continue
            }
            var info: Divergence.Info?
            if let infoPath = try? cache.cachePath(module, "info"), let data = readSmallFile(infoPath, limit: Divergence.maxInfoSize) {
                info = try? Divergence.Info.parse(data, expectedVersion: record.version, subject: infoPath)
            }
            checked += 1
            let repository: String
            if let opened = repositories[source.repository] {
                repository = opened
            } else {
                let opened: (directory: String, temporaryClone: String?)
                do { opened = try Divergence.openRepository(source.repository, git: options.git) } catch {
                    failed += 1
                    report.findings.append(AuditFinding(rule: .checkFailed, message: error.description,
                                                        modulePath: record.path, moduleVersion: record.version,
                                                        file: "go.sum", line: record.line))
                    continue
                }
                repositories[source.repository] = opened.directory
                if let clone = opened.temporaryClone { clones.append(clone) }
                repository = opened.directory
            }
            do {
                let result = try Divergence.compare(
                    module, mirrorZip: zip, info: info,
                    source: ModuleZip.GitSource(repository: repository, directory: ByteString(source.subdir), git: options.git),
                    recordedHash: record.dirHash)
                if let finding = finding(for: result, record: record) {
                    if finding.severity >= .warning { diverged += 1 }
                    report.findings.append(finding)
                }
            } catch {
                failed += 1
                report.findings.append(AuditFinding(rule: .checkFailed, message: error.description,
                                                    modulePath: record.path, moduleVersion: record.version,
                                                    file: "go.sum", line: record.line))
            }
        }
        if let upstream = options.upstream {
            let reasons = await upstream.check(upstreamRecords, options: options, tally: &upstreamTally, into: &report)
            for (record, reason) in zip(upstreamRecords, reasons) { if let reason { requireOrigin(record, reason) } }
        }
        if checked == 0 && notCached == 0 && options.upstream != nil {
            // Every module without a given repository went through the origin check.
        } else if checked == 0 && notCached == 0 {
            report.checks.append(.init(name: "divergence", status: .skipped,
                                       summary: "no upstream git repository given for any of \(modules.count) modules (use --git or --git-root)"))
        } else {
            report.checks.append(.init(
                name: "divergence", status: diverged == 0 && notCached == 0 && failed == 0 ? .passed : .failed,
                summary: "\(plural(checked, "module")) compared with \(checked == 1 ? "its git tag" : "their git tags"), \(diverged) diverged, \(failed) could not be compared, \(notCached) not in the cache, \(noSource) without a repository"))
        }
    }

    /// The audit finding for one divergence report, or `nil` when mirror and tag agree.
    static func finding(for result: Divergence.Report, record: GoSum.Record) -> AuditFinding? {
        var details = result.explanation
        for change in result.changes {
            let mark = switch change.kind { case .added: "added"; case .removed: "removed"; case .changed: "changed" }
            var line = "\(mark) \(safe(change.path)): \(change.note)"
            if let m = change.mirrorSHA256 { line += " (mirror sha256 \(m))" }
            details.append(line)
        }
        for signal in result.signals { details.append("red flag: \(signal)") }
        let subject = "\(safe(result.module.path))@\(safe(result.module.version))"
        let rule: AuditFinding.Rule
        let severity: AuditFinding.Severity
        let message: String
        switch result.verdict {
        case .consistent:
            return nil
        case .benign:
            rule = .tagMoved; severity = .note
            message = "\(subject): the git tag moved since the mirror cached the module, but the differences are harmless (benign retag)"
        case .codeChanged:
            rule = .tagDivergence; severity = .warning
            message = "\(subject): the mirror's zip differs in code from what the git tag holds today"
        case .suspicious:
            rule = .tagDivergence; severity = .error
            message = "\(subject): the mirror's zip diverges from the git tag with red flags (\(Set(result.signals.map(\.kind.rawValue)).sorted().joined(separator: ", ")))"
        case .mirrorMismatch:
            rule = .tagDivergence; severity = .error
            message = "\(subject): the module cache's zip does not match go.sum"
        }
        return AuditFinding(rule: rule, severity: severity, message: message, modulePath: result.module.path,
                            moduleVersion: result.module.version, file: "go.sum", line: record.line, details: details)
    }

    /// The upstream repository of `path`: an explicit source, else a clone or bundle under a
    /// git root at the module path or at one of its parents (the module then lives in the
    /// remaining subdirectory).
    static func gitSource(for path: ByteString, options: Options) -> UpstreamRepository? {
        if let source = options.gitSources[path] { return source }
        guard let text = path.utf8String else { return nil }
        var parts = text.split(separator: "/").map(String.init)
        var subdir: [String] = []
        while !parts.isEmpty {
            let prefix = parts.joined(separator: "/")
            for root in options.gitRoots {
                let base = URL(fileURLWithPath: root).appendingPathComponent(prefix).path
                if directoryExists(base),
                   FileManager.default.fileExists(atPath: base + "/.git") || FileManager.default.fileExists(atPath: base + "/HEAD") {
                    return UpstreamRepository(repository: base, subdir: subdir.reversed().joined(separator: "/"))
                }
                if FileManager.default.fileExists(atPath: base + ".bundle") {
                    return UpstreamRepository(repository: base + ".bundle", subdir: subdir.reversed().joined(separator: "/"))
                }
            }
            subdir.append(parts.removeLast())
        }
        return nil
    }
}

/// Text of untrusted bytes for messages: Go's quoting when not plain printable ASCII.
private func safe(_ b: ByteString) -> String {
    if b.bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return String(decoding: b.bytes, as: UTF8.self) }
    return b.description
}

/// `1 module`, `2 modules`.
func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
