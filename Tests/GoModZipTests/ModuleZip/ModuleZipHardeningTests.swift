#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
@testable import GoModCore
@testable import GoModZip
import GoModTestSupport
import Testing

/// Issue 13's hostile zips and the limits they need: declared sizes whose sum overflows 64 bits,
/// a name tens of thousands of directories deep, and extraction failures from the file system.
/// The zips are generated here (``HostileZips``), never checked in.
@Suite struct ModuleZipHardeningTests {
    static let module = ModuleVersion.raw("example.com/m", "v1.0.0")
    static let p = ZipBuilder.prefix

    /// What is in the sandbox besides `in.zip`.
    private func leftovers(_ sandbox: Sandbox) -> [String] {
        FS.tree(sandbox.path).map { String(decoding: $0.path, as: UTF8.self) }.filter { $0 != "in.zip" }
    }

    private func text(_ bytes: ByteString) -> String { String(decoding: bytes.bytes, as: UTF8.self) }
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private func write(_ bytes: [UInt8], in sandbox: Sandbox) throws -> String {
        let path = sandbox.sub("in.zip")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: - Sizes, offsets and counts from the file

    @Test func overflowingDeclaredSizesAreATypedError() throws {
        let bytes = HostileZips.overflowingSizes()
        #expect(bytes.count < 400, "the issue's zip is ~302 bytes; this one is \(bytes.count)")
        // The module policy's reader leaves sizes to the policy: the sum is what overflows.
        for mode in [ZipArchive.Mode.strict, .goCompatible] {
            #expect(throws: ZipError(.totalSizeTooLarge)) {
                _ = try ZipArchive(bytes: bytes, mode: mode, limits: ModuleZip.policyLimits)
            }
        }
        // With the default limits each entry is already too large.
        #expect(throws: ZipError(.entryTooLarge)) { _ = try ZipArchive(bytes: bytes) }

        let sandbox = try Sandbox()
        let zip = try write(bytes, in: sandbox)
        do {
            _ = try ModuleZip.checkZip(Self.module, path: zip)
            Issue.record("checkZip accepted sizes that add up past 2^63")
        } catch {
            #expect(error.code == .zip)
            #expect(error.zipError?.code == .totalSizeTooLarge)
            #expect(error.description.contains("declared uncompressed sizes add up to more than 9223372036854775807 bytes"))
        }
        do {
            _ = try DirHash.hashZip(path: zip)
            Issue.record("hashZip accepted an entry declaring 2^62 bytes")
        } catch {
            #expect(error.code == .zip)
            #expect(error.zipError?.code == .entryTooLarge)
        }
        #expect(throws: ModuleZipError(.zip, message: "")) {
            try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("out"))
        }
        #expect(leftovers(sandbox).isEmpty)
    }

    /// A ZIP64 end record declaring 2^60 entries: with the entry cap lifted to `Int.max`, the
    /// minimum directory size (count × 46) overflows; the check reports it instead of trapping.
    @Test func entryCountTimesHeaderSizeOverflow() throws {
        var builder = ZipBuilder.baseline()
        builder.zip64End = ZipBuilder.Zip64End(countOnDisk: 1 << 60, count: 1 << 60)
        var limits = ZipArchive.Limits()
        limits.maxEntries = .max
        #expect(throws: ZipError(.entryCountMismatch)) { _ = try ZipArchive(bytes: builder.bytes, limits: limits) }
        #expect(throws: ZipError(.tooManyEntries)) { _ = try ZipArchive(bytes: builder.bytes) }
    }

    /// Limits are public values: a negative one is a refusal, never a trap converting it.
    @Test func negativeLimitsRefuseInsteadOfTrapping() throws {
        let bytes = ZipBuilder.baseline().bytes
        #expect(throws: ZipError(.tooManyEntries)) { _ = try ZipArchive(bytes: bytes, limits: .init(maxEntries: -1)) }
        #expect(throws: ZipError(.entryTooLarge)) { _ = try ZipArchive(bytes: bytes, limits: .init(maxEntrySize: -1)) }
        #expect(throws: ZipError(.totalSizeTooLarge)) {
            _ = try ZipArchive(bytes: bytes, limits: .init(maxTotalUncompressedSize: -1))
        }
        #expect(throws: ZipError(.nameTooLong)) { _ = try ZipArchive(bytes: bytes, limits: .init(maxTotalNameBytes: -1)) }
    }

    // MARK: - Path depth and length

    @Test func deepNameIsInvalidAndCheckedInLinearTime() throws {
        let bytes = HostileZips.deepName()
        #expect(bytes.count > 130_000 && bytes.count < 132_000, "the issue's zip is 131 KB; this one is \(bytes.count)")
        let archive = try ZipArchive(bytes: bytes, limits: ModuleZip.policyLimits)
        let clock = ContinuousClock()
        var report = ModuleZip.CheckedFiles()
        let elapsed = try clock.measure { report = try ModuleZip.checkZip(Self.module, archive: archive) }
        #expect(report.valid == [ByteString(Self.p + "go.mod")])
        let invalid = try #require(report.invalid.first)
        #expect(report.invalid.count == 1)
        #expect(invalid.code == .pathTooDeep)
        #expect(text(invalid.message) == "file path too deep (\(HostileZips.deepElements) elements; GoModKit's limit is 256)")
        // Quadratic work on this name took minutes; linear work takes milliseconds. The bound
        // is loose so that a loaded machine does not fail it.
        #expect(elapsed < .seconds(10), "\(elapsed)")
    }

    @Test func unzipOfATooDeepTreeLeavesNothing() throws {
        let sandbox = try Sandbox()
        let zip = try write(HostileZips.deepName(), in: sandbox)
        do {
            try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("cache/example.com/m@v1.0.0"))
            Issue.record("extracted a name 32,755 directories deep")
        } catch {
            #expect(error.code == .invalidFiles)
            #expect(error.files.map(\.code) == [.pathTooDeep])
        }
        #expect(leftovers(sandbox).isEmpty)
    }

    /// The limits at their boundaries, for zips and for file lists (create, CheckDir).
    @Test func depthAndLengthBoundaries() throws {
        let deepest = String(repeating: "d/", count: ModuleZip.maxPathDepth - 1) + "f.go"      // 256 elements
        let tooDeep = String(repeating: "d/", count: ModuleZip.maxPathDepth) + "f.go"          // 257
        let longest = String(repeating: "x", count: 255) + "/" + String(repeating: "y", count: ModuleZip.maxPathLength - 256)
        let tooLong = longest + "z"
        var builder = ZipBuilder.baseline()
        for name in [deepest, tooDeep, longest, tooLong] { builder.add(Self.p + name, "package d\n") }
        let report = try ModuleZip.checkZip(Self.module, archive: ZipArchive(bytes: builder.bytes))
        #expect(report.valid.map { String(decoding: $0.bytes, as: UTF8.self) }
                == [Self.p + "go.mod", Self.p + "m.go", Self.p + deepest, Self.p + longest])
        #expect(report.invalid.map(\.code) == [.pathTooDeep, .pathTooLong])
        #expect(report.invalid.map { text($0.message) } == [
            "file path too deep (257 elements; GoModKit's limit is 256)",
            "file path too long (4097 bytes; GoModKit's limit is 4096 bytes)",
        ])

        let files = [deepest, tooDeep, longest, tooLong].map { ModuleZip.File.bytes(ByteString($0), Array("x".utf8)) }
        let checked = try ModuleZip.checkFiles(files)
        #expect(checked.valid.map { String(decoding: $0.bytes, as: UTF8.self) } == [deepest, longest])
        #expect(checked.invalid.map(\.code) == [.pathTooDeep, .pathTooLong])
        #expect(throws: ModuleZipError(.invalidFiles, message: "")) {
            _ = try ModuleZip.create(Self.module, files: files, output: .memory)
        }
        // A directory entry is measured without its trailing slash.
        var dirs = ZipBuilder.baseline()
        dirs.add(Self.p + String(repeating: "d/", count: ModuleZip.maxPathDepth), "")
        #expect(try ModuleZip.checkZip(Self.module, archive: ZipArchive(bytes: dirs.bytes)).isValid)
        dirs.add(Self.p + String(repeating: "e/", count: ModuleZip.maxPathDepth + 1), "")
        #expect(try ModuleZip.checkZip(Self.module, archive: ZipArchive(bytes: dirs.bytes)).invalid.map(\.code) == [.pathTooDeep])
    }

    // MARK: - The collision checker

    /// x/mod's `collisionChecker` semantics, with its order: the path first, then its parents from
    /// the innermost out, stopping at the first collision; a repeated directory is fine.
    @Test func collisionCheckerKeepsGosOrder() {
        var checker = CollisionChecker()
        #expect(checker.check(Array("a/b/c.go".utf8), isDirectory: false) == nil)
        #expect(checker.check(Array("a/b/d.go".utf8), isDirectory: false) == nil)
        #expect(checker.check(Array("a/b".utf8), isDirectory: true) == nil)
        // `A/x.go` is recorded, then its parent `A` collides with `a`.
        let upper = checker.check(Array("A/x.go".utf8), isDirectory: false)
        #expect(upper?.code == .caseCollision)
        #expect(upper?.message == #"case-insensitive file name collision: "a" and "A""#)
        // The leaf was recorded before the parent collided: the same name is now a duplicate.
        #expect(checker.check(Array("A/x.go".utf8), isDirectory: false)?.code == .duplicateEntry)
        #expect(checker.check(Array("a/B/e.go".utf8), isDirectory: false)?.message
                == #"case-insensitive file name collision: "a/b" and "a/B""#)
        #expect(checker.check(Array("a/b/c.go/f".utf8), isDirectory: false)?.message
                == #"entry "a/b/c.go" is both a file and a directory"#)
        #expect(checker.check(Array("a/b/c.go".utf8), isDirectory: false)?.message
                == #"multiple entries for file "a/b/c.go""#)
        #expect(checker.check(Array("a/\u{212A}.go".utf8), isDirectory: false) == nil)
        #expect(checker.check(Array("a/k.go".utf8), isDirectory: false)?.message
                == "case-insensitive file name collision: \"a/\u{212A}.go\" and \"a/k.go\"")
    }

    /// The issue's deep name through the checker itself (the depth limit normally stops it
    /// first): one stored prefix per element, not one string per prefix.
    @Test func collisionCheckerMemoryIsLinearInTheName() {
        let depth = HostileZips.deepElements
        let deep = Array((String(repeating: "a/", count: depth - 1) + "f.go").utf8)
        var checker = CollisionChecker()
        #expect(checker.check(deep, isDirectory: false) == nil)
        #expect(checker.storedPrefixes == 2 * depth)
        var upper = deep
        upper[0] = UInt8(ascii: "A")
        // Go checks the name before its parents: the leaves collide.
        let collision = checker.check(upper, isDirectory: false)
        #expect(collision?.code == .caseCollision)
        #expect(collision?.message == "case-insensitive file name collision: \"\(text(deep))\" and \"\(text(upper))\"")
        // Every exact prefix of the second name is new; every folded one was already there.
        #expect(checker.storedPrefixes == 3 * depth)
    }

    // MARK: - File-system failures during extraction

    /// A 300-byte path element passes every path rule but no Linux file system takes it
    /// (`NAME_MAX` is 255): `mkdirat` fails with `ENAMETOOLONG` mid-extraction, after `go.mod`
    /// was written. The error is typed and carries the errno; nothing is left.
    @Test func nameTooLongDuringExtraction() throws {
        let sandbox = try Sandbox()
        var builder = ZipBuilder.baseline()
        builder.add(Self.p + String(repeating: "n", count: 300) + "/x.go", "package x\n")
        let zip = try write(builder.bytes, in: sandbox)
        do {
            try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("target"))
            Issue.record("extracted a 300-byte path element")
        } catch {
            #expect(error.code == .io)
            #expect(error.systemError == ENAMETOOLONG)
            #expect(error.description.hasPrefix("unzip \(zip): mkdir \"nnnn"))
            #expect(error.description.hasSuffix(": \(String(cString: strerror(ENAMETOOLONG)))"))
        }
        #expect(leftovers(sandbox).isEmpty)
        // The same for the file itself.
        var file = ZipBuilder.baseline()
        file.add(Self.p + String(repeating: "f", count: 256), "x")
        let zip2 = try write(file.bytes, in: sandbox)
        #expect(throws: ModuleZipError(.io, message: "")) {
            try ModuleZip.unzip(zip2, module: Self.module, to: sandbox.sub("target"))
        }
        #expect(leftovers(sandbox).isEmpty)
    }

    /// A target whose own name is too long fails before anything is created.
    @Test func targetNameTooLong() throws {
        let sandbox = try Sandbox()
        let zip = try write(ZipBuilder.baseline().bytes, in: sandbox)
        do {
            try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub(String(repeating: "t", count: 256)))
            Issue.record("extracted into a 256-byte name")
        } catch {
            #expect(error.code == .io)
            #expect(error.systemError == ENAMETOOLONG)
        }
        #expect(leftovers(sandbox).isEmpty)
    }
}

/// The hostile zips of issue 13, generated byte by byte.
enum HostileZips {
    /// Two deflated entries whose central-directory ZIP64 extra fields declare uncompressed sizes
    /// of 2^62 + 1 and 2^62 + 2^61: each fits an `Int64`, their sum does not.
    static func overflowingSizes() -> [UInt8] {
        var builder = ZipBuilder()
        for (name, size) in [("a.go", (UInt64(1) << 62) + 1), ("b.go", (UInt64(1) << 62) + (UInt64(1) << 61))] {
            var entry = ZipBuilder.Entry(ZipBuilder.prefix + name, "package m\n")
            var extra: [UInt8] = []
            extra.le16(1); extra.le16(8); extra.le64(size)
            entry.central.uncompressedSize = 0xFFFF_FFFF
            entry.centralExtraOverride = extra
            builder.entries.append(entry)
        }
        return builder.bytes
    }

    /// Elements below the module root in ``deepName()``'s deep entry.
    static let deepElements = 32_756

    /// `example.com/m@v1.0.0/go.mod` and one file whose 65,531-byte name is 32,757 directories
    /// deep counting the prefix's two (`a/` × 32,755, then `f.go`): 131 KB, the name stored twice.
    static func deepName() -> [UInt8] {
        let name = ZipBuilder.prefix + String(repeating: "a/", count: deepElements - 1) + "f.go"
        return ZipBuilder([
            ZipBuilder.Entry(ZipBuilder.prefix + "go.mod", "module example.com/m\n"),
            ZipBuilder.Entry(name, "package a\n"),
        ]).bytes
    }
}
