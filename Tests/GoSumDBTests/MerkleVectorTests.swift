import Foundation
import GoModCore
import GoSumDB
import GoModTestSupport
import Testing

/// transparency-dev/merkle's RFC 6962 probe files (its testdata/inclusion and testdata/consistency,
/// read from ../shared/fixtures/merkle-vectors): every inclusion and consistency probe must give
/// the verdict its `wantErr` states.
@Suite struct MerkleVectorTests {
    struct Probe: Decodable {
        var leafIdx: UInt64?
        var treeSize: UInt64?
        var size1: UInt64?
        var size2: UInt64?
        var root: String?
        var root1: String?
        var root2: String?
        var leafHash: String?
        var proof: [String]?
        var start: UInt64?
        var end: UInt64?
        var size: UInt64?
        var desc: String
        var wantErr: Bool
    }

    static func probes(_ kind: String) throws -> [(String, Probe)] {
        let dir = try GoReference.requireShared().appendingPathComponent("fixtures/merkle-vectors/testdata/\(kind)")
        guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        var out: [(String, Probe)] = []
        for case let rel as String in walker where rel.hasSuffix(".json") {
            let data = try Data(contentsOf: dir.appendingPathComponent(rel))
            out.append((rel, try JSONDecoder().decode(Probe.self, from: data)))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// A hash from base64 of any length; `nil` when not exactly 32 bytes (such a "don't care"
    /// value can never match a real hash).
    static func hash(_ s: String?) -> TLog.Hash? {
        guard let s, let data = Data(base64Encoded: s) else { return nil }
        return TLog.Hash(bytes: Array(data))
    }

    static func verifyInclusion(_ p: Probe) -> Bool {
        guard let idx = p.leafIdx, let size = p.treeSize, idx <= UInt64(Int64.max), size <= UInt64(Int64.max),
              let root = hash(p.root), let leaf = hash(p.leafHash) else { return false }
        let proof = (p.proof ?? []).map(hash)
        guard proof.allSatisfy({ $0 != nil }) else { return false }
        return (try? TLog.checkRecord(proof.compactMap { $0 }, treeSize: Int64(size), root: root,
                                      record: Int64(idx), leaf: leaf)) != nil
    }

    static func verifyConsistency(_ p: Probe) -> Bool {
        guard let s1 = p.size1, let s2 = p.size2, s1 <= UInt64(Int64.max), s2 <= UInt64(Int64.max) else { return false }
        let proof = (p.proof ?? []).map(hash)
        guard proof.allSatisfy({ $0 != nil }) else { return false }
        let hashes = proof.compactMap { $0 }
        // x/mod's CheckTree (and the probes) refuse a consistency proof from the empty tree.
        if s1 == 0 { return false }
        // Equal sizes: an empty proof and identical roots; the probes use "don't care" roots that
        // are not 32 bytes long here, so compare the raw bytes (what CheckTree does for 32-byte roots).
        if s1 == s2 {
            return hashes.isEmpty && p.root1 != nil && Data(base64Encoded: p.root1 ?? "") == Data(base64Encoded: p.root2 ?? "")
        }
        guard let r1 = hash(p.root1), let r2 = hash(p.root2) else { return false }
        return (try? TLog.checkTree(hashes, treeSize: Int64(s2), root: r2, oldSize: Int64(s1), oldRoot: r1)) != nil
    }

    static func verifySubtreeInclusion(_ p: Probe) -> Bool {
        guard let idx = p.leafIdx, let start = p.start, let end = p.end,
              idx <= UInt64(Int64.max), start <= UInt64(Int64.max), end <= UInt64(Int64.max),
              let root = hash(p.root), let leaf = hash(p.leafHash) else { return false }
        let proof = (p.proof ?? []).map(hash)
        guard proof.allSatisfy({ $0 != nil }) else { return false }
        return (try? TLog.checkSubtreeInclusion(proof.compactMap { $0 }, start: Int64(start), end: Int64(end),
                                                subtreeRoot: root, index: Int64(idx), leaf: leaf)) != nil
    }

    static func verifySubtreeConsistency(_ p: Probe) -> Bool {
        guard let start = p.start, let end = p.end, let size = p.size,
              start <= UInt64(Int64.max), end <= UInt64(Int64.max), size <= UInt64(Int64.max) else { return false }
        let proof = (p.proof ?? []).map(hash)
        guard proof.allSatisfy({ $0 != nil }) else { return false }
        // Whole tree with equal sizes: identical roots, compared as raw bytes ("don't care" roots
        // may not be 32 bytes long), as in the consistency probes.
        if start == 0 && end == size && end > 0 {
            return proof.isEmpty && p.root1 != nil && Data(base64Encoded: p.root1 ?? "") == Data(base64Encoded: p.root2 ?? "")
        }
        // Otherwise a "don't care" root that is not 32 bytes matches nothing.
        guard let r1 = hash(p.root1) else { return false }
        let r2 = hash(p.root2) ?? TLog.recordHash(Array("not a 32-byte root".utf8))
        return (try? TLog.checkSubtreeConsistency(proof.compactMap { $0 }, start: Int64(start), end: Int64(end),
                                                  subtreeRoot: r1, treeSize: Int64(size), root: r2)) != nil
    }

    /// The newer subtree probes (Merkle Tree Certificates draft): 204 inclusion, 118 consistency.
    @Test func subtreeProbes() throws {
        let inclusion = try Self.probes("subtreeinclusion"), consistency = try Self.probes("subtreeconsistency")
        #expect(inclusion.count == 204 && consistency.count == 118)
        for (name, p) in inclusion { #expect(Self.verifySubtreeInclusion(p) == !p.wantErr, "\(name): \(p.desc)") }
        for (name, p) in consistency { #expect(Self.verifySubtreeConsistency(p) == !p.wantErr, "\(name): \(p.desc)") }
    }

    @Test func inclusionProbes() throws {
        let probes = try Self.probes("inclusion")
        #expect(probes.count > 50)
        for (name, p) in probes {
            #expect(Self.verifyInclusion(p) == !p.wantErr, "\(name): \(p.desc)")
        }
    }

    @Test func consistencyProbes() throws {
        let probes = try Self.probes("consistency")
        #expect(probes.count > 50)
        #expect(try Self.probes("inclusion").count + probes.count == 196)
        for (name, p) in probes {
            #expect(Self.verifyConsistency(p) == !p.wantErr, "\(name): \(p.desc)")
        }
    }
}
