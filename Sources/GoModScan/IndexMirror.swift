import GoModCore
public import GoModFetch
import GoModPlatform

/// An append-only local copy of the module index with a checkpoint (Docs/scan.md).
///
/// Layout of ``directory``:
/// * `feed.jsonl` — the feed's entries in feed order, one JSON object per line, exactly as
///   served (re-encoded in the feed's own shape); never edited or re-sorted;
/// * `checkpoint.json` — what `feed.jsonl` holds so far (``Checkpoint``), replaced atomically
///   after every page;
/// * `.lock` — the `flock` that makes syncs of one directory take turns.
///
/// Crash safety: a page is appended and fsynced, then the checkpoint is replaced (temporary +
/// fsync + rename). Bytes past the checkpoint's ``Checkpoint/bytes`` were never committed: the
/// next ``sync(client:maxPages:initialSince:)`` cuts them off and fetches that page again, so a killed and
/// resumed mirror ends byte-identical to an uninterrupted one.
public struct IndexMirror: Sendable {
    /// The mirror's directory.
    public let directory: String

    /// The checkpoint: where the next request starts and what the mirror holds.
    public struct Checkpoint: Sendable, Codable, Equatable {
        /// The feed URL the mirror was made from.
        public var source: String
        /// The next request's `since` (the last Timestamp received, as received); `nil` before
        /// the first page.
        public var since: String?
        /// The `[Path, Version]` pairs already recorded at ``since`` (they come back first,
        /// since `since` is inclusive), sorted bytewise.
        public var keys: [[String]]
        /// Entries in `feed.jsonl`.
        public var entries: Int64
        /// Committed length of `feed.jsonl` in bytes.
        public var bytes: Int64
        /// Full pages whose entries all shared one Timestamp: the feed could not be paged past
        /// them, and the mirror continued one microsecond later (entries may be missing there).
        public var gaps: [Gap]

        /// A page that could not advance.
        public struct Gap: Sendable, Codable, Equatable {
            /// The Timestamp every entry of the page had.
            public var at: String
            /// The `since` used after it.
            public var resumedAt: String
        }
    }

    /// A mirror in `directory` (created on the first sync).
    public init(directory: String) { self.directory = directory }

    /// `feed.jsonl`.
    public var feedPath: String { directory + "/feed.jsonl" }
    /// `checkpoint.json`.
    public var checkpointPath: String { directory + "/checkpoint.json" }

    /// The checkpoint, or `nil` for a mirror never synced. Throws
    /// `ScanError.Code.corruptState` when it is unreadable, or when `feed.jsonl` is shorter
    /// than the checkpoint says (the message says how to recover).
    public func checkpoint() throws(ScanError) -> Checkpoint? {
        guard let data = try StateFiles.read(checkpointPath, limit: 16 << 20) else {
            if let size = try StateFiles.size(feedPath), size > 0 {
                throw ScanError(.corruptState, "\(checkpointPath): missing while \(feedPath) holds \(size) bytes; remove \(directory) to mirror the feed again")
            }
            return nil
        }
        let cp: Checkpoint
        do { cp = try JSONDecoder().decode(Checkpoint.self, from: Data(data)) } catch {
            throw ScanError(.corruptState, "\(checkpointPath): corrupt checkpoint (\(errorText(error))); remove \(directory) to mirror the feed again")
        }
        let size = try StateFiles.size(feedPath) ?? 0
        guard cp.bytes >= 0, cp.entries >= 0, size >= cp.bytes else {
            throw ScanError(.corruptState, "\(feedPath): \(size) bytes, but the checkpoint records \(cp.bytes); the mirror was truncated: remove \(directory) to mirror the feed again")
        }
        if let since = cp.since, IndexTimestamp(since) == nil {
            throw ScanError(.corruptState, "\(checkpointPath): since \(goQuote(Array(since.utf8))) is not an RFC 3339 time; remove \(directory) to mirror the feed again")
        }
        return cp
    }

    /// What one ``sync(client:maxPages:initialSince:)`` did.
    public struct SyncSummary: Sendable, Equatable {
        /// Pages requested.
        public var pages: Int
        /// Entries appended.
        public var appended: Int64
        /// Entries dropped as already recorded (the inclusive boundary).
        public var duplicates: Int
        /// Pages that could not advance (also recorded in the checkpoint).
        public var gaps: [Checkpoint.Gap]
        /// Whether the last page was short (the mirror is caught up).
        public var caughtUp: Bool
    }

    /// Pages the feed from the checkpoint until a short page (or `maxPages` pages), appending
    /// new entries and replacing the checkpoint after each page (Docs/scan.md).
    ///
    /// `initialSince` starts a new mirror at that time instead of the beginning of the feed
    /// (`--since`); it is ignored once the mirror has a checkpoint.
    ///
    /// Syncs of one directory take turns, in this process and across processes (shards sharing
    /// a state directory): each holds an exclusive `flock` on `<directory>/.lock` and waits,
    /// without holding a thread, while another sync has it. Cancelling the waiting task ends the
    /// wait with `ScanError.Code.incomplete`.
    public func sync(client: IndexFeedClient, maxPages: Int? = nil, initialSince: IndexTimestamp? = nil) async throws(ScanError) -> SyncSummary {
        try StateFiles.makeDirectory(directory)
        let lock = try await StateLock.waitingForTurn(directory + "/.lock")
        defer { withExtendedLifetime(lock) {} }
        let source = client.url.absoluteString
        var cp: Checkpoint
        if let existing = try checkpoint() {
            guard existing.source == source else {
                throw ScanError(.usage, "\(directory) mirrors \(existing.source), not \(source); use another --state directory")
            }
            cp = existing
            if let size = try StateFiles.size(feedPath), size > cp.bytes {
                // A page appended but never committed: drop it; it is fetched again.
                try StateFiles.truncate(feedPath, to: cp.bytes)
            }
        } else {
            cp = Checkpoint(source: source, since: initialSince?.text, keys: [], entries: 0, bytes: 0, gaps: [])
            if (try StateFiles.size(feedPath)) != nil { try StateFiles.truncate(feedPath, to: 0) }
            try writeCheckpoint(cp)
        }
        var summary = SyncSummary(pages: 0, appended: 0, duplicates: 0, gaps: [], caughtUp: false)
        var cursor = IndexFeedCursor(since: cp.since.flatMap(IndexTimestamp.init), keys: cp.keys)
        while maxPages.map({ summary.pages < $0 }) ?? true {
            let page: [IndexEntry]
            do throws(ModuleIndexError) { page = try await client.page(since: cursor.since) } catch {
                throw ScanError(.network, error.message)
            }
            summary.pages += 1
            let step = cursor.take(page, limit: client.limit)
            summary.duplicates += step.duplicates
            var lines: [UInt8] = []
            for entry in step.fresh { lines += entry.feedLine + [0x0A] }
            if !lines.isEmpty {
                try StateFiles.append(feedPath, lines)
                cp.bytes += Int64(lines.count)
                cp.entries += Int64(step.fresh.count)
                summary.appended += Int64(step.fresh.count)
            }
            cp.since = cursor.since?.text
            cp.keys = cursor.sortedKeys
            if step.caughtUp {
                try writeCheckpoint(cp)
                summary.caughtUp = true
                break
            }
            if let gap = step.gap {
                // A full page at one Timestamp cannot advance (Docs/scan.md).
                let recorded = Checkpoint.Gap(at: gap.at.text, resumedAt: gap.resumedAt.text)
                cp.gaps.append(recorded)
                summary.gaps.append(recorded)
            }
            try writeCheckpoint(cp)
        }
        return summary
    }

    private func writeCheckpoint(_ cp: Checkpoint) throws(ScanError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(cp) } catch { throw ScanError(.io, "encode checkpoint: \(errorText(error))") }
        try StateFiles.writeAtomically(checkpointPath, Array(data) + [0x0A])
    }

    /// Calls `body` with each committed entry whose line starts at or after byte `offset`, and
    /// the byte offset after it, until `body` returns `false`. Throws
    /// `ScanError.Code.corruptState` for a line that is not an entry.
    public func forEachEntry(from offset: Int64 = 0,
                             _ body: (IndexEntry, _ offsetAfter: Int64) throws(ScanError) -> Bool) throws(ScanError) {
        guard let cp = try checkpoint() else { return }
        guard offset <= cp.bytes else {
            throw ScanError(.corruptState, "\(feedPath): the scan state has consumed \(offset) bytes, more than the mirror's \(cp.bytes); the state belongs to another mirror")
        }
        let path = feedPath
        try StateFiles.forEachLine(path, from: offset, to: cp.bytes) { (line, after) throws(ScanError) in
            guard let entry = IndexEntry(feedLine: line) else {
                throw ScanError(.corruptState, "\(path): byte \(after - Int64(line.count) - 1): not an index entry; remove the mirror to fetch the feed again")
            }
            return try body(entry, after)
        }
    }
}
