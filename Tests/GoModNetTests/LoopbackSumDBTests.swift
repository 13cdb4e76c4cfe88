import Foundation
import GoModTestSupport
import GoSumDBTestSupport
@testable import GoModCore
@testable import GoSumDB
@testable import GoModNet
import Testing

/// A running `sumdbserver` (Tests/Reference/sumdbserver: x/mod's sumdb.TestServer behind
/// sumdb.NewServer, on 127.0.0.1:0) for the lifetime of the value.
final class LoopbackServer: @unchecked Sendable {
    let process = Process()
    let stdin = Pipe()
    let stdout = Pipe()
    let url: URL
    let verifierKey: String
    let log: URL

    init(records: [String], variant: String = "ok", forkAt: Int? = nil, environment: [String: String] = [:]) throws {
        let program = try GoReference.program("sumdbserver")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("records")
        try Data(records.joined(separator: "\n").utf8).write(to: file)
        log = dir.appendingPathComponent("requests")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["serve", "-records", file.path, "-variant", variant] + (forkAt.map { ["-fork-at", "\($0)"] } ?? [])
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: log)
        let start = try HarnessStart.run(process, stdout: stdout, log: log) { $0.contains("VKEY ") && $0.hasSuffix("\n") }
        url = start.url
        verifierKey = start.verifierKey
    }

    /// Requests the server received so far.
    var requests: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.hasPrefix("REQ ") }.map { String($0.dropFirst(4)) }
    }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { if process.isRunning { stop() } }
}

/// Interop on loopback with Go's own sumdb server code (Tests/Reference/sumdbserver) and the real `go` command.
@Suite(.serialized) struct LoopbackSumDBTests {
    static let records = ["example.com/hello v1.0.0", "rsc.io/quote v1.5.2", "rsc.io/sampler v1.3.0",
                          "golang.org/x/text v0.3.0", "example.com/five v1.0.0", "example.com/six v1.0.0"]

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-gopath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A client over the default transport.
    static func client(_ server: LoopbackServer, gopath: URL, timeout: Double = 10, proxy: Bool = false) throws -> ChecksumDatabase {
        let verifier = try NoteVerifier(verifierKey: server.verifierKey)
        let config = ChecksumDatabaseConfiguration(verifier: verifier, explicitURL: proxy ? nil : server.url,
                                                   proxies: proxy ? [(server.url.absoluteString, false)] : [])
        return ChecksumDatabase(configuration: config, store: FileChecksumDatabaseStore(gopath: gopath),
                                transport: DefaultHTTPTransport(timeout: timeout))
    }

    @Test func lookupsVerifyAgainstGoServer() async throws {
        let server = try LoopbackServer(records: Array(Self.records.prefix(3)))
        defer { server.stop() }
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let client = try Self.client(server, gopath: gopath)
        let r = try await client.lookup(ModuleVersion(path: "rsc.io/quote", version: "v1.5.2/go.mod"))
        #expect(r.recordID == 1)
        #expect(r.lines.count == 1 && r.lines[0].hasPrefix("rsc.io/quote v1.5.2/go.mod h1:"))
        #expect(try await client.latest().tree.size == 3)
        let latest = gopath.appendingPathComponent("pkg/sumdb/localhost.localdev/sumdb/latest")
        #expect(FileManager.default.fileExists(atPath: latest.path))
        let lookup = gopath.appendingPathComponent("pkg/mod/cache/download/sumdb/localhost.localdev/sumdb/lookup/rsc.io/quote@v1.5.2")
        #expect(FileManager.default.fileExists(atPath: lookup.path))
        // Through a proxy that relays the database (/sumdb/<name>/supported → 200).
        let proxied = try LoopbackServer(records: Array(Self.records.prefix(3)), variant: "supported")
        defer { proxied.stop() }
        let g2 = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: g2) }
        _ = try await Self.client(proxied, gopath: g2, proxy: true).lookup(ModuleVersion(path: "rsc.io/sampler", version: "v1.3.0"))
        #expect(proxied.requests.first == "/sumdb/localhost.localdev/sumdb/supported")
    }

    /// sumdbserver's hostile variants: each rejected with its typed error.
    @Test(arguments: [("badsig", ChecksumDatabaseError.Code.note), ("wrongkey", .note), ("badrecord", .recordNotAuthenticated),
                      ("corrupttile", .inconsistentTile), ("truncated", .transport), ("slow", .transport), ("status500", .httpStatus)])
    func hostileVariants(variant: (String, ChecksumDatabaseError.Code)) async throws {
        let (variant, code) = variant
        let server = try LoopbackServer(records: Array(Self.records.prefix(3)), variant: variant)
        defer { server.stop() }
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let client = try Self.client(server, gopath: gopath, timeout: 2)
        do {
            _ = try await client.lookup(ModuleVersion(path: "rsc.io/quote", version: "v1.5.2"))
            Issue.record("\(variant) accepted")
        } catch let error as ChecksumDatabaseError {
            #expect(error.code == code, "\(variant): \(error)")
            if variant == "truncated" || variant == "slow" {
                let transport = error.underlying as? HTTPTransportError
                #expect(transport?.code == (variant == "slow" ? .timeout : .truncatedResponse), "\(error)")
            }
        }
        // Nothing unverified was cached.
        let lookup = gopath.appendingPathComponent("pkg/mod/cache/download/sumdb/localhost.localdev/sumdb/lookup/rsc.io/quote@v1.5.2")
        #expect(!FileManager.default.fileExists(atPath: lookup.path))
    }

    /// Forked trees (grown and same size): SECURITY ERROR, evidence saved, and x/mod's tlog
    /// accepts the evidence as a proof (sumdbserver checkevidence).
    @Test(arguments: [6, 5]) func forkEvidenceAcceptedByGo(forkSize: Int) async throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let honest = try LoopbackServer(records: Array(Self.records.prefix(5)))
        _ = try await Self.client(honest, gopath: gopath).lookup(ModuleVersion(path: "example.com/five", version: "v1.0.0"))
        honest.stop()
        let forked = try LoopbackServer(records: Array(Self.records.prefix(forkSize)), variant: "fork", forkAt: 3)
        defer { forked.stop() }
        let client = try Self.client(forked, gopath: gopath)
        let target = forkSize == 6 ? "example.com/six" : "golang.org/x/text"
        var report = ""
        do {
            _ = try await client.lookup(ModuleVersion(path: ByteString(target), version: target == "golang.org/x/text" ? "v0.3.0" : "v1.0.0"))
            Issue.record("fork accepted")
        } catch let error as ChecksumDatabaseError {
            #expect(error.code == .securityFork, "\(error)")
            report = error.securityReport ?? ""
            let saved = try #require(error.evidencePath)
            #expect(try String(contentsOfFile: saved, encoding: .utf8) == report)
        }
        #expect(report.hasPrefix("SECURITY ERROR\ngo.sum database server misbehavior detected!\n"))
        let check = try GoReference.run(try GoReference.program("sumdbserver"), ["checkevidence", "-vkey", forked.verifierKey],
                                        stdin: Array(report.utf8))
        #expect(check.status == 0, "\(check.stdoutText)\(check.stderrText)")
        #expect(check.stdoutText.hasPrefix("OK 5 \(forkSize)"))
        // latest unchanged.
        #expect(try await client.latest().tree.size == 5)
    }

    /// Issue 13, "Done means": after the stored `latest` is truncated to zero bytes, a lookup
    /// against a server that forked from the stored tree (x/mod's server, records 3… differ) is
    /// refused as `stateCorrupt` before any request, not trusted as a first contact; the empty
    /// file is not overwritten with the fork's tree.
    @Test func emptyLatestRefusesForkedServer() async throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let honest = try LoopbackServer(records: Array(Self.records.prefix(5)))
        _ = try await Self.client(honest, gopath: gopath).lookup(ModuleVersion(path: "example.com/five", version: "v1.0.0"))
        honest.stop()
        let latest = gopath.appendingPathComponent("pkg/sumdb/localhost.localdev/sumdb/latest")
        #expect(try Data(contentsOf: latest).count > 0)
        #expect(truncate(latest.path, 0) == 0)
        let forked = try LoopbackServer(records: Array(Self.records.prefix(6)), variant: "fork", forkAt: 3)
        defer { forked.stop() }
        do {
            _ = try await Self.client(forked, gopath: gopath).lookup(ModuleVersion(path: "example.com/six", version: "v1.0.0"))
            Issue.record("a forked server was trusted after latest was emptied")
        } catch let error as ChecksumDatabaseError {
            #expect(error.code == .stateCorrupt, "\(error)")
            #expect(error.description.contains("latest is empty"), "\(error)")
        }
        #expect(forked.requests.isEmpty, "\(forked.requests)")
        #expect(try Data(contentsOf: latest).isEmpty)
        // Control: the same fork against the intact stored tree is a SECURITY ERROR.
        let control = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: control) }
        let honest2 = try LoopbackServer(records: Array(Self.records.prefix(5)))
        _ = try await Self.client(honest2, gopath: control).lookup(ModuleVersion(path: "example.com/five", version: "v1.0.0"))
        honest2.stop()
        do {
            _ = try await Self.client(forked, gopath: control).lookup(ModuleVersion(path: "example.com/six", version: "v1.0.0"))
            Issue.record("fork accepted")
        } catch let error as ChecksumDatabaseError {
            #expect(error.code == .securityFork, "\(error)")
        }
    }

    static func goEnvironment(gopath: URL, gosumdb: String) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["GOPATH"] = gopath.path
        env["GOMODCACHE"] = gopath.appendingPathComponent("pkg/mod").path
        env["GOPROXY"] = "off"
        env["GOSUMDB"] = gosumdb
        env["GONOSUMDB"] = ""
        env["GOPRIVATE"] = ""
        env["GOFLAGS"] = "-modcacherw"
        env["GO111MODULE"] = "on"
        env["GOTOOLCHAIN"] = "local"
        env["GOCACHE"] = gopath.appendingPathComponent("gocache").path
        return env
    }

    /// The .info and .mod of example.com/hello v1.0.0 in the module cache (no zip).
    static func seedModule(_ gopath: URL) throws {
        let dir = gopath.appendingPathComponent("pkg/mod/cache/download/example.com/hello/@v")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(#"{"Version":"v1.0.0","Time":"2020-01-01T00:00:00Z"}"#.utf8).write(to: dir.appendingPathComponent("v1.0.0.info"))
        try Data("module example.com/hello\n".utf8).write(to: dir.appendingPathComponent("v1.0.0.mod"))
    }

    static func goModDownload(_ gopath: URL, gosumdb: String) throws -> GoReference.Output {
        let go = try #require(GoReference.currentGo)
        let work = try scratch()
        defer { try? FileManager.default.removeItem(at: work) }
        return try GoReference.run(go, ["mod", "download", "-json", "example.com/hello@v1.0.0"],
                                   environment: goEnvironment(gopath: gopath, gosumdb: gosumdb), currentDirectory: work.path)
    }

    /// The real `go` verifies example.com/hello's go.mod from a sumdb cache GoModKit wrote (the
    /// server is stopped first, so everything must come from the cache).
    @Test func goReadsCacheGoModKitWrote() async throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let server = try LoopbackServer(records: Self.records)
        let modLine = try await Self.client(server, gopath: gopath).lookup(ModuleVersion(path: "example.com/hello", version: "v1.0.0/go.mod")).lines[0]
        server.stop()
        try Self.seedModule(gopath)
        let out = try Self.goModDownload(gopath, gosumdb: "\(server.verifierKey) \(server.url.absoluteString)")
        let hash = String(decoding: modLine.bytes.split(separator: 0x20).last ?? [], as: UTF8.self)
        #expect(out.stdoutText.contains("\"GoModSum\": \"\(hash)\""), "\(out.stdoutText)\(out.stderrText)")
        #expect(!out.stdoutText.contains("SECURITY") && !out.stdoutText.contains("verifying"), "\(out.stdoutText)")
        #expect(!out.stdoutText.contains("connection refused"), "go needed the network: \(out.stdoutText)")
        // The zip is absent and GOPROXY=off: go reached its database check and then stopped for the zip.
        #expect(out.stdoutText.contains("module lookup disabled by GOPROXY=off"), "\(out.stdoutText)")
    }

    /// GoModKit verifies, offline, from a sumdb cache the real `go` wrote.
    @Test func goModKitReadsCacheGoWrote() async throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let server = try LoopbackServer(records: Self.records)
        try Self.seedModule(gopath)
        let out = try Self.goModDownload(gopath, gosumdb: "\(server.verifierKey) \(server.url.absoluteString)")
        server.stop()
        #expect(out.stdoutText.contains("\"GoModSum\": \"h1:"), "\(out.stdoutText)\(out.stderrText)")
        let verifier = try NoteVerifier(verifierKey: server.verifierKey)
        let offline = ChecksumDatabase(configuration: ChecksumDatabaseConfiguration(verifier: verifier, offline: true),
                                       store: FileChecksumDatabaseStore(gopath: gopath), transport: nil)
        let r = try await offline.lookup(ModuleVersion(path: "example.com/hello", version: "v1.0.0/go.mod"))
        #expect(out.stdoutText.contains(String(decoding: r.lines[0].bytes.split(separator: 0x20).last ?? [], as: UTF8.self)))
        #expect(try await offline.latest().tree.size == Int64(Self.records.count))
    }
}
