import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModNet
@testable import GoModFetch

/// Issue 13 point 8: the proxy serves a well-formed module zip or
/// `.mod` for the right module — it passes every structural check — whose hash differs from the one
/// the checksum database (x/mod's sumdb server in goproxyserver, hashes from x/mod's dirhash)
/// records. The download must fail with ``ModuleCacheError/Code/checksumDatabaseMismatch`` and
/// cmd/go's message, and leave nothing at a final name.
@Suite(.serialized) struct DatabaseMismatchTests {
    static let hello = ModuleDownloaderTests.hello

    /// The database's line for `key` (`example.com/hello v1.0.0` or `… v1.0.0/go.mod`), hash only.
    static func recorded(_ server: LoopbackProxy, _ key: String) throws -> String {
        let line = try #require(server.sums.first { $0.hasPrefix(key + " h1:") })
        return String(line.dropFirst(key.count + 1))
    }

    @Test func zipDisagreeingWithTheDatabase() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("dl")
        defer { LoopbackProxy.removeTree(root) }
        // hello's own files with one byte of hello.go changed: a valid module zip for hello.
        let files = try #require(LoopbackProxy.modules.first { $0.path == "example.com/hello" }).files
        let forged = try ModuleZip.create(Self.hello, files: files.sorted { $0.key < $1.key }.map { name, text in
            ModuleZip.File.bytes(ByteString(name), Array((name == "hello.go" ? text.replacingOccurrences(of: "\"hello\"", with: "\"HELLO\"") : text).utf8))
        }, output: .memory)
        let zipBytes = try #require(forged.zipBytes)
        #expect(try ModuleZip.checkZip(Self.hello, archive: ZipArchive(bytes: zipBytes)).isValid)
        try Data(zipBytes).write(to: server.proxyDirectory.appendingPathComponent("example.com/hello/@v/v1.0.0.zip"))

        let cache = ModuleCache(root: root.appendingPathComponent("mod").path)
        let d = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.base()),
                                 checksumDatabase: try ModuleDownloaderTests.database(server, root))
        let database = try Self.recorded(server, "example.com/hello v1.0.0")
        #expect(forged.hash.description != database)
        do {
            let m = try await d.download(Self.hello)
            Issue.record("accepted \(m.sum)")
        } catch {
            #expect(error.code == .checksumDatabaseMismatch, "\(error)")
            #expect(error.message == "example.com/hello@v1.0.0: verifying module: checksum mismatch\n\tdownloaded: \(forged.hash)\n\tlocalhost.localdev/sumdb: \(database)"
                    + ModuleDownloader.sumdbMismatch, "\(error.message)")
        }
        let left = try ModuleDownloaderTests.finalFiles(cache, Self.hello)
        #expect(!left.contains("zip") && !left.contains("ziphash") && !left.contains("dir"), "\(left)")
        let dir = try cache.downloadDirectory(path: "example.com/hello")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).allSatisfy { !$0.hasSuffix(".tmp") && !$0.contains(".partial") })
    }

    @Test func modDisagreeingWithTheDatabase() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("dl")
        defer { LoopbackProxy.removeTree(root) }
        // The right module path, a different go line: well-formed, but not what was logged.
        let mod = Array("module example.com/hello\n\ngo 1.22\n".utf8)
        try Data(mod).write(to: server.proxyDirectory.appendingPathComponent("example.com/hello/@v/v1.0.0.mod"))

        let cache = ModuleCache(root: root.appendingPathComponent("mod").path)
        let d = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.base()),
                                 checksumDatabase: try ModuleDownloaderTests.database(server, root))
        let database = try Self.recorded(server, "example.com/hello v1.0.0/go.mod")
        do {
            let m = try await d.download(Self.hello)
            Issue.record("accepted \(m.goModSum)")
        } catch {
            #expect(error.code == .checksumDatabaseMismatch, "\(error)")
            #expect(error.message.hasPrefix("example.com/hello@v1.0.0: verifying go.mod: checksum mismatch\n\tdownloaded: h1:"), "\(error.message)")
            #expect(error.message.contains("\n\tlocalhost.localdev/sumdb: \(database)\n\nSECURITY ERROR\n"), "\(error.message)")
            #expect(!error.message.contains("downloaded: \(database)"))
        }
        #expect(try ModuleDownloaderTests.finalFiles(cache, Self.hello).isEmpty)
    }
}
