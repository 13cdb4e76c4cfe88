import Foundation
import GoModTestSupport
import Synchronization
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModNet
@testable import GoModFetch

/// Module zips streamed from the proxy to a temporary file in the cache
/// (``ModuleProxyClient/zip(_:toFile:limit:)``, ``ModuleDownloader``): the bytes arrive intact;
/// a proxy that stalls mid-zip, a cancelled download, a disk that is full, an oversized or
/// non-zip body each end in a typed error with nothing at a final name and no temporary file
/// left. The module is made by ``ModuleZip/create(_:files:output:options:)`` and its go.sum
/// lines from its `h1:` hashes; the proxy is a scripted loopback server.
@Suite struct StreamingDownloadTests {
    static let module = ModuleVersion(path: "example.com/m", version: "v1.0.0")
    static let goMod = Array("module example.com/m\n\ngo 1.21\n".utf8)

    /// The zip (with a 2 MiB incompressible file, so that it arrives in many chunks) and its hash.
    static func made() throws -> (zip: [UInt8], hash: DirHash) {
        var g = SplitMix64(seed: 7)
        let noise = (0..<(2 << 20)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        let created = try ModuleZip.create(module, files: [.bytes("go.mod", goMod), .bytes("noise.bin", noise),
                                                           .bytes("m.go", Array("package m\n".utf8))], output: .memory)
        return (try #require(created.zipBytes), created.hash)
    }

    /// A proxy at `/<mode>/`: `ok` serves the zip, `stall` sends half of it and stops.
    static func proxy(zip: [UInt8]) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { path, c in
            let mode = path.split(separator: "/").first.map(String.init) ?? ""
            if path.hasSuffix(".info") {
                c.respond(200, Array(#"{"Version":"v1.0.0","Time":"2024-01-02T03:04:05Z"}"#.utf8))
            } else if path.hasSuffix(".mod") {
                c.respond(200, goMod)
            } else if path.hasSuffix(".zip"), mode == "ok" {
                c.respond(200, zip)
            } else if path.hasSuffix(".zip"), mode == "stall" {
                c.write("HTTP/1.1 200 OK\r\nContent-Length: \(zip.count)\r\n\r\n")
                c.write(Array(zip.prefix(zip.count / 2)))
                sleep(60)
                return .close
            } else {
                c.respond(404, Array("not found".utf8))
            }
            return .keepAlive
        }
    }

    static func goSum(_ hash: DirHash) throws -> GoSum {
        try GoSum(parsing: Array("example.com/m v1.0.0 \(hash)\nexample.com/m v1.0.0/go.mod \(DirHash.hashGoMod(goMod))\n".utf8))
    }

    /// The final-named entries present, and the temporary files left, in the cache.
    static func leftovers(_ cache: ModuleCache) throws -> (final: [String], temporaries: [String]) {
        var final: [String] = []
        for ext in ["zip", "ziphash"] where FileManager.default.fileExists(atPath: try cache.cachePath(module, ext)) { final.append(ext) }
        if FileManager.default.fileExists(atPath: try cache.extractedDirectory(module)) { final.append("dir") }
        let dir = try cache.downloadDirectory(path: module.path)
        let temporaries = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".tmp") }
        return (final, temporaries)
    }

    static func downloader(_ base: String, cache: ModuleCache, goSum: GoSum?, idle: TimeInterval) throws -> ModuleDownloader {
        let proxy = ModuleProxyClient(configuration: try ModuleProxyConfiguration.parse(goproxy: base),
                                      transport: DefaultHTTPTransport(timeout: 10, idleTimeout: idle))
        return ModuleDownloader(cache: cache, proxy: proxy, checksumDatabase: nil, goSum: goSum)
    }

    @Test func streamedZipIsAuthenticatedAndRenamedIntoPlace() async throws {
        let (zip, hash) = try Self.made()
        let server = try Self.proxy(zip: zip)
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("stream")
        defer { LoopbackProxy.removeTree(root) }
        let cache = ModuleCache(root: root.path)
        let d = try Self.downloader(server.url.absoluteString + "/ok", cache: cache, goSum: try Self.goSum(hash), idle: 10)
        let m = try await d.download(Self.module)
        #expect(m.sum == hash)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: m.zip))) == zip)
        let left = try Self.leftovers(cache)
        #expect(left.final == ["zip", "ziphash", "dir"])
        #expect(left.temporaries.isEmpty, "\(left.temporaries)")
    }

    @Test func proxyStallingMidZipTimesOutAndLeavesNothing() async throws {
        let (zip, hash) = try Self.made()
        let server = try Self.proxy(zip: zip)
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("stream")
        defer { LoopbackProxy.removeTree(root) }
        let cache = ModuleCache(root: root.path)
        let d = try Self.downloader(server.url.absoluteString + "/stall", cache: cache, goSum: try Self.goSum(hash), idle: 0.5)
        let start = ContinuousClock.now
        do {
            _ = try await d.download(Self.module)
            Issue.record("a stalled zip was accepted")
        } catch {
            #expect(error.code == .proxy)
            #expect(error.proxyError?.code == .transport)
            #expect((error.proxyError?.underlying as? HTTPTransportError)?.code == .timeout, "\(error)")
        }
        #expect(ContinuousClock.now - start < .seconds(140))
        let left = try Self.leftovers(cache)
        #expect(left.final.isEmpty, "\(left.final)")
        #expect(left.temporaries.isEmpty, "\(left.temporaries)")
    }

    /// A command's deadline cancels the download's task: the temporary zip goes with it.
    @Test func cancelledDownloadLeavesNothing() async throws {
        let (zip, hash) = try Self.made()
        let server = try Self.proxy(zip: zip)
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("stream")
        defer { LoopbackProxy.removeTree(root) }
        let cache = ModuleCache(root: root.path)
        let d = try Self.downloader(server.url.absoluteString + "/stall", cache: cache, goSum: try Self.goSum(hash), idle: 60)
        let task = Task { try await d.download(Self.module) }
        // Wait until the zip is being written.
        let dir = try cache.downloadDirectory(path: Self.module.path)
        for _ in 0..<100 where !(((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).contains { $0.hasSuffix(".tmp") }) {
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        let result = await task.result
        if case .success = result { Issue.record("a cancelled download succeeded") }
        let left = try Self.leftovers(cache)
        #expect(left.final.isEmpty, "\(left.final)")
        #expect(left.temporaries.isEmpty, "\(left.temporaries)")
    }

    @Test func zipToFileOverHTTPAndFromAFileProxy() async throws {
        let (zip, _) = try Self.made()
        let server = try Self.proxy(zip: zip)
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("stream")
        defer { LoopbackProxy.removeTree(root) }
        // A file:// proxy in GOPROXY layout.
        let layout = root.appendingPathComponent("proxy/example.com/m/@v")
        try FileManager.default.createDirectory(at: layout, withIntermediateDirectories: true)
        try Data(zip).write(to: layout.appendingPathComponent("v1.0.0.zip"))
        try Data("<html>not a zip</html>\n".utf8).write(to: layout.appendingPathComponent("v1.0.1.zip"))
        for (goproxy, name) in [(server.url.absoluteString + "/ok", "http"), ("file://" + root.path + "/proxy", "file")] {
            let client = ModuleProxyClient(configuration: try ModuleProxyConfiguration.parse(goproxy: goproxy))
            let out = root.appendingPathComponent("out-\(name).zip").path
            let size = try await client.zip(Self.module, toFile: out)
            #expect(size == zip.count, "\(name)")
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: out))) == zip, "\(name)")
            // One byte under the size: refused as Go refuses it.
            do {
                _ = try await client.zip(Self.module, toFile: out, limit: zip.count - 1)
                Issue.record("\(name): oversize accepted")
            } catch {
                #expect(error.code == .oversizeResponse, "\(name)")
                #expect(error.description == "example.com/m@v1.0.0: downloaded zip file too large", "\(name)")
            }
        }
        let client = ModuleProxyClient(configuration: try ModuleProxyConfiguration.parse(goproxy: "file://" + root.path + "/proxy"))
        do {
            _ = try await client.zip(ModuleVersion(path: "example.com/m", version: "v1.0.1"), toFile: root.appendingPathComponent("html.zip").path)
            Issue.record("an HTML page was taken for a zip")
        } catch {
            #expect(error.code == .notAZip)
            #expect(error.description.contains("sent 23 bytes that are not a zip file"), "\(error)")
            #expect(error.description.hasSuffix(#": body starts "<html>not a zip</html>\n""#), "\(error)")
        }
    }

    /// A full disk (`/dev/full`: every write is ENOSPC) is a typed write error, over HTTP and
    /// from a file proxy.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func diskFullIsATypedWriteError() async throws {
        let (zip, _) = try Self.made()
        let server = try Self.proxy(zip: zip)
        defer { server.stop() }
        let root = try LoopbackProxy.tempDirectory("stream")
        defer { LoopbackProxy.removeTree(root) }
        let layout = root.appendingPathComponent("proxy/example.com/m/@v")
        try FileManager.default.createDirectory(at: layout, withIntermediateDirectories: true)
        try Data(zip).write(to: layout.appendingPathComponent("v1.0.0.zip"))
        for goproxy in [server.url.absoluteString + "/ok", "file://" + root.path + "/proxy"] {
            let client = ModuleProxyClient(configuration: try ModuleProxyConfiguration.parse(goproxy: goproxy))
            do {
                _ = try await client.zip(Self.module, toFile: "/dev/full")
                Issue.record("\(goproxy): wrote to a full disk")
            } catch {
                #expect(error.code == .writeFailed, "\(goproxy): \(error)")
                #expect(error.description == "example.com/m@v1.0.0: write /dev/full: \(systemMessage(ENOSPC))", "\(goproxy)")
            }
        }
    }
}
