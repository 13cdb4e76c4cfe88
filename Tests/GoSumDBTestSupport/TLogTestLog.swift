package import GoModCore
package import GoSumDB

/// An in-memory log of records built with ``TLog/storedHashes(forRecord:leaf:reader:)``,
/// serving stored hashes and tiles, for TLog and client tests.
package struct TestLog {
    package var stored: [TLog.Hash] = []
    package var size: Int64 = 0

    package init(leaves: [[UInt8]] = []) {
        for leaf in leaves { append(leaf) }
    }

    /// `leaf 0` … `leaf n-1` (x/mod TestTree's records).
    package static func leaves(_ n: Int) -> [[UInt8]] { (0..<n).map { Array("leaf \($0)".utf8) } }

    package mutating func append(_ data: [UInt8]) { appendHash(TLog.recordHash(data)) }

    package mutating func appendHash(_ leaf: TLog.Hash) {
        let hashes = TLog.storedHashes(forRecord: size, leaf: leaf) { indexes in indexes.map { self.stored[Int($0)] } }
        stored.append(contentsOf: hashes)
        size += 1
    }

    package func read(_ indexes: [Int64]) -> [TLog.Hash] { indexes.map { stored[Int($0)] } }

    package func treeHash(_ n: Int64) throws -> TLog.Hash { try TLog.treeHash(size: n, reader: read) }

    package func tree(_ n: Int64) throws -> TLog.Tree { TLog.Tree(size: n, hash: try treeHash(n)) }

    /// The tile's data from the stored hashes (x/mod `ReadTileData`); `nil` when out of range.
    package func tileData(_ tile: TLog.Tile) -> [UInt8]? {
        var out: [UInt8] = []
        for i in 0..<tile.width {
            let x = TLog.storedHashIndex(level: tile.height * tile.level, tile.index << tile.height + Int64(i))
            guard x < stored.count else { return nil }
            out += stored[Int(x)].bytes
        }
        return out
    }
}
