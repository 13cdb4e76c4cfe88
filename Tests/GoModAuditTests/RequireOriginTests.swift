import Foundation
import Testing
import GoModCore
import GoModFetch
import GoModNet
import GoModOrigin
import GoModAudit
import GoModTestSupport

/// The `requireOrigin` gate (GMK020) through the audit's origin check, against a scratch
/// repository published as github.com/example/repo (`url.<dir>.insteadOf`), whose module cache
/// was filled by the real go 1.27.3 with `GOPROXY=direct` (so the `.info` Origin and the go.sum
/// hashes are cmd/go's own). Nothing reaches the network.
@Suite("requireOrigin (real go 1.27.3, GOPROXY=direct, as the oracle)", .serialized)
struct RequireOriginTests {
    struct Project {
        let fixture: OriginFixture
        let directory: String
        let published: String
        let moved: String
    }

    /// v1.0.0 and v1.1.0 cached by go; then v1.1.0 is force-moved to another commit.
    static func project() throws -> Project {
        let f = try OriginFixture()
        try f.repo.write("go.mod", "module github.com/example/repo\n\ngo 1.19\n")
        try f.repo.write("repo.go", "package repo\n")
        try f.repo.commit("one")
        try f.repo.git(["tag", "v1.0.0"])
        try f.repo.write("more.go", "package repo\n\nfunc More() {}\n")
        let published = try f.repo.commit("two")
        try f.repo.git(["tag", "v1.1.0"])
        let sums = try f.goDownload(["github.com/example/repo@v1.0.0", "github.com/example/repo@v1.1.0"])
        let v100 = try #require(sums["github.com/example/repo@v1.0.0"])
        let v110 = try #require(sums["github.com/example/repo@v1.1.0"])
        #expect(v100.hasPrefix("h1:") && v110.hasPrefix("h1:"), "\(sums)")
        let directory = f.sandbox.sub("project")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data("module example.com/app\n\ngo 1.19\n\nrequire github.com/example/repo v1.1.0\n".utf8)
            .write(to: URL(fileURLWithPath: directory + "/go.mod"))
        try Data("github.com/example/repo v1.0.0 \(v100)\ngithub.com/example/repo v1.1.0 \(v110)\n".utf8)
            .write(to: URL(fileURLWithPath: directory + "/go.sum"))
        // Upstream after the mirror cached it: the v1.1.0 tag now names another commit.
        try f.repo.write("more.go", "package repo\n\nfunc More() { println(\"moved\") }\n")
        let moved = try f.repo.commit("three")
        try f.repo.git(["tag", "-f", "v1.1.0"])
        return Project(fixture: f, directory: directory, published: published, moved: moved)
    }

    static func options(_ p: Project, requireOrigin: Bool = true) throws -> ProjectAudit.Options {
        let git = try p.fixture.gitWrapper()
        var options = ProjectAudit.Options()
        options.moduleCache = ModuleCache(root: p.fixture.modcache)
        options.git = git
        options.policy.requireOrigin = requireOrigin
        options.upstream = ProjectAudit.UpstreamCheck(
            resolver: RepositoryResolver(configuration: .init(govcs: try GoVCSPolicy(govcs: "")),
                                         transport: DefaultHTTPTransport(), ping: { _, _ in false }),
            lister: GitRefLister(git: git),
            rebuilder: UpstreamRebuilder(modcache: p.fixture.sandbox.sub("vcs-cache"), git: git))
        return options
    }

    @Test func aMovedTagFailsTheGateAndAConsistentOriginPasses() async throws {
        let p = try Self.project()
        let report = await ProjectAudit.run(directory: p.directory, options: try Self.options(p))
        let gate = report.findings.filter { $0.rule == .policyOrigin }
        #expect(gate.map(\.message) == [
            "github.com/example/repo@v1.1.0: ref-moved: ref \"refs/tags/v1.1.0\" moved from \(p.published) to \(p.moved); policy requireOrigin requires a consistent origin",
        ], "\(report.findings.map { "\($0.rule.rawValue) \($0.message)" })")
        #expect(gate.first?.file == "go.sum" && gate.first?.line == 2)
        #expect(gate.first?.severity == .error)
        #expect(report.failed)
        #expect(report.checks.first { $0.name == "origin" }?.summary.contains("1 consistent by their refs") == true,
                "\(report.checks)")
        // SARIF names the rule with its own id.
        let sarif = try JSONSerialization.jsonObject(with: Data(report.sarif())) as? [String: Any]
        let run = (sarif?["runs"] as? [[String: Any]])?.first
        let results = run?["results"] as? [[String: Any]] ?? []
        #expect(results.contains { $0["ruleId"] as? String == "GMK020-policy-require-origin" })
        let rules = ((run?["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
        #expect(rules.contains { $0["id"] as? String == "GMK020-policy-require-origin" })

        // Without the gate the moved tag is reported by the origin check alone, not as a policy violation.
        let ungated = await ProjectAudit.run(directory: p.directory, options: try Self.options(p, requireOrigin: false))
        #expect(!ungated.findings.contains { $0.rule == .policyOrigin })
    }

    @Test func anOriginCheckThatDidNotRunOrCouldNotReachTheRepositoryFailsClosed() async throws {
        let p = try Self.project()
        var skipped = try Self.options(p)
        skipped.upstream = nil
        skipped.upstreamSkipReason = "--no-origin"
        let report = await ProjectAudit.run(directory: p.directory, options: skipped)
        #expect(report.findings.filter { $0.rule == .policyOrigin }.map(\.message) == [
            "github.com/example/repo@v1.0.0: origin not checked (--no-origin); policy requireOrigin requires a consistent origin",
            "github.com/example/repo@v1.1.0: origin not checked (--no-origin); policy requireOrigin requires a consistent origin",
        ])
        // The repository gone: could not verify, which the gate does not accept.
        try FileManager.default.removeItem(atPath: p.fixture.repo.path)
        let gone = await ProjectAudit.run(directory: p.directory, options: try Self.options(p))
        let gate = gone.findings.filter { $0.rule == .policyOrigin }
        #expect(gate.count == 2)
        #expect(gate.allSatisfy { $0.message.contains("could not verify: ") && $0.message.contains("git ls-remote") }, "\(gate.map(\.message))")
    }
}

/// `forbidCapabilities` on an upgrade (`--base`), with zips made by the real go 1.27.3 from a
/// scratch repository: v1.0.0 is pure computation; v1.1.0 adds a file with `import "net"`,
/// `import "os/exec"` and a `func init()`.
@Suite("forbidCapabilities on upgrade (real go 1.27.3 zips)", .serialized)
struct ForbidCapabilitiesUpgradeTests {
    @Test func anUpgradeThatGainsAForbiddenCapabilityFailsAndADowngradeDoesNot() async throws {
        let f = try OriginFixture()
        try f.repo.write("go.mod", "module github.com/example/repo\n\ngo 1.19\n")
        try f.repo.write("lib.go", "package repo\n\nfunc Add(a, b int) int { return a + b }\n")
        try f.repo.commit("pure")
        try f.repo.git(["tag", "v1.0.0"])
        try f.repo.write("hook.go", "package repo\n\nimport (\n\t\"net\"\n\t\"os/exec\"\n)\n\nfunc init() {\n\tif c, err := net.Dial(\"tcp\", \"127.0.0.1:1\"); err == nil {\n\t\t_ = exec.Command(\"sh\").Run()\n\t\tc.Close()\n\t}\n}\n")
        try f.repo.commit("hook")
        try f.repo.git(["tag", "v1.1.0"])
        let sums = try f.goDownload(["github.com/example/repo@v1.0.0", "github.com/example/repo@v1.1.0"])
        let old = try #require(sums["github.com/example/repo@v1.0.0"]), new = try #require(sums["github.com/example/repo@v1.1.0"])
        let directory = f.sandbox.sub("project")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func project(_ version: String, _ sum: String) throws {
            try Data("module example.com/app\n\ngo 1.19\n\nrequire github.com/example/repo \(version)\n".utf8)
                .write(to: URL(fileURLWithPath: directory + "/go.mod"))
            try Data("github.com/example/repo \(version) \(sum)\n".utf8).write(to: URL(fileURLWithPath: directory + "/go.sum"))
        }
        func options(base version: String, _ sum: String, forbid: [String]) throws -> ProjectAudit.Options {
            var options = ProjectAudit.Options()
            options.moduleCache = ModuleCache(root: f.modcache)
            options.baseGoSum = try GoSum(parsing: Array("github.com/example/repo \(version) \(sum)\n".utf8), fileName: "base.go.sum", mode: .go)
            options.policy.forbidCapabilities = forbid
            return options
        }

        // Upgrade v1.0.0 → v1.1.0. Capslock's enum name, a family, and a capability not gained.
        try project("v1.1.0", new)
        let report = await ProjectAudit.run(directory: directory, options: try options(base: "v1.0.0", old, forbid: ["CAPABILITY_EXEC", "MODIFY_SYSTEM_STATE", "CGO"]))
        #expect(report.findings.filter { $0.rule == .capabilityGained }.map(\.message) == ["github.com/example/repo v1.0.0 → v1.1.0 gains EXEC, NETWORK, init"],
                "\(report.findings.map(\.message))")
        let forbidden = report.findings.filter { $0.rule == .policyForbiddenCapability }
        #expect(forbidden.map(\.message) == ["github.com/example/repo@v1.1.0 gains EXEC, which policy forbidCapabilities forbids"])
        #expect(forbidden.first?.file == "go.sum" && forbidden.first?.line == 1 && forbidden.first?.severity == .error)
        let both = await ProjectAudit.run(directory: directory, options: try options(base: "v1.0.0", old, forbid: ["NETWORK", "init"]))
        #expect(both.findings.filter { $0.rule == .policyForbiddenCapability }.map(\.message) == ["github.com/example/repo@v1.1.0 gains NETWORK, init, which policy forbidCapabilities forbids"])
        let allowed = await ProjectAudit.run(directory: directory, options: try options(base: "v1.0.0", old, forbid: ["CGO", "REFLECT"]))
        #expect(!allowed.findings.contains { $0.rule == .policyForbiddenCapability })
        #expect(allowed.findings.contains { $0.rule == .capabilityGained })

        // Downgrade v1.1.0 → v1.0.0: capabilities lost, nothing gained, nothing forbidden.
        try project("v1.0.0", old)
        let down = await ProjectAudit.run(directory: directory, options: try options(base: "v1.1.0", new, forbid: ["EXEC", "NETWORK", "init"]))
        #expect(!down.findings.contains { $0.rule == .policyForbiddenCapability || $0.rule == .capabilityGained })
        #expect(down.checks.first { $0.name == "caps" }?.status == .passed)
    }

    @Test func aMisspeltCapabilityIsRefusedNotIgnored() throws {
        var policy = ProjectAudit.Policy()
        policy.forbidCapabilities = ["NETWRK", "CAPABILITY_FILES", "MODIFY_SYSTEM_STATE/ENV", "init", "CAPABILITY_EXECUTE"]
        #expect(policy.unknownCapabilities == ["NETWRK", "CAPABILITY_EXECUTE"])
        let sandbox = try Sandbox()
        try Data(#"{"forbidCapabilities": ["EXEC", "NETWRK"]}"#.utf8).write(to: URL(fileURLWithPath: sandbox.sub("gomodkit-audit.json")))
        let error = #expect(throws: ProjectAudit.ConfigurationError.self) { try ProjectAudit.Configuration.load(directory: sandbox.path) }
        #expect(error?.message.contains("unknown capability \"NETWRK\"") == true, "\(error?.message ?? "")")
    }
}
