public import GoModCore
public import GoSumDB
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The module index feed (https://index.golang.org/index, `?since=<RFC 3339>&limit=N`): JSON
/// lines `{"Path", "Version", "Timestamp"}` in first-seen order, `Timestamp` assigned by the
/// mirror when it first cached the version — the only server-assigned first-seen time
/// (ADVISORIES.md §5.3; `.info` `Time` is the author's commit time and can be backdated).
public enum ModuleIndexFeed {
    /// Why the feed could not be read.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// The URL.
        public var url: String
        /// What went wrong.
        public var message: String

        /// `<url>: <message>`.
        public var description: String { "module index \(url): \(message)" }
    }

    /// Entries per page requested (the index's maximum is 2000).
    public static let pageSize = 2000

    /// Every version first seen at or after `since`, with its first-seen time (seconds since
    /// 1970). Pages are read until one is shorter than ``pageSize``; each next page starts at
    /// the previous page's last timestamp (the feed's `since` is inclusive, so entries at the
    /// boundary are read twice and counted once).
    ///
    /// - Throws: ``Error`` on a transport failure, a non-200 answer, a malformed line, more
    ///   than `maxPages` pages, or a full page that does not advance (more than ``pageSize``
    ///   entries with one timestamp).
    public static func firstSeen(index: URL, since: Double, transport: any HTTPTransport,
                                 maxPages: Int = 1000) async throws(Error) -> [ModuleVersion: Double] {
        var seen: [ModuleVersion: Double] = [:]
        var cursor = formatRFC3339(since)
        for _ in 0..<maxPages {
            var components = URLComponents(url: index.appendingPathComponent("index"), resolvingAgainstBaseURL: false)
            components?.queryItems = [URLQueryItem(name: "since", value: cursor), URLQueryItem(name: "limit", value: String(pageSize))]
            guard let url = components?.url else { throw Error(url: index.absoluteString, message: "cannot build the feed URL") }
            let response: HTTPResponse
            do { response = try await transport.get(url, limit: 4 << 20) } catch {
                throw Error(url: url.absoluteString, message: "\(error)")
            }
            guard response.status == 200 else { throw Error(url: url.absoluteString, message: "HTTP status \(response.status)") }
            var count = 0, fresh = 0
            var last: String?
            for line in response.body.split(separator: 0x0A) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                struct Entry: Decodable { var Path: String; var Version: String; var Timestamp: String }
                let entry: Entry
                do { entry = try JSONDecoder().decode(Entry.self, from: Data(line)) } catch {
                    throw Error(url: url.absoluteString, message: "malformed line \(count + 1)")
                }
                guard let time = parseRFC3339(entry.Timestamp) else {
                    throw Error(url: url.absoluteString, message: "malformed Timestamp \(entry.Timestamp)")
                }
                count += 1
                let key = ModuleVersion(path: ByteString(entry.Path), version: ByteString(entry.Version))
                if seen[key] == nil { seen[key] = time; fresh += 1 }
                last = entry.Timestamp
            }
            if count < pageSize { return seen }
            guard fresh > 0, let last else {
                throw Error(url: url.absoluteString, message: "a full page of \(count) entries at one timestamp; cannot page past it")
            }
            cursor = last
        }
        throw Error(url: index.absoluteString, message: "more than \(maxPages) pages")
    }

    /// Seconds since 1970 of an RFC 3339 time (`2025-02-04T10:00:00.123Z`,
    /// `…+02:00`), or `nil`.
    public static func parseRFC3339(_ s: String) -> Double? {
        let b = Array(s.utf8)
        func num(_ from: Int, _ n: Int) -> Int? {
            guard from + n <= b.count else { return nil }
            var v = 0
            for c in b[from..<(from + n)] { guard c >= 0x30 && c <= 0x39 else { return nil }; v = v * 10 + Int(c - 0x30) }
            return v
        }
        guard b.count >= 20, let y = num(0, 4), b[4] == 0x2D, let mo = num(5, 2), b[7] == 0x2D, let d = num(8, 2),
              b[10] == 0x54 || b[10] == 0x74, let h = num(11, 2), b[13] == 0x3A, let mi = num(14, 2), b[16] == 0x3A,
              let sec = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == 0x2E {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { fraction += Double(b[i] - 0x30) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == 0x5A || b[i] == 0x7A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D, let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = num(i + 4, 2) {
            offset = (oh * 60 + om) * 60 * (b[i] == 0x2B ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // Days from civil (proleptic Gregorian), Howard Hinnant's algorithm.
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Double(days * 86400 + h * 3600 + mi * 60 + sec - offset) + fraction
    }

    /// `seconds` as RFC 3339 UTC with whole seconds (`2025-02-04T10:00:00Z`).
    public static func formatRFC3339(_ seconds: Double) -> String {
        let t = Int(seconds.rounded(.down))
        var days = t / 86400, rem = t % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = String(y)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(m))-\(two(d))T\(two(rem / 3600)):\(two(rem % 3600 / 60)):\(two(rem % 60))Z"
    }
}
