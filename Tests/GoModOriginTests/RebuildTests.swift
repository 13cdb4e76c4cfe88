import Foundation
import Testing
import GoModCore
import GoModZip
import GoModVCS
import GoModTestSupport
@testable import GoModOrigin

@Suite("Rebuild from upstream")
struct RebuildTests {
    @Test func workDirectoryNames() {
        // Docs/origin.md vectors (sha256 of "git3:" + URL, as cmd/go's codehost.WorkDir names it).
        #expect(UpstreamRebuilder.workDirectoryName(url: "https://github.com/boltdb/bolt")
                == "0fd8fbe2bbcb3e6029c56590676e0f4fca32ee19cd283c981c7e77dc816ec777")
        #expect(UpstreamRebuilder.workDirectoryName(url: "https://github.com/boltdb-go/bolt")
                == "576fc18ceaefe237fa5102773e959a2b4584a4e985906fb189d214de362109bc")
    }

    @Test func rebuildsATagAndAnOldCommitShallowly() async throws {
        let repo = try ScratchRepo()
        try repo.write("go.mod", "module github.com/example/bolt\n\ngo 1.19\n")
        try repo.write("bolt.go", "package bolt\n\nfunc init() { backdoor() }\n\nfunc backdoor() {}\n")
        let evil = try repo.commit("v1.3.1 as the mirror cached it")
        try repo.git(["tag", "v1.3.1"])
        let evilZip = try repo.mirrorZip(rev: "v1.3.1", module: "github.com/example/bolt", version: "v1.3.1")
        try repo.write("bolt.go", "package bolt\n")
        try repo.commit("clean")
        try repo.git(["tag", "-f", "v1.3.1"])
        let cleanZip = try repo.mirrorZip(rev: "v1.3.1", module: "github.com/example/bolt", version: "v1.3.1")
        #expect(evilZip.h1 != cleanZip.h1)

        let modcache = try Sandbox()
        let rebuilder = UpstreamRebuilder(modcache: modcache.path)
        let root = RepoRoot(repoURL: "file://" + repo.path, root: "github.com/example/bolt", vcs: "git")
        let location = ModuleLocation(codeDir: "", pathMajor: "")
        let module = try ModuleVersion("github.com/example/bolt", "v1.3.1")
        let now = try await rebuilder.rebuild(module, root: root, location: location)
        #expect(now.created.hash.description == cleanZip.h1)
        let then = try await rebuilder.rebuild(module, root: root, location: location, commit: evil)
        #expect(then.commit == evil)
        #expect(then.created.hash.description == evilZip.h1)
        let dir = modcache.path + "/cache/vcs/" + UpstreamRebuilder.workDirectoryName(url: root.repoURL)
        #expect(FileManager.default.fileExists(atPath: dir + "/shallow"))
        #expect(try String(contentsOfFile: dir + ".info", encoding: .utf8) == "git3:" + root.repoURL)
    }
}
