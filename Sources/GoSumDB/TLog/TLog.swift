import GoModCore
import Crypto
import GoModPlatform

/// The checksum database's transparency log (x/mod `sumdb/tlog`): RFC 6962 hashing, stored-hash
/// indexes, tree hashes, inclusion and consistency proofs, tiles, and the tree/record formats.
public enum TLog {
    /// A 32-byte SHA-256 hash in the log (x/mod `tlog.Hash`); ``description`` is standard base64.
    public struct Hash: Hashable, Sendable, CustomStringConvertible, Codable {
        /// The 32 bytes.
        public let bytes: [UInt8]

        /// The hash size in bytes.
        public static let size = 32

        /// Wraps 32 bytes; `nil` for any other length.
        public init?(bytes: [UInt8]) {
            guard bytes.count == Hash.size else { return nil }
            self.bytes = bytes
        }

        init(unchecked bytes: [UInt8]) { self.bytes = bytes }

        /// Parses canonical standard base64 of 32 bytes (x/mod `tlog.ParseHash`, stricter: no
        /// non-zero trailing bits).
        public init(base64 text: some Collection<UInt8>) throws(TLogError) {
            guard let raw = Base64.decode(text), raw.count == Hash.size else { throw TLogError(.malformedHash) }
            self.bytes = raw
        }

        /// Parses canonical standard base64 of 32 bytes.
        public init(base64 text: String) throws(TLogError) { try self.init(base64: Array(text.utf8)) }

        /// Standard base64 (x/mod `Hash.String`).
        public var description: String { Base64.encodeString(bytes) }

        /// Decodes from a base64 string.
        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            do { try self.init(base64: text) } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "malformed hash"))
            }
        }

        /// Encodes as a base64 string.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }

    /// The largest tree size GoModKit accepts (2^62): keeps every stored-hash index within `Int64`.
    /// Go accepts any non-negative `int64` and then wraps in its index arithmetic.
    public static let maxTreeSize: Int64 = 1 << 62

    /// SHA-256 of the empty string: the hash of the empty tree (current x/mod; RFC 6962).
    public static let emptyTreeHash = Hash(unchecked: Array(SHA256.hash(data: [UInt8]())))

    /// `SHA-256(0x00 ‖ data)`: the leaf hash of a record (x/mod `tlog.RecordHash`).
    public static func recordHash(_ data: [UInt8]) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0])
        hasher.update(data: data)
        return Hash(unchecked: Array(hasher.finalize()))
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`: an interior node (x/mod `tlog.NodeHash`).
    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [1])
        hasher.update(data: left.bytes)
        hasher.update(data: right.bytes)
        return Hash(unchecked: Array(hasher.finalize()))
    }

    /// The position of hash (level, n) in storage order (x/mod `tlog.StoredHashIndex`).
    public static func storedHashIndex(level: Int, _ n: Int64) -> Int64 {
        var n = n
        for _ in 0..<max(level, 0) { n = n &* 2 &+ 1 }
        var i: Int64 = 0
        while n > 0 {
            i &+= n
            n >>= 1
        }
        return i &+ Int64(level)
    }

    /// Inverts ``storedHashIndex(level:_:)`` (x/mod `tlog.SplitStoredHashIndex`); `index ≥ 0`.
    public static func splitStoredHashIndex(_ index: Int64) -> (level: Int, n: Int64) {
        var n = index / 2
        var indexN = storedHashIndex(level: 0, n)
        while true {
            let x = indexN &+ 1 &+ Int64((UInt64(bitPattern: n &+ 1)).trailingZeroBitCount)
            if x > index { break }
            n += 1
            indexN = x
        }
        let level = Int(index - indexN)
        return (level, n >> level)
    }

    /// The number of stored hashes for a tree of `n` records (x/mod `tlog.StoredHashCount`).
    public static func storedHashCount(_ n: Int64) -> Int64 {
        guard n > 0 else { return 0 }
        var count = storedHashIndex(level: 0, n - 1) + 1
        var i = UInt64(n - 1)
        while i & 1 != 0 {
            count += 1
            i >>= 1
        }
        return count
    }

    /// The hashes to store when appending record `n` with leaf hash `leaf`, given a reader of
    /// earlier stored hashes (x/mod `tlog.StoredHashesForRecordHash`).
    public static func storedHashes(forRecord n: Int64, leaf: Hash,
                                    reader: ([Int64]) throws -> [Hash]) rethrows -> [Hash] {
        var hashes = [leaf]
        let m = (UInt64(bitPattern: n + 1)).trailingZeroBitCount
        var indexes = [Int64](repeating: 0, count: m)
        for i in 0..<m { indexes[m - 1 - i] = storedHashIndex(level: i, (n >> i) - 1) }
        let old = try reader(indexes)
        var h = leaf
        for i in 0..<m {
            h = nodeHash(old[m - 1 - i], h)
            hashes.append(h)
        }
        return hashes
    }

    /// The largest power of two `k` with `k < n` (and its log), for `n ≥ 2`; 1 for `n ≤ 2`.
    /// Callers keep `n ≤ maxTreeSize + 1`; the loop is bounded regardless (Go's `maxpow2` never
    /// ends for n > 2^62, found by FuzzTLog).
    static func maxpow2(_ n: Int64) -> (k: Int64, level: Int) {
        var l = 0
        while l < 62 && (Int64(1) << (l + 1)) < n { l += 1 }
        return (Int64(1) << l, l)
    }

    /// Stored-hash indexes of the maximal complete subtrees of [lo, hi).
    static func subTreeIndex(_ lo: Int64, _ hi: Int64, _ need: inout [Int64]) {
        var lo = lo
        while lo < hi {
            let (k, level) = maxpow2(hi - lo + 1)
            need.append(storedHashIndex(level: level, lo >> level))
            lo += k
        }
    }

    /// Combines the subtree hashes of [lo, hi) taken from the front of `hashes`.
    static func subTreeHash(_ lo: Int64, _ hi: Int64, _ hashes: inout ArraySlice<Hash>) -> Hash {
        var lo = lo
        var count = 0
        while lo < hi {
            lo += maxpow2(hi - lo + 1).k
            count += 1
        }
        let taken = Array(hashes.prefix(count))
        hashes = hashes.dropFirst(count)
        var h = taken[count - 1]
        var i = count - 2
        while i >= 0 {
            h = nodeHash(taken[i], h)
            i -= 1
        }
        return h
    }

    /// The stored-hash indexes ``treeHash(size:hashes:)`` needs.
    public static func treeHashIndexes(size n: Int64) -> [Int64] {
        var need: [Int64] = []
        if n > 0 && n <= maxTreeSize { subTreeIndex(0, n, &need) }
        return need
    }

    /// The root hash of the first `n` records from the hashes at ``treeHashIndexes(size:)``
    /// (x/mod `tlog.TreeHash`); the empty tree hashes to SHA-256("").
    public static func treeHash(size n: Int64, hashes: [Hash]) throws(TLogError) -> Hash {
        if n == 0 { return emptyTreeHash }
        guard n > 0, n <= maxTreeSize, hashes.count == treeHashIndexes(size: n).count else { throw TLogError(.invalidInput, "TreeHash") }
        var slice = hashes[...]
        return subTreeHash(0, n, &slice)
    }

    /// `TreeHash(n)` with a synchronous hash reader (x/mod `tlog.TreeHash`).
    public static func treeHash(size n: Int64, reader: ([Int64]) throws -> [Hash]) throws -> Hash {
        try treeHash(size: n, hashes: n == 0 ? [] : reader(treeHashIndexes(size: n)))
    }
}
