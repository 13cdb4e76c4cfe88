import Foundation
import GoModTestSupport
import GoSumDBTestSupport
@testable import GoModCore
@testable import GoSumDB
@testable import GoModNet
import Testing

/// ``ChecksumDatabase/audit(_:concurrency:deadline:)`` over ``DefaultHTTPTransport`` against a
/// loopback checksum database (``FakeSumDBServer``'s answers served by a ``LoopbackHTTPServer``)
/// whose lookup of one module stalls: the deadline expires mid-audit, the lines answered before
/// it keep their verdicts, and the stalled line and every line not yet started are not verified.
@Suite(.serialized) struct AuditDeadlineTests {
    /// Serves `fake` over loopback; a lookup whose path contains `stall` never answers.
    static func serve(_ fake: FakeSumDBServer, stall: String) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { path, c in
            if path.contains(stall) {
                sleep(60)
                return .close
            }
            let answer = Answer()
            let done = DispatchSemaphore(value: 0)
            Task {
                answer.response = try? await fake.get(URL(string: "https://localhost.localdev" + path)!, limit: 1 << 20)
                done.signal()
            }
            done.wait()
            let r = answer.response ?? HTTPResponse(status: 500, body: [])
            c.respond(r.status, r.body)
            return .keepAlive
        }
    }

    final class Answer: @unchecked Sendable { var response: HTTPResponse? }

    @Test func deadlineMidAuditLeavesTheRestNotVerified() async throws {
        let fake = try FakeSumDBServer()
        for m in ["example.com/a", "example.com/slow", "example.com/c"] { fake.add(m, "v1.0.0") }
        let server = try Self.serve(fake, stall: "/lookup/example.com/slow@")
        defer { server.stop() }
        let config = ChecksumDatabaseConfiguration(verifier: try FakeSumDBServer.verifier,
                                                   explicitURL: server.url.appendingPathComponent("sumdb"),
                                                   proxies: [], noSumDB: "", tileHeight: fake.height, offline: false, strictNotes: false)
        let db = ChecksumDatabase(configuration: config, store: MemoryChecksumDatabaseStore(),
                                  transport: DefaultHTTPTransport(timeout: 60, idleTimeout: 60))
        var text = ""
        for m in ["example.com/a", "example.com/slow", "example.com/c"] {
            text += "\(m) v1.0.0 h1:\(fake.fakeHash(m + "v1.0.0"))\n"
        }
        let sums = try GoSum(parsing: Array(text.utf8))
        // a's record is fetched once beforehand (the client caches it, as Go's does), so that
        // the audit below answers it at once however loaded the machine is.
        #expect(await db.audit([sums.records[0]]).map(\.status) == [.verified])
        let start = ContinuousClock.now
        // One lookup at a time, in go.sum order: a is answered, slow stalls (60 s), c never starts.
        let audits = await db.audit(sums.records, concurrency: 1, deadline: start + .seconds(3))
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .seconds(3) && elapsed < .seconds(55), "\(elapsed)")
        #expect(audits.map(\.status) == [.verified, .notVerified, .notVerified], "\(audits.map { "\($0.status) \(String(describing: $0.error))" }) \(server.paths)")
        #expect(audits[1].error?.code == .deadlineExceeded)
        #expect(audits[1].error?.description == "example.com/slow@v1.0.0: not verified: deadline exceeded")
        #expect(audits[2].error?.code == .deadlineExceeded)
        #expect(!audits[1].failed && !audits[2].failed)
        // c was never asked for.
        #expect(!server.paths.contains { $0.contains("example.com/c@") }, "\(server.paths)")
    }

    @Test func deadlineAlreadyPastChecksNothing() async throws {
        let fake = try FakeSumDBServer()
        fake.add("example.com/a", "v1.0.0")
        let db = try fake.client()
        let sums = try GoSum(parsing: Array("example.com/a v1.0.0 h1:\(fake.fakeHash("example.com/av1.0.0"))\n".utf8))
        let audits = await db.audit(sums.records, deadline: ContinuousClock.now - .seconds(1))
        #expect(audits.map(\.status) == [.notVerified])
        #expect(fake.requests.isEmpty)
    }

    @Test func noDeadlineChecksEverything() async throws {
        let fake = try FakeSumDBServer()
        for m in ["example.com/a", "example.com/b"] { fake.add(m, "v1.0.0") }
        let db = try fake.client()
        let text = ["example.com/a", "example.com/b"].map { "\($0) v1.0.0 h1:\(fake.fakeHash($0 + "v1.0.0"))\n" }.joined()
        let audits = await db.audit(try GoSum(parsing: Array(text.utf8)).records, concurrency: 1, deadline: ContinuousClock.now + .seconds(60))
        #expect(audits.map(\.status) == [.verified, .verified])
    }
}
