import Foundation
import GoModTestSupport
@testable import GoModCore
@testable import GoSumDB
@testable import GoModNet
import Synchronization
import Testing
import GoSumDBTestSupport
import GoModTestSupport

/// Go's redirect rules (https://go.dev/ref/mod#goproxy-protocol) on ``DefaultHTTPTransport`` (which
/// follows redirects itself, async-http-client's own following being off), against a loopback
/// server. Expected values from Go's source: `net/http` `defaultCheckRedirect` and
/// `cmd/go/internal/web` `checkRedirect` stop when `len(via) >= 10` (`via` = requests already
/// made), i.e. on the 10th redirect response, so 9 redirects are followed and 10 requests are
/// the most one GET makes; `securityPreservingHTTPClient` refuses a non-https hop after an https
/// original, checked before the count; only 301, 302, 303, 307 and 308 with a `Location` are
/// followed (`redirectBehavior`; a 3xx without `Location` is returned as is).
@Suite struct HTTPRedirectTests {
    static func transport() -> any HTTPTransport { DefaultHTTPTransport(timeout: 10) }

    /// `/hop/<n>` redirects to `/hop/<n-1>` (status cycling through Go's redirect codes, relative
    /// and absolute `Location`s); `/hop/0` answers 200; `/loop` redirects to itself.
    static func server() throws -> LoopbackHTTPServer {
        let codes = [301, 302, 303, 307, 308]
        let box = PortBox()
        let server = try LoopbackHTTPServer { path, c in
            if path == "/loop" {
                c.respond(302, [], headers: ["Location: /loop"])
            } else if path.hasPrefix("/hop/"), let n = Int(path.dropFirst(5)) {
                if n == 0 {
                    c.respond(200, Array("arrived".utf8))
                } else {
                    let location = n % 2 == 0 ? "/hop/\(n - 1)" : "http://127.0.0.1:\(box.port.withLock { $0 })/hop/\(n - 1)"
                    c.respond(codes[n % codes.count], Array("moved".utf8), headers: ["Location: \(location)"])
                }
            } else if path == "/rel/a/b" {
                c.respond(302, [], headers: ["Location: ../c?q=1"])
            } else if path == "/rel/c?q=1" {
                c.respond(200, Array("relative".utf8))
            } else if path == "/nolocation" {
                c.respond(302, Array("no location".utf8))
            } else {
                c.respond(404, [])
            }
            return .keepAlive
        }
        box.port.withLock { $0 = server.port }
        return server
    }

    /// Relative references resolve per RFC 3986 as Go's `URL.Parse` does (`../c?q=1` from
    /// `/rel/a/b` is `/rel/c?q=1`).
    @Test func relativeLocationResolvesLikeGo() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let r = try await DefaultHTTPTransport(timeout: 10).get(server.url.appendingPathComponent("rel/a/b"), limit: 100)
        #expect(r.body == Array("relative".utf8))
        #expect(server.paths == ["/rel/a/b", "/rel/c?q=1"])
    }

    @Test func chainOfNineIsFollowed() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let r = try await Self.transport().get(server.url.appendingPathComponent("hop/9"), limit: 100)
        #expect(r.status == 200)
        #expect(r.body == Array("arrived".utf8))
        #expect(server.paths == (0...9).reversed().map { "/hop/\($0)" })
    }

    @Test func tenthRedirectStops() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let error = await HTTPTransportTests.transportError {
            _ = try await Self.transport().get(server.url.appendingPathComponent("hop/10"), limit: 100)
        }
        #expect(error?.code == .tooManyRedirects)
        #expect(error?.description.hasSuffix("stopped after 10 redirects") == true)
        // Ten requests made, the eleventh never sent.
        #expect(server.paths == (1...10).reversed().map { "/hop/\($0)" })
    }

    @Test func redirectLoopStops() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let error = await HTTPTransportTests.transportError {
            _ = try await Self.transport().get(server.url.appendingPathComponent("loop"), limit: 100)
        }
        #expect(error?.code == .tooManyRedirects)
        #expect(server.paths == Array(repeating: "/loop", count: 10))
    }

    @Test func redirectWithoutLocationIsTheResponse() async throws {
        // Returned as is, as Go's `redirectBehavior` does for a 3xx without Location.
        let server = try Self.server()
        defer { server.stop() }
        let r = try await DefaultHTTPTransport(timeout: 10).get(server.url.appendingPathComponent("nolocation"), limit: 100)
        #expect(r.status == 302)
        #expect(r.body == Array("no location".utf8))
    }

    @Test func otherHostRefusedWhenPinned() async throws {
        // 127.0.0.1 → localhost: another host name (the same machine, but not the same origin).
        let box = PortBox()
        let server = try LoopbackHTTPServer { path, c in
            if path == "/start" {
                c.respond(302, [], headers: ["Location: http://localhost:\(box.port.withLock { $0 })/end"])
            } else {
                c.respond(200, Array("end".utf8))
            }
            return .keepAlive
        }
        defer { server.stop() }
        box.port.withLock { $0 = server.port }
        let transport = Self.transport()
        let error = await HTTPTransportTests.transportError {
            _ = try await transport.get(server.url.appendingPathComponent("start"), limit: 100, redirects: .sameHost)
        }
        #expect(error?.code == .redirectToOtherHost)
        #expect(server.paths == ["/start"])
        // Go's rules alone follow it.
        let r = try await transport.get(server.url.appendingPathComponent("start"), limit: 100, redirects: .go)
        #expect(r.body == Array("end".utf8))
    }

    final class PortBox: Sendable { let port = Mutex(0) }

    /// https → http: TLS on loopback would need a certificate the system trusts, so the rule is
    /// tested where the transport takes it from: ``HTTPRedirectPolicy/check(original:to:count:)``
    /// (``DefaultHTTPTransport`` calls it for every redirect).
    @Test func insecureRedirectDecision() throws {
        let original = try #require(URL(string: "https://sum.golang.org/lookup/x@v1.0.0"))
        let http = try #require(URL(string: "http://sum.golang.org/lookup/x@v1.0.0"))
        let error = HTTPRedirectPolicy.go.check(original: original, to: http, count: 1)
        #expect(error?.code == .insecureRedirect)
        #expect(error?.description == "https://sum.golang.org/lookup/x@v1.0.0: redirected from secure URL to insecure URL http://sum.golang.org/lookup/x@v1.0.0")
        // Checked before the count, as in securityPreservingHTTPClient.
        #expect(HTTPRedirectPolicy.go.check(original: original, to: http, count: 10)?.code == .insecureRedirect)
        // The original's scheme decides, not the previous hop's: https → https → http is refused.
        #expect(HTTPRedirectPolicy.go.check(original: original, to: http, count: 2)?.code == .insecureRedirect)
        // https → https and http → https are fine; http → http too.
        #expect(HTTPRedirectPolicy.go.check(original: original, to: original, count: 9) == nil)
        #expect(HTTPRedirectPolicy.go.check(original: http, to: original, count: 1) == nil)
        #expect(HTTPRedirectPolicy.go.check(original: http, to: http, count: 9) == nil)
        #expect(HTTPRedirectPolicy.go.check(original: http, to: http, count: 10)?.code == .tooManyRedirects)
        // Schemes Go's transport does not speak.
        let file = try #require(URL(string: "file:///etc/passwd"))
        #expect(HTTPRedirectPolicy.go.check(original: http, to: file, count: 1)?.code == .failed)
        // The pin compares host names case-insensitively and ignores the port.
        let upper = try #require(URL(string: "https://SUM.golang.org:8443/x"))
        #expect(HTTPRedirectPolicy.sameHost.check(original: original, to: upper, count: 1) == nil)
        let other = try #require(URL(string: "https://evil.example/x"))
        #expect(HTTPRedirectPolicy.sameHost.check(original: original, to: other, count: 1)?.code == .redirectToOtherHost)
    }

    /// A redirect from http to https is followed by the same transport (TLS): here to a closed
    /// port, so the chain ends with the connection failure after one request; pinned to the
    /// host, an https hop to another host is refused before any connection.
    @Test func redirectToHTTPSIsFollowed() async throws {
        let closed = try LoopbackHTTPServer { _, _ in .close }
        let closedPort = closed.port
        closed.stop()
        let server = try LoopbackHTTPServer { path, c in
            let host = path == "/upgrade" ? "127.0.0.1" : "localhost"
            c.respond(301, [], headers: ["Location: https://\(host):\(closedPort)/secure"])
            return .keepAlive
        }
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 10)
        let error = await HTTPTransportTests.transportError {
            _ = try await transport.get(server.url.appendingPathComponent("upgrade"), limit: 100, redirects: .sameHost)
        }
        #expect(error?.code == .failed, "\(String(describing: error))")
        let other = await HTTPTransportTests.transportError {
            _ = try await transport.get(server.url.appendingPathComponent("elsewhere"), limit: 100, redirects: .sameHost)
        }
        #expect(other?.code == .redirectToOtherHost)
        #expect(server.paths == ["/upgrade", "/elsewhere"])
    }

    /// The checksum-database client pins its host (a redirect to another host is rejected;
    /// stricter than Go, which follows it: Docs/stricter-than-go.md).
    @Test func checksumDatabaseRefusesRedirectToAnotherHost() async throws {
        let box = PortBox()
        let server = try LoopbackHTTPServer { _, c in
            c.respond(302, [], headers: ["Location: http://localhost:\(box.port.withLock { $0 })/other"])
            return .keepAlive
        }
        defer { server.stop() }
        box.port.withLock { $0 = server.port }
        let config = ChecksumDatabaseConfiguration(verifier: try FakeSumDBServer.verifier, explicitURL: server.url)
        let client = ChecksumDatabase(configuration: config, store: MemoryChecksumDatabaseStore(), transport: DefaultHTTPTransport(timeout: 10))
        do {
            _ = try await client.lookup(ModuleVersion(path: "example.com/m", version: "v1.0.0"))
            Issue.record("lookup succeeded")
        } catch let error as ChecksumDatabaseError {
            #expect(error.code == .transport)
            #expect((error.underlying as? HTTPTransportError)?.code == .redirectToOtherHost)
        }
        #expect(server.paths == ["/lookup/example.com/m@v1.0.0"])
    }

    /// Deadlines and cancellations landing at scattered moments of slow redirect chains (between
    /// hops, during a hop, while a redirect body is drained), each on a transport of its own that
    /// is released (and its client shut down) right after: every request ends with the response
    /// or a typed timeout/cancellation error, and the process survives.
    @Test func deadlinesAndCancellationsDuringRedirects() async throws {
        let server = try LoopbackHTTPServer { path, c in
            if path.hasPrefix("/slow/"), let n = Int(path.dropFirst(6)) {
                usleep(1_500)
                if n == 0 {
                    c.respond(200, Array("arrived".utf8))
                } else {
                    c.respond(302 + n % 2 * 5, [], headers: ["Location: /slow/\(n - 1)"])
                }
            } else {
                c.respond(404, [])
            }
            return .keepAlive
        }
        defer { server.stop() }
        let url = server.url.appendingPathComponent("slow/9")
        let rounds = 160
        let all = await withTaskGroup(of: String.self) { group in
            for i in 0..<rounds {
                group.addTask {
                    let transport = DefaultHTTPTransport(timeout: 0.002 + Double(i % 16) * 0.002)
                    let request = Task { try await transport.get(url, limit: 100) }
                    if i % 2 == 1 {
                        try? await Task.sleep(nanoseconds: UInt64(i % 11) * 1_000_000)
                        request.cancel()
                    }
                    switch await request.result {
                    case .success(let response):
                        return response.status == 200 && response.body == Array("arrived".utf8) ? "ok" : "bad response \(response.status)"
                    case .failure(let error as HTTPTransportError):
                        return error.code == .timeout || (error.code == .failed && error.description.hasSuffix("cancelled"))
                            ? "\(error.code)" : "unexpected \(error)"
                    case .failure(let error):
                        return "untyped \(error)"
                    }
                }
            }
            var out: [String] = []
            for await outcome in group { out.append(outcome) }
            return out
        }
        #expect(all.count == rounds)
        #expect(all.allSatisfy { $0 == "ok" || $0 == "timeout" || $0 == "failed" }, "\(all.filter { $0.hasPrefix("unexpected") || $0.hasPrefix("untyped") || $0.hasPrefix("bad") })")
        #expect(all.contains("timeout"), "no deadline landed: the test lost its point")
    }
}
