import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModNet
@testable import GoModFetch
import GoModTestSupport

/// vendor/ checks against a tree written by the real `go mod vendor` (go 1.27.3): accepted as
/// is; a changed vendored file is caught (go never checks it); a modules.txt out of step with
/// go.mod gives go's own `inconsistent vendoring` text (compared live with `go build`).
@Suite(.serialized) struct VendorCheckTests {
    @Test func goVendorTree() throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let go = try #require(GoReference.currentGo)
        let root = try LoopbackProxy.tempDirectory("vendor")
        defer { LoopbackProxy.removeTree(root) }
        let gopath = root.appendingPathComponent("gopath")
        let env = ModCacheInteropTests.goEnvironment(gopath: gopath, server: server)
        let app = try ModCacheInteropTests.makeProject(root)
        for args in [["mod", "tidy"], ["mod", "vendor"]] {
            let r = try GoReference.run(go, args, environment: env, currentDirectory: app.path)
            try #require(r.status == 0, "\(args): \(r.stderrText)")
        }
        let cache = ModuleCache(root: gopath.appendingPathComponent("pkg/mod").path)
        var (errors, files) = try VendorCheck.check(project: app.path, cache: cache)
        #expect(errors.isEmpty, "\(errors)")
        #expect(files >= 5)

        // A vendored file changed: go builds it without a word; we flag it.
        let vendored = app.appendingPathComponent("vendor/example.com/hello/hello.go")
        let original = try Data(contentsOf: vendored)
        try Data("package hello\n\nfunc Hello() string { return \"pwned\" }\n".utf8).write(to: vendored)
        let build = try GoReference.run(go, ["build", "-mod=vendor", "-o", "/dev/null", "."], environment: env, currentDirectory: app.path)
        #expect(build.status == 0)
        (errors, _) = try VendorCheck.check(project: app.path, cache: cache)
        #expect(errors.map(\.code) == [.vendorFileModified])
        #expect(errors.first?.message.hasPrefix("vendor/example.com/hello/hello.go: differs from example.com/hello@v1.0.0 (go.sum h1:") == true)
        // A file added to vendor/ that is not in the module.
        try original.write(to: vendored)
        try Data("package hello\n".utf8).write(to: app.appendingPathComponent("vendor/example.com/hello/extra.go"))
        (errors, _) = try VendorCheck.check(project: app.path, cache: cache)
        #expect(errors.first?.message == "vendor/example.com/hello/extra.go: not in example.com/hello@v1.0.0")
        try FileManager.default.removeItem(at: app.appendingPathComponent("vendor/example.com/hello/extra.go"))

        // modules.txt out of step with go.mod: go's exact text.
        let txt = app.appendingPathComponent("vendor/modules.txt")
        let modulesTxt = try String(contentsOf: txt, encoding: .utf8)
        try Data(modulesTxt.replacingOccurrences(of: "# example.com/hello v1.0.0\n## explicit", with: "# example.com/hello v1.0.0\n## go").utf8).write(to: txt)
        let goSays = try GoReference.run(go, ["build", "-mod=vendor", "-o", "/dev/null", "."], environment: env, currentDirectory: app.path)
        #expect(goSays.status != 0)
        (errors, _) = try VendorCheck.check(project: app.path, cache: cache)
        let inconsistent = try #require(errors.first { $0.code == .vendorInconsistent })
        #expect("go: " + inconsistent.message + "\n" == goSays.stderrText, "go: \(goSays.stderrText)")
    }

    @Test func parsesModulesTxtLikeGo() {
        let text = """
            # example.com/a v1.0.0
            ## explicit; go 1.21
            example.com/a
            example.com/a/sub
            # example.com/b v1.2.0 => example.com/c v1.3.0
            ## explicit
            example.com/b
            # example.com/d => ./local
            # garbage
            not/a/package line
            """
        let entries = VendorCheck.parseModulesTxt(Array(text.utf8))
        #expect(entries.map(\.module.description) == ["example.com/a@v1.0.0", "example.com/b@v1.2.0", "example.com/d"])
        #expect(entries[0].explicit && entries[0].packages == ["example.com/a", "example.com/a/sub"])
        #expect(entries[1].replacement == ModuleVersion(path: "example.com/c", version: "v1.3.0"))
        #expect(entries[2].replacement == ModuleVersion(path: "./local", version: ""))
    }
}
