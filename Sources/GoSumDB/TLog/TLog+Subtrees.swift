extension TLog {
    /// Whether [start, end) is a valid subtree: `start` is a multiple of the smallest power of
    /// two ≥ `end − start` (the subtrees of the Merkle Tree Certificates draft, as in
    /// transparency-dev/merkle's subtree probes).
    static func subtreeLevel(start: Int64, end: Int64) -> Int? {
        guard start >= 0, start < end, end <= maxTreeSize else { return nil }
        let width = UInt64(end - start)
        let k = width <= 1 ? 0 : 64 - (width - 1).leadingZeroBitCount
        guard k < 63, UInt64(start) % (UInt64(1) << k) == 0 else { return nil }
        return k
    }

    /// Checks that `proof` proves leaf `index` (hash `leaf`) is in the subtree [start, end) with
    /// hash `subtreeRoot`: the inclusion proof of `index − start` in a tree of `end − start` leaves.
    public static func checkSubtreeInclusion(_ proof: [Hash], start: Int64, end: Int64, subtreeRoot: Hash,
                                             index: Int64, leaf: Hash) throws(TLogError) {
        guard subtreeLevel(start: start, end: end) != nil, index >= start, index < end else {
            throw TLogError(.invalidInput, "CheckSubtreeInclusion")
        }
        try checkRecord(proof, treeSize: end - start, root: subtreeRoot, record: index - start, leaf: leaf)
    }

    /// Checks that `proof` proves the subtree [start, end) with hash `subtreeRoot` is part of the
    /// tree of `treeSize` leaves with root `root`. With `start = 0` this is the RFC 9162
    /// consistency check; left siblings above the subtree's level count only toward the tree root.
    /// An empty subtree is consistent with any tree when its hash is the empty hash and the
    /// proof is empty.
    public static func checkSubtreeConsistency(_ proof: [Hash], start: Int64, end: Int64, subtreeRoot: Hash,
                                               treeSize n: Int64, root: Hash) throws(TLogError) {
        guard start >= 0, start <= end, end <= n, n <= maxTreeSize, proof.count <= 128 else {
            throw TLogError(.invalidInput, "CheckSubtreeConsistency")
        }
        if start == end {
            guard proof.isEmpty, subtreeRoot == emptyTreeHash else { throw TLogError(.invalidProof) }
            return
        }
        guard let k = subtreeLevel(start: start, end: end) else { throw TLogError(.invalidInput, "CheckSubtreeConsistency") }
        if start == 0 && end == n {
            guard proof.isEmpty, subtreeRoot == root else { throw TLogError(.invalidProof) }
            return
        }
        if end - start == Int64(1) << k {
            // A perfect subtree is a node at level k: its inclusion path up to the root.
            var fn = start >> k, sn = (n - 1) >> k
            var r = subtreeRoot
            for p in proof {
                guard sn != 0 else { throw TLogError(.invalidProof) }
                if fn & 1 == 1 || fn == sn {
                    r = nodeHash(p, r)
                    if fn & 1 == 0 {
                        while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                    }
                } else {
                    r = nodeHash(r, p)
                }
                fn >>= 1
                sn >>= 1
            }
            guard sn == 0, r == root else { throw TLogError(.invalidProof) }
            return
        }
        guard let first = proof.first else { throw TLogError(.invalidProof) }
        var fn = end - 1, sn = n - 1, level = 0
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
            level += 1
        }
        var fr = first, sr = first
        for c in proof.dropFirst() {
            guard sn != 0 else { throw TLogError(.invalidProof) }
            if fn & 1 == 1 || fn == sn {
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                        level += 1
                    }
                }
                if level < k { fr = nodeHash(c, fr) }
                sr = nodeHash(c, sr)
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
            level += 1
        }
        guard sn == 0, fr == subtreeRoot, sr == root else { throw TLogError(.invalidProof) }
    }
}
