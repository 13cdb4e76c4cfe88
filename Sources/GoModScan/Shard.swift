internal import Crypto

/// A shard of a scan: which units (repositories) this run owns (Docs/scan.md).
public struct ShardSpec: Sendable, Hashable, CustomStringConvertible {
    /// The 0-based index.
    public let index: Int
    /// The number of shards.
    public let count: Int

    /// The whole scan as one shard.
    public static let single = ShardSpec(uncheckedIndex: 0, count: 1)

    private init(uncheckedIndex: Int, count: Int) {
        self.index = uncheckedIndex
        self.count = count
    }

    /// A shard; `ScanError.Code.usage` unless `0 ≤ index < count`.
    public init(index: Int, count: Int) throws(ScanError) {
        guard count >= 1 else { throw ScanError(.usage, "shard count must be at least 1, got \(count)") }
        guard index >= 0, index < count else {
            throw ScanError(.usage, "shard index \(index) out of range: want 0 ≤ index < \(count)")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    /// Resolves the shard from flags and environment: `--shard-index`, else
    /// `$JOB_COMPLETION_INDEX`, else `$GOMODKIT_SHARD_INDEX`; `--shard-count`, else
    /// `$GOMODKIT_SHARD_COUNT`. With neither index nor count anywhere, the whole scan. One
    /// without the other, a non-number, or `I ≥ N` is a usage error.
    public static func resolve(index: Int?, count: Int?, environment: [String: String]) throws(ScanError) -> ShardSpec {
        func number(_ name: String) throws(ScanError) -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let n = Int(text) else { throw ScanError(.usage, "$\(name)=\(text): not a number") }
            return n
        }
        let i: Int?
        if let index { i = index } else if let e = try number("JOB_COMPLETION_INDEX") { i = e } else { i = try number("GOMODKIT_SHARD_INDEX") }
        var n: Int? = count
        if n == nil { n = try number("GOMODKIT_SHARD_COUNT") }
        switch (i, n) {
        case (nil, nil): return .single
        case (nil, .some(let n)): throw ScanError(.usage, "shard count \(n) given without a shard index (--shard-index or $JOB_COMPLETION_INDEX)")
        case (.some(let i), nil): throw ScanError(.usage, "shard index \(i) given without a shard count (--shard-count or $GOMODKIT_SHARD_COUNT)")
        case (.some(let i), .some(let n)): return try ShardSpec(index: i, count: n)
        }
    }

    /// The shard that owns a unit: the first 8 bytes of SHA-256 of the unit key's bytes, read as
    /// a big-endian unsigned integer, modulo ``count`` (Docs/scan.md). The same
    /// on every platform and in every run.
    public static func shard(of key: [UInt8], count: Int) -> Int {
        let digest = Array(SHA256.hash(data: key))
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return Int(value % UInt64(count))
    }

    /// Whether this shard owns the unit `key`.
    public func owns(_ key: [UInt8]) -> Bool { Self.shard(of: key, count: count) == index }

    /// `shard-<I>-of-<N>`: the stem of this shard's output and journal files.
    public var fileStem: String { "shard-\(index)-of-\(count)" }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }
}
