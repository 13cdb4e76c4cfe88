public import GoModCore
/// One problem a project audit found.
///
/// A finding names the rule it broke, how serious it is, the module version concerned and,
/// where there is one, the file and line to look at (go.mod, go.sum, vendor/modules.txt or a
/// file in a module), so that text, JSON and SARIF reports can all point at it.
public struct AuditFinding: ErrorCodeDomain, Sendable, Hashable {
    /// The rule a finding breaks (`ErrorCode`'s extensible shape: a `switch` over rules needs a
    /// `default`, so a later release can add rules). The raw value is the stable rule id used in
    /// JSON and SARIF, such as `GMK003-typosquat`.
    public typealias Rule = ErrorCode<AuditFinding>

    /// The rule ids this release knows, in the order reports list them.
    public static let codeNames = [
        "GMK001-gomod-invalid",
        "GMK002-gosum-invalid",
        "GMK003-typosquat",
        "GMK004-sumdb-mismatch",
        "GMK005-sumdb-missing",
        "GMK006-sumdb-unverified",
        "GMK007-modcache-mismatch",
        "GMK008-vendor-mismatch",
        "GMK009-tag-divergence",
        "GMK010-tag-moved",
        "GMK011-check-failed",
        "GMK019-sumdb-misbehaved",
        "GMK012-known-vulnerability",
        "GMK013-malicious-module",
        "GMK014-capability-gained",
        "GMK015-policy-denied-module",
        "GMK016-policy-checksum-database",
        "GMK017-policy-forbidden-capability",
        "GMK018-policy-release-age",
        "GMK020-policy-require-origin",
    ]

    /// How serious a finding is (SARIF levels).
    public enum Severity: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
        /// Informational.
        case note
        /// Worth a look; does not prove anything is wrong.
        case warning
        /// A verification failed.
        case error

        /// `note < warning < error`.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.note, .warning, .error]
            return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
        }
    }

    /// The broken rule.
    public var rule: Rule
    /// How serious it is.
    public var severity: Severity
    /// One line for people, naming the module and what is wrong.
    public var message: String
    /// The module path concerned, when there is one.
    public var modulePath: ByteString?
    /// The module version concerned, when there is one.
    public var moduleVersion: ByteString?
    /// The file to look at, relative to the audited directory where possible.
    public var file: String?
    /// The 1-based line in ``file``, when known.
    public var line: Int?
    /// Further lines of explanation (a diff summary, the database's hash, ...).
    public var details: [String]

    /// A finding; `severity` defaults to the rule's.
    public init(rule: Rule, severity: Severity? = nil, message: String, modulePath: ByteString? = nil,
                moduleVersion: ByteString? = nil, file: String? = nil, line: Int? = nil, details: [String] = []) {
        self.rule = rule
        self.severity = severity ?? rule.defaultSeverity
        self.message = message
        self.modulePath = modulePath
        self.moduleVersion = moduleVersion
        self.file = file
        self.line = line
        self.details = details
    }
}
