import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit download [-json] path@version...`: `go mod download` through the proxy list.
struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download modules into the module cache, verified, like go mod download.",
        discussion: ExitStatus.discussion("""
            Uses GOPROXY (direct and a ...,direct fallback fetch from the module's git \
            repository, as go does: Docs/origin.md), GONOPROXY/GOPRIVATE, GOINSECURE, GOVCS, \
            GOSUMDB, GONOSUMDB, GOMODCACHE/GOPATH and GOFLAGS (-modcacherw) like the go command. \
            From version control only canonical versions (releases, pseudo-versions, \
            +incompatible) are fetched, not queries such as latest. Every .mod and .zip is checked against go.sum (with --gosum) and \
            otherwise the checksum database before it enters the cache; files are written \
            atomically under cmd/go's lock files. A module whose hash disagrees \
            with go.sum or the checksum database, or that breaks the module zip rules, exits 1; \
            an unreachable proxy or database exits 3.
            """))

    @Flag(name: [.customLong("json"), .customLong("json", withSingleDash: true)],
          help: "Print a JSON object per module, as go mod download -json does.")
    var json = false

    @Option(help: "A go.sum file to check hashes against first.")
    var gosum: String?

    @Flag(name: [.customLong("modcacherw"), .customLong("modcacherw", withSingleDash: true)],
          help: "Leave extracted module trees writable.")
    var modcacherw = false

    @OptionGroup var network: TimeoutOption<LongTimeout>

    @Option(help: "Most modules downloaded at once.")
    var jobs: Int = 8

    @OptionGroup var deadline: DeadlineOption

    @Argument(help: "path@version (or path@latest / path@<query>).")
    var modules: [String] = []

    /// How long a download cut short by `--deadline` may take to stop (remove its temporary
    /// files) before it is abandoned.
    static let deadlineGrace: Duration = .milliseconds(500)

    func run() async throws {
        let until = deadline.fromNow
        guard !modules.isEmpty else { throw CLIFailure.input("go: no modules specified (see 'gomodkit download --help')") }
        let environment = try GoEnvironment.forCommand()
        var parsed: [(ByteString, ByteString)] = []
        for m in modules {
            // cmd/go's modload.ParsePathVersion: split at the first "@".
            let split: (module: ModuleVersion, hasVersion: Bool)
            do { split = try ModuleVersion.parse(argument: m) } catch {
                throw CLIFailure.input("go: \(terminalSafe(error.description))")
            }
            let (path, version) = (split.module.path, split.module.version)
            if path.isEmpty || (split.hasVersion && version.isEmpty) {
                throw CLIFailure.input("go: \(terminalSafe(m)): malformed module path@version")
            }
            parsed.append((path, split.hasVersion ? version : "latest"))
        }
        var goSum: GoSum?
        if let gosum { goSum = try readGoSum(gosum, mode: .go, context: "go: ") }
        let downloader = ModuleDownloader(
            cache: try environment.cache(), proxy: try environment.proxy(timeout: network.timeout, direct: true),
            checksumDatabase: try environment.checksumDatabase(offline: false, timeout: network.timeout),
            goSum: goSum, extract: true, writable: modcacherw || environment.modcacherw)
        let progress = ProgressLine()
        let total = parsed.count
        let requests = parsed
        let limit = max(1, jobs)
        // Downloads run concurrently (each version under its own lock file); results are printed
        // in argument order, as go prints them. When the deadline passes, none is started, and
        // each running one is cancelled and given `deadlineGrace` to remove its temporary
        // files; one still held by a request in flight past that is abandoned (the next
        // download of that version removes what it left, under its lock), so the command ends
        // within that bound after the deadline, whatever --timeout allows a request.
        let notVerified = ModuleCacheError(.deadlineExceeded, "not verified: deadline exceeded")
        let results = await withTaskGroup(of: (Int, Result<DownloadedModule, ModuleCacheError>?).self) { group in
            var next = 0
            var done = 0
            var running = 0
            var out = [Result<DownloadedModule, ModuleCacheError>?](repeating: nil, count: total)
            func add(_ i: Int) {
                running += 1
                let (path, query) = requests[i]
                group.addTask {
                    let result = await beforeDeadline(until, grace: Self.deadlineGrace) { () async -> Result<DownloadedModule, ModuleCacheError> in
                        do throws(ModuleCacheError) {
                            return .success(try await downloader.download(path: path, query: query))
                        } catch {
                            return .failure(error)
                        }
                    }
                    return (i, result)
                }
            }
            func expired() -> Bool { until.map { ContinuousClock.now >= $0 } ?? false }
            while next < min(limit, total) { add(next); next += 1 }
            while running > 0, let (i, answer) = await group.next() {
                running -= 1
                // A download cut short by the deadline is not verified, not failed; a finding
                // (mismatch, bad zip…) made before it stands.
                switch answer {
                case nil:
                    out[i] = .failure(notVerified)
                case .failure(let error) where expired() && !error.isSecurityFailure:
                    out[i] = .failure(notVerified)
                case let r?:
                    out[i] = r
                }
                done += 1
                if total > 1 { progress.show("gomodkit: downloaded \(done)/\(total)") }
                if !expired(), next < total { add(next); next += 1 }
            }
            return out.map { $0 ?? .failure(notVerified) }
        }
        progress.clear()
        var outcome = Outcome()
        for ((path, query), result) in zip(parsed, results) {
            switch result {
            case .success(let m):
                outcome.record(.clean)
                if json { Terminal.write(m.goJSON() + [0x0A]) }
                for w in m.warnings { Terminal.error("gomodkit: warning: \(terminalSafe(w))") }
            case .failure(let error):
                outcome.record(Verdict(error))
                if json {
                    let version = Semver.canonical(query) == query ? query : ""
                    Terminal.write(DownloadedModule.goErrorJSON(ModuleVersion(path: path, version: version),
                                                                query: version.isEmpty ? query : nil, error: error.message) + [0x0A])
                } else if error.code == .deadlineExceeded {
                    Terminal.error("go: \(terminalSafe(String(decoding: path.bytes, as: UTF8.self)))@\(terminalSafe(String(decoding: query.bytes, as: UTF8.self))): \(error.message)")
                } else {
                    Terminal.error("go: \(terminalSafe(error.message))")
                }
            }
        }
        try outcome.finish()
    }
}
