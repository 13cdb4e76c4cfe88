import ArgumentParser
import Foundation
import Testing
@testable import gomodkit_cli

/// `gomodkit zip check|create|unzip` and `gomodkit sum`, run as a user runs them. Expected
/// hashes are Go's: Examples/quickstart/go.sum was written by golang.org/x/mod from the
/// `source` directory (Examples/quickstart/README.md), and its zip was made by x/mod.
@Suite struct ZipCommandTests {
    static let source = CLITests.example.appendingPathComponent("source").path

    static func goSumLines() throws -> [String] {
        try String(contentsOfFile: CLITests.goSum, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    private func sandbox() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-zipcli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    private func cleanup(_ dir: String) {
        _ = try? FileManager.default.subpathsOfDirectory(atPath: dir).map { sub in
            chmod(dir + "/" + sub, 0o755)
        }
        chmod(dir, 0o755)
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func sumFromDirectoryPrintsGoSumLines() throws {
        let result = try CLITests.gomodkit(["sum", "--dir", Self.source, "--module", "example.com/hello", "--version", "v1.0.0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try Self.goSumLines()).joined(separator: "\n") + "\n")
    }

    @Test func sumJSON() throws {
        let result = try CLITests.gomodkit(["sum", "--json", "--dir", Self.source, "--module", "example.com/hello",
                                            "--version", "v1.0.0"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["hash"] as? String == "h1:Qmqb//qqVbdXtTHcGX787s5tnO9byUg648KakHQrC/4=")
        #expect(object?["goModHash"] as? String == "h1:gTqEJ382ZQqv2xsPfdUZDovzOcPwH0eHFziE2Xq+iaU=")
        #expect(object?["files"] as? Int == 3)
    }

    @Test func sumFromGitTag() throws {
        let dir = try sandbox()
        defer { cleanup(dir) }
        let repo = dir + "/repo"
        try FileManager.default.copyItem(atPath: Self.source, toPath: repo)
        let env = ["GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@e",
                   "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@e"]
        for args in [["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "v1"], ["tag", "v1.0.0"]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = env + ["git", "-C", repo] + args
            try p.run()
            p.waitUntilExit()
            try #require(p.terminationStatus == 0, "git \(args)")
        }
        let result = try CLITests.gomodkit(["sum", "--git", repo, "--module", "example.com/hello", "--version", "v1.0.0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try Self.goSumLines()).joined(separator: "\n") + "\n")
        let missing = try CLITests.gomodkit(["sum", "--git", repo, "--module", "example.com/hello", "--version", "v1.0.1"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("example.com/hello@v1.0.1: invalid version: unknown revision v1.0.1"))
    }

    @Test func createCheckUnzipRoundTrip() throws {
        let dir = try sandbox()
        defer { cleanup(dir) }
        let zip = dir + "/hello.zip"
        let created = try CLITests.gomodkit(["zip", "create", "--dir", Self.source, "--module", "example.com/hello",
                                             "--version", "v1.0.0", "-o", zip])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == "h1:Qmqb//qqVbdXtTHcGX787s5tnO9byUg648KakHQrC/4=\n")
        let hashed = try CLITests.gomodkit(["hash", zip])
        #expect(hashed.stdout == created.stdout)

        let checked = try CLITests.gomodkit(["zip", "check", "--module", "example.com/hello", "--version", "v1.0.0", zip])
        #expect(checked.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any]
        #expect(report?["ok"] as? Bool == true)
        #expect((report?["valid"] as? [String])?.count == 3)

        let out = dir + "/out"
        let unzipped = try CLITests.gomodkit(["zip", "unzip", zip, out])
        #expect(unzipped.status == 0, "\(unzipped.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/hello.go"))
        let again = try CLITests.gomodkit(["zip", "unzip", zip, out])
        #expect(again.status == 2)
        #expect(again.stderr.contains("exists and is not empty"))
    }

    @Test func checkReportsInvalidZipsWithExitOne() throws {
        // The tampered example zip is a valid module zip with other content: check passes.
        let tampered = try CLITests.gomodkit(["zip", "check", "--module", "example.com/hello", "--version", "v1.0.0",
                                              CLITests.badZip])
        #expect(tampered.status == 0)
        // Checking it as another version: every entry is outside the prefix.
        let wrong = try CLITests.gomodkit(["zip", "check", "--module", "example.com/hello", "--version", "v1.0.1",
                                           CLITests.goodZip])
        #expect(wrong.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(wrong.stdout.utf8)) as? [String: Any]
        #expect(report?["ok"] as? Bool == false)
        let invalid = report?["invalid"] as? [[String: Any]] ?? []
        #expect(!invalid.isEmpty)
        #expect(invalid.allSatisfy { $0["error"] as? String == "path does not have prefix \"example.com/hello@v1.0.1/\"" })
        // Not a zip at all: exit 1 with the reader's error in the JSON.
        let notZip = try CLITests.gomodkit(["zip", "check", "--module", "example.com/hello", "--version", "v1.0.0", CLITests.goSum])
        #expect(notZip.status == 1)
        #expect(notZip.stdout.contains("\"error\""))
        // Bad version or missing file: usage (2).
        #expect(try CLITests.gomodkit(["zip", "check", "--module", "example.com/hello", "--version", "v2.0.0",
                                       CLITests.goodZip]).status == 2)
        #expect(try CLITests.gomodkit(["zip", "check", "--module", "example.com/hello", "--version", "v1.0.0",
                                       "/nonexistent.zip"]).status == 2)
    }

    @Test func usageErrorsExitTwo() throws {
        for args in [["sum", "--module", "m", "--version", "v1.0.0"],
                     ["sum", "--dir", ".", "--git", ".", "--module", "example.com/m", "--version", "v1.0.0"],
                     ["sum", "--dir", ".", "--rev", "x", "--module", "example.com/m", "--version", "v1.0.0"],
                     ["zip", "create", "--dir", ".", "--module", "example.com/m", "--version", "v1.0.0"],
                     ["zip", "unzip", "--module", "example.com/m", "a.zip", "out"],
                     ["zip", "check", "--module", "example.com/m", "--version", "v1.0.0"],
                     ["zip", "unzip", "--version", "v1.0.0"],
                     ["sum", "--dir", ".", "--version", "v1.0.0"]] {
            let result = try CLITests.gomodkit(args)
            #expect(result.status == 2, "\(args): \(result.stdout)\(result.stderr)")
            #expect(!result.stdout.contains("0.1.0"))
        }
    }

    @Test func parsesDocumentedForms() throws {
        #expect(throws: Never.self) {
            _ = try GoModKitCommand.parseAsRoot(["zip", "check", "--module", "m", "--version", "v1.0.0", "f.zip"])
            _ = try GoModKitCommand.parseAsRoot(["zip", "create", "--module", "m", "--version", "v1.0.0", "--dir", "d", "-o", "o.zip"])
            _ = try GoModKitCommand.parseAsRoot(["zip", "create", "--module", "m", "--version", "v1.0.0", "--git", "r",
                                                 "--rev", "v1.0.0", "--subdir", "s", "-o", "o.zip"])
            _ = try GoModKitCommand.parseAsRoot(["zip", "unzip", "f.zip", "dir"])
            _ = try GoModKitCommand.parseAsRoot(["sum", "--git", "r", "--rev", "HEAD", "--module", "m", "--version", "v1.0.0"])
        }
    }
}
