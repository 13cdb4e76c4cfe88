import Foundation
import Testing
import GoModTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `gomodkit scan` as a user runs it: real git repositories (listed with `git ls-remote`), a
/// resolution table, shard outputs, `scan merge`, exit codes, and SIGKILLs in the middle of a
/// pass.
@Suite(.serialized) struct ScanCommandTests {
    typealias CLI = CLITests

    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-scan-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs git in `dir` with a fixed identity.
    @discardableResult
    static func git(_ dir: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", dir] + arguments
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"; env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_AUTHOR_NAME"] = "t"; env["GIT_AUTHOR_EMAIL"] = "t@example.invalid"
        env["GIT_COMMITTER_NAME"] = "t"; env["GIT_COMMITTER_EMAIL"] = "t@example.invalid"
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `count` repositories `github.com/acme/r<i>` (mapped to local directories by a resolution
    /// table) with tags v1.0.0 (annotated) and v1.1.0, plus the look-alike `github.com/acme-go/r1`.
    static func ecosystem(_ root: String, count: Int) throws -> (list: String, table: String, repos: [String]) {
        var list = "", table = "", repos: [String] = []
        for i in 0..<count + 1 {
            let isSquat = i == count
            let path = isSquat ? "github.com/acme-go/r1" : "github.com/acme/r\(i)"
            let dir = root + "/repos/" + path.replacingOccurrences(of: "/", with: "_")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try git(dir, ["init", "-q", "-b", "main"])
            try Data("module \(path)\n".utf8).write(to: URL(fileURLWithPath: dir + "/go.mod"))
            try git(dir, ["add", "-A"]); try git(dir, ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "one"])
            try git(dir, ["-c", "tag.gpgsign=false", "tag", "-a", "-m", "v1.0.0", "v1.0.0"])
            try git(dir, ["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "two"])
            try git(dir, ["tag", "v1.1.0"])
            list += "\(path)@v1.0.0\n\(path)@v1.1.0\n"
            table += "\(path) git \(dir)\n"
            repos.append(dir)
        }
        try Data(list.utf8).write(to: URL(fileURLWithPath: root + "/versions.txt"))
        try Data(table.utf8).write(to: URL(fileURLWithPath: root + "/resolutions.txt"))
        return (root + "/versions.txt", root + "/resolutions.txt", repos)
    }

    static func scanArgs(_ root: String, state: String, extra: [String] = []) -> [String] {
        ["scan", "run", "--state", state, "--versions", root + "/versions.txt", "--resolutions", root + "/resolutions.txt",
         "--no-origin", "--no-rebuild", "--jobs", "1"] + extra
    }

    @Test func usageAndInputErrorsExitTwo() throws {
        let dir = try Self.tempDir()
        #expect(try CLI.gomodkit(["scan", "run", "--state", dir]).status == 2)
        try Data("github.com/a/b@v1.0.0\n".utf8).write(to: URL(fileURLWithPath: dir + "/v.txt"))
        let outOfRange = try CLI.gomodkit(["scan", "run", "--state", dir, "--versions", dir + "/v.txt", "--shard-index", "3", "--shard-count", "3"])
        #expect(outOfRange.status == 2)
        #expect(outOfRange.stderr.contains("shard index 3 out of range"))
        var env = ProcessInfo.processInfo.environment
        env["JOB_COMPLETION_INDEX"] = "1"
        env.removeValue(forKey: "GOMODKIT_SHARD_COUNT")
        let noCount = try CLI.gomodkit(["scan", "run", "--state", dir, "--versions", dir + "/v.txt"], environment: env)
        #expect(noCount.status == 2)
        #expect(noCount.stderr.contains("without a shard count"))
        try Data("not a module list\n".utf8).write(to: URL(fileURLWithPath: dir + "/bad.txt"))
        #expect(try CLI.gomodkit(["scan", "run", "--state", dir, "--versions", dir + "/bad.txt"]).status == 2)
        try FileManager.default.createDirectory(atPath: dir + "/s2/index", withIntermediateDirectories: true)
        try Data("{".utf8).write(to: URL(fileURLWithPath: dir + "/s2/index/checkpoint.json"))
        let corrupt = try CLI.gomodkit(["scan", "run", "--state", dir + "/s2", "--index", "http://127.0.0.1:9/index"])
        #expect(corrupt.status == 2)
        #expect(corrupt.stderr.contains("corrupt checkpoint"))
        // The per-unit limits' flags.
        for bad in [["--unit-timeout", "-1"], ["--unit-disk-limit", "2XB"], ["--unit-disk-limit", "-5"],
                    ["--unit-disk-limit", "99999999999GiB"]] {
            let r = try CLI.gomodkit(["scan", "run", "--state", dir, "--versions", dir + "/v.txt"] + bad)
            #expect(r.status == 2, "\(bad): \(r.stderr)")
            #expect(r.stderr.contains(bad[0]), "\(bad): \(r.stderr)")
        }
    }

    @Test func anUnreachableFeedIsRetryable() throws {
        let dir = try Self.tempDir()
        // Port 9 (discard) on loopback: refused; two attempts, one back-off of about a second.
        let r = try CLI.gomodkit(["scan", "mirror", "--state", dir, "--index", "http://127.0.0.1:9/index", "--timeout", "2", "--attempts", "2"])
        #expect(r.status == 3, "\(r.stderr)")
    }

    @Test func findsThePlantedEventsSurvivesKillsAndShardsMergeToTheSame() throws {
        let root = try Self.tempDir()
        let eco = try Self.ecosystem(root, count: 12)
        let reference = root + "/state-ref", killed = root + "/state-kill"

        // Pass 1: every tag is new; the look-alike path is the only finding. The other state's
        // pass 1 is killed at random moments (during the ingest, too) and resumed.
        let r = try CLI.gomodkit(Self.scanArgs(root, state: reference))
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").map { $0.split(separator: " ").prefix(3).joined(separator: " ") }
                == ["github.com/acme-go/r1@v1.0.0 (\(eco.repos[12])): typosquat:"])
        let kills1 = try Self.runWithKills(root, state: killed, seed: 0xfeed)
        let pass1 = try Data(contentsOf: URL(fileURLWithPath: reference + "/out/shard-0-of-1.jsonl"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: killed + "/out/shard-0-of-1.jsonl")) == pass1, "killed \(kills1) times")

        // Upstream changes: three force-pushed tags and a deleted one.
        for i in [2, 5, 7] {
            try Self.git(eco.repos[i], ["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "backdoor"])
            try Self.git(eco.repos[i], ["tag", "-f", "v1.1.0"])
        }
        try Self.git(eco.repos[9], ["tag", "-d", "v1.0.0"])

        // Pass 2, uninterrupted.
        let clean = try CLI.gomodkit(Self.scanArgs(root, state: reference))
        #expect(clean.status == 1)
        let lines = clean.stdout.split(separator: "\n").map(String.init)
        #expect(lines.map { $0.split(separator: " ").first.map(String.init) ?? "" } == [
            "github.com/acme/r2@v1.1.0", "github.com/acme/r5@v1.1.0", "github.com/acme/r7@v1.1.0", "github.com/acme/r9@v1.0.0",
        ])
        #expect(lines.filter { $0.contains(": tag-moved: ref \"refs/tags/v1.1.0\" moved from ") }.count == 3)
        #expect(lines.filter { $0.contains(": tag-deleted: ref \"refs/tags/v1.0.0\" deleted") }.count == 1)

        // Pass 2 again on the other state, SIGKILLed at random moments, then resumed.
        let kills = try Self.runWithKills(root, state: killed, seed: 0x5eed)
        let a = try Data(contentsOf: URL(fileURLWithPath: reference + "/out/shard-0-of-1.jsonl"))
        let b = try Data(contentsOf: URL(fileURLWithPath: killed + "/out/shard-0-of-1.jsonl"))
        #expect(a == b, "killed \(kills) times")
        #expect(kills > 0)

        // Three shards of pass 1 + 2 on fresh state: merged, the same as the unsharded runs.
        let sharded = root + "/state-shards"
        for i in 0..<3 {
            let r = try CLI.gomodkit(Self.scanArgs(root, state: sharded, extra: ["--shard-index", "\(i)", "--shard-count", "3", "--findings-exit-zero"]))
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged = try CLI.gomodkit(["scan", "merge", sharded + "/out"])
        #expect(merged.status == 1)
        // Fresh state: the moved and deleted tags are the repositories' state at first sight,
        // so only the look-alike is reported (no Origin to compare with: --no-origin).
        #expect(merged.stdout.split(separator: "\n").count == 1)
        #expect(merged.stdout.contains("typosquat"))
        let sarif = try CLI.gomodkit(["scan", "merge", "--format", "sarif", sharded + "/out"])
        #expect(sarif.status == 1)
        let log = try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any]
        #expect(log?["version"] as? String == "2.1.0")
        try FileManager.default.removeItem(atPath: sharded + "/out/shard-1-of-3.jsonl")
        #expect(try CLI.gomodkit(["scan", "merge", sharded + "/out"]).status == 3)
    }

    /// Runs one pass up to 20 times, each SIGKILLed after a pseudo-random 5–155 ms, until the
    /// pass has written its output (a kill may land after that, before the process exits: a
    /// further run would start the next pass); then once more if none got that far. Returns
    /// the number of kills.
    static func runWithKills(_ root: String, state: String, seed start: UInt64) throws -> Int {
        let output = state + "/out/shard-0-of-1.jsonl"
        try? FileManager.default.removeItem(atPath: output)
        var seed = start
        var kills = 0
        for _ in 0..<20 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let delay = 5_000 + useconds_t((seed >> 33) % 150_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try CLI.binary())
            process.arguments = scanArgs(root, state: state, extra: ["--findings-exit-zero"])
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(delay)
            if process.isRunning { kill(process.processIdentifier, SIGKILL); kills += 1 }
            process.waitUntilExit()
            if process.terminationReason == .exit { #expect(process.terminationStatus == 0) }
            if FileManager.default.fileExists(atPath: output) { return kills }
        }
        let resumed = try CLI.gomodkit(scanArgs(root, state: state, extra: ["--findings-exit-zero"]))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        return kills
    }
}

/// scripts/scan-e2e.sh: the loopback ecosystem (index feed, GOPROXY tree made by go 1.27.3 in
/// direct mode, bare repositories behind git http-backend, x/mod's checksum database) inside a
/// private network+mount namespace, with the planted events; one run, shards + merge, and
/// SIGKILLs + resume must all find exactly them.
@Suite(.serialized) struct ScanEcosystemEndToEndTests {
    @Test func plantedEventsFoundShardedAndKilled() throws {
        let (status, text) = try OriginCommandTests.runNamespaceScript("scripts/scan-e2e.sh",
                                                                       try [GoReference.program("sumdbserver")])
        #expect(status == 0, "\(text)")
        #expect(!text.contains("\nFAIL "), "\(text)")
        #expect(text.contains("ok   one run: exactly the planted events"), "\(text)")
        #expect(text.contains("ok   3 shards + merge: the same findings, byte for byte"), "\(text)")
        #expect(text.contains("the same bytes as one run"), "\(text)")
    }
}
