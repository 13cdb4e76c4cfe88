import GoModCore
import GoModZip
import GoModFetch
import GoModVCS
public import GoModOrigin
import GoModSupplyChain
import GoModPlatform

extension ProjectAudit {
    /// The audit's upstream check for modules whose repository nobody gave (Docs/origin.md):
    /// the repository found as `go` finds it with `GOPROXY=direct`, the module cache's `.info`
    /// Origin against one `git ls-remote` per repository, and — where that is not conclusive
    /// (no Origin, hash-only, a moved or deleted tag, a moved origin) — the divergence check
    /// against a shallow fetch into cmd/go's VCS cache.
    public struct UpstreamCheck: Sendable {
        /// Module path → repository.
        public var resolver: RepositoryResolver
        /// One ref listing per repository.
        public var lister: GitRefLister
        /// The VCS cache the rebuilds fetch into.
        public var rebuilder: UpstreamRebuilder
        /// Most modules checked at once (at least 1). Modules of one repository share its one
        /// listing (`GitRefLister`); fetches into one VCS-cache repository are serialised by
        /// the rebuilder.
        public var parallelism: Int
        /// Called after each module with (done, total), from any task: a progress line.
        public var progress: (@Sendable (Int, Int) -> Void)?

        /// A check.
        public init(resolver: RepositoryResolver, lister: GitRefLister, rebuilder: UpstreamRebuilder,
                    parallelism: Int = 4, progress: (@Sendable (Int, Int) -> Void)? = nil) {
            self.resolver = resolver
            self.lister = lister
            self.rebuilder = rebuilder
            self.parallelism = parallelism
            self.progress = progress
        }

        /// Checks `records` with at most ``parallelism`` at once; the findings are added in the
        /// order of `records` (go.sum order), whatever order the checks finish in. Answers, per
        /// record, `nil` when its origin is consistent, else why not (the `requireOrigin` gate).
        func check(_ records: [GoSum.Record], options: Options, tally: inout Tally, into report: inout AuditReport) async -> [String?] {
            guard !records.isEmpty else { return [] }
            let limit = max(1, parallelism)
            let results = await withTaskGroup(of: (Int, Tally, [AuditFinding], String?).self) { group in
                var out = [(Tally, [AuditFinding], String?)?](repeating: nil, count: records.count)
                var next = 0, done = 0
                func add(_ i: Int) {
                    group.addTask {
                        var partial = Tally()
                        var scratch = AuditReport(directory: "")
                        let reason = await self.check(records[i], options: options, tally: &partial, into: &scratch)
                        return (i, partial, scratch.findings, reason)
                    }
                }
                while next < min(limit, records.count) { add(next); next += 1 }
                while let (i, partial, findings, reason) = await group.next() {
                    out[i] = (partial, findings, reason)
                    done += 1
                    progress?(done, records.count)
                    if next < records.count { add(next); next += 1 }
                }
                return out
            }
            var reasons: [String?] = []
            for case let (partial, findings, reason)? in results {
                tally.add(partial)
                report.findings += findings
                reasons.append(reason)
            }
            return reasons
        }

        /// Counts for the `origin` check line.
        struct Tally {
            var consistent = 0, rebuilt = 0, diverged = 0, unverified = 0, notCached = 0
            var total: Int { consistent + rebuilt + unverified + notCached }

            mutating func add(_ other: Tally) {
                consistent += other.consistent; rebuilt += other.rebuilt; diverged += other.diverged
                unverified += other.unverified; notCached += other.notCached
            }

            var check: AuditReport.Check {
                let failed = diverged > 0 || unverified > 0 || notCached > 0
                return .init(name: "origin", status: total == 0 ? .skipped : (failed ? .failed : .passed),
                             summary: total == 0 ? "every module's repository was given (--git)"
                                : "\(plural(total, "module")) checked against \(total == 1 ? "its repository" : "their repositories"): \(consistent) consistent by their refs, \(rebuilt) rebuilt, \(diverged) diverged, \(unverified) could not be verified, \(notCached) not in the cache")
            }
        }

        /// The module cache's `.info` Origin, if any.
        private struct CachedInfo: Decodable {
            var Origin: ModuleOrigin?
        }

        /// Checks one module; answers `nil` when its origin verdict is consistent, else why not
        /// (for the `requireOrigin` gate).
        @discardableResult
        func check(_ record: GoSum.Record, options: Options, tally: inout Tally, into report: inout AuditReport) async -> String? {
            let module = record.key
            let subject = "\(safeText(module.path.bytes))@\(safeText(module.version.bytes))"
            func unverified(_ message: String, details: [String] = []) -> String {
                defer { tally.unverified += 1 }
                report.findings.append(AuditFinding(rule: .checkFailed, severity: .warning,
                                                    message: "\(subject): could not verify against its repository: \(message)",
                                                    modulePath: record.path, moduleVersion: record.version,
                                                    file: "go.sum", line: record.line, details: details))
                return "could not verify: \(message)"
            }
            guard let cache = options.moduleCache, let zipPath = try? cache.cachePath(module, "zip"),
                  let zip = readSmallFile(zipPath, limit: Int(ModuleZip.maxZipFile)) else {
                tally.notCached += 1
                report.findings.append(AuditFinding(
                    rule: .checkFailed, severity: .warning,
                    message: "\(subject): not in the module cache; not checked against its repository",
                    modulePath: record.path, moduleVersion: record.version, file: "go.sum", line: record.line))
                return "not in the module cache; not checked"
            }
            var infoData: [UInt8]? = nil
            var origin: ModuleOrigin? = nil
            if let infoPath = try? cache.cachePath(module, "info"), let data = readSmallFile(infoPath, limit: Divergence.maxInfoSize) {
                infoData = data
                origin = (try? JSONDecoder().decode(CachedInfo.self, from: Data(data)))?.Origin
            }
            let path = module.path.utf8String ?? ""
            let root: RepoRoot
            do throws(OriginError) { root = try await resolver.resolve(path) } catch { return unverified(error.message) }
            guard root.vcs == "git" else {
                return unverified(OriginVerdict.evaluate(origin: origin, version: module.version, root: root,
                                                         location: ModuleLocation(codeDir: "", pathMajor: ""), listing: nil).message)
            }
            let location: ModuleLocation
            do throws(OriginError) { location = try ModuleLocation(modulePath: path, root: root) } catch {
                return unverified(error.message)
            }
            var listing: RefListing? = nil
            if origin?.isCheckable ?? false {
                do throws(OriginError) { listing = try await lister.list(root.repoURL) } catch { return unverified(error.message) }
            }
            let verdict = OriginVerdict.evaluate(origin: origin, version: module.version, root: root, location: location,
                                                 listing: listing)
            if verdict.kind.isClean {
                tally.consistent += 1
                return nil
            }
            let reason = "\(verdict.kind.rawValue): \(verdict.message)"
            // The rebuild: the recorded commit (when the proxy named one) and the tag now, fetched
            // shallowly into cmd/go's VCS cache; then the divergence check with its diff.
            let originLine = "origin check: \(verdict.kind.rawValue): \(verdict.message) (\(root.repoURL))"
            var notes: [String] = [originLine]
            let source: ModuleZip.GitSource
            do throws(OriginError) {
                let checkout = try await rebuilder.checkout(module, root: root, location: location, recordedCommit: origin?.hash,
                                                            tagDeleted: verdict.kind == .refDeleted)
                var checked = checkout.source
                checked.git = options.git
                source = checked
                notes += checkout.notes
            } catch {
                if let hash = origin?.hash, !hash.isEmpty {
                    notes.append("the recorded commit \(hash) could not be fetched (no ref reaches it?): \(error.message)")
                }
                return unverified(error.message, details: notes)
            }
            let info = infoData.flatMap { try? Divergence.Info.parse($0, expectedVersion: record.version, subject: "\(module).info") }
            do {
                let result = try Divergence.compare(module, mirrorZip: zip, info: info, source: source,
                                                    recordedHash: record.dirHash)
                tally.rebuilt += 1
                if var finding = ProjectAudit.finding(for: result, record: record) {
                    if finding.severity >= .warning { tally.diverged += 1 }
                    finding.details = notes + finding.details
                    report.findings.append(finding)
                } else if verdict.kind == .refMoved || verdict.kind == .refDeleted || verdict.kind == .originMoved {
                    report.findings.append(AuditFinding(rule: .tagMoved, severity: .note,
                                                        message: "\(subject): \(verdict.message), but the module rebuilt from the repository matches the mirror",
                                                        modulePath: record.path, moduleVersion: record.version,
                                                        file: "go.sum", line: record.line, details: notes))
                }
            } catch {
                _ = unverified(error.description, details: notes)
            }
            return reason
        }
    }
}
