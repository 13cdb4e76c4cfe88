import ArgumentParser
import GoModPlatform
import GoModKit

/// `gomodkit vuln [DIR]`: the project's build list and standard library against advisory
/// databases, module level like `govulncheck -scan module` (thin over ``VulnerabilityScan``).
struct VulnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vuln",
        abstract: "Match a Go project's modules and Go version against the Go vulnerability database and OSV data.",
        discussion: """
            Every module of the build list (read from go.mod files in the module cache; go.mod's \
            requirements alone when the cache lacks them) and the standard library at the \
            go.mod toolchain/go version are matched against each source, as govulncheck \
            -scan module does. --db takes a Go vulnerability database: a directory, its zip \
            form, a file:// or https:// URL (default: $GOVULNDB, else https://vuln.go.dev, \
            unless --osv is given). --osv takes an OSV tree such as an ossf/malicious-packages \
            checkout (or a flat directory or zip of OSV records). Exit status: 0 nothing \
            affected, 1 an advisory matched, 2 bad usage or unreadable go.mod, 3 an advisory \
            source could not be read.
            """)

    @Argument(help: "The project directory (default: the current directory).")
    var directory: String = "."

    @Option(name: .customLong("db"), help: "A Go vulnerability database: directory, zip, file:// or https:// URL. Repeatable.")
    var databases: [String] = []

    @Option(help: "An OSV tree, flat directory or zip (ossf/malicious-packages). Repeatable.")
    var osv: [String] = []

    @Option(name: .customLong("go"), help: "The Go release for the standard library, e.g. go1.26.4 (default: go.mod's toolchain, else go directive).")
    var goVersion: String?

    @Option(help: "The module cache (default: $GOMODCACHE, else GOPATH/pkg/mod).")
    var modcache: String?

    @Flag(help: "Never use the network (an https database is then an error).")
    var offline = false

    @Option(help: "Network timeout in seconds.")
    var timeout: Double = 30

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print SARIF 2.1.0.")
    var sarif = false

    /// Exit code when an advisory source cannot be read.
    static let couldNotVerify: Int32 = 3

    func validate() throws {
        if json && sarif { throw ValidationError("give at most one of --json and --sarif") }
        if let goVersion, AdvisoryVersion.goTagToSemver(goVersion) == nil {
            throw ValidationError("--go \(goVersion): want a Go release such as go1.26.4")
        }
    }

    func run() async throws {
        let dir = try projectDirectory(directory)
        var environment = try GoEnvironment.forCommand()
        if let modcache { environment.set("GOMODCACHE", absolutePath(modcache)) }
        var sources = databases.map { AdvisorySource.vulnDB(Self.location($0)) } + osv.map { AdvisorySource.osv(Self.location($0)) }
        if sources.isEmpty { sources = [AdvisorySource.defaultVulnDB(environment: ProcessInfo.processInfo.environment)] }

        let cache = try? environment.moduleCache()
        let project: ProjectModules
        do throws(ModuleCacheError) { project = try ProjectModules.load(project: dir, cache: cache) } catch {
            throw CLIFailure.input(error.message)
        }
        let go = goVersion ?? project.goVersion
        let result: VulnerabilityScan.Result
        do throws(AdvisoryError) {
            result = try await VulnerabilityScan.run(modules: project.modules, goVersion: go, sources: sources,
                                                     transport: offline ? nil : DefaultHTTPTransport(timeout: timeout))
        } catch {
            throw CLIFailure(code: Self.couldNotVerify, message: "gomodkit vuln: \(terminalSafe(error.description))")
        }

        if sarif {
            var report = AuditReport(directory: dir)
            report.findings = ProjectAudit.findings(for: result)
            try? writeFully(1, Array(report.sarif()))
            print()
        } else if json {
            try Terminal.json(Output(result: result, goVersion: go, sources: sources.map(\.description), note: project.note))
        } else {
            print(render(result, goVersion: go, sources: sources, note: project.note), terminator: "")
        }
        if !result.incidents.isEmpty { throw CLIFailure.verification("") }
    }

    /// A path made absolute; URLs as they are.
    static func location(_ s: String) -> String { s.contains("://") ? s : absolutePath(s) }

    func render(_ result: VulnerabilityScan.Result, goVersion: String?, sources: [AdvisorySource], note: String?) -> String {
        var out = ""
        for incident in result.incidents {
            let malicious = incident.advisories.contains { $0.id.hasPrefix("MAL-") }
            out += "\(terminalSafe(incident.module))@\(terminalSafe(incident.version)): \(malicious ? "MALICIOUS" : "vulnerable") — \(terminalSafe(incident.ids.joined(separator: ", ")))\n"
            for a in incident.advisories {
                out += "    \(terminalSafe(a.id)): \(terminalSafe(a.summary ?? "(no summary)")) [\(terminalSafe(a.reviewStatus))]\n"
                out += "      affected: \(terminalSafe(a.ranges.isEmpty ? "all versions" : a.ranges.joined(separator: "; ")))\n"
                out += "      fixed in: \(terminalSafe(a.fixedVersion ?? "N/A"))\n"
                out += "      source:   \(terminalSafe(a.source))\(a.url.map { "; " + terminalSafe($0) } ?? "")\n"
            }
        }
        if !result.incidents.isEmpty { out += "\n" }
        if let note { out += "note: \(terminalSafe(note))\n" }
        out += "\(result.modulesScanned) module versions (stdlib at \(terminalSafe(goVersion ?? "unknown"))) against "
            + "\(terminalSafe(sources.map(\.description).joined(separator: ", "))): "
        out += result.incidents.isEmpty ? "no advisories apply\n" : "\(result.incidents.count) affected\n"
        return out
    }

    /// The JSON output.
    struct Output: Encodable {
        var goVersion: String?
        var sources: [String]
        var modulesScanned: Int
        var withdrawnIgnored: Int
        var note: String?
        var incidents: [VulnerabilityScan.Incident]

        init(result: VulnerabilityScan.Result, goVersion: String?, sources: [String], note: String?) {
            self.goVersion = goVersion
            self.sources = sources
            modulesScanned = result.modulesScanned
            withdrawnIgnored = result.withdrawnIgnored
            self.note = note
            incidents = result.incidents
        }
    }
}
