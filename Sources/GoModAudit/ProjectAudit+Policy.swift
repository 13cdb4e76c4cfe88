public import GoModCore

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
}
