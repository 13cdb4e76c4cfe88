public import GoModCore
public import GoSumDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation
import Dispatch
import Synchronization

/// A lean HTTP/1.1 client for `http://` URLs over POSIX sockets, with a keep-alive connection
/// pool per host; `https://` URLs (and redirects to them) go to ``secureTransport``.
///
/// Same contract as ``URLSessionTransport``: a whole-request deadline, the body cap enforced while
/// reading (a declared `Content-Length` above it is refused before reading), Go's redirect rules
/// (``HTTPRedirectPolicy``), typed ``HTTPTransportError``s. Safe against a hostile server: the
/// status line and each header line are at most ``maxLineBytes``, the whole head at most
/// ``maxHeaderBytes`` and ``maxHeaderFields`` fields, chunk-size lines are bounded, conflicting
/// `Content-Length`s and unknown transfer codings are refused, and nothing is allocated from a
/// declared length. Framing follows Go's `net/http` client (`readTransfer`): `chunked` wins over
/// `Content-Length`, 1xx responses are skipped, 204/304 have no body, otherwise the body runs to
/// the end of the connection.
///
/// Each request runs its blocking I/O (`poll` with the remaining deadline) on a thread of its own,
/// never on the cooperative pool.
public final class SocketHTTPTransport: HTTPTransport {
    /// The whole-request deadline in seconds (connect, all redirects, the whole body).
    public let timeout: TimeInterval
    /// The most connections open to one host at once; further requests wait for one (within
    /// their deadline).
    public let maxConnectionsPerHost: Int
    /// The transport for `https://` URLs and redirects to them (`nil`: refused).
    public let secureTransport: (any HTTPTransport)?
    /// The longest status, header or chunk-size line accepted (bytes, without CRLF).
    public static let maxLineBytes = 8 << 10
    /// The most bytes of status line plus header fields accepted (Go's
    /// `DefaultMaxHeaderBytes`-like bound: 1 MiB there, 64 KiB here).
    public static let maxHeaderBytes = 64 << 10
    /// The most header fields accepted.
    public static let maxHeaderFields = 128

    private let pool: ConnectionPool

    /// A transport. `secureTransport` handles https (``DefaultHTTPTransport`` passes a
    /// ``URLSessionTransport``).
    public init(timeout: TimeInterval = 30, maxConnectionsPerHost: Int = 256, secureTransport: (any HTTPTransport)? = nil) {
        self.timeout = timeout
        self.maxConnectionsPerHost = max(1, maxConnectionsPerHost)
        self.secureTransport = secureTransport
        self.pool = ConnectionPool(maxPerHost: max(1, maxConnectionsPerHost))
    }

    /// Connections opened so far (for tests of keep-alive reuse).
    public var connectionsOpened: Int { pool.opened.withLock { $0 } }

    /// GETs `url` with the body cap, following redirects by Go's rules.
    public func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        try await get(url, limit: limit, redirects: .go)
    }

    /// GETs `url` with the body cap, following redirects as `redirects` allows.
    public func get(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse {
        guard url.scheme?.lowercased() == "http" else {
            return try await handOff(url, limit: limit, policy: redirects, original: url, count: 0)
        }
        let cancel = Cancellation()
        let deadline = DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, min(timeout, 1e6)) * 1e9)
        let job = Job(url: url, limit: limit, policy: redirects, deadline: deadline, pool: pool, cancel: cancel)
        let outcome = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Outcome, any Error>) in
                let thread = Thread {
                    do { continuation.resume(returning: try job.run()) } catch { continuation.resume(throwing: error) }
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            cancel.cancel()
        }
        switch outcome {
        case .response(let response): return response
        case .handOff(let next, let count): return try await handOff(next, limit: limit, policy: redirects, original: url, count: count)
        }
    }

    private func handOff(_ url: URL, limit: Int, policy: HTTPRedirectPolicy, original: URL, count: Int) async throws -> HTTPResponse {
        if let session = secureTransport as? URLSessionTransport {
            return try await session.get(url, limit: limit, policy: policy, original: original, priorRedirects: count)
        }
        if let secureTransport { return try await secureTransport.get(url, limit: limit, redirects: policy) }
        throw HTTPTransportError(.failed, url: redact(url), detail: "unsupported protocol scheme \(goQuote(Array((url.scheme ?? "").utf8)))")
    }

    enum Outcome: Sendable {
        case response(HTTPResponse)
        /// A redirect to https after `count` redirect responses.
        case handOff(URL, Int)
    }
}

/// ``HTTPTransport`` for both schemes: ``SocketHTTPTransport`` for `http://` (loopback servers,
/// corporate proxies), ``URLSessionTransport`` for `https://` (system TLS and trust store).
public final class DefaultHTTPTransport: HTTPTransport {
    /// The https side.
    public let secure: URLSessionTransport
    /// The http side (hands https redirects to ``secure``).
    public let plain: SocketHTTPTransport

    /// A transport with the given whole-request timeout and connections per host (each side;
    /// Go's `http.DefaultTransport` has no per-host cap at all).
    public init(timeout: TimeInterval = 30, maxConnectionsPerHost: Int = 256) {
        secure = URLSessionTransport(timeout: timeout, maxConnectionsPerHost: maxConnectionsPerHost)
        plain = SocketHTTPTransport(timeout: timeout, maxConnectionsPerHost: maxConnectionsPerHost, secureTransport: secure)
    }

    /// GETs `url` with the body cap, following redirects by Go's rules.
    public func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        try await get(url, limit: limit, redirects: .go)
    }

    /// GETs `url` with the body cap, following redirects as `redirects` allows.
    public func get(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse {
        if url.scheme?.lowercased() == "http" { return try await plain.get(url, limit: limit, redirects: redirects) }
        return try await secure.get(url, limit: limit, redirects: redirects)
    }
}

// MARK: - Cancellation

/// Cancels a blocking request: marks it and shuts its socket down (waking `poll`).
final class Cancellation: Sendable {
    private let state = Mutex<(cancelled: Bool, fd: Int32?)>((false, nil))

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    func cancel() {
        state.withLock { s in
            s.cancelled = true
            if let fd = s.fd { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Registers the socket in use (`nil` before it is closed or pooled).
    func use(_ fd: Int32?) { state.withLock { $0.fd = fd } }
}

// MARK: - Connection pool

/// Idle keep-alive sockets per `host:port` and a cap on open connections per host; a request
/// over the cap sleeps on a condition until a connection is returned or closed.
final class ConnectionPool: Sendable {
    let maxPerHost: Int
    private let condition = NSCondition()
    private nonisolated(unsafe) var idle: [String: [Int32]] = [:]   // guarded by `condition`
    private nonisolated(unsafe) var open: [String: Int] = [:]       // guarded by `condition`
    let opened = Mutex(0)

    init(maxPerHost: Int) { self.maxPerHost = maxPerHost }

    deinit {
        for fds in idle.values { for fd in fds { _ = close(fd) } }
    }

    enum Acquired { case idle(Int32), slot }

    /// An idle connection still open (`.idle`), or a reserved slot for a new one (`.slot`),
    /// waiting until `deadline` (`nil`: timed out or cancelled). An idle socket that is readable
    /// was closed by the server (or sent junk) and is dropped.
    func acquire(_ key: String, deadline: UInt64, cancel: Cancellation) -> Acquired? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            while let fd = idle[key]?.popLast() {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&p, 1, 0) == 0 { return .idle(fd) }
                _ = close(fd)
                open[key, default: 1] -= 1
            }
            if open[key, default: 0] < maxPerHost {
                open[key, default: 0] += 1
                return .slot
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if cancel.isCancelled || now >= deadline { return nil }
            // Wake at least every 100 ms to notice cancellation.
            let wait = min(deadline - now, 100_000_000)
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(wait) / 1e9))
        }
    }

    func opened(_ fd: Int32) { opened.withLock { $0 += 1 } }

    /// Returns a reusable socket.
    func put(_ key: String, _ fd: Int32) {
        condition.lock()
        idle[key, default: []].append(fd)
        condition.signal()
        condition.unlock()
    }

    /// Closes a socket and frees its slot.
    func discard(_ key: String, _ fd: Int32) {
        _ = close(fd)
        release(key)
    }

    /// Frees a slot (its connection closed or never opened).
    func release(_ key: String) {
        condition.lock()
        let n = open[key, default: 1] - 1
        open[key] = n > 0 ? n : nil
        condition.signal()
        condition.unlock()
    }
}

// MARK: - One request (blocking, on its own thread)

/// Why a read stopped.
private enum ReadFailure: Error {
    case eof
    case reset
    case timeout
    case cancelled
    case other(Int32)
}

private struct Head {
    var status: Int
    var minor: Int
    var fields: [(name: String, value: [UInt8])]

    func values(_ name: String) -> [[UInt8]] { fields.filter { $0.name == name }.map(\.value) }
}

private struct Job: Sendable {
    let url: URL
    let limit: Int
    let policy: HTTPRedirectPolicy
    let deadline: UInt64
    let pool: ConnectionPool
    let cancel: Cancellation

    func run() throws(HTTPTransportError) -> SocketHTTPTransport.Outcome {
        var current = url
        var count = 0
        while true {
            let (head, body) = try exchange(current)
            guard HTTPRedirectPolicy.isRedirect(head.status), let location = head.values("location").first else {
                return .response(HTTPResponse(status: head.status, body: body ?? []))
            }
            count += 1
            let text = String(decoding: location, as: UTF8.self)
            guard let next = URL(string: text, relativeTo: current)?.absoluteURL, next.host != nil else {
                throw HTTPTransportError(.failed, url: redact(url), detail: "failed to parse Location header \(goQuote(location))")
            }
            if let refusal = policy.check(original: url, to: next, count: count) { throw refusal }
            if next.scheme?.lowercased() != "http" { return .handOff(next, count) }
            current = next
        }
    }

    /// One request/response on a pooled or new connection; a reused connection that the server
    /// had closed is retried once on a new one (GET is idempotent). The body is `nil` for a
    /// redirect (read and dropped).
    private func exchange(_ target: URL) throws(HTTPTransportError) -> (Head, [UInt8]?) {
        guard let host = target.host, !host.isEmpty else { throw HTTPTransportError(.failed, url: redact(target), detail: "no host in URL") }
        let port = target.port ?? 80
        guard (1...65535).contains(port) else { throw HTTPTransportError(.failed, url: redact(target), detail: "invalid port") }
        let key = host.lowercased() + ":" + String(port)
        let request = try requestBytes(target, host: host, port: port)
        for _ in 0..<2 {
            let reused: Bool
            let fd: Int32
            switch pool.acquire(key, deadline: deadline, cancel: cancel) {
            case .idle(let idle):
                reused = true
                fd = idle
            case .slot:
                reused = false
                do { fd = try connect(host: host, port: port, target: target) } catch {
                    pool.release(key)
                    throw error
                }
                pool.opened(fd)
            case nil:
                throw cancel.isCancelled ? HTTPTransportError(.failed, url: redact(url), detail: "cancelled") : HTTPTransportError(.timeout, url: redact(url))
            }
            cancel.use(fd)
            var reader = Reader(fd: fd, deadline: deadline, cancel: cancel)
            do {
                try reader.send(request)
                let head = try readHead(&reader, target: target)
                let redirect = HTTPRedirectPolicy.isRedirect(head.status) && !head.values("location").isEmpty
                let (body, reusable) = try readBody(&reader, head: head, limit: redirect ? 64 << 10 : limit, target: target, dropOversize: redirect)
                cancel.use(nil)
                if reusable && reader.buffered == 0 { pool.put(key, fd) } else { pool.discard(key, fd) }
                return (head, redirect ? nil : body)
            } catch let failure as ReadFailure {
                cancel.use(nil)
                pool.discard(key, fd)
                // A kept-alive connection the server closed before answering: once more, fresh.
                if reused && reader.received == 0, case .eof = failure { continue }
                if reused && reader.received == 0, case .reset = failure { continue }
                throw transportError(failure, target: target, received: reader.received)
            } catch let error as HTTPTransportError {
                cancel.use(nil)
                pool.discard(key, fd)
                throw error
            } catch {
                cancel.use(nil)
                pool.discard(key, fd)
                throw HTTPTransportError(.failed, url: redact(url), detail: "\(error)")
            }
        }
        throw HTTPTransportError(.failed, url: redact(url), detail: "EOF")
    }

    private func transportError(_ failure: ReadFailure, target: URL, received: Int) -> HTTPTransportError {
        switch failure {
        case .timeout: HTTPTransportError(.timeout, url: redact(url))
        case .cancelled: HTTPTransportError(.failed, url: redact(url), detail: "cancelled")
        case .eof: received == 0 ? HTTPTransportError(.failed, url: redact(url), detail: "EOF") : HTTPTransportError(.truncatedResponse, url: redact(url))
        case .reset: received == 0 ? HTTPTransportError(.failed, url: redact(url), detail: "connection reset by peer")
            : HTTPTransportError(.truncatedResponse, url: redact(url))
        case .other(let e): HTTPTransportError(.failed, url: redact(url), detail: String(cString: strerror(e)))
        }
    }

    private func requestBytes(_ target: URL, host: String, port: Int) throws(HTTPTransportError) -> [UInt8] {
        guard let components = URLComponents(url: target, resolvingAgainstBaseURL: false) else {
            throw HTTPTransportError(.failed, url: redact(target), detail: "invalid URL")
        }
        var path = components.percentEncodedPath
        if path.isEmpty { path = "/" }
        if let query = components.percentEncodedQuery { path += "?" + query }
        var hostHeader = host.contains(":") ? "[" + host + "]" : host
        if port != 80 { hostHeader += ":" + String(port) }
        let text = "GET \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: GoModKit\r\nAccept-Encoding: identity\r\n\r\n"
        let bytes = Array(text.utf8)
        // No control bytes or spaces may reach the request line or Host (request splitting).
        let line = Array(("GET " + path + hostHeader).utf8).dropFirst(4)
        guard line.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw HTTPTransportError(.failed, url: redact(target), detail: "invalid character in URL")
        }
        return bytes
    }

    private func connect(host: String, port: Int, target: URL) throws(HTTPTransportError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw HTTPTransportError(.failed, url: redact(target), detail: "lookup \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(first) }
        var lastError: Int32 = ECONNREFUSED
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let ai = node {
            node = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd < 0 { lastError = errno; continue }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Darwin)
            _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            if Glue.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
            if errno != EINPROGRESS { lastError = errno; _ = close(fd); continue }
            cancel.use(fd)
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            while true {
                if cancel.isCancelled { break }
                let now = DispatchTime.now().uptimeNanoseconds
                if now >= deadline { break }
                let wait = Int32(min((deadline - now) / 1_000_000 + 1, 1000))
                let n = poll(&p, 1, wait)
                if n > 0 || (n < 0 && errno != EINTR) { break }
            }
            cancel.use(nil)
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            if p.revents != 0, getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0, err == 0 { return fd }
            _ = close(fd)
            if cancel.isCancelled { throw HTTPTransportError(.failed, url: redact(url), detail: "cancelled") }
            if DispatchTime.now().uptimeNanoseconds >= deadline { throw HTTPTransportError(.timeout, url: redact(url)) }
            lastError = err != 0 ? err : ECONNREFUSED
        }
        throw HTTPTransportError(.failed, url: redact(target), detail: "dial tcp \(host):\(port): \(String(cString: strerror(lastError)))")
    }

    private func malformed(_ target: URL, _ detail: String) -> HTTPTransportError {
        HTTPTransportError(.malformedResponse, url: redact(url), detail: detail)
    }

    /// Status line and header fields (Go's `ReadResponse`), skipping up to 5 1xx responses.
    private func readHead(_ reader: inout Reader, target: URL) throws -> Head {
        for _ in 0..<6 {
            var total = 0
            let statusLine = try readLine(&reader, total: &total, target: target)
            // "HTTP/1.x SSS[ reason]"
            guard statusLine.count >= 12, statusLine.starts(with: Array("HTTP/1.".utf8)),
                  let minor = digit(statusLine[7]), statusLine[8] == 0x20,
                  let d0 = digit(statusLine[9]), let d1 = digit(statusLine[10]), let d2 = digit(statusLine[11]),
                  statusLine.count == 12 || statusLine[12] == 0x20, d0 >= 1 else {
                throw malformed(target, "malformed HTTP status line \(goQuote(statusLine.prefix(100)))")
            }
            let status = d0 * 100 + d1 * 10 + d2
            var fields: [(name: String, value: [UInt8])] = []
            while true {
                let line = try readLine(&reader, total: &total, target: target)
                if line.isEmpty { break }
                guard fields.count < SocketHTTPTransport.maxHeaderFields else { throw malformed(target, "too many header fields") }
                guard let colon = line.firstIndex(of: 0x3A), colon > 0,
                      line[..<colon].allSatisfy(isTokenByte) else {
                    throw malformed(target, "malformed MIME header line: \(goQuote(line.prefix(100)))")
                }
                let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
                var value = line[(colon + 1)...]
                while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
                while let l = value.last, l == 0x20 || l == 0x09 { value = value.dropLast() }
                fields.append((name, Array(value)))
            }
            if status >= 100 && status < 200 && status != 101 { continue }
            return Head(status: status, minor: minor, fields: fields)
        }
        throw malformed(target, "too many 1xx informational responses")
    }

    /// The body per Go's `readTransfer`, and whether the connection can be reused.
    private func readBody(_ reader: inout Reader, head: Head, limit: Int, target: URL, dropOversize: Bool) throws -> ([UInt8], Bool) {
        let connectionClose = head.values("connection").contains { v in
            String(decoding: v, as: UTF8.self).lowercased().split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "close" }
        }
        var reusable = head.minor >= 1 && !connectionClose
        if head.status == 204 || head.status == 304 || head.status == 101 { return ([], reusable && head.status != 101) }
        let te = head.values("transfer-encoding")
        var body: [UInt8] = []
        if !te.isEmpty {
            guard te.count == 1, String(decoding: te[0], as: UTF8.self).lowercased() == "chunked" else {
                throw malformed(target, "unsupported transfer encoding: \(goQuote(Array(te.joined(separator: [0x2C]))))")
            }
            try readChunked(&reader, into: &body, limit: limit, target: target, dropOversize: dropOversize, reusable: &reusable)
            return (body, reusable)
        }
        let lengths = head.values("content-length")
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }) else {
                throw malformed(target, "message cannot contain multiple Content-Length headers")
            }
            guard !first.isEmpty, first.count <= 18, first.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw malformed(target, "bad Content-Length \(goQuote(first.prefix(40)))")
            }
            let n = first.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            if n > limit {
                if dropOversize { return ([], false) }
                throw HTTPTransportError(.oversizeResponse, url: redact(url), detail: "\(limit)")
            }
            body.reserveCapacity(min(n, 1 << 20))
            try reader.read(n, into: &body)
            return (body, reusable)
        }
        // No framing: to the end of the connection (one byte past the cap proves it oversize).
        let cap = limit < Int.max ? limit + 1 : Int.max
        while true {
            let got = try reader.readAvailable(into: &body, max: cap - body.count)
            if got == 0 { break }
            if body.count > limit {
                if dropOversize { return ([], false) }
                throw HTTPTransportError(.oversizeResponse, url: redact(url), detail: "\(limit)")
            }
        }
        return (body, false)
    }

    private func readChunked(_ reader: inout Reader, into body: inout [UInt8], limit: Int, target: URL, dropOversize: Bool,
                             reusable: inout Bool) throws {
        var total = 0
        while true {
            var lineTotal = 0
            let line = try readLine(&reader, total: &lineTotal, target: target)
            var size = line[...]
            if let semicolon = size.firstIndex(of: 0x3B) { size = size[..<semicolon] }
            while let l = size.last, l == 0x20 || l == 0x09 { size = size.dropLast() }
            guard !size.isEmpty, size.count <= 16, let n = hexValue(size), n <= UInt64(Int.max) else {
                throw malformed(target, "invalid byte in chunk length")
            }
            if n == 0 {
                // Trailer fields, bounded like the head.
                var trailerTotal = 0
                var fields = 0
                while try !readLine(&reader, total: &trailerTotal, target: target).isEmpty {
                    fields += 1
                    guard fields <= SocketHTTPTransport.maxHeaderFields else { throw malformed(target, "too many trailer fields") }
                }
                return
            }
            let (sum, overflow) = total.addingReportingOverflow(Int(n))
            if overflow || sum > limit {
                if dropOversize { reusable = false; body = []; return }
                throw HTTPTransportError(.oversizeResponse, url: redact(url), detail: "\(limit)")
            }
            total = sum
            try reader.read(Int(n), into: &body)
            var crlf: [UInt8] = []
            try reader.read(1, into: &crlf)
            if crlf == [0x0D] { try reader.read(1, into: &crlf) }
            guard crlf.last == 0x0A, crlf.count == (crlf.first == 0x0D ? 2 : 1) else {
                throw malformed(target, "malformed chunked encoding")
            }
        }
    }

    /// A line without its CRLF (or bare LF), at most ``SocketHTTPTransport/maxLineBytes``, adding
    /// to `total` (at most ``SocketHTTPTransport/maxHeaderBytes``).
    private func readLine(_ reader: inout Reader, total: inout Int, target: URL) throws -> [UInt8] {
        let max = Swift.min(SocketHTTPTransport.maxLineBytes, SocketHTTPTransport.maxHeaderBytes - total)
        guard max > 0, let line = try reader.readLine(max: max) else {
            throw malformed(target, max < SocketHTTPTransport.maxLineBytes ? "header too large" : "line too long")
        }
        total += line.count + 2
        return line.last == 0x0D ? Array(line.dropLast()) : line
    }
}

private func digit(_ b: UInt8) -> Int? { b >= 0x30 && b <= 0x39 ? Int(b - 0x30) : nil }

private func hexValue(_ s: ArraySlice<UInt8>) -> UInt64? {
    var v: UInt64 = 0
    for b in s {
        let d: UInt64
        switch b {
        case 0x30...0x39: d = UInt64(b - 0x30)
        case 0x61...0x66: d = UInt64(b - 0x61 + 10)
        case 0x41...0x46: d = UInt64(b - 0x41 + 10)
        default: return nil
        }
        v = v << 4 | d
    }
    return v
}

/// RFC 9110 `tchar`.
private func isTokenByte(_ b: UInt8) -> Bool {
    switch b {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
         UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
         UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
    default: false
    }
}

/// Buffered reads from a non-blocking socket with a deadline.
private struct Reader {
    let fd: Int32
    let deadline: UInt64
    let cancel: Cancellation
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 16 << 10)
    private var start = 0
    /// Response bytes received so far.
    private(set) var received = 0

    init(fd: Int32, deadline: UInt64, cancel: Cancellation) {
        self.fd = fd
        self.deadline = deadline
        self.cancel = cancel
    }

    var buffered: Int { buffer.count - start }

    /// Waits until the socket is ready for `events`.
    private func wait(_ events: Int32) throws(ReadFailure) {
        var p = pollfd(fd: fd, events: Int16(events), revents: 0)
        while true {
            if cancel.isCancelled { throw .cancelled }
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline { throw .timeout }
            let n = poll(&p, 1, Int32(min((deadline - now) / 1_000_000 + 1, 1000)))
            if n > 0 { return }
            if n < 0 && errno != EINTR { throw .other(errno) }
        }
    }

    func send(_ bytes: [UInt8]) throws(ReadFailure) {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Darwin)
            let flags: Int32 = 0
            #else
            let flags = Int32(MSG_NOSIGNAL)
            #endif
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glue.send(fd, base + offset, raw.count - offset, flags)
            }
            if n > 0 { offset += n; continue }
            let e = errno
            if n < 0 && (e == EAGAIN || e == EWOULDBLOCK) { try wait(Int32(POLLOUT)); continue }
            if n < 0 && e == EINTR { continue }
            if e == EPIPE || e == ECONNRESET { throw .reset }
            throw .other(e)
        }
    }

    /// Reads more bytes into the buffer (at most 16 KiB); 0 at end of stream. Consumed bytes are
    /// dropped first, so the buffer never holds more than one unfinished line (at most
    /// ``SocketHTTPTransport/maxLineBytes``) plus one read: a chunked body of tiny chunks with
    /// long extensions must not pile up its framing in memory.
    private mutating func fill() throws(ReadFailure) -> Int {
        if start > 0 {
            buffer.removeSubrange(..<start)
            start = 0
        }
        while true {
            let n = scratch.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return Glue.recv(fd, base, raw.count, 0)
            }
            if n > 0 {
                buffer.append(contentsOf: scratch[..<n])
                received += n
                return n
            }
            if n == 0 { return 0 }
            let e = errno
            if e == EAGAIN || e == EWOULDBLOCK { try wait(Int32(POLLIN)); continue }
            if e == EINTR { continue }
            if cancel.isCancelled { throw .cancelled }
            if e == ECONNRESET || e == EPIPE { throw .reset }
            throw .other(e)
        }
    }

    /// The next line including a trailing CR (not the LF); `nil` when longer than `max`.
    mutating func readLine(max: Int) throws(ReadFailure) -> [UInt8]? {
        var scanned = 0   // bytes after `start` known to hold no LF (`fill` moves `start`)
        while true {
            if let lf = buffer[(start + scanned)...].firstIndex(of: 0x0A) {
                if lf - start > max + 1 { return nil }
                let line = Array(buffer[start..<lf])
                start = lf + 1
                return line
            }
            scanned = buffer.count - start
            if scanned > max + 1 { return nil }
            if try fill() == 0 { throw .eof }
        }
    }

    /// Exactly `count` bytes appended to `out`.
    mutating func read(_ count: Int, into out: inout [UInt8]) throws(ReadFailure) {
        var left = count
        while left > 0 {
            if start == buffer.count, try fill() == 0 { throw .eof }
            let take = min(left, buffer.count - start)
            out.append(contentsOf: buffer[start..<(start + take)])
            start += take
            left -= take
        }
    }

    /// Whatever arrives next (at most `max` bytes) appended to `out`; 0 at end of stream.
    mutating func readAvailable(into out: inout [UInt8], max: Int) throws(ReadFailure) -> Int {
        if start == buffer.count, try fill() == 0 { return 0 }
        let take = min(max, buffer.count - start)
        out.append(contentsOf: buffer[start..<(start + take)])
        start += take
        return take
    }
}

/// The C calls whose names the transport's methods shadow.
private enum Glue {
    static func connect(_ fd: Int32, _ addr: UnsafePointer<sockaddr>?, _ len: socklen_t) -> Int32 {
        #if canImport(Darwin)
        Darwin.connect(fd, addr, len)
        #elseif canImport(Musl)
        Musl.connect(fd, addr, len)
        #else
        Glibc.connect(fd, addr, len)
        #endif
    }

    static func send(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int, _ flags: Int32) -> Int {
        #if canImport(Darwin)
        Darwin.send(fd, p, n, flags)
        #elseif canImport(Musl)
        Musl.send(fd, p, n, flags)
        #else
        Glibc.send(fd, p, n, flags)
        #endif
    }

    static func recv(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int, _ flags: Int32) -> Int {
        #if canImport(Darwin)
        Darwin.recv(fd, p, n, flags)
        #elseif canImport(Musl)
        Musl.recv(fd, p, n, flags)
        #else
        Glibc.recv(fd, p, n, flags)
        #endif
    }
}
