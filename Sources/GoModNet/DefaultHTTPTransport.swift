import GoModCore
public import GoSumDB
public import GoModPlatform
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

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
/// - **Streaming** (`stream(_:limit:redirects:into:)`): the same redirect rules, caps and
///   `timeout` up to the response head; the body then goes to the sink chunk by chunk (SwiftNIO
///   back-pressure keeps at most a few chunks in memory) and is bounded by ``idleTimeout``
///   instead of `timeout`: no byte for that long is `HTTPTransportError.Code.timeout`. The
///   caller bounds the whole transfer by cancelling its task (a command's `--deadline`).
/// - A refused connection fails at once (`HTTPTransportError.Code.failed`): like Go's dialer,
///   the pool does not retry a failed connection attempt.
/// - **Proxies** from the environment as Go's `http.ProxyFromEnvironment` chooses them
///   (``HTTPProxyConfiguration``: `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`, upper or lower case;
///   loopback never proxied), per request and per redirect hop. An `http://` proxy is spoken to
///   with `CONNECT` for every request (Go forwards plain `http://` requests to it instead), with
///   Basic credentials from the proxy URL; `socks5://` proxies are supported; an `https://`
///   proxy URL is a typed failure.
///
/// The transport's `HTTPClient` is shut down when the transport is released (without blocking:
/// the client keeps itself alive until its shutdown completes).
public final class DefaultHTTPTransport: HTTPTransport {
    /// The whole-request deadline in seconds (connection, all redirects, the whole body).
    public let timeout: TimeInterval
    /// The most HTTP/1.1 connections open to one host at once; further requests wait for one
    /// (within their deadline). Go's `http.DefaultTransport` has no per-host cap.
    public let maxConnectionsPerHost: Int
    /// The longest a streamed body may go without a byte (seconds) before the download fails
    /// with `HTTPTransportError.Code.timeout`. Go's `net/http` has no such bound (a server can
    /// trickle a zip forever); cmd/go relies on the user's patience.
    public let idleTimeout: TimeInterval
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

    /// Which requests go through a proxy (Go's `ProxyFromEnvironment` rules).
    public let proxyConfiguration: HTTPProxyConfiguration

    /// The client for direct connections.
    private let client: HTTPClient
    private let configuration: HTTPClient.Configuration
    /// One client per proxy in use (async-http-client takes its proxy per client), made on first
    /// use.
    private let proxiedClients = Mutex<[HTTPClient.Configuration.Proxy: HTTPClient]>([:])

    /// A transport with the given whole-request timeout, connections per host, streaming idle
    /// timeout and proxy rules (default: the process's `HTTP_PROXY`, `HTTPS_PROXY` and
    /// `NO_PROXY`, upper or lower case, read once here, as Go's `http.ProxyFromEnvironment`
    /// reads them once).
    public init(timeout: TimeInterval = 30, maxConnectionsPerHost: Int = 256, idleTimeout: TimeInterval = 30,
                proxy: HTTPProxyConfiguration = .fromEnvironment()) {
        self.timeout = timeout
        self.idleTimeout = idleTimeout
        self.maxConnectionsPerHost = max(1, maxConnectionsPerHost)
        self.proxyConfiguration = proxy
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
        self.configuration = configuration
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    deinit {
        // Non-blocking (a deinit may run on an event loop, where `syncShutdown` traps): the client
        // stays alive until the shutdown completes. No request is running: each holds `self`.
        client.shutdown { _ in }
        for proxied in proxiedClients.withLock({ Array($0.values) }) { proxied.shutdown { _ in } }
    }

    /// The client a request to `url` goes through: the direct one, or the one for its proxy.
    ///
    /// Proxies are spoken to as async-http-client can: `http://` proxies with `CONNECT` (for
    /// `https://` requests, as Go; for `http://` requests too, where Go sends the request itself
    /// to the proxy), with `Proxy-Authorization: Basic` from the proxy URL's user information;
    /// `socks5://` and `socks5h://` proxies (no authentication). An `https://` proxy (TLS to the
    /// proxy) or another scheme is a `HTTPTransportError.Code.failed` error naming it.
    private func client(for url: URL, shown: String) throws(HTTPTransportError) -> HTTPClient {
        guard let proxyURL = try proxyConfiguration.proxy(for: url) else { return client }
        let proxy = try Self.proxy(proxyURL, requestShown: shown)
        return proxiedClients.withLock { clients in
            if let existing = clients[proxy] { return existing }
            var configuration = self.configuration
            configuration.proxy = proxy
            let made = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            clients[proxy] = made
            return made
        }
    }

    /// async-http-client's proxy for a proxy URL (Go's default proxy ports: 80 for `http`, 1080
    /// for `socks5`/`socks5h`).
    static func proxy(_ url: URL, requestShown: String) throws(HTTPTransportError) -> HTTPClient.Configuration.Proxy {
        let scheme = url.scheme?.lowercased() ?? ""
        var host = url.host ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        switch scheme {
        case "http":
            var authorization: HTTPClient.Authorization?
            if let user = url.user(percentEncoded: false) {
                authorization = .basic(username: user, password: url.password(percentEncoded: false) ?? "")
            }
            return .server(host: host, port: url.port ?? 80, authorization: authorization)
        case "socks5", "socks5h":
            return .socksServer(host: host, port: url.port ?? 1080)
        default:
            throw HTTPTransportError(.failed, url: requestShown,
                                     detail: "proxy \(redact(url)): \(scheme == "https" ? "TLS to the proxy (an https:// proxy URL) is not supported" : "unsupported proxy scheme \(goQuote(Array(scheme.utf8)))")")
        }
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
        return try await exchange(shown: shown) { deadline throws(HTTPTransportError) in
            let response = try await self.follow(url, policy: redirects, deadline: deadline)
            let body = try await Self.read(response, limit: max(0, limit), url: shown)
            var fields: [String: String] = [:]
            if let retryAfter = response.headers.first(name: "retry-after") { fields["retry-after"] = retryAfter }
            return HTTPResponse(status: Int(response.status.code), body: body, headers: fields)
        }
    }

    /// Runs one request-response exchange (every hop and the body) under the transport's whole
    /// deadline. async-http-client's deadline covers the response head only, so the exchange
    /// (given that head deadline) also races a timer of its own. Both run on one of the client's
    /// event loops, not on the cooperative pool: a caller that blocks the pool's few threads (a
    /// synchronous subprocess wait, CPU-bound hashing) must neither stall a request half-way nor
    /// make its deadline fire only because the request could not run.
    private func exchange(shown: String,
                          _ work: @escaping @Sendable (NIODeadline) async throws(HTTPTransportError) -> HTTPResponse) async throws(HTTPTransportError) -> HTTPResponse {
        let span = Self.amount(timeout)
        let deadline = NIODeadline.now() + span
        let wake = ContinuousClock.now + .nanoseconds(span.nanoseconds)
        let executor = EventLoopTaskExecutor(client.eventLoopGroup.next())
        let outcome: Result<HTTPResponse, HTTPTransportError> = await Self.race(on: executor, cancelled: .failure(Self.cancelled(shown))) {
            do throws(HTTPTransportError) {
                return .success(try await work(deadline))
            } catch {
                return .failure(error)
            }
        } watchdog: {
            do { try await Task.sleep(until: wake, clock: .continuous) } catch { return nil }
            return .failure(HTTPTransportError(.timeout, url: shown))
        }
        return try outcome.get()
    }

    /// The first answer of `work` and `watchdog` (which answers `nil` to stay silent), or
    /// `cancelled` as soon as the calling task is cancelled. Both run as unstructured tasks on
    /// `executor` and are cancelled, not awaited, once there is an answer: async-http-client
    /// ends a request that waits for its head only at its own deadline, not on cancellation,
    /// and a task group would wait for it (so a command's `--deadline` would wait for it too).
    static func race<R: Sendable>(on executor: EventLoopTaskExecutor, cancelled: R,
                                  _ work: @escaping @Sendable () async -> R,
                                  watchdog: @escaping @Sendable () async -> R?) async -> R {
        let (answers, continuation) = AsyncStream.makeStream(of: R.self)
        let worker = Task(executorPreference: executor) { continuation.yield(await work()) }
        let timer = Task(executorPreference: executor) {
            if let answer = await watchdog() { continuation.yield(answer) }
        }
        let first = await withTaskCancellationHandler {
            var iterator = answers.makeAsyncIterator()
            return await iterator.next() ?? cancelled
        } onCancel: {
            continuation.finish()
        }
        worker.cancel()
        timer.cancel()
        continuation.finish()
        return first
    }

    static func cancelled(_ shown: String) -> HTTPTransportError {
        HTTPTransportError(.failed, url: shown, detail: "cancelled")
    }

    /// GETs `url` with the body cap, following redirects as `redirects` allows, and gives a 200
    /// body to `sink` as it arrives (see the type's discussion: `timeout` up to the head,
    /// ``idleTimeout`` between body chunks). An error thrown by `sink` is rethrown unchanged.
    public func stream(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy,
                       into sink: @escaping HTTPBodySink) async throws -> HTTPStreamedResponse {
        let shown = redact(url)
        let span = Self.amount(timeout)
        let headDeadline = NIODeadline.now() + span
        let idle = Self.amount(idleTimeout)
        let progress = StreamProgress()
        let executor = EventLoopTaskExecutor(client.eventLoopGroup.next())
        let limit = max(0, limit)
        let outcome: Result<HTTPStreamedResponse, any Error> = await Self.race(on: executor, cancelled: .failure(Self.cancelled(shown))) {
                do {
                    // async-http-client's deadline bounds the head only (a request waiting for
                    // its head does not end on cancellation alone); the body is the watchdog's.
                    let response = try await self.follow(url, policy: redirects, deadline: headDeadline)
                    progress.touch()
                    let status = Int(response.status.code)
                    guard status == 200 else {
                        let body = try await Self.readPrefix(response, limit: min(limit, HTTPStreamedResponse.errorBodyLimit), url: shown)
                        return .success(HTTPStreamedResponse(status: status, byteCount: 0, body: body))
                    }
                    let count = try await Self.pump(response, limit: limit, url: shown, progress: progress, sink: sink)
                    return .success(HTTPStreamedResponse(status: status, byteCount: count, body: []))
                } catch let failure as SinkFailure {
                    return .failure(failure.error)
                } catch {
                    return .failure(error)
                }
            } watchdog: {
                // The whole-request deadline until the head, then the idle timeout.
                let poll = Int64(max(5_000_000, min(500_000_000, min(span.nanoseconds, idle.nanoseconds) / 8)))
                while true {
                    do { try await Task.sleep(for: .nanoseconds(poll)) } catch { return nil }
                    let now = NIODeadline.now()
                    if let last = progress.lastProgress {
                        if now.uptimeNanoseconds &- last >= UInt64(max(0, idle.nanoseconds)) {
                            return .failure(HTTPTransportError(.timeout, url: shown, detail: "no data for \(Self.seconds(idle))"))
                        }
                    } else if now >= headDeadline {
                        return .failure(HTTPTransportError(.timeout, url: shown))
                    }
                }
        }
        return try outcome.get()
    }

    /// `amount` as Go prints a duration's seconds (`1.5s`).
    static func seconds(_ amount: TimeAmount) -> String {
        let ms = amount.nanoseconds / 1_000_000
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(Double(ms) / 1000)s"
    }

    /// Sends `request` (see `HTTPTransport/send(_:limit:redirects:)`): the same deadline, byte
    /// cap and (for `GET`) redirect rules as ``get(_:limit:redirects:)``; every response header
    /// field and the URL that answered are returned. A method other than `GET` follows no
    /// redirect.
    public func send(_ request: HTTPRequest, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse {
        let shown = redact(request.url)
        if let problem = request.invalidity { throw HTTPTransportError(.failed, url: shown, detail: problem) }
        return try await exchange(shown: shown) { deadline throws(HTTPTransportError) in
            let (response, answered) = try await self.follow(request.url, policy: redirects, deadline: deadline,
                                                             method: request.method, fields: request.headers,
                                                             body: request.body)
            let body = try await Self.read(response, limit: max(0, limit), url: shown)
            var fields: [String: String] = [:]
            for (name, value) in response.headers {
                let key = name.lowercased()
                fields[key] = fields[key].map { $0 + ", " + value } ?? value
            }
            return HTTPResponse(status: Int(response.status.code), body: body, headers: fields, url: answered)
        }
    }

    /// The redirect chain from `original`: one request per hop, each checked by `policy`; the
    /// final response (head checked, body unread).
    private func follow(_ original: URL, policy: HTTPRedirectPolicy,
                        deadline: NIODeadline) async throws(HTTPTransportError) -> HTTPClientResponse {
        try await follow(original, policy: policy, deadline: deadline, method: "GET", fields: [], body: []).response
    }

    /// The redirect chain from `original` for a request with `method`, header `fields` and
    /// `body`: for `GET`, one request per hop, each checked by `policy`, the fields resent on
    /// every hop; any other method is sent once and a 3xx is its answer. The final response
    /// (head checked, body unread) and its URL.
    private func follow(_ original: URL, policy: HTTPRedirectPolicy, deadline: NIODeadline, method: String,
                        fields: [HTTPHeaderField],
                        body: [UInt8]) async throws(HTTPTransportError) -> (response: HTTPClientResponse, url: URL) {
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
            request.method = HTTPMethod(rawValue: method)
            for field in fields { request.headers.add(name: field.name, value: field.value) }
            if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
            let response = try await execute(request, through: try client(for: current, shown: shown), deadline: deadline, url: shown)
            try Self.checkHead(response.headers, url: shown)
            let status = Int(response.status.code)
            guard method == "GET", HTTPRedirectPolicy.isRedirect(status), let location = response.headers.first(name: "location") else {
                return (response, current)
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
    /// `net/http` retries it so (`persistConn.shouldRetryRequest`, `errServerClosedIdle`); other
    /// methods are not retried (`Request.isReplayable`: GET, HEAD, OPTIONS, TRACE only).
    private func execute(_ request: HTTPClientRequest, through client: HTTPClient, deadline: NIODeadline,
                         url shown: String) async throws(HTTPTransportError) -> HTTPClientResponse {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.execute(request, deadline: deadline)
            } catch {
                if attempt == 1, request.method == .GET, !Task.isCancelled, Self.isClosedBeforeResponse(error) { continue }
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

    /// A 200 body streamed to `sink`, at most `limit` bytes (a declared length over it is
    /// refused before reading); every chunk (after the sink took it) counts as progress for the
    /// idle watchdog. The sink's own errors come out wrapped in ``SinkFailure``.
    static func pump(_ response: HTTPClientResponse, limit: Int, url shown: String, progress: StreamProgress,
                     sink: HTTPBodySink) async throws -> Int {
        let oversize = HTTPTransportError(.oversizeResponse, url: shown, detail: "\(limit)")
        if let declared = response.headers.first(name: "content-length").flatMap({ Int($0) }), declared > limit {
            throw oversize
        }
        var total = 0
        do {
            for try await chunk in response.body {
                guard chunk.readableBytes <= limit - total else { throw oversize }
                total += chunk.readableBytes
                // A request given up on (timeout, deadline) never writes again: its caller may
                // have closed the sink's file.
                if Task.isCancelled { throw CancellationError() }
                do { try chunk.withUnsafeReadableBytes { try sink($0) } } catch { throw SinkFailure(error: error) }
                progress.touch()
            }
        } catch let error as HTTPTransportError {
            throw error
        } catch let error as SinkFailure {
            throw error
        } catch {
            throw transportError(error, url: shown, afterHead: true)
        }
        return total
    }

    /// At most `limit` bytes of a body (for the message of a non-200 answer); the rest is not
    /// read (the connection is dropped).
    static func readPrefix(_ response: HTTPClientResponse, limit: Int, url shown: String) async throws(HTTPTransportError) -> [UInt8] {
        var body: [UInt8] = []
        do {
            for try await chunk in response.body {
                body.append(contentsOf: chunk.readableBytesView.prefix(limit - body.count))
                if body.count >= limit { break }
            }
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

/// An error thrown by a streaming sink, carried past the transport's own error mapping.
struct SinkFailure: Error {
    let error: any Error
}

/// When a stream last made progress (`NIODeadline` uptime nanoseconds), for the idle watchdog;
/// `nil` until the response head arrived.
final class StreamProgress: Sendable {
    private let last = Atomic<UInt64>(0)

    /// Records progress now.
    func touch() {
        last.store(max(1, NIODeadline.now().uptimeNanoseconds), ordering: .relaxed)
    }

    /// The time of the last progress, `nil` before the head.
    var lastProgress: UInt64? {
        let value = last.load(ordering: .relaxed)
        return value == 0 ? nil : value
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
