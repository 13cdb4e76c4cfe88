public import GoSumDB
public import GoModPlatform

/// Per-host politeness: at most ``limit`` requests in flight to any one host, whatever the
/// scan's overall concurrency (Docs/scan.md). Waiters are served first come, first
/// served. One limiter is shared by every client of a scan run (feed aside): the GOPROXY and
/// checksum-database transports (``PoliteTransport``), `?go-get=1` discovery, ref listings and
/// rebuild fetches.
public actor HostLimiter {
    /// Requests allowed in flight per host.
    public let limit: Int
    private var active: [String: Int] = [:]
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    /// The most requests seen in flight to one host at once (for tests and reports).
    public private(set) var peak: [String: Int] = [:]

    /// A limiter allowing `limit` (at least 1) requests per host at once.
    public init(limit: Int) { self.limit = max(1, limit) }

    /// Waits for a permit for `host`.
    public func acquire(_ host: String) async {
        let n = active[host, default: 0]
        if n < limit {
            active[host] = n + 1
            peak[host] = max(peak[host, default: 0], n + 1)
            return
        }
        await withCheckedContinuation { waiters[host, default: []].append($0) }
    }

    /// Returns a permit for `host`: the first waiter takes it over.
    public func release(_ host: String) {
        if var queue = waiters[host], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[host] = queue.isEmpty ? nil : queue
            next.resume()
            return
        }
        let n = active[host, default: 1] - 1
        active[host] = n > 0 ? n : nil
    }

    /// Runs `body` holding a permit for `host`.
    public nonisolated func withPermit<T: Sendable>(_ host: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(host)
        do {
            let value = try await body()
            await release(host)
            return value
        } catch {
            await release(host)
            throw error
        }
    }

    /// The host of a repository or HTTP URL: `scheme://[user@]host[:port]/…` → `host[:port]`,
    /// scp-like `user@host:path` → `host`, anything else → the whole string (one bucket).
    public nonisolated static func host(of url: String) -> String {
        let bytes = Array(url.utf8)
        let separator: [UInt8] = Array("://".utf8)
        if let start = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) {
            var rest = Array(bytes[(start + 3)...])
            if let slash = rest.firstIndex(of: 0x2F) { rest = Array(rest[..<slash]) }
            if let at = rest.lastIndex(of: 0x40) { rest = Array(rest[(at + 1)...]) }
            return String(decoding: rest, as: UTF8.self).lowercased()
        }
        if let colon = bytes.firstIndex(of: 0x3A), !bytes[..<colon].contains(0x2F) {
            var host = Array(bytes[..<colon])
            if let at = host.lastIndex(of: 0x40) { host = Array(host[(at + 1)...]) }
            return String(decoding: host, as: UTF8.self).lowercased()
        }
        return url
    }
}

/// An `HTTPTransport` that holds a ``HostLimiter`` permit for the URL's host during each
/// request.
public struct PoliteTransport: HTTPTransport {
    /// The transport doing the requests.
    public let base: any HTTPTransport
    /// The limiter.
    public let limiter: HostLimiter

    /// Wraps `base`.
    public init(_ base: any HTTPTransport, limiter: HostLimiter) {
        self.base = base
        self.limiter = limiter
    }

    private func host(_ url: URL) -> String { HostLimiter.host(of: url.absoluteString) }

    /// `HTTPTransport/get(_:limit:)` under a permit.
    public func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        let base = self.base
        return try await limiter.withPermit(host(url)) { try await base.get(url, limit: limit) }
    }

    /// `HTTPTransport/get(_:limit:redirects:)` under a permit.
    public func get(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse {
        let base = self.base
        return try await limiter.withPermit(host(url)) { try await base.get(url, limit: limit, redirects: redirects) }
    }

    /// `HTTPTransport/send(_:limit:redirects:)` under a permit.
    public func send(_ request: HTTPRequest, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse {
        let base = self.base
        return try await limiter.withPermit(host(request.url)) { try await base.send(request, limit: limit, redirects: redirects) }
    }

    /// `HTTPTransport/stream(_:limit:redirects:into:)` under a permit.
    public func stream(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy,
                       into sink: @escaping HTTPBodySink) async throws -> HTTPStreamedResponse {
        let base = self.base
        return try await limiter.withPermit(host(url)) { try await base.stream(url, limit: limit, redirects: redirects, into: sink) }
    }
}
