import GoModCore
extension TLog {
    /// A tile of the log (x/mod `tlog.Tile`): `width` consecutive hashes of tree level
    /// `level × height`, starting at hash `index × 2^height` (`level == -1` for a data tile).
    public struct Tile: Hashable, Sendable, CustomStringConvertible {
        /// Tile height H (1 ≤ H ≤ 30).
        public var height: Int
        /// Tile level L (0 ≤ L ≤ 63; -1 for record data).
        public var level: Int
        /// Tile index K within its level (≥ 0).
        public var index: Int64
        /// Width W (1 ≤ W ≤ 2^H; 2^H is a full tile).
        public var width: Int

        /// A tile.
        public init(height: Int, level: Int, index: Int64, width: Int) {
            self.height = height
            self.level = level
            self.index = index
            self.width = width
        }

        /// Whether the tile is full (W = 2^H).
        public var isFull: Bool { width == 1 << height }

        /// The same tile at full width.
        public var full: Tile { Tile(height: height, level: level, index: index, width: 1 << height) }

        /// The tile's path, `tile/H/L/NNN[.p/W]` with `x`-prefixed 3-digit groups (x/mod `Tile.Path`).
        public var path: String {
            var n = index
            var text = threeDigits(n % 1000)
            while n >= 1000 {
                n /= 1000
                text = "x" + threeDigits(n % 1000) + "/" + text
            }
            let l = level == -1 ? "data" : String(level)
            return "tile/\(height)/\(l)/\(text)" + (isFull ? "" : ".p/\(width)")
        }

        /// The path (``path``).
        public var description: String { path }

        /// Parses a canonical tile path (x/mod `tlog.ParseTilePath`).
        public init(path: String) throws(TLogError) {
            let bad = TLogError(.malformedTilePath, goQuote(Array(path.utf8)))
            var f = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 4, f.count <= 16, f[0] == "tile", let h = parseSmallInt(f[1]), h >= 1, h <= 30 else { throw bad }
            let isData = f[2] == "data"
            guard let l = isData ? 0 : parseSmallInt(f[2]), l >= 0, l < 64 else { throw bad }
            var w = 1 << h
            if f[f.count - 2].hasSuffix(".p") {
                guard let ww = parseSmallInt(f[f.count - 1]), ww > 0, ww < w else { throw bad }
                w = ww
                f[f.count - 2] = String(f[f.count - 2].dropLast(2))
                f.removeLast()
            }
            var n: Int64 = 0
            for part in f[3...] {
                let digits = part.hasPrefix("x") ? String(part.dropFirst()) : part
                guard let nn = parseSmallInt(digits), nn < 1000 else { throw bad }
                let (m, o1) = n.multipliedReportingOverflow(by: 1000)
                let (s, o2) = m.addingReportingOverflow(Int64(nn))
                guard !o1, !o2 else { throw bad }
                n = s
            }
            let tile = Tile(height: h, level: isData ? -1 : l, index: n, width: w)
            guard tile.path == path else { throw bad }
            self = tile
        }
    }

    /// The tile of height `h` holding stored hash `index`, with the byte range of that hash's
    /// subtree within the tile's data (x/mod `tileForIndex`).
    static func tileForIndex(height h: Int, _ index: Int64) -> (tile: Tile, start: Int, end: Int) {
        var (level, n) = splitStoredHashIndex(index)
        let l = level / h
        level -= l * h
        let k = (n << level) >> h
        n -= (k << h) >> level
        let w = Int((n + 1) << level)
        return (Tile(height: h, level: l, index: k, width: w), Int(n << level) * Hash.size, Int((n + 1) << level) * Hash.size)
    }

    /// The largest stored-hash index of a tree of ``maxTreeSize`` records.
    static var maxStoredHashIndex: Int64 { storedHashIndex(level: 0, maxTreeSize) }

    /// The tile of height `h` holding stored hash `index` (x/mod `tlog.TileForIndex`).
    /// Out-of-range heights and indexes are clamped to 1…30 and 0…(the last index of the largest tree).
    public static func tile(height h: Int, forStoredHashIndex index: Int64) -> Tile {
        tileForIndex(height: min(max(h, 1), 30), min(max(index, 0), maxStoredHashIndex)).tile
    }

    /// The hash at stored index `index` computed from tile `tile`'s `data` (x/mod `tlog.HashFromTile`).
    public static func hashFromTile(_ tile: Tile, data: [UInt8], index: Int64) throws(TLogError) -> Hash {
        guard tile.height >= 1, tile.height <= 30, tile.level >= 0, tile.level < 64,
              tile.width >= 1, tile.width <= 1 << tile.height else {
            throw TLogError(.inconsistentTile, "invalid tile \(tile.path)")
        }
        guard index >= 0, index <= maxStoredHashIndex else {
            throw TLogError(.invalidInput, "stored hash index \(index) out of range")
        }
        guard data.count >= tile.width * Hash.size else {
            throw TLogError(.inconsistentTile, "data len \(data.count) too short for tile \(tile.path)")
        }
        let (t1, start, end) = tileForIndex(height: tile.height, index)
        guard tile.level == t1.level, tile.index == t1.index, tile.width >= t1.width else {
            throw TLogError(.inconsistentTile, "index \(index) is in \(t1.path) not \(tile.path)")
        }
        return tileHash(data[start..<end])
    }

    /// The Merkle hash of a power-of-two run of hashes (x/mod `tileHash`).
    static func tileHash(_ data: ArraySlice<UInt8>) -> Hash {
        if data.count <= Hash.size { return Hash(unchecked: Array(data)) }
        let half = data.count / 2
        return nodeHash(tileHash(data[data.startIndex..<(data.startIndex + half)]),
                        tileHash(data[(data.startIndex + half)...]))
    }

    /// The tiles that must be published when the tree grows from `old` to `new` records
    /// (x/mod `tlog.NewTiles`).
    public static func newTiles(height h: Int, oldSize: Int64, newSize: Int64) -> [Tile] {
        var tiles: [Tile] = []
        var level = 0
        while h * level < 63 && newSize >> (h * level) > 0 {
            defer { level += 1 }
            let oldN = oldSize >> (h * level), newN = newSize >> (h * level)
            if oldN == newN { continue }
            var n = oldN >> h
            while n < newN >> h {
                tiles.append(Tile(height: h, level: level, index: n, width: 1 << h))
                n += 1
            }
            let last = newN >> h
            let w = Int(newN - last << h)
            if w > 0 { tiles.append(Tile(height: h, level: level, index: last, width: w)) }
        }
        return tiles
    }

    /// The tile `k` tile-levels above `t` in a tree of `n` records, trimmed to the width that
    /// exists there; `nil` when it does not exist (x/mod `tileParent`).
    static func tileParent(_ t: Tile, _ k: Int, treeSize n: Int64) -> Tile? {
        var t = t
        t.level += k
        let shift = k * t.height
        t.index = shift >= 63 ? 0 : t.index >> shift
        t.width = 1 << t.height
        let levelShift = t.level * t.height
        let max: Int64 = levelShift >= 63 ? 0 : n >> levelShift
        if (t.index << t.height) + Int64(t.width) >= max {
            if t.index << t.height >= max { return nil }
            t.width = Int(max - t.index << t.height)
        }
        return t
    }

    /// The tiles needed to read stored hashes from a signed tree, and their authentication —
    /// x/mod `tileHashReader.ReadHashes` split in two so the fetching can be asynchronous, with
    /// every non-root tile checked against its parent (the CVE-2026-56865 fix; see
    /// Docs/stricter-than-go.md).
    public struct TilePlan: Sendable {
        /// The tree the hashes are read from.
        public let tree: Tree
        /// The tile height.
        public let height: Int
        /// The requested stored-hash indexes.
        public let indexes: [Int64]
        /// The tiles to fetch, root tiles first, parents before children.
        public private(set) var tiles: [Tile] = []
        /// How many of ``tiles`` are root tiles (authenticated by the tree hash).
        public private(set) var rootTileCount = 0
        private var tileOrder: [Tile: Int] = [:]
        private var subtreeIndexes: [Int64] = []
        private var subtreeTile: [Int] = []
        private var indexTile: [Int] = []

        /// Plans reading `indexes` from `tree` through tiles of height `height`.
        public init(tree: Tree, height: Int, indexes: [Int64]) throws(TLogError) {
            guard height >= 1, height <= 30 else { throw TLogError(.invalidInput, "tile height \(height)") }
            guard tree.size >= 0, tree.size <= maxTreeSize else { throw TLogError(.invalidInput, "tree size") }
            self.tree = tree
            self.height = height
            self.indexes = indexes
            subtreeIndexes = treeHashIndexes(size: tree.size)
            for x in subtreeIndexes {
                guard let tile = tileParent(tileForIndex(height: height, x).tile, 0, treeSize: tree.size) else {
                    throw TLogError(.invalidInput, "bad math in tile plan")
                }
                if let j = tileOrder[tile] {
                    subtreeTile.append(j)
                    continue
                }
                subtreeTile.append(tiles.count)
                tileOrder[tile] = tiles.count
                tiles.append(tile)
            }
            rootTileCount = tiles.count
            let limit = storedHashIndex(level: 0, tree.size)
            for x in indexes {
                guard x >= 0, x < limit else { throw TLogError(.invalidInput, "indexes not in tree") }
                let tile = tileForIndex(height: height, x).tile
                var k = 0
                var found: Int? = nil
                while true {
                    guard let p = tileParent(tile, k, treeSize: tree.size), k < 64 else {
                        throw TLogError(.invalidInput, "bad math in tile plan")
                    }
                    if let j = tileOrder[p] {
                        if k == 0 { found = j }
                        break
                    }
                    k += 1
                }
                k -= 1
                while k >= 0 {
                    guard let p = tileParent(tile, k, treeSize: tree.size), p.isFull else {
                        throw TLogError(.invalidInput, "bad math in tile plan")
                    }
                    tileOrder[p] = tiles.count
                    if k == 0 { found = tiles.count }
                    tiles.append(p)
                    k -= 1
                }
                guard let found else { throw TLogError(.invalidInput, "bad math in tile plan") }
                indexTile.append(found)
            }
        }

        /// Authenticates `data` (one entry per tile in ``tiles``) against the tree and returns the
        /// requested hashes: the root tiles must hash to the signed root, and every other tile
        /// must match the hash stored for it in its parent tile.
        public func authenticate(_ data: [[UInt8]]) throws(TLogError) -> [Hash] {
            guard data.count == tiles.count else { throw TLogError(.invalidInput, "tile data count") }
            for (tile, bytes) in zip(tiles, data) where bytes.count != tile.width * Hash.size {
                throw TLogError(.inconsistentTile, "\(tile.path) has \(bytes.count) bytes, want \(tile.width * Hash.size)")
            }
            if !subtreeIndexes.isEmpty {
                var th: Hash? = nil
                for i in stride(from: subtreeIndexes.count - 1, through: 0, by: -1) {
                    let j = subtreeTile[i]
                    let h = try hashFromTile(tiles[j], data: data[j], index: subtreeIndexes[i])
                    th = th.map { nodeHash(h, $0) } ?? h
                }
                guard th == tree.hash else { throw TLogError(.inconsistentTile, "tree hash mismatch") }
            } else if tree.hash != emptyTreeHash {
                throw TLogError(.inconsistentTile, "empty tree hash mismatch")
            }
            for i in rootTileCount..<tiles.count {
                let tile = tiles[i]
                guard let p = tileParent(tile, 1, treeSize: tree.size), let j = tileOrder[p] else {
                    throw TLogError(.invalidInput, "lost parent of \(tile.path)")
                }
                let h = try hashFromTile(p, data: data[j], index: storedHashIndex(level: p.level * p.height, tile.index))
                guard h == tileHash(data[i][...]) else { throw TLogError(.inconsistentTile, tile.path) }
            }
            var hashes: [Hash] = []
            hashes.reserveCapacity(indexes.count)
            for (x, j) in zip(indexes, indexTile) {
                hashes.append(try hashFromTile(tiles[j], data: data[j], index: x))
            }
            return hashes
        }
    }
}

private func threeDigits(_ n: Int64) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, 3 - s.count)) + s
}

/// Go's `strconv.Atoi` restricted to what a canonical path can hold: optional `-` then 1–9 digits.
private func parseSmallInt(_ s: String) -> Int? {
    var bytes = Array(s.utf8)
    var negative = false
    if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
        negative = bytes.first == UInt8(ascii: "-")
        bytes.removeFirst()
    }
    guard !bytes.isEmpty, bytes.count <= 9, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
    let value = bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
    return negative ? -value : value
}
