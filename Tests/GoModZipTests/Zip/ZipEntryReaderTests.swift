import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip

@Suite("ZipEntryReader and ZipArchive: round trips, records, sources, concurrency")
struct ZipEntryReaderTests {
    let p = ZipBuilder.prefix

    /// Contents of every size class: empty, tiny, text, incompressible, larger than one
    /// 256 KiB chunk (both methods).
    static let samples: [(String, [UInt8])] = [
        ("empty", []),
        ("one", [0x41]),
        ("text", Array(String(repeating: "package m // comment\n", count: 500).utf8)),
        ("noise", ZipTest.noise(100_000)),
        ("big-noise", ZipTest.noise(700_000, seed: 7)),
        ("big-zeros", [UInt8](repeating: 0, count: 1_300_000)),
    ]

    static func archive(method: UInt16, descriptor: ZipBuilder.Descriptor? = nil, zip64: Bool = false) -> [UInt8] {
        var zip = ZipBuilder()
        for (name, content) in samples {
            var e = ZipBuilder.Entry(name: Array((ZipBuilder.prefix + name).utf8), content: content, method: method)
            e.descriptor = descriptor
            e.zip64 = zip64
            zip.entries.append(e)
        }
        if zip64 { zip.zip64End = ZipBuilder.Zip64End() }
        return zip.bytes
    }

    @Test("round trip: stored and deflated entries of every size read back exactly", arguments: [UInt16(0), 8])
    func roundTrip(method: UInt16) throws {
        let bytes = Self.archive(method: method)
        for mode in [ZipArchive.Mode.strict, .goCompatible] {
            let archive = try ZipArchive(bytes: bytes, mode: mode)
            #expect(archive.warnings.isEmpty)
            #expect(archive.entries.map(\.name.bytes) == Self.samples.map { Array((p + $0.0).utf8) })
            #expect(archive.entries.map(\.uncompressedSize) == Self.samples.map { Int64($0.1.count) })
            #expect(archive.entries.allSatisfy { $0.method == method })
            #expect(try ZipTest.contents(archive) == Self.samples.map(\.1))
        }
    }

    @Test("data descriptors with and without signature, 32- and 64-bit sizes",
          arguments: [(true, false), (false, false), (true, true), (false, true)])
    func descriptors(signature: Bool, wide: Bool) throws {
        let bytes = Self.archive(method: 8, descriptor: ZipBuilder.Descriptor(signature: signature, wide: wide))
        for mode in [ZipArchive.Mode.strict, .goCompatible] {
            let archive = try ZipArchive(bytes: bytes, mode: mode)
            #expect(archive.entries.allSatisfy { $0.hasDataDescriptor })
            #expect(try ZipTest.contents(archive) == Self.samples.map(\.1))
        }
    }

    @Test("ZIP64 archives are accepted when consistent (extras, end record, locator, 64-bit descriptors)")
    func zip64Consistent() throws {
        for descriptor in [nil, ZipBuilder.Descriptor()] {
            let bytes = Self.archive(method: 8, descriptor: descriptor, zip64: true)
            let archive = try ZipArchive(bytes: bytes)
            #expect(try ZipTest.contents(archive) == Self.samples.map(\.1))
            #expect(try ZipTest.readAll(bytes, mode: .goCompatible) == Self.samples.map(\.1))
        }
    }

    @Test("empty archive: 22 bytes, no entries")
    func emptyArchive() throws {
        let bytes = ZipBuilder().bytes
        #expect(bytes.count == 22)
        for mode in [ZipArchive.Mode.strict, .goCompatible] {
            let archive = try ZipArchive(bytes: bytes, mode: mode)
            #expect(archive.entries.isEmpty)
            #expect(archive.warnings.isEmpty)
        }
    }

    @Test("entry metadata: index, offsets, Unix mode, directory flag")
    func metadata() throws {
        var zip = ZipBuilder.baseline()
        var dir = ZipBuilder.Entry(p + "sub/", "", method: 0)
        dir.versionMadeBy = 0x031E
        dir.externalAttributes = UInt32(0o40755) << 16
        zip.entries.append(dir)
        let (bytes, layout) = zip.build()
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.map(\.index) == [0, 1, 2])
        #expect(archive.entries.map(\.localHeaderOffset) == layout.localOffsets.map(Int64.init))
        #expect(archive.entries.map(\.dataOffset) == layout.dataOffsets.map { Int64($0) })
        #expect(archive.entries.map(\.isDirectory) == [false, false, true])
        #expect(archive.entries[2].unixMode == 0o40755)
        #expect(archive.entries[0].unixMode == nil)
        #expect(try ZipTest.contents(archive)[2].isEmpty)
    }

    @Test("a directory entry declaring content → strict .directoryEntryWithData; lenient fails on read like Go")
    func directoryWithData() throws {
        var zip = ZipBuilder.baseline()
        zip.entries.append(ZipBuilder.Entry(p + "dir/", String(repeating: "x", count: 33)))
        #expect(ZipTest.openCode(zip.bytes) == .directoryEntryWithData)
        let lenient = try ZipArchive(bytes: zip.bytes, mode: .goCompatible)
        #expect(lenient.warnings.map(\.code) == [.relaxed(.directoryEntryWithData)])
        #expect(ZipTest.code { () throws(ZipError) in _ = try ZipTest.contents(lenient) } == .directoryEntryWithData)
    }

    @Test("Go's TestCompressedDirectory JAR (deflated empty directory) reads in both modes")
    func compressedDirectory() throws {
        for mode in [ZipArchive.Mode.strict, .goCompatible] {
            let contents = try ZipTest.readAll(GoZipVectors.compressedDirectory, mode: mode)
            #expect(contents.count == 2)
            #expect(contents[0].isEmpty)
            #expect(contents[1].count == 60)
        }
    }

    @Test("limits are checked before work: archive size, entry size, total size, names, contents(of:)")
    func limits() throws {
        // A source claiming 500 MiB + 1 byte: rejected from its size, nothing read.
        struct Huge: ByteSource {
            var count: Int64 { 524_288_001 }
            func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int {
                throw ZipError(.io, detail: "must not be read")
            }
        }
        #expect(ZipTest.code { () throws(ZipError) in _ = try ZipArchive(source: Huge()) } == .archiveTooLarge)
        let bytes = ZipBuilder.baseline().bytes
        #expect(ZipTest.openCode(bytes, limits: .init(maxEntries: 1)) == .tooManyEntries)
        #expect(ZipTest.openCode(bytes, limits: .init(maxNameLength: 10)) == .nameTooLong)
        #expect(ZipTest.openCode(bytes, limits: .init(maxTotalNameBytes: 30)) == .nameTooLong)
        #expect(ZipTest.openCode(bytes, limits: .init(maxEntrySize: 20)) == .entryTooLarge)
        #expect(ZipTest.openCode(bytes, limits: .init(maxTotalUncompressedSize: 40)) == .totalSizeTooLarge)
        let small = try ZipArchive(bytes: bytes, limits: .init(maxContentsSize: 30))
        #expect(try small.contents(of: small.entries[0]) == Array("module example.com/m\n\ngo 1.19\n".utf8))
        #expect(ZipTest.code { () throws(ZipError) in _ = try small.contents(of: small.entries[1]) } == .entryTooLarge)
    }

    @Test("an entry from another archive is refused")
    func foreignEntry() throws {
        let a = try ZipArchive(bytes: ZipBuilder.baseline().bytes)
        var other = ZipBuilder.baseline()
        other.entries[0].content = Array("module example.com/other\n".utf8)
        let b = try ZipArchive(bytes: other.bytes)
        #expect(ZipTest.code { () throws(ZipError) in _ = try a.contents(of: b.entries[0]) } == .entryNotInArchive)
    }

    @Test("one reader is reusable across entries and archives, including after errors")
    func readerReuse() throws {
        let reader = try ZipEntryReader(bufferSize: 4096)
        let good = try ZipArchive(bytes: Self.archive(method: 8))
        var bad = ZipBuilder.baseline()
        bad.entries[1].data = bad.entries[1].dataBytes + [1, 2, 3]
        let broken = try ZipArchive(bytes: bad.bytes)
        for _ in 0..<3 {
            for (entry, expected) in zip(good.entries, Self.samples.map(\.1)) {
                var data: [UInt8] = []
                var chunks = 0
                try reader.read(entry, in: good) { data.append(contentsOf: $0); chunks += 1; #expect($0.count <= 4096) }
                #expect(data == expected)
            }
            #expect(ZipTest.code { () throws(ZipError) in try reader.read(broken.entries[1], in: broken) { _ in } } == .trailingCompressedData)
        }
    }

    @Test("FileByteSource and InMemoryByteSource give identical results, including errors")
    func fileSource() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var cases: [[UInt8]] = [Self.archive(method: 8), Self.archive(method: 0, descriptor: .init()), ZipBuilder.baseline().bytes]
        var trailing = ZipBuilder.baseline(); trailing.trailing = [1]
        var crc = ZipBuilder.baseline(); crc.entries[0].local.crc32 = 1; crc.entries[0].central.crc32 = 1
        cases += [trailing.bytes, crc.bytes, [], Array("not a zip".utf8)]
        for (i, bytes) in cases.enumerated() {
            let path = dir.appendingPathComponent("\(i).zip").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            for mode in [ZipArchive.Mode.strict, .goCompatible] {
                let fromMemory = Result { () throws(ZipError) in
                    let a = try ZipArchive(bytes: bytes, mode: mode)
                    return (a.entries, a.warnings, try ZipTest.contents(a))
                }
                let fromFile = Result { () throws(ZipError) in
                    let a = try ZipArchive(path: path, mode: mode)
                    return (a.entries, a.warnings, try ZipTest.contents(a))
                }
                switch (fromMemory, fromFile) {
                case (.success(let m), .success(let f)):
                    #expect(m.0 == f.0)
                    #expect(m.1 == f.1)
                    #expect(m.2 == f.2)
                case (.failure(let m), .failure(let f)):
                    #expect(m.code == f.code)
                default:
                    Issue.record("case \(i) \(mode): memory \(fromMemory) vs file \(fromFile)")
                }
            }
        }
        #expect(ZipTest.code { () throws(ZipError) in _ = try FileByteSource(path: dir.appendingPathComponent("missing").path) } == .io)
        #expect(ZipTest.code { () throws(ZipError) in _ = try FileByteSource(path: dir.path) } == .io)
        let source = try FileByteSource(path: dir.appendingPathComponent("0.zip").path)
        #expect(source.count == Int64(cases[0].count))
        #expect(ZipTest.code { () throws(ZipError) in _ = try source.bytes(at: -1, count: 4) } == .io)
        #expect(try source.bytes(at: source.count, count: 4).isEmpty)
    }

    @Test("two threads, each with its own reader, read different entries of one archive at once")
    func concurrentReads() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.zip").path
        try Data(Self.archive(method: 8)).write(to: URL(fileURLWithPath: path))
        let archive = try ZipArchive(path: path)
        let expected = Self.samples.map(\.1)
        let results = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
            for half in 0..<2 {
                group.addTask {
                    let reader = try ZipEntryReader()
                    var out: [[UInt8]] = []
                    for round in 0..<5 {
                        for entry in archive.entries where (entry.index + round + half) % 2 == 0 {
                            var data: [UInt8] = []
                            try reader.read(entry, in: archive) { data.append(contentsOf: $0) }
                            #expect(data == expected[entry.index])
                            out.append(data)
                        }
                    }
                    return out
                }
            }
            var all: [[[UInt8]]] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.map(\.count).reduce(0, +) == 5 * expected.count)
    }
}
