import GoModCore
public import GoSumDB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
        /// Capability names (Capslock's, e.g. `NETWORK`, `EXEC`; `init` for a new init
        /// function) that a dependency update must not gain (checked with `--base`).
        public var forbidCapabilities: [String] = []

        /// Versions first seen by the module index less than this many days ago fail.
        public var minReleaseAgeDays: Int?
        /// The module index (its feed is `<index>/index`).
        public var moduleIndex = "https://index.golang.org"
        /// The transport for the index feed; `nil` (offline) fails the gate closed.
        public var indexTransport: (any HTTPTransport)?
        /// "Now" in seconds since 1970 (tests); `nil` is the clock.
        public var now: Double?

        /// Equal settings (the transport is not compared).
        public static func == (a: Policy, b: Policy) -> Bool {
            a.deny == b.deny && a.allow == b.allow && a.requireChecksumDatabase == b.requireChecksumDatabase
                && a.forbidCapabilities == b.forbidCapabilities && a.minReleaseAgeDays == b.minReleaseAgeDays
                && a.moduleIndex == b.moduleIndex && a.now == b.now
        }

        /// Hashes the settings.
        public func hash(into h: inout Hasher) {
            h.combine(deny); h.combine(allow); h.combine(requireChecksumDatabase); h.combine(forbidCapabilities)
            h.combine(minReleaseAgeDays); h.combine(moduleIndex)
        }

        /// No gate.
        public init() {}
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

    /// The release-age gate: every module version of go.sum first seen by the module index
    /// within the last ``Policy/minReleaseAgeDays`` days fails. One bounded read of the feed
    /// since now − N (``ModuleIndexFeed``); a version not in it was first seen earlier. An
    /// unreadable feed fails the gate closed.
    static func releaseAge(goSum: GoSum?, options: Options, into report: inout AuditReport) async {
        let policy = options.policy
        guard let days = policy.minReleaseAgeDays else { return }
        guard let goSum else {
            report.checks.append(.init(name: "age", status: .skipped, summary: "no go.sum"))
            return
        }
        let now = policy.now ?? Date().timeIntervalSince1970
        let since = now - Double(days) * 86400
        guard let transport = policy.indexTransport, let index = URL(string: policy.moduleIndex) else {
            report.findings.append(AuditFinding(rule: .policyReleaseAge, message: "minReleaseAge \(days)d: the module index \(policy.moduleIndex) cannot be read offline; every version fails closed", file: "go.sum"))
            report.checks.append(.init(name: "age", status: .failed, summary: "module index not readable (offline)"))
            return
        }
        let seen: [ModuleVersion: Double]
        do throws(ModuleIndexFeed.Error) {
            seen = try await ModuleIndexFeed.firstSeen(index: index, since: since, transport: transport)
        } catch {
            report.findings.append(AuditFinding(rule: .policyReleaseAge, message: "minReleaseAge \(days)d: \(error.description); every version fails closed", file: "go.sum"))
            report.checks.append(.init(name: "age", status: .failed, summary: "module index feed not readable"))
            return
        }
        var young = 0, checked = 0
        for r in goSum.records where !r.isGoMod {
            checked += 1
            guard let first = seen[r.key], first >= since else { continue }
            young += 1
            let age = (now - first) / 86400
            report.findings.append(AuditFinding(
                rule: .policyReleaseAge,
                message: "\(r.key): first seen by the module index at \(ModuleIndexFeed.formatRFC3339(first)), \(Int(age)) day\(Int(age) == 1 ? "" : "s") ago; policy minReleaseAge is \(days) days",
                modulePath: r.path, moduleVersion: r.version, file: "go.sum", line: r.line))
        }
        report.checks.append(.init(name: "age", status: young == 0 ? .passed : .failed,
                                   summary: "\(checked) module versions against the index feed since \(ModuleIndexFeed.formatRFC3339(since)) (\(seen.count) entries): \(young) younger than \(days) days"))
    }
}
