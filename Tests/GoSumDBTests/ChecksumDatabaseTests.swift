import Foundation
import GoModCore
import GoSumDB
import GoSumDBTestSupport
import Synchronization
import Testing

/// The client against an in-process database with hostile variants, after x/mod's
/// sumdb/client_test.go (where GoModKit is stricter than Go: Docs/stricter-than-go.md).
@Suite struct ChecksumDatabaseTests {
    static let db = "localhost.localdev/sumdb"

    func expectError(_ code: ChecksumDatabaseError.Code, _ body: () async throws -> Void,
                     sourceLocation: SourceLocation = #_sourceLocation) async -> ChecksumDatabaseError? {
        do {
            try await body()
            Issue.record("no error, expected \(code)", sourceLocation: sourceLocation)
        } catch let error as ChecksumDatabaseError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// Row 119 (x/mod TestClientLookup shape, H = 2): lines returned, latest advances and is
    /// stored, and a second client answers from the cache with the network disabled.
    @Test func happyPathAndCache() async throws {
        let server = try FakeSumDBServer()
        server.add("rsc.io/sampler", "v1.3.0", text: "rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=\nrsc.io/sampler v1.3.0/go.mod h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=\n")
        let store = MemoryChecksumDatabaseStore()
        let client = try server.client(store: store)
        let r1 = try await client.lookup(ModuleVersion(path: "rsc.io/sampler", version: "v1.3.0"))
        #expect(r1.lines == ["rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4="])
        #expect(try await client.latest().tree.size == 1)
        server.add("rsc.io/quote", "v1.5.2", text: "rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\n")
        server.add("golang.org/x/text", "v0.3.0")
        let r2 = try await client.lookup(ModuleVersion(path: "rsc.io/quote", version: "v1.5.2"))
        #expect(r2.lines == ["rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y="])
        #expect(try await client.latest().tree.size == 3)
        server.add("example.com/m", "v1.0.0")
        _ = try await client.lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0/go.mod"))
        #expect(try await client.latest().tree.size == 4)
        #expect(store.config["\(Self.db)/latest"] == (try server.signedTree(4)))
        #expect(store.cache.keys.contains("\(Self.db)/lookup/rsc.io/sampler@v1.3.0"))
        #expect(store.cache.keys.contains { $0.hasPrefix("\(Self.db)/tile/2/0/") })

        server.set { $0.offline = true }
        let cached = try server.client(store: store)
        let again = try await cached.lookup(ModuleVersion(path: "rsc.io/sampler", version: "v1.3.0/go.mod"))
        #expect(again.lines == ["rsc.io/sampler v1.3.0/go.mod h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA="])
        let offline = try server.client(store: store, offline: true)
        _ = try await offline.lookup(ModuleVersion(path: "rsc.io/quote", version: "v1.5.2"))
        _ = await expectError(.offlineMissing) { _ = try await offline.lookup(ModuleVersion(path: "rsc.io/other", version: "v1.0.0")) }
    }

    /// Row 120: every tile XOR 0x80 is rejected; an honest server later recovers.
    @Test func corruptTiles() async throws {
        let server = try FakeSumDBServer()
        for i in 0..<6 { server.add("example.com/m\(i)", "v1.0.0") }
        let client = try server.client()
        _ = try await client.lookup(ModuleVersion(path: "example.com/m0", version: "v1.0.0"))
        for i in 6..<9 { server.add("example.com/m\(i)", "v1.0.0") }
        server.set { $0.tileHook = { _, data in data.map { $0 ^ 0x80 } } }
        let error = await expectError(.inconsistentTile) { _ = try await client.lookup(ModuleVersion(path: "example.com/m7", version: "v1.0.0")) }
        #expect(error?.description.contains("checking tree#6 against tree#9: downloaded inconsistent tile") == true)
        server.set { $0.tileHook = nil }
        _ = try await client.lookup(ModuleVersion(path: "example.com/m7", version: "v1.0.0"))
        #expect(try await client.latest().tree.size == 9)
    }

    /// Rows 122, 124: a fork (trees 5 and 6 diverging after 4 records) is a SECURITY ERROR with
    /// evidence that verifies; latest is unchanged; an older consistent tree is accepted.
    @Test func forkDetectedWithEvidence() async throws {
        let server = try FakeSumDBServer()
        for i in 0..<5 { server.add("example.com/m\(i)", "v1.0.0") }
        let store = MemoryChecksumDatabaseStore()
        let client = try server.client(store: store)
        _ = try await client.lookup(ModuleVersion(path: "example.com/m4", version: "v1.0.0"))
        let note5 = try server.signedTree(5)
        // Rollback (row 124): an older, consistent tree is accepted, latest stays.
        server.set { $0.servedSize = 3 }
        _ = try await client.lookup(ModuleVersion(path: "example.com/m1", version: "v1.0.0"))
        #expect(try await client.latest().tree.size == 5)
        // Fork: same first 4 records, different 5th, plus a 6th.
        var forked: [(String, String, String?)] = (0..<4).map { ("example.com/m\($0)", "v1.0.0", nil) }
        forked.append(("example.com/evil", "v1.0.0", nil))
        forked.append(("example.com/m5", "v1.0.0", nil))
        server.replace(with: forked)
        let error = await expectError(.securityFork) { _ = try await client.lookup(ModuleVersion(path: "example.com/m5", version: "v1.0.0")) }
        let report = try #require(error?.securityReport)
        #expect(report.hasPrefix("SECURITY ERROR\ngo.sum database server misbehavior detected!\n\nold database:\n\tgo.sum database tree\n\t5\n"))
        #expect(report.contains("new database:\n\tgo.sum database tree\n\t6\n"))
        #expect(store.evidence == [report])
        #expect(try await client.latest().tree.size == 5)
        #expect(store.config["\(Self.db)/latest"] == note5)
        // The evidence is self-contained: the proof lines verify the newer tree against the
        // recomputed hash, which differs from the old tree's hash.
        let proofPart = try #require(report.components(separatedBy: "proof of misbehavior:\n").last)
        let hashes = try proofPart.split(separator: "\n").map { try TLog.Hash(base64: String($0.dropFirst())) }
        #expect(hashes.count == 4)  // computed hash + 3 proof hashes: 4 lines, as in x/mod TestClientFork (trees 5 and 6)
        let newTree = try TLog.Tree(noteText: Array("go.sum database tree\n6\n\(try server.state.withLock { try $0.log.treeHash(6) })\n".utf8))
        try TLog.checkTree(Array(hashes.dropFirst()), treeSize: 6, root: newTree.hash, oldSize: 5, oldRoot: hashes[0])
        let oldTree = try TLog.Tree(noteText: Array(try #require(String(decoding: note5, as: UTF8.self).components(separatedBy: "\n\n").first).utf8) + [0x0A])
        #expect(hashes[0] != oldTree.hash)
    }

    /// Row 123: same size, different hash.
    @Test func sameSizeFork() async throws {
        let server = try FakeSumDBServer()
        for i in 0..<5 { server.add("example.com/m\(i)", "v1.0.0") }
        let client = try server.client()
        _ = try await client.lookup(ModuleVersion(path: "example.com/m4", version: "v1.0.0"))
        server.replace(with: (0..<4).map { ("example.com/m\($0)", "v1.0.0", nil) } + [("example.com/other", "v1.0.0", nil)])
        let error = await expectError(.securityFork) { _ = try await client.lookup(ModuleVersion(path: "example.com/other", version: "v1.0.0")) }
        #expect(error?.securityReport?.contains("proof of misbehavior:\n\t") == true)
    }

    /// Rows 125, 127 (CVE-2026-42501): the logged record of another module is refused.
    @Test func unrelatedRecordRefused() async throws {
        let server = try FakeSumDBServer()
        server.add("rsc.io/quote", "v1.5.2")
        server.add("rsc.io/sampler", "v1.3.0")
        server.set { s in
            let quote = s.records[0]
            s.lookupHook = { key, body in
                guard key == "rsc.io/sampler@v1.3.0" else { return body }
                let note = Array(body[(body.firstRange(of: [UInt8]([0x0A, 0x0A]))?.lowerBound ?? 0)...].dropFirst(2))
                return Array("0\n".utf8) + quote + [0x0A] + note
            }
        }
        let client = try server.client()
        _ = await expectError(.lookupMissingEntry) { _ = try await client.lookup(ModuleVersion(path: "rsc.io/sampler", version: "v1.3.0")) }
    }

    /// Rows 126, 127 (CVE-2026-56864): a line injected into the signed note text is never returned;
    /// strict mode rejects the note.
    @Test func injectedNoteLineIgnored() async throws {
        let server = try FakeSumDBServer()
        server.add("rsc.io/sampler", "v1.3.0")
        server.set { $0.noteSuffix = Array("rsc.io/sampler v1.3.0 h1:EVILEVILEVILEVILEVILEVILEVILEVILEVILEVILEVI=\n".utf8) }
        let client = try server.client()
        let result = try await client.lookup(ModuleVersion(path: "rsc.io/sampler", version: "v1.3.0"))
        #expect(result.lines.count == 1)
        #expect(!result.lines.contains { $0.description.contains("EVIL") })
        let strict = try server.client(strict: true)
        _ = await expectError(.unexpectedNoteContent) { _ = try await strict.lookup(ModuleVersion(path: "rsc.io/sampler", version: "v1.3.0")) }
    }

    /// Rows 113, 128, 129, 130: negative and non-canonical ids, id ≥ N, altered text.
    @Test(arguments: ["-1", "+0", "00", "-9223372036854775808"]) func nonCanonicalIDs(id: String) async throws {
        let server = try FakeSumDBServer()
        server.add("rsc.io/sampler", "v1.3.0")
        server.add("rsc.io/quote", "v1.5.2")
        server.set { $0.lookupHook = { _, body in Array(id.utf8) + Array(body.drop { $0 != 0x0A }) } }
        let client = try server.client()
        _ = await expectError(.tlog) { _ = try await client.lookup(ModuleVersion(path: "rsc.io/sampler", version: "v1.3.0")) }
    }

    @Test func recordOutsideTreeAndAlteredText() async throws {
        let server = try FakeSumDBServer()
        server.add("rsc.io/sampler", "v1.3.0")
        server.add("rsc.io/quote", "v1.5.2")
        server.set { $0.lookupHook = { _, body in Array("7".utf8) + Array(body.drop { $0 != 0x0A }) } }
        let client = try server.client()
        let e1 = await expectError(.recordNotInTree) { _ = try await client.lookup(ModuleVersion(path: "rsc.io/sampler", version: "v1.3.0")) }
        #expect(e1?.description == "rsc.io/sampler@v1.3.0: cannot validate record 7 in tree of size 2")
        server.set { $0.lookupHook = { _, body in
            var body = body
            if let i = body.firstRange(of: Array("h1:".utf8))?.lowerBound { body[i + 4] = body[i + 4] == 0x41 ? 0x42 : 0x41 }
            return body
        } }
        let e2 = await expectError(.recordNotAuthenticated) { _ = try await client.lookup(ModuleVersion(path: "rsc.io/quote", version: "v1.5.2")) }
        #expect(e2?.description == "rsc.io/quote@v1.5.2: cannot authenticate record data in server response")
    }

    /// Row 131: a relaying proxy serving tiles of a log whose leaf was replaced (all non-root
    /// tiles recomputed) together with a record whose text is the forged one.
    @Test func forgedTilesThroughClient() async throws {
        let server = try FakeSumDBServer()
        for i in 0..<7 { server.add("example.com/m\(i)", "v1.0.0") }
        let evil = Array("example.com/m0 v1.0.0 h1:EVILEVILEVILEVILEVILEVILEVILEVILEVILEVILEVI=\n".utf8)
        var leaves = server.state.withLock { $0.records }
        leaves[0] = evil
        let forged = TestLog(leaves: leaves)
        let honest = server.state.withLock { $0.log }
        let tree = try honest.tree(7)
        let plan = try TLog.TilePlan(tree: tree, height: 2, indexes: [0])
        let forgedPaths = Set(plan.tiles[plan.rootTileCount...].map(\.path))
        server.set { s in
            s.tileHook = { tile, data in forgedPaths.contains(tile.path) ? (forged.tileData(tile) ?? data) : data }
            s.lookupHook = { key, body in
                guard key == "example.com/m0@v1.0.0" else { return body }
                let note = Array(body[(body.firstRange(of: [UInt8]([0x0A, 0x0A]))?.lowerBound ?? 0)...].dropFirst(2))
                return Array("0\n".utf8) + evil + [0x0A] + note
            }
        }
        let client = try server.client()
        _ = await expectError(.inconsistentTile) { _ = try await client.lookup(ModuleVersion(path: "example.com/m0", version: "v1.0.0")) }
    }

    /// Row 132: a 404 for a partial tile falls back to the full tile, sliced.
    @Test func partialTileFallsBackToFull() async throws {
        let server = try FakeSumDBServer()
        for i in 0..<16 { server.add("example.com/m\(i)", "v1.0.0") }
        server.set { $0.servedSize = 6; $0.partialTilesMissing = true }
        let client = try server.client()
        // Tree 6 needs tile/2/0/001.p/2, which the server only has as full tile/2/0/001.
        _ = try await client.lookup(ModuleVersion(path: "example.com/m5", version: "v1.0.0"))
        #expect(server.requests.contains { $0.hasSuffix("tile/2/0/001.p/2") })
        #expect(server.requests.contains { $0.hasSuffix("tile/2/0/001") })
    }

    /// Rows 133–135: oversize bodies, HTTP 500.
    @Test func transportFailures() async throws {
        let server = try FakeSumDBServer()
        server.add("example.com/m", "v1.0.0")
        server.set { $0.tileHook = { _, data in data + [0] } }
        _ = await expectError(.transport) { _ = try await server.client().lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0")) }
        server.set { $0.tileHook = { _, data in Array(data.dropLast()) } }
        _ = await expectError(.inconsistentTile) { _ = try await server.client().lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0")) }
        server.set { $0.tileHook = nil; $0.lookupHook = { _, body in body + [UInt8](repeating: 0x41, count: 2 << 20) } }
        _ = await expectError(.transport) { _ = try await server.client().lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0")) }
        server.set { $0.lookupHook = nil; $0.statusHook = { _ in 500 } }
        let error = await expectError(.httpStatus) { _ = try await server.client().lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0")) }
        #expect(error?.description.contains("500 Internal Server Error") == true)
        server.set { $0.statusHook = nil }
        _ = await expectError(.notFound) { _ = try await server.client().lookup(ModuleVersion(path: "example.com/unknown", version: "v1.0.0")) }
    }

    /// Rows 139, 141: a stored latest that is garbage or signed by another key; a server that
    /// signs with a new key only.
    @Test func corruptStateAndKeyChange() async throws {
        let server = try FakeSumDBServer()
        server.add("example.com/m", "v1.0.0")
        let garbage = MemoryChecksumDatabaseStore(config: ["\(Self.db)/latest": Array("go.sum database tree\n1\n".utf8) + [0, 0, 0]])
        _ = await expectError(.stateCorrupt) { _ = try await server.client(store: garbage).lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0")) }
        let (other, _) = try NoteSigner.generate(name: "localhost.localdev/sumdb")
        let otherServer = try FakeSumDBServer(height: 2, signer: "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
        otherServer.add("example.com/m", "v1.0.0")
        let error = await expectError(.note) { _ = try await otherServer.client().lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0")) }
        #expect(error?.description.contains("note has no verifiable signatures") == true)
        let foreign = MemoryChecksumDatabaseStore(config: ["\(Self.db)/latest": try Note.sign(TLog.Tree.empty.noteText, with: [other])])
        _ = await expectError(.stateCorrupt) { _ = try await server.client(store: foreign).latest() }
    }

    /// Rows 137, 138: a proxy answering 200 for /supported is used exclusively (its 404 is final);
    /// 404 or 410 moves to the next entry; `direct` reaches https://<name>.
    @Test func proxyRelay() async throws {
        let server = try FakeSumDBServer()
        server.add("example.com/m", "v1.0.0")
        server.set { $0.statusHook = { path in path.hasSuffix("/supported") ? 200 : (path.contains("/lookup/") ? 404 : nil) } }
        let relayed = try server.client(proxies: [("https://proxy.example", false), ("direct", false)])
        _ = await expectError(.notFound) { _ = try await relayed.lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0")) }
        #expect(server.requests.first == "https://proxy.example/sumdb/localhost.localdev/sumdb/supported")
        #expect(!server.requests.contains { $0.hasPrefix("https://localhost.localdev/") })

        server.set { $0.requests = []; $0.statusHook = { path in path.hasSuffix("/supported") ? (path.contains("gone") ? 410 : 404) : nil } }
        let direct = try server.client(proxies: [("https://proxy.example", false), ("https://gone.example", false), ("direct", false)])
        _ = try await direct.lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0"))
        #expect(server.requests.prefix(2) == ["https://proxy.example/sumdb/localhost.localdev/sumdb/supported",
                                              "https://gone.example/sumdb/localhost.localdev/sumdb/supported"])
        #expect(server.requests.contains("https://localhost.localdev/sumdb/lookup/example.com/m@v1.0.0"))

        server.set { $0.requests = []; $0.statusHook = { path in path.hasSuffix("/supported") ? 500 : nil } }
        _ = await expectError(.httpStatus) {
            _ = try await server.client(proxies: [("https://proxy.example", false), ("direct", false)]).lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0"))
        }
        // After "|", any error falls through to the next entry.
        _ = try await server.client(proxies: [("https://proxy.example", true), ("direct", false)]).lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0"))
    }

    /// Row 144 (x/mod TestClientGONOSUMDB): GONOSUMDB patterns skip exactly Go's set.
    @Test func gonosumdb() async throws {
        let server = try FakeSumDBServer()
        let client = try server.client(noSumDB: "p,*/q")
        for (path, skipped) in [("p", true), ("p/x", true), ("x/q", true), ("x/q/z", true), ("q", false), ("pp", false), ("x/p", false)] {
            do {
                _ = try await client.lookup(ModuleVersion(path: ByteString(path), version: "v1.0.0"))
                Issue.record("lookup of \(path) succeeded")
            } catch let error as ChecksumDatabaseError {
                #expect((error.code == .skipped) == skipped, "\(path): \(error)")
            }
        }
    }

    /// Concurrent lookups share tiles: each tile is fetched once.
    @Test func concurrentLookupsShareTiles() async throws {
        let server = try FakeSumDBServer(height: 3)
        for i in 0..<200 { server.add("example.com/m\(i)", "v1.0.0") }
        let client = try server.client()
        _ = try await client.fetchLatest()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask { _ = try await client.lookup(ModuleVersion(path: ByteString("example.com/m\(i)"), version: "v1.0.0")) }
            }
            try await group.waitForAll()
        }
        let tiles = server.requests.filter { $0.contains("/tile/") }
        #expect(tiles.count == Set(tiles).count)
        #expect(server.requests.filter { $0.contains("/lookup/") }.count == 200)
    }

    /// Row 140: two clients advance one stored latest concurrently; it ends at the larger tree.
    @Test func concurrentLatestAdvances() async throws {
        let server = try FakeSumDBServer()
        for i in 0..<40 { server.add("example.com/m\(i)", "v1.0.0") }
        let store = MemoryChecksumDatabaseStore()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in stride(from: Int64(2), through: 40, by: 2) {
                group.addTask {
                    let client = try server.client(store: store)
                    try await client.mergeLatest(try server.signedTree(n))
                }
            }
            try await group.waitForAll()
        }
        #expect(store.config["\(Self.db)/latest"] == (try server.signedTree(40)))
    }

    /// GOSUMDB parsing (cmd/go dbDial).
    @Test func gosumdbParsing() throws {
        let known = try #require(try ChecksumDatabaseConfiguration.parseGOSUMDB("sum.golang.org"))
        #expect(known.verifier.keyHash == 0x033de0ae && known.url == nil)
        #expect(try ChecksumDatabaseConfiguration.parseGOSUMDB("off") == nil)
        let cn = try #require(try ChecksumDatabaseConfiguration.parseGOSUMDB("sum.golang.google.cn"))
        #expect(cn.url?.absoluteString == "https://sum.golang.google.cn")
        let explicit = try #require(try ChecksumDatabaseConfiguration.parseGOSUMDB(FakeSumDBServer.verifierKey + " http://127.0.0.1:1234/db"))
        #expect(explicit.url?.absoluteString == "http://127.0.0.1:1234/db")
        #expect(throws: ChecksumDatabaseError(.invalidConfiguration)) { try ChecksumDatabaseConfiguration.parseGOSUMDB("a b c") }
        #expect(throws: ChecksumDatabaseError(.invalidConfiguration)) { try ChecksumDatabaseConfiguration.parseGOSUMDB("nonsense") }
        let env = try #require(try ChecksumDatabaseConfiguration.fromEnvironment(["GOPRIVATE": "*.corp", "GOPROXY": "https://a|https://b,direct"]))
        #expect(env.noSumDB == "*.corp")
        #expect(env.proxies.map(\.entry) == ["https://a", "https://b", "direct"])
        #expect(env.proxies.map(\.fallbackOnAnyError) == [true, false, false])
    }
}
