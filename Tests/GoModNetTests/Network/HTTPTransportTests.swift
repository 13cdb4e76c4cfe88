import Foundation
import GoModTestSupport
@testable import GoModCore
@testable import GoSumDB
@testable import GoModNet
import Synchronization
import Testing
import GoSumDBTestSupport
import GoModTestSupport

/// ``DefaultHTTPTransport`` (async-http-client) against a scripted loopback server
/// (``LoopbackHTTPServer``): framing, caps, deadlines, keep-alive, hostile heads, and Go's redirect
/// rules (cmd/go/internal/web `checkRedirect`).
@Suite struct HTTPTransportTests {
    static func transportError(_ body: () async throws -> Void) async -> HTTPTransportError? {
        do {
            try await body()
            return nil
        } catch let error as HTTPTransportError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    /// The client kept every connection: none was closed by it. The transport's pool closes a
    /// connection idle for 60 s, so on a machine stalled that long (a loaded CI runner, every
    /// cooperative thread busy) a close is the pool's, not a framing error: the check applies to
    /// runs that took less than that.
    static func expectKeptAlive(_ server: LoopbackHTTPServer, since start: ContinuousClock.Instant,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        guard ContinuousClock.now - start < .seconds(50) else { return }
        #expect(server.closedByClient == 0, sourceLocation: sourceLocation)
    }

    @Test func contentLengthBodyAndKeepAliveReuse() async throws {
        let start = ContinuousClock.now
        let server = try LoopbackHTTPServer { path, c in
            c.respond(200, Array("hello \(path)".utf8))
            return .keepAlive
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 10)
        for i in 0..<5 {
            let r = try await transport.get(server.url.appendingPathComponent("x\(i)"), limit: 100)
            #expect(r.status == 200)
            #expect(r.body == Array("hello /x\(i)".utf8))
            // AHC hands a finished connection back to its pool on the event loop; a request made
            // before that lands opens a second connection. Give the hand-back time to happen.
            try await Task.sleep(for: .milliseconds(50))
        }
        // Sequential requests reuse kept-alive connections: none was closed by the client, and
        // fewer connections than requests were opened.
        Self.expectKeptAlive(server, since: start)
        #expect(server.connections < 5, "\(server.connections)")
        #expect(server.paths == (0..<5).map { "/x\($0)" })
    }

    @Test func concurrentRequestsOpenSeveralConnectionsThenReuseThem() async throws {
        let server = try LoopbackHTTPServer { path, c in
            usleep(20_000)
            c.respond(200, Array(path.utf8))
            return .keepAlive
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 10, maxConnectionsPerHost: 4)
        for _ in 0..<3 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        let r = try await transport.get(server.url.appendingPathComponent("p\(i)"), limit: 100)
                        #expect(r.body == Array("/p\(i)".utf8))
                    }
                }
                try await group.waitForAll()
            }
        }
        // Never more than the per-host cap, and the pool is reused across rounds.
        #expect(server.connections <= 4)
        #expect(server.paths.count == 24)
    }

    /// The checksum-database audit runs hundreds of lookups at once against one host: all of them
    /// are answered, on no more connections than the default per-host cap (256).
    @Test func hundredsOfConcurrentRequestsToOneHost() async throws {
        let server = try LoopbackHTTPServer { path, c in
            usleep(5_000)
            c.respond(200, Array(path.utf8))
            return .keepAlive
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 60)
        let bodies = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<400 {
                group.addTask {
                    let r = try await transport.get(server.url.appendingPathComponent("n\(i)"), limit: 100)
                    return r.status == 200 && r.body == Array("/n\(i)".utf8)
                }
            }
            var ok = 0
            for try await good in group where good { ok += 1 }
            return ok
        }
        #expect(bodies == 400)
        #expect(server.paths.count == 400)
        #expect(server.connections <= 256, "\(server.connections)")
    }

    @Test func serverClosingIdleConnectionIsRetriedOnANewOne() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.respond(200, Array("ok".utf8))
            return .close   // closes after answering, without saying so
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 10)
        for _ in 0..<3 {
            let r = try await transport.get(server.url.appendingPathComponent("a"), limit: 10)
            #expect(r.body == Array("ok".utf8))
        }
        #expect(server.connections == 3)
    }

    @Test func chunkedBody() async throws {
        let start = ContinuousClock.now
        let server = try LoopbackHTTPServer { _, c in
            c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n")
            return .keepAlive
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 10)
        let r = try await transport.get(server.url.appendingPathComponent("c"), limit: 11)
        #expect(r.body == Array("hello world".utf8))
        let again = try await transport.get(server.url.appendingPathComponent("c"), limit: 11)
        #expect(again.body == Array("hello world".utf8))
        // The chunk extensions and the trailer were consumed: the client kept the connection.
        Self.expectKeptAlive(server, since: start)
        // One byte over the cap.
        let error = await Self.transportError { _ = try await transport.get(server.url.appendingPathComponent("c"), limit: 10) }
        #expect(error?.code == .oversizeResponse)
    }

    /// A body without framing runs to the end of the connection; an unlimited cap (`Int.max`) must
    /// not overflow the cap arithmetic.
    @Test func unframedBodyWithUnlimitedCap() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.write("HTTP/1.1 200 OK\r\n\r\nuntil close")
            return .close
        }
        defer { server.stop() }
        let r = try await DefaultHTTPTransport(timeout: 10).get(server.url.appendingPathComponent("u"), limit: Int.max)
        #expect(r.status == 200)
        #expect(r.body == Array("until close".utf8))
    }

    /// Many one-byte chunks, each size line carrying a long extension, in one stream: the size
    /// lines straddle the reader's refills (which drop consumed bytes, so the framing never piles
    /// up in memory) and every byte still lands in order.
    @Test func chunkedBodyWithLongExtensionsAcrossRefills() async throws {
        let body = (0..<600).map { UInt8(0x61 + $0 % 26) }
        var wire = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for (i, b) in body.enumerated() {
            wire += Array("1;e=".utf8) + [UInt8](repeating: 0x78, count: 7000 + i % 997) + [0x0D, 0x0A, b, 0x0D, 0x0A]
        }
        wire += Array("0\r\n\r\n".utf8)
        let response = wire
        let server = try LoopbackHTTPServer { _, c in
            c.write(response)
            return .keepAlive
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 30)
        let r = try await transport.get(server.url.appendingPathComponent("c"), limit: body.count)
        #expect(r.body == body)
        let error = await Self.transportError { _ = try await transport.get(server.url.appendingPathComponent("c"), limit: body.count - 1) }
        #expect(error?.code == .oversizeResponse)
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", HTTPTransportError.Code.malformedResponse),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", .truncatedResponse),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nhello", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\nhello", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello", .truncatedResponse),
        ("HTTP/1.1 2000 OK\r\n\r\n", .malformedResponse),
        ("HTTP/2 200 OK\r\n\r\n", .malformedResponse),
        ("SSH-2.0-OpenSSH_9.6\r\n", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n", .malformedResponse),
        ("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", .malformedResponse),
        ("HTTP/1.1 200 OK\r\nContent-Le", .truncatedResponse),
        ("", .failed),
    ]) func hostileFraming(response: String, code: HTTPTransportError.Code) async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.write(response)
            return .close
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 10)
        let error = await Self.transportError { _ = try await transport.get(server.url.appendingPathComponent("h"), limit: 1 << 20) }
        #expect(error?.code == code)
    }

    @Test func oversizeHeadsAreRefusedWithoutReadingOn() async throws {
        let longLine = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: DefaultHTTPTransport.maxLineBytes + 1) + "\r\n\r\n"
        let manyFields = "HTTP/1.1 200 OK\r\n" + String(repeating: "X: y\r\n", count: DefaultHTTPTransport.maxHeaderFields + 1) + "\r\n"
        let bigHead = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Long: " + String(repeating: "b", count: 8000) + "\r\n", count: 9) + "\r\n"
        let endless = Mutex(0)
        for (name, head) in [("line", longLine), ("fields", manyFields), ("head", bigHead), ("endless", "")] {
            let server = try LoopbackHTTPServer { _, c in
                if name == "endless" {
                    // A header line that never ends.
                    c.write("HTTP/1.1 200 OK\r\nX: ")
                    for _ in 0..<1000 { c.write(String(repeating: "z", count: 1024)); endless.withLock { $0 += 1 } }
                } else {
                    c.write(head)
                }
                return .close
            }
            defer { server.stop() }
            let transport = DefaultHTTPTransport(timeout: 10)
            let error = await Self.transportError { _ = try await transport.get(server.url.appendingPathComponent(name), limit: 100) }
            #expect(error?.code == .malformedResponse, "\(name)")
        }
    }

    @Test func contentLengthOverCapRefusedBeforeReading() async throws {
        let server = try LoopbackHTTPServer { _, c in
            // Declares 10 MB, sends a little: the cap is decided from the declaration.
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n" + String(repeating: "x", count: 100))
            return .keepAlive
        }
        defer { server.stop() }
        // The server never sends the rest: reading it would end in `.timeout`, not the cap.
        let transport = DefaultHTTPTransport(timeout: 120)
        let error = await Self.transportError { _ = try await transport.get(server.url.appendingPathComponent("big"), limit: 1 << 20) }
        #expect(error?.code == .oversizeResponse)
        #expect(error?.description.hasSuffix("response body larger than 1048576 bytes") == true)
    }

    @Test func endlessBodyWithoutLengthStopsAtCapPlusOne() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
            for _ in 0..<10_000 { c.write([UInt8](repeating: 0x41, count: 1024)) }
            return .close
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 10)
        let error = await Self.transportError { _ = try await transport.get(server.url.appendingPathComponent("e"), limit: 8192) }
        #expect(error?.code == .oversizeResponse)
        // Exactly at the cap is fine.
        let exact = try LoopbackHTTPServer { _, c in
            c.write("HTTP/1.0 200 OK\r\n\r\n" + String(repeating: "y", count: 8192))
            return .close
        }
        defer { exact.stop() }
        let r = try await transport.get(exact.url.appendingPathComponent("e"), limit: 8192)
        #expect(r.body.count == 8192)
    }

    @Test func slowServerHitsWholeRequestDeadline() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            for _ in 0..<1000 {
                c.write("x")   // one byte every 200 ms: never idle long enough for an idle timeout
                usleep(200_000)
            }
            return .close
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 1)
        let url = server.url.appendingPathComponent("slow")
        // Timed on a dedicated executor, so that a saturated cooperative pool cannot blur it.
        let (error, elapsed) = await Task(executorPreference: DedicatedExecutor.shared) {
            let start = ContinuousClock.now
            let error = await Self.transportError { _ = try await transport.get(url, limit: 1000) }
            return (error, ContinuousClock.now - start)
        }.value
        #expect(error?.code == .timeout)
        // The body would take 200 s; the 1 s whole-request deadline ends it (poll granularity ≤ 1 s).
        #expect(elapsed < .seconds(5), "\(elapsed)")
    }

    @Test func noAnswerHitsDeadline() async throws {
        let server = try LoopbackHTTPServer { _, _ in
            usleep(3_000_000)
            return .close
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 0.5)
        let error = await Self.transportError { _ = try await transport.get(server.url.appendingPathComponent("mute"), limit: 10) }
        #expect(error?.code == .timeout)
    }

    @Test func refusedConnectionIsFailed() async throws {
        // A port bound but not listening: connections are refused, and no server a test running
        // beside this one starts can take the port while the socket holds it (a stopped server's
        // port could be reused, and its answer was then "malformed", not "refused").
        let (fd, port) = try bindLoopbackSocket()
        defer { close(fd) }
        let url = try #require(URL(string: "http://127.0.0.1:\(port)"))
        // A long deadline: the refusal itself must end the request (Go's dialer does not retry),
        // not the deadline or a retry back-off.
        let transport = DefaultHTTPTransport(timeout: 30)
        let target = url.appendingPathComponent("gone")
        let (error, elapsed) = await Task(executorPreference: DedicatedExecutor.shared) {
            let start = ContinuousClock.now
            let error = await Self.transportError { _ = try await transport.get(target, limit: 10) }
            return (error, ContinuousClock.now - start)
        }.value
        #expect(error?.code == .failed)
        #expect(elapsed < .seconds(1), "\(elapsed)")
        // Concurrent requests to the refused port all fail the same way.
        let errors = await withTaskGroup(of: HTTPTransportError.Code?.self) { group in
            for _ in 0..<16 { group.addTask { await Self.transportError { _ = try await transport.get(target, limit: 10) }?.code } }
            var out: [HTTPTransportError.Code?] = []
            for await code in group { out.append(code) }
            return out
        }
        #expect(errors == Array(repeating: .failed, count: 16))
    }

    @Test func cancellationStopsARequest() async throws {
        let server = try LoopbackHTTPServer { _, _ in
            sleep(200)
            return .close
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 300)
        let url = server.url.appendingPathComponent("wait")
        // The request runs, and is timed, on a dedicated executor: the measurement is from the
        // cancellation to the moment the transport gave up, whatever the cooperative pool does.
        let task = Task(executorPreference: DedicatedExecutor.shared) { () -> (Result<HTTPResponse, any Error>, ContinuousClock.Instant) in
            do { return (.success(try await transport.get(url, limit: 10)), .now) } catch { return (.failure(error), .now) }
        }
        try await Task.sleep(for: .milliseconds(100))
        let cancelled = ContinuousClock.now
        task.cancel()
        let (result, ended) = await task.value
        // Long before the server would answer (200 s) or the deadline (300 s).
        #expect(ended - cancelled < .seconds(5), "\(ended - cancelled)")
        let error = #expect(throws: HTTPTransportError.self) { try result.get() }
        #expect(error?.code == .failed && error?.detail == "cancelled", "\(String(describing: error))")
    }

    @Test func oneXXResponsesAreSkippedAndNoBodyStatuses() async throws {
        let start = ContinuousClock.now
        let server = try LoopbackHTTPServer { path, c in
            if path == "/continue" {
                c.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            } else {
                c.write("HTTP/1.1 204 No Content\r\n\r\n")
            }
            return .keepAlive
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 10)
        let r = try await transport.get(server.url.appendingPathComponent("continue"), limit: 10)
        #expect(r.status == 200 && r.body == Array("ok".utf8))
        let e = try await transport.get(server.url.appendingPathComponent("empty"), limit: 10)
        #expect(e.status == 204 && e.body.isEmpty)
        // The interim responses and the body-less 204 left the connection reusable.
        Self.expectKeptAlive(server, since: start)
    }

    @Test func errorStatusesCarryTheirBody() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.respond(404, Array("not found: nope\n".utf8))
            return .keepAlive
        }
        defer { server.stop() }
        let r = try await DefaultHTTPTransport(timeout: 10).get(server.url.appendingPathComponent("nope"), limit: 100)
        #expect(r.status == 404)
        #expect(r.body == Array("not found: nope\n".utf8))
    }

    /// Schemes other than http and https are Go's `unsupported protocol scheme`.
    @Test func unsupportedSchemeIsRefused() async throws {
        let error = await Self.transportError {
            _ = try await DefaultHTTPTransport(timeout: 1).get(URL(string: "ftp://127.0.0.1:1/x")!, limit: 10)
        }
        #expect(error?.code == .failed)
        #expect(error?.detail == "unsupported protocol scheme \"ftp\"")
    }
}
