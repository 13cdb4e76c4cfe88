import GoModCore
import GoModFetch
import GoModZip
import GoModSupplyChain

extension ProjectAudit {
    /// The capability check for dependency updates: for each module whose version in go.sum
    /// differs from ``Options/baseGoSum``, both versions' zips from the module cache are
    /// analysed (``Capabilities``) and each package that gains a capability (or an `init`) is
    /// a ``AuditFinding/Rule/capabilityGained`` finding — the review comment a team wants on a
    /// dependency-update pull request. Skipped without a base go.sum.
    static func capabilityChanges(goSum: GoSum?, where place: [ByteString: (file: String, line: Int)],
                                  options: Options, into report: inout AuditReport) {
        guard let base = options.baseGoSum else {
            report.checks.append(.init(name: "caps", status: .skipped, summary: "no base go.sum (--base)"))
            return
        }
        guard let goSum else {
            report.checks.append(.init(name: "caps", status: .skipped, summary: "no go.sum"))
            return
        }
        guard let cache = options.moduleCache else {
            report.checks.append(.init(name: "caps", status: .skipped, summary: "no module cache to read zips from"))
            return
        }
        // The highest zip version per path on each side (go.sum may hold several).
        func versions(_ sums: GoSum) -> [ByteString: (ByteString, Int)] {
            var out: [ByteString: (ByteString, Int)] = [:]
            for r in sums.records where !r.isGoMod {
                if let v = out[r.path], Semver.compare(v.0, r.version) >= 0 { continue }
                out[r.path] = (r.version, r.line)
            }
            return out
        }
        let before = versions(base), after = versions(goSum)
        var updated = 0, gained = 0, unreadable = 0
        for path in after.keys.sorted() {
            guard let new = after[path] else { continue }
            let old = before[path]
            if let old, old.0 == new.0 { continue }
            updated += 1
            let newVersion = ModuleVersion(path: path, version: new.0)
            func load(_ m: ModuleVersion) -> Capabilities.Report? {
                guard let zipPath = try? cache.cachePath(m, "zip"),
                      let zip = readSmallFile(zipPath, limit: Int(ModuleZip.maxZipFile)) else { return nil }
                return try? Capabilities.analyze(zip: zip, subject: zipPath)
            }
            // A zip that cannot be read: a warning on the new version's go.sum line.
            func notCompared(_ message: String) {
                unreadable += 1
                report.findings.append(AuditFinding(rule: .checkFailed, severity: .warning, message: message,
                                                    modulePath: path, moduleVersion: new.0, file: "go.sum", line: new.1))
            }
            guard let newReport = load(newVersion) else {
                notCompared("\(newVersion): not in the module cache (or not a readable module zip); capabilities not compared")
                continue
            }
            var oldReport = Capabilities.Report(module: String(decoding: path.bytes, as: UTF8.self), version: nil, packages: [])
            if let old {
                let oldVersion = ModuleVersion(path: path, version: old.0)
                guard let r = load(oldVersion) else {
                    notCompared("\(oldVersion) (base): not in the module cache; capabilities of \(newVersion) not compared")
                    continue
                }
                oldReport = r
            }
            let changes = Capabilities.diff(old: oldReport, new: newReport).filter { !$0.added.isEmpty }
            guard !changes.isEmpty else { continue }
            gained += 1
            var details: [String] = []
            for c in changes {
                let pkg = c.directory.isEmpty ? String(decoding: path.bytes, as: UTF8.self) : "\(String(decoding: path.bytes, as: UTF8.self))/\(c.directory)"
                details.append("\(pkg): " + c.added.map { "+" + $0 }.joined(separator: " ") + (c.isNewPackage ? " (new package)" : ""))
                for cap in c.added { details.append("    \(cap): " + (c.reasons[cap] ?? []).map(\.description).joined(separator: "; ")) }
            }
            let forbidden = Set(changes.flatMap(\.added)).filter { gainedName in
                options.policy.forbidCapabilities.contains { Policy.capability($0, names: gainedName) }
            }.sortedByBytes()
            if !forbidden.isEmpty {
                report.findings.append(AuditFinding(
                    rule: .policyForbiddenCapability,
                    message: "\(newVersion) gains \(forbidden.joined(separator: ", ")), which policy forbidCapabilities forbids",
                    modulePath: path, moduleVersion: new.0, file: "go.sum", line: new.1))
            }
            let from = old.map { String(decoding: $0.0.bytes, as: UTF8.self) } ?? "(not in base)"
            report.findings.append(AuditFinding(
                rule: .capabilityGained,
                message: "\(String(decoding: path.bytes, as: UTF8.self)) \(from) → \(String(decoding: new.0.bytes, as: UTF8.self)) gains "
                    + Set(changes.flatMap(\.added)).sortedByBytes().joined(separator: ", "),
                modulePath: path, moduleVersion: new.0, file: "go.sum", line: new.1, details: details))
        }
        report.checks.append(.init(
            name: "caps", status: gained == 0 && unreadable == 0 ? .passed : .failed,
            summary: "\(updated) module\(updated == 1 ? "" : "s") changed against the base go.sum, \(gained) gained capabilities, \(unreadable) not compared"))
    }
}
