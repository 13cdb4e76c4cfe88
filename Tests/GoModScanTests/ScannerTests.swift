import Foundation
import Synchronization
import Testing
@testable import GoModCore
@testable import GoModScan
import GoModNet
import GoModFetch
import GoModTestSupport
import GoModOrigin
import GoModAdvisories

/// A small ecosystem in memory: the mirror's `.info` Origins and each repository's refs now.
final class FakeEcosystem: Sendable {
    let origins: [String: ModuleOrigin]
    let refs: Mutex<[String: [String: String]]>
    let failing: Mutex<Set<String>>
    let listings = Mutex<[String]>([])

    init(origins: [String: ModuleOrigin], refs: [String: [String: String]]) {
        self.origins = origins
        self.refs = Mutex(refs)
        self.failing = Mutex([])
    }

    var hooks: ScanHooks {
        ScanHooks(
            listRefs: { target in
                self.listings.withLock { $0.append(target.repoURL) }
                if self.failing.withLock({ $0.contains(target.repoURL) }) { throw ScanError(.network, "\(target.repoURL): connection reset") }
                guard let refs = self.refs.withLock({ $0[target.repoURL] }) else { return nil }
                return RefListing(refs: Dictionary(uniqueKeysWithValues: refs.map { (ByteString($0.key), $0.value) }))
            },
            origin: { module in self.origins["\(module.path.utf8String ?? "")@\(module.version.utf8String ?? "")"] })
    }

    /// The planted ecosystem: a moved tag, a deleted tag, clean sub-module and /v2 tags, a
    /// pseudo-version, a typosquat of an earlier path and one of a well-known module.
    static func planted() -> (FakeEcosystem, [IndexEntry]) {
        // As proxy.golang.org records them: VCS, URL, Subdir for a sub-module, Hash, Ref.
        func o(_ repo: String, _ ref: String, _ hash: String, subdir: String? = nil) -> ModuleOrigin {
            ModuleOrigin(vcs: "git", url: "https://github.com/" + repo, subdir: subdir, hash: hash, ref: ref)
        }
        let origins: [String: ModuleOrigin] = [
            "github.com/acme/widget@v1.0.0": o("acme/widget", "refs/tags/v1.0.0", "a100"),
            "github.com/acme/widget@v1.1.0": o("acme/widget", "refs/tags/v1.1.0", "a110"),
            "github.com/acme/widget/sub@v0.1.0": o("acme/widget", "refs/tags/sub/v0.1.0", "a010", subdir: "sub"),
            "github.com/acme/gadget@v1.0.0": o("acme/gadget", "refs/tags/v1.0.0", "g100"),
            "github.com/acme/gadget/v2@v2.0.0": o("acme/gadget", "refs/tags/v2.0.0", "g200"),
            "github.com/acme-go/widget@v1.0.0": o("acme-go/widget", "refs/tags/v1.0.0", "s100"),
            "github.com/boltdb-go/bolt@v1.3.1": o("boltdb-go/bolt", "refs/tags/v1.3.1", "b131"),
        ]
        let refs: [String: [String: String]] = [
            "https://github.com/acme/widget": [
                "refs/tags/v1.0.0": "a100", "refs/tags/v1.1.0": "EVIL", "refs/tags/sub/v0.1.0": "a010", "refs/heads/main": "a999",
            ],
            "https://github.com/acme/gadget": ["refs/tags/v2.0.0": "g200"],
            "https://github.com/acme-go/widget": ["refs/tags/v1.0.0": "s100"],
            "https://github.com/boltdb-go/bolt": ["refs/tags/v1.3.1": "b131"],
        ]
        let list = """
            github.com/acme/widget@v1.0.0
            github.com/acme/widget@v1.1.0
            github.com/acme/widget/sub@v0.1.0
            github.com/acme/gadget@v1.0.0
            github.com/acme/gadget/v2@v2.0.0
            github.com/acme/gadget@v1.0.1-0.20240101000000-abcdefabcdef
            github.com/acme-go/widget@v1.0.0
            github.com/boltdb-go/bolt@v1.3.1
            """
        let entries = try! IndexEntry.parseList(Array(list.utf8), name: "planted")
        return (FakeEcosystem(origins: origins, refs: refs), entries)
    }
}

@Suite struct ScannerTests {
    func scratch() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-scan-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func run(_ eco: FakeEcosystem, _ entries: [IndexEntry], state: String, shard: ShardSpec = .single,
             now: Int64 = 1_000) async throws -> ScanOutcome {
        let scanner = try Scanner(options: ScanOptions(stateDirectory: state, shard: shard, concurrency: 3, ingestBatch: 3, now: { now }),
                                  hooks: eco.hooks)
        return try await scanner.run(input: .list(entries, name: "planted"))
    }

    /// (kind, path, version, repository) of each finding.
    func summary(_ findings: [ScanFinding]) -> [String] {
        findings.map { "\($0.kind) \($0.path)@\($0.version) \($0.repository)" }
    }

    static let expected = [
        "typosquat github.com/acme-go/widget@v1.0.0 https://github.com/acme-go/widget",
        "tag-deleted github.com/acme/gadget@v1.0.0 https://github.com/acme/gadget",
        "tag-moved github.com/acme/widget@v1.1.0 https://github.com/acme/widget",
        "typosquat github.com/boltdb-go/bolt@v1.3.1 https://github.com/boltdb-go/bolt",
    ]

    @Test func findsExactlyThePlantedEvents() async throws {
        let (eco, entries) = FakeEcosystem.planted()
        let state = scratch()
        let outcome = try await run(eco, entries, state: state)
        #expect(outcome.complete)
        #expect(outcome.newVersions == 8)
        #expect(outcome.units == 4)
        #expect(summary(outcome.findings) == Self.expected)
        let moved = try #require(outcome.findings.first { $0.kind == .tagMoved })
        // GoModOrigin's verdict, in cmd/go's words (CheckReuse).
        #expect(moved.message == "ref \"refs/tags/v1.1.0\" moved from a110 to EVIL")
        let deleted = try #require(outcome.findings.first { $0.kind == .tagDeleted })
        #expect(deleted.message == "ref \"refs/tags/v1.0.0\" deleted; the mirror's Origin names g100")
        let squat = try #require(outcome.findings.first { $0.path == "github.com/acme-go/widget" })
        #expect(squat.target == "github.com/acme/widget")
        // One listing per repository, whatever the number of modules and versions in it.
        #expect(eco.listings.withLock { $0 }.sorted() == [
            "https://github.com/acme-go/widget", "https://github.com/acme/gadget", "https://github.com/acme/widget",
            "https://github.com/boltdb-go/bolt",
        ])
        // The output file holds the same findings, one JSON object per line.
        let output = try String(contentsOfFile: state + "/out/shard-0-of-1.jsonl", encoding: .utf8)
        #expect(output.split(separator: "\n").count == 4)
        #expect(try ScanReport.merge([state + "/out"]).findings == outcome.findings)
    }

    @Test func shardsTogetherFindTheSameAsOneRun() async throws {
        let (eco, entries) = FakeEcosystem.planted()
        let single = try await run(eco, entries, state: scratch())
        let shared = scratch()
        var union: [ScanFinding] = []
        var units = 0
        for i in 0..<3 {
            let (eco, _) = FakeEcosystem.planted()
            let outcome = try await run(eco, entries, state: shared, shard: try ShardSpec(index: i, count: 3))
            union += outcome.findings
            units += outcome.units
        }
        #expect(units == single.units)
        #expect(union.sorted() == single.findings)
        let merged = try ScanReport.merge([shared + "/out"])
        #expect(merged.findings == single.findings)
        #expect(merged.shardCount == 3 && merged.missingShards.isEmpty)
    }

    @Test func aFailedRunResumesToTheSameOutputWithoutRelistingFinishedRepositories() async throws {
        let (reference, entries) = FakeEcosystem.planted()
        let uninterrupted = scratch()
        _ = try await run(reference, entries, state: uninterrupted)

        let (eco, _) = FakeEcosystem.planted()
        eco.failing.withLock { $0 = ["https://github.com/acme/widget"] }
        let state = scratch()
        let first = try await run(eco, entries, state: state)
        #expect(!first.complete)
        #expect(first.failedUnits.map(\.unit) == ["https://github.com/acme/widget"])
        #expect(!FileManager.default.fileExists(atPath: state + "/out/shard-0-of-1.jsonl"))
        eco.failing.withLock { $0 = [] }
        eco.listings.withLock { $0 = [] }
        let second = try await run(eco, entries, state: state)
        #expect(second.complete && second.resumed)
        #expect(second.unitsProcessed == 1)
        #expect(eco.listings.withLock { $0 } == ["https://github.com/acme/widget"])
        let a = try Data(contentsOf: URL(fileURLWithPath: uninterrupted + "/out/shard-0-of-1.jsonl"))
        let b = try Data(contentsOf: URL(fileURLWithPath: state + "/out/shard-0-of-1.jsonl"))
        #expect(a == b)
        // The journal holds every unit's checkpoint once.
        let journal = try String(contentsOfFile: state + "/out/shard-0-of-1.journal", encoding: .utf8)
        #expect(journal.split(separator: "\n").filter { $0.hasPrefix("{\"checkpoint\"") }.count == 4)
    }

    @Test func aSecondPassSeesATagMovedSinceTheLastListingAndRecordsWhen() async throws {
        // No Origins at all: the scan compares with its own earlier listing.
        let eco = FakeEcosystem(origins: [:], refs: ["https://github.com/acme/widget": ["refs/tags/v1.0.0": "one"]])
        let entries = try IndexEntry.parseList(Array("github.com/acme/widget@v1.0.0\n".utf8), name: "l")
        let state = scratch()
        let first = try await run(eco, entries, state: state, now: 1_000)
        #expect(first.findings.isEmpty)
        eco.refs.withLock { $0["https://github.com/acme/widget"] = ["refs/tags/v1.0.0": "two"] }
        let second = try await run(eco, [], state: state, now: 2_000)
        #expect(summary(second.findings) == ["tag-moved github.com/acme/widget@v1.0.0 https://github.com/acme/widget"])
        #expect(second.findings.first?.message == "ref \"refs/tags/v1.0.0\" moved from one to two since the last listing")
        eco.refs.withLock { $0["https://github.com/acme/widget"] = [:] }
        let third = try await run(eco, [], state: state, now: 3_000)
        #expect(summary(third.findings) == ["tag-deleted github.com/acme/widget@v1.0.0 https://github.com/acme/widget"])

        let db = try ScanState(path: state + "/shard-0-of-1.sqlite")
        let history = try db.history(repository: "https://github.com/acme/widget", ref: "refs/tags/v1.0.0")
        #expect(history.map(\.event) == ["new", "moved", "deleted"])
        #expect(history.map(\.observedNanoseconds) == [1_000, 2_000, 3_000])
        #expect(try db.lastChange(repository: "https://github.com/acme/widget", ref: "refs/tags/v1.0.0")?.event == "deleted")
        let gate = try #require(try ScanState.tagLastChanged(stateDirectory: state, path: "github.com/acme/widget", version: "v1.0.0"))
        #expect(gate.ref == "refs/tags/v1.0.0" && gate.event.observedNanoseconds == 3_000)
    }

    @Test func theVerdictAndAdvisoryHooksPlugIn() async throws {
        let (eco, entries) = FakeEcosystem.planted()
        var hooks = eco.hooks
        let asked = Mutex<[String]>([])
        hooks.verdict = { request in
            asked.withLock { $0.append("\(request.reason) \(request.module)") }
            return request.reason == .tagMoved
                ? [ScanFinding(kind: .divergence, path: request.module.path.utf8String ?? "", version: request.module.version.utf8String ?? "",
                               repository: request.repository.repoURL, message: "rebuild differs")]
                : []
        }
        hooks.advisories = { modules, repository in
            modules.contains { $0.path == "github.com/acme/gadget/v2" }
                ? [ScanFinding(kind: .advisory, path: "github.com/acme/gadget/v2", version: "v2.0.0", repository: repository,
                               message: "GO-2099-0001", rule: "GO-2099-0001")]
                : []
        }
        let scanner = try Scanner(options: ScanOptions(stateDirectory: scratch(), now: { 1 }), hooks: hooks)
        let outcome = try await scanner.run(input: .list(entries, name: "planted"))
        #expect(outcome.findings.filter { $0.kind == .divergence }.map(\.version) == ["v1.1.0"])
        #expect(outcome.findings.filter { $0.kind == .advisory }.map(\.path) == ["github.com/acme/gadget/v2"])
        #expect(asked.withLock { $0 }.sorted() == ["tagDeleted github.com/acme/gadget@v1.0.0", "tagMoved github.com/acme/widget@v1.1.0"])
    }

    @Test func anUnknownShardStateIsNotMixedUp() throws {
        #expect(throws: ScanError(.usage, "")) { try ShardSpec(index: 3, count: 3) }
        #expect(throws: ScanError(.usage, "")) { try ShardSpec.resolve(index: nil, count: 4, environment: [:]) }
        #expect(throws: ScanError(.usage, "")) { try ShardSpec.resolve(index: 1, count: nil, environment: [:]) }
        #expect(try ShardSpec.resolve(index: nil, count: 4, environment: ["JOB_COMPLETION_INDEX": "2"]) == ShardSpec(index: 2, count: 4))
        #expect(try ShardSpec.resolve(index: nil, count: nil, environment: ["GOMODKIT_SHARD_INDEX": "1", "GOMODKIT_SHARD_COUNT": "2"]) == ShardSpec(index: 1, count: 2))
        #expect(try ShardSpec.resolve(index: nil, count: nil, environment: [:]) == .single)
    }

    // Expected values: Python's hashlib, int.from_bytes(sha256(key).digest()[:8], "big") % N.
    @Test(arguments: [
        ("https://github.com/boltdb/bolt", 2, 1), ("https://github.com/boltdb/bolt", 7, 1), ("https://github.com/boltdb/bolt", 256, 55),
        ("https://github.com/golang/go", 2, 0), ("https://github.com/golang/go", 7, 2), ("https://github.com/golang/go", 256, 236),
        ("", 256, 20), ("example.com/m", 256, 113),
    ])
    func shardHashIsSHA256PrefixModN(_ v: (String, Int, Int)) {
        #expect(ShardSpec.shard(of: Array(v.0.utf8), count: v.1) == v.2)
    }

    @Test func tagsOfSubModulesAndMajorVersionsAndStaticResolution() async throws {
        // cmd/go's codeRepo tags (GoModOrigin's ModuleLocation), with the scan's offline resolver.
        let resolver = ScanResolver.offline()
        func tag(_ path: ByteString, _ version: ByteString) async throws -> String? {
            let root = try #require(try await resolver.resolve(path))
            return try ModuleLocation(modulePath: path.utf8String ?? "", root: root).tag(for: version)
        }
        #expect(try await tag("github.com/a/b", "v1.2.3") == "v1.2.3")
        #expect(try await tag("github.com/a/b/v2", "v2.0.0") == "v2.0.0")
        #expect(try await tag("github.com/a/b/sub", "v0.1.0") == "sub/v0.1.0")
        #expect(try await tag("github.com/a/b/sub/v3", "v3.0.0") == "sub/v3.0.0")
        #expect(try await tag("github.com/a/b", "v2.0.0+incompatible") == "v2.0.0")
        #expect(try await resolver.resolve("github.com/a/b/sub/v3")?.repoURL == "https://github.com/a/b")
        // A custom domain needs ?go-get=1 discovery, which the offline resolver refuses.
        #expect(try await resolver.resolve("golang.org/x/mod") == nil)
    }

    @Test func hostLimiterKeepsAtMostNRequestsPerHost() async throws {
        let limiter = HostLimiter(limit: 2)
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<24 {
                let host = i % 3 == 0 ? "b.example" : "a.example"
                group.addTask {
                    try await limiter.withPermit(host) {
                        let n = tally.inFlight.withLock { $0[host, default: 0] += 1; return $0[host, default: 0] }
                        tally.worst.withLock { $0[host] = max($0[host, default: 0], n) }
                        try await Task.sleep(for: .milliseconds(5))
                        tally.inFlight.withLock { $0[host, default: 0] -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(tally.worst.withLock { $0 } == ["a.example": 2, "b.example": 2])
        #expect(await limiter.peak == ["a.example": 2, "b.example": 2])
        #expect(HostLimiter.host(of: "https://user@GitHub.com:443/a/b") == "github.com:443")
        #expect(HostLimiter.host(of: "git@github.com:a/b.git") == "github.com")
    }

    /// ossf/malicious-packages' MAL-2025-2545 (the fixture under ../shared) declares every
    /// version of github.com/boltdb-go/bolt affected (`introduced: "0"`): each new version of a
    /// unit is one finding under that id, however many versions of the path are new at once,
    /// and a path the record does not name gets none.
    @Test func advisoryMatcherFindsEachNewVersionOnce() async throws {
        let tree = try GoReference.requireShared().appendingPathComponent("fixtures/advisories").path
        let matcher = AdvisoryMatcher(sources: [.osv(tree)], transport: nil)
        let path = "github.com/boltdb-go/bolt"
        try await matcher.prepare([path, "github.com/boltdb/bolt"])
        let versions = ["v1.3.1", "v1.3.2", "v1.4.0", "v2.0.0+incompatible"]
        let modules = versions.map { ModuleVersion(path: ByteString(path), version: ByteString($0)) }
            + [ModuleVersion(path: "github.com/boltdb/bolt", version: "v1.3.1")]
        let findings = matcher.findings(modules, repository: "https://github.com/boltdb-go/bolt")
        #expect(findings.map(\.kind) == Array(repeating: .advisory, count: versions.count), "\(findings)")
        #expect(findings.map(\.path) == Array(repeating: path, count: versions.count))
        #expect(Set(findings.map(\.version)) == Set(versions))
        #expect(findings.map(\.rule) == Array(repeating: "MAL-2025-2545", count: versions.count))
    }

    @Test func mergeReportsMissingShards() throws {
        let dir = scratch()
        let f = ScanFinding(kind: .typosquat, path: "github.com/x/y", version: "v1.0.0", repository: "https://github.com/x/y", message: "m")
        try Data((f.jsonLine + [0x0A])).write(to: URL(fileURLWithPath: dir + "/shard-0-of-3.jsonl"))
        try Data().write(to: URL(fileURLWithPath: dir + "/shard-2-of-3.jsonl"))
        let merged = try ScanReport.merge([dir])
        #expect(merged.missingShards == [1])
        #expect(merged.findings == [f])
        try Data("not json\n".utf8).write(to: URL(fileURLWithPath: dir + "/shard-1-of-3.jsonl"))
        let error = #expect(throws: ScanError.self) { try ScanReport.merge([dir]) }
        #expect(error?.code == .badInput)
    }
}

@Suite struct ScannerMirrorInputTests {
    @Test func aPassIngestsOnlyTheFeedEntriesAfterTheLastOneWithTheirFirstSeenTimes() async throws {
        // Two repositories; the feed grows between passes.
        let first: [(path: String, version: String, timestamp: String)] = [
            ("github.com/acme/widget", "v1.0.0", "2024-01-01T00:00:00.000001Z"),
            ("github.com/acme/gadget", "v1.0.0", "2024-01-01T00:00:00.000002Z"),
            ("github.com/acme/widget", "v1.1.0", "2024-01-01T00:00:00.000002Z"),
        ]
        let later: [(path: String, version: String, timestamp: String)] = [
            ("github.com/acme/gadget", "v1.1.0", "2024-01-02T00:00:00Z"),
        ]
        let feed = SharedBox(IndexFeedFixture(entries: first))
        let server = try LoopbackHTTPServer.indexFeed { feed.current }
        defer { server.stop() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-scan-\(UUID().uuidString)").path
        let mirror = IndexMirror(directory: state + "/index")
        let client = IndexFeedClient(url: server.url.appendingPathComponent("index"), transport: DefaultHTTPTransport(timeout: 10))
        _ = try await mirror.sync(client: client)

        let eco = FakeEcosystem(origins: [:], refs: [
            "https://github.com/acme/widget": ["refs/tags/v1.0.0": "w1", "refs/tags/v1.1.0": "w2"],
            "https://github.com/acme/gadget": ["refs/tags/v1.0.0": "g1", "refs/tags/v1.1.0": "g2"],
        ])
        func pass() async throws -> ScanOutcome {
            let scanner = try Scanner(options: ScanOptions(stateDirectory: state, now: { 5 }), hooks: eco.hooks)
            return try await scanner.run(input: .mirror(mirror))
        }
        let one = try await pass()
        #expect(one.newVersions == 3 && one.units == 2 && one.findings.isEmpty)

        feed.update { $0.entries += later }
        let synced = try await mirror.sync(client: client)
        #expect(synced.appended == 1)
        let two = try await pass()
        #expect(two.newVersions == 1 && two.units == 2)

        let db = try ScanState(path: state + "/shard-0-of-1.sqlite")
        #expect(try db.version(path: "github.com/acme/widget", version: "v1.1.0")?.firstSeen == "2024-01-01T00:00:00.000002Z")
        #expect(try db.version(path: "github.com/acme/gadget", version: "v1.1.0")?.firstSeen == "2024-01-02T00:00:00Z")
        #expect(try db.version(path: "github.com/acme/gadget", version: "v1.1.0")?.repository == "https://github.com/acme/gadget")
        // A third pass with nothing new lists both repositories again and ingests nothing.
        let three = try await pass()
        #expect(three.newVersions == 0 && three.units == 2)
    }
}

/// Requests in flight per host, and the most seen at once.
final class Tally: Sendable {
    let inFlight = Mutex<[String: Int]>([:])
    let worst = Mutex<[String: Int]>([:])
}

