import Foundation
import Testing
import GoModCore
import GoModTestSupport
@testable import GoModOrigin

/// TagSum, RepoSum and isOriginTag vectors computed with Go 1.19.8's cmd/go code
/// (`go1.19:cmd/go/internal/modfetch/codehost/git.go` `Tags`, `repoSum`; `codehost.go`
/// `isOriginTag`), re-checked independently.
@Suite("Ref listing, TagSum, RepoSum")
struct RefListingTests {
    static let a = String(repeating: "a", count: 40), b = String(repeating: "b", count: 40)
    static let c = String(repeating: "c", count: 40), d = String(repeating: "d", count: 40)

    /// ls-remote output whose peeled map is the vector's: annotated v1.3.1 (tag object e… peeling
    /// to b…), lines cmd/go ignores.
    static var lsRemote: String {
        let e = String(repeating: "e", count: 40)
        return """
            \(c)\tHEAD
            \(c)\trefs/heads/master
            \(e)\trefs/tags/v1.3.1
            \(b)\trefs/tags/v1.3.1^{}
            \(a)\trefs/tags/v1.3.0
            \(a)\trefs/tags/v1.3
            \(d)\trefs/tags/sub/v0.1.0
            \(d)\trefs/tags/v2.0.0-20190101000000-abcdefabcdef
            \(c)\trefs/tags/v1.4.0+meta
            \(c)\trefs/pull/1/head
            \(c)\trefs/notes/commits
            garbage line with many fields
            \(c)

            """
    }

    @Test func parsing() {
        let listing = RefListing(lsRemoteOutput: Array(Self.lsRemote.utf8))
        #expect(listing.refs.count == 8)
        #expect(listing.refs["refs/tags/v1.3.1"] == Self.b)
        #expect(listing.refs["refs/tags/v1.3.1^{}"] == nil)
        #expect(listing.refs["refs/pull/1/head"] == nil)
        #expect(listing.refs["HEAD"] == Self.c)
    }

    @Test func vectors() {
        var listing = RefListing(lsRemoteOutput: Array(Self.lsRemote.utf8))
        #expect(listing.tagSum(prefix: "") == "t1:LmQI35jZ6Nf18TaJtsEes20q/gphxwYn7NgNQzWcJM8=")
        #expect(listing.tagSum(prefix: "v1.3.") == "t1:aovJUcI+gvLmVAGFS8RkKMywmV9P+ckVQ2taFrVxhRQ=")
        #expect(listing.tagSum(prefix: "sub/") == "t1:wVZhOQG1sPbJ0kSKUc8PQeb8RKqW8gEAGqcT3W7QZCs=")
        #expect(listing.tagSum(prefix: "nothing/") == "t1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        #expect(listing.repoSum == "r1:bt7ZzlDoLEAwAyBcRxdKFiwt08GEGRrEeWlERp9fKaY=")
        listing.refs["refs/tags/v1.3.1"] = Self.c
        #expect(listing.tagSum(prefix: "") == "t1:a8GQmD+4l39CEW8ww9uiT/ZbI7Aep17LA1PupP4OhEw=")
        #expect(listing.repoSum == "r1:SS/Lg3qvJTmgcCPrVfx8mnh5lg3xnKz3caTbsY5G3Y4=")
    }

    @Test func isOriginTag() {
        #expect(!RefListing.isOriginTag("v1.3"))
        #expect(RefListing.isOriginTag("v1.3.0"))
        #expect(RefListing.isOriginTag("v1.4.0+meta"))
        #expect(!RefListing.isOriginTag("v2.0.0-20190101000000-abcdefabcdef"))
        #expect(RefListing.isOriginTag("v1.3.1-rc.1"))
    }

    @Test func listsARealRepositoryOncePerURL() async throws {
        let repo = try ScratchRepo()
        try repo.write("go.mod", "module example.com/m\n")
        let first = try repo.commit("one")
        try repo.git(["tag", "v1.0.0"])
        try repo.git(["tag", "-a", "-m", "annotated", "v1.1.0"])
        try repo.git(["tag", "sub/v0.1.0"])
        let lister = GitRefLister()
        let path = repo.path
        let listing = try await lister.list(path)
        #expect(listing.refs["refs/tags/v1.0.0"] == first)
        #expect(listing.refs["refs/tags/v1.1.0"] == first)  // peeled
        #expect(listing.refs["refs/heads/main"] == first)
        #expect(listing.refs["HEAD"] == first)
        async let again = lister.list(path)
        async let third = lister.list(path)
        _ = try await (again, third)
        #expect(await lister.runCount == 1)
    }

    @Test func unreachableRepository() async throws {
        let sandbox = try Sandbox()
        let lister = GitRefLister()
        do {
            _ = try await lister.list(sandbox.sub("no-such-repo"))
            Issue.record("no error")
        } catch {
            #expect(error.code == .listingFailed)
            #expect(error.message.contains("git ls-remote -q"))
        }
    }

    /// cmd/go's `Cmd.Ping` for git, in its async form and its blocking form: a repository
    /// answers, a missing path and a URL beginning with `-` do not.
    @Test func pingAnswersForARealRepositoryOnly() async throws {
        let repo = try ScratchRepo()
        _ = try repo.commit("one")
        let sandbox = try Sandbox()
        #expect(await GitRefLister.isReachable(url: repo.path))
        #expect(GitRefLister.ping(url: repo.path))
        #expect(!(await GitRefLister.isReachable(url: sandbox.sub("no-such-repo"))))
        #expect(!GitRefLister.ping(url: sandbox.sub("no-such-repo")))
        #expect(!(await GitRefLister.isReachable(url: "--upload-pack=touch /tmp/x")))
    }

    @Test func insteadOfIsHonoured() async throws {
        let repo = try ScratchRepo()
        let head = try repo.commit("one")
        try repo.git(["tag", "v1.0.0"])
        let sandbox = try Sandbox()
        let config = sandbox.sub("gitconfig")
        try Data("[url \"\(repo.path)\"]\n\tinsteadOf = https://github.com/example/repo\n".utf8)
            .write(to: URL(fileURLWithPath: config))
        // A git wrapper with the caller's configuration (GIT_CONFIG_GLOBAL), as a user's
        // ~/.gitconfig would provide it.
        let wrapper = sandbox.sub("git")
        try Data("#!/bin/sh\nGIT_CONFIG_GLOBAL=\(config) GIT_CONFIG_NOSYSTEM=1 exec git \"$@\"\n".utf8)
            .write(to: URL(fileURLWithPath: wrapper))
        chmod(wrapper, 0o755)
        let listing = try await GitRefLister(git: wrapper).list("https://github.com/example/repo")
        #expect(listing.refs["refs/tags/v1.0.0"] == head)
    }
}
