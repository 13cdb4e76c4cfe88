public import GoModCore
/// The verdict on one go.sum line checked against a checksum database.
public struct GoSumLineAudit: Sendable, Hashable {
    /// What the database said about the line.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// The authenticated record holds exactly this line.
        case verified
        /// The authenticated record holds another hash for this module version.
        case mismatch
        /// The database has no record of the module version (404/410, or a record without it).
        case missing
        /// GONOSUMDB/GOPRIVATE (or GOSUMDB=off) exempts the module: not checked.
        case skipped
        /// The line could not be checked (network, proof, signature or cache failure).
        case error
        /// The caller's deadline passed before the line was checked (its lookup had not
        /// finished, or had not started): neither verified nor refused.
        case notVerified
    }

    /// The go.sum line.
    public var record: GoSum.Record
    /// The verdict.
    public var status: Status
    /// The record id in the log, when the lookup succeeded.
    public var recordID: Int64?
    /// For ``Status/mismatch``: the hash the database records.
    public var databaseHash: ByteString?
    /// For ``Status/missing``, ``Status/skipped``, ``Status/error`` and ``Status/notVerified``:
    /// the failure.
    public var error: ChecksumDatabaseError?

    /// A verdict.
    public init(record: GoSum.Record, status: Status, recordID: Int64? = nil,
                databaseHash: ByteString? = nil, error: ChecksumDatabaseError? = nil) {
        self.record = record
        self.status = status
        self.recordID = recordID
        self.databaseHash = databaseHash
        self.error = error
    }

    /// Whether the verdict is a failure (``Status/mismatch``, ``Status/missing`` or ``Status/error``).
    public var failed: Bool { status == .mismatch || status == .missing || status == .error }
}

extension ChecksumDatabase {
    /// Checks every go.sum line against the database, at most `concurrency` module versions (records)
    /// looked up at once, until `deadline` (if any).
    ///
    /// cmd/go consults the database only for lines it is about to add; this checks lines that are
    /// already there. Each module version's record is fetched once (its `h1:` and `/go.mod`
    /// lines share one record), with full proof checking; a line is verified only when the
    /// authenticated record holds it byte for byte. The results come back in the order of
    /// `records`.
    ///
    /// When `deadline` passes, the lookups still running are cancelled, none is started, and
    /// every line whose module version had no answer yet is ``GoSumLineAudit/Status/notVerified``
    /// (error `ChecksumDatabaseError.Code.deadlineExceeded`); lines answered before it keep
    /// their verdicts.
    public nonisolated func audit(_ records: [GoSum.Record], concurrency: Int = 32,
                                  deadline: ContinuousClock.Instant? = nil) async -> [GoSumLineAudit] {
        // One unit of work per module version: its h1: and /go.mod lines share one record, so
        // the bound counts records fetched, not lines (the second lookup reuses the first fetch).
        var units: [(path: ByteString, versions: [ByteString])] = []
        var unitOf: [ModuleVersion: Int] = [:]
        var seen: Set<ModuleVersion> = []
        for record in records {
            let key = record.key
            guard seen.insert(key).inserted else { continue }
            let unitKey = ModuleVersion(path: record.path, version: record.moduleVersion)
            if let index = unitOf[unitKey] {
                units[index].versions.append(record.version)
            } else {
                unitOf[unitKey] = units.count
                units.append((record.path, [record.version]))
            }
        }
        typealias Outcome = Result<ChecksumDatabaseLookup, ChecksumDatabaseError>
        let limit = max(1, concurrency)
        if let deadline, ContinuousClock.now >= deadline { units.removeAll() }
        // Unstructured tasks, not a task group: a lookup shares its fetches with other callers
        // through tasks of the client's own (request deduplication), which cancelling the
        // lookup does not stop. At the deadline (or when the caller is cancelled) the collection
        // ends at once and the lookups still running are cancelled and left to finish on their
        // own, their answers dropped.
        let (answers, continuation) = AsyncStream.makeStream(of: (Int, [Outcome])?.self)
        var tasks: [Task<Void, Never>] = []
        var out = [[Outcome]?](repeating: nil, count: units.count)
        func add(_ index: Int) {
            let unit = units[index]
            tasks.append(Task {
                var results: [Outcome] = []
                for version in unit.versions {
                    do {
                        results.append(.success(try await self.lookup(ModuleVersion(path: unit.path, version: version))))
                    } catch let error as ChecksumDatabaseError {
                        results.append(.failure(error))
                    } catch {
                        results.append(.failure(ChecksumDatabaseError(.transport, "\(error)",
                                                                      module: "\(unit.path)@\(version)")))
                    }
                }
                continuation.yield((index, results))
            })
        }
        if let deadline, !units.isEmpty {
            // The timer: its nil answer ends the collection below.
            tasks.append(Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                continuation.yield(nil)
            })
        }
        await withTaskCancellationHandler {
            var next = 0
            while next < min(limit, units.count) { add(next); next += 1 }
            var running = next
            var iterator = answers.makeAsyncIterator()
            while running > 0, let answer = await iterator.next() {
                guard let (index, outcome) = answer else { break }
                out[index] = outcome
                running -= 1
                if next < units.count { add(next); next += 1; running += 1 }
            }
        } onCancel: {
            continuation.yield(nil)
        }
        for task in tasks { task.cancel() }
        continuation.finish()
        let outcomes = out
        var byKey: [ModuleVersion: Outcome] = [:]
        for (unit, results) in zip(units, outcomes) {
            guard let results else { continue }
            for (version, outcome) in zip(unit.versions, results) {
                byKey[ModuleVersion(path: unit.path, version: version)] = outcome
            }
        }

        return records.map { record in
            let key = record.key
            switch byKey[key] {
            case .success(let lookup):
                if lookup.lines.contains(ByteString(record.text)) {
                    return GoSumLineAudit(record: record, status: .verified, recordID: lookup.recordID)
                }
                let prefix = record.path + " " + record.version + " "
                let other = lookup.lines.first { $0.hasPrefix(prefix) }
                if let other {
                    return GoSumLineAudit(record: record, status: .mismatch, recordID: lookup.recordID,
                                          databaseHash: ByteString(Array(other.bytes.dropFirst(prefix.bytes.count))))
                }
                return GoSumLineAudit(record: record, status: .missing, recordID: lookup.recordID,
                                      error: ChecksumDatabaseError(.lookupMissingEntry,
                                                                   "checksum missing from sumdb response",
                                                                   module: "\(record.path)@\(record.version)"))
            case .failure(let error):
                let status: GoSumLineAudit.Status
                switch error.code {
                case .skipped, .disabled: status = .skipped
                case .notFound, .lookupMissingEntry: status = .missing
                default: status = .error
                }
                return GoSumLineAudit(record: record, status: status, error: error)
            case nil where deadline != nil:
                return GoSumLineAudit(record: record, status: .notVerified,
                                      error: ChecksumDatabaseError(.deadlineExceeded, module: String(decoding: (record.path + "@" + record.version).bytes, as: UTF8.self)))
            case nil:
                return GoSumLineAudit(record: record, status: .error,
                                      error: ChecksumDatabaseError(.transport, "lookup did not complete",
                                                                   module: "\(record.path)@\(record.version)"))
            }
        }
    }
}
