package import Foundation
import Synchronization

/// Bare repositories under a root served by real `git http-backend` (CGI) on 127.0.0.1, through
/// ``LoopbackHTTPServer``: `/git/<path>` is the repository `<root>/<path>`. With
/// `protocolV2: false` the `Git-Protocol` request header is not passed on (`GIT_PROTOCOL` unset),
/// so http-backend answers as a protocol-v0 server does. `/moved/<path>` answers a GET with a 301
/// to `/git/<path>` (git's `update_url_from_redirect` case).
package final class GitHTTPBackendServer: Sendable {
    package let server: LoopbackHTTPServer
    package let root: String

    /// The http-backend executable (`git --exec-path`/git-http-backend).
    package static func backend() throws -> String {
        let exec = try runGit(["--exec-path"], in: nil).trimmingCharacters(in: .whitespacesAndNewlines)
        return exec + "/git-http-backend"
    }

    package init(root: String, protocolV2: Bool = true) throws {
        self.root = root
        let backend = try Self.backend()
        server = try LoopbackHTTPServer.requests({ request, connection in
            var path = request.path
            var query = ""
            if let q = path.firstIndex(of: "?") {
                query = String(path[path.index(after: q)...])
                path = String(path[..<q])
            }
            if path.hasPrefix("/moved/") {
                let target = "/git/" + path.dropFirst("/moved/".count) + (query.isEmpty ? "" : "?" + query)
                connection.respond(301, [], headers: ["Location: \(target)"])
                return .keepAlive
            }
            if path.hasPrefix("/dumb/"), !path.contains("/../"),
               let data = FileManager.default.contents(atPath: root + "/" + path.dropFirst("/dumb/".count)) {
                // The dumb HTTP protocol: the repository's files as they are.
                connection.respond(200, Array(data), headers: ["Content-Type: text/plain"])
                return .keepAlive
            }
            guard path.hasPrefix("/git/") else {
                connection.respond(404, Array("not found\n".utf8))
                return .keepAlive
            }
            var environment = [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "GIT_PROJECT_ROOT": root,
                "GIT_HTTP_EXPORT_ALL": "1",
                "REQUEST_METHOD": request.method,
                "PATH_INFO": String(path.dropFirst("/git".count)),
                "QUERY_STRING": query,
                "CONTENT_TYPE": request.header("Content-Type") ?? "",
                "CONTENT_LENGTH": String(request.body.count),
                "REMOTE_ADDR": "127.0.0.1",
                "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": "/dev/null",
                "HOME": root,
            ]
            if protocolV2, let value = request.header("Git-Protocol") { environment["GIT_PROTOCOL"] = value }
            guard let output = try? Self.cgi(backend, environment: environment, input: request.body) else {
                connection.respond(500, Array("http-backend failed\n".utf8))
                return .close
            }
            // CGI output: header lines, a blank line, the body.
            var split = output.count
            var skip = 0
            for i in output.indices where i + 1 < output.count {
                if output[i] == 0x0A && output[i + 1] == 0x0A { split = i; skip = 2; break }
                if output[i] == 0x0D, i + 3 < output.count, Array(output[i...(i + 3)]) == [0x0D, 0x0A, 0x0D, 0x0A] { split = i; skip = 4; break }
            }
            var status = 200
            var headers: [String] = []
            for line in String(decoding: output[..<split], as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon], value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name.lowercased() == "status" { status = Int(value.split(separator: " ").first ?? "") ?? 500; continue }
                if name.lowercased() == "content-length" { continue }
                headers.append("\(name): \(value)")
            }
            connection.respond(status, Array(output[min(output.count, split + skip)...]), headers: headers)
            return .keepAlive
        })
    }

    /// The URL of the repository `<root>/<name>`.
    package func url(_ name: String) -> String { "http://127.0.0.1:\(server.port)/git/\(name)" }

    /// The URL of the repository `<root>/<name>` served as plain files (git's dumb HTTP protocol;
    /// run `git update-server-info` in it first).
    package func dumbURL(_ name: String) -> String { "http://127.0.0.1:\(server.port)/dumb/\(name)" }

    /// The URL of the repository `<root>/<name>` through the `/moved/` redirect.
    package func movedURL(_ name: String) -> String { "http://127.0.0.1:\(server.port)/moved/\(name)" }

    package func stop() { server.stop() }

    /// Runs the CGI program with `input` on its standard input; its standard output.
    static func cgi(_ program: String, environment: [String: String], input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    /// Runs `git` (no system or global configuration) in `directory`; its standard output.
    @discardableResult
    package static func runGit(_ arguments: [String], in directory: String?, stdin: [UInt8] = [],
                               extraEnvironment: [String: String] = [:]) throws -> String {
        let (status, out, err) = try runGitStatus(arguments, in: directory, stdin: stdin, extraEnvironment: extraEnvironment)
        guard status == 0 else {
            throw ReferenceMissing(reason: "git \(arguments.joined(separator: " ")): exit \(status): \(err)")
        }
        return out
    }

    /// Runs `git` as ``runGit(_:in:stdin:extraEnvironment:)`` does; its exit status, standard
    /// output and standard error.
    package static func runGitStatus(_ arguments: [String], in directory: String?, stdin: [UInt8] = [],
                                     extraEnvironment: [String: String] = [:]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + (directory.map { ["-C", $0] } ?? []) + arguments
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"; env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["GIT_AUTHOR_NAME"] = "t"; env["GIT_AUTHOR_EMAIL"] = "t@example.invalid"
        env["GIT_COMMITTER_NAME"] = "t"; env["GIT_COMMITTER_EMAIL"] = "t@example.invalid"
        env["GIT_AUTHOR_DATE"] = "@1600000000 +0000"; env["GIT_COMMITTER_DATE"] = "@1600000000 +0000"
        for name in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] { env[name] = nil }
        for (k, v) in extraEnvironment { env[k] = v }
        process.environment = env
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(stdin))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let errors = Mutex<Data>(Data())
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            let data = error.fileHandleForReading.readDataToEndOfFile()
            errors.withLock { $0 = data }
            done.signal()
        }
        reader.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: errors.withLock { $0 }, as: UTF8.self))
    }
}
