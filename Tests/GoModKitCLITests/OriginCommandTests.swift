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
}
