#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A minimal HTTP/1.1 server on 127.0.0.1 (one thread per connection, `Connection: close`): each
/// request's target goes to `handler`, which answers status, extra header lines and body.
final class LoopbackServer: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: [String] = []
        var body: [UInt8] = []
    }

    let port: Int
    private let listener: Int32
    private let handler: @Sendable (String) -> Response
    private let log = Mutex<[String]>([])

    /// `http://127.0.0.1:<port>`.
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }
    /// Request targets so far.
    var requests: [String] { log.withLock { $0 } }

    init(handler: @escaping @Sendable (String) -> Response) throws {
        self.handler = handler
        #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting (connections in progress finish).
    func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { if errno == EINTR { continue }; return }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.containsHeadEnd {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            head += buffer[0..<n]
            if head.count > 1 << 16 { return }
        }
        let firstLine = String(decoding: head.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
        let parts = firstLine.split(separator: " ")
        guard parts.count >= 2 else { return }
        let target = String(parts[1])
        log.withLock { $0.append(target) }
        let response = handler(target)
        var text = "HTTP/1.1 \(response.status) X\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n"
        for h in response.headers { text += h + "\r\n" }
        let bytes = Array((text + "\r\n").utf8) + response.body
        var offset = 0
        while offset < bytes.count {
            #if canImport(Darwin)
            let flags: Int32 = 0
            #else
            let flags = Int32(MSG_NOSIGNAL)
            #endif
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, flags) }
            if n <= 0 { return }
            offset += n
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate var containsHeadEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 0x0D && self[i + 1] == 0x0A && self[i + 2] == 0x0D && self[i + 3] == 0x0A {
            return true
        }
        return false
    }
}

/// An index.golang.org look-alike over a fixed list of entries: `?since=` (inclusive, compared
/// as instants) and `?limit=` (default and maximum 2000), one JSON object per line.
struct FeedFixture: Sendable {
    /// (path, version, timestamp text), in feed order.
    var entries: [(path: String, version: String, timestamp: String)]

    /// The feed lines as index.golang.org writes them.
    func line(_ i: Int) -> String {
        let e = entries[i]
        return "{\"Path\":\"\(e.path)\",\"Version\":\"\(e.version)\",\"Timestamp\":\"\(e.timestamp)\"}\n"
    }

    /// The whole feed as the mirror should hold it.
    var allLines: String { entries.indices.map(line).joined() }

    /// Answers one request target.
    func answer(_ target: String) -> LoopbackServer.Response {
        guard let components = URLComponents(string: target) else { return .init(status: 400) }
        var since: Int64? = nil
        var limit = 2000
        for item in components.queryItems ?? [] {
            if item.name == "since", let v = item.value {
                guard let d = Self.parse(v) else { return .init(status: 400, body: Array("bad since\n".utf8)) }
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
        return .init(status: 200, body: Array(body.utf8))
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±hh:mm)` as microseconds since the epoch (an independent
    /// reading through Foundation's Gregorian calendar, not the code under test).
    static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func num(_ r: Range<Int>) -> Int? { Int(String(decoding: b[r], as: UTF8.self)) }
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
        var offset = 0
        if b[i] != UInt8(ascii: "Z") {
            guard let oh = num((i + 1)..<(i + 3)), let om = num((i + 4)..<(i + 6)) else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s)) else { return nil }
        return (Int64(date.timeIntervalSince1970.rounded()) - Int64(offset)) * 1_000_000 + Int64(micros)
    }
}
