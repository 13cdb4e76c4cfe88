import Foundation
@testable import GoModCore
@testable import GoSumDB
import GoSumDBTestSupport
import Synchronization
import Testing

/// The requests one lookup sends are bounded by the tree math, and the bound is enforced with
/// `.tooManyRequests` (Go does not enforce it; Docs/stricter-than-go.md).
@Suite struct RequestBoundTests {
    static let signer = FakeSumDBServer.signerKey
    static let text = Array("example.com/m v1.0.0 h1:\(TLog.recordHash(Array("m".utf8)))\nexample.com/m v1.0.0/go.mod h1:\(TLog.recordHash(Array("g".utf8)))\n".utf8)

    /// A log of `size` copies of one record: the stored hash at level `l` of any complete subtree
    /// is `u[l]` (`u[0]` = the record hash, `u[l+1]` = H(u[l], u[l])), so a validly signed tree of
    /// any size, and every tile of it, can be served without storing it. Partial tiles answer 404
    /// (each costs the client two requests: the partial, then the full tile, which the server
    /// serves as if its log had grown past the signed size).
    final class UniformLog: HTTPTransport {
        let size: Int64
        let height: Int
        let u: [TLog.Hash]
        let note: [UInt8]
        let requests = Mutex<[String]>([])

        init(size: Int64, height: Int) throws {
            self.size = size
            self.height = height
            var u = [TLog.recordHash(RequestBoundTests.text)]
            for _ in 0..<63 { u.append(TLog.nodeHash(u[u.count - 1], u[u.count - 1])) }
            self.u = u
            let uu = u
            let root = try TLog.treeHash(size: size) { indexes in indexes.map { uu[TLog.splitStoredHashIndex($0).level] } }
            note = try Note.sign(TLog.Tree(size: size, hash: root).noteText, with: [try NoteSigner(signerKey: RequestBoundTests.signer)])
        }

        func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
            requests.withLock { $0.append(url.path) }
            let path = url.path
            if path.hasSuffix("/lookup/example.com/m@v1.0.0") {
                return HTTPResponse(status: 200, body: try TLog.Record.format(id: size - 1, text: RequestBoundTests.text) + note)
            }
            guard let r = path.range(of: "/tile/") else { return HTTPResponse(status: 404, body: []) }
            let tile = try TLog.Tile(path: String(path[r.lowerBound...].dropFirst()))
            if !tile.isFull { return HTTPResponse(status: 404, body: []) }
            // Full tiles are served even past the note's size: the server's log has grown
            // since (so every partial tile costs its 404 and the full one).
            let level = tile.level * tile.height
            let body = Array(repeating: u[level].bytes, count: tile.width).flatMap { $0 }
            if body.count > limit { throw HTTPTransportError(.oversizeResponse, url: url.absoluteString, detail: "\(limit)") }
            return HTTPResponse(status: 200, body: body)
        }
    }

    /// N = 2^62 − 1 with H = 8: the last record sits in a partial tile at every level. The lookup
    /// verifies with at most 1 + 2 · (8 root tiles + 8 path tiles) = 33 requests (the row's math).
    @Test func hugeTreeLookupStaysWithinTheMath() async throws {
        let log = try UniformLog(size: (1 << 62) - 1, height: 8)
        let config = ChecksumDatabaseConfiguration(verifier: try FakeSumDBServer.verifier,
                                                   explicitURL: URL(string: "https://localhost.localdev/sumdb"), tileHeight: 8)
        let client = ChecksumDatabase(configuration: config, store: MemoryChecksumDatabaseStore(), transport: log)
        let result = try await client.lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0"))
        #expect(result.recordID == (1 << 62) - 2)
        #expect(result.tree.size == (1 << 62) - 1)
        let requests = log.requests.withLock { $0 }
        #expect(requests.count <= 1 + 2 * (8 + 8), "\(requests.count) requests: \(requests)")
        #expect(requests.count <= ChecksumDatabase.maxRequestsPerLookup(tileHeight: 8, proxies: 0))
        // Every partial tile was tried, then its full tile.
        #expect(requests.contains { $0.contains(".p/") })
    }

    /// The bound's arithmetic (documented on ``ChecksumDatabase/maxRequestsPerLookup(tileHeight:proxies:)``).
    @Test func formula() {
        #expect(ChecksumDatabase.maxRequestsPerLookup(tileHeight: 8, proxies: 0) == 129)
        #expect(ChecksumDatabase.maxRequestsPerLookup(tileHeight: 8, proxies: 2) == 131)
        #expect(ChecksumDatabase.maxRequestsPerLookup(tileHeight: 2, proxies: 0) == 1 + 16 * 31)
    }

    /// The bound is enforced: the same hostile server (huge tree, every partial tile 404; the lookup
    /// needs 17 requests) against
    /// a client whose bound is below what the lookup needs is stopped with `.tooManyRequests`
    /// after exactly the bound, never sending one more request.
    ///
    /// (What can push an honest-math lookup past the default bound in practice is x/mod's
    /// `mergeLatestMem` loop: while one lookup checks consistency, other lookups' answers keep
    /// advancing the latest tree and it starts over. A deterministic in-process replay of that
    /// interleaving deadlocks on the shared tile fetch it needs, so the enforcement is shown with
    /// a lowered bound instead.)
    @Test(arguments: [1, 2, 10, 16]) func boundIsEnforced(limit: Int) async throws {
        let log = try UniformLog(size: (1 << 62) - 1, height: 8)
        var config = ChecksumDatabaseConfiguration(verifier: try FakeSumDBServer.verifier,
                                                   explicitURL: URL(string: "https://localhost.localdev/sumdb"), tileHeight: 8,
                                                   maxConcurrentRequests: 1)
        config.maxRequestsPerLookup = limit
        let client = ChecksumDatabase(configuration: config, store: MemoryChecksumDatabaseStore(), transport: log)
        do {
            _ = try await client.lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0"))
            Issue.record("lookup succeeded")
        } catch let error as ChecksumDatabaseError {
            #expect(error.code == .tooManyRequests, "\(error)")
            #expect(error.description.contains("more than \(limit) requests for one lookup"))
        }
        #expect(log.requests.withLock { $0.count } == limit)
        // Nothing unverified was cached and latest did not move past what was checked.
        #expect(await client.requestCount == limit)
    }
}
