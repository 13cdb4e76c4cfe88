public import GoSumDB
import GoModCore
public import GoModPlatform

/// When and how often a failed feed request is tried again (Docs/scan.md).
public struct RetryPolicy: Sendable {
    /// Requests per page, the first included.
    public var maxAttempts: Int
    /// The first back-off after a 5xx or transport error; doubled after each failure.
    public var baseDelay: Duration
    /// The longest back-off (and the longest `Retry-After` honoured: a longer one is clipped).
    public var maxDelay: Duration
    /// Waits: `Task.sleep` by default; tests record the delays instead.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// A jitter factor in `0.5...1.0` multiplying each back-off (random by default).
    public var jitter: @Sendable () -> Double
    /// The current time, for `Retry-After` given as an HTTP date.
    public var now: @Sendable () -> Date

    /// A policy.
    public init(maxAttempts: Int = 8, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(300),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0.5...1.0) },
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
        self.jitter = jitter
        self.now = now
    }

    /// The wait a `Retry-After` value asks for: delay-seconds or an IMF-fixdate HTTP date
    /// (RFC 9110 §10.2.3); `nil` when it is neither.
    public static func retryAfter(_ value: String, now: Date) -> Duration? {
        let text = String(decoding: trimmedASCII(Array(value.utf8)), as: UTF8.self)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard let seconds = Int64(text) else { return .seconds(Int64.max / 4) }
            return .seconds(seconds)
        }
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT": every number a fixed count of digits
        // (day, hour, minute, second 2DIGIT; year 4DIGIT), so a hostile server's year cannot
        // overflow the day arithmetic.
        func number(_ part: Substring, digits: Int) -> Int64? {
            guard part.utf8.count == digits, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return Int64(part)
        }
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
              let day = number(parts[1], digits: 2), let year = number(parts[3], digits: 4) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let m = months.firstIndex(of: String(parts[2])) else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let h = number(clock[0], digits: 2), let mi = number(clock[1], digits: 2),
              let s = number(clock[2], digits: 2), h < 24, mi < 60, s < 61, day >= 1, day <= 31 else { return nil }
        let epoch = Module.daysFromCivil(year: year, month: Int64(m + 1), day: day) * 86_400 + h * 3600 + mi * 60 + s
        let wait = Double(epoch) - now.timeIntervalSince1970
        return wait <= 0 ? .zero : .milliseconds(Int64(wait * 1000))
    }
}

/// A client of the module index (`index.golang.org/index`): one page per call, `since`/`limit`
/// as pkgsite's `internal/index` client builds them, with the back-off of Docs/scan.md over an injected `HTTPTransport` (GoSumDB).
public struct IndexFeedClient: Sendable {
    /// The feed URL (`https://index.golang.org/index`).
    public let url: URL
    /// Entries per page (the service's default and maximum are 2000).
    public let limit: Int
    /// Retries.
    public let retry: RetryPolicy
    private let transport: any HTTPTransport

    /// The most bytes read for one page: 2000 entries of at most a few hundred bytes each, with
    /// room to spare; a longer answer is refused, never buffered.
    public static let maxPageBytes = 64 << 20

    /// A client.
    public init(url: URL, limit: Int = 2000, transport: any HTTPTransport, retry: RetryPolicy = RetryPolicy()) {
        self.url = url
        self.limit = limit
        self.transport = transport
        self.retry = retry
    }

    /// The request URL for a page: `<url>?since=<RFC 3339>&limit=<n>` (no `since` for the first).
    public func pageURL(since: IndexTimestamp?) -> URL {
        var text = url.absoluteString
        text += text.contains("?") ? "&" : "?"
        if let since {
            // `+` in an offset must not reach the server as a space.
            text += "since=" + percentEncoded(since.text, keeping: { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x3A || b == 0x5F
            }) + "&"
        }
        text += "limit=\(limit)"
        return URL(string: text) ?? url
    }

    /// Fetches one page, retrying 429 (after `Retry-After`, else the back-off), 5xx and
    /// transport errors with exponential back-off and jitter, at most ``RetryPolicy/maxAttempts``
    /// requests. Throws `ModuleIndexError.Code.network` when they are used up, for another status,
    /// or when a line is not a feed entry.
    public func page(since: IndexTimestamp?) async throws(ModuleIndexError) -> [IndexEntry] {
        let target = pageURL(since: since)
        var delay = retry.baseDelay
        var attempt = 0
        var last = ""
        while true {
            attempt += 1
            var wait: Duration? = nil
            do {
                let response = try await transport.get(target, limit: Self.maxPageBytes)
                switch response.status {
                case 200:
                    return try Self.parse(response.body, url: redact(target))
                case 429:
                    last = "429 Too Many Requests"
                    if let value = response.headers["retry-after"], let asked = RetryPolicy.retryAfter(value, now: retry.now()) {
                        wait = min(asked, retry.maxDelay)
                    }
                case 500...599:
                    last = "\(response.status) server error"
                default:
                    throw ModuleIndexError(.network, "\(redact(target)): unexpected status \(response.status): \(goQuote(response.body.prefix(200)))")
                }
            } catch let error as ModuleIndexError {
                throw error
            } catch is CancellationError {
                throw ModuleIndexError(.network, "\(redact(target)): cancelled")
            } catch {
                last = errorText(error)
            }
            guard attempt < retry.maxAttempts else {
                throw ModuleIndexError(.network, "\(redact(target)): giving up after \(attempt) attempts: \(last)")
            }
            let pause = wait ?? delay * retry.jitter()
            do { try await retry.sleep(pause) } catch { throw ModuleIndexError(.network, "\(redact(target)): cancelled") }
            delay = min(delay * 2, retry.maxDelay)
        }
    }

    /// Decodes a page: one JSON object per line; blank lines are skipped.
    static func parse(_ body: [UInt8], url: String) throws(ModuleIndexError) -> [IndexEntry] {
        var out: [IndexEntry] = []
        var number = 0
        for line in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            let trimmed = trimmedASCII(Array(line))
            if trimmed.isEmpty { continue }
            guard let entry = IndexEntry(feedLine: trimmed) else {
                throw ModuleIndexError(.network, "\(url): line \(number): not an index entry: \(goQuote(trimmed.prefix(200)))")
            }
            out.append(entry)
        }
        return out
    }
}
