import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModNet
@testable import GoModFetch
import GoModTestSupport

/// A running `goproxyserver` (Tests/Reference/goproxyserver: module zips made by x/mod's
/// `zip.CreateFromDir`, served in GOPROXY layout with fault variants, plus x/mod's sumdb server
/// logging their real hashes) on 127.0.0.1:0.
final class LoopbackProxy: @unchecked Sendable {
    let process = Process()
    let stdin = Pipe()
    let stdout = Pipe()
    let url: URL
    let verifierKey: String
    /// The go.sum lines (computed by x/mod's dirhash) of every served module.
    let sums: [String]
    /// Scratch directory: `src/` (module sources), `proxy/` (GOPROXY layout, usable as file://).
    let scratch: URL
    var proxyDirectory: URL { scratch.appendingPathComponent("proxy") }

    /// The test modules: path, version, files.
    static let modules: [(path: String, version: String, files: [String: String])] = [
        ("example.com/hello", "v1.0.0", [
            "go.mod": "module example.com/hello\n\ngo 1.21\n",
            "hello.go": "package hello\n\n// Hello greets.\nfunc Hello() string { return \"hello\" }\n",
            "LICENSE": "Public domain.\n",
        ]),
        ("example.com/greet", "v1.1.0", [
            "go.mod": "module example.com/greet\n\ngo 1.21\n\nrequire example.com/hello v1.0.0\n",
            "greet.go": "package greet\n\nimport \"example.com/hello\"\n\n// Greet greets someone.\nfunc Greet(name string) string { return hello.Hello() + \", \" + name }\n",
            "inner/inner.go": "package inner\n\n// X is a value.\nconst X = 42\n",
        ]),
        ("example.com/legacy", "v1.0.0", [
            "legacy.go": "package legacy\n\n// Old has no go.mod.\nconst Old = \"old\"\n",
        ]),
        ("example.com/Upper", "v1.2.3", [
            "go.mod": "module example.com/Upper\n\ngo 1.21\n",
            "upper.go": "package upper\n\n// Name is upper.\nconst Name = \"UPPER\"\n",
        ]),
    ]

    init() throws {
        let program = try GoReference.program("goproxyserver")
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-proxy-\(UUID().uuidString)")
        let src = scratch.appendingPathComponent("src")
        var list = ""
        for (i, m) in Self.modules.enumerated() {
            let dir = src.appendingPathComponent("m\(i)")
            for (name, text) in m.files {
                let file = dir.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
            }
            list += "\(m.path) \(m.version) m\(i)\n"
        }
        try Data(list.utf8).write(to: src.appendingPathComponent("modules"))
        let log = scratch.appendingPathComponent("log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["serve", "-src", src.path, "-out", scratch.appendingPathComponent("proxy").path]
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: log)
        let start = try HarnessStart.run(process, stdout: stdout, log: log) { $0.contains("READY\n") }
        url = start.url
        verifierKey = start.verifierKey
        let lines = start.lines
        sums = lines.filter { $0.hasPrefix("SUM ") }.map { String($0.dropFirst(4)) }
    }

    /// `<url>/<kind>` as a GOPROXY entry.
    func base(_ kind: String = "proxy") -> String { url.absoluteString + "/" + kind }

    /// The GOSUMDB value for the loopback database.
    var gosumdb: String { "\(verifierKey) \(url.absoluteString)/sumdb/localhost.localdev/sumdb" }

    /// go.sum text of all modules.
    var goSumText: String { sums.joined(separator: "\n") + "\n" }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: scratch)
    }

    deinit { if process.isRunning { stop() } }

    /// A fresh scratch directory.
    static func tempDirectory(_ tag: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Removes a tree with read-only directories (a module cache).
    static func removeTree(_ url: URL) {
        _ = try? GoReference.run("/bin/chmod", ["-R", "u+w", url.path])
        try? FileManager.default.removeItem(at: url)
    }

    /// A client for `goproxy` (a GOPROXY value).
    static func client(_ goproxy: String, noProxy: String = "",
                       transport: any HTTPTransport = DefaultHTTPTransport(timeout: 10)) throws -> ModuleProxyClient {
        ModuleProxyClient(configuration: try ModuleProxyConfiguration.parse(goproxy: goproxy, noProxy: ByteString(noProxy)),
                          transport: transport)
    }
}
