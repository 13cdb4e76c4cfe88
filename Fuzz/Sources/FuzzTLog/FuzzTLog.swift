import GoSumDB

/// libFuzzer entry point for tree notes, lookup records, tile paths, hashes and proof bundles
/// (Docs/Testing.md, "Fuzzing"). Invariants: a parsed tree re-formats to a note that parses
/// to the same tree; a parsed record re-formats to the same bytes; a parsed tile path prints as
/// the input; the first byte chooses a (size, index) whose proof check never traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTLog(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let tree = try? TLog.Tree(noteText: bytes) {
        guard let again = try? TLog.Tree(noteText: tree.noteText), again == tree else { fatalError("tree round trip") }
    }
    if let record = try? TLog.Record(parsing: bytes) {
        guard let formatted = try? TLog.Record.format(id: record.id, text: record.text),
              formatted + record.note == bytes else { fatalError("record round trip") }
    }
    if let text = String(validating: bytes, as: UTF8.self), let tile = try? TLog.Tile(path: text) {
        if tile.path != text { fatalError("tile path round trip") }
        _ = TLog.tile(height: tile.height, forStoredHashIndex: TLog.storedHashIndex(level: 0, Int64(size)))
    }
    if let bundle = try? TLogProofBundle(parsing: bytes) {
        guard let again = try? TLogProofBundle(parsing: bundle.formatted), again == bundle else { fatalError("bundle round trip") }
    }
    // Proof checking with hostile sizes, indexes and proofs must never trap.
    if bytes.count >= 16 {
        var a: Int64 = 0, b: Int64 = 0
        for i in 0..<8 { a = a << 8 | Int64(bytes[i]) }
        for i in 8..<16 { b = b << 8 | Int64(bytes[i]) }
        let hashes = stride(from: 16, to: bytes.count - 31, by: 32).compactMap { TLog.Hash(bytes: Array(bytes[$0..<($0 + 32)])) }
        let root = hashes.first ?? TLog.emptyTreeHash
        _ = try? TLog.checkRecord(hashes, treeSize: a, root: root, record: b, leaf: root)
        _ = try? TLog.checkTree(hashes, treeSize: a, root: root, oldSize: b, oldRoot: root)
        let n = a & 0xFFFF_FFFF
        if let plan = try? TLog.TilePlan(tree: TLog.Tree(size: n, hash: root), height: Int(bytes[0] % 30) + 1,
                                         indexes: [b & 0xFFFF_FFFF]) {
            _ = try? plan.authenticate(plan.tiles.map { _ in Array(bytes.prefix(64)) })
        }
    }
    return 0
}
