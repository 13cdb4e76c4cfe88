import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit diverge path@version [--git REPO] (--zip FILE | --proxy URL)`: compare a mirror's
/// zip with the zip rebuilt from the repository's tag today; without `--git` the repository is
/// found as `go` finds it (Docs/origin.md).
struct Diverge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diverge",
        abstract: "Compare a mirror's module zip with the zip rebuilt from the git tag today.",
        discussion: ExitStatus.discussion("""
            First the cheap check: the .info Origin commit (from --info or the proxy) against the \
            commit the tag names now. Then the zip is rebuilt from the tag with cmd/go's rules and \
            the h1: hashes are compared; when they differ, the changed files are listed with \
            their SHA-256 and classified (watched imports, init() functions, directives, cgo, \
            binaries, encoded blobs). Without --git the module's repository is resolved as go \
            does with GOPROXY=direct (GOINSECURE, GOVCS, GOPRIVATE apply) and the tag and the \
            recorded commit are fetched shallowly into go's VCS cache under GOMODCACHE; --git \
            overrides it with a repository directory or a git bundle file (cloned to a \
            temporary directory). Any divergence exits 1 (benign retags included, so that \
            scripts notice), and so does a tag deleted upstream; a proxy or repository that \
            cannot be reached, a path that cannot be resolved, or a version the proxy does not \
            have exits 3.
            """)
    )

    @Argument(help: "The module version, path@version.")
    var module: String

    @Option(help: "The upstream git repository (a directory or a git bundle); default: resolved from the module path.")
    var git: String?

    @Option(help: "Network timeout in seconds (repository resolution).")
    var timeout: Double = 60

    @Option(help: "The mirror's zip on disk.")
    var zip: String?

    @Option(help: "A GOPROXY base URL (https://, http:// or file://) to fetch .info and .zip from.")
    var proxy: String?

    @Option(help: "The mirror's .info file (overrides the proxy's).")
    var info: String?

    @Option(help: "With --git: the module's directory in the repository (default: the root).")
    var subdir: String = ""

    @Option(help: "The expected h1: hash (go.sum or checksum database).")
    var h1: String?

    @OptionGroup var format: JSONOption

    func validate() throws {
        guard (zip == nil) != (proxy == nil) else { throw ValidationError("give exactly one of --zip FILE and --proxy URL") }
        if git == nil && !subdir.isEmpty {
            throw ValidationError("--subdir applies to --git only (the module's directory in its own repository is resolved)")
        }
        // A version Go rejects (`invalid module version`) is reported by run with Go's text.
        if let split = try? ModuleVersion.parse(argument: module), !split.hasVersion {
            throw ValidationError("\(module): want path@version")
        }
        if let h1, DirHash(h1) == nil { throw ValidationError("--h1 \(h1): not a canonical h1: hash") }
    }

    func run() async throws {
        // cmd/go's modload.ParsePathVersion: split at the first "@".
        let version: ModuleVersion
        do {
            let split = try ModuleVersion.parse(argument: module)
            guard split.hasVersion else { throw CLIFailure.input("\(module): want path@version") }
            version = split.module
        } catch let error as ModulePathError { throw CLIFailure.input("go: \(error)") }

        // The mirror.
        var mirror: Divergence.Mirror
        var fromNetwork = false
        do {
            if let zip {
                mirror = Divergence.Mirror(zip: try Divergence.readFile(zip, limit: Int(ModuleZip.maxZipFile)), info: nil)
            } else {
                guard let proxy, let url = URL(string: proxy) else { throw CLIFailure.input("--proxy: not a URL") }
                fromNetwork = true
                mirror = try await Divergence.fetch(version, proxy: url, transport: DefaultHTTPTransport())
                fromNetwork = false
            }
            if let info {
                mirror.info = try Divergence.Info.parse(try Divergence.readFile(info, limit: Divergence.maxInfoSize),
                                                        expectedVersion: version.version, subject: info)
            }
        } catch let error as DivergenceError {
            throw CLIFailure(code: Verdict(error, fromNetwork: fromNetwork).status.rawValue,
                             message: terminalSafe(error.description))
        }

        // The upstream repository: --git (a directory, or a bundle cloned to a temporary
        // directory), else the module's own repository in go's VCS cache.
        let source: ModuleZip.GitSource
        var temporary: String?
        var notes: [String] = []
        var tagDeleted = false
        if let git {
            let repository: String
            do {
                (repository, temporary) = try Divergence.openRepository(git)
            } catch {
                throw CLIFailure.input(error.code == .io ? "--git \(error.description)" : error.description)
            }
            source = ModuleZip.GitSource(repository: repository, directory: ByteString(subdir))
        } else {
            (source, notes, tagDeleted) = try await upstream(version, recordedCommit: mirror.info?.origin?.hash)
        }
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }

        let report: Divergence.Report
        do {
            report = try Divergence.compare(version, mirrorZip: mirror.zip, info: mirror.info, source: source,
                                            recordedHash: h1.flatMap(DirHash.init))
        } catch {
            throw CLIFailure(code: Verdict(error, fromNetwork: proxy != nil).status.rawValue,
                             message: terminalSafe(error.description))
        }
        if format.json {
            try Terminal.json(report)
        } else {
            try? writeFully(1, Array(terminalSafe(Self.render(report)).utf8))
            for note in notes { try? writeFully(1, Array(terminalSafe("note: \(note)\n").utf8)) }
        }
        var outcome = Outcome()
        outcome.record(Verdict(report))
        // A tag deleted upstream is a finding even when the recorded commit rebuilds the mirror's zip.
        if tagDeleted { outcome.record(.finding) }
        try outcome.finish()
    }

    /// The module's repository resolved as go does, its refs listed once, and the tag and the
    /// recorded commit fetched into go's VCS cache (`UpstreamRebuilder.checkout`). Resolution,
    /// listing or fetch failures exit 3.
    func upstream(_ module: ModuleVersion, recordedCommit: String?) async throws
        -> (source: ModuleZip.GitSource, notes: [String], tagDeleted: Bool) {
        let environment = try GoEnvironment.forCommand()
        let resolver = try environment.repositoryResolver(timeout: timeout)
        let path = module.path.utf8String ?? ""
        let couldNotVerify = ExitStatus.unverified.rawValue
        let root: RepoRoot, location: ModuleLocation, listing: RefListing
        do throws(OriginError) {
            root = try await resolver.resolve(path)
            guard root.vcs == "git" else {
                throw OriginError(.unsupportedVCS, subject: path,
                                  message: "\(path): the repository \(root.repoURL) is \(root.vcs), not git: not verified")
            }
            location = try ModuleLocation(modulePath: path, root: root)
            listing = try await GitRefLister().list(root.repoURL)
        } catch {
            throw CLIFailure(code: couldNotVerify, message: terminalSafe("go: \(module): \(error.message)"))
        }
        var tagDeleted = false
        var notes: [String] = []
        if let tag = location.tag(for: module.version), listing.refs[ByteString("refs/tags/\(tag)")] == nil {
            tagDeleted = true
            notes.append("tag \(tag) is not in \(root.repoURL) any more")
        }
        let rebuilder = UpstreamRebuilder(modcache: environment.gomodcache)
        do throws(OriginError) {
            let checkout = try await rebuilder.checkout(module, root: root, location: location, recordedCommit: recordedCommit,
                                                        tagDeleted: tagDeleted)
            if tagDeleted && checkout.source.revision == nil {
                throw OriginError(.listingFailed, subject: path,
                                  message: "tag \(location.tag(for: module.version) ?? "") was deleted from \(root.repoURL) and the mirror records no commit to compare with")
            }
            return (checkout.source, notes + checkout.notes, tagDeleted)
        } catch {
            // A deleted tag with nothing to rebuild is still a finding.
            throw CLIFailure(code: tagDeleted ? CLIFailure.verificationFailed : couldNotVerify,
                             message: terminalSafe("go: \(module): \(error.message)"))
        }
    }

    /// The human-readable report.
    static func render(_ report: Divergence.Report) -> String {
        var out = "\(report.module): \(report.verdict.rawValue) (severity \(report.severity.rawValue))\n"
        out += "  origin commit: \(report.originCommit ?? "(none recorded)")\n"
        out += "  tag commit:    \(report.tagCommit)\(report.tagMoved == true ? "  (tag moved)" : "")\n"
        out += "  mirror zip:    \(report.mirrorHash)\n"
        out += "  rebuilt zip:   \(report.upstreamHash)\n"
        if let recorded = report.recordedHash { out += "  recorded:      \(recorded)\n" }
        if !report.changes.isEmpty {
            out += "files (mirror vs tag):\n"
            for change in report.changes {
                let mark = switch change.kind { case .added: "A"; case .removed: "D"; case .changed: "M" }
                out += "  \(mark) \(change.path.utf8String ?? change.path.description)  [\(change.note)]\(change.isHarmless ? " (harmless)" : "")\n"
                if let m = change.mirrorSHA256 { out += "      mirror sha256 \(m)\n" }
                if let u = change.upstreamSHA256 { out += "      tag    sha256 \(u)\n" }
            }
        }
        if !report.signals.isEmpty {
            out += "red flags in the mirror's copy:\n"
            for signal in report.signals { out += "  \(signal.kind.rawValue): \(signal)\n" }
        }
        for sentence in report.explanation { out += sentence + "\n" }
        return out
    }
}
