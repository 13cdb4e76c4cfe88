import Dispatch
import Foundation
import GoModKit
import GoModTestSupport
import GoSumDBTestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A module proxy and a checksum database on 127.0.0.1 for the `gomodkit` executable, over the
/// shared ``LoopbackHTTPServer``: `/proxy/…` serves files in GOPROXY layout from a table, and
/// `/sumdb/…` is ``FakeSumDBServer`` (x/mod's test key, records as given) answering over the
/// socket. The data served is Go's: Examples/quickstart's zip and go.sum lines were written by
/// golang.org/x/mod (`CreateFromDir`, `dirhash.HashZip`; Examples/quickstart/README.md).
final class LoopbackModuleServer: Sendable {
    let http: LoopbackHTTPServer
    let sumdb: FakeSumDBServer
    private let files: FileTable

    /// The proxy's files, shared with the server's handler threads.
    final class FileTable: Sendable {
        let files: Mutex<[String: [UInt8]]>
        init(_ files: [String: [UInt8]]) { self.files = Mutex(files) }
    }

    /// `GOPROXY` for this server.
    var goproxy: String { "http://127.0.0.1:\(http.port)/proxy" }
    /// `GOSUMDB` for this server (verifier key and URL).
    var gosumdb: String { "\(FakeSumDBServer.verifierKey) http://127.0.0.1:\(http.port)/sumdb" }

    /// A server with `files` (paths under `/proxy/`) and the checksum-database `records`
    /// (`path`, `version`, record text: the go.sum lines).
    init(files: [String: [UInt8]], records: [(String, String, String)]) throws {
        let sumdb = try FakeSumDBServer(height: 2)
        for (path, version, text) in records { sumdb.add(path, version, text: text) }
        let table = FileTable(files)
        self.sumdb = sumdb
        self.files = table
        http = try LoopbackHTTPServer { path, connection in
            if path.hasPrefix("/proxy/") {
                let name = String(path.dropFirst("/proxy/".count))
                if let body = table.files.withLock({ $0[name] }) {
                    connection.respond(200, body)
                } else {
                    connection.respond(404, Array("not found: \(name)\n".utf8))
                }
                return .keepAlive
            }
            if path.hasPrefix("/sumdb/"), let url = URL(string: "http://loopback" + path) {
                // The handler runs on the server's own thread, and the lookup on a dedicated
                // executor: the test process's cooperative pool may be held by tests waiting for
                // their child process.
                let answer = Mutex<HTTPResponse?>(nil)
                let done = DispatchSemaphore(value: 0)
                Task(executorPreference: DedicatedExecutor.shared) {
                    let response = try? await sumdb.get(url, limit: 1 << 24)
                    answer.withLock { $0 = response }
                    done.signal()
                }
                done.wait()
                let response = answer.withLock { $0 } ?? HTTPResponse(status: 500, body: Array("error\n".utf8))
                connection.respond(response.status, response.body)
                return .keepAlive
            }
            connection.respond(404, Array("not found\n".utf8))
            return .keepAlive
        }
    }

    /// Replaces or adds a proxy file.
    func serve(_ name: String, _ body: [UInt8]) { files.files.withLock { $0[name] = body } }

    func stop() { http.stop() }

    deinit { http.stop() }

    /// A loopback port nothing listens on: connections are refused at once.
    static func refusedPort() throws -> Int {
        let (fd, port) = try bindLoopbackSocket()
        // Bound but never listening, then closed: a connect gets RST (ECONNREFUSED).
        close(fd)
        return port
    }

    /// `GOPROXY` and `GOSUMDB` values for a server that is down.
    static func down() throws -> (goproxy: String, gosumdb: String) {
        let port = try refusedPort()
        return ("http://127.0.0.1:\(port)/proxy", "\(FakeSumDBServer.verifierKey) http://127.0.0.1:\(port)/sumdb")
    }
}

/// Examples/quickstart as a module proxy serves it: example.com/hello v1.0.0, its go.sum lines
/// as Go wrote them, and the tampered copy of its zip.
enum Quickstart {
    static let path = "example.com/hello"
    static let version = "v1.0.0"
    static let example = CLITests.example

    static var goSum: String { get throws { try String(contentsOfFile: CLITests.goSum, encoding: .utf8) } }
    static var goMod: [UInt8] { get throws { Array(try Data(contentsOf: example.appendingPathComponent("source/go.mod"))) } }
    static var zip: [UInt8] { get throws { Array(try Data(contentsOf: URL(fileURLWithPath: CLITests.goodZip))) } }
    static var tamperedZip: [UInt8] { get throws { Array(try Data(contentsOf: URL(fileURLWithPath: CLITests.badZip))) } }

    /// Proxy files for the module; `tampered` serves the tampered zip under the real name.
    static func proxyFiles(tampered: Bool = false) throws -> [String: [UInt8]] {
        [
            "\(path)/@v/list": Array("\(version)\n".utf8),
            "\(path)/@v/\(version).info": Array(#"{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}"#.utf8),
            "\(path)/@v/\(version).mod": try goMod,
            "\(path)/@v/\(version).zip": tampered ? try tamperedZip : try zip,
        ]
    }

    /// The checksum database's record for the module: go.sum's two lines.
    static func record() throws -> (String, String, String) { (path, version, try goSum) }

    /// A server: honest, or lying in its proxy (tampered zip) or its database (a record whose
    /// text does not match the log).
    static func server(tamperedProxy: Bool = false, lyingDatabase: Bool = false) throws -> LoopbackModuleServer {
        let server = try LoopbackModuleServer(files: try proxyFiles(tampered: tamperedProxy), records: [try record()])
        if lyingDatabase {
            // Another valid hash in the record the database serves: the record no longer hashes
            // to the log's leaf (x/mod: "cannot authenticate record data in server response").
            server.sumdb.set { state in
                state.lookupHook = { _, body in
                    let text = String(decoding: body, as: UTF8.self)
                    return Array(text.replacingOccurrences(of: "Qmqb//qqVbdXtTHcGX787s5tnO9byUg648KakHQrC/4=",
                                                           with: "w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=").utf8)
                }
            }
        }
        return server
    }

    /// A project requiring the module, with Go's go.sum lines.
    static func project(in dir: URL) throws -> URL {
        let project = dir.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try Data("module example.com/app\n\ngo 1.21\n\nrequire example.com/hello v1.0.0\n".utf8)
            .write(to: project.appendingPathComponent("go.mod"))
        try Data(try goSum.utf8).write(to: project.appendingPathComponent("go.sum"))
        return project
    }
}

/// A scratch directory removed (made writable first: module caches are read-only) at the end.
struct Scratch: ~Copyable {
    let url: URL
    init(_ tag: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit {
        _ = try? GoReference.run("/bin/chmod", ["-R", "u+w", url.path])
        try? FileManager.default.removeItem(at: url)
    }
}
