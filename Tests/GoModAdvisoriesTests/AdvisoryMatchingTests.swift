import Foundation
import GoModAdvisories
import GoModCore
import GoModTestSupport
import GoSumDB
import Testing

/// Range semantics (golang/vuln `internal/semver/affects.go`; Docs/advisories.md, "Matching") on the shared fixture
/// records, read at test time from ../shared/fixtures/advisories.
@Suite struct AdvisoryMatchingTests {
    static func fixtures() throws -> URL {
        try GoReference.requireShared().appendingPathComponent("fixtures/advisories")
    }

    static func record(_ id: String) throws -> OSVRecord {
        let url = try fixtures().appendingPathComponent("vulndb/ID/\(id).json")
        return try OSVRecord.parse(Array(try Data(contentsOf: url)), origin: url.path)
    }

    // The worked results of the fixture README (golang/vuln internal/semver's range rules).
    @Test func logrusThreeIntervals() throws {
        let r = try Self.record("GO-2025-4188")
        for v in ["v1.8.2", "v1.9.0", "v1.9.2", "v1.9.3-0.20250101000000-abcdefabcdef"] {
            #expect(r.affects(module: "github.com/sirupsen/logrus", version: v), "\(v)")
        }
        for v in ["v1.8.3", "v1.9.1", "v1.9.3", "v1.9.4"] {
            #expect(!r.affects(module: "github.com/sirupsen/logrus", version: v), "\(v)")
        }
        // Another module is never affected by it.
        #expect(!r.affects(module: "github.com/Sirupsen/logrus", version: "v1.8.2"))
        #expect(r.aliases == ["CVE-2025-65637", "GHSA-4f99-4q7p-p3gh"])
        #expect(r.reviewStatus == "REVIEWED")
    }

    @Test func stdlibGoReleaseTags() throws {
        let r = try Self.record("GO-2026-4970")
        for tag in ["go1.25.11", "go1.26.0", "go1.26.4", "go1.27rc1"] {
            let v = try #require(AdvisoryVersion.goTagToSemver(tag))
            #expect(r.affects(module: "stdlib", version: v), "\(tag)")
        }
        for tag in ["go1.25.12", "go1.26.5", "go1.27rc2", "go1.27.0"] {
            let v = try #require(AdvisoryVersion.goTagToSemver(tag))
            #expect(!r.affects(module: "stdlib", version: v), "\(tag)")
        }
    }

    @Test func maliciousModuleEveryVersionAndWithdrawnNever() throws {
        let bolt = try Self.record("GO-2025-3451")
        for v in ["v0.0.0", "v1.3.1", "v1.3.1-0.20200101000000-abcdefabcdef", "v2.0.0+incompatible", "v99.1.0-rc.1"] {
            #expect(bolt.affects(module: "github.com/boltdb-go/bolt", version: v), "\(v)")
        }
        #expect(bolt.fixedVersion(module: "github.com/boltdb-go/bolt", version: "v1.3.1") == nil)
        let withdrawn = try Self.record("GO-2022-0617")
        #expect(withdrawn.isWithdrawn)
        for v in ["v0.0.0", "v1.18.0", "v1.30.0"] {
            #expect(!withdrawn.affects(module: "k8s.io/kubernetes", version: v), "\(v)")
        }
    }

    // Versions exactly at `introduced` are affected, exactly at `fixed` are not.
    @Test func boundaries() throws {
        let r = try Self.record("GO-2025-4188")
        #expect(r.affects(module: "github.com/sirupsen/logrus", version: "v1.9.0"))   // introduced
        #expect(r.affects(module: "github.com/sirupsen/logrus", version: "v1.9.2"))   // introduced
        #expect(!r.affects(module: "github.com/sirupsen/logrus", version: "v1.9.1"))  // fixed
        #expect(!r.affects(module: "github.com/sirupsen/logrus", version: "v1.8.3"))  // fixed
        // introduced "1.26.0-0" covers every pre-release of 1.26.0; exactly at it too.
        let std = try Self.record("GO-2026-4970")
        #expect(std.affects(module: "stdlib", version: "v1.26.0-0"))
        #expect(std.affects(module: "stdlib", version: "v1.26.0-beta.1"))
        #expect(!std.affects(module: "stdlib", version: "v1.25.12"))
        // fixed "1.27.0-rc.2": rc.1 affected, rc.2 not.
        #expect(std.affects(module: "stdlib", version: "v1.27.0-rc.1"))
        #expect(!std.affects(module: "stdlib", version: "v1.27.0-rc.2"))
    }

    // Lowest fixed version not itself affected (golang/vuln vulncheck.FixedVersion).
    @Test func fixedVersions() throws {
        let r = try Self.record("GO-2025-4188")
        #expect(r.fixedVersion(module: "github.com/sirupsen/logrus", version: "v1.8.2") == "v1.8.3")
        #expect(r.fixedVersion(module: "github.com/sirupsen/logrus", version: "v1.9.0") == "v1.9.1")
        #expect(r.fixedVersion(module: "github.com/sirupsen/logrus", version: "v1.9.2") == "v1.9.3")
        let std = try Self.record("GO-2026-4970")
        let v = try #require(AdvisoryVersion.goTagToSemver("go1.26.4"))
        #expect(std.fixedVersion(module: "stdlib", version: v) == "v1.26.5")
        #expect(VulnerabilityScan.semverToGoTag("v1.26.5") == "go1.26.5")
        #expect(VulnerabilityScan.semverToGoTag("v1.27.0-rc.2") == "go1.27-rc2")
    }

    // GoTagToSemver: golang/vuln internal/semver semver.go and semver_test.go.
    @Test func goTags() {
        let cases: [(String, String?)] = [
            ("go1.21.0", "v1.21.0"), ("go1.20", "v1.20.0"), ("go1.20rc1", "v1.20.0-rc.1"),
            ("go1.19beta1", "v1.19.0-beta.1"), ("go1", "v1.0.0"), ("go1.19", "v1.19.0"),
            ("go1.20-pre4", "v1.20.0-pre.4"), ("go1.22.3 linux/amd64", "v1.22.3"),
            ("go1.0", nil), ("1.21", nil), ("", nil), ("go", nil), ("go1.x", nil), ("go2", nil),
            ("go1.21.0-bigcorp", nil), ("go1.21rc", nil),
        ]
        for (tag, want) in cases { #expect(AdvisoryVersion.goTagToSemver(tag) == want, "\(tag)") }
        // SemverToGoTag: golang/vuln semver_test.go's table.
        let back: [(String, String)] = [
            ("v1.19.0", "go1.19"), ("v1.20.0-pre.4", "go1.20-pre4"), ("v1.0.0", "go1"),
            ("v1.20.0-rc.1", "go1.20-rc1"), ("v1.20.0-beta.1", "go1.20-beta1"), ("v1.20.0-alpha.1", "go1.20-alpha1"),
            ("v1.20.0-alpha.1+incompatible", "go1.20-alpha1"),
            ("v1.20.0-alpha.1-0.20220101230456-1234abcd", "go1.20-alpha.1-0.20220101230456-1234abcd"),
            ("v1.21.0", "go1.21.0"), ("v1.26.5", "go1.26.5"),
        ]
        for (v, want) in back { #expect(AdvisoryVersion.semverToGoTag(v) == want, "\(v)") }
    }

    // golang/vuln internal/semver affects_test.go's cases.
    @Test func govulncheckAffectsTable() {
        typealias E = OSVRecord.Event
        func affects(_ ranges: [OSVRecord.Range], _ v: String) -> Bool {
            OSVRecord.Affected(package: .init(ecosystem: "Go", name: "m"), ranges: ranges).affects(v)
        }
        func semver(_ events: [E]) -> OSVRecord.Range { OSVRecord.Range(type: "SEMVER", events: events) }
        #expect(affects([], "v0.0.0"))
        #expect(affects([semver([])], "v0.0.0"))
        #expect(affects([semver([E(introduced: "0")])], "v0.0.0"))
        #expect(affects([semver([E(introduced: "0"), E(fixed: "2.0.0")])], "v1.0.0"))
        #expect(affects([semver([E(introduced: "0.0.1")])], "v1.0.0"))
        #expect(affects([semver([E(introduced: "1.0.0")])], "v1.0.0"))
        #expect(affects([semver([E(introduced: "1.0.0"), E(fixed: "2.0.0")])], "v1.0.0"))
        #expect(affects([semver([E(introduced: "0.0.1"), E(fixed: "2.0.0")])], "v1.0.0"))
        #expect(!affects([semver([E(introduced: "1.0.0"), E(fixed: "2.0.0")])], "v3.0.0"))
        #expect(affects([semver([E(introduced: "1.0.0"), E(fixed: "2.0.0"), E(introduced: "3.0.0")])], "v3.0.0"))
        #expect(!affects([semver([E(introduced: "0"), E(fixed: "1.18.6"), E(introduced: "1.19.0"), E(fixed: "1.19.1")])], "v1.18.6"))
        #expect(affects([semver([E(introduced: "0"), E(introduced: "1.19.0"), E(fixed: "1.19.1")])], "v1.18.6"))
        #expect(affects([semver([E(introduced: "1.19.0"), E(fixed: "1.19.1"), E(introduced: "0"), E(fixed: "1.18.6")])], "v1.18.1"))
        #expect(affects([OSVRecord.Range(type: "unspecified", events: [E(introduced: "3.0.0")])], "v3.0.0"))
        #expect(!affects([OSVRecord.Range(type: "unspecified", events: [E(introduced: "3.0.0")]), semver([E(introduced: "4.0.0")])], "v3.0.0"))
        #expect(affects([OSVRecord.Range(type: "unspecified", events: [E(introduced: "3.0.0")]), semver([E(introduced: "3.0.0")])], "v3.0.0"))
        #expect(affects([semver([E(introduced: "3.0.0")])], "go3.0.1"))
    }

    // golang/vuln internal/vulncheck utils_test.go TestFixedVersion's cases.
    @Test func govulncheckFixedVersionTable() {
        typealias E = OSVRecord.Event
        func entry(_ module: String, type: String, _ events: [E]) -> OSVRecord.Affected {
            OSVRecord.Affected(package: .init(ecosystem: "Go", name: module), ranges: [OSVRecord.Range(type: type, events: events)])
        }
        func entry(_ module: String, _ events: [E]) -> OSVRecord.Affected { entry(module, type: "SEMVER", events) }
        func fixed(_ module: String, _ version: String, _ affected: [OSVRecord.Affected]) -> String? {
            var r = OSVRecord(id: "T-1")
            r.affected = affected
            return r.fixedVersion(module: module, version: version)
        }
        let m = "example.com/module"
        #expect(fixed("", "", []) == nil)
        #expect(fixed(m, "v1.2.0", [entry(m, type: "unspecified", [E(introduced: "v1.0.0"), E(fixed: "v1.2.3")])]) == nil)
        #expect(fixed(m, "v1.0.1", [entry(m, [E(introduced: "v1.0.0"), E(fixed: "v1.2.3")])]) == "v1.2.3")
        #expect(fixed(m, "v1.2.0", [
            entry(m, [E(introduced: "v1.0.0"), E(fixed: "v1.2.3"), E(introduced: "v1.5.0"), E(fixed: "v1.5.6")]),
            entry(m, [E(introduced: "v1.3.0"), E(fixed: "v1.4.1")]),
            entry("example.com/anothermodule", [E(introduced: "0"), E(fixed: "v1.6.0")]),
        ]) == "v1.2.3")
        #expect(fixed(m, "1.18.1", [entry(m, [E(fixed: "1.17.2")]), entry(m, [E(introduced: "1.18.0"), E(fixed: "1.18.4")])]) == "v1.18.4")
        #expect(fixed(m, "", [
            entry(m, [E(introduced: "v1.0.0"), E(fixed: "v1.2.3"), E(introduced: "v1.5.0")]),
            entry(m, [E(introduced: "v1.2.0"), E(fixed: "v1.4.1")]),
        ]) == "v1.4.1")
    }

    // Constructed records: several ranges, versions lists, non-SEMVER ranges, last_affected.
    @Test func constructedRanges() throws {
        func rec(_ json: String) throws -> OSVRecord { try OSVRecord.parse(Array(json.utf8), origin: "test") }
        let two = try rec("""
            {"id":"X-1","affected":[{"package":{"ecosystem":"Go","name":"m"},"ranges":[
             {"type":"SEMVER","events":[{"introduced":"1.0.0"},{"fixed":"1.2.0"}]},
             {"type":"SEMVER","events":[{"fixed":"2.1.0"},{"introduced":"2.0.0"}]}]}]}
            """)
        for v in ["v1.0.0", "v1.1.9", "v2.0.0", "v2.0.5"] { #expect(two.affects(module: "m", version: v), "\(v)") }
        for v in ["v0.9.0", "v1.2.0", "v1.9.0", "v2.1.0", "v2.0.0-rc.1"] { #expect(!two.affects(module: "m", version: v), "\(v)") }
        #expect(two.fixedVersion(module: "m", version: "v1.0.0") == "v1.2.0")
        #expect(two.fixedVersion(module: "m", version: "v2.0.0") == "v2.1.0")
        // A `fixed` that a later `introduced` re-affects is not a valid fix.
        let reintro = try rec("""
            {"id":"X-2","affected":[{"package":{"ecosystem":"Go","name":"m"},"ranges":[
             {"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.1.0"},{"introduced":"1.1.0"},{"fixed":"1.3.0"}]}]}]}
            """)
        #expect(reintro.affects(module: "m", version: "v1.1.0"))
        #expect(reintro.fixedVersion(module: "m", version: "v1.0.0") == "v1.3.0")
        let lastAffected = try rec("""
            {"id":"X-3","affected":[{"package":{"ecosystem":"Go","name":"m"},"ranges":[
             {"type":"SEMVER","events":[{"introduced":"0"},{"last_affected":"1.4.0"}]}]}]}
            """)
        #expect(lastAffected.affects(module: "m", version: "v1.4.0"))
        #expect(!lastAffected.affects(module: "m", version: "v1.4.1"))
        let listed = try rec("""
            {"id":"X-4","affected":[{"package":{"ecosystem":"Go","name":"m"},"versions":["v1.0.1","1.0.3"]}]}
            """)
        #expect(listed.affects(module: "m", version: "v1.0.1"))
        #expect(listed.affects(module: "m", version: "v1.0.3"))
        #expect(!listed.affects(module: "m", version: "v1.0.2"))
        let git = try rec("""
            {"id":"X-5","affected":[{"package":{"ecosystem":"Go","name":"m"},"ranges":[{"type":"GIT","events":[{"introduced":"abc"}]}]}]}
            """)
        #expect(git.affects(module: "m", version: "v3.0.0"))  // only non-SEMVER ranges: conservative
        let none = try rec(#"{"id":"X-6","affected":[{"package":{"ecosystem":"Go","name":"m"}}]}"#)
        #expect(none.affects(module: "m", version: "v0.1.0"))
        let npm = try rec(#"{"id":"X-7","affected":[{"package":{"ecosystem":"npm","name":"m"}}]}"#)
        #expect(!npm.affects(module: "m", version: "v0.1.0"))
    }

    @Test func malformedRecordsAreTypedErrors() throws {
        func code(_ s: String, limit: Int = OSVRecord.maxSize) -> AdvisoryError.Code? {
            do throws(AdvisoryError) { _ = try OSVRecord.parse(Array(s.utf8), origin: "r.json", limit: limit); return nil } catch { return error.code }
        }
        #expect(code("not json") == .malformedRecord)
        #expect(code("[]") == .malformedRecord)
        #expect(code(#"{"summary":"no id"}"#) == .malformedRecord)
        #expect(code(#"{"id":"../../etc/passwd"}"#) == .malformedRecord)
        #expect(code(#"{"id":"GO-1","affected":[{"package":{"name":"m"}}]}"#) == .malformedRecord)
        #expect(code(#"{"id":"GO-1","affected":"all"}"#) == .malformedRecord)
        #expect(code(String(repeating: "[", count: 100_000)) == .malformedRecord)
        #expect(code(#"{"id":"GO-1","details":"\#(String(repeating: "x", count: 2000))"}"#, limit: 1000) == .oversizedRecord)
        #expect(code(#"{"id":"GO-1","unknown":{"x":[1,2]}}"#) == nil)
    }
}
