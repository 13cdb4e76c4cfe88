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
    }

    /// The go.sum line.
    public var record: GoSum.Record
    /// The verdict.
    public var status: Status
    /// The record id in the log, when the lookup succeeded.
    public var recordID: Int64?
    /// For ``Status/mismatch``: the hash the database records.
    public var databaseHash: ByteString?
    /// For ``Status/missing``, ``Status/skipped`` and ``Status/error``: the failure.
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
    /// Checks every go.sum line against the database, at most `concurrency` lookups at once.
    ///
    /// cmd/go consults the database only for lines it is about to add; this checks lines that are
    /// already there. Each module version's record is fetched once (its `h1:` and `/go.mod`
    /// lines share one record), with full proof checking; a line is verified only when the
    /// authenticated record holds it byte for byte. The results come back in the order of
    /// `records`.
    public nonisolated func audit(_ records: [GoSum.Record], concurrency: Int = 32) async -> [GoSumLineAudit] {
        // One lookup per distinct key; the client shares one fetch between a version and its /go.mod.
        var keys: [GoModule.Version] = []
        var seen: Set<GoModule.Version> = []
        for record in records {
            let key = GoModule.Version(path: record.path, version: record.version)
            if seen.insert(key).inserted { keys.append(key) }
        }
        let limit = max(1, concurrency)
        let outcomes = await withTaskGroup(of: (Int, Result<ChecksumDatabaseLookup, ChecksumDatabaseError>).self) { group in
            var out = [Result<ChecksumDatabaseLookup, ChecksumDatabaseError>?](repeating: nil, count: keys.count)
            var next = 0
            func add(_ index: Int) {
                let key = keys[index]
                group.addTask {
                    do {
                        return (index, .success(try await self.lookup(path: key.path, version: key.version)))
                    } catch let error as ChecksumDatabaseError {
                        return (index, .failure(error))
                    } catch {
                        return (index, .failure(ChecksumDatabaseError(.transport, "\(error)",
                                                                      module: "\(key.path)@\(key.version)")))
                    }
                }
            }
            while next < min(limit, keys.count) { add(next); next += 1 }
            for await (index, outcome) in group {
                out[index] = outcome
                if next < keys.count { add(next); next += 1 }
            }
            return out
        }
        var byKey: [GoModule.Version: Result<ChecksumDatabaseLookup, ChecksumDatabaseError>] = [:]
        for (key, outcome) in zip(keys, outcomes) { if let outcome { byKey[key] = outcome } }

        return records.map { record in
            let key = GoModule.Version(path: record.path, version: record.version)
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
            case nil:
                return GoSumLineAudit(record: record, status: .error,
                                      error: ChecksumDatabaseError(.transport, "lookup did not complete",
                                                                   module: "\(record.path)@\(record.version)"))
            }
        }
    }
}
