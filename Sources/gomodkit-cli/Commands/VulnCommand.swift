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

    @OptionGroup var directory: ProjectDirectoryArgument

    @Option(name: .customLong("db"), help: "A Go vulnerability database: directory, zip, file:// or https:// URL. Repeatable.")
    var databases: [String] = []

    @Option(help: "An OSV tree, flat directory or zip (ossf/malicious-packages). Repeatable.")
    var osv: [String] = []

    @Option(name: .customLong("go"), help: "The Go release for the standard library, e.g. go1.26.4 (default: go.mod's toolchain, else go directive).")
    var goVersion: String?

    @OptionGroup var modcache: ModuleCacheOption

    @Flag(help: "Never use the network (an https database is then an error).")
    var offline = false

    @OptionGroup var network: TimeoutOption<ShortTimeout>

    @OptionGroup var format: JSONOption

    @Flag(help: "Print SARIF 2.1.0.")
    var sarif = false

    func validate() throws {
        try checkReportFormat(json: format.json, sarif: sarif)
        if let goVersion, AdvisoryVersion.goTagToSemver(goVersion) == nil {
            throw ValidationError("--go \(goVersion): want a Go release such as go1.26.4")
        }
    }

    func run() async throws {
        let dir = try directory.resolve()
        let cache = try modcache.cache()
        var sources = databases.map { AdvisorySource.vulnDB(absoluteLocation($0)) } + osv.map { AdvisorySource.osv(absoluteLocation($0)) }
        if sources.isEmpty { sources = [AdvisorySource.defaultVulnDB(environment: ProcessInfo.processInfo.environment)] }

        let project: ProjectModules
        do throws(ModuleCacheError) { project = try ProjectModules.load(project: dir, cache: cache) } catch {
            throw CLIFailure.input(error.message)
        }
        let go = goVersion ?? project.goVersion
        let result: VulnerabilityScan.Result
        do throws(AdvisoryError) {
            result = try await VulnerabilityScan.run(modules: project.modules, goVersion: go, sources: sources,
                                                     transport: offline ? nil : DefaultHTTPTransport(timeout: network.timeout))
        } catch {
            throw CLIFailure.unverified("gomodkit vuln: \(terminalSafe(error.description))")
        }

        if sarif {
            var report = AuditReport(directory: dir)
            report.findings = ProjectAudit.findings(for: result)
            writeSARIF(report)
        } else if format.json {
            try Terminal.json(Output(result: result, goVersion: go, sources: sources.map(\.description), note: project.note))
        } else {
            print(render(result, goVersion: go, sources: sources, note: project.note), terminator: "")
        }
        if !result.incidents.isEmpty { throw CLIFailure.verification("") }
    }

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
