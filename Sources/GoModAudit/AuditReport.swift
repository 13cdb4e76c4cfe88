import GoModCore
import GoModPlatform

/// The result of auditing one Go project: every finding, and which checks ran.
public struct AuditReport: Sendable {
    /// One check of the audit and what became of it.
    public struct Check: Sendable, Hashable, Codable {
        /// What became of a check.
        public enum Status: String, Sendable, Hashable, Codable {
            /// The check ran and found nothing.
            case passed
            /// The check ran and found something.
            case failed
            /// The check did not run (nothing to check, or not asked for); ``summary`` says why.
            case skipped
            /// The deadline passed before the check finished: what it did check found nothing,
            /// the rest is listed in ``AuditReport/notVerified``.
            case incomplete
        }

        /// The check's name, e.g. `typosquat`, `sumdb`, `modcache`, `vendor`, `divergence`.
        public var name: String
        /// What became of it.
        public var status: Status
        /// One line: what was checked, or why it was skipped.
        public var summary: String

        /// A check result.
        public init(name: String, status: Status, summary: String) {
            self.name = name
            self.status = status
            self.summary = summary
        }
    }

    /// The audited directory.
    public var directory: String
    /// The checks, in the order they ran.
    public var checks: [Check]
    /// Every finding, in the order found.
    public var findings: [AuditFinding]
    /// What was not checked because the deadline passed (one line each, e.g.
    /// `go.sum:12: example.com/m v1.0.0: not verified against sum.golang.org: deadline exceeded`):
    /// neither verified nor refused.
    public var notVerified: [String] = []

    /// A report.
    public init(directory: String, checks: [Check] = [], findings: [AuditFinding] = []) {
        self.directory = directory
        self.checks = checks
        self.findings = findings
    }

    /// Whether the audit failed: any finding of warning or error severity.
    public var failed: Bool { findings.contains { $0.severity >= .warning } }

    /// The number of findings per severity.
    public var counts: [AuditFinding.Severity: Int] {
        var counts: [AuditFinding.Severity: Int] = [:]
        for finding in findings { counts[finding.severity, default: 0] += 1 }
        return counts
    }

    /// The report as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the format
    /// code-scanning UIs import: one run of the tool `gomodkit`, every rule described once, one
    /// result per finding located at its file and line (go.mod when the finding has no file).
    ///
    /// - Parameter toolVersion: the version string reported for the tool.
    public func sarif(toolVersion: String = GoModKitVersion.current) -> [UInt8] {
        let rules = AuditFinding.Rule.allCases
        let log = SARIF.Log(runs: [SARIF.Run(
            tool: SARIF.Tool(driver: SARIF.Driver(
                name: "gomodkit", version: toolVersion,
                rules: rules.map { rule in
                    SARIF.Rule(id: rule.rawValue, name: rule.sarifName,
                               shortDescription: SARIF.Message(text: rule.title),
                               fullDescription: SARIF.Message(text: rule.help),
                               help: SARIF.Message(text: rule.help),
                               defaultConfiguration: SARIF.Configuration(level: rule.defaultSeverity.rawValue))
                })),
            results: findings.map { finding in
                var text = finding.message
                if !finding.details.isEmpty { text += "\n" + finding.details.joined(separator: "\n") }
                let region = finding.line.map { SARIF.Region(startLine: max(1, $0)) }
                let location = SARIF.Location(physicalLocation: SARIF.PhysicalLocation(
                    artifactLocation: SARIF.ArtifactLocation(uri: sarifURI(finding.file ?? "go.mod"),
                                                             uriBaseId: "%SRCROOT%"),
                    region: region))
                var properties: [String: String] = [:]
                if let path = finding.modulePath { properties["module"] = String(decoding: path.bytes, as: UTF8.self) }
                if let version = finding.moduleVersion { properties["version"] = String(decoding: version.bytes, as: UTF8.self) }
                return SARIF.Result(ruleId: finding.rule.rawValue,
                                    ruleIndex: rules.firstIndex(of: finding.rule) ?? 0,
                                    level: finding.severity.rawValue,
                                    message: SARIF.Message(text: text),
                                    locations: [location],
                                    properties: properties.isEmpty ? nil : properties)
            },
            originalUriBaseIds: ["%SRCROOT%": SARIF.ArtifactLocation(
                uri: URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL.absoluteString,
                uriBaseId: nil)]
        )])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(log))) ?? []
    }
}

/// The library's version, reported by the CLI and in SARIF output.
public enum GoModKitVersion {
    /// The version of this GoModKit.
    public static let current = "0.1.0"
}

extension AuditFinding.Rule {
    /// The rule's name in UpperCamelCase, as SARIF `name` conventionally is.
    var sarifName: String {
        let words = rawValue.split(separator: "-").dropFirst()
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// A relative path or URL with spaces and other reserved characters percent-encoded (SARIF
/// `uri` values are URI references).
private func sarifURI(_ path: String) -> String {
    // Foundation's `CharacterSet.urlPathAllowed` (which has `:`): RFC 3986 `pchar` and `/`, less `;`.
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$&'()*+,-./:=@_~".utf8)
    return percentEncoded(path, keeping: allowed.contains)
}

/// The subset of the SARIF 2.1.0 object model that the audit report uses.
enum SARIF {
    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
        var originalUriBaseIds: [String: ArtifactLocation]
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name: String
        var version: String
        var rules: [Rule]
    }

    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Message
        var defaultConfiguration: Configuration
    }

    struct Configuration: Encodable { var level: String }

    struct Message: Encodable { var text: String }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]
        var properties: [String: String]?
    }

    struct Location: Encodable { var physicalLocation: PhysicalLocation }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId: String?
    }

    struct Region: Encodable { var startLine: Int }
}
