import Foundation
import Testing
import GoModCore
import GoSumDB
import GoModNet
import GoModTestSupport
@testable import GoModOrigin

/// The in-process smart HTTP lister against real `git ls-remote` over real `git http-backend` on
/// loopback (protocol v2, and v0 with the `Git-Protocol` header withheld), and against hostile
/// answers.
@Suite("Smart HTTP ref listing")
struct SmartHTTPRefListerTests {
    /// Repositories under one root: `full` (lightweight, annotated, tag-of-tag, sub-module,
    /// tree and non-ASCII tags, branches, refs cmd/go ignores), `many` (3,000 lightweight and
    /// 100 annotated tags), `empty` (no commit), `dumb` (a copy with `update-server-info`).
    final class Fixture: @unchecked Sendable {
        let sandbox: Sandbox
        let root: String

        init() throws {
            sandbox = try Sandbox()
            root = sandbox.path
            let git = GitHTTPBackendServer.self
            let full = root + "/full"
            try git.runGit(["init", "-q", "-b", "main", full], in: nil)
            try Data("module example.com/m\n".utf8).write(to: URL(fileURLWithPath: full + "/go.mod"))
            try git.runGit(["add", "-A"], in: full)
            try git.runGit(["-c", "commit.gpgsign=false", "commit", "-q", "-m", "one"], in: full)
            try git.runGit(["tag", "v1.0.0"], in: full)
            try git.runGit(["tag", "sub/v1.2.3"], in: full)
            try git.runGit(["-c", "tag.gpgsign=false", "tag", "-a", "-m", "sub annotated", "sub/v1.2.4"], in: full)
            try Data("package m\n".utf8).write(to: URL(fileURLWithPath: full + "/m.go"))
            try git.runGit(["add", "-A"], in: full)
            try git.runGit(["-c", "commit.gpgsign=false", "commit", "-q", "-m", "two"], in: full)
            try git.runGit(["-c", "tag.gpgsign=false", "tag", "-a", "-m", "annotated", "v1.1.0"], in: full)
            try git.runGit(["-c", "tag.gpgsign=false", "-c", "advice.nestedTag=false", "tag", "-a", "-m", "tag of a tag", "v1.1.1", "v1.1.0"], in: full)
            try git.runGit(["tag", "tree-tag", "HEAD^{tree}"], in: full)
            try git.runGit(["-c", "tag.gpgsign=false", "tag", "-a", "-m", "annotated tree", "tree-annotated", "HEAD^{tree}"], in: full)
            try git.runGit(["tag", "v2.0.0-\u{e9}t\u{e9}"], in: full)
            try git.runGit(["branch", "dev", "HEAD~1"], in: full)
            try git.runGit(["update-ref", "refs/pull/1/head", "HEAD~1"], in: full)
            try git.runGit(["update-ref", "refs/notes/commits", "HEAD"], in: full)

            let many = root + "/many"
            try git.runGit(["init", "-q", "-b", "trunk", many], in: nil)
            try git.runGit(["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "one"], in: many)
            let head = try git.runGit(["rev-parse", "HEAD"], in: many).trimmingCharacters(in: .whitespacesAndNewlines)
            let creates = (0..<3000).map { "create refs/tags/v0.\($0 / 100).\($0 % 100)-long-tag-name-to-pass-one-pkt-line-buffer \(head)\n" }.joined()
            try git.runGit(["update-ref", "--stdin"], in: many, stdin: Array(creates.utf8))
            for i in 0..<100 {
                try git.runGit(["-c", "tag.gpgsign=false", "tag", "-a", "-m", "a\(i)", "v1.0.\(i)"], in: many)
            }

            try git.runGit(["init", "-q", "--bare", root + "/empty.git"], in: nil)

            let sha256 = root + "/sha256"
            try git.runGit(["init", "-q", "-b", "main", "--object-format=sha256", sha256], in: nil)
            try git.runGit(["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "one"], in: sha256)
            try git.runGit(["tag", "v1.0.0"], in: sha256)
            try git.runGit(["-c", "tag.gpgsign=false", "tag", "-a", "-m", "a", "v1.1.0"], in: sha256)

            try git.runGit(["clone", "-q", "--bare", full, root + "/dumb.git"], in: nil)
            try git.runGit(["update-server-info"], in: root + "/dumb.git")
        }
    }

    static let fixture = Result { try Fixture() }

    /// `git ls-remote -q` as it prints, with `-c protocol.version=N`, keeping the lines of the
    /// refs cmd/go keeps (HEAD, heads, tags, and their `^{}` lines).
    static func lsRemote(_ url: String, protocolVersion: Int = 2, symref: Bool = false) throws -> (status: Int32, out: String, err: String) {
        let (status, out, err) = try GitHTTPBackendServer.runGitStatus(
            ["-c", "protocol.version=\(protocolVersion)", "ls-remote", "-q"] + (symref ? ["--symref"] : []) + [url], in: nil)
        let kept = out.split(separator: "\n", omittingEmptySubsequences: true).filter { line in
            guard let tab = line.firstIndex(of: "\t") else { return false }
            var name = Array(line[line.index(after: tab)...].utf8)
            if name.count > 3, Array(name.suffix(3)) == Array("^{}".utf8) { name.removeLast(3) }
            return SmartHTTPRefLister.isListed(name) || line.hasPrefix("ref: ")
        }
        return (status, kept.map { $0 + "\n" }.joined(), err)
    }

    static func transport() -> DefaultHTTPTransport { DefaultHTTPTransport(timeout: 30) }

    @Test(arguments: [true, false])
    func sameAsGitLsRemote(protocolV2: Bool) async throws {
        let fixture = try Self.fixture.get()
        let server = try GitHTTPBackendServer(root: fixture.root, protocolV2: protocolV2)
        defer { server.stop() }
        let lister = SmartHTTPRefLister(transport: Self.transport())
        for name in ["full", "many", "empty.git", "sha256"] {
            let url = server.url(name)
            let real = try Self.lsRemote(url)
            #expect(real.status == 0, "\(real.err)")
            let ours = try await lister.remoteRefs(url)
            #expect(ours.protocolVersion == (protocolV2 ? 2 : 0))
            #expect(String(decoding: ours.lsRemoteOutput, as: UTF8.self) == real.out, "\(name)")
            #expect(ours.listing == RefListing(lsRemoteOutput: Array(real.out.utf8)), "\(name)")
            let listed = try await lister.list(url)
            #expect(listed == ours.listing)
            // HEAD's symbolic ref, as `git ls-remote --symref` prints it.
            let symref = try Self.lsRemote(url, symref: true)
            let target = symref.out.split(separator: "\n").first { $0.hasPrefix("ref: ") && $0.hasSuffix("\tHEAD") }
                .map { String($0.dropFirst(5).dropLast(5)) }
            #expect(ours.symrefs["HEAD"].map { $0.utf8String ?? "" } == target, "\(name)")
        }
        let full = try await lister.remoteRefs(server.url("full")).listing
        // The fixture's shape, so that the comparison above covers what it claims.
        #expect(full.refs["refs/tags/v1.1.1"] == full.refs["refs/heads/main"])   // tag of a tag, peeled to the commit
        #expect(full.refs["refs/tags/v1.1.0"] == full.refs["refs/heads/main"])
        #expect(full.refs["refs/tags/sub/v1.2.4"] == full.refs["refs/heads/dev"])
        #expect(full.refs["refs/tags/sub/v1.2.3"] == full.refs["refs/heads/dev"])
        #expect(full.refs["refs/pull/1/head"] == nil && full.refs["refs/notes/commits"] == nil)
        #expect(full.refs.keys.contains(ByteString("refs/tags/v2.0.0-\u{e9}t\u{e9}")))
        #expect(try await lister.remoteRefs(server.url("many")).lines.count == 3000 + 200 + 2)
        #expect(try await lister.remoteRefs(server.url("empty.git")).lines.isEmpty)
        // sha256 object names: 64 hex digits (v2 says `object-format=sha256`; v0 in its capabilities).
        let sha256 = try await lister.remoteRefs(server.url("sha256"))
        #expect(sha256.lines.count == 5 && sha256.lines.allSatisfy { $0.oid.utf8.count == 64 })
        // The v0 server really was v0 (no POST); the v2 one was asked ls-refs.
        let posts = server.server.heads.filter { $0.hasPrefix("POST ") }
        #expect(protocolV2 ? !posts.isEmpty : posts.isEmpty)
        #expect(server.server.heads.filter { $0.hasPrefix("GET ") }.allSatisfy { $0.contains("\r\nGit-Protocol: version=2") })
    }

    /// Real git's v0 advertisement (git -c protocol.version=0 and http-backend) gives what the v2
    /// lister gives.
    @Test func protocolV0ClientAgrees() async throws {
        let fixture = try Self.fixture.get()
        let server = try GitHTTPBackendServer(root: fixture.root)
        defer { server.stop() }
        let real = try Self.lsRemote(server.url("full"), protocolVersion: 0)
        let ours = try await SmartHTTPRefLister(transport: Self.transport()).remoteRefs(server.url("full"))
        #expect(String(decoding: ours.lsRemoteOutput, as: UTF8.self) == real.out)
    }

    @Test func missingRepositoryIsNotFound() async throws {
        let fixture = try Self.fixture.get()
        for v2 in [true, false] {
            let server = try GitHTTPBackendServer(root: fixture.root, protocolV2: v2)
            defer { server.stop() }
            let url = server.url("nope.git")
            let real = try Self.lsRemote(url)
            #expect(real.status != 0 && real.err.contains("not found"), "\(real.err)")
            await #expect(throws: OriginError(.repositoryNotFound, subject: "", message: "")) {
                try await SmartHTTPRefLister(transport: Self.transport()).list(url)
            }
        }
    }

    /// A redirected discovery request moves the base the POST goes to (git's
    /// `update_url_from_redirect`).
    @Test func redirectMovesTheBase() async throws {
        let fixture = try Self.fixture.get()
        let server = try GitHTTPBackendServer(root: fixture.root)
        defer { server.stop() }
        let real = try Self.lsRemote(server.movedURL("full"))
        #expect(real.status == 0, "\(real.err)")
        let ours = try await SmartHTTPRefLister(transport: Self.transport()).remoteRefs(server.movedURL("full"))
        #expect(String(decoding: ours.lsRemoteOutput, as: UTF8.self) == real.out)
        #expect(server.server.heads.contains { $0.hasPrefix("POST /git/full/git-upload-pack ") })
    }

    @Test func dumbServerIsUnsupportedProtocol() async throws {
        let fixture = try Self.fixture.get()
        let server = try GitHTTPBackendServer(root: fixture.root)
        defer { server.stop() }
        let real = try Self.lsRemote(server.dumbURL("dumb.git"))
        #expect(real.status == 0 && real.out.contains("refs/tags/v1.1.0"), "\(real.err)")
        await #expect(throws: OriginError(.unsupportedProtocol, subject: "", message: "")) {
            try await SmartHTTPRefLister(transport: Self.transport()).list(server.dumbURL("dumb.git"))
        }
    }

    @Test func oversizeAnswerIsRefused() async throws {
        let fixture = try Self.fixture.get()
        let server = try GitHTTPBackendServer(root: fixture.root)
        defer { server.stop() }
        do {
            _ = try await SmartHTTPRefLister(transport: Self.transport(), maxResponse: 4096).list(server.url("many"))
            Issue.record("no error")
        } catch {
            #expect(error.code == .invalidRefListing)
            #expect(error.message.contains("larger than 4096 bytes") && error.message.contains(server.url("many")))
        }
    }

    @Test func handles() {
        #expect(SmartHTTPRefLister.handles("https://github.com/a/b"))
        #expect(SmartHTTPRefLister.handles("http://example.test/git/a.git"))
        #expect(!SmartHTTPRefLister.handles("git://example.test/a"))
        #expect(!SmartHTTPRefLister.handles("ssh://git@example.test/a"))
        #expect(!SmartHTTPRefLister.handles("git@example.test:a/b"))
        #expect(!SmartHTTPRefLister.handles("/srv/repo"))
        #expect(!SmartHTTPRefLister.handles("https://user:pw@example.test/a"))
        #expect(!SmartHTTPRefLister.handles("https://example.test/a?x=1"))
        #expect(!SmartHTTPRefLister.handles("https://example.test/a#f"))
    }

    /// The request body, as gitprotocol-v2 spells it (lengths counted by hand).
    @Test func lsRefsRequestBytes() {
        let body = String(decoding: SmartHTTPRefLister.lsRefsRequest(objectFormat: "sha1"), as: UTF8.self)
        #expect(body == "0014command=ls-refs\n0017object-format=sha1\n00010009peel\n000csymrefs\n0014ref-prefix HEAD\n001bref-prefix refs/heads/\n001aref-prefix refs/tags/\n0000")
        #expect(String(decoding: SmartHTTPRefLister.lsRefsRequest(objectFormat: nil), as: UTF8.self)
                == "0014command=ls-refs\n00010009peel\n000csymrefs\n0014ref-prefix HEAD\n001bref-prefix refs/heads/\n001aref-prefix refs/tags/\n0000")
    }

    // MARK: hostile answers

    static let a = String(repeating: "a", count: 40), b = String(repeating: "b", count: 40)

    static func pkt(_ text: String) -> String { String(decoding: PktLine.encode(text), as: UTF8.self) }

    static func lsRefs(_ body: String) throws(OriginError) -> RemoteRefs {
        try SmartHTTPRefLister.parseLsRefs(Array(body.utf8), objectFormat: "sha1", url: "https://example.test/r")
    }

    static func advertisement(_ body: String, type: String? = "application/x-git-upload-pack-advertisement") throws(OriginError) -> SmartHTTPRefLister.Advertisement {
        try SmartHTTPRefLister.parseAdvertisement(Array(body.utf8), contentType: type, url: "https://example.test/r")
    }

    @Test func lsRefsAnswer() throws {
        let refs = try Self.lsRefs(Self.pkt("\(Self.a) HEAD symref-target:refs/heads/main\n") + Self.pkt("\(Self.a) refs/heads/main\n")
                                   + Self.pkt("\(Self.b.uppercased()) refs/tags/v1.0.0 peeled:\(Self.a)\n") + "0000")
        #expect(String(decoding: refs.lsRemoteOutput, as: UTF8.self)
                == "\(Self.a)\tHEAD\n\(Self.a)\trefs/heads/main\n\(Self.b)\trefs/tags/v1.0.0\n\(Self.a)\trefs/tags/v1.0.0^{}\n")
        #expect(refs.symrefs["HEAD"] == "refs/heads/main")
        // A response-end packet after the flush is accepted; `unborn` lines are not refs.
        let unborn = try Self.lsRefs(Self.pkt("unborn HEAD symref-target:refs/heads/main\n") + "00000002")
        #expect(unborn.lines.isEmpty && unborn.symrefs["HEAD"] == "refs/heads/main")
    }

    static let hostileLsRefsAnswers: [(String, String)] = {
        var cases: [(String, String)] = []
        cases.append(("", "does not end with a flush"))
        cases.append(("00", "truncated pkt-line length"))
        cases.append(("zz10", "is not 4 hex digits"))
        cases.append(("0003", "invalid pkt-line length 3"))
        cases.append(("fff1", "exceeds 65520"))
        cases.append(("0040\(String(repeating: "x", count: 10))", "runs past the end"))
        cases.append(("0001", "does not end with a flush"))
        cases.append(("\(pkt("\(a) refs/tags/v1\n"))", "does not end with a flush"))
        cases.append(("\(pkt("\(a)\n"))0000", "is not <oid> <name>"))
        cases.append(("\(pkt("\(a.dropLast()) refs/tags/v1\n"))0000", "is not 40 hex digits"))
        cases.append(("\(pkt("\(a.dropLast())g refs/tags/v1\n"))0000", "is not 40 hex digits"))
        cases.append(("\(pkt("\(a) refs/tags/v1 peeled:\(b)0\n"))0000", "is not 40 hex digits"))
        cases.append(("\(pkt("\(a) refs/tags/v1 bogus\n"))0000", "unknown ls-refs attribute"))
        cases.append(("\(pkt("\(a) refs/tags/a..b\n"))0000", "contains \"..\""))
        cases.append(("\(pkt("\(a) refs/tags/a~1\n"))0000", "forbidden character"))
        cases.append(("\(pkt("\(a) refs/tags/v1.lock\n"))0000", "ends with \".lock\""))
        cases.append(("\(pkt("\(a) refs/tags/.v1\n"))0000", "starts with \".\""))
        cases.append(("\(pkt("\(a) refs/tags//v1\n"))0000", "empty component"))
        cases.append(("\(pkt("\(a) refs/tags/v1/\n"))0000", "empty component"))
        cases.append(("\(pkt("\(a) refs/tags/v1.\n"))0000", "ends with \".\""))
        cases.append(("\(pkt("\(a) refs/tags/a@{1\n"))0000", "contains \"@{\""))
        cases.append(("\(pkt("\(a) refs/tags/a\u{1}b\n"))0000", "control character"))
        cases.append(("\(pkt("\(a) refs/tags/a\tb\n"))0000", "control character"))
        cases.append(("\(pkt("\(a) HEAD symref-target:refs/heads/a:b\n"))0000", "forbidden character"))
        cases.append(("\(pkt("\(a) refs/tags/v1\n"))0000\(pkt("x"))", "data after the ls-refs answer's flush"))
        return cases
    }()

    @Test(arguments: hostileLsRefsAnswers)
    func hostileLsRefs(body: String, rule: String) {
        do {
            _ = try Self.lsRefs(body)
            Issue.record("accepted \(body.debugDescription)")
        } catch {
            #expect(error.code == .invalidRefListing)
            #expect(error.message.contains(rule) && error.message.hasPrefix("https://example.test/r: "), "\(error.message)")
        }
    }

    @Test func v0Advertisement() throws {
        let body = Self.pkt("# service=git-upload-pack\n") + "0000"
            + Self.pkt("\(Self.a) HEAD\u{0}multi_ack symref=HEAD:refs/heads/main agent=git/2\n")
            + Self.pkt("\(Self.a) refs/heads/main\n") + Self.pkt("\(Self.b) refs/pull/1/head\n")
            + Self.pkt("\(Self.b) refs/tags/v1\n") + Self.pkt("\(Self.a) refs/tags/v1^{}\n") + "0000"
        guard case .v0(let refs) = try Self.advertisement(body) else { Issue.record("not v0"); return }
        #expect(String(decoding: refs.lsRemoteOutput, as: UTF8.self)
                == "\(Self.a)\tHEAD\n\(Self.a)\trefs/heads/main\n\(Self.b)\trefs/tags/v1\n\(Self.a)\trefs/tags/v1^{}\n")
        #expect(refs.symrefs["HEAD"] == "refs/heads/main")
        #expect(refs.listing.refs["refs/tags/v1"] == Self.a)
        // An empty repository.
        let empty = Self.pkt("# service=git-upload-pack\n") + "0000"
            + Self.pkt("\(String(repeating: "0", count: 40)) capabilities^{}\u{0}agent=git/2\n") + "0000"
        guard case .v0(let none) = try Self.advertisement(empty) else { Issue.record("not v0"); return }
        #expect(none.lines.isEmpty)
        // v2 capabilities, with and without the `# service` section.
        let caps = Self.pkt("version 2\n") + Self.pkt("agent=git/2\n") + Self.pkt("ls-refs=unborn\n") + Self.pkt("object-format=sha256\n") + "0000"
        #expect(try Self.advertisement(caps, type: nil) == .v2(.init(objectFormat: "sha256")))
        #expect(try Self.advertisement(Self.pkt("# service=git-upload-pack\n") + "0000" + caps) == .v2(.init(objectFormat: "sha256")))
        // A dumb server's info/refs, and a smart-looking body without the smart content type.
        #expect(try Self.advertisement("\(Self.a)\trefs/heads/main\n", type: "text/plain") == .dumb)
        #expect(try Self.advertisement(Self.pkt("# service=git-upload-pack\n") + "0000", type: "text/plain") == .dumb)
    }

    static let hostileAdvertisements: [(String, String)] = {
        let service: String = pkt("# service=git-upload-pack\n") + "0000"
        let v2: String = service + pkt("version 2\n")
        let ref: String = pkt("\(a) refs/tags/v1\n")
        var cases: [(String, String)] = []
        cases.append((pkt("# service=git-receive-pack\n") + "0000", "expected \"# service=git-upload-pack\""))
        cases.append((pkt("# service=git-upload-pack\n"), "ends before the flush"))
        cases.append((v2 + pkt("agent=x\n") + "0000", "does not advertise ls-refs"))
        cases.append((v2 + pkt("ls-refs\n") + pkt("object-format=md5\n") + "0000", "unknown object format"))
        cases.append((v2 + pkt("ls-refs\n") + "0000" + "0000", "data after the capability advertisement"))
        cases.append((v2 + pkt("ls-refs\n"), "does not end with a flush"))
        cases.append((service + pkt("\(a) HEAD\n") + pkt("\(a) refs/tags/v1\u{0}x\n") + "0000", "capabilities after the first ref line"))
        cases.append((service + pkt("\(b) capabilities^{}\u{0}x\n") + "0000", "non-zero object name"))
        cases.append((service + pkt("\(a) refs/tags/v1\u{0}object-format=sha256\n") + "0000", "ref line is not <64-hex oid> <name>"))
        cases.append((service + pkt("\(a)refs/tags/v1\n") + "0000", "ref line is not <40-hex oid> <name>"))
        cases.append((service + pkt("\(a) refs/tags/v1^{}^{}\n") + "0000", "forbidden character"))
        cases.append((service + ref + "0000" + pkt("x"), "data after the ref advertisement's flush"))
        cases.append((service + ref + "0002", "does not end with a flush"))
        return cases
    }()

    @Test(arguments: hostileAdvertisements)
    func hostileAdvertisement(body: String, rule: String) {
        do {
            _ = try Self.advertisement(body)
            Issue.record("accepted \(body.debugDescription)")
        } catch {
            #expect(error.code == .invalidRefListing)
            #expect(error.message.contains(rule), "\(error.message)")
        }
    }

    /// Hostile and failing servers through the real transport: each a typed error naming the URL.
    @Test func hostileServers() async throws {
        let caps = Self.pkt("version 2\n") + Self.pkt("ls-refs\n") + "0000"
        let cases: [(get: (Int, String, [String]), post: (Int, String, [String])?, code: OriginError.Code, rule: String)] = [
            ((200, caps, []), (200, "0003", ["Content-Type: application/x-git-upload-pack-result"]), .invalidRefListing, "invalid pkt-line length 3"),
            ((200, caps, []), (200, "0000", ["Content-Type: text/html"]), .invalidRefListing, "content type"),
            ((200, caps, []), (302, "", ["Location: /elsewhere"]), .listingFailed, "returned error: 302"),
            ((200, caps, []), (500, "", []), .listingFailed, "returned error: 500"),
            ((401, "", []), nil, .listingFailed, "401"),
            ((403, "", []), nil, .listingFailed, "returned error: 403"),
            ((200, "<html>login</html>", ["Content-Type: text/html"]), nil, .unsupportedProtocol, "dumb HTTP"),
        ]
        for c in cases {
            let server = try LoopbackHTTPServer.requests({ request, connection in
                let answer = request.method == "POST" ? (c.post ?? (500, "", [])) : c.get
                connection.respond(answer.0, Array(answer.1.utf8), headers: answer.2)
                return .keepAlive
            })
            defer { server.stop() }
            let url = server.url.absoluteString + "/r.git"
            do {
                _ = try await SmartHTTPRefLister(transport: Self.transport()).list(url)
                Issue.record("no error for \(c)")
            } catch {
                #expect(error.code == c.code, "\(error.message)")
                #expect(error.message.contains(c.rule) && error.message.hasPrefix(url + ": "), "\(error.message)")
            }
        }
    }
}
