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

/// ``ModuleZip/unzip(_:module:to:options:)`` — x/mod `zip.Unzip`'s rules (rows 157–161, as in the
/// test names; differences: Docs/recompute-go-sum.md) and the rule
/// that extraction never writes outside its target, whatever the zip: hostile zips built with
/// the test ``ZipBuilder`` are extracted into a fresh sandbox, which afterwards holds the zip
/// and, on success only, the target.
@Suite struct ModuleZipUnzipTests {
    static let module = ModuleVersion.raw("example.com/m", "v1.0.0")
    static let p = ZipBuilder.prefix

    private func write(_ builder: ZipBuilder, in sandbox: Sandbox) throws -> String {
        let path = sandbox.sub("in.zip")
        try Data(builder.bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// What is in the sandbox besides the zip.
    private func leftovers(_ sandbox: Sandbox) -> [String] {
        FS.tree(sandbox.path).map { String(decoding: $0.path, as: UTF8.self) }.filter { $0 != "in.zip" }
    }

    @Test func extractsLikeGo() throws {
        let sandbox = try Sandbox()
        var builder = ZipBuilder.baseline()
        builder.add(Self.p + "sub/deep/a.go", "package deep\n")
        builder.add(Self.p + "sub/b.go", "package sub\n")
        builder.add(Self.p + "dir/", "")
        builder.add(Self.p + "empty.txt", "")
        let zip = try write(builder, in: sandbox)
        let report = try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("ours/m@v1.0.0"))
        #expect(report.isValid)
        let go = try ModZipRef.runOne(["unzip", "example.com/m", "v1.0.0", zip, sandbox.sub("go")])
        let goH1 = try #require(go["h1"] as? String, "\(go)")
        #expect(try DirHash.hashDir(sandbox.sub("ours/m@v1.0.0"), prefix: "example.com/m@v1.0.0").description == goH1)
        // Same files; no directory entry becomes anything; files 0444, directories 0555.
        let ours = FS.tree(sandbox.sub("ours/m@v1.0.0"))
        let goFiles = FS.tree(sandbox.sub("go"))
        #expect(ours.map(\.path) == goFiles.map(\.path))
        for (path, mode) in ours {
            if mode & S_IFMT == S_IFDIR {
                #expect(mode & 0o7777 == 0o555, "\(ByteString(path))")
            } else {
                #expect(mode & S_IFMT == S_IFREG)
                #expect(mode & 0o7777 == 0o444, "\(ByteString(path))")
            }
        }
        var info = stat()
        #expect(lstat(sandbox.sub("ours/m@v1.0.0"), &info) == 0 && info.st_mode & 0o7777 == 0o555)
        #expect(!FileManager.default.fileExists(atPath: sandbox.sub("ours/m@v1.0.0/dir")))
    }

    @Test func writableOption() throws {
        let sandbox = try Sandbox()
        var builder = ZipBuilder.baseline()
        builder.add(Self.p + "a/b.go", "package a\n")
        let zip = try write(builder, in: sandbox)
        try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("out"), options: .init(readOnly: false))
        let mask = umask(0)
        umask(mask)
        for (_, mode) in FS.tree(sandbox.sub("out")) {
            #expect(mode & 0o7777 == (mode & S_IFMT == S_IFDIR ? 0o755 : 0o644) & ~mask)
        }
    }

    @Test func row157TargetNotEmpty() throws {
        let sandbox = try Sandbox()
        let zip = try write(ZipBuilder.baseline(), in: sandbox)
        try FS.write(sandbox.sub("target"), "keep.txt", "mine\n")
        #expect(throws: ModuleZipError(.targetNotEmpty, message: "")) {
            try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("target"))
        }
        #expect(leftovers(sandbox) == ["target", "target/keep.txt"])
        // An empty directory is fine, and is replaced by the extracted tree.
        try FS.mkdirs(sandbox.sub("empty"))
        try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("empty"))
        #expect(FileManager.default.fileExists(atPath: sandbox.sub("empty/go.mod")))
        do {
            try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("empty"))
            Issue.record("extracted into a non-empty directory")
        } catch {
            #expect(error.code == .targetNotEmpty)
            #expect(error.description == "unzip \(zip): target directory \(sandbox.sub("empty")) exists and is not empty")
        }
    }

    @Test func row158SymbolicLinksAreNeverFollowed() throws {
        let sandbox = try Sandbox()
        let zip = try write(ZipBuilder.baseline(), in: sandbox)
        try FS.mkdirs(sandbox.sub("elsewhere"))
        try FS.symlink(sandbox.sub("elsewhere"), at: sandbox.sub("link"))
        #expect(throws: ModuleZipError(.targetNotDirectory, message: "")) {
            try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("link"))
        }
        #expect(FS.tree(sandbox.sub("elsewhere")).isEmpty)

        // Links planted inside the extraction root (as a directory on the way, and as the file
        // itself) make the descriptor-relative extraction fail without writing through them.
        let archive = try ZipArchive(bytes: ZipBuilder([ZipBuilder.Entry(Self.p + "a/b.go", "package a\n")]).bytes)
        let root = sandbox.sub("root")
        try FS.mkdirs(root)
        try FS.symlink(sandbox.sub("elsewhere"), at: root + "/a")
        let rootFD = open(root, O_RDONLY | O_DIRECTORY)
        defer { close(rootFD) }
        #expect(throws: ModuleZipError(.io, message: "")) {
            _ = try ModuleZip.extract(archive.entries, of: archive, stripping: Self.p.utf8.count, into: rootFD, fileMode: 0o444)
        }
        #expect(FS.tree(sandbox.sub("elsewhere")).isEmpty)
    }

    @Test func row160ExistingFile() throws {
        let sandbox = try Sandbox()
        let archive = try ZipArchive(bytes: ZipBuilder.baseline().bytes)
        let root = sandbox.sub("root")
        try FS.write(root, "m.go", "already here\n")
        try FS.symlink(sandbox.sub("victim"), at: root + "/go.mod")
        let rootFD = open(root, O_RDONLY | O_DIRECTORY)
        defer { close(rootFD) }
        #expect(throws: ModuleZipError(.fileExists, message: "")) {
            _ = try ModuleZip.extract(archive.entries, of: archive, stripping: Self.p.utf8.count, into: rootFD, fileMode: 0o444)
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.sub("victim")))
        #expect(try String(contentsOfFile: root + "/m.go", encoding: .utf8) == "already here\n")
    }

    @Test func row161ModesAreIgnored() throws {
        let sandbox = try Sandbox()
        var builder = ZipBuilder.baseline()
        for (name, mode) in [("setuid", 0o104777), ("setgid", 0o102777), ("sticky/f", 0o101777), ("world", 0o100777)] as [(String, UInt32)] {
            var e = ZipBuilder.Entry(Self.p + name, "x")
            e.versionMadeBy = 3 << 8 | 20
            e.externalAttributes = mode << 16
            builder.entries.append(e)
        }
        let zip = try write(builder, in: sandbox)
        try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("out"))
        for (path, mode) in FS.tree(sandbox.sub("out")) {
            #expect(mode & 0o7777 == (mode & S_IFMT == S_IFDIR ? 0o555 : 0o444), "\(ByteString(path))")
        }
    }

    /// Hostile zips: whatever happens, the sandbox holds only the zip afterwards unless the
    /// extraction succeeded (then also exactly the target).
    static let hostile: [(String, ZipArchive.Mode, ZipBuilder)] = {
        var list: [(String, ZipArchive.Mode, ZipBuilder)] = []
        func plus(_ name: String, _ entries: [ZipBuilder.Entry], mode: ZipArchive.Mode = .strict) {
            var b = ZipBuilder.baseline()
            b.entries += entries
            list.append((name, mode, b))
        }
        plus("dot-dot", [ZipBuilder.Entry(p + "../../evil.go", "x")])
        plus("absolute", [ZipBuilder.Entry("/etc/evil", "x")])
        plus("backslash", [ZipBuilder.Entry(p + "a\\..\\..\\evil.go", "x")])
        plus("duplicate", [ZipBuilder.Entry(p + "m.go", "package evil\n")])
        plus("case", [ZipBuilder.Entry(p + "M.go", "x")])
        plus("file and dir", [ZipBuilder.Entry(p + "m.go/x.go", "x")])
        plus("nested go.mod", [ZipBuilder.Entry(p + "sub/go.mod", "module x\n")])
        var crc = ZipBuilder.Entry(p + "z.go", "package z\n")
        crc.local.crc32 = 0xDEAD_BEEF
        crc.central.crc32 = 0xDEAD_BEEF
        plus("bad crc (read fails after other files)", [ZipBuilder.Entry(p + "a.go", "package a\n"), crc], mode: .goCompatible)
        var short = ZipBuilder.Entry(p + "z.go", "package z\n")
        short.local.uncompressedSize = 100
        short.central.uncompressedSize = 100
        plus("size lie", [ZipBuilder.Entry(p + "a.go", "package a\n"), short], mode: .goCompatible)
        var alias = ZipBuilder.Entry(p + "alias.go", "package m\n\nfunc F() int { return 42 }\n")
        alias.aliasOf = 1
        plus("overlapping (strict)", [alias])
        plus("overlapping (goCompatible)", [alias], mode: .goCompatible)
        plus("ok", [ZipBuilder.Entry(p + "deep/er/x.go", "package er\n")])
        // Container-level hostility (as in ZipArchiveSecurityTests), in both reader modes.
        for mode in [ZipArchive.Mode.strict, .goCompatible] {
            var trailing = ZipBuilder.baseline()
            trailing.trailing = Array("TRAILING-GARBAGE".utf8)
            list.append(("trailing data \(mode)", mode, trailing))
            var prepended = ZipBuilder.baseline()
            prepended.prefix = Array("#!/bin/sh\nexit 0\n".utf8)
            list.append(("prepended data \(mode)", mode, prepended))
            var renamed = ZipBuilder.baseline()
            renamed.entries[1].local.name = Array((p + "evil.go").utf8)
            list.append(("local name differs \(mode)", mode, renamed))
            var bomb = ZipBuilder([ZipBuilder.Entry(p + "zeros.go", String(repeating: "\0", count: 1 << 16))])
            for i in 0..<50 {
                var alias = ZipBuilder.Entry(p + "z\(i).go", String(repeating: "\0", count: 1 << 16))
                alias.aliasOf = 0
                bomb.entries.append(alias)
            }
            list.append(("overlap bomb \(mode)", mode, bomb))
            var truncated = ZipBuilder.baseline()
            truncated.entries[1].data = Array(RawDeflate.compress(truncated.entries[1].content).prefix(5))
            list.append(("truncated deflate \(mode)", mode, truncated))
            var encrypted = ZipBuilder.baseline()
            encrypted.entries[1].flags = 1
            list.append(("encryption flag \(mode)", mode, encrypted))
            var bzip2 = ZipBuilder.baseline()
            bzip2.entries[1].method = 12
            bzip2.entries[1].data = bzip2.entries[1].content
            list.append(("method 12 \(mode)", mode, bzip2))
            var dirData = ZipBuilder.baseline()
            dirData.add(p + "dir/", "hidden payload")
            list.append(("directory with data \(mode)", mode, dirData))
        }
        return list
    }()

    @Test(arguments: 0..<hostile.count)
    func row159NothingOutsideTheTarget(_ index: Int) throws {
        let (label, mode, builder) = Self.hostile[index]
        let sandbox = try Sandbox()
        let zip = try write(builder, in: sandbox)
        do {
            try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("target"), options: .init(mode: mode))
            #expect(["ok", "overlapping (goCompatible)", "trailing data goCompatible", "prepended data goCompatible",
                     "local name differs goCompatible", "overlap bomb goCompatible", "encryption flag goCompatible"].contains(label),
                    "\(label) extracted")
            #expect(leftovers(sandbox).allSatisfy { $0 == "target" || $0.hasPrefix("target/") }, "\(label)")
        } catch {
            #expect(label != "ok", "\(label): \(error)")
            #expect(leftovers(sandbox).isEmpty, "\(label) left \(leftovers(sandbox))")
        }
    }

    @Test func missingParentsAreCreatedLikeGo() throws {
        let sandbox = try Sandbox()
        let zip = try write(ZipBuilder.baseline(), in: sandbox)
        try ModuleZip.unzip(zip, module: Self.module, to: sandbox.sub("a/b/c"))
        #expect(FileManager.default.fileExists(atPath: sandbox.sub("a/b/c/m.go")))
    }
}
