package import Foundation
package import Testing
package import GoModCore

/// A temporary git repository with fixed identities and dates (the commands a maintainer — or
/// an attacker — would run), for divergence tests.
package final class ScratchRepo {
    package let sandbox: Sandbox
    package let path: String
    private var clock = 1_600_000_000

    package init() throws {
        sandbox = try Sandbox()
        path = sandbox.sub("repo")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"])
        try git(["config", "core.autocrlf", "false"])
    }

    @discardableResult
    package func git(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"; env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_AUTHOR_NAME"] = "t"; env["GIT_AUTHOR_EMAIL"] = "t@example.invalid"
        env["GIT_COMMITTER_NAME"] = "t"; env["GIT_COMMITTER_EMAIL"] = "t@example.invalid"
        clock += 60
        env["GIT_AUTHOR_DATE"] = "@\(clock) +0000"; env["GIT_COMMITTER_DATE"] = "@\(clock) +0000"
        process.environment = env
        let out = sandbox.sub("git-out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: out)
        guard process.terminationStatus == 0 else {
            throw ReferenceMissing(reason: "git \(arguments.joined(separator: " ")): \(text)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    package func write(_ name: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    package func writeBytes(_ name: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Commits everything; returns the commit hash.
    @discardableResult
    package func commit(_ message: String) throws -> String {
        try git(["add", "-A"])
        try git(["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", message])
        return try git(["rev-parse", "HEAD"])
    }

    /// The mirror's zip of the tag as it is now, made by Go's x/mod `zip.CreateFromVCS`
    /// (Tests/Reference/modzip): bytes and Go's `h1:`.
    package func mirrorZip(rev: String, subdir: String = "", module: String, version: String) throws -> (zip: [UInt8], h1: String) {
        let out = sandbox.sub("mirror-\(UUID().uuidString).zip")
        let answer = try ModZipRef.runOne(["createfromvcs", path, rev, subdir, module, version, out])
        if let error = answer["error"] as? String { throw ReferenceMissing(reason: "createfromvcs: \(error)") }
        let h1 = try #require(answer["h1"] as? String)
        return (Array(try Data(contentsOf: URL(fileURLWithPath: out))), h1)
    }
}
