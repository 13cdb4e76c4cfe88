#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
package import Foundation
import Synchronization

/// A scripted HTTP/1.1 server on 127.0.0.1 for transport tests: every request's path goes to
/// `handler`, which writes raw bytes (so a test can send any framing, hostile or not) and says
/// whether the connection stays open for another request. Blocking sockets, one thread per
/// connection. Shared by the transport tests (GoModNetTests) and the CLI tests, which serve a
/// proxy and a checksum database to the `gomodkit` executable through it.
package final class LoopbackHTTPServer: Sendable {
    /// One accepted connection.
    package final class Connection: Sendable {
        package let fd: Int32
        init(fd: Int32) { self.fd = fd }

        /// Writes all of `bytes` (ignoring a peer that went away).
        package func write(_ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                #if canImport(Darwin)
                let flags: Int32 = 0
                #else
                let flags = Int32(MSG_NOSIGNAL)
                #endif
                let n = bytes.withUnsafeBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return -1 }
                    return send(fd, base + offset, raw.count - offset, flags)
                }
                if n <= 0 { return }
                offset += n
            }
        }

        package func write(_ text: String) { write(Array(text.utf8)) }

        /// A response with `Content-Length`.
        package func respond(_ status: Int, _ body: [UInt8], headers: [String] = []) {
            var head = "HTTP/1.1 \(status) X\r\nContent-Length: \(body.count)\r\n"
            for h in headers { head += h + "\r\n" }
            write(Array((head + "\r\n").utf8) + body)
        }
    }

    /// What the handler wants after a request.
    package enum Next: Sendable { case keepAlive, close }

    /// A whole request, for ``init(requestHandler:)``: the body is read by its `Content-Length`.
    package struct Request: Sendable {
        package var method: String
        package var path: String
        /// Header fields as sent (name, value), in order.
        package var headers: [(name: String, value: String)]
        package var body: [UInt8]

        /// The first value of the field `name` (case-insensitive).
        package func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    package let port: Int
    private let listener: Int32
    private let handler: @Sendable (String, Connection) -> Next
    private let requestHandler: (@Sendable (Request, Connection) -> Next)?
    private let log = Mutex<(paths: [String], heads: [String], connections: Int, closedByClient: Int)>(([], [], 0, 0))
    private let open = Mutex<[Int32]>([])

    /// The server's base URL (`http://127.0.0.1:<port>`).
    package var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Paths requested so far, in order.
    package var paths: [String] { log.withLock { $0.paths } }
    /// Request heads received so far (request line and header fields, CRLF-separated), in order.
    package var heads: [String] { log.withLock { $0.heads } }
    /// Connections accepted so far.
    package var connections: Int { log.withLock { $0.connections } }
    /// Connections the client closed (end of stream while the server waited for the next request
    /// head). A client that misread a response's framing cannot reuse the connection and closes it;
    /// a client that understood it keeps it in its pool.
    package var closedByClient: Int { log.withLock { $0.closedByClient } }

    /// A server whose handler sees whole requests (method, path, header fields, body). (A
    /// factory, not an initializer: a trailing closure would be ambiguous.)
    package static func requests(_ requestHandler: @escaping @Sendable (Request, Connection) -> Next) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer(handler: { _, _ in .close }, requestHandler: requestHandler)
    }

    package convenience init(handler: @escaping @Sendable (String, Connection) -> Next) throws {
        try self.init(handler: handler, requestHandler: nil)
    }

    private init(handler: @escaping @Sendable (String, Connection) -> Next,
                 requestHandler: (@Sendable (Request, Connection) -> Next)?) throws {
        self.handler = handler
        self.requestHandler = requestHandler
        let (fd, port) = try bindLoopbackSocket()
        guard listen(fd, 128) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        listener = fd
        self.port = port
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting and closes every connection.
    package func stop() {
        _ = shutdown(listener, Int32(SHUT_RDWR))
        open.withLock { fds in
            for fd in fds { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    deinit { stop(); close(listener) }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            log.withLock { $0.connections += 1 }
            open.withLock { $0.append(fd) }
            let thread = Thread { [self] in serve(Connection(fd: fd)) }
            thread.start()
        }
    }

    private func serve(_ connection: Connection) {
        defer {
            open.withLock { $0.removeAll { $0 == connection.fd } }
            close(connection.fd)
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            // Read one request head.
            var end: Int?
            while end == nil {
                if let r = find(buffer, Array("\r\n\r\n".utf8)) { end = r; break }
                let n = chunk.withUnsafeMutableBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return -1 }
                    return recv(connection.fd, base, raw.count, 0)
                }
                if n <= 0 {
                    if n == 0 { log.withLock { $0.closedByClient += 1 } }
                    return
                }
                buffer += chunk[..<n]
            }
            guard let e = end else { return }
            let head = String(decoding: buffer[..<e], as: UTF8.self)
            buffer.removeFirst(e + 4)
            let parts = head.split(separator: "\r\n").first?.split(separator: " ") ?? []
            let path = parts.count > 1 ? String(parts[1]) : ""
            log.withLock { $0.paths.append(path); $0.heads.append(head) }
            if let requestHandler {
                var headers: [(name: String, value: String)] = []
                for line in head.split(separator: "\r\n").dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
                }
                let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
                while buffer.count < length {
                    let n = chunk.withUnsafeMutableBytes { raw -> Int in
                        guard let base = raw.baseAddress else { return -1 }
                        return recv(connection.fd, base, raw.count, 0)
                    }
                    if n <= 0 { return }
                    buffer += chunk[..<n]
                }
                let body = Array(buffer[..<length])
                buffer.removeFirst(length)
                let method = parts.first.map(String.init) ?? ""
                if requestHandler(Request(method: method, path: path, headers: headers, body: body), connection) == .close { return }
                continue
            }
            if handler(path, connection) == .close { return }
        }
    }

    private func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }
}

/// A TCP socket bound to 127.0.0.1 on a port the kernel chose, and that port (not listening yet).
package func bindLoopbackSocket() throws -> (fd: Int32, port: Int) {
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
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
    }
    guard ok else { close(fd); throw POSIXError(.EADDRINUSE) }
    return (fd, Int(UInt16(bigEndian: addr.sin_port)))
}
