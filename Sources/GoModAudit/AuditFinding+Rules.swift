public import GoModCore

// The rules of `AuditFinding.Rule` this release knows, one static member each, in the order of
// `AuditFinding.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == AuditFinding {
    /// go.mod or go.work does not parse.
    public static var goModInvalid: Self { Self("GMK001-gomod-invalid") }
    /// A go.sum line is malformed, duplicated or conflicting.
    public static var goSumInvalid: Self { Self("GMK002-gosum-invalid") }
    /// A module path imitates a well-known module.
    public static var typosquat: Self { Self("GMK003-typosquat") }
    /// The checksum database records another hash for a go.sum line.
    public static var checksumMismatch: Self { Self("GMK004-sumdb-mismatch") }
    /// The checksum database has no record of a go.sum line's module version.
    public static var checksumMissing: Self { Self("GMK005-sumdb-missing") }
    /// A go.sum line could not be checked against the checksum database.
    public static var checksumUnverified: Self { Self("GMK006-sumdb-unverified") }
    /// A module in the module cache does not match its go.sum line or its `.ziphash`.
    public static var moduleCacheMismatch: Self { Self("GMK007-modcache-mismatch") }
    /// A vendored file or vendor/modules.txt does not match the module or go.mod.
    public static var vendorMismatch: Self { Self("GMK008-vendor-mismatch") }
    /// The mirror's zip differs from what the git tag holds today, in a suspicious way.
    public static var tagDivergence: Self { Self("GMK009-tag-divergence") }
    /// The git tag moved since the mirror cached the module, in ways that look harmless.
    public static var tagMoved: Self { Self("GMK010-tag-moved") }
    /// A check could not run at all (missing cache, unreachable database...).
    public static var checkFailed: Self { Self("GMK011-check-failed") }
    /// The checksum database's answer failed verification (a fork, a bad signature, a record
    /// or tile that does not authenticate).
    public static var checksumDatabaseMisbehaved: Self { Self("GMK019-sumdb-misbehaved") }
    /// A module version (or the Go standard library) is affected by a published vulnerability.
    public static var knownVulnerability: Self { Self("GMK012-known-vulnerability") }
    /// A module is listed as malicious by an advisory database (an OSV `MAL-` record).
    public static var maliciousModule: Self { Self("GMK013-malicious-module") }
    /// A dependency's version changed against a base go.sum and its packages gained
    /// capabilities (Capslock's names, import level).
    public static var capabilityGained: Self { Self("GMK014-capability-gained") }
    /// Policy: a module matches a `deny` glob (and no `allow` glob).
    public static var policyDeniedModule: Self { Self("GMK015-policy-denied-module") }
    /// Policy: `requireChecksumDatabase`, and a go.sum line was not checked against it.
    public static var policyChecksumDatabase: Self { Self("GMK016-policy-checksum-database") }
    /// Policy: a dependency update gains a capability listed in `forbidCapabilities`.
    public static var policyForbiddenCapability: Self { Self("GMK017-policy-forbidden-capability") }
    /// Policy: a module version was first seen by the module index less than
    /// `minReleaseAge` days ago.
    public static var policyReleaseAge: Self { Self("GMK018-policy-release-age") }
    /// Policy: `requireOrigin`, and a module's origin verdict (the proxy's recorded Origin
    /// against the repository's refs now) is not consistent, or could not be reached.
    public static var policyOrigin: Self { Self("GMK020-policy-require-origin") }

    public var title: String {
        switch self {
        case .goModInvalid: "go.mod does not parse"
        case .goSumInvalid: "malformed or conflicting go.sum line"
        case .typosquat: "module path imitates a well-known module"
        case .checksumMismatch: "go.sum hash differs from the checksum database"
        case .checksumMissing: "module version unknown to the checksum database"
        case .checksumUnverified: "go.sum line could not be verified"
        case .moduleCacheMismatch: "module cache does not match go.sum"
        case .vendorMismatch: "vendor tree does not match the module"
        case .tagDivergence: "mirror zip diverges from the git tag"
        case .tagMoved: "git tag moved after the mirror cached the module"
        case .checkFailed: "a check could not run"
        case .checksumDatabaseMisbehaved: "the checksum database's answer failed verification"
        case .knownVulnerability: "module version has a known vulnerability"
        case .maliciousModule: "module is known to be malicious"
        case .capabilityGained: "dependency update gains capabilities"
        case .policyDeniedModule: "module denied by policy"
        case .policyChecksumDatabase: "go.sum line not checked against the checksum database, which policy requires"
        case .policyForbiddenCapability: "dependency update gains a capability policy forbids"
        case .policyReleaseAge: "module version younger than the policy's minimum release age"
        case .policyOrigin: "module origin not consistent with its repository, which policy requires"
        default: rawValue
        }
    }

    /// What the rule means and what to do, for SARIF `help`.
    public var help: String {
        switch self {
        case .goModInvalid:
            "The go command refuses this go.mod or go.work; fix the reported line."
        case .goSumInvalid:
            "A go.sum line is malformed, or one module version has two different hashes. Remove the bad lines and run `go mod tidy`."
        case .typosquat:
            "The module path looks like a well-known module under another owner or with a small spelling change. Check that you meant to depend on it; typosquatted modules have carried backdoors (github.com/boltdb-go/bolt)."
        case .checksumMismatch:
            "The checksum database (sum.golang.org) records a different hash for this module version than go.sum does: the go.sum line or the module you downloaded is not what everybody else gets."
        case .checksumMissing:
            "The checksum database has no record of this module version, so nobody else can confirm its hash."
        case .checksumUnverified:
            "The go.sum line could not be checked against the checksum database (network, proof or cache failure). It is neither confirmed nor refuted."
        case .moduleCacheMismatch:
            "A file in the module cache has been changed since it was downloaded, or its zip or .ziphash does not match go.sum. Delete the module from the cache and download it again."
        case .vendorMismatch:
            "A file under vendor/ differs from the module go.sum names, or vendor/modules.txt disagrees with go.mod. Run `go mod vendor` and review the diff."
        case .tagDivergence:
            "The module zip the mirror serves differs from the code at the git tag today, and the difference touches code that runs (new imports, init functions, binaries). This is how the boltdb-go/bolt backdoor hid for three years."
        case .tagMoved:
            "The git tag now points to another commit than the one the mirror cached, but the differences look harmless. Review them anyway."
        case .checkFailed:
            "A check could not run, so the audit is incomplete."
        case .checksumDatabaseMisbehaved:
            "The checksum database (or a proxy in front of it) sent an answer that does not verify: a tree inconsistent with one seen before (a fork), a bad signature, or a record or tile that does not authenticate. Keep the evidence and report it; do not trust modules verified only by this server."
        case .knownVulnerability:
            "An advisory in the Go vulnerability database (or another OSV source) affects this module version. Upgrade to the fixed version it names, or check with govulncheck whether your code reaches the affected symbols."
        case .policyDeniedModule:
            "The project's policy (gomodkit-audit.json `deny`, with `allow` exceptions) forbids this module path. Remove the dependency or change the policy."
        case .policyChecksumDatabase:
            "The project's policy (`requireChecksumDatabase`) requires every go.sum line to be confirmed by the checksum database; this one was not (GOSUMDB=off, GONOSUMDB/GOPRIVATE, or no database configured)."
        case .policyReleaseAge:
            "The module index (index.golang.org) first saw this version less than `minReleaseAge` days ago. New versions are where hijacked accounts and malicious releases show up; wait until the age is reached. The time is the mirror's first-seen time, not the commit time in .info, which the author controls."
        case .policyOrigin:
            "The project's policy (`requireOrigin`) requires every module's origin to be consistent: the commit the module proxy recorded for the version (its .info Origin) is what the repository's tag points to now. This one's tag moved or was deleted, the proxy recorded no origin, the repository could not be reached, or the check did not run. Find out why before trusting the module (Docs/origin.md)."
        case .policyForbiddenCapability:
            "The project's policy (`forbidCapabilities`) forbids dependency updates that gain this capability. Review the new code; if it is legitimate, change the policy in the same pull request so the exception is visible."
        case .capabilityGained:
            "A dependency's new version can do things its old version could not (network, exec, files, unsafe, cgo, …), judged from its packages' imports with Capslock's capability names. Review the new code before merging the update; a backdoor usually arrives as a new import in an init function."
        case .maliciousModule:
            "An advisory database lists this module as malicious (for example ossf/malicious-packages' MAL- records). Remove the dependency, and treat machines that built or ran it as compromised."
        default:
            ""
        }
    }

    /// The default severity of findings under this rule.
    public var defaultSeverity: AuditFinding.Severity {
        switch self {
        case .tagMoved: .warning
        case .checksumUnverified, .checkFailed: .warning
        default: .error
        }
    }
}
