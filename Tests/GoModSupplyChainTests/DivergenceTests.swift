import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModFetch
@testable import GoModVCS
import GoModOrigin
@testable import GoModSupplyChain
import GoModTestSupport

/// Mirror-versus-tag divergence (Docs/catch-a-poisoned-module.md, "Step 2"; issue 7). Mirror zips are made by Go's x/mod
/// `zip.CreateFromVCS` (Tests/Reference/modzip) or were recorded by Go (the example's go.sum);
/// the rebuilt side is compared with the same Go function run on the tag today.
@Suite struct DivergenceTests {
    /// The bundled example end to end: the mirror serves the backdoored v1.3.1, the tag now
    /// names clean code. Expected: tag moved (Origin ≠ tag), suspicious, db.go changed with a
    /// new init() and imports of net and os/exec (issue 7's "done means").
    @Test func boltdbExampleIsSuspicious() async throws {
        let sandbox = try Sandbox()
        let clone = sandbox.sub("bolt.git")
        try Divergence.cloneBundle(BoltExample.bundle, to: clone)
        let module = ModuleVersion.raw("github.com/boltdb-go/bolt", "v1.3.1")
        let proxy = URL(fileURLWithPath: BoltExample.proxy.path)
        let mirror = try await Divergence.fetch(module, proxy: proxy, transport: FailingTransport())
        let report = try Divergence.compare(module, mirrorZip: mirror.zip, info: mirror.info,
                                            source: ModuleZip.GitSource(repository: clone))

        #expect(report.mirrorHash.description == (try BoltExample.recordedZipHash()))
        #expect(report.originCommit == (try BoltExample.originHash()))
        #expect(report.tagMoved == true)
        #expect(report.tagCommit != report.originCommit)
        #expect(report.verdict == .suspicious)
        #expect(report.severity == .high)
        // The tag's side equals what Go's CreateFromVCS makes from the tag today.
        let checkout = sandbox.sub("bolt-checkout")
        #expect(try GoReference.run("/usr/bin/env", ["git", "clone", "--quiet", BoltExample.bundle, checkout]).status == 0)
        let goRebuild = try ModZipRef.runOne(["createfromvcs", checkout, "v1.3.1", "", "github.com/boltdb-go/bolt", "v1.3.1",
                                              sandbox.sub("tag.zip")])
        #expect(report.upstreamHash.description == goRebuild["h1"] as? String)

        #expect(report.changes.map(\.path) == ["db.go"])
        let change = try #require(report.changes.first)
        #expect(change.kind == .changed)
        #expect(change.isHarmless == false)
        // Per-file SHA-256 of each side, compared with Foundation-independent sha256sum output.
        let zipSide = try ZipArchive(bytes: mirror.zip)
        let entry = try #require(zipSide.entries.first { $0.name == "github.com/boltdb-go/bolt@v1.3.1/db.go" })
        #expect(change.mirrorSHA256 == (try sha256sum(zipSide.contents(of: entry))))
        #expect(change.upstreamSHA256 == (try sha256sum(Array(gitShow(clone, "v1.3.1:db.go")))))

        let flagged = Set(report.signals.map { "\($0.kind.rawValue) \($0.detail)" })
        #expect(flagged.contains("watchedImport +NETWORK: import \"net\""))
        #expect(flagged.contains("watchedImport +EXEC: import \"os/exec\""))
        #expect(flagged.contains("initAdded func init() added"))
        #expect(report.signals.allSatisfy { $0.path == "db.go" })
        #expect(report.explanation.joined(separator: " ").contains("the tag moved"))
    }

    /// `openRepository`: a bundle becomes a temporary clone whose v1.3.1 tag names the commit
    /// `git ls-remote` reads from the bundle itself; a directory is used as it is; a missing
    /// path is an I/O error.
    @Test func openRepositoryClonesBundlesOnly() throws {
        let fromGit = try GoReference.run("/usr/bin/env", ["git", "ls-remote", BoltExample.bundle, "refs/tags/v1.3.1"])
        #expect(fromGit.status == 0)
        let expected = String(try #require(fromGit.stdoutText.split(separator: "\t").first))

        let (directory, clone) = try Divergence.openRepository(BoltExample.bundle)
        let temporary = try #require(clone)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        #expect(directory == temporary)
        let module = ModuleVersion.raw("github.com/boltdb-go/bolt", "v1.3.1")
        #expect(try Divergence.tagCommit(module, source: ModuleZip.GitSource(repository: directory)) == expected)

        let again = try Divergence.openRepository(directory)
        #expect(again.directory == directory && again.temporaryClone == nil)

        let missing = temporary + "-missing"
        #expect(throws: DivergenceError(.io, subject: missing, message: "")) { try Divergence.openRepository(missing) }
        // A file that is not a bundle: git's clone fails.
        #expect(throws: DivergenceError(.upstream, subject: BoltExample.goSum, message: "")) {
            try Divergence.openRepository(BoltExample.goSum)
        }
    }

    /// The recorded hash (go.sum) matches the mirror here; a different one is a mirror mismatch.
    @Test func recordedHashMismatchIsCritical() throws {
        let sandbox = try Sandbox()
        let clone = sandbox.sub("bolt.git")
        try Divergence.cloneBundle(BoltExample.bundle, to: clone)
        let module = ModuleVersion.raw("github.com/boltdb-go/bolt", "v1.3.1")
        let zip = Array(try Data(contentsOf: URL(fileURLWithPath: BoltExample.zip)))
        let recorded = try #require(DirHash(try BoltExample.recordedZipHash()))
        let ok = try Divergence.compare(module, mirrorZip: zip, info: nil, source: .init(repository: clone), recordedHash: recorded)
        #expect(ok.verdict == .suspicious)
        #expect(ok.tagMoved == nil)
        // cmd/go's emptyGoModHash (modfetch/fetch.go) stands in for "some other recorded hash".
        let other = try #require(DirHash("h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY="))
        let bad = try Divergence.compare(module, mirrorZip: zip, info: nil, source: .init(repository: clone), recordedHash: other)
        #expect(bad.verdict == .mirrorMismatch)
        #expect(bad.severity == .critical)
    }

    /// A benign retag: the tag moves to a commit whose tree differs only in documentation,
    /// comments and tests. And a retag to an identical tree: same hash, tag moved, benign.
    @Test func benignRetag() throws {
        let repo = try ScratchRepo()
        try repo.write("go.mod", "module example.com/lib\n\ngo 1.21\n")
        try repo.write("lib.go", "package lib\n\n// Add adds.\nfunc Add(a, b int) int { return a + b }\n")
        try repo.write("lib_test.go", "package lib\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {}\n")
        try repo.write("README.md", "# lib\n")
        let first = try repo.commit("v1.0.0")
        try repo.git(["tag", "v1.0.0"])
        let mirror = try repo.mirrorZip(rev: "v1.0.0", module: "example.com/lib", version: "v1.0.0")
        let info = Divergence.Info(version: "v1.0.0", origin: .init(vcs: "git", hash: first, ref: "refs/tags/v1.0.0"))
        let module = ModuleVersion.raw("example.com/lib", "v1.0.0")

        // Unchanged: consistent, and the rebuilt hash equals Go's.
        let same = try Divergence.compare(module, mirrorZip: mirror.zip, info: info, source: .init(repository: repo.path))
        #expect(same.verdict == .consistent)
        #expect(same.mirrorHash.description == mirror.h1)
        #expect(same.upstreamHash.description == mirror.h1)
        #expect(same.tagMoved == false)

        // Retag to an identical tree.
        try repo.commit("v1.0.0 again")
        try repo.git(["tag", "-f", "v1.0.0"])
        let identical = try Divergence.compare(module, mirrorZip: mirror.zip, info: info, source: .init(repository: repo.path))
        #expect(identical.tagMoved == true)
        #expect(identical.hashesMatch)
        #expect(identical.verdict == .benign)
        #expect(identical.severity == .low)

        // Retag with documentation, comment, formatting and test changes only.
        try repo.write("lib.go", "package lib\n\n// Add returns the sum of a and b.\n// It never overflows checks.\nfunc Add(a, b int) int {  return a + b }\n")
        try repo.write("lib_test.go", "package lib\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) { _ = Add(1, 2) }\n")
        try repo.write("README.md", "# lib\n\nAdds numbers.\n")
        try repo.write("CHANGELOG.md", "v1.0.0: first release\n")
        try repo.commit("docs")
        try repo.git(["tag", "-f", "v1.0.0"])
        let docs = try Divergence.compare(module, mirrorZip: mirror.zip, info: info, source: .init(repository: repo.path))
        #expect(docs.tagMoved == true)
        #expect(!docs.hashesMatch)
        #expect(docs.verdict == .benign)
        #expect(docs.signals.isEmpty)
        #expect(docs.changes.map(\.path) == ["CHANGELOG.md", "README.md", "lib.go", "lib_test.go"])
        #expect(docs.changes.allSatisfy { $0.isHarmless })
        #expect(docs.changes.first { $0.path == "CHANGELOG.md" }?.kind == .removed)
        #expect(docs.changes.first { $0.path == "lib.go" }?.note == "comments or formatting only")

        // A code change without red flags is not benign.
        try repo.write("lib.go", "package lib\n\n// Add adds.\nfunc Add(a, b int) int { return a - b }\n")
        try repo.commit("code")
        try repo.git(["tag", "-f", "v1.0.0"])
        let code = try Divergence.compare(module, mirrorZip: mirror.zip, info: info, source: .init(repository: repo.path))
        #expect(code.verdict == .codeChanged)
        #expect(code.signals.isEmpty)
    }

    /// cmd/go's zip rules (Docs/recompute-go-sum.md): a module in a subdirectory (tag `sub/v1.0.0`) gets the
    /// repository root's LICENSE. x/mod's CreateFromVCS applies the same rule, so the mirror zip
    /// made by Go holds the root LICENSE; a later retag that only edits the root LICENSE is benign,
    /// one that adds a linkname and an os/exec import in the subdirectory is suspicious.
    @Test func subdirectoryModuleWithRootLicense() throws {
        let repo = try ScratchRepo()
        try repo.write("LICENSE", "Copyright (c) The Authors.\n")
        try repo.write("go.mod", "module example.com/repo\n\ngo 1.21\n")
        try repo.write("root.go", "package repo\n")
        try repo.write("sub/go.mod", "module example.com/repo/sub\n\ngo 1.21\n")
        try repo.write("sub/sub.go", "package sub\n\nimport \"strings\"\n\nfunc Up(s string) string { return strings.ToUpper(s) }\n")
        let first = try repo.commit("v1")
        try repo.git(["tag", "sub/v1.0.0"])
        let module = ModuleVersion.raw("example.com/repo/sub", "v1.0.0")
        let source = ModuleZip.GitSource(repository: repo.path, directory: "sub")
        let mirror = try repo.mirrorZip(rev: "sub/v1.0.0", subdir: "sub", module: "example.com/repo/sub", version: "v1.0.0")
        // The Go-made zip contains the copied LICENSE.
        let names = try ZipArchive(bytes: mirror.zip).entries.map(\.name)
        #expect(names.contains("example.com/repo/sub@v1.0.0/LICENSE"))
        #expect(try Divergence.tagCommit(module, source: source) == first)

        let info = Divergence.Info(version: "v1.0.0", origin: .init(vcs: "git", subdir: "sub", hash: first, ref: "refs/tags/sub/v1.0.0"))
        let same = try Divergence.compare(module, mirrorZip: mirror.zip, info: info, source: source)
        #expect(same.verdict == .consistent)
        #expect(same.upstreamHash.description == mirror.h1)

        // Root LICENSE edited, tag moved: only LICENSE differs, harmless.
        try repo.write("LICENSE", "Copyright (c) The Authors and contributors.\n")
        try repo.commit("license")
        try repo.git(["tag", "-f", "sub/v1.0.0"])
        let license = try Divergence.compare(module, mirrorZip: mirror.zip, info: info, source: source)
        #expect(license.tagMoved == true)
        #expect(license.changes.map(\.path) == ["LICENSE"])
        #expect(license.verdict == .benign)

        // Now the mirror is the bad one: it was made from a commit with a linkname and exec.
        try repo.write("sub/sub.go", """
            package sub

            import (
            \t"os/exec"
            \t"strings"
            \t_ "unsafe"
            )

            //go:linkname runtimeNano runtime.nanotime
            func runtimeNano() int64

            func Up(s string) string { _ = exec.Command("true"); return strings.ToUpper(s) }

            """)
        let evil = try repo.commit("evil")
        try repo.git(["tag", "-f", "sub/v1.0.0"])
        let evilMirror = try repo.mirrorZip(rev: "sub/v1.0.0", subdir: "sub", module: "example.com/repo/sub", version: "v1.0.0")
        try repo.git(["reset", "-q", "--hard", "HEAD~1"])
        try repo.git(["tag", "-f", "sub/v1.0.0"])
        let evilInfo = Divergence.Info(version: "v1.0.0", origin: .init(hash: evil))
        let report = try Divergence.compare(module, mirrorZip: evilMirror.zip, info: evilInfo, source: source)
        #expect(report.tagMoved == true)
        #expect(report.verdict == .suspicious)
        #expect(report.changes.map(\.path) == ["sub.go"])
        let kinds = report.signals.map(\.kind)
        #expect(kinds.contains(.linkname))
        #expect(report.signals.contains { $0.kind == .watchedImport && $0.detail == "+EXEC: import \"os/exec\"" })
        #expect(report.signals.contains { $0.kind == .watchedImport && $0.detail == "+ARBITRARY_EXECUTION: import \"unsafe\"" })
        #expect(report.signals.contains { $0.kind == .watchedImport && $0.detail == "+ARBITRARY_EXECUTION: //go:linkname" })
    }

    /// The classification of individual files, on synthetic trees.
    @Test func classificationOfFiles() {
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 64)
        let blob = String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk", count: 3)
        let upstream: [(path: ByteString, contents: [UInt8])] = [
            ("a.go", Array("//go:build linux\n\npackage a\n\nfunc init() { println(1) }\n".utf8)),
            ("go.mod", Array("module example.com/a\n\ngo 1.21\n".utf8)),
        ]
        let mirror: [(path: ByteString, contents: [UInt8])] = [
            ("a.go", Array("//go:build linux || darwin\n\npackage a\n\n//go:generate sh -c \"curl x\"\nfunc init() { println(2) }\n".utf8)),
            ("go.mod", Array("module example.com/a\n\ngo 1.21\n\nrequire example.com/evil v1.0.0\n".utf8)),
            ("bin/helper", elf),
            ("asm_amd64.s", Array("TEXT ·f(SB),$0\n".utf8)),
            ("data.go", Array("package a\n\nvar payload = \"\(blob)\"\n".utf8)),
            ("docs/guide.md", Array("# guide\n".utf8)),
        ]
        let (changes, signals) = Divergence.diff(mirror: mirror, upstream: upstream)
        #expect(changes.map(\.path) == ["a.go", "asm_amd64.s", "bin/helper", "data.go", "docs/guide.md", "go.mod"])
        #expect(changes.first { $0.path == "docs/guide.md" }?.isHarmless == true)
        let byKind = Dictionary(grouping: signals, by: \.kind)
        #expect(byKind[.buildConstraint]?.count == 2) // -old, +new
        #expect(byKind[.generate]?.first?.path == "a.go")
        #expect(byKind[.initChanged]?.count == 1)
        #expect(byKind[.binary]?.first?.path == "bin/helper")
        #expect(byKind[.cgo]?.first?.path == "asm_amd64.s")
        #expect(byKind[.encodedBlob]?.first?.path == "data.go")
        #expect(byKind[.dependencyAdded]?.first?.detail == "require \"example.com/evil\"")
    }

    /// File kinds are judged on bytes, as go/build judges extensions (`filepath.Ext`): U+0D4E
    /// (MALAYALAM LETTER DOT REPH, a letter, so allowed in module file names, and a grapheme
    /// "Prepend" that a Swift String joins to the following `.`) does not turn an assembly
    /// file into harmless documentation; a name starting with the byte `.` is one go/build
    /// ignores.
    @Test func fileKindsAreJudgedOnBytes() {
        let mirror: [(path: ByteString, contents: [UInt8])] = [
            (ByteString("readme\u{0D4E}.s"), Array("TEXT ·f(SB),$0\n".utf8)),
            (ByteString(".\u{0301}notes"), Array("text\n".utf8)),
        ]
        let (changes, signals) = Divergence.diff(mirror: mirror, upstream: [])
        #expect(changes.first { $0.path == mirror[0].path }?.isHarmless == false)
        // The assembly file is native code (cgo signal) and gives its package
        // ARBITRARY_EXECUTION (Docs/advisories.md, "Capabilities": a `.s` file).
        #expect(signals.map(\.kind) == [.cgo, .watchedImport])
        #expect(signals.allSatisfy { $0.path == mirror[0].path })
        #expect(signals.last?.detail == "+ARBITRARY_EXECUTION: assembly")
        #expect(changes.first { $0.path == mirror[1].path }?.isHarmless == true)
    }

    /// The Origin example of the public issue refunc/refunc#28 parses; a version
    /// mismatch is Go's error.
    @Test func infoParsing() throws {
        let text = #"{"Version":"v0.0.2","Time":"2022-10-27T03:05:29Z","Origin":{"VCS":"git","URL":"https://github.com/arvintian/loki-client-go","Ref":"refs/tags/v0.0.2","Hash":"487ac97bd7dfe6ddf5887da080fc39f4725cc2b6"}}"#
        let info = try Divergence.Info.parse(Array(text.utf8), expectedVersion: "v0.0.2")
        #expect(info.origin?.hash == "487ac97bd7dfe6ddf5887da080fc39f4725cc2b6")
        #expect(info.origin?.ref == "refs/tags/v0.0.2")
        #expect(info.origin?.url == "https://github.com/arvintian/loki-client-go")
        let mismatch = #expect(throws: DivergenceError.self) { try Divergence.Info.parse(Array(text.utf8), expectedVersion: "v0.0.3") }
        #expect(mismatch?.code == .versionMismatch)
        #expect(mismatch?.message == "proxy returned info for version v0.0.2 instead of requested version")
        #expect(throws: DivergenceError(.invalidInfo, subject: "", message: "")) { try Divergence.Info.parse(Array("<html>".utf8)) }
    }

    /// Divergence.Info reads through GoModFetch's ModuleInfo, with Go 1.27.3's `json.Unmarshal`
    /// verdicts (run on these documents): `null` Time and Origin are absent; an Origin field of
    /// the wrong type fails the whole document.
    @Test func infoParsingFollowsGoJSON() throws {
        let plain = try Divergence.Info.parse(Array(#"{"Version":"v1.0.0","Time":null,"Origin":null}"#.utf8), expectedVersion: "v1.0.0")
        #expect(plain == Divergence.Info(version: "v1.0.0"))
        for text in [#"{"Version":"v1.0.0","Origin":{"Hash":5}}"#, #"{"Version":"v1.0.0","Origin":5}"#, #"{"Version":"v1.0.0","Time":5}"#] {
            #expect(throws: DivergenceError(.invalidInfo, subject: "", message: "")) { try Divergence.Info.parse(Array(text.utf8)) }
        }
        // Go decodes the whole document before it compares the version: a bad Origin is an
        // invalid answer even when the version is not the one asked for.
        #expect(throws: DivergenceError(.invalidInfo, subject: "", message: "")) {
            try Divergence.Info.parse(Array(#"{"Version":"v1.0.0","Origin":{"Hash":5}}"#.utf8), expectedVersion: "v2.0.0")
        }
        let raw = try #require(ModuleInfo(json: Array(#"{"Version":"v1.0.0","Origin":{"VCS":"git","Hash":"abc"}}"#.utf8)))
        #expect(try Divergence.Info(raw).origin == ModuleOrigin(vcs: "git", hash: "abc"))
    }

    /// The proxy fetch builds the URLs of https://go.dev/ref/mod#goproxy-protocol (case-encoded path,
    /// `!` for capitals), tolerates a missing .info, and enforces the caps.
    @Test func proxyFetchThroughTransport() async throws {
        let zip = Array(try Data(contentsOf: URL(fileURLWithPath: BoltExample.zip)))
        let transport = StubTransport(routes: [
            "https://proxy.example/github.com/!sirupsen/logrus/@v/v1.0.0.zip": HTTPResponse(status: 200, body: zip),
        ])
        let mirror = try await Divergence.fetch(ModuleVersion("github.com/Sirupsen/logrus", "v1.0.0"),
                                                proxy: try #require(URL(string: "https://proxy.example/")), transport: transport)
        #expect(mirror.info == nil)
        #expect(mirror.zip == zip)
        #expect(transport.requested().sorted() == ["https://proxy.example/github.com/!sirupsen/logrus/@v/v1.0.0.info",
                                                   "https://proxy.example/github.com/!sirupsen/logrus/@v/v1.0.0.zip"])
        let missing = await #expect(throws: DivergenceError.self) {
            _ = try await Divergence.fetch(ModuleVersion("example.com/m", "v1.0.0"),
                                           proxy: URL(string: "https://proxy.example")!, transport: transport)
        }
        #expect(missing?.code == .notFound)
        let big = StubTransport(routes: [:], oversize: true)
        let tooLarge = await #expect(throws: DivergenceError.self) {
            _ = try await Divergence.fetch(ModuleVersion("example.com/m", "v1.0.0"),
                                           proxy: URL(string: "https://proxy.example")!, transport: big)
        }
        #expect(tooLarge?.code == .tooLarge)
    }

    private func sha256sum(_ data: [UInt8]) throws -> String {
        let sandbox = try Sandbox()
        let file = sandbox.sub("f")
        try Data(data).write(to: URL(fileURLWithPath: file))
        let out = try GoReference.run("/usr/bin/env", ["sha256sum", file])
        return String(String(decoding: out.stdout, as: UTF8.self).prefix(64))
    }

    private func gitShow(_ repo: String, _ spec: String) throws -> Data {
        Data(try GoReference.run("/usr/bin/env", ["git", "-C", repo, "show", spec]).stdout)
    }
}

/// A transport for tests that must stay offline.
struct FailingTransport: HTTPTransport {
    func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        throw HTTPTransportError(.failed, url: url.absoluteString, detail: "offline test")
    }
}

/// Canned answers by URL (404 otherwise); records what was asked.
final class StubTransport: HTTPTransport, @unchecked Sendable {
    let routes: [String: HTTPResponse]
    let oversize: Bool
    private let lock = NSLock()
    private var seen: [String] = []

    init(routes: [String: HTTPResponse], oversize: Bool = false) {
        self.routes = routes
        self.oversize = oversize
    }

    func requested() -> [String] { lock.lock(); defer { lock.unlock() }; return seen }

    func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        lock.withLock { seen.append(url.absoluteString) }
        if oversize { throw HTTPTransportError(.oversizeResponse, url: url.absoluteString, detail: "\(limit)") }
        return routes[url.absoluteString] ?? HTTPResponse(status: 404, body: Array("not found".utf8))
    }
}
