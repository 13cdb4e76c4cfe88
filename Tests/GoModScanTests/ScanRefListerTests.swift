import Foundation
import Testing
import GoModCore
import GoSumDB
import GoModNet
import GoModOrigin
import GoModTestSupport
@testable import GoModScan

/// ``ScanRefLister``: http(s) repositories listed in-process (no git process: the requests
/// carry no git `User-Agent`), with the same answers as the `git ls-remote` path, a missing
/// repository `nil` on both, a dumb HTTP server handed to git, and the host limiter held.
@Suite struct ScanRefListerTests {
    static func repositories() throws -> Sandbox {
        let sandbox = try Sandbox()
        let git = GitHTTPBackendServer.self
        let repo = sandbox.path + "/r"
        try git.runGit(["init", "-q", "-b", "main", repo], in: nil)
        try git.runGit(["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "one"], in: repo)
        try git.runGit(["tag", "v1.0.0"], in: repo)
        try git.runGit(["-c", "tag.gpgsign=false", "tag", "-a", "-m", "a", "sub/v0.1.0"], in: repo)
        try git.runGit(["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "two"], in: repo)
        try git.runGit(["-c", "tag.gpgsign=false", "tag", "-a", "-m", "b", "v1.1.0"], in: repo)
        try git.runGit(["clone", "-q", "--bare", repo, sandbox.path + "/dumb.git"], in: nil)
        try git.runGit(["update-server-info"], in: sandbox.path + "/dumb.git")
        return sandbox
    }

    static func root(_ url: String) -> RepoRoot { RepoRoot(repoURL: url, root: "example.test/r", vcs: "git") }

    @Test func inProcessMatchesGitLsRemote() async throws {
        let sandbox = try Self.repositories()
        let server = try GitHTTPBackendServer(root: sandbox.path)
        defer { server.stop() }
        let limiter = HostLimiter(limit: 1)
        let transport = DefaultHTTPTransport(timeout: 30)
        let smart = ScanRefLister(limiter: limiter, transport: transport)
        let forced = ScanRefLister(limiter: limiter, transport: transport, forceGitLsRemote: true)
        let subprocess = ScanRefLister(limiter: limiter)

        let listing = try #require(try await smart.list(Self.root(server.url("r"))))
        #expect(server.server.heads.allSatisfy { !$0.lowercased().contains("\r\nuser-agent: git/") })
        #expect(server.server.heads.contains { $0.hasPrefix("POST ") })
        let viaGit = try await forced.list(Self.root(server.url("r")))
        #expect(server.server.heads.contains { $0.lowercased().contains("\r\nuser-agent: git/") })
        #expect(listing == viaGit)
        #expect(listing == (try await subprocess.list(Self.root(server.url("r")))))
        #expect(listing.refs["refs/tags/sub/v0.1.0"] == listing.refs["refs/tags/v1.0.0"])
        #expect(listing.refs.count == 5)  // HEAD, main, three tags

        #expect(try await smart.list(Self.root(server.url("missing.git"))) == nil)
        #expect(try await forced.list(Self.root(server.url("missing.git"))) == nil)

        // A dumb HTTP server: the in-process lister cannot, git ls-remote can.
        let dumb = try await smart.list(Self.root(server.dumbURL("dumb.git")))
        #expect(dumb == listing)
        #expect(await limiter.peak["127.0.0.1:\(server.server.port)"] == 1)
    }

    /// A failure other than "not found" is a network error (the run is incomplete and retried).
    @Test func otherFailuresAreNetworkErrors() async throws {
        let server = try LoopbackHTTPServer.requests({ _, c in
            c.respond(503, [])
            return .keepAlive
        })
        defer { server.stop() }
        let lister = ScanRefLister(transport: DefaultHTTPTransport(timeout: 10))
        await #expect(throws: ScanError.self) {
            _ = try await lister.list(Self.root(server.url.absoluteString + "/r.git"))
        }
    }
}
