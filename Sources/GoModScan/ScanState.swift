public import GoModCore
public import GoModOrigin
import GoModPlatform

/// A shard's scan state: one SQLite database (`<state>/shard-I-of-N.sqlite`, WAL journal,
/// `synchronous=FULL`; every change is inside a transaction, so a killed scan leaves the last
/// committed unit and nothing half-written).
///
/// Tables:
/// * `versions` — every module version this shard owns: path, version, feed position,
///   first-seen Timestamp (the index's, never `.info` Time: Docs/scan.md), the unit
///   (repository URL), and the mirror's `Origin` once fetched;
/// * `paths` — every module path of the feed (all shards), with its first feed position: the
///   typosquat references;
/// * `repositories` — units this shard owns;
/// * `refs_now` / `ref_events` — each repository's tags as last listed, and their history:
///   one row per observed change (`new`, `moved`, `deleted`) with the observation time, which
///   answers "when did this tag last change?" (``lastChange(repository:ref:)``);
/// * `passes`, `pass_units` — passes and, per unit, whether it is done and its finding lines;
/// * `pending_findings` — typosquat findings found at ingest, waiting for their unit;
/// * `findings` — every finding of every pass.
public final class ScanState {
    let db: SQLiteDatabase
    /// The database file.
    public let path: String

    static let schemaVersion: Int64 = 2

    /// Opens (creating) the state database at `path`.
    public init(path: String) throws(ScanError) {
        self.path = path
        db = try SQLiteDatabase(path: path)
        try db.execute("""
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value);
            CREATE TABLE IF NOT EXISTS paths(
                path BLOB PRIMARY KEY, first_seq INTEGER NOT NULL, first_seen TEXT,
                unit TEXT, vcs TEXT, root TEXT, subdir TEXT, resolved INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS versions(
                path BLOB NOT NULL, version BLOB NOT NULL, seq INTEGER NOT NULL,
                first_seen TEXT, first_seen_ns INTEGER, first_pass INTEGER NOT NULL,
                repository BLOB NOT NULL, origin_fetched INTEGER NOT NULL DEFAULT 0, origin TEXT,
                PRIMARY KEY(path, version));
            CREATE INDEX IF NOT EXISTS versions_by_repository ON versions(repository, path, version);
            CREATE TABLE IF NOT EXISTS repositories(
                url BLOB PRIMARY KEY, vcs TEXT, root BLOB, resolved INTEGER NOT NULL, last_listed_ns INTEGER);
            CREATE TABLE IF NOT EXISTS refs_now(
                repository BLOB NOT NULL, ref BLOB NOT NULL, commit_hash TEXT NOT NULL, since_ns INTEGER NOT NULL,
                PRIMARY KEY(repository, ref));
            CREATE TABLE IF NOT EXISTS ref_events(
                repository BLOB NOT NULL, ref BLOB NOT NULL, observed_ns INTEGER NOT NULL, pass INTEGER NOT NULL,
                event TEXT NOT NULL, commit_hash TEXT, PRIMARY KEY(repository, ref, observed_ns));
            CREATE TABLE IF NOT EXISTS passes(
                id INTEGER PRIMARY KEY, input TEXT NOT NULL, state TEXT NOT NULL, ingest_position INTEGER NOT NULL DEFAULT 0,
                started_ns INTEGER, finished_ns INTEGER);
            CREATE TABLE IF NOT EXISTS pass_units(
                pass INTEGER NOT NULL, unit BLOB NOT NULL, done INTEGER NOT NULL DEFAULT 0, records BLOB,
                PRIMARY KEY(pass, unit));
            CREATE TABLE IF NOT EXISTS pending_findings(pass INTEGER NOT NULL, unit BLOB NOT NULL, record BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS verdicts(
                repository BLOB NOT NULL, path BLOB NOT NULL, version BLOB NOT NULL, key TEXT NOT NULL, findings BLOB NOT NULL,
                PRIMARY KEY(path, version, key));
            CREATE INDEX IF NOT EXISTS verdicts_by_repository ON verdicts(repository);
            CREATE TABLE IF NOT EXISTS findings(
                pass INTEGER NOT NULL, kind TEXT NOT NULL, path BLOB NOT NULL, version BLOB NOT NULL,
                repository BLOB NOT NULL, record BLOB NOT NULL);
            """)
        let version = try meta("schema")?.int
        if version == nil {
            try db.query("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema', ?1)", [.integer(Self.schemaVersion)])
        } else if version != Self.schemaVersion {
            throw ScanError(.corruptState, "\(path): scan state schema \(version ?? 0), this gomodkit reads \(Self.schemaVersion)")
        }
    }

    func meta(_ key: String) throws(ScanError) -> SQLValue? {
        try db.query("SELECT value FROM meta WHERE key = ?1", [.text(key)]).first?.first
    }

    func setMeta(_ key: String, _ value: SQLValue) throws(ScanError) {
        try db.query("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", [.text(key), value])
    }

    /// A change of a tag observed by a scan.
    public struct RefEvent: Sendable, Hashable {
        /// `new` (first listing that showed it), `moved`, or `deleted`.
        public var event: String
        /// The commit after the change (`nil` for `deleted`).
        public var commit: String?
        /// When the scan observed it (nanoseconds since the Unix epoch, the scanner's clock).
        public var observedNanoseconds: Int64
    }

    /// The last change of `ref` (`refs/tags/v1.2.3`) in `repository` that a scan observed, or
    /// `nil` when no scan listed it. For `new`, the tag is at least as old as the observation;
    /// the policy gate `requireStableTagDays` counts days from ``RefEvent/observedNanoseconds``.
    public func lastChange(repository: String, ref: String) throws(ScanError) -> RefEvent? {
        let rows = try db.query("""
            SELECT event, commit_hash, observed_ns FROM ref_events WHERE repository = ?1 AND ref = ?2
            ORDER BY observed_ns DESC LIMIT 1
            """, [.blob(Array(repository.utf8)), .blob(Array(ref.utf8))])
        guard let row = rows.first, let observed = row[2].int else { return nil }
        return RefEvent(event: row[0].string ?? "", commit: row[1].string, observedNanoseconds: observed)
    }

    /// Every observed change of `ref` in `repository`, oldest first.
    public func history(repository: String, ref: String) throws(ScanError) -> [RefEvent] {
        try db.query("""
            SELECT event, commit_hash, observed_ns FROM ref_events WHERE repository = ?1 AND ref = ?2 ORDER BY observed_ns
            """, [.blob(Array(repository.utf8)), .blob(Array(ref.utf8))]).map {
            RefEvent(event: $0[0].string ?? "", commit: $0[1].string, observedNanoseconds: $0[2].int ?? 0)
        }
    }

    /// A version this state knows: its unit, first-seen time and `Origin`.
    public struct KnownVersion: Sendable, Hashable {
        /// The module version.
        public var module: ModuleVersion
        /// The repository URL (unit key).
        public var repository: String
        /// The index Timestamp it was first seen at (`nil` for list input).
        public var firstSeen: String?
        /// The mirror's `Origin`, once fetched.
        public var origin: ModuleOrigin?
    }

    /// The version `path@version`, if this state owns it.
    public func version(path: ByteString, version: ByteString) throws(ScanError) -> KnownVersion? {
        guard let row = try db.query("SELECT repository, first_seen, origin FROM versions WHERE path = ?1 AND version = ?2",
                                     [.blob(path.bytes), .blob(version.bytes)]).first else { return nil }
        let origin = row[2].bytes.flatMap { try? ModuleOrigin(json: $0) }
        return KnownVersion(module: ModuleVersion(path: path, version: version), repository: row[0].string ?? "",
                            firstSeen: row[1].string, origin: origin)
    }

    /// For the policy gate `requireStableTagDays`: when the tag of `path@version` last changed,
    /// looked up in every shard database of a scan state directory (`shard-*.sqlite`). `nil` when
    /// no shard knows the version or its tag was never listed.
    public static func tagLastChanged(stateDirectory: String, path: ByteString, version: ByteString) throws(ScanError) -> (ref: String, event: RefEvent)? {
        var names: [String] = []
        walkTree(stateDirectory) { relative, isDirectory in
            if !isDirectory, !relative.contains("/"), relative.hasPrefix("shard-"), relative.hasSuffix(".sqlite") { names.append(relative) }
        }
        for name in names.sortedByBytes() {
            let state = try ScanState(path: stateDirectory + "/" + name)
            guard let known = try state.version(path: path, version: version) else { continue }
            var ref = known.origin?.ref
            if ref == nil || ref?.isEmpty == true,
               let row = try state.db.query("SELECT vcs, root, subdir FROM paths WHERE path = ?1 AND resolved = 1", [.blob(path.bytes)]).first,
               let text = path.utf8String {
                let root = RepoRoot(repoURL: known.repository, root: row[1].string ?? "", vcs: row[0].string ?? "git",
                                    subdirectory: row[2].string ?? "")
                ref = (try? ModuleLocation(modulePath: text, root: root))?.tag(for: version).map { "refs/tags/" + $0 }
            }
            guard let ref else { continue }
            if let event = try state.lastChange(repository: known.repository, ref: ref) { return (ref, event) }
        }
        return nil
    }
}
