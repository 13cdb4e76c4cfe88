import Foundation
import Synchronization
import Testing
@testable import GoModCore
@testable import GoModScan
import GoModTestSupport
import GoModOrigin
import GoModFetch

/// A unit whose rebuild cannot reach its repository, runs past the unit time limit or fills
/// past the disk limit is not committed: the pass is incomplete (exit 3) and a later run
/// retries it; clones go once their unit is done. Real git servers on loopback.
@Suite(.serialized) struct ScanLimitTests {
    static let path = "github.com/example/lib"
    static let cleanURL = "https://example.invalid/clean"

    /// A repository whose `v1.0.0` was force-moved to a commit with other content; the
    /// checksum database's `h1:` is x/mod's for the original commit.
    final class Upstream: @unchecked Sendable {
        let repo: ScratchRepo
        let recorded: String
        let current: String
        let h1: String
        init(blob: Int = 0) throws {
            repo = try ScratchRepo()
            try repo.write("go.mod", "module \(ScanLimitTests.path)\n\ngo 1.19\n")
            try repo.write("lib.go", "package lib\n\nfunc Answer() int { return 42 }\n")
            if blob > 0 {
                var rng = SplitMix64(seed: 6)
                try repo.writeBytes("data.bin", (0..<blob).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            }
            recorded = try repo.commit("v1.0.0")
            try repo.git(["tag", "v1.0.0"])
            h1 = try repo.mirrorZip(rev: "v1.0.0", module: ScanLimitTests.path, version: "v1.0.0").h1
            try repo.write("lib.go", "package lib\n\nfunc init() { backdoor() }\n\nfunc backdoor() {}\n\nfunc Answer() int { return 42 }\n")
            current = try repo.commit("retag")
            try repo.git(["tag", "-f", "v1.0.0"])
        }
    }

    /// Hooks: the library resolves to `url` (listed with a real `git ls-remote` of the
    /// repository itself: the listing works whatever the server does), a second, clean unit
    /// needs no rebuild; verdicts rebuild from `url`.
    static func hooks(_ upstream: Upstream, url: String, verdicts: RebuildVerdicts) -> ScanHooks {
        let repoPath = upstream.repo.path
        return ScanHooks(
            resolve: { path in
                path == ByteString(Self.path) ? RepoRoot(repoURL: url, root: Self.path, vcs: "git")
                    : RepoRoot(repoURL: Self.cleanURL, root: "example.invalid/clean", vcs: "git")
            },
            listRefs: { root in
                if root.repoURL == Self.cleanURL { return RefListing(refs: [ByteString("refs/tags/v1.0.0"): "c100"]) }
                return try GitRefLister.run(git: "git", url: repoPath).get()
            },
            origin: { module in
                module.path == ByteString(Self.path)
                    ? ModuleOrigin(vcs: "git", url: url, hash: upstream.recorded, ref: "refs/tags/v1.0.0")
                    : ModuleOrigin(vcs: "git", url: Self.cleanURL, hash: "c100", ref: "refs/tags/v1.0.0")
            },
            verdict: { request in try await verdicts.verdict(request) },
            unitFinished: { unit in await verdicts.finish(repository: unit) })
    }

    static let entries = try! IndexEntry.parseList(Array("github.com/example/lib@v1.0.0\nexample.invalid/clean@v1.0.0\n".utf8), name: "t")

    static func scan(state: String, hooks: ScanHooks, timeLimit: Double? = 600) async throws -> ScanOutcome {
        let scanner = try Scanner(options: ScanOptions(stateDirectory: state, concurrency: 2, unitTimeLimit: timeLimit, now: { 1_000 }),
                                  hooks: hooks)
        return try await scanner.run(input: .list(entries, name: "t"))
    }

    static func clone(_ cache: String, _ url: String) -> String { cache + "/cache/vcs/" + UpstreamRebuilder.workDirectoryName(url: url) }

    @Test func aRebuildThatCannotReachTheRepositoryLeavesTheUnitForTheNextRun() async throws {
        let upstream = try Upstream()
        let daemon = GitDaemon(base: upstream.repo.sandbox.path, port: try GitDaemon.freePort())
        let url = daemon.url("repo")
        let box = try Sandbox()
        let verdicts = RebuildVerdicts(expectedHash: { _ in upstream.h1 }, rebuilder: UpstreamRebuilder(modcache: box.sub("cache")))
        let hooks = Self.hooks(upstream, url: url, verdicts: verdicts)

        // The verdict itself: a refused connection is a network error (exit 3), not "no finding".
        let request = VerdictRequest(module: try ModuleVersion(Self.path, "v1.0.0"), repository: RepoRoot(repoURL: url, root: Self.path, vcs: "git"),
                                     ref: "refs/tags/v1.0.0", currentCommit: upstream.current,
                                     origin: ModuleOrigin(vcs: "git", url: url, hash: upstream.recorded, ref: "refs/tags/v1.0.0"),
                                     reason: .tagMoved)
        do {
            let found = try await verdicts.verdict(request)
            Issue.record("a verdict without the repository: \(found)")
        } catch let error as ScanError {
            #expect(error.code == .network)
            #expect(error.exitCode == 3)
            #expect(error.message.contains(url) && error.message.contains("Connection refused"), "\(error.message)")
        }

        // The pass: the library's unit is not committed, the clean one is.
        let first = try await Self.scan(state: box.sub("state"), hooks: hooks)
        #expect(!first.complete)
        #expect(first.failedUnits.map(\.unit) == [url])
        #expect(first.failedUnits.first?.reason.contains("rebuilding github.com/example/lib@v1.0.0") == true, "\(first.failedUnits)")
        #expect(first.unitsProcessed == 1)
        #expect(first.findings.isEmpty)

        // The server is back: the resumed pass finds what an uninterrupted run finds.
        try daemon.start()
        defer { daemon.stop() }
        let resumed = try await Self.scan(state: box.sub("state"), hooks: hooks)
        #expect(resumed.resumed && resumed.complete)
        #expect(resumed.unitsProcessed == 1)
        let reference = try await Self.scan(state: box.sub("reference"), hooks: hooks)
        #expect(reference.complete)
        #expect(resumed.findings == reference.findings)
        #expect(reference.findings.map(\.kind) == [.divergence, .tagMoved])
        // The divergence names Go's h1: for the recorded commit, which still rebuilds to it.
        let divergence = reference.findings.first { $0.kind == .divergence }?.message ?? ""
        #expect(divergence.contains("not the checksum database's \(upstream.h1)"), "\(divergence)")
        #expect(divergence.contains("the recorded commit \(upstream.recorded) still has it"), "\(divergence)")
        #expect(divergence.contains("at \(upstream.current)"), "\(divergence)")
        // The output files agree byte for byte.
        let a = try Data(contentsOf: URL(fileURLWithPath: box.sub("state/out/shard-0-of-1.jsonl")))
        let b = try Data(contentsOf: URL(fileURLWithPath: box.sub("reference/out/shard-0-of-1.jsonl")))
        #expect(a == b)
        // Each unit's clone went with its unit.
        #expect(!FileManager.default.fileExists(atPath: Self.clone(box.sub("cache"), url)))

        // --keep-clones keeps it.
        let kept = RebuildVerdicts(expectedHash: { _ in upstream.h1 }, rebuilder: UpstreamRebuilder(modcache: box.sub("kept")), keepClones: true)
        let again = try await Self.scan(state: box.sub("state-kept"), hooks: Self.hooks(upstream, url: url, verdicts: kept))
        #expect(again.findings == reference.findings)
        #expect(FileManager.default.fileExists(atPath: Self.clone(box.sub("kept"), url) + "/objects"))
    }

    @Test func aUnitPastItsTimeLimitIsCancelledAndRetriedWhileTheOthersGoOn() async throws {
        let upstream = try Upstream()
        let stall = try StallingServer(hold: 60)
        let url = stall.url + "/lib.git"
        let box = try Sandbox()
        let verdicts = RebuildVerdicts(expectedHash: { _ in upstream.h1 }, rebuilder: UpstreamRebuilder(modcache: box.sub("cache")))
        let started = Date()
        let outcome = try await Self.scan(state: box.sub("state"), hooks: Self.hooks(upstream, url: url, verdicts: verdicts), timeLimit: 1.5)
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 20, "the pass waited for the stalled server (\(elapsed) s)")
        #expect(!outcome.complete)
        #expect(outcome.failedUnits.map(\.unit) == [url])
        #expect(outcome.failedUnits.first?.reason == "unit time limit 1.5 s")
        #expect(outcome.unitsProcessed == 1)
        #expect(ScanError(.unitLimit, "").exitCode == 3)
        // The cancelled rebuild's git went away (the server saw its client close).
        for _ in 0..<100 where stall.clientsGone < 1 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(stall.clientsGone >= 1)
        // The journal holds the finished unit only; the next run takes up the other.
        let journal = String(decoding: try Data(contentsOf: URL(fileURLWithPath: box.sub("state/out/shard-0-of-1.journal"))), as: UTF8.self)
        #expect(journal.contains(Self.cleanURL) && !journal.contains(url), "\(journal)")
    }

    @Test func aCloneGrowingPastTheDiskLimitFailsItsUnitNamingRepositoryAndLimit() async throws {
        let upstream = try Upstream(blob: 256 << 10)
        let url = "file://" + upstream.repo.path
        let box = try Sandbox()
        let verdicts = RebuildVerdicts(expectedHash: { _ in upstream.h1 },
                                       rebuilder: UpstreamRebuilder(modcache: box.sub("cache"), diskLimit: 64 << 10))
        let outcome = try await Self.scan(state: box.sub("state"), hooks: Self.hooks(upstream, url: url, verdicts: verdicts))
        #expect(!outcome.complete)
        #expect(outcome.failedUnits.map(\.unit) == [url])
        let reason = outcome.failedUnits.first?.reason ?? ""
        #expect(reason.contains(url) && reason.contains("disk limit 65536 bytes"), "\(reason)")
        #expect(outcome.unitsProcessed == 1)
        // Given up: its clone is removed all the same.
        #expect(!FileManager.default.fileExists(atPath: Self.clone(box.sub("cache"), url)))
        // With room, the same state completes with the divergence.
        let roomy = RebuildVerdicts(expectedHash: { _ in upstream.h1 },
                                    rebuilder: UpstreamRebuilder(modcache: box.sub("cache"), diskLimit: 64 << 20))
        let retried = try await Self.scan(state: box.sub("state"), hooks: Self.hooks(upstream, url: url, verdicts: roomy))
        #expect(retried.complete)
        #expect(retried.findings.map(\.kind) == [.divergence, .tagMoved])
    }

    @Test func anIncompletePassReportsTheFindingsOfTheUnitsItCommitted() async throws {
        let (reference, entries) = FakeEcosystem.planted()
        let box = try Sandbox()
        let whole = try await Scanner(options: ScanOptions(stateDirectory: box.sub("whole"), now: { 1 }), hooks: reference.hooks)
            .run(input: .list(entries, name: "planted"))
        let (eco, _) = FakeEcosystem.planted()
        eco.failing.withLock { $0 = ["https://github.com/acme/widget"] }
        let part = try await Scanner(options: ScanOptions(stateDirectory: box.sub("part"), now: { 1 }), hooks: eco.hooks)
            .run(input: .list(entries, name: "planted"))
        #expect(!part.complete)
        // Everything but the failed repository's findings, in the same order.
        #expect(!part.findings.isEmpty)
        #expect(part.findings == whole.findings.filter { $0.repository != "https://github.com/acme/widget" })
        #expect(whole.findings.contains { $0.repository == "https://github.com/acme/widget" })
    }
}
