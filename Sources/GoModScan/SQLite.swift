internal import CSQLite
import GoModCore

/// A value in or out of SQLite.
enum SQLValue: Sendable, Hashable {
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case null

    var int: Int64? { if case .integer(let v) = self { v } else { nil } }
    var bytes: [UInt8]? {
        switch self {
        case .blob(let b): b
        case .text(let t): Array(t.utf8)
        default: nil
        }
    }
    var string: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
}

/// A minimal SQLite connection over the system library (the only file of GoModScan with unsafe
/// pointers): prepared statements cached by SQL text, typed values, transactions. Not
/// `Sendable`: one connection belongs to one task.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    let path: String

    /// Opens (creating) the database at `path` in WAL mode with `synchronous=FULL`, so a
    /// committed transaction survives a crash or power loss.
    init(path: String) throws(ScanError) {
        self.path = path
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw ScanError(.corruptState, "open \(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 10_000)
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit {
        for (_, stmt) in statements { sqlite3_finalize(stmt) }
        sqlite3_close(handle)
    }

    private func failure(_ what: String, _ rc: Int32) -> ScanError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(rc)"
        let primary = rc & 0xFF
        let code: ScanError.Code = (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) ? .corruptState : .io
        return ScanError(code, "\(path): \(what): \(message)")
    }

    /// Runs SQL without results (may hold several statements).
    func execute(_ sql: String) throws(ScanError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw failure(String(sql.prefix(60)), rc) }
    }

    private func statement(_ sql: String) throws(ScanError) -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw failure("prepare \(sql.prefix(60))", rc) }
        statements[sql] = stmt
        return stmt
    }

    /// Runs one statement with `arguments` bound to `?1…`, returning every row.
    @discardableResult
    func query(_ sql: String, _ arguments: [SQLValue] = []) throws(ScanError) -> [[SQLValue]] {
        let stmt = try statement(sql)
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        for (i, value) in arguments.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .integer(let v): rc = sqlite3_bind_int64(stmt, index, v)
            case .null: rc = sqlite3_bind_null(stmt, index)
            case .text(let t):
                let bytes = Array(t.utf8)
                if bytes.isEmpty {
                    rc = csqlite_bind_text_transient(stmt, index, "", 0)
                } else {
                    rc = bytes.withUnsafeBufferPointer { buf in
                        buf.withMemoryRebound(to: CChar.self) { csqlite_bind_text_transient(stmt, index, $0.baseAddress, Int32(buf.count)) }
                    }
                }
            case .blob(let b):
                if b.isEmpty {
                    // A zero-length blob, not NULL.
                    rc = sqlite3_bind_zeroblob(stmt, index, 0)
                } else {
                    rc = b.withUnsafeBytes { raw in csqlite_bind_blob_transient(stmt, index, raw.baseAddress, Int32(raw.count)) }
                }
            }
            guard rc == SQLITE_OK else { throw failure("bind \(sql.prefix(60))", rc) }
        }
        var rows: [[SQLValue]] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw failure(String(sql.prefix(60)), rc) }
            var row: [SQLValue] = []
            let n = sqlite3_column_count(stmt)
            for c in 0..<n {
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(stmt, c)))
                case SQLITE_NULL: row.append(.null)
                case SQLITE_TEXT:
                    let count = Int(sqlite3_column_bytes(stmt, c))
                    if let p = sqlite3_column_text(stmt, c) {
                        row.append(.text(String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)))
                    } else {
                        row.append(.text(""))
                    }
                default:
                    let count = Int(sqlite3_column_bytes(stmt, c))
                    if let p = sqlite3_column_blob(stmt, c) {
                        row.append(.blob(Array(UnsafeRawBufferPointer(start: p, count: count))))
                    } else {
                        row.append(.blob([]))
                    }
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back
    /// when it throws.
    func transaction<T>(_ body: () throws(ScanError) -> T) throws(ScanError) -> T {
        try execute("BEGIN IMMEDIATE")
        do throws(ScanError) {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
