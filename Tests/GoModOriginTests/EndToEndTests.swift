import Foundation
import Testing
import GoModCore
import GoModZip
import GoModVCS
import GoModFetch
import GoModNet
import GoModTestSupport
@testable import GoModOrigin

extension OriginFixture {
    /// A lister whose git sees the fixture's configuration.
    func lister() throws -> GitRefLister { GitRefLister(git: try gitWrapper()) }

    func checker(lister: GitRefLister) throws -> OriginChecker {
        let client = ModuleProxyClient(configuration: try ModuleProxyConfiguration.parse(goproxy: proxyURL),
                                       transport: DefaultHTTPTransport())
        let resolver = RepositoryResolver(configuration: .init(govcs: try GoVCSPolicy(govcs: "")),
                                          transport: DefaultHTTPTransport(), ping: { _, _ in false })
        return OriginChecker(info: { try await client.info($0) }, resolver: resolver, lister: lister)
    }
}

@Suite("Origin check end to end (real go 1.27.3, GOPROXY=direct, as the oracle)", .serialized)
struct OriginEndToEndTests {
    @Test func verdictsAfterRetagDeleteAndForcePush() async throws {
        let f = try OriginFixture()
        try f.repo.write("go.mod", "module github.com/example/repo\n\ngo 1.19\n")
        try f.repo.write("bolt.go", "package repo\n\nimport _ \"os/exec\"\n\nfunc init() { backdoor() }\n\nfunc backdoor() {}\n")
        let evil = try f.repo.commit("v1.3.1 as published")
        try f.repo.git(["tag", "v1.3.1"])
        try f.repo.git(["tag", "v1.2.0"])
        try f.repo.git(["tag", "-a", "-m", "annotated", "v1.3.0"])
        try f.repo.write("sub/go.mod", "module github.com/example/repo/sub\n")
        try f.repo.write("sub/s.go", "package sub\n")
        try f.repo.write("v2/go.mod", "module github.com/example/repo/v2\n")
        try f.repo.write("v2/r.go", "package repo\n")
        let second = try f.repo.commit("sub module and v2")
        try f.repo.git(["tag", "sub/v0.1.0"])
        try f.repo.git(["tag", "v2.0.0"])
        try f.repo.write("later.go", "package repo\n")
        let head = try f.repo.commit("later")
        let headTime = try f.repo.git(["log", "-1", "--format=%cd", "--date=format:%Y%m%d%H%M%S"])
        let pseudo = "v1.3.2-0.\(headTime)-\(head.prefix(12))"
        let sums = try f.goDownload([
            "github.com/example/repo@v1.3.1", "github.com/example/repo@v1.2.0", "github.com/example/repo@v1.3.0",
            "github.com/example/repo/sub@v0.1.0", "github.com/example/repo/v2@v2.0.0", "github.com/example/repo@\(pseudo)",
        ])
        #expect(sums.count == 6, "\(sums)")
        #expect(!sums.values.contains { $0.hasPrefix("error") }, "\(sums)")

        // The rebuild tier reproduces go's zips for the sub-directory module, the /v2 module and
        // the pseudo-version (whose base tag v1.3.1 must still be an ancestor: done before the
        // force-push below).
        let lister = try f.lister()
        let rebuilder = UpstreamRebuilder(modcache: f.sandbox.sub("rebuild-cache"), git: lister.gitExecutable)
        let root = RepoRoot(repoURL: OriginFixture.url, root: "github.com/example/repo", vcs: "git")
        let v2 = try await rebuilder.rebuild(try ModuleVersion("github.com/example/repo/v2", "v2.0.0"), root: root,
                                             location: try ModuleLocation(modulePath: "github.com/example/repo/v2", root: root))
        #expect(v2.created.hash.description == sums["github.com/example/repo/v2@v2.0.0"])
        let sub = try await rebuilder.rebuild(try ModuleVersion("github.com/example/repo/sub", "v0.1.0"), root: root,
                                              location: try ModuleLocation(modulePath: "github.com/example/repo/sub", root: root))
        #expect(sub.created.hash.description == sums["github.com/example/repo/sub@v0.1.0"])
        let pseudoZip = try await rebuilder.rebuild(try ModuleVersion("github.com/example/repo", pseudo), root: root,
                                                    location: ModuleLocation(codeDir: "", pathMajor: ""))
        #expect(pseudoZip.created.hash.description == sums["github.com/example/repo@\(pseudo)"])

        // Upstream changes after the "mirror" cached everything: v1.3.1 force-pushed to clean
        // code, v1.2.0 deleted.
        try f.repo.git(["checkout", "-q", "-b", "clean", evil])
        try f.repo.write("bolt.go", "package repo\n")
        let clean = try f.repo.commit("clean")
        try f.repo.git(["tag", "-f", "v1.3.1"])
        try f.repo.git(["tag", "-d", "v1.2.0"])
        try f.repo.git(["checkout", "-q", "main"])

        let checker = try f.checker(lister: lister)
        let modules = try [
            ModuleVersion("github.com/example/repo", "v1.3.1"), ModuleVersion("github.com/example/repo", "v1.2.0"),
            ModuleVersion("github.com/example/repo", "v1.3.0"), ModuleVersion("github.com/example/repo/sub", "v0.1.0"),
            ModuleVersion("github.com/example/repo/v2", "v2.0.0"), ModuleVersion("github.com/example/repo", pseudo),
        ]
        let results = await checker.check(modules)
        let kinds = results.map(\.verdict.kind)
        #expect(kinds == [.refMoved, .refDeleted, .consistent, .consistent, .consistent, .hashOnlyPresent],
                "\(results.map { "\($0.module): \($0.verdict.kind): \($0.verdict.message)" })")
        #expect(results[0].verdict.message == "ref \"refs/tags/v1.3.1\" moved from \(evil) to \(clean)")
        #expect(results[0].origin?.url == OriginFixture.url)
        #expect(results[3].codeDir == "sub")
        #expect(results[3].origin?.subdir == "sub")
        #expect(results[4].verdict.recordedHash == second)
        #expect(results[5].origin?.ref == nil)  // cmd/go clears Ref for pseudo-versions
        // One listing for the six versions of the three modules.
        #expect(await lister.runCount == 1)

        // The rebuild tier: at the recorded commit the zip is what go downloaded; at the tag
        // now it is not.
        #expect(results[0].repository == root)
        let location = ModuleLocation(codeDir: "", pathMajor: "")
        let atRecorded = try await rebuilder.rebuild(modules[0], root: root, location: location, commit: evil)
        #expect(atRecorded.created.hash.description == sums["github.com/example/repo@v1.3.1"])
        let atTag = try await rebuilder.rebuild(modules[0], root: root, location: location)
        #expect(atTag.commit == clean)
        #expect(atTag.created.hash.description != sums["github.com/example/repo@v1.3.1"])
    }

    @Test func unreachableRepositoryCannotBeVerified() async throws {
        let f = try OriginFixture()
        try f.repo.write("go.mod", "module github.com/example/repo\n")
        try f.repo.commit("one")
        try f.repo.git(["tag", "v1.0.0"])
        try f.goDownload(["github.com/example/repo@v1.0.0"])
        try FileManager.default.removeItem(atPath: f.repo.path)
        let results = try await f.checker(lister: f.lister()).check([try ModuleVersion("github.com/example/repo", "v1.0.0")])
        #expect(results.first?.verdict.kind == .couldNotVerify)
        #expect(results.first?.verdict.message.contains("git ls-remote -q https://github.com/example/repo") == true)
    }
}
