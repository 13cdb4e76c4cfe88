extension TLog {
    // MARK: Inclusion proofs (x/mod ProveRecord / CheckRecord)

    /// The stored-hash indexes an inclusion proof for record `n` in a tree of `t` records needs.
    public static func recordProofIndexes(treeSize t: Int64, record n: Int64) throws(TLogError) -> [Int64] {
        guard t >= 0, n >= 0, n < t, t <= maxTreeSize else { throw TLogError(.invalidInput, "ProveRecord") }
        var indexes = SubtreeIndexes()
        _ = leafProof(0, t, n, &indexes)
        return indexes.need
    }

    /// The inclusion proof for record `n` in a tree of `t` records, from the hashes at
    /// ``recordProofIndexes(treeSize:record:)`` (x/mod `tlog.ProveRecord`).
    public static func proveRecord(treeSize t: Int64, record n: Int64, hashes: [Hash]) throws(TLogError) -> [Hash] {
        try combine("ProveRecord", indexes: recordProofIndexes(treeSize: t, record: n), hashes: hashes) { leafProof(0, t, n, &$0) }
    }

    /// `ProveRecord` with a synchronous hash reader.
    public static func proveRecord(treeSize t: Int64, record n: Int64, reader: ([Int64]) throws -> [Hash]) throws -> [Hash] {
        let indexes = try recordProofIndexes(treeSize: t, record: n)
        return try combine("ProveRecord", indexes: indexes, hashes: reader(indexes)) { leafProof(0, t, n, &$0) }
    }

    /// The end of x/mod's `ProveRecord` and `ProveTree`: `hashes` must be exactly the ones read
    /// for `indexes` (a reader that returns another count is refused with `invalidInput`), and
    /// `walk` combines them into the proof.
    static func combine(_ operation: String, indexes: [Int64], hashes: [Hash],
                        _ walk: (inout SubtreeHashes) -> [Hash]) throws(TLogError) -> [Hash] {
        guard hashes.count == indexes.count else { throw TLogError(.invalidInput, operation) }
        var combined = SubtreeHashes(hashes: hashes[...])
        return walk(&combined)
    }

    /// x/mod's `leafProof` and `leafProofIndex` in one walk: the subtrees an inclusion proof of
    /// record `n` in [lo, hi) is made of, in proof order, given to `visitor`.
    static func leafProof<V: SubtreeVisitor>(_ lo: Int64, _ hi: Int64, _ n: Int64, _ visitor: inout V) -> [Hash] {
        if lo + 1 == hi { return [] }
        let k = maxpow2(hi - lo).k
        var p: [Hash]
        let th: Hash
        if n < lo + k {
            p = leafProof(lo, lo + k, n, &visitor)
            th = visitor.subTree(lo + k, hi)
        } else {
            th = visitor.subTree(lo, lo + k)
            p = leafProof(lo + k, hi, n, &visitor)
        }
        p.append(th)
        return p
    }

    /// Checks that `proof` proves record `n` with leaf hash `leaf` is in the tree of `t` records
    /// with root `root` (x/mod `tlog.CheckRecord`).
    public static func checkRecord(_ proof: [Hash], treeSize t: Int64, root: Hash, record n: Int64, leaf: Hash) throws(TLogError) {
        guard t >= 0, n >= 0, n < t, t <= maxTreeSize else { throw TLogError(.invalidInput, "CheckRecord") }
        guard proof.count <= 64, try runRecordProof(proof[...], 0, t, n, leaf) == root else {
            throw TLogError(.invalidProof)
        }
    }

    static func runRecordProof(_ p: ArraySlice<Hash>, _ lo: Int64, _ hi: Int64, _ n: Int64, _ leaf: Hash) throws(TLogError) -> Hash {
        if lo + 1 == hi {
            guard p.isEmpty else { throw TLogError(.invalidProof) }
            return leaf
        }
        guard let last = p.last else { throw TLogError(.invalidProof) }
        let k = maxpow2(hi - lo).k
        if n < lo + k {
            return nodeHash(try runRecordProof(p.dropLast(), lo, lo + k, n, leaf), last)
        }
        return nodeHash(last, try runRecordProof(p.dropLast(), lo + k, hi, n, leaf))
    }

    // MARK: Consistency proofs (x/mod ProveTree / CheckTree)

    /// The stored-hash indexes a consistency proof from `n` to `t` records needs.
    public static func treeProofIndexes(treeSize t: Int64, oldSize n: Int64) throws(TLogError) -> [Int64] {
        guard t >= 1, n >= 1, n <= t, t <= maxTreeSize else { throw TLogError(.invalidInput, "ProveTree") }
        var indexes = SubtreeIndexes()
        _ = treeProof(0, t, n, &indexes)
        return indexes.need
    }

    /// The proof that the tree of `n` records is a prefix of the tree of `t` records, from the
    /// hashes at ``treeProofIndexes(treeSize:oldSize:)`` (x/mod `tlog.ProveTree`).
    public static func proveTree(treeSize t: Int64, oldSize n: Int64, hashes: [Hash]) throws(TLogError) -> [Hash] {
        try combine("ProveTree", indexes: treeProofIndexes(treeSize: t, oldSize: n), hashes: hashes) { treeProof(0, t, n, &$0) }
    }

    /// `ProveTree` with a synchronous hash reader.
    public static func proveTree(treeSize t: Int64, oldSize n: Int64, reader: ([Int64]) throws -> [Hash]) throws -> [Hash] {
        let indexes = try treeProofIndexes(treeSize: t, oldSize: n)
        return try combine("ProveTree", indexes: indexes, hashes: reader(indexes)) { treeProof(0, t, n, &$0) }
    }

    /// x/mod's `treeProof` and `treeProofIndex` in one walk: the subtrees a consistency proof
    /// from `n` records within [lo, hi) is made of, in proof order, given to `visitor`.
    static func treeProof<V: SubtreeVisitor>(_ lo: Int64, _ hi: Int64, _ n: Int64, _ visitor: inout V) -> [Hash] {
        if n == hi {
            return lo == 0 ? [] : [visitor.subTree(lo, hi)]
        }
        let k = maxpow2(hi - lo).k
        var p: [Hash]
        let th: Hash
        if n <= lo + k {
            p = treeProof(lo, lo + k, n, &visitor)
            th = visitor.subTree(lo + k, hi)
        } else {
            th = visitor.subTree(lo, lo + k)
            p = treeProof(lo + k, hi, n, &visitor)
        }
        p.append(th)
        return p
    }

    /// Checks that `proof` proves the tree of `n` records with root `oldRoot` is a prefix of the
    /// tree of `t` records with root `root` (x/mod `tlog.CheckTree`).
    public static func checkTree(_ proof: [Hash], treeSize t: Int64, root: Hash, oldSize n: Int64, oldRoot: Hash) throws(TLogError) {
        guard t >= 1, n >= 1, n <= t, t <= maxTreeSize else { throw TLogError(.invalidInput, "CheckTree") }
        guard proof.count <= 128 else { throw TLogError(.invalidProof) }
        let (oh, th) = try runTreeProof(proof[...], 0, t, n, oldRoot)
        guard th == root, oh == oldRoot else { throw TLogError(.invalidProof) }
    }

    static func runTreeProof(_ p: ArraySlice<Hash>, _ lo: Int64, _ hi: Int64, _ n: Int64, _ old: Hash) throws(TLogError) -> (Hash, Hash) {
        if n == hi {
            if lo == 0 {
                guard p.isEmpty else { throw TLogError(.invalidProof) }
                return (old, old)
            }
            guard p.count == 1, let only = p.first else { throw TLogError(.invalidProof) }
            return (only, only)
        }
        guard let last = p.last else { throw TLogError(.invalidProof) }
        let k = maxpow2(hi - lo).k
        if n <= lo + k {
            let (oh, th) = try runTreeProof(p.dropLast(), lo, lo + k, n, old)
            return (oh, nodeHash(th, last))
        }
        let (oh, th) = try runTreeProof(p.dropLast(), lo + k, hi, n, old)
        return (nodeHash(last, oh), nodeHash(last, th))
    }
}

/// What a proof walk does with each subtree of the proof, in proof order. x/mod writes every
/// walk twice, once collecting stored-hash indexes (`leafProofIndex`, `treeProofIndex`) and once
/// combining the hashes read for them (`leafProof`, `treeProof`); here one walk serves both.
protocol SubtreeVisitor {
    /// The subtree [lo, hi): its hash, or a placeholder when only indexes are collected.
    mutating func subTree(_ lo: Int64, _ hi: Int64) -> TLog.Hash
}

/// Collects the stored-hash indexes of each subtree (x/mod's `subTreeIndex`).
struct SubtreeIndexes: SubtreeVisitor {
    var need: [Int64] = []

    mutating func subTree(_ lo: Int64, _ hi: Int64) -> TLog.Hash {
        TLog.subTreeIndex(lo, hi, &need)
        return TLog.Hash(unchecked: [])
    }
}

/// Combines each subtree's hashes, taken in order from ``hashes`` (x/mod's `subTreeHash`).
struct SubtreeHashes: SubtreeVisitor {
    var hashes: ArraySlice<TLog.Hash>

    mutating func subTree(_ lo: Int64, _ hi: Int64) -> TLog.Hash {
        TLog.subTreeHash(lo, hi, &hashes)
    }
}
