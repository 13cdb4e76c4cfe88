import Foundation
import GoModAudit
import GoModCore
import GoModTestSupport
import Testing

/// `AuditFinding.Rule` has the extensible shape of every GoModKit code (``ErrorCode``): the rule
/// ids below are the stable ids written to text, JSON and SARIF reports (the ids of the enum
/// cases the rules used to be), in the order reports list them; a rule added later fails here
/// until it is listed.
@Suite struct AuditRuleTests {
    @Test func everyRuleIsListedWithItsStableID() {
        checkErrorCodes(
            [AuditFinding.Rule.goModInvalid, .goSumInvalid, .typosquat, .checksumMismatch, .checksumMissing, .checksumUnverified, .moduleCacheMismatch, .vendorMismatch, .tagDivergence, .tagMoved, .checkFailed, .checksumDatabaseMisbehaved, .knownVulnerability, .maliciousModule, .capabilityGained, .policyDeniedModule, .policyChecksumDatabase, .policyForbiddenCapability, .policyReleaseAge, .policyOrigin],
            names: ["GMK001-gomod-invalid", "GMK002-gosum-invalid", "GMK003-typosquat", "GMK004-sumdb-mismatch", "GMK005-sumdb-missing", "GMK006-sumdb-unverified", "GMK007-modcache-mismatch", "GMK008-vendor-mismatch", "GMK009-tag-divergence", "GMK010-tag-moved", "GMK011-check-failed", "GMK019-sumdb-misbehaved", "GMK012-known-vulnerability", "GMK013-malicious-module", "GMK014-capability-gained", "GMK015-policy-denied-module", "GMK016-policy-checksum-database", "GMK017-policy-forbidden-capability", "GMK018-policy-release-age", "GMK020-policy-require-origin"])
    }

    @Test func rulesEncodeAsTheirIDsAndUnknownIDsDoNotDecode() throws {
        let data = try JSONEncoder().encode([AuditFinding.Rule.typosquat, .tagDivergence])
        #expect(String(decoding: data, as: UTF8.self) == #"["GMK003-typosquat","GMK009-tag-divergence"]"#)
        #expect(try JSONDecoder().decode([AuditFinding.Rule].self, from: data) == [.typosquat, .tagDivergence])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([AuditFinding.Rule].self, from: Data(#"["GMK999-no-such-rule"]"#.utf8))
        }
    }

    /// A rule added without its words would fall to the `default` of `title` and `help` (the
    /// rule id, an empty help text) and ship an empty SARIF `help`: every rule has its own.
    @Test func everyRuleHasItsOwnTitleAndHelp() {
        for rule in AuditFinding.Rule.allCases {
            #expect(!rule.title.isEmpty && rule.title != rule.rawValue, "\(rule.rawValue)")
            #expect(!rule.help.isEmpty, "\(rule.rawValue)")
        }
    }

    /// Rule ids are matched byte for byte: a spelling Swift's `==` takes as canonically
    /// equivalent (U+212A KELVIN SIGN for `K`) is not a rule, in `init(rawValue:)` or in JSON.
    @Test func ruleIDsMatchByteForByte() {
        #expect(AuditFinding.Rule(rawValue: "GM\u{212A}003-typosquat") == nil)
        #expect(AuditFinding.Rule(rawValue: "GMK003-typosquat") == .typosquat)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([AuditFinding.Rule].self, from: Data("[\"GM\u{212A}003-typosquat\"]".utf8))
        }
    }
}
