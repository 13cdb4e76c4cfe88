import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModNet
@testable import GoModFetch
import GoModTestSupport

/// SIGKILL of `gomodkit download` at random moments: the cache
/// never holds a corrupt entry — every file at its final name is complete and matches go.sum,
/// an extracted tree without `.partial` hashes right — and the next download completes it.
@Suite(.serialized) struct KillDuringDownloadTests {
    static let modules = [ModuleVersion(path: "example.com/greet", version: "v1.1.0"),
                          ModuleVersion(path: "example.com/hello", version: "v1.0.0")]

    static func runChild(_ binary: String, _ args: [String], env: [String: String], killAfter: Double?) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = args
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let killAfter {
            Thread.sleep(forTimeInterval: killAfter)
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Every file at a final name is whole and authenticated; returns a description of the
    /// first problem, or nil.
    static func corruption(_ cache: ModuleCache, _ module: ModuleVersion, _ goSum: GoSum) throws -> String? {
        let zipHash = try #require(goSum.hashes(for: module).first)
        let modHash = try #require(goSum.hashes(for: ModuleVersion(path: module.path, version: module.version + GoSum.goModSuffix)).first)
        let info = try cache.cachePath(module, "info"), mod = try cache.cachePath(module, "mod"), zip = try cache.cachePath(module, "zip")
        let ziphash = try cache.cachePath(module, "ziphash"), partial = try cache.cachePath(module, "partial")
        let dir = try cache.extractedDirectory(module)
        let fm = FileManager.default
        if fm.fileExists(atPath: info) {
            guard let data = fm.contents(atPath: info), let parsed = ModuleInfo(json: Array(data)), parsed.version == module.version else { return "torn .info" }
        }
        if fm.fileExists(atPath: mod) {
            guard let data = fm.contents(atPath: mod), ByteString(DirHash.hashGoMod(Array(data)).description) == modHash else { return "torn .mod" }
        }
        if fm.fileExists(atPath: ziphash) {
            guard let data = fm.contents(atPath: ziphash), ByteString(Array(data)) == zipHash else { return "torn .ziphash" }
        }
        if fm.fileExists(atPath: zip) {
            guard fm.fileExists(atPath: ziphash) else { return ".zip without .ziphash" }
            guard let h = try? DirHash.hashZip(path: zip), ByteString(h.description) == zipHash else { return "torn .zip" }
        }
        if fm.fileExists(atPath: dir) && !fm.fileExists(atPath: partial) {
            guard let h = try? DirHash.hashDir(dir, prefix: module.path + "@" + module.version), ByteString(h.description) == zipHash else {
                return "incomplete tree without .partial"
            }
        }
        let (errors, _) = cache.verifyModule(module)
        if !errors.isEmpty { return "verify: \(errors)" }
        return nil
    }

    @Test func randomKillsNeverLeaveACorruptEntry() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let binary = try ModCacheInteropTests.gomodkit()
        let root = try LoopbackProxy.tempDirectory("kill")
        defer { LoopbackProxy.removeTree(root) }
        let goSumPath = root.appendingPathComponent("go.sum")
        try Data(server.goSumText.utf8).write(to: goSumPath)
        let goSum = try GoSum(parsing: Array(server.goSumText.utf8))
        let modcache = root.appendingPathComponent("modcache")
        var env = ProcessInfo.processInfo.environment
        env["GOMODCACHE"] = modcache.path
        env["GOPROXY"] = server.proxyDirectory.absoluteString
        env["GOSUMDB"] = "off"
        env["GOFLAGS"] = ""
        let args = ["download", "--gosum", goSumPath.path] + Self.modules.map(\.description)
        // One full run to time it.
        let start = Date()
        let first = try GoReference.run(binary, args, environment: env)
        try #require(first.status == 0, "\(first.stderrText)")
        let full = max(Date().timeIntervalSince(start), 0.05)
        let cache = ModuleCache(root: modcache.path)
        let downloader = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.proxyDirectory.absoluteString),
                                          checksumDatabase: nil, goSum: goSum)
        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        for trial in 0..<100 {
            // Half the trials start from an empty cache, half from what the last kill left.
            if trial % 2 == 0 { LoopbackProxy.removeTree(modcache) }
            let delay = Double.random(in: 0...(full * 1.1), using: &generator)
            let status = try Self.runChild(binary, args, env: env, killAfter: delay)
            if status != 0 { killedMidway += 1 }
            for m in Self.modules {
                let problem = try Self.corruption(cache, m, goSum)
                #expect(problem == nil, "trial \(trial) after \(delay)s: \(m): \(problem ?? "")")
            }
            // The next download completes whatever was left.
            if trial % 5 == 0 {
                for m in Self.modules {
                    let d = try await downloader.download(m)
                    #expect(d.dir == (try cache.extractedDirectory(m)))
                    #expect(cache.verifyModule(m).errors.isEmpty)
                }
            }
        }
        #expect(killedMidway > 0, "no trial was killed before finishing")
    }

    /// Concurrent downloads into one cache cooperate through the lock files.
    @Test func concurrentDownloadsShareTheCache() throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let binary = try ModCacheInteropTests.gomodkit()
        let root = try LoopbackProxy.tempDirectory("conc")
        defer { LoopbackProxy.removeTree(root) }
        let goSumPath = root.appendingPathComponent("go.sum")
        try Data(server.goSumText.utf8).write(to: goSumPath)
        let goSum = try GoSum(parsing: Array(server.goSumText.utf8))
        var env = ProcessInfo.processInfo.environment
        env["GOMODCACHE"] = root.appendingPathComponent("modcache").path
        env["GOPROXY"] = server.proxyDirectory.absoluteString
        env["GOSUMDB"] = "off"
        env["GOFLAGS"] = ""
        let args = ["download", "--gosum", goSumPath.path] + LoopbackProxy.modules.map { "\($0.path)@\($0.version)" }
        let processes = try (0..<4).map { _ in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = args
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let cache = ModuleCache(root: root.appendingPathComponent("modcache").path)
        for m in LoopbackProxy.modules {
            let v = ModuleVersion(path: ByteString(m.path), version: ByteString(m.version))
            #expect(try Self.corruption(cache, v, goSum) == nil)
            #expect(FileManager.default.fileExists(atPath: try cache.extractedDirectory(v)))
        }
    }
}
