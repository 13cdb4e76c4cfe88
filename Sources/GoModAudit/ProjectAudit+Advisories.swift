public import GoModAdvisories
import GoModCore
import GoModFetch

extension ProjectAudit {
    /// The vulnerability check: the build list and the standard library against
    /// ``Options/advisorySources`` (``VulnerabilityScan``); skipped without sources.
    static func advisories(directory: String, goMod: GoMod?, where place: [ByteString: (file: String, line: Int)],
                           options: Options, into report: inout AuditReport) async {
        guard !options.advisorySources.isEmpty else {
            report.checks.append(.init(name: "vuln", status: .skipped, summary: "no advisory sources (--vulndb, --osv or gomodkit-audit.json)"))
            return
        }
        guard goMod != nil else {
            report.checks.append(.init(name: "vuln", status: .skipped, summary: "no usable go.mod"))
            return
        }
        let project: ProjectModules
        do throws(ModuleCacheError) {
            project = try ProjectModules.load(project: directory, cache: options.moduleCache)
        } catch {
            report.findings.append(AuditFinding(rule: .checkFailed, message: "vulnerability check: \(error.message)"))
            report.checks.append(.init(name: "vuln", status: .failed, summary: "could not list modules"))
            return
        }
        let goVersion = options.goVersion ?? project.goVersion
        let result: VulnerabilityScan.Result
        do throws(AdvisoryError) {
            result = try await VulnerabilityScan.run(modules: project.modules, goVersion: goVersion,
                                                     sources: options.advisorySources, transport: options.advisoryTransport)
        } catch {
            report.findings.append(AuditFinding(rule: .checkFailed, severity: .error, message: "vulnerability check: \(error.description)"))
            report.checks.append(.init(name: "vuln", status: .failed, summary: "an advisory source could not be read"))
            return
        }
        report.findings += findings(for: result).map { finding in
            // Point at the line naming the module (go.mod's require, else go.sum).
            var f = finding
            if let path = f.modulePath, let at = place[path] {
                f.file = at.file
                f.line = at.line
            }
            return f
        }
        var summary = "\(result.modulesScanned) module versions (stdlib at \(goVersion ?? "unknown Go")) against "
            + "\(options.advisorySources.count) advisory source\(options.advisorySources.count == 1 ? "" : "s"): "
            + "\(result.incidents.count) affected"
        if result.withdrawnIgnored > 0 { summary += ", \(result.withdrawnIgnored) withdrawn record\(result.withdrawnIgnored == 1 ? "" : "s") ignored" }
        if let note = project.note { summary += " (\(note))" }
        report.checks.append(.init(name: "vuln", status: result.incidents.isEmpty ? .passed : .failed, summary: summary))
    }

    /// One finding per incident: `AuditFinding/Rule/maliciousModule` when an advisory is an
    /// OSV `MAL-` record, `AuditFinding/Rule/knownVulnerability` otherwise. The message names
    /// the module version and every id; details give each advisory's summary, review status,
    /// ranges, fixed version and source.
    public static func findings(for result: VulnerabilityScan.Result) -> [AuditFinding] {
        result.incidents.map { incident in
            let malicious = incident.advisories.contains { $0.id.hasPrefix("MAL-") }
            var message = "\(incident.module)@\(incident.version): "
                + (malicious ? "known malicious module" : "known vulnerability")
                + " (\(incident.ids.joined(separator: ", ")))"
            message += incident.fixedVersion.map { "; fixed in \($0)" } ?? "; no fixed version"
            var details: [String] = []
            for a in incident.advisories {
                details.append("\(a.id): \(a.summary ?? "(no summary)") [\(a.reviewStatus)]")
                details.append("  affected: \(a.ranges.isEmpty ? "all versions" : a.ranges.joined(separator: "; "))"
                    + (a.fixedVersion.map { "; fixed in \($0)" } ?? ""))
                details.append("  source: \(a.source)" + (a.url.map { "; \($0)" } ?? ""))
            }
            return AuditFinding(rule: malicious ? .maliciousModule : .knownVulnerability, message: message,
                                modulePath: ByteString(incident.module), moduleVersion: ByteString(incident.version),
                                file: "go.mod", details: details)
        }
    }
}
