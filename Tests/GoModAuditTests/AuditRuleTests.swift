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
}
