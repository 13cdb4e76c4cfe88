public import GoModCore
import GoSumDB
import GoModPlatform

/// When the module index first saw module versions, from one bounded read of its feed since
/// a point in time, with the entries kept in a local cache so the next read asks only for the
/// pages after it (Docs/advisories.md, "Policy gates": the feed's `Timestamp` is the only server-assigned
/// first-seen time; `.info` `Time` is the author's commit time and can be backdated).
///
/// A version absent from the window was first seen before its start (or never by this index).
///
/// The cache is one file per feed URL in ``cacheDirectory``: a header line (JSON: the feed
/// URL, the window's start, the ``IndexFeedCursor`` after the last page) and then the entries
/// of the window in feed order, one feed line each. It is replaced as a whole, crash-safely
/// (`AtomicFile`), after every read; entries older than the window asked for are dropped, so it
/// holds at most one window. A cache that is unreadable, for another URL, or starts after the
/// window asked for is not used (the window is read again from the feed).
public struct FirstSeenWindow: Sendable {
    /// The feed client (its URL names the cache file).
    public let client: IndexFeedClient
    /// The cache directory, created when missing; `nil` reads without a cache.
    public let cacheDirectory: String?
    /// The most entries the window may hold (cache and feed together); more fails with
    /// `ModuleIndexError.Code.tooLarge`.
    public let maxEntries: Int
    /// The most bytes the cache file may hold.
    public let maxCacheBytes: Int

    /// A reader.
    public init(client: IndexFeedClient, cacheDirectory: String?, maxEntries: Int = 4_000_000, maxCacheBytes: Int = 1 << 30) {
        self.client = client
        self.cacheDirectory = cacheDirectory
        self.maxEntries = maxEntries
        self.maxCacheBytes = maxCacheBytes
    }

    /// What one read found.
    public struct Result: Sendable {
        /// The first-seen time of each asked-for version that is in the window.
        public var firstSeen: [ModuleVersion: IndexTimestamp]
        /// Entries in the window.
        public var entries: Int
        /// Entries taken from the cache.
        public var fromCache: Int
        /// Feed pages requested.
        public var pages: Int
        /// Why the cache was not used, when there was one.
        public var cacheNote: String?
    }

    /// The cache file for ``client``: `<cacheDirectory>/<escaped feed URL>.jsonl`.
    public var cachePath: String? {
        guard let cacheDirectory else { return nil }
        let name = percentEncoded(client.url.absoluteString, keeping: { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F
        })
        return cacheDirectory + "/" + String(name.prefix(200)) + ".jsonl"
    }

    private struct Header: Codable {
        var source: String
        var start: String
        var since: String?
        var keys: [[String]]
    }

    /// Reads the feed from `since` (through the cache) and answers when each of `versions` was
    /// first seen, if within the window.
    ///
    /// - Throws: ``ModuleIndexError``: the feed failed (``IndexFeedClient/page(since:)``), a
    ///   full page could not advance (`ModuleIndexError.Code.cannotAdvance`: entries at that
    ///   Timestamp may be missing, so no answer is given), or the window exceeds ``maxEntries``.
    ///   A cache that cannot be written is not an error (the answer stands); it is reported in
    ///   ``Result/cacheNote``.
    public func firstSeen(of versions: Set<ModuleVersion>, since: IndexTimestamp) async throws(ModuleIndexError) -> Result {
        var result = Result(firstSeen: [:], entries: 0, fromCache: 0, pages: 0, cacheNote: nil)
        var body: [UInt8] = []
        var cursor = IndexFeedCursor(since: since)
        func take(_ entry: IndexEntry) {
            guard let time = entry.timestamp else { return }
            let key = ModuleVersion(path: entry.path, version: entry.version)
            if versions.contains(key), result.firstSeen[key].map({ time < $0 }) ?? true { result.firstSeen[key] = time }
        }
        if let path = cachePath {
            let (cached, note) = loadCache(path, since: since)
            result.cacheNote = note
            if let cached {
                // A cache read last before the window's start holds nothing of it: read from the start.
                if let last = cached.cursor.since, last >= since { cursor = cached.cursor }
                for (i, line) in cached.lines.enumerated() {
                    guard let entry = IndexEntry(feedLine: line), let time = entry.timestamp else {
                        // Not used after all: the window is read from the feed again.
                        result.cacheNote = "\(path): line \(i + 2): not an index entry; read again"
                        result.firstSeen = [:]
                        result.entries = 0
                        body = []
                        cursor = IndexFeedCursor(since: since)
                        break
                    }
                    guard time >= since else { continue }
                    body += line
                    body.append(0x0A)
                    take(entry)
                    result.entries += 1
                }
                result.fromCache = result.entries
            }
        }
        var held = result.entries
        while true {
            let page = try await client.page(since: cursor.since)
            result.pages += 1
            let step = cursor.take(page, limit: client.limit)
            if let gap = step.gap {
                throw ModuleIndexError(.cannotAdvance, "\(redact(client.url)): a full page of \(page.count) entries at \(gap.at.text); the feed cannot be paged past it, so versions first seen then cannot be told")
            }
            // Entries older than the window (out of order in the feed) count against the bound too.
            let (total, overflow) = held.addingReportingOverflow(step.fresh.count)
            guard !overflow, total <= maxEntries else {
                throw ModuleIndexError(.tooLarge, "\(redact(client.url)): more than \(maxEntries) entries since \(since.text)")
            }
            held = total
            for entry in step.fresh where entry.timestamp.map({ $0 >= since }) ?? false {
                take(entry)
                body += entry.feedLine
                body.append(0x0A)
                result.entries += 1
            }
            if step.caughtUp { break }
        }
        if let path = cachePath, let cacheDirectory {
            let header = Header(source: client.url.absoluteString, start: since.text, since: cursor.since?.text, keys: cursor.sortedKeys)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            do {
                let line = try encoder.encode(header)
                if line.count + 1 + body.count > maxCacheBytes {
                    result.cacheNote = "\(path): not written: the window exceeds \(maxCacheBytes) bytes"
                } else {
                    try makeDirectoryAll(cacheDirectory)
                    try AtomicFile.write(Array(line) + [0x0A] + body, to: path, permissions: 0o644)
                }
            } catch {
                result.cacheNote = "\(path): not written: \(errorText(error))"
            }
        }
        return result
    }

    private struct Cached {
        var cursor: IndexFeedCursor
        /// The entry lines (without newlines), in feed order.
        var lines: ArraySlice<ArraySlice<UInt8>>
    }

    /// The cache's cursor and entry lines, or why it is not used (`nil` and no note when there
    /// is none yet).
    private func loadCache(_ path: String, since: IndexTimestamp) -> (Cached?, String?) {
        let data: [UInt8]
        switch readFile(path, limit: maxCacheBytes) {
        case .success(let d): data = d
        case .failure(.open(let e)) where e.code == ENOENT:
            return (nil, nil)
        case .failure(.tooLarge):
            return (nil, "\(path): larger than \(maxCacheBytes) bytes; read again")
        case .failure:
            return (nil, "\(path): not readable; read again")
        }
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)[...]
        if lines.last?.isEmpty == true { lines = lines.dropLast() }
        guard let first = lines.first, let header = try? JSONDecoder().decode(Header.self, from: Data(first)),
              let start = IndexTimestamp(header.start), header.since.map({ IndexTimestamp($0) != nil }) ?? true else {
            return (nil, "\(path): corrupt header; read again")
        }
        guard header.source == client.url.absoluteString else {
            return (nil, "\(path): holds \(header.source), not \(client.url.absoluteString); read again")
        }
        guard start <= since else {
            return (nil, "\(path): starts at \(header.start), after \(since.text); read again")
        }
        guard lines.count - 1 <= maxEntries else {
            return (nil, "\(path): more than \(maxEntries) entries; read again")
        }
        let cursor = IndexFeedCursor(since: header.since.flatMap(IndexTimestamp.init) ?? start, keys: header.since == nil ? [] : header.keys)
        return (Cached(cursor: cursor, lines: lines.dropFirst()), nil)
    }

    /// Go's `os.UserCacheDir` (`$XDG_CACHE_HOME`, else `$HOME/.cache`; `$HOME/Library/Caches` on
    /// Darwin) joined with `gomodkit/index`, or `nil` when neither is set to an absolute path.
    public static func defaultCacheDirectory(environment: [String: String]) -> String? {
        #if canImport(Darwin)
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/Library/Caches/gomodkit/index"
        #else
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            guard xdg.hasPrefix("/") else { return nil }
            return xdg + "/gomodkit/index"
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.cache/gomodkit/index"
        #endif
    }
}
