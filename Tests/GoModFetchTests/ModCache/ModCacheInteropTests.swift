import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModNet
@testable import GoModFetch
import GoModTestSupport

/// Interop in both directions on loopback: the real `go` 1.27.3 fills a module
/// cache through the goproxyserver proxy and checksum database, `gomodkit verify` accepts it and
/// flags each tampering (with `go mod verify`'s exact words where go checks the same thing);
/// then `gomodkit download` fills an empty cache that `go build` (GOPROXY=off) and
/// `go mod verify` accept, with the same `-json` fields as `go mod download -json`.
@Suite(.serialized) struct ModCacheInteropTests {
    static let appGoMod = "module example.com/app\n\ngo 1.21\n"
    static let appMain = """
        package main

        import (
        \t"fmt"

        \t"example.com/greet"
        \t"example.com/greet/inner"
        \t"example.com/legacy"
        \tupper "example.com/Upper"
        )

        func main() { fmt.Println(greet.Greet("you"), inner.X, legacy.Old, upper.Name) }

        """

    static func goEnvironment(gopath: URL, server: LoopbackProxy, goproxy: String? = nil) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["GOPATH"] = gopath.path
        env["GOMODCACHE"] = gopath.appendingPathComponent("pkg/mod").path
        env["GOPROXY"] = goproxy ?? server.base()
        env["GOSUMDB"] = server.gosumdb
        env["GONOSUMDB"] = ""; env["GOPRIVATE"] = ""; env["GONOPROXY"] = ""; env["GOINSECURE"] = ""
        env["GOFLAGS"] = ""
        env["GO111MODULE"] = "on"
        env["GOTOOLCHAIN"] = "local"
        env["GOWORK"] = "off"
        env["GOCACHE"] = gopath.appendingPathComponent("gocache").path
        return env
    }

    /// The built `gomodkit` executable.
    static func gomodkit() throws -> String {
        for p in [".build/debug/gomodkit", ".build/x86_64-unknown-linux-gnu/debug/gomodkit", ".build/aarch64-unknown-linux-gnu/debug/gomodkit"] {
            let path = GoReference.repoRoot.appendingPathComponent(p).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw ReferenceMissing(reason: "build gomodkit first (swift build)")
    }

    static func makeProject(_ root: URL) throws -> URL {
        let app = root.appendingPathComponent("app")
        try FileManager.default.createDirectory(at: app, withIntermediateDirectories: true)
        try Data(appGoMod.utf8).write(to: app.appendingPathComponent("go.mod"))
        try Data(appMain.utf8).write(to: app.appendingPathComponent("main.go"))
        return app
    }

    /// Replaces `path` (possibly read-only) with `data`, returning the old bytes.
    static func overwrite(_ path: String, _ data: [UInt8]) throws -> [UInt8] {
        let old = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        _ = chmod(path, 0o644)
        _ = chmod((path as NSString).deletingLastPathComponent, 0o755)
        try Data(data).write(to: URL(fileURLWithPath: path))
        return old
    }

    @Test func goWritesGoModKitVerifiesAndFlagsTampering() throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let gomodkit = try Self.gomodkit()
        let go = try #require(GoReference.currentGo)
        let root = try LoopbackProxy.tempDirectory("interop")
        defer { LoopbackProxy.removeTree(root) }
        let gopath = root.appendingPathComponent("gopath")
        let env = Self.goEnvironment(gopath: gopath, server: server)
        let app = try Self.makeProject(root)
        let tidy = try GoReference.run(go, ["mod", "tidy"], environment: env, currentDirectory: app.path)
        try #require(tidy.status == 0, "go mod tidy: \(tidy.stderrText)")
        let download = try GoReference.run(go, ["mod", "download"], environment: env, currentDirectory: app.path)
        try #require(download.status == 0, "\(download.stderrText)")
        let goVerify = try GoReference.run(go, ["mod", "verify"], environment: env, currentDirectory: app.path)
        #expect(goVerify.stdoutText == "all modules verified\n")

        // GoModKit accepts go's cache (and go.sum is in the loopback database).
        let ours = try GoReference.run(gomodkit, ["verify", app.path], environment: env)
        #expect(ours.status == 0, "\(ours.stderrText)")
        #expect(ours.stdoutText == "all modules verified\n")
        #expect(ours.stderrText.isEmpty)

        let cache = ModuleCache(root: gopath.appendingPathComponent("pkg/mod").path)
        // The build list is go's (`go list -m all` without the main module).
        let list = try GoReference.run(go, ["list", "-m", "all"], environment: env, currentDirectory: app.path)
        let goList = list.stdoutText.split(separator: "\n").dropFirst().map { $0.replacingOccurrences(of: " ", with: "@") }
        #expect(try ModuleBuildList.load(project: app.path, cache: cache).modules.map(\.description) == goList)
        let hello = ModuleVersion(path: "example.com/hello", version: "v1.0.0")
        let zip = try cache.cachePath(hello, "zip"), ziphash = try cache.cachePath(hello, "ziphash")
        let dir = try cache.extractedDirectory(hello)

        /// Runs both verifiers; returns (go, gomodkit) outputs.
        func both() throws -> (GoReference.Output, GoReference.Output) {
            (try GoReference.run(go, ["mod", "verify"], environment: env, currentDirectory: app.path),
             try GoReference.run(gomodkit, ["verify", "--offline", app.path], environment: env))
        }

        // 1. A zip replaced by another valid zip: go's exact message.
        let greetZip = try cache.cachePath(ModuleVersion(path: "example.com/greet", version: "v1.1.0"), "zip")
        var saved = try Self.overwrite(zip, Array(try Data(contentsOf: URL(fileURLWithPath: greetZip))))
        var (g, o) = try both()
        #expect(g.status == 1 && o.status == 1)
        #expect(o.stderrText == "example.com/hello v1.0.0: zip has been modified (\(zip))\n")
        #expect(o.stderrText == g.stderrText)
        _ = try Self.overwrite(zip, saved)

        // 2. One byte of the zip flipped (in the middle of the compressed data).
        // The CRC-32 of hello.go in the central directory: go's reader fails with a checksum error.
        var flipped = saved
        var i = 0
        while i + 46 < flipped.count {
            if flipped[i] == 0x50 && flipped[i + 1] == 0x4B && flipped[i + 2] == 1 && flipped[i + 3] == 2 {
                let n = Int(flipped[i + 28]) | Int(flipped[i + 29]) << 8
                if i + 46 + n <= flipped.count, String(decoding: flipped[(i + 46)..<(i + 46 + n)], as: UTF8.self).hasSuffix("/hello.go") {
                    flipped[i + 16] ^= 0x55
                    break
                }
            }
            i += 1
        }
        _ = try Self.overwrite(zip, flipped)
        (g, o) = try both()
        #expect(g.status == 1 && o.status == 1)
        #expect(o.stderrText.hasPrefix("example.com/hello v1.0.0: "), "\(o.stderrText)")
        _ = try Self.overwrite(zip, saved)

        // 3. An extracted file edited.
        let file = dir + "/hello.go"
        saved = try Self.overwrite(file, Array("package hello\n\nfunc Hello() string { return \"pwned\" }\n".utf8))
        (g, o) = try both()
        #expect(o.status == 1)
        #expect(o.stderrText == "example.com/hello v1.0.0: dir has been modified (\(dir))\n")
        #expect(o.stderrText == g.stderrText)
        _ = try Self.overwrite(file, saved)

        // 4. .ziphash edited: both zip and dir disagree with it.
        saved = try Self.overwrite(ziphash, Array("h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".utf8))
        (g, o) = try both()
        #expect(o.status == 1)
        #expect(o.stderrText.contains("example.com/hello v1.0.0: zip has been modified (\(zip))\n"))
        #expect(o.stderrText.contains("example.com/hello v1.0.0: dir has been modified (\(dir))\n"))
        #expect(o.stderrText.hasPrefix(g.stderrText), "go: \(g.stderrText)\nours: \(o.stderrText)")
        _ = try Self.overwrite(ziphash, saved)

        // 5. .ziphash removed: go's missing-ziphash error.
        saved = try Self.overwrite(ziphash, [])
        try FileManager.default.removeItem(atPath: ziphash)
        (g, o) = try both()
        #expect(o.status == 1)
        #expect(o.stderrText.hasPrefix("example.com/hello v1.0.0: missing ziphash: open \(ziphash): no such file or directory\n"), "\(o.stderrText)")
        #expect(g.stderrText.hasPrefix("example.com/hello v1.0.0: missing ziphash: open \(ziphash): no such file or directory\n"))
        _ = FileManager.default.createFile(atPath: ziphash, contents: Data(saved))

        // 6. A go.sum line edited: go never checks it; gomodkit does (cache and database).
        let goSumPath = app.appendingPathComponent("go.sum").path
        let goSumText = try String(contentsOfFile: goSumPath, encoding: .utf8)
        let helloLine = try #require(goSumText.split(separator: "\n").first { $0.hasPrefix("example.com/hello v1.0.0 h1:") })
        let forged = goSumText.replacingOccurrences(of: String(helloLine), with: "example.com/hello v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        try Data(forged.utf8).write(to: URL(fileURLWithPath: goSumPath))
        (g, o) = try both()
        #expect(g.status == 0, "go mod verify does not read go.sum")
        #expect(o.status == 1)
        #expect(o.stderrText.contains("example.com/hello v1.0.0: go.sum:"), "\(o.stderrText)")
        #expect(o.stderrText.contains("records h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= but the module cache has"))
        let online = try GoReference.run(gomodkit, ["verify", app.path], environment: env)
        #expect(online.status == 1)
        #expect(online.stderrText.contains("but localhost.localdev/sumdb has"), "\(online.stderrText)")
        try Data(goSumText.utf8).write(to: URL(fileURLWithPath: goSumPath))
        #expect(try GoReference.run(gomodkit, ["verify", app.path], environment: env).status == 0)
    }

    @Test func goModKitWritesGoBuildsAndVerifies() throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let gomodkit = try Self.gomodkit()
        let go = try #require(GoReference.currentGo)
        let root = try LoopbackProxy.tempDirectory("interop2")
        defer { LoopbackProxy.removeTree(root) }
        // go's own cache, for the -json comparison and the project's go.mod/go.sum.
        let goPath = root.appendingPathComponent("gopath-go")
        let goEnv = Self.goEnvironment(gopath: goPath, server: server)
        let app = try Self.makeProject(root)
        let tidy = try GoReference.run(go, ["mod", "tidy"], environment: goEnv, currentDirectory: app.path)
        try #require(tidy.status == 0, "\(tidy.stderrText)")
        let modules = LoopbackProxy.modules.map { "\($0.path)@\($0.version)" }
        let goJSON = try GoReference.run(go, ["mod", "download", "-json"] + modules, environment: goEnv, currentDirectory: root.path)
        try #require(goJSON.status == 0, "\(goJSON.stderrText)")

        // GoModKit into an empty cache.
        let ourPath = root.appendingPathComponent("gopath-gomodkit")
        let ourEnv = Self.goEnvironment(gopath: ourPath, server: server)
        let ours = try GoReference.run(gomodkit, ["download", "-json"] + modules, environment: ourEnv)
        #expect(ours.status == 0, "\(ours.stderrText)")
        // Same objects once the cache roots are swapped (go prints Origin from .info too).
        let goCache = goPath.appendingPathComponent("pkg/mod").path, ourCache = ourPath.appendingPathComponent("pkg/mod").path
        #expect(ours.stdoutText.replacingOccurrences(of: ourCache, with: goCache) == goJSON.stdoutText,
                "ours:\n\(ours.stdoutText)\ngo:\n\(goJSON.stdoutText)")

        // go builds from our cache with the network off, and go mod verify accepts it.
        var offline = Self.goEnvironment(gopath: ourPath, server: server, goproxy: "off")
        offline["GOFLAGS"] = "-mod=mod"
        let build = try GoReference.run(go, ["build", "-o", root.appendingPathComponent("app.bin").path, "."], environment: offline,
                                        currentDirectory: app.path)
        #expect(build.status == 0, "\(build.stderrText)")
        let verify = try GoReference.run(go, ["mod", "verify"], environment: offline, currentDirectory: app.path)
        #expect(verify.stdoutText == "all modules verified\n", "\(verify.stderrText)")
        // Files in go's layout, byte for byte where go copies them verbatim.
        for m in LoopbackProxy.modules {
            let v = ModuleVersion(path: ByteString(m.path), version: ByteString(m.version))
            for ext in ["mod", "zip", "ziphash", "info"] {
                let a = try ModuleCache(root: goCache).cachePath(v, ext), b = try ModuleCache(root: ourCache).cachePath(v, ext)
                #expect(FileManager.default.contentsEqual(atPath: a, andPath: b), "\(m.path) .\(ext)")
            }
        }
        // Re-running is a no-op that still checks (cached data re-verified).
        let again = try GoReference.run(gomodkit, ["download"] + modules, environment: ourEnv)
        #expect(again.status == 0 && again.stdoutText.isEmpty, "\(again.stderrText)")
    }
}
