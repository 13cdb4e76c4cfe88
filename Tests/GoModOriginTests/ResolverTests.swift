import Foundation
import Testing
import GoModCore
import GoSumDB
@testable import GoModOrigin

/// A scripted `?go-get=1` server: URL → status and body (or a transport error), counting requests.
actor ScriptedPages: HTTPTransport {
    enum Answer: Sendable {
        case page(Int, String)
        case failure(HTTPTransportError)
    }
    private var answers: [String: Answer]
    private(set) var requests: [String] = []
    var delayNanoseconds: UInt64 = 0

    init(_ answers: [String: Answer]) { self.answers = answers }

    func setDelay(_ ns: UInt64) { delayNanoseconds = ns }

    nonisolated func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        try await answer(url.absoluteString)
    }

    private func answer(_ url: String) async throws -> HTTPResponse {
        requests.append(url)
        if delayNanoseconds > 0 { try await Task.sleep(nanoseconds: delayNanoseconds) }
        switch answers[url] {
        case .page(let status, let body)?: return HTTPResponse(status: status, body: Array(body.utf8))
        case .failure(let error)?: throw error
        case nil: throw HTTPTransportError(.failed, url: url, detail: "dial tcp: lookup: no such host")
        }
    }
}

func meta(_ content: String) -> String { "<meta name=\"go-import\" content=\"\(content)\">" }

func resolver(_ pages: ScriptedPages, govcs: String = "*:all", goinsecure: String = "", goprivate: String = "",
              ping: @escaping RepositoryResolver.Ping = { _, _ in false }) throws -> RepositoryResolver {
    let policy = try GoVCSPolicy(govcs: govcs, goprivate: PathPatterns(goprivate))
    return RepositoryResolver(configuration: .init(goinsecure: PathPatterns(goinsecure), govcs: policy),
                              transport: pages, ping: ping)
}

@Suite("Static host table (cmd/go vcs_test.go TestRepoRootForImportPath)")
struct StaticTableTests {
    // cmd/go's cases; `nil` = an error is expected. Resolution of these never reaches the
    // network (GOVCS "*:all" as in cmd/go's test init).
    static let cases: [(String, (vcs: String, repo: String)?)] = [
        ("github.com/golang/groupcache", ("git", "https://github.com/golang/groupcache")),
        ("github.com/user/unicode/испытание", nil),
        ("hub.jazz.net/git/user1/pkgname", ("git", "https://hub.jazz.net/git/user1/pkgname")),
        ("hub.jazz.net/git/user1/pkgname/submodule/submodule/submodule", ("git", "https://hub.jazz.net/git/user1/pkgname")),
        ("hub.jazz.net/someotherprefix/user1/pkgname", nil),
        ("hub.jazz.net/git/User 1/pkgname", nil),
        ("hub.jazz.net/git/user1/pkg name", nil),
        ("hub.jazz.net/git/user.1/pkgname", nil),
        ("hub.jazz.net/git/user/pkg.name", ("git", "https://hub.jazz.net/git/user/pkg.name")),
        ("hub.jazz.net/git/USER/pkgname", nil),
        ("git.openstack.org/openstack/swift", ("git", "https://git.openstack.org/openstack/swift")),
        ("git.openstack.org/openstack/swift.git", ("git", "https://git.openstack.org/openstack/swift.git")),
        ("git.openstack.org/openstack/swift/go/hummingbird", ("git", "https://git.openstack.org/openstack/swift")),
        ("git.openstack.org/openstack", nil),
        ("git.apache.org/package name/path/to/lib", nil),
        ("git.apache.org/package-name/path/to/lib", nil),
        ("git.apache.org/package-name.git", ("git", "https://git.apache.org/package-name.git")),
        ("git.apache.org/package-name_2.x.git/path/to/lib", ("git", "https://git.apache.org/package-name_2.x.git")),
        ("chiselapp.com/user/kyle/repository/fossilgg", ("fossil", "https://chiselapp.com/user/kyle/repository/fossilgg")),
        ("chiselapp.com/kyle/repository/fossilgg", nil),
        ("chiselapp.com/user/kyle/fossilgg", nil),
        ("bitbucket.org/user/repo/sub", ("git", "https://bitbucket.org/user/repo")),
    ]

    @Test func table() async throws {
        for (path, want) in Self.cases {
            let pages = ScriptedPages([:])
            let r = try resolver(pages)
            do {
                let got = try await r.resolve(path)
                guard let want else { Issue.record("\(path): want an error, got \(got)"); continue }
                #expect(got.vcs == want.vcs, "\(path)")
                #expect(got.repoURL == want.repo, "\(path)")
                #expect(!got.isCustom)
            } catch {
                if let want { Issue.record("\(path): want \(want), got \(error)") }
            }
        }
    }

    @Test func messages() async throws {
        let r = try resolver(ScriptedPages([:]))
        await #expect(throws: OriginError(.invalidImportPath, subject: "", message: "")) { try await r.resolve("github.com/owner") }
        do {
            _ = try await r.resolve("github.com/owner")
        } catch {
            #expect(error.message == #"invalid github.com/ import path "github.com/owner""#)
        }
        do {
            _ = try await r.resolve("github.com/owner/repo.git")
            Issue.record("no error")
        } catch {
            #expect(error.message == "invalid version control suffix in github.com/ path")
        }
        do {
            _ = try await r.resolve("https://github.com/a/b")
            Issue.record("no error")
        } catch {
            #expect(error.message == #""https://" not allowed in import path"#)
        }
        do {
            _ = try await r.resolve("localhost/foo")
            Issue.record("no error")
        } catch {
            #expect(error.message == #"unrecognized import path "localhost/foo": import path does not begin with hostname"#)
        }
    }

    @Test func githubRootsAndSubdirectories() async throws {
        let r = try resolver(ScriptedPages([:]))
        let root = try await r.resolve("github.com/rsc/foo/bar/v2")
        #expect(root.root == "github.com/rsc/foo")
        let location = try ModuleLocation(modulePath: "github.com/rsc/foo/bar/v2", root: root)
        #expect(location.codeDir == "bar")
        #expect(location.pathMajor == "/v2")
        #expect(location.tag(for: "v2.1.0") == "bar/v2.1.0")
        let top = try await r.resolve("github.com/rsc/foo/v3")
        let topLocation = try ModuleLocation(modulePath: "github.com/rsc/foo/v3", root: top)
        #expect(topLocation.codeDir == "")
        #expect(topLocation.tag(for: "v3.0.1") == "v3.0.1")
        #expect(topLocation.tag(for: "v3.0.0+incompatible") == "v3.0.0")
        #expect(topLocation.tag(for: "v0.0.0-20211109021931-daa7c04131f5") == nil)
    }

    @Test func qualifierProbesSecureSchemesOnly() async throws {
        let pinged = PingLog()
        let r = try resolver(ScriptedPages([:]), ping: { vcs, url in
            await pinged.add("\(vcs) \(url)")
            return url.hasPrefix("ssh://")
        })
        let root = try await r.resolve("example.com/foo.git/bar")
        #expect(root.root == "example.com/foo.git")
        #expect(root.repoURL == "ssh://example.com/foo")
        #expect(root.vcs == "git")
        // git's schemes in order, insecure ones (git, http) skipped.
        #expect(await pinged.entries == ["git https://example.com/foo", "git git+ssh://example.com/foo", "git ssh://example.com/foo"])
        let none = try resolver(ScriptedPages([:]))
        do {
            _ = try await none.resolve("example.com/foo.git")
            Issue.record("no error")
        } catch {
            #expect(error.code == .noSecureProtocol)
            #expect(error.message == "no secure protocol found for repository")
        }
        // GOINSECURE matching the path allows git:// and http://.
        let insecure = try resolver(ScriptedPages([:]), goinsecure: "example.com", ping: { _, url in url.hasPrefix("git://") })
        #expect(try await insecure.resolve("example.com/foo.git").repoURL == "git://example.com/foo")
    }
}

actor PingLog {
    var entries: [String] = []
    func add(_ s: String) { entries.append(s) }
}

@Suite("go-import discovery (cmd/go discovery_test.go, vcs_test.go TestMatchGoImport)")
struct DiscoveryTests {
    @Test func parseMetaGoImports() throws {
        typealias M = MetaImport
        let cases: [(String, MetaImport.ModuleMode, [MetaImport])] = [
            (meta("foo/bar git https://github.com/rsc/foo/bar"), .ignoreMod,
             [M(prefix: "foo/bar", vcs: "git", repoRoot: "https://github.com/rsc/foo/bar")]),
            (meta("foo/bar git https://github.com/rsc/foo/bar") + "\n\t\t" + meta("baz/quux git http://github.com/rsc/baz/quux"), .ignoreMod,
             [M(prefix: "foo/bar", vcs: "git", repoRoot: "https://github.com/rsc/foo/bar"),
              M(prefix: "baz/quux", vcs: "git", repoRoot: "http://github.com/rsc/baz/quux")]),
            (meta("foo/bar git https://github.com/rsc/foo/bar") + "\n\t\t" + meta("foo/bar mod http://github.com/rsc/baz/quux"), .ignoreMod,
             [M(prefix: "foo/bar", vcs: "git", repoRoot: "https://github.com/rsc/foo/bar")]),
            (meta("foo/bar mod http://github.com/rsc/baz/quux") + "\n\t\t" + meta("foo/bar git https://github.com/rsc/foo/bar"), .ignoreMod,
             [M(prefix: "foo/bar", vcs: "git", repoRoot: "https://github.com/rsc/foo/bar")]),
            (meta("foo/bar mod http://github.com/rsc/baz/quux") + "\n\t\t" + meta("foo/bar git https://github.com/rsc/foo/bar"), .preferMod,
             [M(prefix: "foo/bar", vcs: "mod", repoRoot: "http://github.com/rsc/baz/quux")]),
            ("<head>\n\t\t" + meta("foo/bar git https://github.com/rsc/foo/bar") + "\n\t\t</head>", .ignoreMod,
             [M(prefix: "foo/bar", vcs: "git", repoRoot: "https://github.com/rsc/foo/bar")]),
            (meta("foo/bar git https://github.com/rsc/foo/bar") + "\n\t\t<body>", .ignoreMod,
             [M(prefix: "foo/bar", vcs: "git", repoRoot: "https://github.com/rsc/foo/bar")]),
            ("<!doctype html>" + meta("foo/bar git https://github.com/rsc/foo/bar"), .ignoreMod,
             [M(prefix: "foo/bar", vcs: "git", repoRoot: "https://github.com/rsc/foo/bar")]),
            (#"<!doctype html><title>Page Not Found</title><meta name=go-import content="chitin.io/chitin git https://github.com/chitin-io/chitin"><div style=position:relative>DRAFT</div>"#,
             .ignoreMod, [M(prefix: "chitin.io/chitin", vcs: "git", repoRoot: "https://github.com/chitin-io/chitin")]),
            (meta("myitcv.io git https://github.com/myitcv/x") + "\n\t        " + meta("myitcv.io/blah2 mod https://raw.githubusercontent.com/myitcv/pubx/master") + "\n\t        ",
             .ignoreMod, [M(prefix: "myitcv.io", vcs: "git", repoRoot: "https://github.com/myitcv/x")]),
            (meta("myitcv.io git https://github.com/myitcv/x") + "\n\t        " + meta("myitcv.io/blah2 mod https://raw.githubusercontent.com/myitcv/pubx/master") + "\n\t        ",
             .preferMod, [M(prefix: "myitcv.io/blah2", vcs: "mod", repoRoot: "https://raw.githubusercontent.com/myitcv/pubx/master"),
                          M(prefix: "myitcv.io", vcs: "git", repoRoot: "https://github.com/myitcv/x")]),
            (meta("foo/bar git https://github.com/rsc/foo/bar subdir"), .ignoreMod,
             [M(prefix: "foo/bar", vcs: "git", repoRoot: "https://github.com/rsc/foo/bar", subdirectory: "subdir")]),
            (meta("foo/bar git https://github.com/rsc/foo/bar subdir/path"), .ignoreMod,
             [M(prefix: "foo/bar", vcs: "git", repoRoot: "https://github.com/rsc/foo/bar", subdirectory: "subdir/path")]),
        ]
        for (i, (html, mode, want)) in cases.enumerated() {
            #expect(try MetaImport.parse(html: Array(html.utf8), mode: mode) == want, "case \(i)")
        }
    }

    @Test func parserEdges() throws {
        // Tags after <body> are ignored; 2 or 5 fields are ignored; attribute names fold case;
        // entities in attribute values are decoded; comments and CDATA are skipped.
        let html = """
            <?xml version="1.0" encoding="UTF-8"?><!-- <meta name="go-import" content="c/c git https://c"> -->
            <HTML><HEAD><META NAME="go-import" CONTENT="a.io/x git https://a.io/x?a=1&amp;b=2">
            <meta name="go-import" content="too few">
            <meta name="go-import" content="a b c d e">
            <![CDATA[ <meta name="go-import" content="d/d git https://d"> ]]>
            </HEAD><body><meta name="go-import" content="b.io/y git https://b.io/y">
            """
        #expect(try MetaImport.parse(html: Array(html.utf8), mode: .preferMod)
                == [MetaImport(prefix: "a.io/x", vcs: "git", repoRoot: "https://a.io/x?a=1&b=2")])
        // A declared charset other than utf-8/ascii fails (no tag before it).
        do {
            _ = try MetaImport.parse(html: Array(#"<?xml version="1.0" encoding="ISO-8859-1"?>"#.utf8), mode: .preferMod)
            Issue.record("no error")
        } catch {
            #expect(error.message == #"can't decode XML document using charset "ISO-8859-1""#)
        }
        // A syntax error after a tag keeps the tag; before any tag it is reported.
        #expect(try MetaImport.parse(html: Array((meta("a.io/x git https://a.io/x") + "<a <<").utf8), mode: .preferMod).count == 1)
        do {
            _ = try MetaImport.parse(html: Array("<html>\n< oops".utf8), mode: .preferMod)
            Issue.record("no error")
        } catch {
            #expect(error.message == "XML syntax error on line 2: expected element name after <")
        }
    }

    @Test func matchGoImport() throws {
        typealias M = MetaImport
        let foo = M(prefix: "example.com/user/foo", vcs: "git", repoRoot: "https://example.com/repo/target")
        let fooa = M(prefix: "example.com/user/fooa", vcs: "git", repoRoot: "https://example.com/repo/target")
        let foobar = M(prefix: "example.com/user/foo/bar", vcs: "git", repoRoot: "https://example.com/repo/target")
        let blah2 = M(prefix: "myitcv.io/blah2", vcs: "mod", repoRoot: "https://raw.githubusercontent.com/myitcv/pubx/master")
        let myitcv = M(prefix: "myitcv.io", vcs: "git", repoRoot: "https://github.com/myitcv/x")
        let cases: [([M], String, M?)] = [
            ([foo], "example.com/user/foo", foo),
            ([foo], "example.com/user/foo/", foo),
            ([foo, fooa], "example.com/user/foo", foo),
            ([foo, fooa], "example.com/user/fooa", fooa),
            ([foo, foobar], "example.com/user/foo/bar", nil),
            ([foo, foobar], "example.com/user/foo/bar/baz", nil),
            ([foo, foobar], "example.com/user/foo/bar/baz/qux", nil),
            ([foo, foobar], "example.com/user/foo/bar/baz/", nil),
            ([foo, foobar], "example.com", nil),
            ([foo], "different.example.com/user/foo", nil),
            ([blah2, myitcv], "myitcv.io/blah2/foo", blah2),
            ([blah2, myitcv], "myitcv.io/other", myitcv),
        ]
        for (imports, path, want) in cases {
            let got = try? MetaImport.match(imports, importPath: path)
            #expect(got == want, "\(path)")
        }
        do {
            _ = try MetaImport.match([foo], importPath: "different.example.com/user/foo")
        } catch {
            #expect(error.message == "meta tag example.com/user/foo did not match import path different.example.com/user/foo")
        }
        do {
            _ = try MetaImport.match([foo, foobar], importPath: "example.com/user/foo/bar")
        } catch {
            #expect(error.message == #"multiple meta tags match import path "example.com/user/foo/bar""#)
        }
    }

    @Test func validateRepoRootTable() {
        let cases: [(String, Bool)] = [("", false), ("http://", true), ("git+ssh://", true), ("http#://", false),
                                       ("-config", false), ("-config://", false), ("file:///tmp/x", false)]
        for (root, ok) in cases {
            #expect(((try? validateRepoRoot(root)) != nil) == ok, "\(root)")
        }
    }

    @Test func isSecure() {
        let cases: [(VCSKind, String, Bool)] = [
            (.git, "http://example.com/foo.git", false), (.git, "https://example.com/foo.git", true),
            (.bzr, "http://example.com/foo.bzr", false), (.bzr, "https://example.com/foo.bzr", true),
            (.svn, "http://example.com/svn", false), (.svn, "https://example.com/svn", true),
            (.hg, "http://example.com/foo.hg", false), (.hg, "https://example.com/foo.hg", true),
            (.git, "ssh://user@example.com/foo.git", true), (.git, "user@server:path/to/repo.git", false),
            (.git, "user@server:", false), (.git, "server:repo.git", false), (.git, "server:path/to/repo.git", false),
            (.git, "example.com:path/to/repo.git", false), (.git, "path/that/contains/a:colon/repo.git", false),
            (.hg, "ssh://user@example.com/path/to/repo.hg", true),
            (.fossil, "http://example.com/foo", false), (.fossil, "https://example.com/foo", true),
        ]
        for (vcs, url, secure) in cases {
            #expect(vcs.isSecure(url: url, gitAllowProtocol: nil) == secure, "\(vcs.name) \(url)")
        }
        // GIT_ALLOW_PROTOCOL=https:foo (cmd/go TestIsSecureGitAllowProtocol, new behaviour).
        let allow: [(VCSKind, String, Bool)] = [
            (.git, "ssh://user@example.com/foo.git", false), (.git, "foo://example.com/bar.git", true),
            (.hg, "foo://example.com/bar.hg", false), (.svn, "foo://example.com/svn", false),
            (.bzr, "foo://example.com/bar.bzr", false), (.git, "https://example.com/foo.git", true),
        ]
        for (vcs, url, secure) in allow {
            #expect(vcs.isSecure(url: url, gitAllowProtocol: "https:foo") == secure, "\(vcs.name) \(url)")
        }
    }

    @Test func tagInA404PageAndPrefixVerification() async throws {
        let pages = ScriptedPages([
            "https://example.test/mod/sub?go-get=1": .page(404, "<html><head>" + meta("example.test/mod git https://git.example.test/mod") + "</head>"),
            "https://example.test/mod?go-get=1": .page(200, meta("example.test/mod git https://git.example.test/mod")),
        ])
        let r = try resolver(pages)
        let root = try await r.resolve("example.test/mod/sub")
        #expect(root == RepoRoot(repoURL: "https://git.example.test/mod", root: "example.test/mod", vcs: "git",
                                 isCustom: true, discoveryURLs: ["https://example.test/mod/sub?go-get=1", "https://example.test/mod?go-get=1"]))
        // The prefix page was cached: resolving the prefix itself costs nothing more.
        _ = try await r.resolve("example.test/mod")
        #expect(await pages.requests.count == 2)
        #expect(try ModuleLocation(modulePath: "example.test/mod/sub", root: root).codeDir == "sub")
    }

    @Test func discoveryErrors() async throws {
        func failure(_ pages: [String: ScriptedPages.Answer], _ path: String, govcs: String = "*:all") async throws -> OriginError? {
            let r = try resolver(ScriptedPages(pages), govcs: govcs)
            do { _ = try await r.resolve(path); return nil } catch { return error }
        }
        let u = "https://example.test/m?go-get=1"
        // No tag and a 404.
        var e = try await failure([u: .page(404, "<html>not here</html>")], "example.test/m")
        #expect(e?.message == #"unrecognized import path "example.test/m": reading https://example.test/m?go-get=1: 404 Not Found"#)
        // <body> before the tag: no tag, status 200.
        e = try await failure([u: .page(200, "<html><body>" + meta("example.test/m git https://x.test/m"))], "example.test/m")
        #expect(e?.code == .noMatchingMetaTag)
        #expect(e?.message == #"unrecognized import path "example.test/m": parse https://example.test/m?go-get=1: no go-import meta tags ()"#)
        // Two matching tags.
        e = try await failure([u: .page(200, meta("example.test/m git https://x.test/m") + meta("example.test git https://x.test/all"))], "example.test/m")
        #expect(e?.message == #"unrecognized import path "example.test/m": parse https://example.test/m?go-get=1: multiple meta tags match import path "example.test/m""#)
        // A disagreeing prefix page.
        e = try await failure([
            "https://example.test/m/sub?go-get=1": .page(200, meta("example.test/m git https://x.test/m")),
            u: .page(200, meta("example.test/m git https://evil.test/m")),
        ], "example.test/m/sub")
        #expect(e?.code == .metaTagDisagreement)
        #expect(e?.message == #"unrecognized import path "example.test/m/sub": https://example.test/m/sub?go-get=1 and https://example.test/m?go-get=1 disagree about go-import for example.test/m"#)
        // A prefix page without tags.
        e = try await failure([
            "https://example.test/m/sub?go-get=1": .page(200, meta("example.test/m git https://x.test/m")),
            u: .page(200, "<html></html>"),
        ], "example.test/m/sub")
        #expect(e?.message == #"unrecognized import path "example.test/m/sub": fetching example.test/m: no go-import meta tag found in https://example.test/m?go-get=1"#)
        // A file:// repository URL.
        e = try await failure([u: .page(200, meta("example.test/m git file:///etc"))], "example.test/m")
        #expect(e?.message == #"unrecognized import path "example.test/m": https://example.test/m?go-get=1: invalid repo root "file:///etc": file scheme disallowed"#)
        e = try await failure([u: .page(200, meta("example.test/m git example.test/m"))], "example.test/m")
        #expect(e?.message == #"unrecognized import path "example.test/m": https://example.test/m?go-get=1: invalid repo root "example.test/m": no scheme"#)
        // An unknown VCS.
        e = try await failure([u: .page(200, meta("example.test/m cvs https://x.test/m"))], "example.test/m")
        #expect(e?.message == #"unrecognized import path "example.test/m": https://example.test/m?go-get=1: unknown vcs "cvs""#)
        // A redirect to http (the transport refuses it).
        e = try await failure([u: .failure(HTTPTransportError(.insecureRedirect, url: u, detail: "http://example.test/m?go-get=1"))], "example.test/m")
        #expect(e?.code == .discoveryFailed)
        #expect(e?.message.hasPrefix(#"unrecognized import path "example.test/m": https fetch: "#) == true)
        #expect(e?.message.contains("redirected from secure URL https://example.test/m?go-get=1 to insecure URL http://example.test/m?go-get=1") == true)
        // An http repository without GOINSECURE.
        e = try await failure([u: .page(200, meta("example.test/m git http://x.test/m"))], "example.test/m")
        #expect(e?.code == .insecureRepoRoot)
        // GOVCS.
        e = try await failure([u: .page(200, meta("example.test/m hg https://x.test/m"))], "example.test/m", govcs: "public:git")
        #expect(e?.message == #"unrecognized import path "example.test/m": GOVCS disallows using hg for public example.test/m; see 'go help vcs'"#)
    }

    @Test func modEntriesAndSubdirectory() async throws {
        let u = "https://example.test/m?go-get=1"
        let r = try resolver(ScriptedPages([u: .page(200, meta("example.test/m git https://x.test/m") + meta("example.test/m mod https://proxy.test"))]))
        let root = try await r.resolve("example.test/m")
        #expect(root.vcs == "mod")
        #expect(root.repoURL == "https://proxy.test")
        let r2 = try resolver(ScriptedPages(["https://example.test/m/v2?go-get=1": .page(200, meta("example.test/m/v2 git https://x.test/repo sub"))]))
        let sub = try await r2.resolve("example.test/m/v2")
        #expect(sub.subdirectory == "sub")
        let location = try ModuleLocation(modulePath: "example.test/m/v2", root: sub)
        #expect(location.codeDir == "sub")
        #expect(location.tag(for: "v2.0.0") == "sub/v2.0.0")
    }

    @Test func concurrentLookupsShareOnePrefixFetch() async throws {
        let pages = ScriptedPages(["https://example.test/m?go-get=1": .page(200, meta("example.test/m git https://x.test/m"))]
            .merging((0..<8).map { ("https://example.test/m/p\($0)?go-get=1", ScriptedPages.Answer.page(200, meta("example.test/m git https://x.test/m"))) }) { a, _ in a })
        await pages.setDelay(20_000_000)
        let r = try resolver(pages)
        try await withThrowingTaskGroup(of: RepoRoot.self) { group in
            for i in 0..<8 { group.addTask { try await r.resolve("example.test/m/p\(i)") } }
            for _ in 0..<8 { group.addTask { try await r.resolve("example.test/m/p0") } }
            for try await root in group { #expect(root.repoURL == "https://x.test/m") }
        }
        let requests = await pages.requests
        #expect(requests.filter { $0 == "https://example.test/m?go-get=1" }.count == 1)
        #expect(requests.count == 9)
    }
}

@Suite("GOVCS (cmd/go vcs_test.go TestGOVCS, TestGOVCSErrors)")
struct GoVCSTests {
    @Test func allow() throws {
        let cases: [(String, String, String, Bool)] = [
            ("private:all", "is-public.com/foo", "zzz", false), ("private:all", "is-private.com/foo", "zzz", true),
            ("public:all", "is-public.com/foo", "zzz", true), ("public:all", "is-private.com/foo", "zzz", false),
            ("public:all,private:none", "is-public.com/foo", "zzz", true), ("public:all,private:none", "is-private.com/foo", "zzz", false),
            ("*:all", "is-public.com/foo", "zzz", true),
            ("golang.org:git", "golang.org/x/text", "zzz", false), ("golang.org:git", "golang.org/x/text", "git", true),
            ("golang.org:zzz", "golang.org/x/text", "zzz", true), ("golang.org:zzz", "golang.org/x/text", "git", false),
            ("golang.org:git|hg", "golang.org/x/text", "hg", true), ("golang.org:git|hg", "golang.org/x/text", "git", true),
            ("golang.org:git|hg", "golang.org/x/text", "zzz", false), ("golang.org:all", "golang.org/x/text", "hg", true),
            ("golang.org:all", "golang.org/x/text", "git", true), ("golang.org:all", "golang.org/x/text", "zzz", true),
            ("other.xyz/p:none,golang.org/x:git", "other.xyz/p/x", "git", false),
            ("other.xyz/p:none,golang.org/x:git", "unexpected.com", "git", false),
            ("other.xyz/p:none,golang.org/x:git", "golang.org/x/text", "zzz", false),
            ("other.xyz/p:none,golang.org/x:git", "golang.org/x/text", "git", true),
            ("other.xyz/p:none,golang.org/x:zzz", "golang.org/x/text", "zzz", true),
            ("other.xyz/p:none,golang.org/x:zzz", "golang.org/x/text", "git", false),
            ("other.xyz/p:none,golang.org/x:git|hg", "golang.org/x/text", "hg", true),
            ("other.xyz/p:none,golang.org/x:git|hg", "golang.org/x/text", "git", true),
            ("other.xyz/p:none,golang.org/x:git|hg", "golang.org/x/text", "zzz", false),
            ("other.xyz/p:none,golang.org/x:all", "golang.org/x/text", "hg", true),
            ("other.xyz/p:none,golang.org/x:all", "golang.org/x/text", "git", true),
            ("other.xyz/p:none,golang.org/x:all", "golang.org/x/text", "zzz", true),
            ("other.xyz/p:none,golang.org/x:git", "golang.org/y/text", "zzz", false),
            ("other.xyz/p:none,golang.org/x:git", "golang.org/y/text", "git", false),
            ("other.xyz/p:none,golang.org/x:zzz", "golang.org/y/text", "zzz", false),
            ("other.xyz/p:none,golang.org/x:zzz", "golang.org/y/text", "git", false),
            ("other.xyz/p:none,golang.org/x:git|hg", "golang.org/y/text", "hg", false),
            ("other.xyz/p:none,golang.org/x:git|hg", "golang.org/y/text", "git", false),
            ("other.xyz/p:none,golang.org/x:git|hg", "golang.org/y/text", "zzz", false),
            ("other.xyz/p:none,golang.org/x:all", "golang.org/y/text", "hg", false),
            ("other.xyz/p:none,golang.org/x:all", "golang.org/y/text", "git", false),
            ("other.xyz/p:none,golang.org/x:all", "golang.org/y/text", "zzz", false),
        ]
        for (govcs, path, vcs, ok) in cases {
            let rules = try GoVCSPolicy.parse(govcs)
            #expect(GoVCSPolicy.allows(rules, root: path, isPrivate: path.hasPrefix("is-private"), vcs: vcs) == ok,
                    "\(govcs) \(path) \(vcs)")
        }
    }

    @Test func errors() {
        let cases: [(String, String)] = [
            (",", "empty entry in GOVCS"), (",x", "empty entry in GOVCS"),
            ("x,", #"malformed entry in GOVCS (missing colon): "x""#), ("x:y,", "empty entry in GOVCS"),
            ("x", #"malformed entry in GOVCS (missing colon): "x""#), ("x:", #"empty VCS list in GOVCS: "x:""#),
            ("x:|", #"empty VCS name in GOVCS: "x:|""#), ("x:y|", #"empty VCS name in GOVCS: "x:y|""#),
            ("x:|y", #"empty VCS name in GOVCS: "x:|y""#), ("x:y,z:", #"empty VCS list in GOVCS: "z:""#),
            ("x:y,z:|", #"empty VCS name in GOVCS: "z:|""#), ("x:y,z:|w", #"empty VCS name in GOVCS: "z:|w""#),
            ("x:y,z:w|", #"empty VCS name in GOVCS: "z:w|""#), ("x:y,z:w||v", #"empty VCS name in GOVCS: "z:w||v""#),
            ("x:y,x:z", #"unreachable pattern in GOVCS: "x:z" after "x:y""#),
            (":git", #"empty pattern in GOVCS: ":git""#), ("./x:git", #"relative pattern not allowed in GOVCS: "./x""#),
        ]
        for (text, message) in cases {
            do {
                _ = try GoVCSPolicy.parse(text)
                Issue.record("\(text): no error")
            } catch {
                #expect(error.message == message, "\(text)")
                #expect(error.code == .govcsSyntax)
            }
        }
    }

    @Test func defaults() throws {
        let policy = try GoVCSPolicy(govcs: "", goprivate: PathPatterns("corp.example.com"))
        #expect(throws: Never.self) { try policy.check(vcs: "git", root: "github.com/a/b") }
        #expect(throws: Never.self) { try policy.check(vcs: "hg", root: "example.com/a") }
        #expect(throws: Never.self) { try policy.check(vcs: "svn", root: "corp.example.com/a") }
        #expect(throws: Never.self) { try policy.check(vcs: "mod", root: "example.com/a") }
        do {
            try policy.check(vcs: "svn", root: "example.com/a")
            Issue.record("no error")
        } catch {
            #expect(error.message == "GOVCS disallows using svn for public example.com/a; see 'go help vcs'")
        }
    }
}
