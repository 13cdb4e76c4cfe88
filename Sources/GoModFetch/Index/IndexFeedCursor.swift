public import GoModCore

/// Where the next request for the module index feed starts, and which entries at that point
/// were already taken: the paging rule of index.golang.org (Docs/scan.md, "What is on disk"),
/// shared by the scan's mirror and the audit's release-age window.
///
/// The feed's `since` is inclusive, so the entries of the previous page that share its last
/// Timestamp come back first on the next page; they are dropped by `(Path, Version)`. A full
/// page whose entries all share the cursor's Timestamp cannot advance: the cursor then resumes
/// one microsecond later and says so (``Step/gap``).
public struct IndexFeedCursor: Sendable, Equatable {
    /// The next request's `since`: the last Timestamp received (as received), or the starting
    /// point; `nil` for the beginning of the feed.
    public private(set) var since: IndexTimestamp?
    /// The `(Path, Version)` pairs already taken at ``since``.
    package private(set) var keys: Set<EntryKey>

    /// A cursor at `since`, with the `[Path, Version]` pairs already taken there.
    public init(since: IndexTimestamp?, keys: [[String]] = []) {
        self.since = since
        self.keys = Set(keys.map { EntryKey(path: ByteString($0.first ?? ""), version: ByteString($0.count > 1 ? $0[1] : "")) })
    }

    /// The pairs taken at ``since`` as `[Path, Version]`, sorted bytewise (for a checkpoint).
    public var sortedKeys: [[String]] {
        keys.sorted().map { [String(decoding: $0.path.bytes, as: UTF8.self), String(decoding: $0.version.bytes, as: UTF8.self)] }
    }

    /// A page that could not advance.
    public struct Gap: Sendable, Equatable {
        /// The Timestamp every entry of the full page had.
        public var at: IndexTimestamp
        /// The `since` used after it (one microsecond later).
        public var resumedAt: IndexTimestamp
    }

    /// What one page contributed.
    public struct Step: Sendable, Equatable {
        /// The entries not taken before, in feed order.
        public var fresh: [IndexEntry]
        /// Entries dropped: already taken at the boundary, or older than ``since``.
        public var duplicates: Int
        /// The page was shorter than the limit: the feed is read to its end.
        public var caughtUp: Bool
        /// A full page at one Timestamp; the cursor skipped past it.
        public var gap: Gap?
    }

    /// Takes one page answered for ``since`` with `limit`, advancing the cursor to the page's
    /// last Timestamp.
    public mutating func take(_ page: [IndexEntry], limit: Int) -> Step {
        let start = since
        var step = Step(fresh: [], duplicates: 0, caughtUp: page.count < limit, gap: nil)
        var newest: IndexTimestamp? = start
        var keysAtNewest = start == nil ? [] : keys
        for entry in page {
            guard let time = entry.timestamp else { continue }
            if let start, time < start { step.duplicates += 1; continue }
            if let n = newest, time == n {
                if !keysAtNewest.insert(entry.key).inserted { step.duplicates += 1; continue }
            } else if newest.map({ time > $0 }) ?? true {
                newest = time
                keysAtNewest = [entry.key]
            } else {
                // Out of order within the page: kept in feed order, not used as the boundary.
            }
            step.fresh.append(entry)
        }
        if let n = newest {
            // The text as received from the last entry at that instant.
            if n != start { since = page.last(where: { $0.timestamp == n })?.timestamp ?? n }
            keys = keysAtNewest
        }
        if !step.caughtUp, let start, page.first?.timestamp == start, page.last?.timestamp == start {
            let next = start.adding(microseconds: 1)
            step.gap = Gap(at: start, resumedAt: next)
            since = next
            keys = []
        }
        return step
    }
}
