public import GoModCore
/// An offline-verifiable inclusion proof in the C2SP tlog-proof format
/// (`c2sp.org/tlog-proof@v1`): the record text as `extra`, its index, the inclusion proof
/// hashes, a blank line, then the signed tree note (the checkpoint).
public struct TLogProofBundle: Sendable, Equatable {
    /// The record text (the go.sum lines), carried base64-encoded in the `extra` line.
    public var recordText: [UInt8]
    /// The record's index in the log.
    public var index: Int64
    /// The inclusion proof (x/mod `ProveRecord` order).
    public var proof: [TLog.Hash]
    /// The signed tree note the proof is for.
    public var checkpoint: [UInt8]

    /// A bundle.
    public init(recordText: [UInt8], index: Int64, proof: [TLog.Hash], checkpoint: [UInt8]) {
        self.recordText = recordText
        self.index = index
        self.proof = proof
        self.checkpoint = checkpoint
    }

    static let header = "c2sp.org/tlog-proof@v1"

    /// The bundle's text.
    public var formatted: [UInt8] {
        var text = TLogProofBundle.header + "\nextra " + Base64.encodeString(recordText) + "\nindex \(index)\n"
        for hash in proof { text += hash.description + "\n" }
        return Array(text.utf8) + [0x0A] + checkpoint
    }

    /// Parses a bundle (strict: canonical numbers and base64, at most 64 proof hashes, 1 MiB).
    public init(parsing data: [UInt8]) throws(TLogError) {
        guard data.count <= 1 << 20, let split = data.firstIndex(ofBytes: [0x0A, 0x0A]) else {
            throw TLogError(.invalidInput, "tlog-proof: no blank line")
        }
        let lines = data[..<split].split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
        guard lines.count >= 3, lines[0] == Array(TLogProofBundle.header.utf8) else {
            throw TLogError(.invalidInput, "tlog-proof: missing c2sp.org/tlog-proof@v1 header")
        }
        var i = 1
        var extra: [UInt8]? = nil
        if lines[i].starts(with: Array("extra ".utf8)) {
            extra = Base64.decode(lines[i].dropFirst(6))
            guard extra != nil else { throw TLogError(.invalidInput, "tlog-proof: bad extra") }
            i += 1
        }
        guard i < lines.count, lines[i].starts(with: Array("index ".utf8)),
              let index = parseCanonicalInt64(lines[i].dropFirst(6)) else {
            throw TLogError(.invalidInput, "tlog-proof: bad index line")
        }
        i += 1
        guard lines.count - i <= 64 else { throw TLogError(.invalidInput, "tlog-proof: too many proof hashes") }
        var proof: [TLog.Hash] = []
        for line in lines[i...] { proof.append(try TLog.Hash(base64: line)) }
        guard let record = extra, !record.isEmpty else {
            throw TLogError(.invalidInput, "tlog-proof: no extra line carrying the record text")
        }
        self.init(recordText: record, index: index, proof: proof, checkpoint: Array(data[(split + 2)...]))
    }

    /// Verifies the bundle with `verifier`: the checkpoint's signature, its tree, and the inclusion
    /// of the record text at the index. Returns the tree.
    public func verify(with verifier: NoteVerifier) throws -> TLog.Tree {
        let note = try Note.open(checkpoint, verifiers: [verifier])
        let tree = try TLog.Tree(noteText: note.text)
        guard TLog.Record.isValidRecordText(recordText) else { throw TLogError(.malformedRecord) }
        try TLog.checkRecord(proof, treeSize: tree.size, root: tree.hash, record: index, leaf: TLog.recordHash(recordText))
        return tree
    }
}

extension ChecksumDatabase {
    /// An offline evidence bundle for `path@version`: the verified record, its inclusion proof in
    /// the verified latest tree, and that tree's signed note.
    public func proofBundle(_ module: ModuleVersion) async throws -> TLogProofBundle {
        let path = module.path, version = module.version
        let result = try await lookup(ModuleVersion(path: path, version: version))
        let indexes = try TLog.recordProofIndexes(treeSize: result.tree.size, record: result.recordID)
        let hashes = try await readHashes(tree: result.tree, indexes: indexes, context: "")
        let proof = try TLog.proveRecord(treeSize: result.tree.size, record: result.recordID, hashes: hashes)
        return TLogProofBundle(recordText: result.recordText, index: result.recordID, proof: proof, checkpoint: result.treeNote)
    }
}
