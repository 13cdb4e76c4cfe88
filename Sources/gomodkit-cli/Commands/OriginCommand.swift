import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit origin path@version… [--json]`: the cheap upstream check — the proxy's `.info`
/// Origin against the repository's refs now, with no clone (Docs/origin.md).
struct OriginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "origin",
        abstract: "Check the proxy's recorded origin of module versions against their repositories' refs now.",
        discussion: """
            For each path@version: the .info answer from GOPROXY (or --proxy), the repository found \
            as 'go' finds it with GOPROXY=direct (static hosts, .git qualifiers, ?go-get=1 \
            discovery; GOINSECURE, GOVCS, GOPRIVATE apply), one 'git ls-remote' per repository, \
            and a verdict: consistent, hash-only-present, ref-moved, ref-deleted, origin-moved, \
            hash-only-absent, no-origin, non-specific, origin-unverifiable, could-not-verify. \
            git runs with your git configuration (url.<base>.insteadOf applies) and never prompts. \
            Exit status: 0 every version consistent, 1 a moved or deleted ref or a moved origin, \
            2 bad usage, 3 could not verify (unreachable repository, unresolvable path, no \
            Origin or only a hash no ref names: a rebuild is needed to decide).
            """
    )

    @Argument(help: "Module versions, path@version.")
    var modules: [String] = []

    @Option(help: "A GOPROXY base URL to read .info from (default: the first proxy of GOPROXY).")
    var proxy: String?

    @OptionGroup var network: TimeoutOption<LongTimeout>

    @Option(help: "Most modules checked at once.")
    var jobs: Int = 8

    @Flag(help: "Print one JSON object per module.")
    var json = false

    @Flag(help: "Rebuild the module zip from the repository where the ref check is not conclusive (or moved), and compare its h1: with the checksum database's (or --gosum's).")
    var rebuild = false

    @Option(help: "A go.sum file giving the recorded h1: hashes for --rebuild (default: the checksum database).")
    var gosum: String?

    /// The JSON shape of one result.
    struct Output: Encodable {
        var Path: String
        var Version: String
        var Verdict: String
        var Message: String
        var Repository: String?
        var Root: String?
        var VCS: String?
        var Subdir: String?
        var Ref: String?
        var RecordedHash: String?
        var CurrentHash: String?
        var Origin: ModuleOrigin?
        var Content: ContentCheck?
    }

    func run() async throws {
        guard !modules.isEmpty else { throw CLIFailure.input("gomodkit origin: no modules specified (want path@version)") }
        var versions: [ModuleVersion] = []
        for m in modules {
            let module = try moduleVersionArgument(m, shown: terminalSafe(m))
            do { try module.check() } catch { throw CLIFailure.input("go: \(terminalSafe(error.description))") }
            versions.append(module)
        }
        let environment = try GoEnvironment.forCommand()
        let client: ModuleProxyClient
        if let proxy {
            do {
                client = ModuleProxyClient(configuration: try ModuleProxyConfiguration.parse(goproxy: proxy),
                                           transport: DefaultHTTPTransport(timeout: network.timeout))
            } catch { throw CLIFailure.input("go: \(error)") }
        } else {
            client = try environment.proxy(timeout: network.timeout)
        }
        let resolver = try environment.repositoryResolver(timeout: network.timeout)
        let lister = GitRefLister()
        let checker = OriginChecker(info: { try await client.info($0) }, resolver: resolver, lister: lister,
                                    parallelism: jobs)
        let results = await checker.check(versions)
        var contents: [ContentCheck?] = Array(repeating: nil, count: results.count)
        if rebuild {
            let tier = try rebuildTier(environment)
            for (i, result) in results.enumerated() { contents[i] = await OriginChecker.rebuild(result, tier: tier) }
        }
        var outcome = Outcome()
        for (result, content) in zip(results, contents) {
            let verdict = result.verdict
            switch content?.outcome {
            case .consistent?, .benignRetag?: outcome.record(.clean)
            case .refMoved?, .contentDiverges?: outcome.record(.finding)
            case .notRebuilt?, nil:
                if verdict.kind.isFinding { outcome.record(.finding) }
                else if verdict.kind.isClean || verdict.kind == .tagsChanged || verdict.kind == .refsChanged { outcome.record(.clean) }
                else { outcome.record(.unverified) }
            }
            if json {
                try Terminal.json(Output(
                    Path: result.module.path.utf8String ?? result.module.path.description,
                    Version: result.module.version.utf8String ?? result.module.version.description,
                    Verdict: verdict.kind.rawValue, Message: verdict.message, Repository: result.repository?.repoURL,
                    Root: result.repository?.root, VCS: result.repository?.vcs, Subdir: result.codeDir, Ref: verdict.ref,
                    RecordedHash: verdict.recordedHash, CurrentHash: verdict.currentHash, Origin: result.origin,
                    Content: content))
            } else {
                var line = "\(terminalSafe(result.module.description)): \(verdict.kind.rawValue)"
                if !verdict.message.isEmpty { line += ": \(terminalSafe(verdict.message))" }
                if let repo = result.repository?.repoURL, verdict.kind != .couldNotVerify || verdict.repoURL != nil {
                    line += " (\(terminalSafe(repo)))"
                }
                if let content {
                    line += "\n\trebuilt: \(content.outcome.rawValue) (recorded \(content.expected))"
                    for r in content.rebuilt {
                        line += "\n\t  \(r.candidate) \(r.commit.isEmpty ? "-" : r.commit): "
                            + (r.error.map { terminalSafe($0) } ?? "\(r.hash)\(r.matches ? " (matches)" : "")")
                    }
                }
                Terminal.write(Array((line + "\n").utf8))
            }
        }
        if !json {
            let listings = await lister.runCount
            let pages = await resolver.pageCount
            Terminal.error("\(results.count) module version(s), \(listings) repository listing(s), \(pages) discovery page(s)")
        }
        try outcome.finish()
    }

    /// The rebuild tier over the module cache's VCS directory, with the recorded hashes from
    /// --gosum or the checksum database.
    private func rebuildTier(_ environment: GoEnvironment) throws(CLIFailure) -> OriginChecker.RebuildTier {
        let modcache = environment.gomodcache
        guard !modcache.isEmpty else { throw CLIFailure.input("go: GOMODCACHE is not set and GOPATH is empty") }
        let rebuilder = UpstreamRebuilder(modcache: modcache)
        if let gosum {
            let sums = try readGoSum(gosum)
            return OriginChecker.RebuildTier(expectedHash: { module in
                sums.hashes(for: module, goMod: false).first?.utf8String
            }, rebuilder: rebuilder)
        }
        let database = try environment.checksumDatabase(offline: false, timeout: network.timeout)
        return OriginChecker.RebuildTier(expectedHash: { module in
            guard let database, let lookup = try? await database.lookup(module) else { return nil }
            return lookup.zipHash
        }, rebuilder: rebuilder)
    }
}
