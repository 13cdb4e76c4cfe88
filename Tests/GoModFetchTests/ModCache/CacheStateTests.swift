import Foundation
import GoModTestSupport
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModNet
@testable import GoModFetch

/// Module-cache writes (issue 13, points 3 and 5): every cache file is replaced crash-safely
/// (`AtomicFile`), no write or cleanup follows a symbolic link planted in the cache, and an
/// I/O failure (name too long, file too large) is a typed error that leaves neither a
/// final-named file nor a temporary one.
@Suite(.serialized) struct CacheStateTests {
    static let hello = ModuleVersion(path: "example.com/hello", version: "v1.0.0")

    static func names(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1
    }

    static func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType == .typeSymbolicLink
    }

    /// An outside directory with a file and a read-only subdirectory holding a file.
    static func outsideTree() throws -> URL {
        let outside = try LoopbackProxy.tempDirectory("outside")
        try Data("precious".utf8).write(to: outside.appendingPathComponent("victim"))
        let sub = outside.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try Data("inner".utf8).write(to: sub.appendingPathComponent("file"))
        #expect(chmod(sub.path, 0o555) == 0)
        return outside
    }

    /// The outside tree is exactly as `outsideTree()` made it (plus `extra` names at the top).
    static func expectUntouched(_ outside: URL, extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(names(outside.path) == (["ro", "victim"] + extra).sorted(), sourceLocation: sourceLocation)
        #expect((try? String(contentsOf: outside.appendingPathComponent("victim"), encoding: .utf8)) == "precious", sourceLocation: sourceLocation)
        #expect(mode(outside.appendingPathComponent("ro").path) == 0o555, sourceLocation: sourceLocation)
        #expect(names(outside.appendingPathComponent("ro").path) == ["file"], sourceLocation: sourceLocation)
        #expect((try? String(contentsOf: outside.appendingPathComponent("ro/file"), encoding: .utf8)) == "inner", sourceLocation: sourceLocation)
    }

    /// ENAMETOOLONG: a cache file name at the 255-byte limit leaves no room for the temporary
    /// suffix; the write fails with `.io` naming the operation and path, and creates nothing.
    @Test func nameTooLongIsTypedAndLeavesNothing() throws {
        let root = try LoopbackProxy.tempDirectory("ntl")
        defer { LoopbackProxy.removeTree(root) }
        let path = root.path + "/" + String(repeating: "v", count: 250) + ".info"
        do {
            try writeFileAtomically(path, Array("{}".utf8), module: Self.hello, below: root.path)
            Issue.record("no error")
        } catch {
            #expect(error.code == .io)
            #expect(error.module == Self.hello)
            let underlying = try #require(error.underlying as? AtomicFileError)
            #expect(underlying.code == ENAMETOOLONG)
            #expect(underlying.operation == .createTemporary)
            #expect(error.message.hasPrefix("create \(path)"), "\(error.message)")
            #expect(error.message.hasSuffix(": File name too long"), "\(error.message)")
        }
        #expect(Self.names(root.path) == [])
    }

    /// Cleanup of a read-only tree never follows links: links to an outside directory (at the
    /// root of the tree and inside it) and to an outside file are removed as links; the
    /// outside tree keeps its files and its read-only mode.
    @Test func removeTreeDoesNotFollowSymlinks() throws {
        let outside = try Self.outsideTree()
        defer { LoopbackProxy.removeTree(outside) }
        let root = try LoopbackProxy.tempDirectory("rmtree")
        defer { LoopbackProxy.removeTree(root) }
        let tree = root.appendingPathComponent("example.com/hello@v1.0.0")
        let deep = tree.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: deep.appendingPathComponent("f.go"))
        #expect(symlink(outside.path, deep.appendingPathComponent("dirlink").path) == 0)
        #expect(symlink(outside.appendingPathComponent("victim").path, tree.appendingPathComponent("filelink").path) == 0)
        for dir in [deep, deep.deletingLastPathComponent(), tree] { #expect(chmod(dir.path, 0o555) == 0) }
        removeTreeForcibly(tree.path)
        #expect(!FileManager.default.fileExists(atPath: tree.path))
        Self.expectUntouched(outside)
        // A link at the tree's own name: the link goes, its target stays.
        let link = root.appendingPathComponent("example.com/link@v1.0.0")
        #expect(symlink(outside.path, link.path) == 0)
        removeTreeForcibly(link.path)
        #expect(Self.names(root.appendingPathComponent("example.com").path) == [])
        Self.expectUntouched(outside)
    }

    /// Links planted at the `.info`, `.ziphash`, `.zip` and `list` names and at the extracted
    /// tree's name (with a `.partial` marker, so the tree is redone), and a stale unzip
    /// temporary that is a link to an outside directory: the download replaces or removes the
    /// links, writes real files, and the outside tree is untouched.
    @Test func downloadReplacesPlantedSymlinks() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let outside = try Self.outsideTree()
        defer { LoopbackProxy.removeTree(outside) }
        let root = try LoopbackProxy.tempDirectory("plant")
        defer { LoopbackProxy.removeTree(root) }
        let cache = ModuleCache(root: root.appendingPathComponent("mod").path)
        let downloadDir = try cache.downloadDirectory(path: Self.hello.path)
        try FileManager.default.createDirectory(atPath: downloadDir, withIntermediateDirectories: true)
        let victim = outside.appendingPathComponent("victim").path
        for ext in ["info", "ziphash", "zip"] {
            #expect(symlink(victim, try cache.cachePath(Self.hello, ext)) == 0)
        }
        #expect(symlink(victim, downloadDir + "/list") == 0)
        let dir = try cache.extractedDirectory(Self.hello)
        try FileManager.default.createDirectory(atPath: deletingLastPathComponent(dir), withIntermediateDirectories: true)
        #expect(symlink(outside.path, dir) == 0)
        try Data().write(to: URL(fileURLWithPath: try cache.cachePath(Self.hello, "partial")))
        let staleUnzip = deletingLastPathComponent(dir) + "/.hello@v1.0.0.gomodkit-unzip-123"
        #expect(symlink(outside.appendingPathComponent("ro").path, staleUnzip) == 0)

        let downloader = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.base()), checksumDatabase: nil,
                                          goSum: try GoSum(parsing: Array(server.goSumText.utf8)))
        let result = try await downloader.download(Self.hello)
        Self.expectUntouched(outside)
        for ext in ["info", "mod", "ziphash", "zip"] {
            let path = try cache.cachePath(Self.hello, ext)
            #expect(!Self.isSymlink(path), "\(ext) is still a link")
        }
        #expect(!Self.isSymlink(downloadDir + "/list"))
        #expect(try String(contentsOfFile: downloadDir + "/list", encoding: .utf8) == "v1.0.0\n")
        #expect(try String(contentsOfFile: try cache.cachePath(Self.hello, "ziphash"), encoding: .utf8) == result.sum.description)
        #expect(!Self.isSymlink(dir))
        #expect(FileManager.default.fileExists(atPath: dir + "/hello.go"))
        #expect(!FileManager.default.fileExists(atPath: staleUnzip))
        #expect(cache.verifyModule(Self.hello).errors.isEmpty)
        #expect(Self.names(downloadDir).allSatisfy { !$0.hasSuffix(".tmp") }, "\(Self.names(downloadDir))")
    }

    /// A link planted at the version's lock file: refused with a typed `.io` error (ELOOP), and
    /// nothing is created at the link's (dangling) target or written anywhere else.
    @Test func plantedLockSymlinkIsRefused() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let outside = try Self.outsideTree()
        defer { LoopbackProxy.removeTree(outside) }
        let root = try LoopbackProxy.tempDirectory("lock")
        defer { LoopbackProxy.removeTree(root) }
        let cache = ModuleCache(root: root.appendingPathComponent("mod").path)
        try FileManager.default.createDirectory(atPath: try cache.downloadDirectory(path: Self.hello.path), withIntermediateDirectories: true)
        #expect(symlink(outside.appendingPathComponent("created").path, try cache.cachePath(Self.hello, "lock")) == 0)
        let downloader = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.base()), checksumDatabase: nil,
                                          goSum: try GoSum(parsing: Array(server.goSumText.utf8)))
        do {
            _ = try await downloader.download(Self.hello)
            Issue.record("downloaded through a planted lock link")
        } catch {
            #expect(error.code == .io)
            #expect((error.underlying as? AtomicFileError)?.code == ELOOP, "\(error)")
            #expect(error.message.contains("refusing to follow it"), "\(error.message)")
        }
        Self.expectUntouched(outside)
        #expect(try ModuleDownloaderTests.finalFiles(cache, Self.hello) == [])
    }

    /// EFBIG: `gomodkit download` in a child whose RLIMIT_FSIZE is 0 (SIGXFSZ ignored, so the
    /// write fails instead of killing it): a typed error naming the write and the temporary
    /// file, no final-named file, no temporary file left.
    @Test func fileTooLargeInAChildLeavesNothing() throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let binary = try ModCacheInteropTests.gomodkit()
        let root = try LoopbackProxy.tempDirectory("efbig")
        defer { LoopbackProxy.removeTree(root) }
        let goSumPath = root.appendingPathComponent("go.sum")
        try Data(server.goSumText.utf8).write(to: goSumPath)
        let modcache = root.appendingPathComponent("modcache")
        var env = ProcessInfo.processInfo.environment
        env["GOMODCACHE"] = modcache.path
        env["GOPROXY"] = server.proxyDirectory.absoluteString
        env["GOSUMDB"] = "off"
        env["GOFLAGS"] = ""
        env["GOENV"] = "off"
        // Output through pipes: the file-size limit does not apply to them (it would to the
        // files GoReference.run collects output in).
        let script = "trap '' XFSZ; ulimit -f 0 || exit 99; exec \"$0\" \"$@\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, binary, "download", "--gosum", goSumPath.path, "example.com/hello@v1.0.0"]
        process.environment = env
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errorText = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "killed by a signal: \(process.terminationStatus)")
        #expect(process.terminationStatus != 0 && process.terminationStatus != 99, "\(process.terminationStatus) \(errorText)")
        #expect(errorText.contains(".tmp: File too large"), "\(errorText)")
        #expect(errorText.hasPrefix("go: write \(modcache.path)/cache/download/example.com/hello/@v/v1.0.0."), "\(errorText)")
        let cache = ModuleCache(root: modcache.path)
        #expect(try ModuleDownloaderTests.finalFiles(cache, Self.hello) == [])
        let downloadDir = try cache.downloadDirectory(path: Self.hello.path)
        #expect(Self.names(downloadDir).allSatisfy { !$0.hasSuffix(".tmp") }, "\(Self.names(downloadDir))")
        // Without the limit, the same command completes into the same cache.
        let again = try GoReference.run(binary, ["download", "--gosum", goSumPath.path, "example.com/hello@v1.0.0"], environment: env)
        #expect(again.status == 0, "\(again.stderrText)")
        #expect(try ModuleDownloaderTests.finalFiles(cache, Self.hello) == ["info", "mod", "zip", "ziphash", "dir"])
    }

    /// Links planted at directories inside the cache (`cache/download/example.com/hello/@v`, and
    /// `example.com` above the extracted tree): cmd/go follows both (Go 1.27.3 writes the `.info`,
    /// `.mod`, `.zip`, `.ziphash`, `.lock` and `list` into the `@v` link's target and extracts the
    /// module into the other's — see Docs/stricter-than-go.md); the download is refused with a
    /// typed `.io` error naming the link and the rule, and nothing is written outside.
    @Test func symlinkedDirectoryInCacheIsRefused() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let outside = try Self.outsideTree()
        defer { LoopbackProxy.removeTree(outside) }
        let root = try LoopbackProxy.tempDirectory("dirlink")
        defer { LoopbackProxy.removeTree(root) }
        let cache = ModuleCache(root: root.appendingPathComponent("mod").path)
        let downloadDir = try cache.downloadDirectory(path: Self.hello.path)
        try FileManager.default.createDirectory(atPath: deletingLastPathComponent(downloadDir), withIntermediateDirectories: true)
        #expect(symlink(outside.path, downloadDir) == 0)
        let downloader = ModuleDownloader(cache: cache, proxy: try LoopbackProxy.client(server.base()), checksumDatabase: nil,
                                          goSum: try GoSum(parsing: Array(server.goSumText.utf8)))
        do {
            _ = try await downloader.download(Self.hello)
            Issue.record("downloaded through a link at @v")
        } catch {
            #expect(error.code == .io)
            let underlying = try #require(error.underlying as? AtomicFileError)
            #expect(underlying.code == ELOOP)
            #expect(underlying.path == downloadDir)
            #expect(underlying.rule == ConfinedDirectory.rule(root: cache.root))
            #expect(error.message.contains(downloadDir) && error.message.contains("never follow"), "\(error.message)")
        }
        Self.expectUntouched(outside)

        // The link at @v gone; one at the extracted tree's parent directory instead.
        #expect(unlink(downloadDir) == 0)
        let parent = deletingLastPathComponent(try cache.extractedDirectory(Self.hello))
        #expect(symlink(outside.path, parent) == 0)
        do {
            _ = try await downloader.download(Self.hello)
            Issue.record("extracted through a link at example.com")
        } catch {
            #expect(error.code == .io, "\(error)")
            #expect(error.message.contains("open directory \(parent): Too many levels of symbolic links"), "\(error.message)")
        }
        Self.expectUntouched(outside)

        // Without the links the same download completes.
        #expect(unlink(parent) == 0)
        let result = try await downloader.download(Self.hello)
        #expect(FileManager.default.fileExists(atPath: result.dir + "/hello.go"))
    }

    /// `ModuleZip.unzip` with `confinedBelow`: a link at a directory between the root and the
    /// target refuses the extraction (`.io`, `ELOOP`) and nothing is written through it; a
    /// missing parent is created.
    @Test func unzipConfinedBelowRoot() throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let outside = try Self.outsideTree()
        defer { LoopbackProxy.removeTree(outside) }
        let root = try LoopbackProxy.tempDirectory("unzipconf")
        defer { LoopbackProxy.removeTree(root) }
        let zip = server.proxyDirectory.appendingPathComponent("example.com/hello/@v/v1.0.0.zip").path
        #expect(symlink(outside.path, root.path + "/example.com") == 0)
        let options = ModuleZip.UnzipOptions(readOnly: false, confinedBelow: root.path)
        do {
            try ModuleZip.unzip(zip, module: Self.hello, to: root.path + "/example.com/hello@v1.0.0", options: options)
            Issue.record("extracted through a link")
        } catch {
            #expect(error.code == .io)
            #expect(error.systemError == ELOOP, "\(error)")
            #expect(error.description.contains("\(root.path)/example.com"), "\(error)")
        }
        Self.expectUntouched(outside)
        try ModuleZip.unzip(zip, module: Self.hello, to: root.path + "/new/example.com/hello@v1.0.0", options: options)
        #expect(FileManager.default.fileExists(atPath: root.path + "/new/example.com/hello@v1.0.0/hello.go"))
    }
}
