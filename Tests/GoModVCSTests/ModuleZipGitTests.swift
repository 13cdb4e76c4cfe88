import Foundation
@testable import GoModCore
@testable import GoModZip
@testable import GoModVCS
import GoModTestSupport
import Testing

/// Module zips from git tags, against the real go command: repositories are built in the test
/// (fixed commit times), `go mod download -json` (Go 1.27.3, `GOPROXY=direct`, offline through
/// `url.<dir>.insteadOf`, see ``GitFixture``) fetches each module version, and
/// ``ModuleZip/createFromGit(_:source:output:options:)`` must give the same `Sum` (zip `h1:`)
/// and `GoModSum` (`/go.mod` `h1:`), or fail where cmd/go fails, with cmd/go's message.
///
/// Covered: `.gitattributes` with `eol=crlf`, `text`, `-text`, `ident`, `export-ignore`,
/// `export-subst`; committed `.gitignore`d files; symbolic links; `.hg_archival.txt`; LICENSE
/// copied from the root for a module in a subdirectory (and not copied when the module has one,
/// nor from `LICENSE.md`); `/vN` modules in the same directory and in a `vN/` subdirectory;
/// nested modules; vendor directories under go 1.23 and go 1.24; tags without go.mod
/// (synthesized go.mod); annotated tags; `+incompatible`; pseudo-versions; findDir errors.
@Suite(.serialized) struct ModuleZipGitTests {
    struct Case {
        var module: String
        var version: String
        var source: ModuleZip.GitSource
    }

    @Test func matchesGoModDownload() throws {
        let fixture = try GitFixture()
        var cases: [Case] = []
        /// One case per version, all fetched from `repo` (module in `directory`).
        func add(_ module: String, _ versions: String..., from repo: GitFixture.Repo, directory: ByteString = "") {
            for version in versions {
                cases.append(Case(module: module, version: version, source: .init(repository: repo.path, directory: directory)))
            }
        }

        // 1. Attributes, ignored files, links, hg archival file.
        let attrs = try fixture.repository("attrs")
        try attrs.write("go.mod", "module example.com/attrs.git\n\ngo 1.21\n")
        try attrs.write(".gitattributes", "*.txt text eol=crlf\nident.go ident\nignored.go export-ignore\nsubst.go export-subst\nbin.dat -text\ngo.mod text eol=crlf\n")
        try attrs.write("a.txt", "line one\nline two\n")
        try attrs.write("ident.go", "// $Id$\npackage m\n")
        try attrs.write("ignored.go", "package m // export-ignore is neutralised by cmd/go\n")
        try attrs.write("subst.go", "// $Format:%H$\npackage m\n")
        try attrs.write("bin.dat", bytes: [0x0D, 0x0A, 0x0A, 0x00, 0xFF])
        try attrs.write(".gitignore", "secret.txt\n")
        try attrs.write("secret.txt", "committed despite .gitignore\n")
        try attrs.write(".hg_archival.txt", "repo: x\n")
        try FS.symlink("a.txt", at: attrs.path + "/link.txt")
        try attrs.commit("attributes", force: ["secret.txt"])
        try attrs.tag("v1.0.0")
        try attrs.tag("v1.0.1", annotated: true)
        add("example.com/attrs.git", "v1.0.0", "v1.0.1", from: attrs)

        // 2. LICENSE in the root, modules in subdirectories.
        let mono = try fixture.repository("mono")
        try mono.write("LICENSE", "root license\n")
        try mono.write("README.md", "root\n")
        try mono.write("sub/go.mod", "module example.com/mono.git/sub\n\ngo 1.22\n")
        try mono.write("sub/s.go", "package sub\n")
        try mono.write("own/go.mod", "module example.com/mono.git/own\n")
        try mono.write("own/LICENSE", "own license\n")
        try mono.write("deep/er/go.mod", "module example.com/mono.git/deep/er\n")
        try mono.write("deep/er/d.go", "package er\n")
        try mono.commit("modules")
        try mono.tag("sub/v1.0.0")
        try mono.tag("own/v1.0.0")
        try mono.tag("deep/er/v1.0.0")
        for (module, dir) in [("sub", "sub"), ("own", "own"), ("deep/er", "deep/er")] {
            add("example.com/mono.git/\(module)", "v1.0.0", from: mono, directory: ByteString(dir))
        }
        let mdOnly = try fixture.repository("mdonly")
        try mdOnly.write("LICENSE.md", "markdown license is not copied\n")
        try mdOnly.write("sub/go.mod", "module example.com/mdonly.git/sub\n")
        try mdOnly.commit("md")
        try mdOnly.tag("sub/v0.1.0")
        add("example.com/mdonly.git/sub", "v0.1.0", from: mdOnly, directory: "sub")

        // 3. Major versions: same directory (/v2) and major subdirectory (/v3).
        let major = try fixture.repository("major")
        try major.write("go.mod", "module example.com/major.git\n")
        try major.write("m.go", "package m\n")
        try major.commit("v1")
        try major.tag("v1.0.0")
        try major.write("go.mod", "module example.com/major.git/v2\n")
        try major.commit("v2")
        try major.tag("v2.0.0")
        try major.write("go.mod", "module example.com/major.git\n")
        try major.write("v3/go.mod", "module example.com/major.git/v3\n")
        try major.write("v3/m3.go", "package m\n")
        try major.commit("v3 in a subdirectory")
        try major.tag("v3.0.0")
        for (module, version) in [("example.com/major.git", "v1.0.0"), ("example.com/major.git/v2", "v2.0.0"),
                                  ("example.com/major.git/v3", "v3.0.0")] {
            add(module, version, from: major)
        }

        // 4. Nested modules and vendoring under go 1.23 and go 1.24.
        let vend = try fixture.repository("vend")
        try vend.write("go.mod", "module example.com/vend.git\n\ngo 1.23\n")
        try vend.write("m.go", "package m\n")
        for name in ["vendor/modules.txt", "vendor/top.go", "vendor/x.com/y/y.go", "pkg/vendor/v.go", "pkg/vendor/foo/f.go"] {
            try vend.write(name, "x\n")
        }
        try vend.write("inner/go.mod", "module example.com/vend.git/inner\n")
        try vend.write("inner/i.go", "package inner\n")
        try vend.commit("go 1.23")
        try vend.tag("v1.0.0")
        try vend.write("go.mod", "module example.com/vend.git\n\ngo 1.24\n")
        try vend.commit("go 1.24")
        try vend.tag("v1.1.0")
        add("example.com/vend.git", "v1.0.0", "v1.1.0", from: vend)

        // 5. No go.mod: synthesized go.mod; +incompatible; pseudo-versions.
        let legacy = try fixture.repository("legacy")
        try legacy.write("l.go", "package legacy\n")
        try legacy.commit("legacy")
        try legacy.tag("v1.0.0")
        try legacy.write("l2.go", "package legacy\n")
        try legacy.commit("v2 without go.mod")
        try legacy.tag("v2.0.0")
        try legacy.write("l3.go", "package legacy\n")
        let (hash, time) = try legacy.commit("untagged")
        let stamp = String(decoding: Module.formatTimestamp(Date(timeIntervalSince1970: TimeInterval(time))), as: UTF8.self)
        let pseudo = "v2.0.1-0.\(stamp)-\(hash.prefix(12))+incompatible"
        add("example.com/legacy.git", "v1.0.0", "v2.0.0+incompatible", pseudo, from: legacy)

        let pseudoRepo = try fixture.repository("pseudo")
        try pseudoRepo.write("go.mod", "module example.com/pseudo.git\n")
        let (first, firstTime) = try pseudoRepo.commit("first")
        let firstStamp = String(decoding: Module.formatTimestamp(Date(timeIntervalSince1970: TimeInterval(firstTime))), as: UTF8.self)
        add("example.com/pseudo.git", "v0.0.0-\(firstStamp)-\(first.prefix(12))", from: pseudoRepo)
        try pseudoRepo.write("p.go", "package p\n")
        try pseudoRepo.commit("tagged")
        try pseudoRepo.tag("v1.0.0")
        try pseudoRepo.write("q.go", "package p\n")
        let (third, thirdTime) = try pseudoRepo.commit("after the tag")
        func stampOf(_ t: Int) -> String {
            String(decoding: Module.formatTimestamp(Date(timeIntervalSince1970: TimeInterval(t))), as: UTF8.self)
        }
        let pseudoFailures = [
            "v1.0.1-0.\(stampOf(thirdTime + 1))-\(third.prefix(12))",   // wrong time
            "v1.5.1-0.\(stampOf(thirdTime))-\(third.prefix(12))",       // no v1.5.0 tag
            "v1.0.0-\(stampOf(firstTime))-\(first.prefix(12))",          // v1 without a base tag
            "v1.0.1-0.\(stampOf(thirdTime))-\(third.prefix(10))00",     // another revision
        ]
        add("example.com/pseudo.git", "v1.0.1-0.\(stampOf(thirdTime))-\(third.prefix(12))", from: pseudoRepo)
        for version in pseudoFailures { add("example.com/pseudo.git", version, from: pseudoRepo) }

        // 6. Errors: module path mismatches and missing go.mod files.
        let errs = try fixture.repository("errs")
        try errs.write("go.mod", "module example.com/errs.git/v2\n")
        try errs.commit("post-v1")
        try errs.tag("v1.0.0")
        try errs.write("go.mod", "module example.com/errs.git\n")
        try errs.commit("v2 tag without /v2")
        try errs.tag("v2.0.0")
        try errs.write("sub/x.go", "package x\n")
        try errs.commit("sub without go.mod")
        try errs.tag("sub/v1.0.0")
        add("example.com/errs.git", "v1.0.0", from: errs)
        add("example.com/errs.git/v2", "v2.0.0", from: errs)
        add("example.com/errs.git/sub", "v1.0.0", from: errs, directory: "sub")
        add("example.com/errs.git", "v9.9.9", from: errs)

        // 7. A SHA-256 repository.
        let sha = try fixture.repository("sha", objectFormat: "sha256")
        try sha.write("go.mod", "module example.com/sha.git\n")
        try sha.write("s.go", "package sha\n")
        try sha.commit("sha-256")
        try sha.tag("v0.1.0")
        add("example.com/sha.git", "v0.1.0", from: sha)

        let go = try fixture.goModDownload(cases.map { "\($0.module)@\($0.version)" })
        var successes = 0
        for c in cases {
            let key = "\(c.module)@\(c.version)"
            let answer = try #require(go[key], "no answer for \(key)")
            let module = ModuleVersion.raw(c.module, c.version)
            if let goError = answer["Error"] as? String {
                do {
                    let made = try ModuleZip.createFromGit(module, source: c.source)
                    Issue.record("\(key): cmd/go failed (\(goError)) but GoModKit made \(made.created.hash)")
                } catch {
                    #expect(error.description == goError, "\(key)")
                }
                continue
            }
            let made = try ModuleZip.createFromGit(module, source: c.source, output: .memory)
            #expect(made.created.hash.description == answer["Sum"] as? String, "\(key)")
            #expect(made.goModHash.description == answer["GoModSum"] as? String, "\(key)")
            // The zip GoModKit wrote hashes the same through the reader, and Go's own zip
            // (in the module cache) checks clean with GoModKit.
            let zip = try #require(made.created.zipBytes)
            #expect(try DirHash.hashZip(ZipArchive(bytes: zip)).description == answer["Sum"] as? String)
            if let goZip = answer["Zip"] as? String {
                #expect(try ModuleZip.checkZip(module, path: goZip).isValid)
            }
            if let goMod = answer["GoMod"] as? String {
                #expect(made.goMod == Array(try Data(contentsOf: URL(fileURLWithPath: goMod))), "\(key) .mod")
            }
            successes += 1
        }
        #expect(successes == cases.count - 8)
        #expect(try attrs.git(["status", "--porcelain"]).isEmpty)

        // A bare clone and a linked worktree of the same repository give the same zip.
        let attrsSum = try #require(go["example.com/attrs.git@v1.0.0"]?["Sum"] as? String)
        try attrs.git(["clone", "--quiet", "--bare", attrs.path, fixture.sandbox.sub("attrs-bare.git")])
        try attrs.git(["worktree", "add", "--quiet", "--detach", fixture.sandbox.sub("attrs-worktree"), "v1.0.1"])
        for path in [fixture.sandbox.sub("attrs-bare.git"), fixture.sandbox.sub("attrs-worktree")] {
            let made = try ModuleZip.createFromGit(ModuleVersion("example.com/attrs.git", "v1.0.0"),
                                                   source: .init(repository: path))
            #expect(made.created.hash.description == attrsSum, "\(path)")
        }

        // x/mod's own CreateFromVCS archives without cmd/go's attribute override, so it
        // disagrees with cmd/go where export-ignore/export-subst are used (cmd/go's
        // modfetch/codehost/git.go ensureGitAttributes; Docs/recompute-go-sum.md).
        let xmod = try ModZipRef.runOne(["createfromvcs", attrs.path, "v1.0.0", "", "example.com/attrs.git", "v1.0.0",
                                         fixture.sandbox.sub("xmod.zip")])
        let goSum = try #require(go["example.com/attrs.git@v1.0.0"]?["Sum"] as? String)
        #expect(xmod["h1"] as? String != nil)
        #expect(xmod["h1"] as? String != goSum)
        // The repositories were only read.
        let attributes = (try? String(contentsOfFile: attrs.path + "/.git/info/attributes", encoding: .utf8)) ?? ""
        #expect(!attributes.contains("export-subst"))
        #expect(try attrs.git(["status", "--porcelain"]).isEmpty)
    }
}

/// The pieces of the git path that need no go command: cmd/go's `newCodeRepo` rules for
/// locating a module in a repository (messages from cmd/go's source), `modfile.ModulePath`,
/// and the process runner's bounds.
@Suite struct ModuleZipGitUnitTests {
    @Test func locatingFollowsNewCodeRepo() throws {
        let sub = try ModuleZip.GitSource.locating(module: "github.com/rsc/foo/bar/v2", in: "/r", repositoryRoot: "github.com/rsc/foo")
        #expect(sub.directory == "bar")
        let root = try ModuleZip.GitSource.locating(module: "github.com/rsc/foo/v2", in: "/r", repositoryRoot: "github.com/rsc/foo")
        #expect(root.directory == "")
        let full = try ModuleZip.GitSource.locating(module: "nanomsg.org/go/mangos/v2", in: "/r", repositoryRoot: "nanomsg.org/go/mangos/v2")
        #expect(full.directory == "")
        #expect(try ModuleZip.CodeLayout(module: ModuleVersion("nanomsg.org/go/mangos/v2", "v2.0.0"), source: full)
            .majorSubdirectoryAllowed == false)
        #expect(try ModuleZip.CodeLayout(module: ModuleVersion("github.com/rsc/foo/v2", "v2.0.0"), source: root)
            .majorSubdirectoryAllowed == true)
        let meta = try ModuleZip.GitSource.locating(module: "github.com/rsc/foo/v2", in: "/r", repositoryRoot: "github.com/rsc/foo",
                                                    subdirectory: "bar/subdir")
        #expect(meta.directory == "bar/subdir")
        do {
            _ = try ModuleZip.GitSource.locating(module: "github.com/other/x", in: "/r", repositoryRoot: "github.com/rsc/foo")
            Issue.record("mismatched repository accepted")
        } catch {
            #expect(error.code == .invalidRepositoryPath)
            #expect(error.message == "mismatched repo: found github.com/rsc/foo for github.com/other/x")
        }
        do {
            _ = try ModuleZip.GitSource.locating(module: "github.com/rsc/foo/v1", in: "/r", repositoryRoot: "github.com/rsc/foo")
            Issue.record("invalid module path accepted")
        } catch {
            #expect(error.message == "invalid module path \"github.com/rsc/foo/v1\"")
        }
        #expect(throws: ModuleZipError(.invalidRepositoryPath, message: "")) {
            _ = try ModuleZip.CodeLayout(module: ModuleVersion("example.com/m", "v1.0.0"),
                                         source: .init(repository: "/r", directory: "../up"))
        }
    }

    /// `modfile.ModulePath` cases, against Go's (hashref `modulepath`, live).
    @Test func modulePathMatchesGo() throws {
        let inputs = ["module example.com/m\n", "// c\nmodule   example.com/m // trailing\n", "module \"example.com/q\"\n",
                      "module `example.com/raw`\n", "modulex example.com/m\n", "module\n", "module \"bad\n",
                      "go 1.20\n", "\u{FEFF}module example.com/bom\n", "  module\texample.com/tab  \r\n", "module \"a\" junk\n"]
        let sandbox = try Sandbox()
        for (index, text) in inputs.enumerated() {
            let path = sandbox.sub("\(index).mod")
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let go = try Hashref.run(.current, ["modulepath", path])
            let ours = String(decoding: ModuleZip.modulePathOfGoMod(Array(text.utf8)), as: UTF8.self)
            #expect(ours == (go["module"] as? String ?? ""), "\(text.debugDescription)")
        }
    }

    @Test func runnerDrainsBothStreamsAndBoundsOutput() throws {
        let shell = GitCommand(executable: "/bin/sh")
        let both = try shell.run(["-c", "head -c 300000 /dev/zero; head -c 200000 /dev/zero 1>&2; exit 3"])
        #expect(both.status == 3)
        #expect(both.stdout.count == 300_000)
        #expect(both.stderr.count == 64 << 10)
        #expect(!both.exceeded)
        let endless = try shell.run(["-c", "cat /dev/zero"], limit: 1 << 20)
        #expect(endless.exceeded)
        #expect(endless.stdout.count <= 1 << 20)
        #expect(throws: ModuleZipError(.git, message: "")) {
            _ = try GitCommand(executable: "gomodkit-no-such-git").run(["version"])
        }
    }

    /// The child's side of the runner: the variables it sets, the working directory, standard
    /// input from /dev/null, no inherited descriptors past 2, standard output into a file, and
    /// a signal's number as the status (what `Process.terminationStatus` reported).
    @Test func runnerChildEnvironmentDirectoryAndDescriptors() throws {
        let shell = GitCommand(executable: "sh")  // found in PATH
        let env = try shell.run(["-c", "echo \"$GIT_TERMINAL_PROMPT $LC_ALL $GIT_NO_REPLACE_OBJECTS\"; pwd; cat; ls /proc/self/fd | wc -l"],
                                in: "/")
        // sh, ls and wc share descriptors 0-2; `ls /proc/self/fd` adds the one it reads with.
        #expect(String(decoding: env.stdout, as: UTF8.self) == "0 C 1\n/\n4\n")
        #expect(env.status == 0)
        let killed = try shell.run(["-c", "kill -9 $$"])
        #expect(killed.status == 9)
        let sandbox = try Sandbox()
        let path = sandbox.sub("out")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        let toFile = try shell.run(["-c", "printf abc"], stdoutFile: fd)
        #expect(toFile.stdout.isEmpty && toFile.writeError == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("abc".utf8))
    }
}
