import Foundation
import Testing
import GoModCore
import GoModZip
import GoModVCS
import GoModTestSupport
@testable import GoModOrigin

/// The rebuilder against real git servers on loopback: transport failures are told apart from
/// answers by their code, a work directory past the disk limit stops the fetch, and git waits
/// never hold the cooperative thread pool (and die with their task).
@Suite("Rebuild limits and failures", .serialized)
struct RebuildLimitsTests {
    static let module = "github.com/example/lib"

    /// A repository with `v1.0.0` and go.mod; `blob` bytes of incompressible data in `data.bin`.
    static func repository(blob: Int = 0) throws -> (ScratchRepo, commit: String) {
        let repo = try ScratchRepo()
        try repo.write("go.mod", "module \(module)\n\ngo 1.19\n")
        try repo.write("lib.go", "package lib\n\nfunc Answer() int { return 42 }\n")
        if blob > 0 {
            var rng = SplitMix64(seed: 16)
            try repo.writeBytes("data.bin", (0..<blob).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        let commit = try repo.commit("v1.0.0")
        try repo.git(["tag", "v1.0.0"])
        return (repo, commit)
    }

    static func root(_ url: String) -> RepoRoot { RepoRoot(repoURL: url, root: module, vcs: "git") }
    static let location = ModuleLocation(codeDir: "", pathMajor: "")

    @Test func transportFailuresAreUnreachableAndAnswersAreNot() async throws {
        let (repo, _) = try Self.repository()
        let expected = try repo.mirrorZip(rev: "v1.0.0", module: Self.module, version: "v1.0.0").h1  // x/mod's CreateFromVCS
        let daemon = GitDaemon(base: repo.sandbox.path, port: try GitDaemon.freePort())
        let cache = try Sandbox()
        let rebuilder = UpstreamRebuilder(modcache: cache.path)
        let v1 = try ModuleVersion(Self.module, "v1.0.0")
        let v9 = try ModuleVersion(Self.module, "v1.9.9")

        // Nothing listens on the port: git's own message ("unable to connect … Connection refused").
        do throws(OriginError) {
            _ = try await rebuilder.rebuild(v1, root: Self.root(daemon.url("repo")), location: Self.location)
            Issue.record("a rebuild from a refused port succeeded")
        } catch {
            #expect(error.code == .unreachable, "\(error.message)")
            #expect(error.message.contains("Connection refused"), "\(error.message)")
        }

        try daemon.start()
        defer { daemon.stop() }
        // Answers from the server: a tag it does not have, a commit it will not serve, a
        // repository it does not export.
        do throws(OriginError) {
            _ = try await rebuilder.rebuild(v9, root: Self.root(daemon.url("repo")), location: Self.location)
            Issue.record("a missing tag was rebuilt")
        } catch {
            #expect(error.code == .listingFailed, "\(error.message)")
            #expect(error.message.contains("couldn't find remote ref"), "\(error.message)")
        }
        do throws(OriginError) {
            _ = try await rebuilder.rebuild(v1, root: Self.root(daemon.url("repo")), location: Self.location,
                                            commit: "0123456789012345678901234567890123456789")
            Issue.record("an unknown commit was rebuilt")
        } catch {
            #expect(error.code == .listingFailed, "\(error.message)")
            #expect(error.message.contains("not our ref"), "\(error.message)")
        }
        do throws(OriginError) {
            _ = try await rebuilder.rebuild(v1, root: Self.root(daemon.url("nope")), location: Self.location)
            Issue.record("a missing repository was rebuilt")
        } catch {
            #expect(error.code == .listingFailed, "\(error.message)")
        }
        // And the rebuild itself, once the server is up, hashes as Go does.
        let made = try await rebuilder.rebuild(v1, root: Self.root(daemon.url("repo")), location: Self.location)
        #expect(made.created.hash.description == expected)

        // The content check carries the code of each failed candidate.
        daemon.stop()
        let result = OriginChecker.Result(module: v1, verdict: OriginVerdict(kind: .refMoved, message: ""),
                                          repository: Self.root(daemon.url("repo")), codeDir: "",
                                          origin: ModuleOrigin(vcs: "git", url: daemon.url("repo"), hash: nil, ref: "refs/tags/v1.0.0"))
        let fresh = try Sandbox()
        let check = await OriginChecker.rebuild(result, tier: .init(expectedHash: { _ in expected },
                                                                    rebuilder: UpstreamRebuilder(modcache: fresh.path)))
        #expect(check?.outcome == .notRebuilt)
        #expect(check?.rebuilt.map(\.errorCode) == [OriginError.Code.unreachable.rawValue])
    }

    @Test func aWorkDirectoryPastTheDiskLimitStopsTheFetch() async throws {
        let (repo, _) = try Self.repository(blob: 256 << 10)
        let v1 = try ModuleVersion(Self.module, "v1.0.0")
        let url = "file://" + repo.path
        let small = try Sandbox()
        do throws(OriginError) {
            _ = try await UpstreamRebuilder(modcache: small.path, diskLimit: 64 << 10).rebuild(v1, root: Self.root(url), location: Self.location)
            Issue.record("a 256 KiB fetch passed a 64 KiB limit")
        } catch {
            #expect(error.code == .diskLimit)
            #expect(error.subject == url)
            #expect(error.message.contains(url) && error.message.contains("65536 bytes"), "\(error.message)")
        }
        let large = try Sandbox()
        let expected = try repo.mirrorZip(rev: "v1.0.0", module: Self.module, version: "v1.0.0").h1
        let made = try await UpstreamRebuilder(modcache: large.path, diskLimit: 64 << 20).rebuild(v1, root: Self.root(url), location: Self.location)
        #expect(made.created.hash.description == expected)

        // removeWorkDirectory leaves nothing of the clone.
        let rebuilder = UpstreamRebuilder(modcache: large.path)
        let dir = large.path + "/cache/vcs/" + UpstreamRebuilder.workDirectoryName(url: url)
        #expect(FileManager.default.fileExists(atPath: dir + "/objects"))
        try await rebuilder.removeWorkDirectory(url: url)
        #expect(!FileManager.default.fileExists(atPath: dir))
        #expect(!FileManager.default.fileExists(atPath: dir + ".info"))
        try await rebuilder.removeWorkDirectory(url: url)  // missing: fine
    }

    @Test func treeSizeCountsFilesNotLinkTargets() throws {
        let box = try Sandbox()
        let fm = FileManager.default
        try fm.createDirectory(atPath: box.sub("t/a/b"), withIntermediateDirectories: true)
        try Data(count: 1000).write(to: URL(fileURLWithPath: box.sub("t/one")))
        try Data(count: 2345).write(to: URL(fileURLWithPath: box.sub("t/a/b/two")))
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: box.sub("big")))
        try fm.createSymbolicLink(atPath: box.sub("t/a/link"), withDestinationPath: box.sub("big"))
        try fm.createSymbolicLink(atPath: box.sub("t/dirlink"), withDestinationPath: box.path)
        let links = Int64(box.sub("big").utf8.count + box.path.utf8.count)  // a link's own size: its target's length
        #expect(try treeSizeNoFollow(box.sub("t")) == 1000 + 2345 + links)
        #expect(try treeSizeNoFollow(box.sub("missing")) == 0)
        #expect(try treeSizeNoFollow(box.sub("t"), stopAbove: 10) > 10)
    }

    @Test func gitWaitsLeaveThePoolFreeAndDieWithTheirTask() async throws {
        let stall = try StallingServer(hold: 60)
        let v1 = try ModuleVersion(Self.module, "v1.0.0")
        let caches = try (0..<8).map { _ in try Sandbox() }
        // More stalled fetches than the pool has threads (one per core), each on its own
        // rebuilder (an actor of its own).
        let started = Date()
        let url = stall.url
        let tasks = caches.map(\.path).enumerated().map { i, cache in
            Task { () -> OriginError? in
                do throws(OriginError) {
                    _ = try await UpstreamRebuilder(modcache: cache).rebuild(v1, root: Self.root(url + "/r\(i).git"), location: Self.location)
                    return nil
                } catch { return error }
            }
        }
        for _ in 0..<200 where stall.server.connections < tasks.count { try await Task.sleep(for: .milliseconds(50)) }
        #expect(stall.server.connections >= tasks.count)
        // With every fetch stalled, other tasks still run (waits on the pool would hold every
        // one of its threads until the server lets go, 60 s; the bound leaves room for other
        // suites' work on a loaded machine).
        let t0 = ContinuousClock.now
        for _ in 0..<20 { await Task.detached { await Task.yield() }.value }
        #expect(ContinuousClock.now - t0 < .seconds(10))
        // Cancelled: every git is killed (the server sees its clients go) and each task ends
        // with a transport-class error, long before the server would have let go.
        for task in tasks { task.cancel() }
        for task in tasks {
            let error = await task.value
            #expect(error?.code == .unreachable, "\(String(describing: error))")
        }
        #expect(Date().timeIntervalSince(started) < 30)
        for _ in 0..<100 where stall.clientsGone < tasks.count { try await Task.sleep(for: .milliseconds(50)) }
        #expect(stall.clientsGone >= tasks.count)
    }
}
