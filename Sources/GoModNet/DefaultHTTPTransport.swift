import GoModCore
public import GoSumDB
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `HTTPTransport` over [async-http-client](https://github.com/swift-server/async-http-client)
/// (SwiftNIO): `http://` and `https://` (TLS through swift-nio-ssl with the system trust store),
/// one keep-alive connection pool per transport.
///
/// The contract of `cmd/go/internal/web` over `net/http`, enforced here rather than by the
/// library:
/// - **Redirects** are followed by this type, not by async-http-client (whose own following is
///   off), with `HTTPRedirectPolicy.check(original:to:count:)`: Go's `CheckRedirect`
///   (`securityPreservingHTTPClient`: at most 9 followed, the 10th is `stopped after 10
///   redirects`; never from an https original to http), `HTTPRedirectPolicy.sameHost` pinning
///   for the checksum database, `Location` resolved against the request URL (RFC 3986, as Go's
///   `URL.Parse`/`ResolveReference`), a 3xx without `Location` returned as the response
///   (`net/http` `redirectBehavior`).
/// - **One deadline** for the whole request, all hops and the whole body
///   (`HTTPTransportError.Code.timeout`); cancelling the calling task cancels the request.
/// - **Byte caps**: a declared `Content-Length` above the limit is refused before reading; the
///   body is streamed and refused (`HTTPTransportError.Code.oversizeResponse`) as soon as more
///   than the limit has arrived, never buffered past it.
/// - **Hostile framing** (SwiftNIO's llhttp decoder, which bounds a header field and the whole
///   head to 80 KiB) is `HTTPTransportError.Code.malformedResponse`; on top of it the head is
///   held to ``maxLineBytes``, ``maxHeaderBytes`` and ``maxHeaderFields``, conflicting
///   `Content-Length`s and transfer codings other than `chunked` are refused (Go's
///   `net/http` `readTransfer`), and a connection that ends before the declared length is
///   `HTTPTransportError.Code.truncatedResponse`.
/// - A refused connection fails at once (`HTTPTransportError.Code.failed`): like Go's dialer,
///   the pool does not retry a failed connection attempt.
///
/// The transport's `HTTPClient` is shut down when the transport is released (without blocking:
/// the client keeps itself alive until its shutdown completes).
public final class DefaultHTTPTransport: HTTPTransport {
    /// The whole-request deadline in seconds (connection, all redirects, the whole body).
    public let timeout: TimeInterval
    /// The most HTTP/1.1 connections open to one host at once; further requests wait for one
    /// (within their deadline). Go's `http.DefaultTransport` has no per-host cap.
    public let maxConnectionsPerHost: Int
    /// The longest header line accepted (bytes, `name: value` without CRLF).
    public static let maxLineBytes = 8 << 10
    /// The most bytes of header fields accepted (Go's `DefaultMaxHeaderBytes`-like bound: 1 MiB
    /// there, 64 KiB here).
    public static let maxHeaderBytes = 64 << 10
    /// The most header fields accepted.
    public static let maxHeaderFields = 128
    /// The most body bytes of a followed redirect read (to keep its connection); a longer one is
    /// dropped with its connection.
    static let redirectBodyLimit = 64 << 10

    private let client: HTTPClient

    /// A transport with the given whole-request timeout and connections per host.
    public init(timeout: TimeInterval = 30, maxConnectionsPerHost: Int = 256) {
        self.timeout = timeout
        self.maxConnectionsPerHost = max(1, maxConnectionsPerHost)
        var pool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: self.maxConnectionsPerHost
        )
        // A refused or failed connection attempt fails the request (Go's dialer does not retry);
        // with retries on, async-http-client retries it with back-off until the connect timeout.
        pool.retryConnectionEstablishment = false
        // The connect timeout also bounds the wait for a pooled connection: the request's own
        // deadline answers first (and says `.timeout`).
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.amount(timeout)),
            connectionPool: pool,
            decompression: .disabled
        )
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    deinit {
        // Non-blocking (a deinit may run on an event loop, where `syncShutdown` traps): the client
        // stays alive until the shutdown completes. No request is running: each holds `self`.
        client.shutdown { _ in }
    }

    /// `seconds` as a NIO time amount, clamped to [0, 10⁶] seconds.
    static func amount(_ seconds: TimeInterval) -> TimeAmount {
        .nanoseconds(Int64(max(0, min(seconds.isNaN ? 0 : seconds, 1e6)) * 1e9))
    }

    /// GETs `url` with the body cap, following redirects by Go's rules.
    public func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        try await get(url, limit: limit, redirects: .go)
    }

    /// GETs `url` with the body cap, following redirects as `redirects` allows.
    public func get(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse {
        let shown = redact(url)
        let span = Self.amount(timeout)
        let deadline = NIODeadline.now() + span
        let wake = ContinuousClock.now + .nanoseconds(span.nanoseconds)
        // async-http-client's deadline covers the response head only; the whole request (every
        // hop and the body) races a timer of its own. Both run on one of the client's event loops,
        // not on the cooperative pool: a caller that blocks the pool's few threads (a synchronous
        // subprocess wait, CPU-bound hashing) must neither stall a request half-way nor make its
        // deadline fire only because the request could not run.
        let executor = EventLoopTaskExecutor(client.eventLoopGroup.next())
        let outcome = await withTaskGroup(of: Result<HTTPResponse, HTTPTransportError>?.self) { group in
            group.addTask(executorPreference: executor) {
                do throws(HTTPTransportError) {
                    return .success(try await self.follow(url, limit: max(0, limit), policy: redirects, deadline: deadline))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask(executorPreference: executor) {
                do { try await Task.sleep(until: wake, clock: .continuous) } catch { return nil }
                return .failure(HTTPTransportError(.timeout, url: shown))
            }
            while let next = await group.next() {
                if let next {
                    group.cancelAll()
                    return next
                }
            }
            return .failure(Self.cancelled(shown))
        }
        return try outcome.get()
    }

    static func cancelled(_ shown: String) -> HTTPTransportError {
        HTTPTransportError(.failed, url: shown, detail: "cancelled")
    }

    /// The redirect chain from `original`: one request per hop, each checked by `policy`.
    private func follow(_ original: URL, limit: Int, policy: HTTPRedirectPolicy,
                        deadline: NIODeadline) async throws(HTTPTransportError) -> HTTPResponse {
        let shown = redact(original)
        var current = original
        var count = 0
        while true {
            if Task.isCancelled { throw Self.cancelled(shown) }
            let scheme = current.scheme?.lowercased()
            guard scheme == "http" || scheme == "https" else {
                throw HTTPTransportError(.failed, url: shown, detail: "unsupported protocol scheme \(goQuote(Array((current.scheme ?? "").utf8)))")
            }
            guard let host = current.host, !host.isEmpty else {
                throw HTTPTransportError(.failed, url: shown, detail: "no host in URL")
            }
            var request = HTTPClientRequest(url: current.absoluteString)
            request.method = .GET
            let response = try await execute(request, deadline: deadline, url: shown)
            try Self.checkHead(response.headers, url: shown)
            let status = Int(response.status.code)
            guard HTTPRedirectPolicy.isRedirect(status), let location = response.headers.first(name: "location") else {
                var fields: [String: String] = [:]
                if let retryAfter = response.headers.first(name: "retry-after") { fields["retry-after"] = retryAfter }
                return HTTPResponse(status: status, body: try await Self.read(response, limit: limit, url: shown), headers: fields)
            }
            count += 1
            guard let next = URL(string: location, relativeTo: current)?.absoluteURL, next.host != nil else {
                throw HTTPTransportError(.failed, url: shown, detail: "failed to parse Location header \(goQuote(Array(location.utf8)))")
            }
            if let refusal = policy.check(original: original, to: next, count: count) { throw refusal }
            // Read (and drop) a short redirect body so that its connection can serve the next hop;
            // a long one is abandoned, closing its connection.
            do throws(HTTPTransportError) {
                _ = try await Self.read(response, limit: Self.redirectBodyLimit, url: shown)
            } catch where error.code == .oversizeResponse {}
            current = next
        }
    }

    /// One request; when the connection ends before any response (a kept-alive connection the
    /// server closed while it sat in the pool), once more on another: GET is idempotent, and Go's
    /// `net/http` retries it so (`persistConn.shouldRetryRequest`, `errServerClosedIdle`).
    private func execute(_ request: HTTPClientRequest, deadline: NIODeadline, url shown: String) async throws(HTTPTransportError) -> HTTPClientResponse {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.execute(request, deadline: deadline)
            } catch {
                if attempt == 1, !Task.isCancelled, Self.isClosedBeforeResponse(error) { continue }
                throw Self.transportError(error, url: shown, afterHead: false)
            }
        }
    }

    /// Whether `error` says the connection closed (or was reset) before a response arrived.
    static func isClosedBeforeResponse(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError { return error == .remoteConnectionClosed }
        if let error = error as? ChannelError { return error == .ioOnClosedChannel || error == .eof || error == .outputClosed }
        if let error = error as? IOError { return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE }
        return false
    }

    /// The header checks llhttp leaves to the client (Go's `net/http` `readTransfer` and
    /// `textproto` limits).
    static func checkHead(_ headers: HTTPHeaders, url shown: String) throws(HTTPTransportError) {
        func malformed(_ detail: String) -> HTTPTransportError {
            HTTPTransportError(.malformedResponse, url: shown, detail: detail)
        }
        guard headers.count <= maxHeaderFields else { throw malformed("too many header fields") }
        var total = 0
        for (name, value) in headers {
            let line = name.utf8.count + 2 + value.utf8.count
            guard line <= maxLineBytes else { throw malformed("line too long") }
            total += line + 2
            guard total <= maxHeaderBytes else { throw malformed("header too large") }
        }
        let codings = headers["transfer-encoding"]
        if !codings.isEmpty, codings.count != 1 || codings[0].lowercased() != "chunked" {
            throw malformed("unsupported transfer encoding: \(goQuote(Array(codings.joined(separator: ",").utf8)))")
        }
        let lengths = headers["content-length"]
        if let first = lengths.first, !lengths.allSatisfy({ $0 == first }) {
            throw malformed("message cannot contain multiple Content-Length headers")
        }
    }

    /// The body, at most `limit` bytes: a declared length over it is refused before reading, and
    /// the stream is abandoned as soon as one byte more has arrived.
    static func read(_ response: HTTPClientResponse, limit: Int, url shown: String) async throws(HTTPTransportError) -> [UInt8] {
        let oversize = HTTPTransportError(.oversizeResponse, url: shown, detail: "\(limit)")
        var body: [UInt8] = []
        if let declared = response.headers.first(name: "content-length").flatMap({ Int($0) }) {
            if declared > limit { throw oversize }
            body.reserveCapacity(min(max(0, declared), 1 << 20))
        }
        do {
            for try await chunk in response.body {
                guard chunk.readableBytes <= limit - body.count else { throw oversize }
                body.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as HTTPTransportError {
            throw error
        } catch {
            throw transportError(error, url: shown, afterHead: true)
        }
        return body
    }

    /// async-http-client's and SwiftNIO's errors as `HTTPTransportError`s.
    static func transportError(_ error: any Error, url shown: String, afterHead: Bool) -> HTTPTransportError {
        if let error = error as? HTTPTransportError { return error }
        if error is CancellationError { return cancelled(shown) }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .connectTimeout, .getConnectionFromPoolTimeout, .readTimeout, .writeTimeout,
                 .tlsHandshakeTimeout:
                return HTTPTransportError(.timeout, url: shown)
            case .cancelled:
                return cancelled(shown)
            case .remoteConnectionClosed:
                return afterHead ? HTTPTransportError(.truncatedResponse, url: shown) : HTTPTransportError(.failed, url: shown, detail: "EOF")
            case .identityCodingIncorrectlyPresent, .contentLengthMissing:
                return HTTPTransportError(.malformedResponse, url: shown, detail: "\(error)")
            default:
                return HTTPTransportError(.failed, url: shown, detail: "\(error)")
            }
        }
        if let error = error as? HTTPParserError {
            if case .invalidEOFState = error { return HTTPTransportError(.truncatedResponse, url: shown) }
            return HTTPTransportError(.malformedResponse, url: shown, detail: "\(error)")
        }
        if error is NIOHTTPDecoderError {
            return HTTPTransportError(.malformedResponse, url: shown, detail: "\(error)")
        }
        return HTTPTransportError(.failed, url: shown, detail: "\(error)")
    }
}

/// Runs Swift tasks on a SwiftNIO event loop: the transport's request tasks stay off the
/// cooperative pool (they only await; nothing in them blocks the loop).
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
