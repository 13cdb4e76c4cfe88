import Foundation
@testable import GoModCore
@testable import GoModZip
import GoModTestSupport
import Testing

/// The zip writer behind ``ModuleZip/create(_:files:output:options:)``: its records must look
/// like Go's `archive/zip` output for the same files (x/mod's `zip.Create`), be accepted by the
/// strict reader, and hash as Go hashes them; file output is atomic.
@Suite struct ModuleZipWriterTests {
    static let module = ModuleVersion.raw("example.com/m", "v1.0.0")

    /// Central-directory fields other than the compressed bytes equal those of the zip Go's
    /// `zip.Create` writes for the same files: names, order, flags (bit 3, and bit 11 by Go's
    /// `detectUTF8`), method, version made by, external attributes, CRC-32 and sizes.
    @Test func recordsMatchGo() throws {
        let names = ["go.mod", "plain.go", "tilde~1.go", "caf\u{E9}.go", "sp ace.go", "\u{4E2D}.txt", "{brace}.go", "dir/x.go"]
        var files = names.map { ModuleZip.File.bytes(ByteString($0), Array("content of \($0)\n".utf8)) }
        files.append(.bytes("big.bin", (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }))
        files.append(.bytes("empty", []))
        let ours = try ModuleZip.create(Self.module, files: files, output: .memory)
        let sandbox = try Sandbox()
        let spec = ["files": files.map { f -> [String: Any] in
            guard case .bytes(let data) = f.content.storage else { return [:] }
            return ["nameBase64": Data(f.path.bytes).base64EncodedString(), "dataBase64": Data(data).base64EncodedString()]
        }]
        let go = try ModZipRef.runOne(["checkfiles", sandbox.sub("go.zip"), "example.com/m", "v1.0.0"],
                                      stdin: Array(try JSONSerialization.data(withJSONObject: spec)))
        #expect(ours.hash.description == go["h1"] as? String)
        let mine = try ZipArchive(bytes: try #require(ours.zipBytes))
        let theirs = try ZipArchive(path: sandbox.sub("go.zip"))
        #expect(mine.entries.count == theirs.entries.count)
        for (a, b) in zip(mine.entries, theirs.entries) {
            #expect(a.name == b.name)
            #expect(a.flags == b.flags, "\(a.name)")
            #expect(a.method == b.method && a.method == 8)
            #expect(a.versionMadeBy == b.versionMadeBy && a.versionMadeBy == 20)
            #expect(a.externalAttributes == b.externalAttributes)
            #expect(a.crc32 == b.crc32 && a.uncompressedSize == b.uncompressedSize)
            #expect(a.hasDataDescriptor)
        }
        #expect(mine.comment.isEmpty && mine.warnings.isEmpty)
        #expect(try DirHash.hashZip(mine).description == go["h1"] as? String)
    }

    @Test func compressionLevelChangesBytesNotHash() throws {
        let files = [ModuleZip.File.bytes("a.txt", Array(String(repeating: "hello module zip ", count: 5000).utf8))]
        let fast = try ModuleZip.create(Self.module, files: files, output: .memory, options: .init(compressionLevel: 1))
        let best = try ModuleZip.create(Self.module, files: files, output: .memory, options: .init(compressionLevel: 9))
        let stored = try ModuleZip.create(Self.module, files: files, output: .memory, options: .init(compressionLevel: 0))
        #expect(fast.hash == best.hash && best.hash == stored.hash)
        #expect(try ModuleZip.create(Self.module, files: files).hash == fast.hash)
        #expect(stored.zipBytes!.count > fast.zipBytes!.count)
        for made in [fast, best, stored] {
            #expect(try DirHash.hashZip(ZipArchive(bytes: made.zipBytes!)) == made.hash)
        }
    }

    /// 65,535 entries need Go's ZIP64 end records (Go writes them when the entry count is
    /// at least 0xFFFF); the strict reader and Go's reader both read the result, and Go hashes
    /// it as the writer's own digests say. (The writer is driven directly: this is about the
    /// end records, and 65,535 passes through ``ModuleZip/checkFiles(_:)`` would only add time.)
    @Test func zip64EndRecordsForManyEntries() throws {
        let sink = ZipSink(.memory)
        let writer = try ModuleZipWriter(sink: sink, level: 0)
        for i in 0..<65_535 {
            let name = Array("example.com/m@v1.0.0/f/\(i)".utf8)
            try writer.add(name: name, path: name, content: .bytes([]), size: 0)
        }
        try writer.finish()
        let bytes = sink.bytes
        // The ZIP64 end record and locator precede the saturated 32-bit end record.
        #expect(Array(bytes[(bytes.count - 22)..<(bytes.count - 18)]) == [0x50, 0x4B, 0x05, 0x06])
        #expect(Array(bytes[(bytes.count - 14)..<(bytes.count - 12)]) == [0xFF, 0xFF])
        #expect(Array(bytes[(bytes.count - 42)..<(bytes.count - 38)]) == [0x50, 0x4B, 0x06, 0x07])
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.count == 65_535)
        let h1 = try DirHash.hash1(summarising: writer.digests)
        let sandbox = try Sandbox()
        try Data(bytes).write(to: URL(fileURLWithPath: sandbox.sub("many.zip")))
        let go = try Hashref.run(.current, ["hashzip", sandbox.sub("many.zip")])
        #expect(go["h1"] as? String == h1.description)
    }

    @Test func fileOutputIsAtomic() throws {
        let sandbox = try Sandbox()
        let out = sandbox.sub("m.zip")
        try Data("old".utf8).write(to: URL(fileURLWithPath: out))
        // Failure: the old file stays, nothing else appears.
        #expect(throws: ModuleZipError(.invalidFiles, message: "")) {
            try ModuleZip.create(Self.module, files: [.bytes("a:b", [])], output: .file(out))
        }
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "old")
        #expect(FS.tree(sandbox.path).map { String(decoding: $0.path, as: UTF8.self) } == ["m.zip"])
        // A file that grows between listing and writing: Go's message, nothing left.
        try FS.write(sandbox.path, "tree/a.go", "package a\n")
        var grown = try ModuleZip.listFiles(inDirectory: sandbox.sub("tree")).files
        grown[0].size = 3
        do {
            _ = try ModuleZip.create(Self.module, files: grown, output: .file(out))
            Issue.record("a file larger than listed was accepted")
        } catch {
            #expect(error.code == .fileChanged)
            #expect(error.description == "create zip: file \"a.go\" is larger than declared size")
        }
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "old")
        #expect(!FS.tree(sandbox.path).contains { String(decoding: $0.path, as: UTF8.self).contains(".tmp-") })
        // Success replaces the file.
        let made = try ModuleZip.create(Self.module, files: [.bytes("a.go", Array("package a\n".utf8))], output: .file(out))
        #expect(try DirHash.hashZip(path: out) == made.hash)
    }

    @Test func capsOnFilesAndNames() {
        #expect(throws: Never.self) { try ModuleZip.checkCaps(count: ModuleZip.maxFiles, nameBytes: ModuleZip.maxNameBytes) }
        #expect(throws: ModuleZipError(.tooManyFiles, message: "")) {
            try ModuleZip.checkCaps(count: ModuleZip.maxFiles + 1, nameBytes: 0)
        }
        #expect(throws: ModuleZipError(.tooManyFiles, message: "")) {
            try ModuleZip.checkCaps(count: 1, nameBytes: ModuleZip.maxNameBytes + 1)
        }
    }

    /// Go's `detectUTF8` decides flag bit 11.
    @Test(arguments: [("plain.go", false), ("tilde~", true), ("a}b", false), ("\u{E9}", true), ("back\\slash", true),
                      ("tab\t", true), ("del\u{7F}", true)])
    func utf8FlagRule(_ name: String, _ flag: Bool) {
        #expect(ModuleZipWriter.requiresUTF8Flag(Array(name.utf8)) == flag)
    }

    @Test func invalidUTF8NameNeverGetsTheFlag() {
        #expect(!ModuleZipWriter.requiresUTF8Flag([0x61, 0xE9]))
    }
}
