import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModNet
@testable import GoModFetch

/// Download checks (Docs/stricter-than-go.md, "Module proxy, downloads and the module cache"): a download that fails any check leaves nothing at
/// a final name in the cache. Hashes come from the goproxyserver's x/mod dirhash output.
@Suite(.serialized) struct ModuleDownloaderTests {
    static let hello = ModuleVersion(path: "example.com/hello", version: "v1.0.0")

    static func finalFiles(_ cache: ModuleCache, _ m: ModuleVersion) throws -> [String] {
        var out: [String] = []
        for ext in ["info", "mod", "zip", "ziphash"] where FileManager.default.fileExists(atPath: try cache.cachePath(m, ext)) { out.append(ext) }
        if FileManager.default.fileExists(atPath: try cache.extractedDirectory(m)) { out.append("dir") }
        return out
    }

    static func database(_ server: LoopbackProxy, _ gopath: URL, url: String? = nil) throws -> ChecksumDatabase {
        let key = server.verifierKey
        let base = url ?? "\(server.url.absoluteString)/sumdb/localhost.localdev/sumdb"
        let config = try #require(try ChecksumDatabaseConfiguration.fromEnvironment(["GOSUMDB": "\(key) \(base)", "GOPROXY": "off"]))
        return ChecksumDatabase(configuration: config, store: FileChecksumDatabaseStore(gopath: gopath), transport: DefaultHTTPTransport(timeout: 5))
    }

    @Test func authenticatedByTheDatabase() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("dl")
        defer { LoopbackProxy.removeTree(root) }
        let cache = ModuleCache(root: root.appendingPathComponent("mod").path)
        let d = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.base()),
                                 checksumDatabase: try Self.database(server, root))
        let m = try await d.download(path: "example.com/hello", query: "latest")
        #expect(m.version == "v1.0.0")
        #expect(m.query == "latest")
        #expect(server.sums.contains("example.com/hello v1.0.0 \(m.sum)"))
        #expect(server.sums.contains("example.com/hello v1.0.0/go.mod \(m.goModSum)"))
        #expect(try Self.finalFiles(cache, Self.hello) == ["info", "mod", "zip", "ziphash", "dir"])
        // Extracted read-only, as go does.
        let attrs = try FileManager.default.attributesOfItem(atPath: m.dir + "/hello.go")
        #expect((attrs[.posixPermissions] as? Int) == 0o444)
        #expect(try String(contentsOfFile: try cache.cachePath(Self.hello, "ziphash"), encoding: .utf8) == m.sum.description)
        #expect(try String(contentsOfFile: cache.downloadDirectory(path: "example.com/hello") + "/list", encoding: .utf8) == "v1.0.0\n")
    }

    @Test func goSumMismatchLeavesNothing() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("dl")
        defer { LoopbackProxy.removeTree(root) }
        let cache = ModuleCache(root: root.appendingPathComponent("mod").path)
        let forged = server.goSumText.replacingOccurrences(of: try #require(server.sums.first { $0.hasPrefix("example.com/hello v1.0.0 h1:") }),
                                                           with: "example.com/hello v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        let d = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.base()), checksumDatabase: nil,
                                 goSum: try GoSum(parsing: Array(forged.utf8)))
        do {
            _ = try await d.download(Self.hello)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .goSumMismatch)
            #expect(error.message.hasPrefix("verifying example.com/hello@v1.0.0: checksum mismatch\n\tdownloaded: h1:"))
            #expect(error.message.contains("\n\tgo.sum:     h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\nSECURITY ERROR\n"))
        }
        // The authenticated .mod may be cached; nothing of the zip is.
        let left = try Self.finalFiles(cache, Self.hello)
        #expect(!left.contains("zip") && !left.contains("ziphash") && !left.contains("dir"), "\(left)")
        let dir = try cache.downloadDirectory(path: "example.com/hello")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func databaseMismatchAndUnreachable() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("dl")
        defer { LoopbackProxy.removeTree(root) }
        // The proxy serves greet's zip as hello's: the database disagrees.
        let proxyDir = server.proxyDirectory.appendingPathComponent("example.com/hello/@v/v1.0.0.zip")
        let original = try Data(contentsOf: proxyDir)
        let greet = try Data(contentsOf: server.proxyDirectory.appendingPathComponent("example.com/greet/@v/v1.1.0.zip"))
        try greet.write(to: proxyDir)
        let cache = ModuleCache(root: root.appendingPathComponent("mod").path)
        let d = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.base()), checksumDatabase: try Self.database(server, root))
        do {
            _ = try await d.download(Self.hello)
            Issue.record("accepted")
        } catch {
            // greet's zip has entries outside hello's prefix: CheckZip refuses it first.
            #expect(error.code == .invalidZip, "\(error)")
        }
        #expect(!(try Self.finalFiles(cache, Self.hello)).contains("zip"))
        try original.write(to: proxyDir)

        // A database that cannot be reached: refused, never accepted unverified.
        let offline = ModuleDownloader(cache: ModuleCache(root: root.appendingPathComponent("mod2").path),
                                       proxy: try LoopbackProxy.client(server.base()),
                                       checksumDatabase: try Self.database(server, root.appendingPathComponent("g2"), url: "http://127.0.0.1:1"))
        do {
            _ = try await offline.download(Self.hello)
            Issue.record("accepted without the database")
        } catch {
            #expect(error.code == .checksumDatabaseFailure)
            #expect(error.message.hasPrefix("example.com/hello@v1.0.0: verifying go.mod: "), "\(error.message)")
        }
        #expect(try Self.finalFiles(ModuleCache(root: root.appendingPathComponent("mod2").path), Self.hello).isEmpty)
    }

    /// A .mod whose module line differs from the requested path (row 148).
    @Test func modulePathMismatch() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("dl")
        defer { LoopbackProxy.removeTree(root) }
        let mod = server.proxyDirectory.appendingPathComponent("example.com/hello/@v/v1.0.0.mod")
        try Data("module example.com/evil\n".utf8).write(to: mod)
        let cache = ModuleCache(root: root.appendingPathComponent("mod").path)
        let d = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.proxyDirectory.absoluteString), checksumDatabase: nil)
        do {
            _ = try await d.download(Self.hello)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .modulePathMismatch)
            #expect(error.message == "example.com/hello@v1.0.0: parsing go.mod:\n\tmodule declares its path as: example.com/evil\n\t        but was required as: example.com/hello")
        }
        #expect(try Self.finalFiles(cache, Self.hello).isEmpty)
    }

    @Test func htmlZipLeavesNothing() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("dl")
        defer { LoopbackProxy.removeTree(root) }
        let cache = ModuleCache(root: root.appendingPathComponent("mod").path)
        let d = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.base("html")), checksumDatabase: nil)
        do {
            _ = try await d.download(Self.hello)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .proxy)
            #expect(error.proxyError?.code == .notAZip)
        }
        let left = try Self.finalFiles(cache, Self.hello)
        #expect(!left.contains("zip") && !left.contains("dir"))
    }

    /// The pseudo-version's time must be the .info time; revision 12 lower-case hex (cmd/go checks
    /// both against the VCS: modfetch/coderepo.go `validatePseudoVersion`).
    @Test func pseudoVersionChecks() throws {
        let good = ModuleVersion(path: "example.com/p", version: "v0.0.0-20240101000000-0123456789ab")
        try ModuleDownloader.checkPseudoVersion(good, infoTime: "2024-01-01T00:00:00Z")
        #expect(throws: ModuleCacheError(.invalidPseudoVersion, "")) {
            try ModuleDownloader.checkPseudoVersion(good, infoTime: "2024-01-01T00:00:01Z")
        }
        do { try ModuleDownloader.checkPseudoVersion(good, infoTime: "2023-12-31T23:00:00Z") } catch {
            #expect(error.message == "example.com/p@v0.0.0-20240101000000-0123456789ab: invalid pseudo-version: does not match version-control timestamp (expected 20231231230000)")
        }
        let upper = ModuleVersion(path: "example.com/p", version: "v0.0.0-20240101000000-0123456789AB")
        #expect(throws: ModuleCacheError(.invalidPseudoVersion, "")) {
            try ModuleDownloader.checkPseudoVersion(upper, infoTime: "2024-01-01T00:00:00Z")
        }
    }

    /// The zip's go.mod differs from the .mod file (each authenticated on its
    /// own): a warning, the download succeeds (go builds with the .mod).
    @Test func goModDivergenceWarning() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("dl")
        defer { LoopbackProxy.removeTree(root) }
        let mod = server.proxyDirectory.appendingPathComponent("example.com/hello/@v/v1.0.0.mod")
        try Data("module example.com/hello\n\ngo 1.21\n\nrequire example.com/other v1.0.0\n".utf8).write(to: mod)
        let d = ModuleDownloader(cache: ModuleCache(root: root.appendingPathComponent("mod").path),
                                 proxy: try LoopbackProxy.client(server.proxyDirectory.absoluteString), checksumDatabase: nil)
        let m = try await d.download(Self.hello)
        #expect(m.warnings == ["example.com/hello@v1.0.0: the go.mod in the zip differs from the .mod file (each is authenticated on its own; go builds with the .mod file)"])
    }

    /// go.sum against an unreachable database: one error with the hint, never a pass.
    @Test func unreachableDatabaseReportedOnce() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("dl")
        defer { LoopbackProxy.removeTree(root) }
        let db = try Self.database(server, root, url: "http://127.0.0.1:1")
        let (errors, count) = await ModuleCache.checkGoSumAgainstDatabase(try GoSum(parsing: Array(server.goSumText.utf8)), db)
        #expect(count == 0)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.code == .checksumDatabaseFailure)
        #expect(errors.first?.message.hasPrefix("could not reach the checksum database localhost.localdev/sumdb: ") == true, "\(errors)")
        // And the honest database authenticates every line.
        let (ok, n) = await ModuleCache.checkGoSumAgainstDatabase(try GoSum(parsing: Array(server.goSumText.utf8)), try Self.database(server, root))
        #expect(ok.isEmpty, "\(ok)")
        #expect(n == server.sums.count)
    }
}
