public import GoModCore
import GoModPlatform
import Synchronization

/// The result of a verified lookup.
public struct ChecksumDatabaseLookup: Sendable {
    /// The go.sum lines for exactly the module version asked for, taken from the authenticated
    /// record text only (never from the note; CVE-2026-56864).
    public var lines: [ByteString]
    /// The record id (its leaf index in the log).
    public var recordID: Int64
    /// The authenticated record text.
    public var recordText: [UInt8]
    /// The verified tree the record was authenticated in (the client's latest at that moment).
    public var tree: TLog.Tree
    /// The signed note of ``tree`` (verbatim).
    public var treeNote: [UInt8]

    /// The module zip's hash (`h1:…`): the third field of the line whose version field has no
    /// `/go.mod` suffix (go.sum line format, go.dev/ref/mod#go-sum-files); `nil` when the record
    /// has none.
    public var zipHash: String? {
        for line in lines {
            let fields = line.bytes.split(separator: 0x20)
            if fields.count == 3, !Array(fields[1]).hasSuffix(Array("/go.mod".utf8)) {
                return String(decoding: fields[2], as: UTF8.self)
            }
        }
        return nil
    }
}

/// A checksum-database client: x/mod `sumdb.Client` rebuilt as an actor, without the 2026 bugs.
///
/// Every tile is authenticated against a signed tree before any hash from it is used; the
/// verified latest tree only advances through a consistency proof; an inconsistency yields a
/// SECURITY ERROR with self-contained evidence (saved by the store); lines come only from the
/// authenticated record of exactly the module asked for; record ids must be canonical with
/// `0 ≤ id < N`.
public actor ChecksumDatabase {
    /// The configuration.
    public let configuration: ChecksumDatabaseConfiguration
    /// The store for `latest`, lookups and tiles.
    public let store: any ChecksumDatabaseStore
    private let transport: (any HTTPTransport)?

    private var initialized = false
    private var latestTree = TLog.Tree.empty
    private var latestNote: [UInt8] = []
    private var base: URL?
    private var baseTask: Task<URL, any Error>?
    private var tileTasks: [TLog.Tile: Task<(data: [UInt8], cached: Bool), any Error>] = [:]
    private var savedTiles: Set<TLog.Tile> = []
    /// Hashes already authenticated against a tree (valid for that tree forever).
    private var authenticated: [TLog.Tree: [Int64: TLog.Hash]] = [:]
    /// Tiles already authenticated against a tree: any hash in them can be read without
    /// authenticating the tile again (one tile plan per tree instead of one per lookup).
    private var verifiedTiles: [TLog.Tree: [TLog.Tile: [UInt8]]] = [:]
    private var lookupTasks: [String: Task<(record: TLog.Record, raw: [UInt8], note: [UInt8]), any Error>] = [:]
    private var slots: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Requests sent to the network so far.
    public private(set) var requestCount = 0

    /// The most bytes accepted for `/lookup` and `/latest` responses.
    public static let maxTextResponse = 1 << 20

    /// The most requests one ``lookup(_:)`` or ``fetchLatest()`` may send (Go
    /// has no such bound; see Docs/stricter-than-go.md), from the tree math: tree sizes are below
    /// 2^62, so a tile read touches at most `L = ⌈62 / H⌉` levels, and one pass over the tree reads
    /// at most `L` root tiles and `L` path tiles, each at most 2 requests (a missing partial tile
    /// falls back to the full one). A lookup makes the `/lookup` request, the `/supported` probes
    /// of the proxies, and at most 4 such passes (the inclusion proof and up to 3 consistency
    /// proofs, when other lookups advance the latest tree meanwhile — x/mod's `mergeLatestMem`
    /// loop, which Go does not bound). For H = 8 and no proxy: 1 + 4 · 2 · 2 · 8 = 129.
    public static func maxRequestsPerLookup(tileHeight: Int, proxies: Int) -> Int {
        let levels = (62 + max(1, tileHeight) - 1) / max(1, tileHeight)
        return 1 + max(0, proxies) + 4 * 2 * 2 * levels
    }

    /// A client. `transport` is `nil` for an offline client (equivalent to `offline: true`).
    ///
    /// The transport is injected, as x/mod's `sumdb.NewClient` takes its `ClientOps`: this module
    /// holds no HTTP implementation. `GoModNet`'s `DefaultHTTPTransport` is the usual one; with
    /// `import GoModNet` (or `GoModKit`), `init(configuration:store:)` supplies it.
    public init(configuration: ChecksumDatabaseConfiguration, store: any ChecksumDatabaseStore,
                transport: (any HTTPTransport)?) {
        self.configuration = configuration
        self.store = store
        self.transport = configuration.offline ? nil : transport
        self.slots = max(1, configuration.maxConcurrentRequests)
    }

    /// The database name.
    public nonisolated var name: String { configuration.name }

    /// The verified latest tree (after loading the stored one).
    public func latest() async throws -> (tree: TLog.Tree, note: [UInt8]) {
        try await initialize()
        return (latestTree, latestNote)
    }

    // MARK: Lookup

    /// The verified go.sum lines for `path@version` (`version` may end in `/go.mod`), mirroring
    /// x/mod `Client.Lookup` plus cmd/go's rule that no line is a failure.
    public func lookup(_ module: ModuleVersion) async throws -> ChecksumDatabaseLookup {
        let path = module.path, version = module.version
        let module = "\(String(decoding: path.bytes, as: UTF8.self))@\(String(decoding: version.bytes, as: UTF8.self))"
        if Module.matchPrefixPatterns(configuration.noSumDB, path) {
            throw ChecksumDatabaseError(.skipped, module: module)
        }
        do {
            return try await RequestBudget.$current.withValue(newBudget()) {
                try await lookupUnwrapped(path: path, version: version)
            }
        } catch var error as ChecksumDatabaseError {
            if error.module == nil && error.code != .securityFork { error.module = module }
            throw error
        }
    }

    private func lookupUnwrapped(path: ByteString, version: ByteString) async throws -> ChecksumDatabaseLookup {
        try await initialize()
        let plain = version.hasSuffix(GoSum.goModSuffix) ? ByteString(version.bytes.dropLast(GoSum.goModSuffix.count)) : version
        let ep: ByteString, ev: ByteString
        do {
            ep = try Module.escapePath(path)
            ev = try Module.escapeVersion(plain)
        } catch {
            throw ChecksumDatabaseError(.invalidModule, error.description, underlying: error)
        }
        let remotePath = "lookup/" + String(decoding: ep.bytes, as: UTF8.self) + "@" + String(decoding: ev.bytes, as: UTF8.self)
        let file = name + "/" + remotePath
        let task: Task<(record: TLog.Record, raw: [UInt8], note: [UInt8]), any Error>
        if let existing = lookupTasks[file] {
            task = existing
        } else {
            task = Task { try await self.fetchAndAuthenticate(file: file, remotePath: remotePath) }
            lookupTasks[file] = task
        }
        let result: (record: TLog.Record, raw: [UInt8], note: [UInt8])
        do { result = try await sharedValue(task) } catch {
            if lookupTasks[file] == task { lookupTasks[file] = nil }
            throw error
        }
        // Lines only from the authenticated record text, only for the exact module asked for.
        let record = result.record
        let lines = record.text.split(separator: 0x0A).map { ByteString(Array($0)) }
        let prefix = path + " " + version + " "
        let matching = lines.filter { $0.hasPrefix(prefix) }
        let ownRecord = lines.allSatisfy { $0.hasPrefix(path + " " + plain + " ") || $0.hasPrefix(path + " " + plain + "/go.mod ") }
        guard !matching.isEmpty, ownRecord else {
            throw ChecksumDatabaseError(.lookupMissingEntry, ownRecord
                ? "checksum missing from sumdb response"
                : "checksum missing from sumdb response (the server answered with record \(record.id) of another module: \(goQuote(Array(lines.first?.bytes ?? []))))")
        }
        return ChecksumDatabaseLookup(lines: matching, recordID: record.id, recordText: record.text,
                                      tree: latestTree, treeNote: latestNote)
    }

    private func fetchAndAuthenticate(file: String, remotePath: String) async throws
        -> (record: TLog.Record, raw: [UInt8], note: [UInt8])
    {
        var fromCache = true
        var data = try await store.readCache(file)
        if data == nil {
            data = try await readRemote(remotePath, limit: Self.maxTextResponse)
            fromCache = false
        }
        guard let data else { throw ChecksumDatabaseError(.offlineMissing, "no cached lookup \(file)") }
        let record: TLog.Record
        do { record = try TLog.Record(parsing: data) } catch {
            throw ChecksumDatabaseError(.tlog, error.description, underlying: error)
        }
        try await mergeLatest(record.note)
        try await checkRecord(id: record.id, text: record.text)
        if !fromCache { try await store.writeCache(file, data) }
        return (record, data, record.note)
    }

    /// x/mod `checkRecord`: `0 ≤ id < latest.N` and the leaf hash read through authenticated tiles.
    private func checkRecord(id: Int64, text: [UInt8]) async throws {
        let latest = latestTree
        guard id >= 0, id < latest.size else {
            throw ChecksumDatabaseError(.recordNotInTree, "cannot validate record \(id) in tree of size \(latest.size)")
        }
        let hashes = try await readHashes(tree: latest, indexes: [TLog.storedHashIndex(level: 0, id)], context: "")
        guard hashes.first == TLog.recordHash(text) else {
            throw ChecksumDatabaseError(.recordNotAuthenticated, "cannot authenticate record data in server response")
        }
    }

    // MARK: Latest tree and timeline

    private func initialize() async throws {
        if initialized { return }
        let data = try await store.readConfig(name + "/latest")
        do {
            try await mergeLatest(data)
        } catch var error as ChecksumDatabaseError {
            if error.code == .note || error.code == .tlog {
                error.code = .stateCorrupt
                error.detail = "initializing sumdb.Client: \(error.detail)\n(the stored latest tree head \(name)/latest is unusable; "
                    + "check the key, or remove the file deliberately to start a new timeline)"
            } else {
                error.detail = "initializing sumdb.Client: " + error.detail
            }
            throw error
        }
        initialized = true
    }

    /// Fetches `/latest` from the database and merges it into the timeline; returns the new latest.
    public func fetchLatest() async throws -> (tree: TLog.Tree, note: [UInt8]) {
        try await initialize()
        try await RequestBudget.$current.withValue(newBudget()) {
            let data = try await readRemote("latest", limit: Self.maxTextResponse)
            try await mergeLatest(data)
        }
        return (latestTree, latestNote)
    }

    private nonisolated func newBudget() -> RequestBudget {
        RequestBudget(limit: configuration.maxRequestsPerLookup
                      ?? Self.maxRequestsPerLookup(tileHeight: configuration.tileHeight, proxies: configuration.proxies.count))
    }

    /// Merges a signed tree note into the timeline (x/mod `mergeLatest` + `mergeLatestMem`), writing
    /// the stored `latest` by compare-and-swap when the timeline advances.
    public func mergeLatest(_ message: [UInt8]) async throws {
        guard try await mergeLatestMemory(message) == .future else { return }
        for _ in 0..<100 {
            let stored = try await store.readConfig(name + "/latest")
            if try await mergeLatestMemory(stored) != .past { return }
            do {
                try await store.writeConfig(name + "/latest", old: stored, new: latestNote)
                return
            } catch let error as ChecksumDatabaseError where error.code == .writeConflict {
                continue
            }
        }
        throw ChecksumDatabaseError(.writeConflict)
    }

    enum When { case past, now, future }

    private func openTree(_ message: [UInt8]) throws -> TLog.Tree {
        let note: Note
        do { note = try Note.open(message, verifiers: [configuration.verifier]) } catch {
            throw ChecksumDatabaseError(.note, "reading tree note: \(error)\nnote:\n\(goQuote(message))", underlying: error)
        }
        if configuration.strictNotes && TLog.Tree.hasExtraLines(note.text) {
            throw ChecksumDatabaseError(.unexpectedNoteContent, "tree note has lines after the root hash: \(goQuote(note.text))")
        }
        do { return try TLog.Tree(noteText: note.text) } catch {
            throw ChecksumDatabaseError(.tlog, "reading tree: \(error)\ntree:\n\(goQuote(note.text))", underlying: error)
        }
    }

    private func mergeLatestMemory(_ message: [UInt8]) async throws -> When {
        if message.isEmpty { return latestTree.size == 0 ? .now : .past }
        // The note that is already our latest was verified when it was installed.
        if message == latestNote { return .now }
        let tree = try openTree(message)
        while true {
            let latest = latestTree, latestMessage = latestNote
            if tree.size <= latest.size {
                try await checkTrees(older: tree, olderNote: message, newer: latest, newerNote: latestMessage)
                return tree.size < latest.size ? .past : .now
            }
            try await checkTrees(older: latest, olderNote: latestMessage, newer: tree, newerNote: message)
            if latestTree == latest && latestNote == latestMessage {
                latestTree = tree
                latestNote = message
                return .future
            }
        }
    }

    /// x/mod `checkTrees`: TreeHash(older.N) from tiles authenticated against `newer` must equal
    /// `older.Hash`; otherwise a SECURITY ERROR with the proof.
    private func checkTrees(older: TLog.Tree, olderNote: [UInt8], newer: TLog.Tree, newerNote: [UInt8]) async throws {
        let context = older.size == newer.size ? "checking tree#\(older.size): " : "checking tree#\(older.size) against tree#\(newer.size): "
        let h = try TLog.treeHash(size: older.size,
                                  hashes: try await readHashes(tree: newer, indexes: TLog.treeHashIndexes(size: older.size), context: context))
        if h == older.hash { return }
        var report = "SECURITY ERROR\ngo.sum database server misbehavior detected!\n\n"
        func indent(_ b: [UInt8]) -> String {
            var out: [UInt8] = []
            for byte in b { out.append(byte); if byte == UInt8(ascii: "\n") { out.append(UInt8(ascii: "\t")) } }
            return String(decoding: out, as: UTF8.self)
        }
        report += "old database:\n\t\(indent(olderNote))\n"
        report += "new database:\n\t\(indent(newerNote))\n"
        var proofHashes: [TLog.Hash] = []
        do {
            if older.size >= 1 {
                let indexes = try TLog.treeProofIndexes(treeSize: newer.size, oldSize: older.size)
                proofHashes = try TLog.proveTree(treeSize: newer.size, oldSize: older.size,
                                                 hashes: try await readHashes(tree: newer, indexes: indexes, context: context))
            }
            report += "proof of misbehavior:\n\t\(h)"
            for p in proofHashes { report += "\n\t\(p)" }
            report += "\n"
        } catch {
            report += "[proof of misbehavior failed: \(error)]\n"
        }
        var error = ChecksumDatabaseError(.securityFork, "go.sum database server misbehavior detected")
        error.securityReport = report
        error.evidencePath = await store.saveEvidence(report)
        throw error
    }

    // MARK: Tiles

    /// Reads stored hashes from `tree` through tiles, authenticating every tile (x/mod
    /// `sumdb/tlog/tile.go`).
    func readHashes(tree: TLog.Tree, indexes: [Int64], context: String) async throws -> [TLog.Hash] {
        if indexes.isEmpty { return [] }
        if let known = authenticated[tree] {
            let hashes = indexes.compactMap { known[$0] }
            if hashes.count == indexes.count { return hashes }
        }
        if let tiles = verifiedTiles[tree] {
            var hashes: [TLog.Hash] = []
            for x in indexes {
                guard x >= 0, let tile = TLog.tileParent(TLog.tileForIndex(height: configuration.tileHeight, x).tile, 0, treeSize: tree.size),
                      let data = tiles[tile], let h = try? TLog.hashFromTile(tile, data: data, index: x) else { break }
                hashes.append(h)
            }
            if hashes.count == indexes.count { return hashes }
        }
        let plan: TLog.TilePlan
        do { plan = try TLog.TilePlan(tree: tree, height: configuration.tileHeight, indexes: indexes) } catch {
            throw ChecksumDatabaseError(.tlog, context + error.description, underlying: error)
        }
        // Tree math bounds the tiles per read: root tiles ≤ levels, path tiles ≤ levels per index.
        let levels = 64 / configuration.tileHeight + 2
        guard plan.tiles.count <= levels * (1 + indexes.count) else {
            throw ChecksumDatabaseError(.tooManyRequests, context + "\(plan.tiles.count) tiles for \(indexes.count) hashes")
        }
        let tiles = plan.tiles
        let results = try await withThrowingTaskGroup(of: (Int, [UInt8], Bool).self) { group in
            for (i, tile) in tiles.enumerated() {
                group.addTask { let r = try await self.readTile(tile); return (i, r.data, r.cached) }
            }
            var out = [([UInt8], Bool)](repeating: ([], false), count: tiles.count)
            for try await (i, data, cached) in group { out[i] = (data, cached) }
            return out
        }
        let hashes: [TLog.Hash]
        do { hashes = try plan.authenticate(results.map(\.0)) } catch {
            for tile in tiles { tileTasks[tile] = nil }
            let code: ChecksumDatabaseError.Code = error.code == .inconsistentTile ? .inconsistentTile : .tlog
            throw ChecksumDatabaseError(code, context + "downloaded inconsistent tile" + (error.code == .inconsistentTile ? "" : " (\(error))"),
                                        underlying: error)
        }
        if authenticated.count > 64 { authenticated.removeAll() }
        for (x, h) in zip(indexes, hashes) { authenticated[tree, default: [:]][x] = h }
        if verifiedTiles.count > 16 { verifiedTiles.removeAll() }
        for (tile, result) in zip(tiles, results) { verifiedTiles[tree, default: [:]][tile] = result.0 }
        for (tile, result) in zip(tiles, results) where !result.1 && !savedTiles.contains(tile) {
            savedTiles.insert(tile)
            try await store.writeCache(name + "/" + tile.path, result.0)
        }
        return hashes
    }

    private func readTile(_ tile: TLog.Tile) async throws -> (data: [UInt8], cached: Bool) {
        if let task = tileTasks[tile] { return try await sharedValue(task) }
        let task = Task { try await self.loadTile(tile) }
        tileTasks[tile] = task
        do { return try await sharedValue(task) } catch {
            if tileTasks[tile] == task { tileTasks[tile] = nil }
            throw error
        }
    }

    /// x/mod `readTile`: cache (exact), cache (full or a wider partial, sliced), server (exact),
    /// server (full, sliced) when the partial tile is 404.
    private func loadTile(_ tile: TLog.Tile) async throws -> (data: [UInt8], cached: Bool) {
        let want = tile.width * TLog.Hash.size
        if let data = try await store.readCache(name + "/" + tile.path) { return (data, true) }
        if !tile.isFull {
            if let data = try await store.readCache(name + "/" + tile.full.path), data.count >= want {
                return (Array(data[..<want]), true)
            }
            let base = name + "/" + TLog.Tile(height: tile.height, level: tile.level, index: tile.index, width: 1 << tile.height).path
            for w in await store.cachedPartialWidths(base).sorted() where w > tile.width {
                var wider = tile
                wider.width = w
                if let data = try await store.readCache(name + "/" + wider.path), data.count >= want {
                    return (Array(data[..<want]), true)
                }
            }
        }
        do {
            return (try await readRemote(tile.path, limit: want), false)
        } catch let error as ChecksumDatabaseError where error.code == .notFound && !tile.isFull {
            let data = try await readRemote(tile.full.path, limit: (1 << tile.height) * TLog.Hash.size)
            guard data.count >= want else {
                throw ChecksumDatabaseError(.inconsistentTile, "downloaded inconsistent tile (\(tile.full.path) has \(data.count) bytes)")
            }
            return (Array(data[..<want]), false)
        }
    }

    // MARK: Network

    private func acquire() async {
        if slots > 0 {
            slots -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { slots += 1 } else { waiters.removeFirst().resume() }
    }

    private func readRemote(_ path: String, limit: Int) async throws -> [UInt8] {
        guard let transport else {
            throw ChecksumDatabaseError(.offlineMissing, "offline: \(path) is not in the cache")
        }
        let base = try await baseURL(transport)
        guard let url = URL(string: base.absoluteString.hasSuffix("/") ? base.absoluteString + path : base.absoluteString + "/" + path) else {
            throw ChecksumDatabaseError(.invalidConfiguration, "bad URL for \(path)")
        }
        let response = try await get(transport, url, limit: limit)
        switch response.status {
        case 200: return response.body
        case 404, 410: throw ChecksumDatabaseError(.notFound, "\(redact(url)): \(response.status) \(statusText(response.status))\n\tserver response: \(snippet(response.body))")
        default: throw ChecksumDatabaseError(.httpStatus, "\(redact(url)): \(response.status) \(statusText(response.status))\n\tserver response: \(snippet(response.body))")
        }
    }

    private func get(_ transport: any HTTPTransport, _ url: URL, limit: Int) async throws -> HTTPResponse {
        // The budget is charged once the request may go out (after the concurrency permit), not
        // while it waits for one: a request charged while waiting could be cancelled unsent when
        // another one exhausts the budget, and the lookup would stop short of its bound.
        await acquire()
        defer { release() }
        if let budget = RequestBudget.current, !budget.charge() {
            throw ChecksumDatabaseError(.tooManyRequests, "more than \(budget.limit) requests for one lookup (\(redact(url))): "
                                        + "the server keeps changing the tree")
        }
        requestCount += 1
        // The database is pinned to its host: a redirect elsewhere is refused (stricter than Go:
        // see Docs/stricter-than-go.md).
        do { return try await transport.get(url, limit: limit, redirects: .sameHost) } catch let error as HTTPTransportError {
            throw ChecksumDatabaseError(.transport, error.description, underlying: error)
        }
    }

    /// cmd/go `initBase`: an explicit URL; else the first proxy whose `/sumdb/<name>/supported`
    /// answers 200 (used exclusively); 404/410 (or any error before `|`) tries the next; `direct`
    /// or `off` or running out means `https://<name>`.
    private func baseURL(_ transport: any HTTPTransport) async throws -> URL {
        if let base { return base }
        if let task = baseTask { return try await sharedValue(task) }
        let task = Task { () throws -> URL in try await self.resolveBase(transport) }
        baseTask = task
        let url = try await sharedValue(task)
        base = url
        return url
    }

    private func resolveBase(_ transport: any HTTPTransport) async throws -> URL {
        if let url = configuration.explicitURL { return url }
        guard let direct = configuration.directURL else { throw ChecksumDatabaseError(.invalidConfiguration, "bad database name") }
        for (entry, fallback) in configuration.proxies {
            if entry == "noproxy" { continue }
            if entry == "direct" || entry == "off" { return direct }
            guard let proxy = URL(string: entry.hasSuffix("/") ? String(entry.dropLast()) : entry),
                  let supported = URL(string: proxy.absoluteString + "/sumdb/" + name + "/supported") else {
                throw ChecksumDatabaseError(.invalidConfiguration, "invalid proxy URL \(goQuote(Array(entry.utf8)))")
            }
            do {
                let response = try await get(transport, supported, limit: 4096)
                if response.status == 200 {
                    guard let url = URL(string: proxy.absoluteString + "/sumdb/" + name) else { break }
                    return url
                }
                if response.status == 404 || response.status == 410 || fallback { continue }
                throw ChecksumDatabaseError(.httpStatus, "\(redact(supported)): \(response.status) \(statusText(response.status))")
            } catch let error as ChecksumDatabaseError where error.code == .transport && fallback {
                continue
            }
        }
        return direct
    }
}

/// The requests one lookup may still send; inherited by the tasks it starts (tile fetches).
final class RequestBudget: Sendable {
    /// The operation being charged.
    @TaskLocal static var current: RequestBudget?

    let limit: Int
    private let used = Mutex(0)

    init(limit: Int) { self.limit = limit }

    /// Counts one request; `false` when that exceeds the limit.
    func charge() -> Bool {
        used.withLock { n in
            n += 1
            return n <= limit
        }
    }
}

private func statusText(_ status: Int) -> String {
    switch status {
    case 400: "Bad Request"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 410: "Gone"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    default: ""
    }
}

/// At most 8 lines / 1,000 bytes of an error body, Go-quoted per line.
private func snippet(_ body: [UInt8]) -> String {
    let lines = body.prefix(1000).split(separator: 0x0A, omittingEmptySubsequences: false).prefix(8)
    return lines.map { goQuote(Array($0)) }.joined(separator: "\n\t")
}
