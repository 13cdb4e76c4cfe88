#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
package import Foundation

/// `git daemon` serving every repository below `base` over `git://127.0.0.1:<port>/` (upload-pack
/// only, `--export-all`), for tests of git transports that must really connect: stop it and the
/// same URL refuses connections; start it again on the same port and it answers.
package final class GitDaemon: @unchecked Sendable {
    package let base: String
    package let port: Int
    private var process: Process?

    /// A port on 127.0.0.1 that nothing listens on: bound and released at once (a connection to
    /// it is refused until a server takes it).
    package static func freePort() throws -> Int {
        let (fd, port) = try bindLoopbackSocket()
        close(fd)
        return port
    }

    /// A daemon for `base` on `port` (not started).
    package init(base: String, port: Int) {
        self.base = base
        self.port = port
    }

    /// `git://127.0.0.1:<port>/<name>`.
    package func url(_ name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    /// Starts the daemon and waits until it accepts connections.
    package func start() throws {
        let p = Process()
        // git-daemon itself, not `git daemon`: the `git` wrapper runs it as a child and does not
        // pass SIGTERM on.
        p.executableURL = URL(fileURLWithPath: Self.execPath() + "/git-daemon")
        p.arguments = ["--reuseaddr", "--listen=127.0.0.1", "--port=\(port)", "--base-path=\(base)",
                       "--export-all", "--enable=upload-pack", base]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        for _ in 0..<100 {
            if Self.accepts(port) { return }
            usleep(50_000)
        }
        stop()
        throw POSIXError(.ETIMEDOUT)
    }

    /// Stops the daemon (and waits for it).
    package func stop() {
        guard let p = process else { return }
        process = nil
        // Not `waitUntilExit` (it spins a run loop when called off the main thread).
        if p.isRunning { p.terminate() }
        for _ in 0..<40 where p.isRunning { usleep(50_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for _ in 0..<40 where p.isRunning { usleep(50_000) }
        // Its forked children serving a connection end with that connection.
        for _ in 0..<100 where Self.accepts(port) { usleep(50_000) }
    }

    deinit { stop() }

    /// `git --exec-path`.
    static func execPath() -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "--exec-path"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "/usr/lib/git-core" }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        for _ in 0..<100 where p.isRunning { usleep(10_000) }
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? "/usr/lib/git-core" : path
    }

    /// Whether something accepts a TCP connection on 127.0.0.1:`port`.
    package static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

/// A loopback HTTP server that accepts connections and never answers: each request is held
/// until the client closes its end (or `hold` seconds pass); ``clientsGone`` counts the clients
/// that closed — a git that was killed closes its connection.
package final class StallingServer: Sendable {
    package let server: LoopbackHTTPServer

    package init(hold: Double = 60) throws {
        let box = Box()
        server = try LoopbackHTTPServer { _, connection in
            let deadline = Date().addingTimeInterval(hold)
            while Date() < deadline {
                var pfd = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, 100) > 0 {
                    var byte: UInt8 = 0
                    if recv(connection.fd, &byte, 1, Int32(MSG_PEEK)) <= 0 {
                        box.add()
                        return .close
                    }
                    usleep(100_000)  // request body bytes: keep holding
                }
            }
            return .close
        }
        self.box = box
    }

    private let box: Box
    private final class Box: @unchecked Sendable {
        let lock = NSLock()
        var count = 0
        func add() { lock.lock(); count += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    }

    /// Clients that closed a held connection.
    package var clientsGone: Int { box.value }

    /// The base URL.
    package var url: String { "http://127.0.0.1:\(server.port)" }
}
