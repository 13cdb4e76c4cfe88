import Foundation
import Testing
import GoModTestSupport

/// `gomodkit scan` over http repositories served by real `git http-backend`: the default
/// in-process listing (no git process: no git `User-Agent` reaches the server) and
/// `--git-ls-remote` find the same, byte for byte, before and after tags move.
@Suite(.serialized) struct ScanSmartHTTPCommandTests {
    typealias CLI = CLITests
    typealias Scan = ScanCommandTests

    @Test func inProcessListingFindsWhatGitLsRemoteFinds() throws {
        let root = try Scan.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let eco = try Scan.ecosystem(root, count: 4)
        let server = try GitHTTPBackendServer(root: root + "/repos")
        defer { server.stop() }
        var table = ""
        for line in try String(contentsOfFile: eco.table, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: " ")
            table += "\(fields[0]) git \(server.url(URL(fileURLWithPath: String(fields[2])).lastPathComponent))\n"
        }
        try Data(table.utf8).write(to: URL(fileURLWithPath: root + "/resolutions-http.txt"))
        func scan(_ state: String, _ extra: [String]) throws -> CLITests.Result {
            try CLI.gomodkit(["scan", "run", "--state", root + "/" + state, "--versions", eco.list,
                              "--resolutions", root + "/resolutions-http.txt", "--no-origin", "--no-rebuild", "--jobs", "2"] + extra)
        }
        func gitRequests() -> Int { server.server.heads.filter { $0.lowercased().contains("\r\nuser-agent: git/") }.count }

        let smart1 = try scan("smart", [])
        #expect(smart1.status == 1, "\(smart1.stderr)")
        #expect(gitRequests() == 0)
        #expect(server.server.heads.contains { $0.hasPrefix("POST ") })
        let git1 = try scan("git", ["--git-ls-remote"])
        #expect(git1.status == 1, "\(git1.stderr)")
        #expect(gitRequests() > 0)
        #expect(smart1.stdout == git1.stdout && smart1.stdout.contains(": typosquat:"))

        try Scan.git(eco.repos[1], ["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "backdoor"])
        try Scan.git(eco.repos[1], ["tag", "-f", "v1.1.0"])
        try Scan.git(eco.repos[2], ["tag", "-d", "v1.0.0"])
        let before = gitRequests()
        let smart2 = try scan("smart", [])
        #expect(gitRequests() == before)
        let git2 = try scan("git", ["--git-ls-remote"])
        #expect(smart2.status == 1 && git2.status == 1, "\(smart2.stderr)\(git2.stderr)")
        let lines = smart2.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.contains(": tag-moved: ref \"refs/tags/v1.1.0\" moved from ") }.count == 1)
        #expect(lines.filter { $0.contains(": tag-deleted: ref \"refs/tags/v1.0.0\" deleted") }.count == 1)
        #expect(smart2.stdout == git2.stdout)
        let a = try Data(contentsOf: URL(fileURLWithPath: root + "/smart/out/shard-0-of-1.jsonl"))
        let b = try Data(contentsOf: URL(fileURLWithPath: root + "/git/out/shard-0-of-1.jsonl"))
        #expect(a == b)
    }
}
