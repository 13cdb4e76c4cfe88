/// Gives every distinct path prefix a small integer identity, storing each prefix as its parent's
/// identity plus its last element, so that the memory for all prefixes of all paths is
/// proportional to the bytes of their elements — never to the sum of the prefixes' lengths,
/// which grows with the square of a path's depth.
///
/// x/mod's `collisionChecker` keys a map by every directory prefix of every file as a string;
/// a single 64 KiB name 32,757 directories deep made a gigabyte of such keys in a Swift copy. Here the
/// same name costs one entry per element. Used by ``CollisionChecker`` (exact and case-folded
/// prefixes) and by ``ModuleZip``'s nested-module test.
///
/// Open addressing with linear probing over a power-of-two slot array; slots are hashed with
/// the standard library's per-process seeded `Hasher`, so crafted names cannot make probes
/// collide on purpose. Identities are dense, starting at 0; ``root`` names the empty prefix.
struct PathPrefixTable {
    /// The identity of the empty prefix (the parent of a path's first element).
    static let root: Int32 = -1

    /// Parent identity of each prefix.
    private var parents: [Int32] = []
    /// Where each prefix's last element starts in ``arena``.
    private var starts: [Int] = []
    /// The length of each prefix's last element.
    private var lengths: [Int32] = []
    /// The low 32 bits of each prefix's hash, to compare and rehash without rereading bytes.
    private var hashes: [UInt32] = []
    /// Every stored element's bytes, back to back.
    private var arena: [UInt8] = []
    /// Identity per slot, -1 for an empty slot; the count is a power of two at least twice the
    /// number of prefixes.
    private var slots: [Int32] = []

    /// The number of distinct prefixes stored.
    var count: Int { parents.count }

    /// The identity of the prefix `parent` + `/` + `element`, created when new. `nil` only when
    /// the table is full (2^31 − 2 prefixes or an arena beyond `Int32` element offsets cannot
    /// happen below GoModKit's name-byte caps, but is refused rather than trapped).
    mutating func intern(parent: Int32, _ element: ArraySlice<UInt8>) -> Int32? {
        let hash = Self.hash(parent, element)
        if let found = find(parent, element, hash: hash) { return found }
        guard parents.count < Int(Int32.max) - 1, element.count <= Int(Int32.max) else { return nil }
        if (parents.count + 1) * 2 > slots.count { grow() }
        let id = Int32(parents.count)
        parents.append(parent)
        starts.append(arena.count)
        lengths.append(Int32(element.count))
        hashes.append(UInt32(truncatingIfNeeded: hash))
        arena.append(contentsOf: element)
        insertSlot(id, hash: hash)
        return id
    }

    /// The identity of `parent` + `/` + `element` if it was interned.
    func lookup(parent: Int32, _ element: ArraySlice<UInt8>) -> Int32? {
        guard !slots.isEmpty else { return nil }
        return find(parent, element, hash: Self.hash(parent, element))
    }

    /// The prefix's bytes: its elements joined with `/` (for messages; linear in its length).
    func path(of id: Int32) -> [UInt8] {
        var chain: [Int32] = []
        var current = id
        while current != Self.root {
            chain.append(current)
            current = parents[Int(current)]
        }
        var out: [UInt8] = []
        for (index, node) in chain.reversed().enumerated() {
            if index > 0 { out.append(0x2F) }
            let start = starts[Int(node)]
            out.append(contentsOf: arena[start..<(start + Int(lengths[Int(node)]))])
        }
        return out
    }

    // MARK: - Hash table

    private static func hash(_ parent: Int32, _ element: ArraySlice<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(parent)
        element.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }

    private func find(_ parent: Int32, _ element: ArraySlice<UInt8>, hash: Int) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        let short = UInt32(truncatingIfNeeded: hash)
        var slot = hash & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            let node = Int(id)
            if hashes[node] == short, parents[node] == parent, Int(lengths[node]) == element.count {
                let start = starts[node]
                if arena[start..<(start + element.count)].elementsEqual(element) { return id }
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func insertSlot(_ id: Int32, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    /// Doubles the slot array and reinserts every identity (from the full hash, recomputed).
    private mutating func grow() {
        let newCount = max(64, slots.count * 2)
        slots = [Int32](repeating: -1, count: newCount)
        for node in 0..<parents.count {
            let start = starts[node]
            let hash = Self.hash(parents[node], arena[start..<(start + Int(lengths[node]))])
            insertSlot(Int32(node), hash: hash)
        }
    }
}
