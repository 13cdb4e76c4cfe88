import Foundation
import Testing
@testable import gomodkit_cli

/// `gomodkit diverge` and `gomodkit typosquat` as a user runs them, offline, on the bundled
/// example (Examples/boltdb-typosquat, made by its make-example.sh with Go 1.27.3's x/mod and
/// `go mod download`). Expected facts come from issue 7 (db.go's new init() and imports of net
/// and os/exec; boltdb-go/bolt imitates github.com/boltdb/bolt) and from the example's go.sum.
@Suite struct SupplyChainCommandTests {
    static let example = CLITests.root.appendingPathComponent("Examples/boltdb-typosquat")
    static let bundle = example.appendingPathComponent("upstream.bundle").path
    static let proxyURL = "file://" + example.appendingPathComponent("proxy").path
    static let atV = example.appendingPathComponent("proxy/github.com/boltdb-go/bolt/@v")

    static func recordedZipHash() throws -> String {
        let text = try String(contentsOfFile: example.appendingPathComponent("go.sum").path, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { !$0.contains("/go.mod") })
        return String(try #require(line.split(separator: " ").last))
    }

    @Test func divergeThroughFileProxyReportsTheBackdoor() throws {
        let result = try CLITests.gomodkit(["diverge", "github.com/boltdb-go/bolt@v1.3.1", "--git", Self.bundle,
                                            "--proxy", Self.proxyURL])
        #expect(result.status == 1)
        #expect(result.stdout.contains("suspicious"))
        #expect(result.stdout.contains("(tag moved)"))
        #expect(result.stdout.contains("mirror zip:    \(try Self.recordedZipHash())"))
        #expect(result.stdout.contains("M db.go"))
        #expect(result.stdout.contains("initAdded: db.go: func init() added"))
        #expect(result.stdout.contains("watchedImport: db.go: +NETWORK: import \"net\""))
        #expect(result.stdout.contains("watchedImport: db.go: +EXEC: import \"os/exec\""))
    }

    @Test func divergeWithZipAndInfoAsJSON() throws {
        let result = try CLITests.gomodkit(["diverge", "github.com/boltdb-go/bolt@v1.3.1", "--git", Self.bundle,
                                            "--zip", Self.atV.appendingPathComponent("v1.3.1.zip").path,
                                            "--info", Self.atV.appendingPathComponent("v1.3.1.info").path, "--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "suspicious")
        #expect(object["tagMoved"] as? Bool == true)
        #expect(object["mirrorHash"] as? String == (try Self.recordedZipHash()))
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.count == 1)
        #expect(changes.first?["path"] as? String == "db.go")
    }

    /// Without the .info there is no Origin check, but the rebuild still finds the divergence.
    @Test func divergeWithoutInfo() throws {
        let result = try CLITests.gomodkit(["diverge", "github.com/boltdb-go/bolt@v1.3.1", "--git", Self.bundle,
                                            "--zip", Self.atV.appendingPathComponent("v1.3.1.zip").path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("origin commit: (none recorded)"))
        #expect(result.stdout.contains("suspicious"))
    }

    @Test func divergeUsageErrors() throws {
        let neither = try CLITests.gomodkit(["diverge", "github.com/boltdb-go/bolt@v1.3.1", "--git", Self.bundle])
        #expect(neither.status == 2)
        let noRepo = try CLITests.gomodkit(["diverge", "github.com/boltdb-go/bolt@v1.3.1", "--git", "/nonexistent",
                                            "--proxy", Self.proxyURL])
        #expect(noRepo.status == 2)
        let noVersion = try CLITests.gomodkit(["diverge", "github.com/boltdb-go/bolt@v9.9.9", "--git", Self.bundle,
                                               "--proxy", Self.proxyURL])
        #expect(noVersion.status == 2)   // v9 is not a valid version of a v0/v1 module path
    }

    @Test func typosquatOnTheExampleGoMod() throws {
        let result = try CLITests.gomodkit(["typosquat", Self.example.appendingPathComponent("go.mod").path])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("github.com/boltdb-go/bolt: looks like github.com/boltdb/bolt (ownerLookalike"))
        let sum = try CLITests.gomodkit(["typosquat", Self.example.appendingPathComponent("go.sum").path, "--json"])
        #expect(sum.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(sum.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.first?["target"] as? String == "github.com/boltdb/bolt")
        #expect(findings.first?["rule"] as? String == "ownerLookalike")
    }

    @Test func typosquatPathsAndExitCodes() throws {
        let clean = try CLITests.gomodkit(["typosquat", "github.com/sirupsen/logrus", "golang.org/x/net", "gopkg.in/yaml.v3"])
        #expect(clean.status == 0)
        #expect(clean.stdout.isEmpty)
        let bad = try CLITests.gomodkit(["typosquat", "github.com/siruspen/logrus", "golang.org/x/crypt0"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("github.com/siruspen/logrus: looks like github.com/sirupsen/logrus"))
        #expect(bad.stdout.contains("golang.org/x/crypt0: looks like golang.org/x/crypto"))
        let missing = try CLITests.gomodkit(["typosquat", "--known", "/nonexistent/list.txt", "golang.org/x/net"])
        #expect(missing.status == 2)
    }

    /// --known with ../shared's popular list: listed names are never flagged.
    @Test func typosquatWithSharedKnownList() throws {
        let shared = CLITests.root.deletingLastPathComponent().appendingPathComponent("shared/data/popular-go-modules.txt")
        guard FileManager.default.fileExists(atPath: shared.path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("../shared is absent") }
            try Test.cancel("skipped: ../shared is absent")
        }
        let result = try CLITests.gomodkit(["typosquat", "--known", shared.path, "github.com/Sirupsen/logrus", "github.com/boltdb-go/bolt"])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("github.com/Sirupsen/logrus:"))
        #expect(result.stdout.contains("github.com/boltdb-go/bolt: looks like github.com/boltdb/bolt"))
    }
}
