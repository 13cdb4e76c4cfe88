public import GoModCore
import GoModPlatform

/// An instant from the module index (`Timestamp`), kept with the text the server sent.
///
/// The index has answered with both `Z` and `-07:00` offsets (golang/go#32312), so instants are
/// compared, never strings: equality and order are on the instant (seconds since the Unix epoch
/// and nanoseconds), and ``text`` is what is written back to the server as `since` and to the
/// local mirror.
public struct IndexTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64
    /// Nanoseconds within the second (0…999,999,999).
    public let nanoseconds: Int32
    /// The RFC 3339 text as received (or as formatted by ``adding(microseconds:)``).
    public let text: String

    /// Parses an RFC 3339 timestamp as Go's `time.Parse(time.RFC3339Nano, …)` does:
    /// `YYYY-MM-DDTHH:MM:SS`, an optional fraction (`.` or `,`, any number of digits, kept to the
    /// nanosecond), then `Z` or `±HH:MM`. `nil` for anything else.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        func digits(_ at: Int, _ n: Int) -> Int64? {
            guard at + n <= b.count else { return nil }
            var v: Int64 = 0
            for i in at..<(at + n) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard b.count >= 20, let year = digits(0, 4), b[4] == 0x2D, let month = digits(5, 2), b[7] == 0x2D,
              let day = digits(8, 2), b[10] == 0x54, let hour = digits(11, 2), b[13] == 0x3A,
              let minute = digits(14, 2), b[16] == 0x3A, let second = digits(17, 2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Module.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        var i = 19
        var nanos: Int64 = 0
        if i < b.count, b[i] == 0x2E || b[i] == 0x2C {
            // Go's parser takes `.` or `,` and any number of digits, keeping nanoseconds.
            i += 1
            var n = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if n < 9 { nanos = nanos * 10 + Int64(b[i] - 0x30) }
                n += 1; i += 1
            }
            guard n > 0 else { return nil }
            if n < 9 { for _ in n..<9 { nanos *= 10 } }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == 0x5A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = digits(i + 4, 2),
                  oh <= 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = Module.daysFromCivil(year: year, month: month, day: day)
        self.seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        self.nanoseconds = Int32(nanos)
        self.text = text
    }

    package init(seconds: Int64, nanoseconds: Int32, text: String) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.text = text
    }

    /// This instant plus `microseconds`, written in UTC with `Z` (6 fraction digits, or 9 when
    /// the instant has sub-microsecond digits): the `since` after a page that cannot advance
    /// (Docs/scan.md).
    public func adding(microseconds: Int64) -> IndexTimestamp {
        var total = Int64(nanoseconds) + microseconds * 1000
        var secs = seconds + total / 1_000_000_000
        total %= 1_000_000_000
        if total < 0 { total += 1_000_000_000; secs -= 1 }
        return IndexTimestamp(seconds: secs, nanoseconds: Int32(total), text: Self.format(seconds: secs, nanoseconds: Int32(total)))
    }

    /// UTC RFC 3339 text for an instant.
    package static func format(seconds: Int64, nanoseconds: Int32) -> String {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = Module.civilFromDays(days)
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        let frac = nanoseconds % 1000 == 0 ? pad(Int64(nanoseconds / 1000), 6) : pad(Int64(nanoseconds), 9)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2)).\(frac)Z"
    }

    /// Equality of instants (the texts may differ: `Z` versus `+00:00`).
    public static func == (lhs: IndexTimestamp, rhs: IndexTimestamp) -> Bool {
        lhs.seconds == rhs.seconds && lhs.nanoseconds == rhs.nanoseconds
    }

    /// Hashes the instant.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(seconds)
        hasher.combine(nanoseconds)
    }

    /// Order of instants.
    public static func < (lhs: IndexTimestamp, rhs: IndexTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// The text.
    public var description: String { text }

    /// Nanoseconds since the epoch, saturating (for storage and ordering in the scan state).
    public var epochNanoseconds: Int64 {
        let (scaled, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, o2) = scaled.addingReportingOverflow(Int64(nanoseconds))
        if o1 || o2 { return seconds < 0 ? .min : .max }
        return sum
    }
}

/// One module version from the index feed or from a `path@version` list.
public struct IndexEntry: Sendable, Hashable {
    /// `Path`: the module path, unescaped.
    public var path: ByteString
    /// `Version`.
    public var version: ByteString
    /// `Timestamp`: when proxy.golang.org first cached the version; `nil` for list input.
    public var timestamp: IndexTimestamp?

    /// An entry.
    public init(path: ByteString, version: ByteString, timestamp: IndexTimestamp?) {
        self.path = path
        self.version = version
        self.timestamp = timestamp
    }

    /// The deduplication key of Docs/scan.md (without the timestamp).
    package var key: EntryKey { EntryKey(path: path, version: version) }

    private struct Line: Decodable {
        var Path: String
        var Version: String
        var Timestamp: String
    }

    /// Decodes one feed line (`{"Path":…,"Version":…,"Timestamp":…}`); `nil` when the line is
    /// not such an object, a field is missing or not a string, or the timestamp is not RFC 3339.
    public init?(feedLine: some Collection<UInt8>) {
        guard let line = try? JSONDecoder().decode(Line.self, from: Data(feedLine)),
              let time = IndexTimestamp(line.Timestamp), !line.Path.isEmpty, !line.Version.isEmpty else { return nil }
        self.init(path: ByteString(line.Path), version: ByteString(line.Version), timestamp: time)
    }

    /// The entry as one feed line (no newline), the shape of index.golang.org's answers.
    public var feedLine: [UInt8] {
        func quoted(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for c in String(decoding: bytes, as: UTF8.self).unicodeScalars {
                switch c {
                case "\"": out += [0x5C, 0x22]
                case "\\": out += [0x5C, 0x5C]
                case "\n": out += [0x5C, 0x6E]
                case "\r": out += [0x5C, 0x72]
                case "\t": out += [0x5C, 0x74]
                default:
                    if c.value < 0x20 {
                        let hex = Array("0123456789abcdef".utf8)
                        out += [0x5C, 0x75, 0x30, 0x30, hex[Int(c.value >> 4)], hex[Int(c.value & 15)]]
                    } else {
                        out += Array(String(c).utf8)
                    }
                }
            }
            return out + [0x22]
        }
        return Array(#"{"Path":"#.utf8) + quoted(path.bytes) + Array(#","Version":"#.utf8) + quoted(version.bytes)
            + Array(#","Timestamp":"#.utf8) + quoted(Array((timestamp?.text ?? "").utf8)) + [0x7D]
    }
}

/// `(Path, Version)`.
package struct EntryKey: Hashable, Sendable, Comparable {
    package var path: ByteString
    package var version: ByteString
    package init(path: ByteString, version: ByteString) { self.path = path; self.version = version }
    package static func < (a: EntryKey, b: EntryKey) -> Bool { (a.path, a.version) < (b.path, b.version) }
}

/// `bytes` without leading and trailing ASCII white space.
package func trimmedASCII(_ bytes: [UInt8]) -> [UInt8] {
    let space: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A || $0 == 0x0B || $0 == 0x0C }
    guard let first = bytes.firstIndex(where: { !space($0) }), let last = bytes.lastIndex(where: { !space($0) }) else { return [] }
    return Array(bytes[first...last])
}
