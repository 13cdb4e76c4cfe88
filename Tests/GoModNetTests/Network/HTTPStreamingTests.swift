import Foundation
import GoModTestSupport
@testable import GoModCore
@testable import GoSumDB
@testable import GoModNet
import Synchronization
import Testing

/// ``DefaultHTTPTransport/stream(_:limit:redirects:into:)`` against a scripted loopback server:
/// chunks reach the sink in order, the byte cap, redirects, non-200 answers, a sink's own error,
/// and the idle timeout (a server that trickles slower than it, one that stalls mid-body, one
/// that trickles faster than it for longer than the head timeout).
@Suite struct HTTPStreamingTests {
    /// Collects what a sink receives.
    final class Collector: Sendable {
        let bytes = Mutex<[UInt8]>([])
        let calls = Mutex(0)
        var sink: HTTPBodySink {
            { chunk in
                self.bytes.withLock { $0 += chunk }
                self.calls.withLock { $0 += 1 }
            }
        }
        var received: [UInt8] { bytes.withLock { $0 } }
    }

    struct SinkBroke: Error, Equatable { let n: Int }

    static func pattern(_ n: Int) -> [UInt8] {
        var g = SplitMix64(seed: 42)
        return (0..<n).map { _ in UInt8(truncatingIfNeeded: g.next()) }
    }

    static func streamError(_ body: () async throws -> Void) async -> (any Error)? {
        do { try await body(); return nil } catch { return error }
    }

    @Test func bodyArrivesInOrderInSeveralChunks() async throws {
        let body = Self.pattern(3 << 20)
        let server = try LoopbackHTTPServer { _, c in
            c.respond(200, body)
            return .keepAlive
        }
        defer { server.stop() }
        let collector = Collector()
        let r = try await DefaultHTTPTransport(timeout: 10).stream(server.url.appendingPathComponent("z"), limit: body.count,
                                                                  redirects: .go, into: collector.sink)
        #expect(r.status == 200)
        #expect(r.byteCount == body.count)
        #expect(r.body.isEmpty)
        #expect(collector.received == body)
        #expect(collector.calls.withLock { $0 } > 1)
    }

    @Test func chunkedBodyOverTheCapStopsAtTheCap() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<64 { c.write("400\r\n" + String(repeating: "a", count: 1024) + "\r\n") }
            c.write("0\r\n\r\n")
            return .close
        }
        defer { server.stop() }
        let collector = Collector()
        let error = await Self.streamError {
            _ = try await DefaultHTTPTransport(timeout: 10).stream(server.url.appendingPathComponent("c"), limit: 10_000,
                                                                  redirects: .go, into: collector.sink)
        }
        #expect((error as? HTTPTransportError)?.code == .oversizeResponse)
        #expect(collector.received.count <= 10_000)
    }

    @Test func declaredLengthOverTheCapIsRefusedBeforeTheBody() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.respond(200, Self.pattern(5000))
            return .close
        }
        defer { server.stop() }
        let collector = Collector()
        let error = await Self.streamError {
            _ = try await DefaultHTTPTransport(timeout: 10).stream(server.url.appendingPathComponent("d"), limit: 4999,
                                                                  redirects: .go, into: collector.sink)
        }
        #expect((error as? HTTPTransportError)?.code == .oversizeResponse)
        #expect(collector.received.isEmpty)
    }

    @Test func redirectIsFollowedThenStreamed() async throws {
        let server = try LoopbackHTTPServer { path, c in
            if path == "/a" {
                c.respond(302, [], headers: ["Location: /b"])
            } else {
                c.respond(200, Array("at \(path)".utf8))
            }
            return .keepAlive
        }
        defer { server.stop() }
        let collector = Collector()
        let r = try await DefaultHTTPTransport(timeout: 10).stream(server.url.appendingPathComponent("a"), limit: 100,
                                                                  redirects: .go, into: collector.sink)
        #expect(r.status == 200)
        #expect(collector.received == Array("at /b".utf8))
        #expect(server.paths == ["/a", "/b"])
    }

    @Test func non200AnswerKeepsItsBodyForTheMessageAndSkipsTheSink() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.respond(404, Array("not found: example.com/m@v1.0.0".utf8))
            return .keepAlive
        }
        defer { server.stop() }
        let collector = Collector()
        let r = try await DefaultHTTPTransport(timeout: 10).stream(server.url.appendingPathComponent("n"), limit: 1 << 20,
                                                                  redirects: .go, into: collector.sink)
        #expect(r.status == 404)
        #expect(r.byteCount == 0)
        #expect(r.body == Array("not found: example.com/m@v1.0.0".utf8))
        #expect(collector.calls.withLock { $0 } == 0)
    }

    @Test func aSinkErrorComesBackUnchanged() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.respond(200, Self.pattern(1 << 20))
            return .close
        }
        defer { server.stop() }
        let error = await Self.streamError {
            _ = try await DefaultHTTPTransport(timeout: 10).stream(server.url.appendingPathComponent("s"), limit: 1 << 20,
                                                                  redirects: .go) { _ in throw SinkBroke(n: 28) }
        }
        #expect(error as? SinkBroke == SinkBroke(n: 28))
    }

    /// One byte every 1.5 s against a 0.5 s idle timeout: `.timeout` after the first gap, well
    /// before the body (or the 60 s head timeout) could end.
    @Test func trickleSlowerThanTheIdleTimeoutFails() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
            for _ in 0..<100 {
                c.write("x")
                usleep(1_500_000)
            }
            return .close
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 60, idleTimeout: 0.5)
        let collector = Collector()
        let error = await Self.streamError {
            _ = try await transport.stream(server.url.appendingPathComponent("t"), limit: 1000, redirects: .go, into: collector.sink)
        }
        // `.timeout` from the idle watchdog is the proof: without it the 100 bytes arrive in 150 s
        // and the call succeeds. How many bytes arrived first is not asserted: a suite running
        // beside this one may hold the cooperative pool's threads (the watchdog's) for minutes.
        let transportError = error as? HTTPTransportError
        #expect(transportError?.code == .timeout)
        #expect(transportError?.description.contains("no data for 0.5s") == true, "\(String(describing: error))")
    }

    /// Half the body, then nothing: `.timeout` from the idle watchdog; the half went to the sink.
    @Test func serverStallingMidBodyTimesOut() async throws {
        let half = Self.pattern(64 << 10)
        let server = try LoopbackHTTPServer { _, c in
            c.write("HTTP/1.1 200 OK\r\nContent-Length: \(2 * half.count)\r\n\r\n")
            c.write(half)
            sleep(60)
            return .close
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 60, idleTimeout: 1)
        let collector = Collector()
        let error = await Self.streamError {
            _ = try await transport.stream(server.url.appendingPathComponent("h"), limit: 1 << 20, redirects: .go, into: collector.sink)
        }
        // Without the watchdog the server's close after 60 s would be `.truncatedResponse`.
        #expect((error as? HTTPTransportError)?.code == .timeout)
        #expect(collector.received == half)
    }

    /// A body that takes 6 s, one byte every 200 ms, passes a 2 s idle timeout even though the
    /// whole-request `timeout` (3 s) is shorter: `timeout` bounds the head, not a streamed body.
    @Test func trickleFasterThanTheIdleTimeoutSucceeds() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n")
            for _ in 0..<30 {
                usleep(200_000)
                c.write("y")
            }
            return .close
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 3, idleTimeout: 2)
        let collector = Collector()
        let r = try await transport.stream(server.url.appendingPathComponent("f"), limit: 100, redirects: .go, into: collector.sink)
        #expect(r.status == 200)
        #expect(collector.received == Array(repeating: UInt8(ascii: "y"), count: 30))
    }

    /// No head within `timeout`: `.timeout`, as for `get`.
    @Test func noHeadWithinTheTimeout() async throws {
        let server = try LoopbackHTTPServer { _, c in
            sleep(60)
            c.respond(200, [])
            return .close
        }
        defer { server.stop() }
        let error = await Self.streamError {
            _ = try await DefaultHTTPTransport(timeout: 0.5, idleTimeout: 30).stream(server.url.appendingPathComponent("w"), limit: 10,
                                                                                    redirects: .go, into: { _ in })
        }
        // Without the head timeout the 200 after 60 s would succeed.
        #expect((error as? HTTPTransportError)?.code == .timeout)
    }

    /// Cancelling the calling task (a command's deadline) stops a stream at once.
    @Test func cancellingTheTaskStopsTheStream() async throws {
        let server = try LoopbackHTTPServer { _, c in
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nabc")
            sleep(60)
            return .close
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 60, idleTimeout: 60)
        let task = Task {
            try await transport.stream(server.url.appendingPathComponent("k"), limit: 1000, redirects: .go, into: { _ in })
        }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        task.cancel()
        let result = await task.result
        if case .success = result { Issue.record("a cancelled stream succeeded") }
    }
}
