import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
import GoModTestSupport

/// Differential tests against Go (Docs/Testing.md, "The Go references"): `Tests/Reference/zipref` prints, for each zip,
/// what Go's `archive/zip`, x/mod `dirhash.HashZip` and `zip.CheckZip` say. For every zip
/// GoModKit accepts (either mode), the entry list and every entry's content must equal Go's
/// view; Go's verdict on each numbered hostile archive (`rowNN-…`) is asserted from the live
/// reference, both flavours where installed.
@Suite("Zip container vs Go archive/zip (live reference)", .serialized)
struct ZipReferenceTests {
    struct GoEntry: Decodable {
        var name_hex: String
        var method: UInt16
        var csize: UInt64
        var usize: UInt64
        var crc32: UInt32
        var content_hex: String?
        var sha256: String?
        var read_error: String?
    }

    struct GoResult: Decodable {
        var path: String
        var go: String
        var open_error: String?
        var entries: [GoEntry]
        var hashzip: String?
        var hashzip_error: String?
        var checkzip_error: String?
    }

    static let p = ZipBuilder.prefix

    /// The hostile and honest archives (numbered as in ZipArchiveSecurityTests) whose Go behaviour is recorded.
    static func cases() -> [(String, [UInt8])] {
        var list: [(String, [UInt8])] = []
        func add(_ name: String, _ build: (inout ZipBuilder) -> Void) {
            var zip = ZipBuilder.baseline()
            build(&zip)
            list.append((name, zip.bytes))
        }
        add("row01-baseline") { _ in }
        add("row05-trailing") { $0.trailing = Array("TRAILING-GARBAGE".utf8) }
        add("row06-comment") { $0.comment = Array("hello".utf8) }
        add("row07-prefix") { $0.prefix = Array("#!/bin/sh\nexit 0\n".utf8) }
        add("row08-sfx") { $0.prefix = Array(repeating: 0x90, count: 100); $0.offsetsIncludePrefix = true }
        add("row09-count5") { $0.end.count = 5; $0.end.countOnDisk = 5 }
        add("row19-lfh-name") { $0.entries[1].local.name = Array((p + "evil.go").utf8) }
        add("row20-lfh-method") { $0.entries[1].local.method = 0 }
        add("row21-lfh-sizes") { $0.entries[1].local.compressedSize = 1; $0.entries[1].local.uncompressedSize = 1 }
        add("row23-alias") {
            var alias = ZipBuilder.Entry(p + "m2.go", "package m\n\nfunc F() int { return 42 }\n")
            alias.aliasOf = 1
            $0.entries.append(alias)
        }
        add("row24-alias-sizes") {
            var alias = ZipBuilder.Entry(p + "alias.go", "module example.com/m\n")
            alias.aliasOf = 0
            $0.entries.append(alias)
        }
        add("row28-usize-small") { $0.entries[0].local.uncompressedSize = 5; $0.entries[0].central.uncompressedSize = 5 }
        add("row29-usize-large") {
            let n = UInt32($0.entries[0].content.count) + 100
            $0.entries[0].local.uncompressedSize = n; $0.entries[0].central.uncompressedSize = n
        }
        add("row31-cut") { $0.entries[1].data = Array($0.entries[1].dataBytes.prefix(5)) }
        add("row32-hidden") { $0.entries[1].data = $0.entries[1].dataBytes + Array("HIDDEN-PAYLOAD".utf8) }
        add("row35-crc") { $0.entries[1].local.crc32 = 0xDEAD_BEEF; $0.entries[1].central.crc32 = 0xDEAD_BEEF }
        add("row36-crc0") { $0.entries[1].local.crc32 = 0; $0.entries[1].central.crc32 = 0 }
        add("row37-dd-crc") { $0.entries[1].descriptor = ZipBuilder.Descriptor(crc32: 0x1234_5678) }
        add("row38-dd-sizes") { $0.entries[1].descriptor = ZipBuilder.Descriptor(compressedSize: 1, uncompressedSize: 1) }
        add("row39-dd-missing") { $0.entries[1].descriptor = ZipBuilder.Descriptor(omit: true) }
        add("row40-encrypted-flag") { $0.entries[1].flags = 1 }
        add("row41-bzip2") { $0.entries[1].method = 12; $0.entries[1].data = Array("opaque".utf8) }
        add("row42-latin1") {
            $0.entries.append(ZipBuilder.Entry(name: Array((p + "caf").utf8) + [0xE9] + Array(".go".utf8), content: Array("package m\n".utf8)))
        }
        add("desc-nosig") { $0.entries[0].descriptor = ZipBuilder.Descriptor(signature: false) }
        add("desc-wide") { $0.entries[1].descriptor = ZipBuilder.Descriptor(wide: true) }
        add("zip64") {
            $0.entries[0].zip64 = true
            $0.entries[1].zip64 = true
            $0.entries[1].descriptor = ZipBuilder.Descriptor()
            $0.zip64End = ZipBuilder.Zip64End()
        }
        add("stored") { $0.entries[0].method = 0; $0.entries[1].method = 0 }
        add("directory") { $0.entries.append(ZipBuilder.Entry(p + "sub/", "", method: 0)) }
        list.append(("row25-bomb400", ZipArchiveSecurityTests.fullOverlapBomb(400)))
        list.append(("empty", ZipBuilder().bytes))
        list.append(("go-cve202141772", GoZipVectors.cve202141772))
        list.append(("go-compressed-directory", GoZipVectors.compressedDirectory))
        list.append(("go-issue12449", GoZipVectors.issue12449))
        list.append(("go-issue10957", GoZipVectors.issue10957))
        list.append(("go-issue11146", GoZipVectors.issue11146))
        list.append(("go-cve202127919", GoZipVectors.cve202127919))
        return list
    }

    /// Writes the cases (plus Go's own testdata zips) and runs the reference on all of them.
    static func run(flavour: GoReference.Flavour) throws -> [(String, [UInt8], GoResult)] {
        let program = try GoReference.program("zipref", flavour: flavour)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-zipref-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var all = cases()
        if let testdata = ZipTest.goZipTestdata {
            for file in try FileManager.default.contentsOfDirectory(atPath: testdata.path).sorted()
            where file.hasSuffix(".zip") || file.hasSuffix(".notzip") {
                all.append(("go-testdata-" + file, Array(try Data(contentsOf: testdata.appendingPathComponent(file)))))
            }
        }
        var paths: [String] = []
        for (name, bytes) in all {
            let path = dir.appendingPathComponent(name + ".zip").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let output = try GoReference.run(program, ["-m", "example.com/m@v1.0.0"] + paths)
        #expect(output.status == 0, "\(output.stderrText)")
        let lines = output.stdout.split(separator: UInt8(ascii: "\n"))
        try #require(lines.count == all.count)
        return try zip(all, lines).map { item, line in
            (item.0, item.1, try JSONDecoder().decode(GoResult.self, from: Data(line)))
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { hex2($0) }.joined() }

    /// Every archive GoModKit opens must list what Go lists; every entry GoModKit reads must
    /// have been read by Go with the same content.
    static func compare(_ results: [(String, [UInt8], GoResult)], olderGoRejects: Set<String> = []) {
        for (name, bytes, go) in results {
            for mode in [ZipArchive.Mode.strict, .goCompatible] {
                guard let archive = try? ZipArchive(bytes: bytes, mode: mode) else { continue }
                guard go.open_error == nil else {
                    if mode == .goCompatible && olderGoRejects.contains(name) { continue }
                    Issue.record("\(name) (\(mode)): GoModKit opens it, Go says \(go.open_error!)")
                    continue
                }
                #expect(archive.entries.map { hex($0.name.bytes) } == go.entries.map(\.name_hex), "\(name) \(mode)")
                #expect(archive.entries.map { UInt64($0.uncompressedSize) } == go.entries.map(\.usize), "\(name) \(mode)")
                #expect(archive.entries.map { UInt64($0.compressedSize) } == go.entries.map(\.csize), "\(name) \(mode)")
                #expect(archive.entries.map(\.method) == go.entries.map(\.method), "\(name) \(mode)")
                guard let reader = try? ZipEntryReader() else { continue }
                for (entry, goEntry) in zip(archive.entries, go.entries) {
                    var data: [UInt8] = []
                    do throws(ZipError) {
                        try reader.read(entry, in: archive) { data.append(contentsOf: $0) }
                    } catch {
                        continue
                    }
                    #expect(goEntry.read_error == nil, "\(name) \(mode) \(entry.name): we read it, Go: \(goEntry.read_error ?? "")")
                    if let goHex = goEntry.content_hex ?? (goEntry.sha256 != nil && data.isEmpty ? "" : nil) {
                        #expect(hex(data) == goHex, "\(name) \(mode) \(entry.name)")
                    } else {
                        #expect(data.count > 64 << 10, "\(name) \(mode) \(entry.name): Go gave no content")
                    }
                }
            }
        }
    }

    @Test("Go 1.27.3: entry lists and contents agree; Go's verdicts on the hostile zips hold")
    func current() throws {
        let results = try Self.run(flavour: .current)
        Self.compare(results)
        let go = Dictionary(results.map { ($0.0, $0.2) }, uniquingKeysWith: { a, _ in a })
        let baselineHash = "h1:LUprbKSxxKekvD4SC0fYrNz4tTECj08ZRU3pkRjJwlE="
        // Row 1: the builder's baseline has the h1: computed with x/mod's dirhash.HashZip.
        #expect(go["row01-baseline"]?.hashzip == baselineHash)
        #expect(go["row01-baseline"]?.checkzip_error == nil)
        // Rows Go accepts although strict mode rejects them (Docs/stricter-than-go.md).
        for name in ["row05-trailing", "row06-comment", "row07-prefix", "row08-sfx", "row19-lfh-name",
                     "row20-lfh-method", "row21-lfh-sizes", "row32-hidden", "row38-dd-sizes", "row40-encrypted-flag"] {
            #expect(go[name]?.hashzip == baselineHash, "\(name): \(go[name]?.hashzip_error ?? "")")
        }
        // Row 36: CRC 0 is not checked — same h1 as the baseline.
        #expect(go["row36-crc0"]?.hashzip == baselineHash)
        // Row 23: both aliases hashed.
        #expect(go["row23-alias"]?.hashzip == "h1:e67mvrZ5OeLICoXMlGmlD6DxnFNTWPTkv/x4C777Mo8=")
        #expect(go["row23-alias"]?.checkzip_error == nil)
        // Row 24: CheckZip accepts; reading the alias fails.
        #expect(go["row24-alias-sizes"]?.checkzip_error == nil)
        #expect(go["row24-alias-sizes"]?.hashzip_error != nil)
        // Rows 28, 29: CheckZip accepts; reading fails (not a valid zip file / unexpected EOF).
        #expect(go["row28-usize-small"]?.checkzip_error == nil)
        #expect(go["row28-usize-small"]?.hashzip_error == "zip: not a valid zip file")
        #expect(go["row29-usize-large"]?.hashzip_error == "unexpected EOF")
        // Row 35, 37: checksum errors.
        #expect(go["row35-crc"]?.hashzip_error == "zip: checksum error")
        #expect(go["row37-dd-crc"]?.hashzip_error == "zip: checksum error")
        // Row 39: unexpected EOF. Row 41: unsupported algorithm.
        // Without a descriptor Go reads the next record's bytes as one: the CRC-32 differs.
        #expect(go["row39-dd-missing"]?.hashzip_error == "zip: checksum error")
        #expect(go["go-issue11146"]?.hashzip_error == "unexpected EOF")
        #expect(go["row41-bzip2"]?.hashzip_error == "zip: unsupported compression algorithm")
        // Row 9: count 5 with 2 entries.
        #expect(go["row09-count5"]?.open_error == "unexpected EOF")
        // Row 25: CheckZip accepts the 400-entry overlap bomb.
        #expect(go["row25-bomb400"]?.checkzip_error == nil)
        // Row 42: HashZip hashes the raw bytes (DirHashDifferentialTests checks this h1 for baseline + the name).
        #expect(go["row42-latin1"]?.checkzip_error?.contains("invalid UTF-8") == true)
        // Row 4 (Go ≥ 1.22.4) and row 2.
        #expect(go["go-testdata-comment-truncated.zip"].map { $0.open_error == "zip: not a valid zip file" } ?? true)
        #expect(go["go-testdata-readme.notzip"].map { $0.open_error == "zip: not a valid zip file" } ?? true)
        // Row 69: the empty zip.
        #expect(go["empty"]?.hashzip == "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    @Test("Go 1.19 (x/mod v0.7.0): entry lists and contents agree")
    func old() throws {
        let results = try Self.run(flavour: .old)
        // Lenient mode follows current Go's base-offset handling; Go 1.19 rejected this file
        // (archive/zip differs between Go 1.19 and 1.27 on some malformed inputs).
        Self.compare(results, olderGoRejects: ["go-testdata-test-badbase.zip"])
        let go19 = Dictionary(results.map { ($0.0, $0.2) }, uniquingKeysWith: { a, _ in a })
        #expect(go19["go-testdata-test-badbase.zip"].map { $0.open_error == "zip: not a valid zip file" } ?? true)
        let go = Dictionary(results.map { ($0.0, $0.2) }, uniquingKeysWith: { a, _ in a })
        #expect(go["row01-baseline"]?.hashzip == "h1:LUprbKSxxKekvD4SC0fYrNz4tTECj08ZRU3pkRjJwlE=")
        #expect(go["row36-crc0"]?.hashzip == "h1:LUprbKSxxKekvD4SC0fYrNz4tTECj08ZRU3pkRjJwlE=")
    }
}
