import Foundation
import GoModCore
import GoSumDB
import GoSumDBTestSupport
import Testing

/// A `latest` tree head whose signature is valid but whose root hash is all zeros. No tile of
/// the real log authenticates against it (Go's x/mod `tlog.TileHashReader` answers
/// `downloaded inconsistent tile`), so the client must fail with
/// ``ChecksumDatabaseError/Code/inconsistentTile`` as soon as it uses that head — whether the head
/// was stored (read at initialisation) or served by the database on first contact — and must never
/// return lines authenticated by it.
@Suite struct ZeroHashLatestTests {
    static let db = "localhost.localdev/sumdb"
    static let module = ModuleVersion(path: "example.com/m2", version: "v1.0.0")

    /// A server with five records, and its note for size 5 with the root hash zeroed (signed by the
    /// database key, so only the tree math can reject it).
    static func server() throws -> (FakeSumDBServer, zeroNote: [UInt8]) {
        let server = try FakeSumDBServer()
        for i in 0..<5 { server.add("example.com/m\(i)", "v1.0.0") }
        let text = TLog.Tree(size: 5, hash: try #require(TLog.Hash(bytes: [UInt8](repeating: 0, count: 32)))).noteText
        return (server, try Note.sign(text, with: [server.signer]))
    }

    static func expectInconsistentTile(_ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("accepted a tree head with an all-zero root hash")
        } catch let error as ChecksumDatabaseError {
            #expect(error.code == .inconsistentTile, "\(error)")
            #expect(error.description.contains("downloaded inconsistent tile"), "\(error)")
        } catch {
            Issue.record("untyped \(type(of: error)): \(error)")
        }
    }

    @Test func storedZeroHashLatestFailsOnFirstUse() async throws {
        let (server, zeroNote) = try Self.server()
        let store = MemoryChecksumDatabaseStore(config: ["\(Self.db)/latest": zeroNote])
        let client = try server.client(store: store)
        // Initialisation installs the signed head (nothing to check it against); the first
        // lookup reads tiles against it and they do not authenticate.
        await Self.expectInconsistentTile { _ = try await client.lookup(Self.module) }
        // The honest /latest (same size, real hash) cannot replace it either: checking one
        // against the other reads tiles authenticated against the zero head.
        await Self.expectInconsistentTile { _ = try await client.fetchLatest() }
        #expect(store.config["\(Self.db)/latest"] == zeroNote, "the stored head was rewritten")
    }

    @Test func servedZeroHashLatestOnFirstContact() async throws {
        let (server, zeroNote) = try Self.server()
        server.set { s in
            s.lookupHook = { _, body in
                // The record, then the zero-hash note instead of the real one.
                guard let blank = body.firstRange(of: [UInt8]([0x0A, 0x0A])) else { return body }
                return Array(body[..<blank.lowerBound]) + [0x0A, 0x0A] + zeroNote
            }
        }
        let store = MemoryChecksumDatabaseStore()
        let client = try server.client(store: store)
        await Self.expectInconsistentTile { _ = try await client.lookup(Self.module) }
        #expect(store.cache.keys.allSatisfy { !$0.contains("/lookup/") }, "an unauthenticated lookup was cached")
    }
}
