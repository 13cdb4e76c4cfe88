package import Foundation
import Synchronization

/// An index.golang.org look-alike over a list of entries (index.golang.org; Docs/scan.md):
/// `GET /index?since=<RFC 3339>&limit=<n>` answers, in feed order, the entries whose Timestamp
/// is at or after `since` (inclusive, compared as instants), at most `limit` of them (default
/// and maximum 2000), one JSON object per line. Shared by the scan's mirror tests and the
/// audit's release-age tests.
package struct IndexFeedFixture: Sendable {
    /// (path, version, timestamp text), in feed order.
    package var entries: [(path: String, version: String, timestamp: String)]

    /// A feed.
    package init(entries: [(path: String, version: String, timestamp: String)]) { self.entries = entries }

    /// The feed line of entry `i` as index.golang.org writes it.
    package func line(_ i: Int) -> String {
        let e = entries[i]
        return "{\"Path\":\"\(e.path)\",\"Version\":\"\(e.version)\",\"Timestamp\":\"\(e.timestamp)\"}\n"
    }

    /// The whole feed.
    package var allLines: String { entries.indices.map(line).joined() }

    /// The answer to one request target: status and body (404 for a path other than `/index`,
    /// 400 for a `since` that is not RFC 3339).
    package func answer(_ target: String) -> (status: Int, body: [UInt8]) {
        guard let components = URLComponents(string: target) else { return (400, []) }
        guard components.path == "/index" else { return (404, Array("not found\n".utf8)) }
        var since: Int64? = nil
        var limit = 2000
        for item in components.queryItems ?? [] {
            if item.name == "since", let v = item.value {
                guard let d = Self.parse(v) else { return (400, Array("bad since\n".utf8)) }
                since = d
            }
            if item.name == "limit", let v = item.value, let n = Int(v) { limit = min(2000, max(1, n)) }
        }
        var body = ""
        var n = 0
        for i in entries.indices where n < limit {
            if let since, let t = Self.parse(entries[i].timestamp), t < since { continue }
            body += line(i)
            n += 1
        }
        return (200, Array(body.utf8))
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±hh:mm)` as microseconds since the epoch (an independent
    /// reading through Foundation's Gregorian calendar, not the code under test).
    package static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func num(_ r: Range<Int>) -> Int? { r.upperBound <= b.count ? Int(String(decoding: b[r], as: UTF8.self)) : nil }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13),
              let mi = num(14..<16), let s = num(17..<19) else { return nil }
        var i = 19
        var micros = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 6 { micros = micros * 10 + Int(b[i] - 0x30) }
                digits += 1; i += 1
            }
            for _ in min(digits, 6)..<6 { micros *= 10 }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] != UInt8(ascii: "Z") {
            guard let oh = num((i + 1)..<(i + 3)), let om = num((i + 4)..<(i + 6)) else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        guard let date = calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s)) else { return nil }
        return (Int64(date.timeIntervalSince1970.rounded()) - Int64(offset)) * 1_000_000 + Int64(micros)
    }
}

extension LoopbackHTTPServer {
    /// A loopback module index serving `feed()` (read at each request, so a test can grow the
    /// feed while the server runs). Its feed URL is `url/index`.
    package static func indexFeed(_ feed: @escaping @Sendable () -> IndexFeedFixture) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { target, connection in
            let (status, body) = feed().answer(target)
            connection.respond(status, body, headers: ["Content-Type: application/json"])
            return .keepAlive
        }
    }
}

/// A value a test changes while a server reads it.
package final class SharedBox<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    /// A box.
    package init(_ value: Value) { self.value = Mutex(value) }
    /// The value now.
    package var current: Value { value.withLock { $0 } }
    /// Changes the value.
    package func update(_ body: (inout Value) -> Void) { value.withLock { body(&$0) } }
}
