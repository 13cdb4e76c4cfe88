import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip

/// Hostile zip containers, rows 1–45 (numbered as in the test names; the stricter-than-Go ones are
/// listed in Docs/stricter-than-go.md): one test per row, each asserting its typed outcome in strict
/// mode (and lenient mode where the row's Go behaviour makes it interesting). Go's own verdicts
/// for the [O] rows are checked against the live reference in `ZipReferenceTests`.
@Suite("Zip container: the hostile-zip rows 1–45 (Docs/stricter-than-go.md)")
struct ZipArchiveSecurityTests {
    let p = ZipBuilder.prefix

    @Test("row 1: baseline zip reads back exactly")
    func row1() throws {
        let archive = try ZipArchive(bytes: ZipBuilder.baseline().bytes)
        #expect(archive.entries.map(\.name) == [ByteString(p + "go.mod"), ByteString(p + "m.go")])
        #expect(archive.warnings.isEmpty)
        let contents = try ZipTest.contents(archive)
        #expect(contents == [Array("module example.com/m\n\ngo 1.19\n".utf8),
                             Array("package m\n\nfunc F() int { return 42 }\n".utf8)])
    }

    @Test("row 2: empty, 21 bytes, 70 KB of zeros, a text file → .notAZip in linear time",
          arguments: [0, 21, 70 * 1024])
    func row2(size: Int) {
        let bytes = [UInt8](repeating: 0, count: size)
        var code: ZipError.Code?
        let ms = ZipTest.milliseconds { code = ZipTest.openCode(bytes) }
        #expect(code == .notAZip)
        #expect(ZipTest.openCode(bytes, mode: .goCompatible) == .notAZip)
        #expect(ms < 500)
    }

    @Test("row 2: Go's readme.notzip → .notAZip")
    func row2Text() throws {
        let bytes = try ZipTest.goTestdata("readme.notzip")
        #expect(ZipTest.openCode(bytes) == .notAZip)
        #expect(ZipTest.openCode(bytes, mode: .goCompatible) == .notAZip)
    }

    @Test("row 3: 70 KB of repeated PK\\x05\\x06 (Go TestInvalidFiles) → ambiguous / not a zip")
    func row3() {
        var bytes = [UInt8](repeating: 0, count: 70 * 1024)
        for i in stride(from: 0, to: bytes.count - 4, by: 4) { bytes.replaceSubrange(i..<(i + 4), with: [0x50, 0x4B, 5, 6]) }
        var code: ZipError.Code?
        let ms = ZipTest.milliseconds { code = ZipTest.openCode(bytes) }
        #expect(code == .ambiguousEndOfCentralDirectory)
        // Go takes the signature 24 bytes from the end (its comment length reads 0) and then
        // finds the directory offset outside the file: zip: not a valid zip file.
        #expect(ZipTest.openCode(bytes, mode: .goCompatible) == .centralDirectoryOutOfBounds)
        #expect(ms < 500)
    }

    @Test("row 4: comment length overrunning the file with a second EOCD hidden earlier (CVE-2024-24789)")
    func row4() throws {
        // Built: a valid archive, then a second EOCD whose comment length (1) overruns the file.
        var bytes = ZipBuilder.baseline().bytes
        bytes += [0x50, 0x4B, 5, 6, 0, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]
        #expect(ZipTest.openCode(bytes) == .ambiguousEndOfCentralDirectory)
        #expect(ZipTest.openCode(bytes, mode: .goCompatible) == .notAZip)
        // Go's own comment-truncated.zip.
        let go = try ZipTest.goTestdata("comment-truncated.zip")
        #expect(ZipTest.openCode(go) == .ambiguousEndOfCentralDirectory)
        #expect(ZipTest.openCode(go, mode: .goCompatible) == .notAZip)
    }

    @Test("row 5: TRAILING-GARBAGE after the EOCD → strict .trailingData, lenient warning")
    func row5() throws {
        var zip = ZipBuilder.baseline()
        zip.trailing = Array("TRAILING-GARBAGE".utf8)
        #expect(ZipTest.openCode(zip.bytes) == .trailingData)
        let lenient = try ZipArchive(bytes: zip.bytes, mode: .goCompatible)
        #expect(lenient.warnings.map(\.code) == [.relaxed(.trailingData)])
        #expect(try ZipTest.contents(lenient) == ZipTest.readAll(ZipBuilder.baseline().bytes))
    }

    @Test("row 6: archive comment → OK + warning")
    func row6() throws {
        var zip = ZipBuilder.baseline()
        zip.comment = Array("hello".utf8)
        let archive = try ZipArchive(bytes: zip.bytes)
        #expect(archive.comment == "hello")
        #expect(archive.warnings.map(\.code) == [.archiveComment])
        #expect(try ZipTest.contents(archive).count == 2)
    }

    @Test("row 7: prepended script, offsets relative to the zip start → strict .prependedData")
    func row7() throws {
        var zip = ZipBuilder.baseline()
        zip.prefix = Array("#!/bin/sh\necho hello\nexit 0\n".utf8)
        #expect(ZipTest.openCode(zip.bytes) == .prependedData)
        let lenient = try ZipArchive(bytes: zip.bytes, mode: .goCompatible)
        #expect(lenient.warnings.map(\.code).contains(.relaxed(.prependedData)))
        #expect(try ZipTest.contents(lenient) == ZipTest.readAll(ZipBuilder.baseline().bytes))
        // Go's test-prefix.zip also ends in "some nonsense\n", which strict mode finds first.
        let go = try ZipTest.goTestdata("test-prefix.zip")
        #expect(ZipTest.openCode(go) == .trailingData)
        #expect(try ZipArchive(bytes: go, mode: .goCompatible).entries.count == 2)
    }

    @Test("row 8: prepended data with offsets adjusted (self-extractor) → .prependedData")
    func row8() throws {
        var zip = ZipBuilder.baseline()
        zip.prefix = Array(repeating: 0x90, count: 100)
        zip.offsetsIncludePrefix = true
        #expect(ZipTest.openCode(zip.bytes) == .prependedData)
        let lenient = try ZipArchive(bytes: zip.bytes, mode: .goCompatible)
        #expect(try ZipTest.contents(lenient).count == 2)
    }

    @Test("row 9: EOCD count 5 or 1 with 2 CD entries → .entryCountMismatch", arguments: [UInt16(5), 1])
    func row9(count: UInt16) {
        var zip = ZipBuilder.baseline()
        zip.end.count = count
        zip.end.countOnDisk = count
        #expect(ZipTest.openCode(zip.bytes) == .entryCountMismatch)
        #expect(ZipTest.openCode(zip.bytes, mode: .goCompatible) == .entryCountMismatch)
    }

    /// `n` stored empty entries named P/fNNNNNNN (7-digit counter), optionally with a ZIP64
    /// end record. Written from templates (one copy and a few patched bytes per record) so that
    /// a million entries take little time even in a debug build.
    static func manyEntries(_ n: Int, zip64: Bool) -> [UInt8] {
        let name = Array((ZipBuilder.prefix + "f0000000").utf8)
        let digits = name.count - 7
        var local: [UInt8] = []
        local.le32(0x0403_4b50); local.le16(20); local.le16(0); local.le16(0); local.le16(0); local.le16(0)
        local.le32(0); local.le32(0); local.le32(0); local.le16(UInt16(name.count)); local.le16(0)
        local += name
        var central: [UInt8] = []
        central.le32(0x0201_4b50); central.le16(20); central.le16(20); central.le16(0); central.le16(0)
        central.le16(0); central.le16(0); central.le32(0); central.le32(0); central.le32(0)
        central.le16(UInt16(name.count)); central.le16(0); central.le16(0); central.le16(0); central.le16(0)
        central.le32(0); central.le32(0)
        central += name
        var out: [UInt8] = []
        out.reserveCapacity(n * (local.count + central.count) + 200)
        func patchDigits(_ record: inout [UInt8], at start: Int, _ value: Int) {
            var v = value
            for k in stride(from: 6, through: 0, by: -1) {
                record[start + k] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
        for i in 0..<n {
            patchDigits(&local, at: 30 + digits, i)
            out += local
        }
        let cdStart = out.count
        for i in 0..<n {
            patchDigits(&central, at: 46 + digits, i)
            central.put32(UInt32(i * local.count), at: 42)
            out += central
        }
        let cdSize = out.count - cdStart
        if zip64 {
            let record = out.count
            out.le32(0x0606_4b50); out.le64(44); out.le16(45); out.le16(45); out.le32(0); out.le32(0)
            out.le64(UInt64(n)); out.le64(UInt64(n)); out.le64(UInt64(cdSize)); out.le64(UInt64(cdStart))
            out.le32(0x0706_4b50); out.le32(0); out.le64(UInt64(record)); out.le32(1)
        }
        let count16 = zip64 && n >= 0xFFFF ? 0xFFFF : UInt16(truncatingIfNeeded: n)
        out.le32(0x0605_4b50); out.le16(0); out.le16(0); out.le16(count16); out.le16(count16)
        out.le32(UInt32(cdSize)); out.le32(UInt32(cdStart)); out.le16(0)
        return out
    }

    @Test("row 10: 65,537 entries, 16-bit count wrapped, no ZIP64 → strict .entryCountMismatch; consistent ZIP64 → OK")
    func row10() throws {
        let wrapped = Self.manyEntries(65_537, zip64: false)
        #expect(ZipTest.openCode(wrapped) == .entryCountMismatch)
        let lenient = try ZipArchive(bytes: wrapped, mode: .goCompatible)
        #expect(lenient.entries.count == 65_537)
        #expect(lenient.warnings.map(\.code).contains(.relaxed(.entryCountMismatch)))
        let archive = try ZipArchive(bytes: Self.manyEntries(65_537, zip64: true))
        #expect(archive.entries.count == 65_537)
        #expect(archive.entries.last?.name == ByteString(p + "f0065536"))
    }

    @Test("row 11: EOCD CD offset pointing 7 bytes into entry data → .centralDirectoryOutOfBounds")
    func row11() throws {
        var zip = ZipBuilder.baseline()
        let layout = zip.build().layout
        zip.end.centralDirectoryOffset = UInt32(layout.centralDirectoryOffset - 7)
        #expect(ZipTest.openCode(zip.bytes) == .centralDirectoryOutOfBounds)
        // Lenient (Go): the base offset becomes 7, so every local header is looked up 7 bytes
        // late and reading fails.
        let lenient = try ZipArchive(bytes: zip.bytes, mode: .goCompatible)
        #expect(lenient.entries.count == 2)
        #expect(ZipTest.code { () throws(ZipError) in _ = try ZipTest.contents(lenient) } == .localHeaderMismatch(.signature))
    }

    @Test("row 12: CD size/offset beyond EOF; CD overlapping the EOCD → .centralDirectoryOutOfBounds")
    func row12() {
        let layout = ZipBuilder.baseline().build().layout
        var beyond = ZipBuilder.baseline()
        beyond.end.centralDirectoryOffset = 1_000_000
        #expect(ZipTest.openCode(beyond.bytes) == .centralDirectoryOutOfBounds)
        // Go derives a negative base offset, finds the directory anyway, and fails on reading.
        #expect(ZipTest.openCode(beyond.bytes, mode: .goCompatible) == nil)
        #expect(ZipTest.code(beyond.bytes, mode: .goCompatible) != nil)
        var huge = ZipBuilder.baseline()
        huge.end.centralDirectorySize = 0xFFFF_FF00
        #expect(ZipTest.openCode(huge.bytes) == .centralDirectoryOutOfBounds)
        var overlapping = ZipBuilder.baseline()
        overlapping.end.centralDirectorySize = UInt32(layout.centralDirectorySize + 10)
        #expect(ZipTest.openCode(overlapping.bytes) == .centralDirectoryOutOfBounds)
    }

    @Test("row 13: Go TestCVE202133196 (2^128-1 entries declared) → typed error, fast")
    func row13() {
        var strict: ZipError.Code?, lenient: ZipError.Code?
        let ms = ZipTest.milliseconds {
            strict = ZipTest.openCode(GoZipVectors.cve202133196)
            lenient = ZipTest.openCode(GoZipVectors.cve202133196, mode: .goCompatible)
        }
        #expect(strict != nil)
        #expect(lenient != nil)
        #expect(ms < 100)
    }

    @Test("row 14: Go TestCVE202139293 (size overflow) → typed error, no trap")
    func row14() {
        #expect(ZipTest.openCode(GoZipVectors.cve202139293) != nil)
        #expect(ZipTest.openCode(GoZipVectors.cve202139293, mode: .goCompatible) != nil)
        // Go's TestBaseOffsetPlusOverflow: offsets near Int64.max with a size larger than the data.
        #expect(ZipTest.openCode(GoZipVectors.baseOffsetPlusOverflow) != nil)
        #expect(ZipTest.openCode(GoZipVectors.baseOffsetPlusOverflow, mode: .goCompatible) != nil)
    }

    @Test("row 15: Go TestCVE202141772 names /, //, \\, /test.txt listed as raw bytes; no crash")
    func row15() throws {
        for mode in [ZipArchive.Mode.strict, .goCompatible] {
            let archive = try ZipArchive(bytes: GoZipVectors.cve202141772, mode: mode)
            #expect(archive.entries.map(\.name) == ["/", "//", "\\", "/test.txt"])
            #expect(try ZipTest.contents(archive).last == Array("hello world".utf8))
        }
    }

    @Test("row 16: ZIP64 locator pointing to 0xffffffff00 with saturated CD offset → .zip64Inconsistent")
    func row16() {
        var zip = ZipBuilder.baseline()
        zip.zip64End = ZipBuilder.Zip64End(locatorOffset: 0xFF_FFFF_FF00)
        #expect(ZipTest.openCode(zip.bytes) == .zip64Inconsistent)
        #expect(ZipTest.openCode(zip.bytes, mode: .goCompatible) != nil)
    }

    /// Found by the FuzzZipReader smoke run in CI: a locator naming a ZIP64 end record at
    /// 2^63 - 2, or an end record whose size field is near 2^64, overflowed Int64 in the strict
    /// bounds checks (a trap). Both must be typed errors in both modes.
    @Test("row 16: ZIP64 record offset or size near 2^63/2^64 → typed error, no overflow trap")
    func row16NearLimits() {
        for offset in [UInt64(Int64.max), UInt64(Int64.max) - 1, UInt64(Int64.max) - 55, UInt64.max] {
            var zip = ZipBuilder.baseline()
            zip.zip64End = ZipBuilder.Zip64End(locatorOffset: offset)
            #expect(ZipTest.openCode(zip.bytes) == .zip64Inconsistent, "offset \(offset)")
            #expect(ZipTest.openCode(zip.bytes, mode: .goCompatible) != nil, "offset \(offset)")
        }
        for size in [UInt64(Int64.max), UInt64(Int64.max) - 11, UInt64.max] {
            var zip = ZipBuilder.baseline()
            zip.zip64End = ZipBuilder.Zip64End(recordSize: size)
            #expect(ZipTest.openCode(zip.bytes) == .zip64Inconsistent, "size \(size)")
        }
        // The fuzzer's own input, as it wrote it.
        let found = Array(Data(base64Encoded: "UEsDBBQAAAAIADB0CkF+5/9pJAAAACQAAAAGAAAAUkVBRE1FC8nILFYozk0AAAAAAAABAAAAAAAAAAEAAAAAAPKLchNL9LgAUEsBAi0DLQAAAAgAMHQKQX7n/2n//////////wYAFAAAAAAAAAAAAKSBAAAAAFJFQURNRQEAEAAkAAAAAAAGACQAAAAAAAAAUEsGBiwAAAAAAAAALQAtACUAAAAAAAAAAQAAAAAAAAABAAAAAAAAAEgAAAAAAAAASAAAAAAAAABQSwYHAAAAAP7///////9/AQAAAFBLBQYAAAAA////////////////AAA=")!)
        #expect(ZipTest.openCode(found) == .zip64Inconsistent)
        #expect(ZipTest.openCode(found, mode: .goCompatible) != nil)
    }

    @Test("row 17: ZIP64 end record CD offset disagreeing with the 32-bit EOCD or the real position → .zip64Inconsistent")
    func row17() {
        let layout = ZipBuilder.baseline().build().layout
        // Disagrees with the (unsaturated) 32-bit EOCD.
        var zip = ZipBuilder.baseline()
        zip.zip64End = ZipBuilder.Zip64End(centralDirectoryOffset: UInt64(layout.centralDirectoryOffset + 5), saturate: false)
        #expect(ZipTest.openCode(zip.bytes) == .zip64Inconsistent)
        // EOCD saturated; the ZIP64 value disagrees with the actual position.
        var saturated = ZipBuilder.baseline()
        saturated.zip64End = ZipBuilder.Zip64End(centralDirectoryOffset: UInt64(layout.localOffsets[1]))
        #expect(ZipTest.openCode(saturated.bytes) == .zip64Inconsistent)
        // ZIP64 record with a count that disagrees with the EOCD.
        var count = ZipBuilder.baseline()
        count.zip64End = ZipBuilder.Zip64End(countOnDisk: 3, count: 3, saturate: false)
        #expect(ZipTest.openCode(count.bytes) == .zip64Inconsistent)
    }

    @Test("row 18: ZIP64 extra too short, duplicated, or for non-saturated fields → .zip64Inconsistent")
    func row18() throws {
        // Go's TestHeaderTooShort: a 2-byte extra holding only half a ZIP64 tag (best effort:
        // ignored, with a malformed-extra warning).
        var tooShortTag = ZipBuilder.baseline()
        tooShortTag.entries[1].centralExtra = [0x01, 0x00]
        #expect(try ZipTest.warnings(tooShortTag.bytes, mode: .strict) == [.malformedExtraField])
        // Saturated sizes with a ZIP64 extra holding only one of two values.
        var short = ZipBuilder.baseline()
        short.entries[1].zip64 = true
        short.entries[1].centralExtraOverride = [0x01, 0x00, 0x08, 0x00] + [UInt8](repeating: 0, count: 8)
        #expect(ZipTest.openCode(short.bytes) == .zip64Inconsistent)
        #expect(ZipTest.openCode(short.bytes, mode: .goCompatible) == .entryCountMismatch)   // Go: ErrFormat ends the walk
        // Two ZIP64 extras.
        var twice = ZipBuilder.baseline()
        twice.entries[1].zip64 = true
        let field: [UInt8] = [0x01, 0x00, 0x18, 0x00] + [UInt8](repeating: 0, count: 24)
        twice.entries[1].centralExtra = field
        #expect(ZipTest.openCode(twice.bytes) == .zip64Inconsistent)
        // A ZIP64 extra although nothing is saturated.
        var unneeded = ZipBuilder.baseline()
        unneeded.entries[0].centralExtra = field
        #expect(ZipTest.openCode(unneeded.bytes) == .zip64Inconsistent)
        #expect(try ZipTest.readAll(unneeded.bytes, mode: .goCompatible).count == 2)
    }

    @Test("row 19: LFH name P/evil.go, CD name P/m.go → .localHeaderMismatch(.name)")
    func row19() throws {
        var zip = ZipBuilder.baseline()
        zip.entries[1].local.name = Array((p + "evil.go").utf8)
        #expect(ZipTest.openCode(zip.bytes) == .localHeaderMismatch(.name))
        let lenient = try ZipArchive(bytes: zip.bytes, mode: .goCompatible)
        #expect(lenient.entries[1].name == ByteString(p + "m.go"))
        #expect(lenient.warnings.map(\.code) == [.relaxed(.localHeaderMismatch(.name))])
        #expect(try ZipTest.contents(lenient)[1] == Array("package m\n\nfunc F() int { return 42 }\n".utf8))
    }

    @Test("row 20: LFH method 0, CD method 8 → .localHeaderMismatch(.method)")
    func row20() throws {
        var zip = ZipBuilder.baseline()
        zip.entries[1].local.method = 0
        #expect(ZipTest.openCode(zip.bytes) == .localHeaderMismatch(.method))
        #expect(try ZipTest.warnings(zip.bytes) == [.relaxed(.localHeaderMismatch(.method))])
    }

    @Test("row 21: LFH sizes 1/1, CD sizes honest → .localHeaderMismatch(.size)")
    func row21() throws {
        var zip = ZipBuilder.baseline()
        zip.entries[1].local.compressedSize = 1
        zip.entries[1].local.uncompressedSize = 1
        #expect(ZipTest.openCode(zip.bytes) == .localHeaderMismatch(.size))
        #expect(try ZipTest.readAll(zip.bytes, mode: .goCompatible).count == 2)
    }

    @Test("row 22: LFH name 60,000 bytes longer than the CD name → .localHeaderMismatch(.name)")
    func row22() {
        var zip = ZipBuilder.baseline()
        zip.entries[1].local.name = Array((p + "m.go" + String(repeating: "x", count: 60_000)).utf8)
        #expect(ZipTest.openCode(zip.bytes) == .localHeaderMismatch(.name))
    }

    @Test("row 23: extra CD entry P/m2.go aliasing m.go's local header → .overlappingEntries")
    func row23() throws {
        var zip = ZipBuilder.baseline()
        var alias = ZipBuilder.Entry(p + "m2.go", "package m\n\nfunc F() int { return 42 }\n")
        alias.aliasOf = 1
        zip.entries.append(alias)
        #expect(ZipTest.openCode(zip.bytes) == .overlappingEntries)
        let lenient = try ZipArchive(bytes: zip.bytes, mode: .goCompatible)
        #expect(lenient.warnings.map(\.code).contains(.relaxed(.overlappingEntries)))
        let contents = try ZipTest.contents(lenient)
        #expect(contents[2] == contents[1])
    }

    @Test("row 24: CD entry P/alias.go pointing at go.mod's LFH with different sizes → .overlappingEntries")
    func row24() throws {
        var zip = ZipBuilder.baseline()
        var alias = ZipBuilder.Entry(p + "alias.go", "module example.com/m\n")
        alias.aliasOf = 0
        zip.entries.append(alias)
        #expect(ZipTest.openCode(zip.bytes) == .overlappingEntries)
        let lenient = try ZipArchive(bytes: zip.bytes, mode: .goCompatible)
        #expect(lenient.entries.count == 3)
        #expect(ZipTest.code { () throws(ZipError) in _ = try ZipTest.contents(lenient) } != nil)
    }

    /// Rows 25/26: `n` CD entries all pointing at one LFH holding 1 MiB of zeros.
    static func fullOverlapBomb(_ n: Int) -> [UInt8] {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var zip = ZipBuilder()
        zip.entries.append(ZipBuilder.Entry(name: Array((ZipBuilder.prefix + "f00000.go").utf8), content: zeros))
        for i in 1..<n {
            var e = ZipBuilder.Entry(name: Array((ZipBuilder.prefix + String(format: "f%05d.go", i)).utf8), content: zeros)
            e.aliasOf = 0
            e.data = zip.entries[0].dataBytes
            zip.entries.append(e)
        }
        // Reuse the compressed bytes rather than deflating 1 MiB n times.
        let data = zip.entries[0].dataBytes
        for i in zip.entries.indices { zip.entries[i].data = data }
        return zip.bytes
    }

    @Test("rows 25–26: 400/600-entry full-overlap bombs → .overlappingEntries in milliseconds, nothing inflated",
          arguments: [400, 600])
    func rows25and26(n: Int) throws {
        let bytes = Self.fullOverlapBomb(n)
        #expect(bytes.count < 50_000)
        let cdOffset = Int64(bytes.le32(at: bytes.count - 6)!)
        let source = ZipTest.CountingSource(bytes, watchBelow: cdOffset)
        var code: ZipError.Code?
        // Limits that let the overlap rule (not the size total) decide.
        let roomy = ZipArchive.Limits(maxTotalUncompressedSize: 1 << 40)
        let ms = ZipTest.milliseconds {
            code = ZipTest.code { () throws(ZipError) in _ = try ZipArchive(source: source, limits: roomy) }
        }
        #expect(code == .overlappingEntries)
        // One read covers the end-of-archive search window (the whole small file); no other
        // read (no local header, no data) starts before the central directory.
        #expect(source.watchedReads == 1)
        #expect(ms < 100)
        // With the default limits the 600 MiB total is rejected first (still before any data).
        let defaultCode = ZipTest.openCode(bytes)
        #expect(defaultCode == (n == 600 ? .totalSizeTooLarge : .overlappingEntries))
        // Lenient mode accepts 400 MiB like Go (with overlap warnings) but not 600 MiB.
        if n == 400 {
            let lenient = try ZipArchive(bytes: bytes, mode: .goCompatible)
            #expect(lenient.entries.count == 400)
            #expect(lenient.warnings.map(\.code).contains(.relaxed(.overlappingEntries)))
        } else {
            #expect(ZipTest.openCode(bytes, mode: .goCompatible) == .totalSizeTooLarge)
        }
    }

    /// A Fifield-style quoted-overlap bomb: `n` local headers back to back, each entry's data
    /// declared to run over all following headers into a shared kernel, with a huge declared
    /// uncompressed size; names carry the module prefix.
    static func quotedOverlapBomb(_ n: Int, usize: UInt32, zip64Count: Bool) -> [UInt8] {
        var out: [UInt8] = []
        var offsets: [Int] = []
        var names: [[UInt8]] = []
        for i in 0..<n {
            let name = Array((ZipBuilder.prefix + "\(i)").utf8)
            names.append(name)
            offsets.append(out.count)
            out.le32(0x0403_4b50); out.le16(20); out.le16(0); out.le16(8); out.le16(0); out.le16(0)
            out.le32(0); out.le32(0); out.le32(usize); out.le16(UInt16(name.count)); out.le16(0)
            out += name
        }
        let kernel = [UInt8](repeating: 0, count: 1024)
        out += kernel
        let cdStart = out.count
        for i in 0..<n {
            let dataStart = offsets[i] + 30 + names[i].count
            out.le32(0x0201_4b50); out.le16(20); out.le16(20); out.le16(0); out.le16(8); out.le16(0); out.le16(0)
            out.le32(0); out.le32(UInt32(cdStart - dataStart)); out.le32(usize)
            out.le16(UInt16(names[i].count)); out.le16(0); out.le16(0); out.le16(0); out.le16(0); out.le32(0)
            out.le32(UInt32(offsets[i]))
            out += names[i]
        }
        let cdSize = out.count - cdStart
        if zip64Count {
            let record = out.count
            out.le32(0x0606_4b50); out.le64(44); out.le16(45); out.le16(45); out.le32(0); out.le32(0)
            out.le64(UInt64(n)); out.le64(UInt64(n)); out.le64(UInt64(cdSize)); out.le64(UInt64(cdStart))
            out.le32(0x0706_4b50); out.le32(0); out.le64(UInt64(record)); out.le32(1)
            out.le32(0x0605_4b50); out.le16(0); out.le16(0); out.le16(0xFFFF); out.le16(0xFFFF)
            out.le32(0xFFFF_FFFF); out.le32(0xFFFF_FFFF); out.le16(0)
        } else {
            out.le32(0x0605_4b50); out.le16(0); out.le16(0); out.le16(UInt16(n)); out.le16(UInt16(n))
            out.le32(UInt32(cdSize)); out.le32(UInt32(cdStart)); out.le16(0)
        }
        return out
    }

    @Test("row 27: Fifield-style quoted-overlap bombs (zbsm, zblg, zbxl shapes) rejected at the CD stage in ≤ 100 ms",
          arguments: [(250, false), (65_534, false), (70_000, true)])
    func row27(n: Int, zip64: Bool) {
        let bytes = Self.quotedOverlapBomb(n, usize: 0xFFFF_FFFE, zip64Count: zip64)
        for mode in [ZipArchive.Mode.strict, .goCompatible] {
            var code: ZipError.Code?
            let ms = ZipTest.milliseconds { code = ZipTest.openCode(bytes, mode: mode) }
            #expect(code == .entryTooLarge)   // 4 GiB per entry against the 500 MiB limit
            #expect(ms < 100 || n > 1000)     // the large shapes are bounded by debug-build parsing speed
        }
        // With per-entry limits lifted, the overlap rule rejects it before any local header.
        let roomy = ZipArchive.Limits(maxEntrySize: 1 << 40, maxTotalUncompressedSize: 1 << 62)
        #expect(ZipTest.openCode(bytes, limits: roomy) == .overlappingEntries)
    }

    @Test("row 28: go.mod declared usize 5, actual 30 → .sizeMismatch")
    func row28() {
        var zip = ZipBuilder.baseline()
        zip.entries[0].local.uncompressedSize = 5
        zip.entries[0].central.uncompressedSize = 5
        #expect(ZipTest.code(zip.bytes) == .sizeMismatch)
        #expect(ZipTest.code(zip.bytes, mode: .goCompatible) == .sizeMismatch)
    }

    @Test("row 29: go.mod declared usize actual+100 → .truncatedEntry")
    func row29() {
        var zip = ZipBuilder.baseline()
        let actual = UInt32(zip.entries[0].content.count)
        zip.entries[0].local.uncompressedSize = actual + 100
        zip.entries[0].central.uncompressedSize = actual + 100
        #expect(ZipTest.code(zip.bytes) == .truncatedEntry)
    }

    @Test("row 30: stored entry with csize ≠ usize → .sizeMismatch at the CD stage")
    func row30() {
        var zip = ZipBuilder.baseline()
        zip.entries[0].method = 0
        zip.entries[0].central.uncompressedSize = 3
        zip.entries[0].local.uncompressedSize = 3
        #expect(ZipTest.openCode(zip.bytes) == .sizeMismatch)
        #expect(ZipTest.openCode(zip.bytes, mode: .goCompatible) == .sizeMismatch)
    }

    @Test("row 31: deflate stream cut to 5 bytes inside the declared csize → .truncatedEntry")
    func row31() {
        var zip = ZipBuilder.baseline()
        zip.entries[1].data = Array(zip.entries[1].dataBytes.prefix(5))
        #expect(ZipTest.code(zip.bytes) == .truncatedEntry)
    }

    @Test("row 32: HIDDEN-PAYLOAD after the final deflate block, inside csize → .trailingCompressedData")
    func row32() {
        var zip = ZipBuilder.baseline()
        zip.entries[1].data = zip.entries[1].dataBytes + Array("HIDDEN-PAYLOAD".utf8)
        #expect(ZipTest.code(zip.bytes) == .trailingCompressedData)
        #expect(ZipTest.code(zip.bytes, mode: .goCompatible) == .trailingCompressedData)
    }

    @Test("row 33: deflate stream that never sets BFINAL → .truncatedEntry")
    func row33() {
        var zip = ZipBuilder.baseline()
        // One non-final stored block holding the whole content, then nothing.
        let content = zip.entries[1].content
        let n = UInt16(content.count)
        zip.entries[1].data = [0x00, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + content
        #expect(ZipTest.code(zip.bytes) == .truncatedEntry)
    }

    @Test("row 35: CRC field 0xdeadbeef without descriptor → .crcMismatch")
    func row35() {
        var zip = ZipBuilder.baseline()
        zip.entries[1].local.crc32 = 0xDEAD_BEEF
        zip.entries[1].central.crc32 = 0xDEAD_BEEF
        #expect(ZipTest.code(zip.bytes) == .crcMismatch)
        #expect(ZipTest.code(zip.bytes, mode: .goCompatible) == .crcMismatch)
    }

    @Test("row 36: CRC field 0 for non-empty data → strict .crcMismatch; lenient reads it like Go, with a warning")
    func row36() throws {
        var zip = ZipBuilder.baseline()
        zip.entries[1].local.crc32 = 0
        zip.entries[1].central.crc32 = 0
        #expect(ZipTest.code(zip.bytes) == .crcMismatch)
        let lenient = try ZipArchive(bytes: zip.bytes, mode: .goCompatible)
        #expect(lenient.warnings.map(\.code) == [.crcNotVerified])
        #expect(try ZipTest.contents(lenient) == ZipTest.readAll(ZipBuilder.baseline().bytes))
    }

    @Test("row 37: data descriptor with a wrong CRC → .crcMismatch")
    func row37() throws {
        var zip = ZipBuilder.baseline()
        zip.entries[1].descriptor = ZipBuilder.Descriptor(crc32: 0x1234_5678)
        #expect(ZipTest.openCode(zip.bytes) == .crcMismatch)
        #expect(ZipTest.code(zip.bytes, mode: .goCompatible) == .crcMismatch)
        // Go's own Bad-CRC32-in-data-descriptor case: go-with-datadesc-sig.zip with b[0x2d]++.
        var go = try ZipTest.goTestdata("go-with-datadesc-sig.zip")
        go[0x2D] &+= 1
        #expect(ZipTest.code(go) == .crcMismatch)
        #expect(ZipTest.code(go, mode: .goCompatible) == .crcMismatch)
    }

    @Test("row 38: data descriptor sizes 1/1, CD sizes honest → .dataDescriptorMismatch")
    func row38() throws {
        var zip = ZipBuilder.baseline()
        zip.entries[1].descriptor = ZipBuilder.Descriptor(compressedSize: 1, uncompressedSize: 1)
        #expect(ZipTest.openCode(zip.bytes) == .dataDescriptorMismatch)
        let lenient = try ZipArchive(bytes: zip.bytes, mode: .goCompatible)
        #expect(lenient.warnings.map(\.code) == [.relaxed(.dataDescriptorMismatch)])
        #expect(try ZipTest.contents(lenient).count == 2)
    }

    @Test("row 39: flag bit 3 with the descriptor missing (and Go TestIssue11146) → .truncatedEntry")
    func row39() throws {
        var zip = ZipBuilder.baseline()
        zip.entries[1].descriptor = ZipBuilder.Descriptor(omit: true)
        #expect(ZipTest.openCode(zip.bytes) == .truncatedEntry)
        let go = GoZipVectors.issue11146
        #expect(ZipTest.openCode(go) != nil)
        let lenient = try ZipArchive(bytes: go, mode: .goCompatible)
        #expect(ZipTest.code { () throws(ZipError) in _ = try ZipTest.contents(lenient) } == .truncatedEntry)
    }

    @Test("row 40: encryption flag on plain data; method 99 (AES) → .encryptedEntry")
    func row40() {
        var flagged = ZipBuilder.baseline()
        flagged.entries[1].flags = 0x1
        #expect(ZipTest.openCode(flagged.bytes) == .encryptedEntry)
        #expect(ZipTest.openCode(flagged.bytes, mode: .goCompatible) == .encryptedEntry)
        var strong = ZipBuilder.baseline()
        strong.entries[1].flags = 0x40
        #expect(ZipTest.openCode(strong.bytes) == .encryptedEntry)
        var aes = ZipBuilder.baseline()
        aes.entries[1].method = 99
        aes.entries[1].data = Array("ciphertext".utf8)
        #expect(ZipTest.openCode(aes.bytes) == .encryptedEntry)
    }

    @Test("row 41: methods 12, 9, 14, 93, 95, 98 → .unsupportedMethod(m) at the CD stage",
          arguments: [UInt16(12), 9, 14, 93, 95, 98])
    func row41(method: UInt16) {
        var zip = ZipBuilder.baseline()
        zip.entries[1].method = method
        zip.entries[1].data = Array("opaque".utf8)
        #expect(ZipTest.openCode(zip.bytes) == .unsupportedMethod(method))
        #expect(ZipTest.openCode(zip.bytes, mode: .goCompatible) == .unsupportedMethod(method))
    }

    @Test("row 42: Latin-1 name bytes kept exactly (policy rejects them later), shown escaped")
    func row42() throws {
        var zip = ZipBuilder.baseline()
        let name = Array((p + "caf").utf8) + [0xE9] + Array(".go".utf8)
        zip.entries.append(ZipBuilder.Entry(name: name, content: Array("package m\n".utf8)))
        let archive = try ZipArchive(bytes: zip.bytes)
        #expect(archive.entries[2].name.bytes == name)
        #expect(archive.entries[2].name.description == "\"example.com/m@v1.0.0/caf\\xe9.go\"")
        #expect(try ZipTest.contents(archive)[2] == Array("package m\n".utf8))
    }

    @Test("row 43: 1,000,000 entries → OK within the default cap (O(n log n)); .tooManyEntries under a lower cap")
    func row43() throws {
        let bytes = ZipArchiveSecurityTests.manyEntries(1_000_000, zip64: true)
        var code: ZipError.Code?
        let ms = ZipTest.milliseconds {
            code = ZipTest.openCode(bytes, limits: ZipArchive.Limits(maxEntries: 999_999))
        }
        #expect(code == .tooManyEntries)
        #expect(ms < 100)   // decided from the end record's count, before the directory is walked
        #expect(ZipTest.openCode(bytes, mode: .goCompatible, limits: ZipArchive.Limits(maxEntries: 999_999)) == .tooManyEntries)
        var archive: ZipArchive?
        let parse = ZipTest.milliseconds { archive = try? ZipArchive(bytes: bytes) }
        print("row 43: \(bytes.count) bytes, 1,000,000 entries parsed in \(Int(parse)) ms")
        let entries = try #require(archive).entries
        #expect(entries.count == 1_000_000)
        #expect(entries[999_999].name == ByteString(p + "f0999999"))
    }

    @Test("row 44: one 65,535-byte name of 32,767 a/ levels → OK, no stack overflow (small-stack thread)")
    func row44() throws {
        let name = String(repeating: "a/", count: 32_767) + "a"
        #expect(name.utf8.count == 65_535)
        var zip = ZipBuilder()
        zip.add(name, "deep\n")
        let bytes = zip.bytes
        let result = SmallStackResult()
        let thread = Thread {
            result.names = (try? ZipArchive(bytes: bytes))?.entries.map(\.name)
            result.done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        result.done.wait()
        #expect(result.names == [ByteString(name)])
        #expect(try ZipTest.readAll(bytes) == [Array("deep\n".utf8)])
    }

    @Test("row 45: nested zips as module files are opaque bytes, never recursed into")
    func row45() throws {
        // Innermost: one stored entry declaring 2^32-1 zero bytes (never read here).
        var inner = ZipBuilder()
        var big = ZipBuilder.Entry(name: Array("zeros".utf8), content: [], method: 8)
        big.data = [0x03, 0x00]
        big.local.uncompressedSize = 0xFFFF_FFFE
        big.central.uncompressedSize = 0xFFFF_FFFE
        inner.entries.append(big)
        var middle = ZipBuilder()
        middle.entries.append(ZipBuilder.Entry(name: Array("inner.zip".utf8), content: inner.bytes, method: 0))
        var outer = ZipBuilder.baseline()
        outer.entries.append(ZipBuilder.Entry(name: Array((p + "r.zip").utf8), content: middle.bytes, method: 0))
        outer.entries.append(ZipBuilder.Entry(name: Array((p + "z.zip").utf8), content: middle.bytes, method: 8))
        let contents = try ZipTest.readAll(outer.bytes)
        #expect(contents[2] == middle.bytes)
        #expect(contents[3] == middle.bytes)
        // The inner archive itself is rejected for its size lie when opened on its own.
        #expect(ZipTest.openCode(inner.bytes) == .entryTooLarge)
    }
}

/// Carries a result out of a `Thread`.
final class SmallStackResult: @unchecked Sendable {
    var names: [ByteString]?
    let done = DispatchSemaphore(value: 0)
}
