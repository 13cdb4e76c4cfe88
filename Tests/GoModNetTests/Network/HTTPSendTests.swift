import Foundation
import GoModTestSupport
import GoSumDB
import GoModNet
import Testing

/// ``DefaultHTTPTransport/send(_:limit:redirects:)`` (requests with a method, header fields and
/// a body, for git's smart HTTP protocol) against a loopback server, and the protocol's default
/// implementation for transports that only GET.
@Suite struct HTTPSendTests {
    /// `/echo` answers with the request's method, `Git-Protocol` value and body; `/redirect`
    /// answers 307 to `/echo`; `/big` answers 1,000 bytes.
    static func server() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer.requests({ request, c in
            switch request.path {
            case "/echo":
                let text = "\(request.method) \(request.header("Git-Protocol") ?? "-") \(String(decoding: request.body, as: UTF8.self))"
                c.respond(200, Array(text.utf8), headers: ["Content-Type: text/x-echo", "X-Twice: a", "X-Twice: b"])
            case "/redirect":
                c.respond(307, [], headers: ["Location: /echo"])
            case "/big":
                c.respond(200, [UInt8](repeating: 0x61, count: 1000))
            default:
                c.respond(404, [])
            }
            return .keepAlive
        })
    }

    @Test func postSendsHeadersAndBody() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let url = server.url.appendingPathComponent("echo")
        let request = HTTPRequest(method: "POST", url: url, headers: [HTTPHeaderField("Git-Protocol", "version=2")], body: Array("0000".utf8))
        let response = try await DefaultHTTPTransport(timeout: 10).send(request, limit: 1000, redirects: .go)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "POST version=2 0000")
        #expect(response.headers["content-type"] == "text/x-echo")
        #expect(response.headers["x-twice"] == "a, b")
        #expect(response.url == url)
    }

    /// A GET follows redirects (Go's rules), resending its header fields, and reports the URL
    /// that answered; a POST follows none.
    @Test func redirects() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let transport = DefaultHTTPTransport(timeout: 10)
        let get = try await transport.send(HTTPRequest(url: server.url.appendingPathComponent("redirect"),
                                                       headers: [HTTPHeaderField("Git-Protocol", "version=2")]), limit: 1000, redirects: .go)
        #expect(String(decoding: get.body, as: UTF8.self) == "GET version=2 ")
        #expect(get.url?.absoluteString == server.url.appendingPathComponent("echo").absoluteString)
        #expect(server.heads.allSatisfy { $0.contains("\r\nGit-Protocol: version=2") } && server.heads.count == 2)
        let post = try await transport.send(HTTPRequest(method: "POST", url: server.url.appendingPathComponent("redirect"), body: [1]),
                                            limit: 1000, redirects: .go)
        #expect(post.status == 307)
        #expect(server.paths == ["/redirect", "/echo", "/redirect"])
    }

    @Test func byteCap() async throws {
        let server = try Self.server()
        defer { server.stop() }
        await #expect(throws: HTTPTransportError(.oversizeResponse, url: "")) {
            _ = try await DefaultHTTPTransport(timeout: 10).send(HTTPRequest(url: server.url.appendingPathComponent("big")), limit: 999, redirects: .go)
        }
    }

    /// Header injection and bad methods are refused before anything is sent.
    @Test func invalidRequestsAreRefused() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let url = server.url.appendingPathComponent("echo")
        for request in [
            HTTPRequest(url: url, headers: [HTTPHeaderField("Git-Protocol", "version=2\r\nX-Injected: 1")]),
            HTTPRequest(url: url, headers: [HTTPHeaderField("Bad Name", "x")]),
            HTTPRequest(method: "GET /x", url: url),
        ] {
            do {
                _ = try await DefaultHTTPTransport(timeout: 10).send(request, limit: 100, redirects: .go)
                Issue.record("sent \(request)")
            } catch let error as HTTPTransportError {
                #expect(error.code == .failed && error.detail.hasPrefix("invalid "), "\(error)")
            }
        }
        #expect(server.paths.isEmpty)
    }

    /// A transport that only GETs keeps working: a plain GET goes to its `get`, anything else is
    /// a typed refusal.
    @Test func defaultImplementation() async throws {
        struct OnlyGet: HTTPTransport {
            func get(_ url: URL, limit: Int) async throws -> HTTPResponse { HTTPResponse(status: 200, body: Array(url.path.utf8)) }
        }
        let url = URL(string: "http://example.test/x")!
        #expect(try await OnlyGet().send(HTTPRequest(url: url), limit: 10, redirects: .go).body == Array("/x".utf8))
        await #expect(throws: HTTPTransportError(.failed, url: "")) {
            _ = try await OnlyGet().send(HTTPRequest(method: "POST", url: url, body: [1]), limit: 10, redirects: .go)
        }
        await #expect(throws: HTTPTransportError(.failed, url: "")) {
            _ = try await OnlyGet().send(HTTPRequest(url: url, headers: [HTTPHeaderField("Git-Protocol", "version=2")]), limit: 10, redirects: .go)
        }
    }
}
