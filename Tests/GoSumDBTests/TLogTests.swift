import Foundation
import GoModCore
import GoSumDB
import GoSumDBTestSupport
import Testing

/// Transparency-log math against vectors computed with x/mod's `sumdb/tlog` (Go 1.27.3's copy and
/// v0.7.0; Docs/Testing.md, "Goldens") and x/mod v0.7.0's tlog_test.go / tile_test.go tables.
@Suite struct TLogTests {
    static func h(_ s: String) throws -> TLog.Hash { try TLog.Hash(base64: s) }

    @Test func leafHashes() throws {
        #expect(TLog.recordHash(Array("leaf 0".utf8)).description == "G7l9zCFjXUfiZj79/QoXRobZjdcBNS3SzQbotD/T0wU=")
        #expect(TLog.recordHash(Array("leaf 1".utf8)).description == "y1o86GLD4yHz999tJpBUnpNqjjdxNarp89afaR9UfVs=")
        #expect(TLog.recordHash(Array("leaf 2".utf8)).description == "qze6NNHf4pAV3nF6bVdkqPsCnDp6D1tkuTtUNRiFv3w=")
        #expect(TLog.recordHash(Array("hello world".utf8)).description == "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=")
        #expect(TLog.recordHash(Array("EVIL".utf8)).description == "rRwI9L1yO6mFrcEmOb70p+EsH3BTBZFN0f6q2oV9K/M=")
    }

    static let treeHashes: [(Int64, String)] = [
        (0, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
        (1, "G7l9zCFjXUfiZj79/QoXRobZjdcBNS3SzQbotD/T0wU="), (2, "/F9riP+FVPdbsvnm85wxsZNtRLaSdu33sSBalVuXYeM="),
        (3, "1Pksj7uJcg6ztVZ3x9fvrd/rENEaGoSguo8aIzN/qpU="), (4, "T2MQhKFXxU9U/Psj/164ZQxLoWDClbsTqYMrEJ1SZ34="),
        (5, "NBUVmC1lDiNSDb1U1/zwr6G3DMOhakEdRk3JwayWwwE="), (6, "g2PDghzkHrtGIiEWpCzIPbp1OYSyPPyiaqrQpoZzNuo="),
        (7, "WmH8K1T5z6cXdPJDIUPdQMbLKxGUf69lp9PaXLZRmcg="), (8, "xcLIIO00L92ozolra5z1uMAKIcxLIHFMxuXTwFw1JAs="),
        (9, "dEfK3Ghisw3tyyjEsymQk2azvTOPapD++tzEsqiiuUg="), (16, "cUopKYyn2GQ5dRAFaUmcIwnoOm8vlwkC3EbvMuvBsA8="),
        (17, "Ru8bykxkgM1l5Q4pzBw3XbNnEc1QJF7NPmsxDG4qOD8="), (37, "/HtzXVSOrQ5/vpHJt/ZXDg114baS2ri7oGd7Hf6cNL0="),
        (64, "8mHiNpLZeP2sP9lJ21SVlApDeuZxuabd6aphGNADZS8="), (99, "dIXMo/ZnfEi/1G3nbwd/PshCm7qSdUxAbXjOMfB1eG0="),
        (100, "E/iJFcVg3JEaHaD7IJ2EoglxBR8pTr60KPs/wpOvJ0M="),
    ]

    /// TreeHash of x/mod TestTree's "leaf %d" logs (values computed with x/mod); the empty tree is
    /// SHA-256("") (RFC 6962 §2.1, as current x/mod has it).
    @Test func treeHashVectors() throws {
        let log = TestLog(leaves: TestLog.leaves(100))
        for (n, want) in Self.treeHashes {
            #expect(try log.treeHash(n).description == want, "N=\(n)")
        }
        #expect(log.stored.count == Int(TLog.storedHashCount(100)))
        #expect(TLog.storedHashCount(100) == TLog.storedHashIndex(level: 0, 100))
    }

    @Test func inclusionProofVectors() throws {
        let log = TestLog(leaves: TestLog.leaves(100))
        let p = try TLog.proveRecord(treeSize: 100, record: 37, reader: log.read)
        #expect(p.map(\.description) == ["s0iJOUVkKQwAxsx9UEPV48IZlITDAcEYKvNGdY3fEbQ=", "OFkRC2Ia2bvMlPrsumkqr45ay32xXRqkGmqk4mmKIGk=",
                                          "W+d7jKTb7oTFmtC8yxfVbHM3UNCm0beA3j2Olp3QMWI=", "IFQ7jalskgBDvkqooacH36ByRDZ2D7pWPDROL9wwqIU=",
                                          "nElKb1se8i1C8FCfRZNrilwF6OoGvvi0IyTxX9Usl9Y=", "mltaKilXHK09gVVfNL8yVv2lYnlpHN7DT1fI9ISss/o=",
                                          "Ww8HmgYW6QBAbUdlvADEdLQtGc3Ps/Qs678QKnwkB/w="])
        #expect(try TLog.proveRecord(treeSize: 7, record: 0, reader: log.read).map(\.description)
                == ["y1o86GLD4yHz999tJpBUnpNqjjdxNarp89afaR9UfVs=", "T3SUBxyjgqXFBnzEEHepmf13IuBqJqqd53G+kz3BAh0=",
                    "AVcbVXvHBnJlDUZ8e62DN+CafzVKcgUfI7Q6eCwPSOY="])
        #expect(try TLog.proveRecord(treeSize: 7, record: 6, reader: log.read).map(\.description)
                == ["dauSgmjIb0TaXUJBGI7XHkqrLU131tUBF9rZSoQu3gM=", "T2MQhKFXxU9U/Psj/164ZQxLoWDClbsTqYMrEJ1SZ34="])
    }

    @Test func consistencyProofVectors() throws {
        let log = TestLog(leaves: TestLog.leaves(100))
        #expect(try TLog.proveTree(treeSize: 100, oldSize: 37, reader: log.read).map(\.description)
                == ["s0iJOUVkKQwAxsx9UEPV48IZlITDAcEYKvNGdY3fEbQ=", "kAI2mHOU4t9fH4VMoQP22+YMp8FQ8JRBQSq7mpXSV4Q=",
                    "OFkRC2Ia2bvMlPrsumkqr45ay32xXRqkGmqk4mmKIGk=", "W+d7jKTb7oTFmtC8yxfVbHM3UNCm0beA3j2Olp3QMWI=",
                    "IFQ7jalskgBDvkqooacH36ByRDZ2D7pWPDROL9wwqIU=", "nElKb1se8i1C8FCfRZNrilwF6OoGvvi0IyTxX9Usl9Y=",
                    "mltaKilXHK09gVVfNL8yVv2lYnlpHN7DT1fI9ISss/o=", "Ww8HmgYW6QBAbUdlvADEdLQtGc3Ps/Qs678QKnwkB/w="])
        #expect(try TLog.proveTree(treeSize: 7, oldSize: 3, reader: log.read).map(\.description)
                == ["qze6NNHf4pAV3nF6bVdkqPsCnDp6D1tkuTtUNRiFv3w=", "WL0UluFoSqySAcLmh+565PUclqiw2B7zWDYouT0800U=",
                    "/F9riP+FVPdbsvnm85wxsZNtRLaSdu33sSBalVuXYeM=", "AVcbVXvHBnJlDUZ8e62DN+CafzVKcgUfI7Q6eCwPSOY="])
        #expect(try TLog.proveTree(treeSize: 8, oldSize: 4, reader: log.read).map(\.description)
                == ["w+azuR86E7mkJwss2RFiOrs6eoVa9ebktxyE+ZDNxGk="])
    }

    /// x/mod TestTree: for every (size ≤ 100, index), proofs verify, and every
    /// single-bit flip of any proof hash is rejected.
    @Test func allProofsVerifyAndEveryBitFlipFails() throws {
        let log = TestLog(leaves: TestLog.leaves(100))
        var flips = 0
        let roots = try (0...100).map { try log.treeHash(Int64($0)) }
        for t in Int64(1)...100 {
            let th = roots[Int(t)]
            for n in Int64(0)..<t {
                let leaf = TLog.recordHash(Array("leaf \(n)".utf8))
                let p = try TLog.proveRecord(treeSize: t, record: n, reader: log.read)
                try TLog.checkRecord(p, treeSize: t, root: th, record: n, leaf: leaf)
                let q = try TLog.proveTree(treeSize: t, oldSize: n + 1, reader: log.read)
                let oh = roots[Int(n) + 1]
                try TLog.checkTree(q, treeSize: t, root: th, oldSize: n + 1, oldRoot: oh)
                // Flip one bit in each proof hash (a rotating bit keeps this fast and still touches all).
                for (i, hash) in p.enumerated() {
                    var bytes = hash.bytes
                    bytes[Int((t + n) % 32)] ^= UInt8(1 << ((Int(n) + i) % 8))
                    var bad = p
                    bad[i] = try #require(TLog.Hash(bytes: bytes))
                    #expect(throws: TLogError(.invalidProof)) { try TLog.checkRecord(bad, treeSize: t, root: th, record: n, leaf: leaf) }
                    flips += 1
                }
                for (i, hash) in q.enumerated() {
                    var bytes = hash.bytes
                    bytes[Int((t * 7 + n) % 32)] ^= UInt8(1 << ((Int(n) + i) % 8))
                    var bad = q
                    bad[i] = try #require(TLog.Hash(bytes: bytes))
                    #expect(throws: TLogError(.invalidProof)) {
                        try TLog.checkTree(bad, treeSize: t, root: th, oldSize: n + 1, oldRoot: oh)
                    }
                    flips += 1
                }
            }
        }
        #expect(flips > 20000)
    }

    @Test func invalidProofInputs() throws {
        let x = TLog.emptyTreeHash
        #expect(throws: TLogError(.invalidInput)) { try TLog.checkRecord([], treeSize: 5, root: x, record: 5, leaf: x) }
        #expect(throws: TLogError(.invalidInput)) { try TLog.checkRecord([], treeSize: 5, root: x, record: -1, leaf: x) }
        #expect(throws: TLogError(.invalidInput)) { try TLog.checkTree([], treeSize: 5, root: x, oldSize: 6, oldRoot: x) }
        #expect(throws: TLogError(.invalidInput)) { try TLog.checkTree([], treeSize: 5, root: x, oldSize: 0, oldRoot: x) }
    }

    /// x/mod `tlog.StoredHashIndex` / `SplitStoredHashIndex` values (computed with x/mod).
    @Test func storedHashIndexVectors() throws {
        let rows: [(Int, Int64, Int64)] = [(0, 0, 0), (0, 1, 1), (1, 0, 2), (0, 2, 3), (0, 3, 4), (0, 5, 8), (1, 2, 9),
                                           (2, 1, 13), (8, 0, 510), (0, 256, 511), (1, 128, 513), (8, 1, 1021),
                                           (0, 7_010_942, 14_021_868)]
        for (level, n, want) in rows {
            #expect(TLog.storedHashIndex(level: level, n) == want)
            let split = TLog.splitStoredHashIndex(want)
            #expect(split.level == level && split.n == n)
        }
        for index in Int64(0)..<5000 {
            let (l, n) = TLog.splitStoredHashIndex(index)
            #expect(TLog.storedHashIndex(level: l, n) == index)
        }
    }

    /// x/mod tlog's `FormatTree` golden (note_test.go), `ParseTree` ignoring extra lines, `ParseRecord`.
    @Test func treeAndRecordFormats() throws {
        let hash = TLog.recordHash(Array("hello world".utf8))
        let tree = TLog.Tree(size: 123_456_789_012, hash: hash)
        #expect(tree.noteText == Array("go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n".utf8))
        #expect(try TLog.Tree(noteText: tree.noteText) == tree)
        let extra = tree.noteText + Array("rsc.io/sampler v1.3.0 h1:EVIL\n".utf8)
        #expect(try TLog.Tree(noteText: extra) == tree)
        #expect(TLog.Tree.hasExtraLines(extra) && !TLog.Tree.hasExtraLines(tree.noteText))
        for size in ["0x10", "007", "+5", "-1", "12345678901234567890", ""] {
            let text = Array("go.sum database tree\n\(size)\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n".utf8)
            #expect(throws: TLogError(.malformedTree)) { try TLog.Tree(noteText: text) }
        }
        for bad in ["go.sum database tree\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwB==\n",
                    "go.sum database tree\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0AAAA=\n",
                    "go.sum database tree\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=",
                    "go.sum database tre\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"] {
            #expect(throws: TLogError(.malformedTree)) { try TLog.Tree(noteText: Array(bad.utf8)) }
        }
        let huge = Array("go.sum database tree\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n".utf8) + [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(throws: TLogError(.malformedTree)) { try TLog.Tree(noteText: huge) }

        #expect(try TLog.Record.format(id: 123_456_789_012, text: Array("hello, world\n".utf8))
                == Array("123456789012\nhello, world\n\n".utf8))
        let r = try TLog.Record(parsing: Array("5\nx\n\nnote".utf8))
        #expect(r.id == 5 && r.text == Array("x\n".utf8) && r.note == Array("note".utf8))
        for bad in ["-1\nx\n\n", "-9223372036854775808\nx\n\n", "+5\nx\n\n", "007\nx\n\n", "5\nx\u{01}\n\n",
                    "5\nx\n", "5", "99999999999999999999\nx\n\n"] {
            #expect(throws: TLogError(.malformedRecord)) { try TLog.Record(parsing: Array(bad.utf8)) }
        }
        #expect(throws: TLogError(.malformedRecord)) { try TLog.Record(parsing: Array("5\n".utf8) + [0xFF, 0x0A, 0x0A]) }
        // Go's isValidRecordText accepts a leading empty line: text "\nx\n".
        #expect(try TLog.Record(parsing: Array("5\n\nx\n\n".utf8)).text == Array("\nx\n".utf8))
    }

    /// x/mod TestTilePath and tile paths computed with x/mod's `tlog.Tile.Path`.
    @Test func tilePaths() throws {
        let rows: [(Int, Int, Int64, Int, String)] = [
            (8, 0, 0, 256, "tile/8/0/000"), (8, 0, 1234, 17, "tile/8/0/x001/234.p/17"), (8, 2, 0, 142, "tile/8/2/000.p/142"),
            (8, -1, 1_234_067, 256, "tile/8/data/x001/x234/067"), (8, 1, 1_234_567, 3, "tile/8/1/x001/x234/567.p/3"),
            (4, 0, 1, 16, "tile/4/0/001"), (4, 0, 1, 5, "tile/4/0/001.p/5"), (3, 5, 123_456_078, 8, "tile/3/5/x123/x456/078"),
            (3, 5, 123_456_078, 2, "tile/3/5/x123/x456/078.p/2"), (1, 0, 3_057_500, 2, "tile/1/0/x003/x057/500"),
            (1, -1, 3_057_500, 2, "tile/1/data/x003/x057/500"),
        ]
        for (h, l, k, w, path) in rows {
            let tile = TLog.Tile(height: h, level: l, index: k, width: w)
            #expect(tile.path == path)
            #expect(try TLog.Tile(path: path) == tile)
        }
        for bad in ["tile/3/5/123/456/078", "tile/3/-1/123/456/078", "tile/8/0/000.p/0", "tile/8/0/000.p/256", "tile/0/0/000",
                    "tile/31/0/000", "tile/8/0/0000", "tile/8/0/x1000/000", "tile/8/0/00", "tile/8/0", "tiles/8/0/000",
                    "tile/8/0/x000/001", "tile/8/+1/000", "tile/8/0/000.p/07", "tile/8/64/000"] {
            #expect(throws: TLogError(.malformedTilePath)) { try TLog.Tile(path: bad) }
        }
    }

    /// x/mod TestTiles-style: hashes read through authenticated tiles equal the stored hashes, for
    /// every tree size ≤ 100 and heights 1–3, and TilePlan's tiles are the documented ones.
    @Test func tileReadsMatchStoredHashes() throws {
        let log = TestLog(leaves: TestLog.leaves(100))
        for h in 1...3 {
            for n in Int64(1)...100 {
                let tree = try log.tree(n)
                let indexes = (0..<n).map { TLog.storedHashIndex(level: 0, $0) }
                let plan = try TLog.TilePlan(tree: tree, height: h, indexes: indexes)
                let data = try plan.tiles.map { try #require(log.tileData($0)) }
                #expect(try plan.authenticate(data) == log.read(indexes))
                #expect(try TLog.treeHash(size: n, reader: { try TLog.TilePlan(tree: tree, height: h, indexes: $0).authenticate(
                    TLog.TilePlan(tree: tree, height: h, indexes: $0).tiles.map { log.tileData($0) ?? [] }) }) == tree.hash)
            }
        }
        let plan = try TLog.TilePlan(tree: try log.tree(7), height: 2, indexes: [TLog.storedHashIndex(level: 0, 0)])
        #expect(plan.tiles.map(\.path) == ["tile/2/1/000.p/1", "tile/2/0/001.p/3", "tile/2/0/000"])
        #expect(plan.rootTileCount == 2)
    }

    /// The minimal CVE-2026-56865 case (go.dev/issue/80744; 7 records, H = 2, a forged `tile/2/0/000`) is rejected.
    @Test func minimalForgedTile() throws {
        let honest = TestLog(leaves: TestLog.leaves(7))
        let forged = TestLog(leaves: [Array("EVIL".utf8)] + TestLog.leaves(7).dropFirst())
        let tree = try honest.tree(7)
        #expect(tree.hash.description == "WmH8K1T5z6cXdPJDIUPdQMbLKxGUf69lp9PaXLZRmcg=")
        let plan = try TLog.TilePlan(tree: tree, height: 2, indexes: [0])
        let data = try plan.tiles.map { tile in try #require(tile.path == "tile/2/0/000" ? forged.tileData(tile) : honest.tileData(tile)) }
        #expect(throws: TLogError(.inconsistentTile)) { try plan.authenticate(data) }
    }

    /// CVE-2026-56865 (go.dev/issue/80744): for H ∈ {1, 2, 3}, every tree size N ≤ 128 and every index, a log
    /// whose leaf is replaced serves every non-root tile; zero acceptances. Honest tiles are accepted.
    @Test(arguments: [1, 2, 3]) func forgedTilesNeverAccepted(height: Int) throws {
        let maxN = 128
        let honest = TestLog(leaves: TestLog.leaves(maxN))
        let trees = try (0...maxN).map { try honest.tree(Int64($0)) }
        var accepted = 0, cases = 0
        for i in 0..<maxN {
            var leaves = TestLog.leaves(maxN)
            leaves[i] = Array("EVIL \(i)".utf8)
            let forged = TestLog(leaves: leaves)
            for n in Int64(i + 1)...Int64(maxN) {
                let tree = trees[Int(n)]
                let plan = try TLog.TilePlan(tree: tree, height: height, indexes: [TLog.storedHashIndex(level: 0, Int64(i))])
                let honestData = try plan.tiles.map { try #require(honest.tileData($0)) }
                #expect(try plan.authenticate(honestData) == [TLog.recordHash(Array("leaf \(i)".utf8))])
                guard plan.tiles.count > plan.rootTileCount else { continue }
                var data = honestData
                for j in plan.rootTileCount..<plan.tiles.count { data[j] = try #require(forged.tileData(plan.tiles[j])) }
                cases += 1
                if (try? plan.authenticate(data)) != nil { accepted += 1 }
                // Wrong length and a flipped byte in any tile are rejected.
                for j in 0..<plan.tiles.count where (Int(n) + j) % 11 == 0 {
                    var bad = honestData
                    bad[j][(Int(n) * 7) % bad[j].count] ^= 0x80
                    #expect(throws: TLogError(.inconsistentTile)) { try plan.authenticate(bad) }
                    bad = honestData
                    bad[j].append(0)
                    #expect(throws: TLogError(.inconsistentTile)) { try plan.authenticate(bad) }
                }
            }
        }
        #expect(accepted == 0)
        #expect(cases > 1000)
    }

    /// Larger trees (sizes up to 3,000, H = 2 and 3): forged non-root tiles for sampled indexes.
    @Test(arguments: [2, 3]) func forgedTilesLargeTrees(height: Int) throws {
        let maxN = 3000
        let honest = TestLog(leaves: TestLog.leaves(maxN))
        let trees = try (0...maxN).map { try honest.tree(Int64($0)) }
        var accepted = 0, cases = 0
        for i in stride(from: 0, to: maxN, by: 97) {
            var leaves = TestLog.leaves(maxN)
            leaves[i] = Array("EVIL".utf8)
            let forged = TestLog(leaves: leaves)
            for n in stride(from: Int64(i + 1), through: Int64(maxN), by: 13) {
                let plan = try TLog.TilePlan(tree: trees[Int(n)], height: height, indexes: [TLog.storedHashIndex(level: 0, Int64(i))])
                guard plan.tiles.count > plan.rootTileCount else { continue }
                var data = try plan.tiles.map { try #require(honest.tileData($0)) }
                for j in plan.rootTileCount..<plan.tiles.count { data[j] = try #require(forged.tileData(plan.tiles[j])) }
                cases += 1
                if (try? plan.authenticate(data)) != nil { accepted += 1 }
            }
        }
        #expect(accepted == 0)
        #expect(cases > 1000)
    }
}
