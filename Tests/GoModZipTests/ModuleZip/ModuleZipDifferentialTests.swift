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

/// Crafted file lists and directory trees, classified and zipped by GoModKit and by Go 1.27.3's
/// x/mod (live, through the modzip and hashref reference programs): the reports must print the
/// same bytes, the size errors must read the same, and the created zips must have the same
/// `h1:` (or both creations must fail with the same message).
@Suite struct ModuleZipDifferentialTests {
    /// A file for a crafted list: name, content, kind, optional declared size.
    struct Spec: Sendable {
        var name: [UInt8]
        var data: [UInt8] = []
        var mode = "file"
        var size: Int64?

        init(_ name: String, _ data: String = "x\n", mode: String = "file", size: Int64? = nil) {
            self.name = Array(name.utf8)
            self.data = Array(data.utf8)
            self.mode = mode
            self.size = size
        }

        init(raw name: [UInt8], _ data: String = "x\n") {
            self.name = name
            self.data = Array(data.utf8)
        }

        var file: ModuleZip.File {
            let kind: ModuleZip.File.Kind = switch mode {
            case "dir": .directory
            case "symlink": .symbolicLink
            case "pipe": .irregular
            default: .regular
            }
            return ModuleZip.File(path: ByteString(name), kind: kind, size: size ?? Int64(data.count),
                                  content: kind == .regular ? .bytes(data) : .unavailable)
        }
    }

    struct FileSet: Sendable, CustomTestStringConvertible {
        var label: String
        var files: [Spec]
        var testDescription: String { label }
    }

    static let goMod124 = Spec("go.mod", "module example.com/m\n\ngo 1.24\n")
    static let goMod123 = Spec("go.mod", "module example.com/m\n\ngo 1.23\n")

    static let fileSets: [FileSet] = [
        FileSet(label: "SPEC A.3 go 1.23", files: vendorTree(goMod123)),
        FileSet(label: "SPEC A.3 go 1.24", files: vendorTree(goMod124)),
        FileSet(label: "SPEC A.3 no go line", files: vendorTree(Spec("go.mod", "module example.com/m\n"))),
        FileSet(label: "SPEC A.3 unparsable go.mod", files: vendorTree(Spec("go.mod", "module example.com/m\ngo 1.24\nrequire x\n"))),
        FileSet(label: "go 1.24rc1", files: vendorTree(Spec("go.mod", "go 1.24rc1\n"))),
        FileSet(label: "root GO.MOD does not set the version",
                files: [Spec("GO.MOD", "go 1.24\n"), Spec("pkg/vendor/v.go"), Spec("vendor/modules.txt")]),
        FileSet(label: "root go.mod as a symbolic link", files: [Spec("go.mod", mode: "symlink"), Spec("a/vendor/b.go")]),
        FileSet(label: "two root go.mod files: the last sets the version",
                files: [goMod123, Spec("pkg/vendor/v.go"), goMod124]),
        FileSet(label: "nested modules", files: [
            Spec("go.mod", "module example.com/m\n"), Spec("a.go"), Spec("sub/go.mod", "module example.com/m/sub\n"),
            Spec("sub/s.go"), Spec("sub/deeper/d.go"), Spec("caps/GO.MOD", "module x\n"), Spec("caps/c.go"),
            Spec("linked/go.mod", mode: "symlink"), Spec("linked/l.go"), Spec("dirmod/go.mod", mode: "dir"),
            Spec("dirmod/x.go"),
        ]),
        FileSet(label: "links, directories and irregular files", files: [
            Spec("a.go"), Spec("link.go", mode: "symlink"), Spec("fifo", mode: "pipe"), Spec("dir", mode: "dir"),
            Spec("dir/inside.go"), Spec("x.go", mode: "dir"), Spec("x.go/y.go"),
        ]),
        FileSet(label: "unclean, absolute and invalid paths", files: [
            Spec("./a.go"), Spec("a//b.go"), Spec("a/"), Spec("/abs.go"), Spec("../up.go"), Spec("a/../b.go"),
            Spec("con.go"), Spec("aux/x.go"), Spec("a\\b.go"), Spec("a:b.go"), Spec("a\u{1}b.go"), Spec(".hg_archival.txt"),
            Spec("sub/.hg_archival.txt"), Spec("ok.go"), Spec(""), Spec("."), Spec("-dash.go"), Spec("~x~1"),
            Spec(raw: [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x67, 0x6F]),
        ]),
        FileSet(label: "collisions", files: [
            Spec("k.go"), Spec("K.go"), Spec("\u{212A}.go"), Spec("s.go"), Spec("\u{17F}.go"), Spec("m.go"), Spec("m.go"),
            Spec("m.go"), Spec("a.go"), Spec("a.go/b.go"), Spec("dir/f.go"), Spec("DIR/g.go"), Spec("caf\u{E9}.go"),
            Spec("cafe\u{301}.go"), Spec("Go.Mod"), Spec("sub/Go.mod"),
        ]),
        // The collision checker's order (the name first, then its parents innermost out, stopping
        // at the first collision) and the nested-module test, with prefixes shared in depth.
        FileSet(label: "collisions in parent directories", files: [
            Spec("a/b/c.go"), Spec("a/b/d.go"), Spec("A/x.go"), Spec("A/x.go"), Spec("a/B/e.go"), Spec("a/b/c.go/f"),
            Spec("a/b/c.go"), Spec("a/\u{212A}.go"), Spec("a/k.go"), Spec("p/q/r/s.go"), Spec("P/Q/R/S.go"),
            Spec("p/q/R/t.go"), Spec("dir", mode: "dir"), Spec("DIR/x.go"), Spec("dir/y.go"),
        ]),
        FileSet(label: "nested modules at depth", files: [
            Spec("go.mod", "module example.com/m\n"), Spec("a/b/c/go.mod", "module x\n"), Spec("a/b/c/d/e.go"),
            Spec("a/b/x.go"), Spec("a/b/C/GO.MOD", "module y\n"), Spec("a/b/C/f.go"), Spec("a/b/cc/g.go"),
            Spec("q/go.mod", mode: "dir"), Spec("q/h.go"), Spec("r/s/go.mod", mode: "symlink"), Spec("r/s/i.go"),
        ]),
        FileSet(label: "size limits", files: [
            Spec("go.mod", "module example.com/m\n", size: 16 << 20), Spec("LICENSE", size: (16 << 20) + 1),
            Spec("big.bin", size: 400 << 20), Spec("big2.bin", size: 100 << 20), Spec("neg.bin", size: -1),
        ]),
        FileSet(label: "go.mod too large", files: [Spec("go.mod", "module example.com/m\n", size: (16 << 20) + 1)]),
        FileSet(label: "exactly 500 MiB", files: [Spec("a.bin", size: 10), Spec("b.bin", size: (500 << 20) - 10)]),
        FileSet(label: "one byte over 500 MiB", files: [Spec("a.bin", size: 10), Spec("b.bin", size: (500 << 20) - 9)]),
        FileSet(label: "vendor edge cases go 1.24", files: [
            goMod124, Spec("vendor/modules.txt"), Spec("vendor"), Spec("vendor/a/b/c.go"), Spec("x/vendor/y/z.go"),
            Spec("x/vendor/vendor/z.go"), Spec("vendored/a.go"), Spec("a/vendor"), Spec("a/b/vendor/c.go"),
        ]),
        FileSet(label: "vendor edge cases no go.mod", files: [
            Spec("vendor/modules.txt"), Spec("vendor"), Spec("vendor/a/b/c.go"), Spec("x/vendor/y/z.go"),
            Spec("x/vendor/vendor/z.go"), Spec("vendored/a.go"), Spec("a/vendor"), Spec("a/b/vendor/c.go"),
            Spec("abcdefg/vendor/c.go"), Spec("ab/vendor/c.go"),
        ]),
    ]

    /// A tree for x/mod's version-dependent vendor rule (`zip.isVendoredPackage`) and omissions, as a file list.
    static func vendorTree(_ goMod: Spec) -> [Spec] {
        [goMod, Spec("m.go"), Spec("vendor/modules.txt"), Spec("vendor/top.go"), Spec("vendor/example.com/x/x.go"),
         Spec("pkg/vendor/v.go"), Spec("pkg/vendor/foo/f.go"), Spec("a/vendor/b.go"), Spec(".hg_archival.txt"),
         Spec(".git/config"), Spec("sub/go.mod", "module example.com/m/sub\n"), Spec("sub/s.go")]
    }

    @Test(arguments: fileSets)
    func checkFilesAndCreateMatchGo(_ set: FileSet) throws {
        let sandbox = try Sandbox()
        let spec: [String: Any] = ["files": set.files.map { f -> [String: Any] in
            var o: [String: Any] = ["nameBase64": Data(f.name).base64EncodedString(),
                                    "dataBase64": Data(f.data).base64EncodedString(), "mode": f.mode]
            if let size = f.size { o["size"] = size }
            return o
        }]
        let out = sandbox.sub("go.zip")
        let go = try ModZipRef.runOne(["checkfiles", out, "example.com/m", "v1.0.0"],
                                      stdin: Array(try JSONSerialization.data(withJSONObject: spec)))
        let files = set.files.map(\.file)
        let cf = try ModuleZip.checkFiles(files)
        #expect(String(decoding: formatCheckedFiles(cf), as: UTF8.self) == String(decoding: ModZipRef.format(go), as: UTF8.self))
        #expect(cf.sizeError?.message == go["sizeError"] as? String)
        do {
            let created = try ModuleZip.create(ModuleVersion("example.com/m", "v1.0.0"), files: files, output: .memory)
            let goH1 = try #require(go["h1"] as? String, "Go refused: \(go["createError"] ?? "")")
            #expect(created.hash.description == goH1)
            #expect(try DirHash.hashZip(ZipArchive(bytes: try #require(created.zipBytes))).description == goH1)
        } catch let error as ModuleZipError {
            let goError = try #require(go["createError"] as? String, "Go created the zip; GoModKit: \(error)")
            expectSameError(error, goError, invalid: cf.invalid)
        }
    }

    /// That tree with the hashes and omission reasons x/mod's `zip.CreateFromDir` gives, from a directory.
    @Test(arguments: [("1.23", "h1:BJYn7ED0CGrJo9dAuZtsumEwUYxvmvjwqImr8CAUn4Q="),
                      ("1.24", "h1:AuBXkt8KEYdSDhStADOwu7+KqF/cHMg73s0hu70/HaA=")])
    func appendixA3(_ goVersion: String, _ hash: String) throws {
        let sandbox = try Sandbox()
        try FS.write(sandbox.path, "go.mod", "module example.com/m\n\ngo \(goVersion)\n")
        for name in ["m.go", "vendor/modules.txt", "vendor/top.go", "vendor/example.com/x/x.go", "pkg/vendor/v.go",
                     "pkg/vendor/foo/f.go", "a/vendor/b.go", ".hg_archival.txt", ".git/config"] {
            try FS.write(sandbox.path, name, "x\n")
        }
        try FS.write(sandbox.path, "sub/go.mod", "module example.com/m/sub\n")
        try FS.write(sandbox.path, "sub/s.go", "x\n")
        let created = try ModuleZip.createFromDirectory(ModuleVersion("example.com/m", "v1.0.0"), directory: sandbox.path)
        #expect(created.hash.description == hash)
        if goVersion == "1.24" {
            #expect(created.checked.valid.map { String(decoding: $0.bytes, as: UTF8.self) }.sorted()
                    == ["a/vendor/b.go", "go.mod", "m.go", "pkg/vendor/v.go", "vendor/top.go"])
            let cf = try ModuleZip.checkDirectory(sandbox.path)
            let omitted = cf.omitted.map { (String(decoding: $0.path.bytes, as: UTF8.self).replacingOccurrences(of: sandbox.path + "/", with: ""),
                                            String(decoding: $0.message.bytes, as: UTF8.self)) }
            let expected: [(String, String)] = [
                (".hg_archival.txt", "file is inserted by 'hg archive' and is always omitted"),
                (".git", "directory is a version control repository"),
                ("sub", "directory is in another module"),
                ("pkg/vendor/foo/f.go", "file is in vendor directory"),
                ("vendor/example.com/x/x.go", "file is in vendor directory"),
                ("vendor/modules.txt", "file is in vendor directory"),
            ]
            // x/mod (Go 1.27.3) gives these reasons; Go's CheckDir also lists the vendored directory
            // vendor/example.com/x itself, so this list must be contained in Go's, and ours
            // must equal Go's (live).
            let ours = Set(omitted.map { "\($0.0): \($0.1)" })
            #expect(Set(expected.map { "\($0.0): \($0.1)" }).isSubset(of: ours))
            let go = try ModZipRef.runOne(["checkdir", sandbox.path])
            #expect(formatCheckedFiles(cf) == Array(String(decoding: ModZipRef.format(go), as: UTF8.self)
                .replacingOccurrences(of: "$work", with: sandbox.path).utf8))
        } else {
            #expect(created.checked.valid.map { String(decoding: $0.bytes, as: UTF8.self) }.sorted()
                    == ["go.mod", "m.go", "vendor/modules.txt", "vendor/top.go"])
        }
    }

    /// Directory trees with links, FIFOs, nested modules of every kind, VCS directories and
    /// vendored directories: Go's `CheckDir` lists and `CreateFromDir` hash, live.
    @Test func awkwardTreesMatchGo() throws {
        let sandbox = try Sandbox()
        let tree = sandbox.sub("tree")
        try FS.write(tree, "go.mod", "module example.com/m\n\ngo 1.24\n")
        try FS.write(tree, "m.go", "package m\n")
        try FS.write(tree, "vendor/modules.txt", "# x\n")
        try FS.write(tree, "vendor/x.com/y/y.go", "package y\n")
        try FS.write(tree, "pkg/vendor/v.go", "package v\n")
        try FS.write(tree, "pkg/vendor/deep/d.go", "package d\n")
        try FS.write(tree, "nested/go.mod", "module example.com/m/nested\n")
        try FS.write(tree, "nested/n.go", "package n\n")
        try FS.write(tree, "capsmod/GO.MOD", "module example.com/m/capsmod\n")
        try FS.write(tree, "capsmod/c.go", "package c\n")
        try FS.mkdirs(tree + "/dirmod/go.mod")
        try FS.write(tree, "dirmod/x.go", "package x\n")
        try FS.write(tree, "linkmod/l.go", "package l\n")
        try FS.symlink("../m.go", at: tree + "/linkmod/go.mod")
        try FS.symlink("m.go", at: tree + "/filelink.go")
        try FS.symlink("pkg", at: tree + "/dirlink")
        try FS.symlink("/nonexistent", at: tree + "/dangling")
        #expect(mkfifo(tree + "/fifo", 0o644) == 0)
        for vcs in [".git", ".hg", ".svn", ".bzr"] { try FS.write(tree, "\(vcs)/config", "x\n") }
        try FS.write(tree, "sub/.git", "gitdir: elsewhere\n")  // a .git file is not skipped
        try FS.write(tree, ".hg_archival.txt", "repo: x\n")
        try FS.write(tree, "empty/.keep", "")
        try FS.mkdirs(tree + "/emptydir")
        try FS.write(tree, Array("caf\u{E9}.go".utf8), Array("nfc\n".utf8))
        try FS.write(tree, Array("cafe\u{301}.go".utf8), Array("nfd\n".utf8))
        try compareDirectory(tree, sandbox: sandbox)

        // The root go.mod as a symbolic link: Go reads the target for the vendoring rule while
        // listing, but not in CheckFiles (it is not a regular file there).
        let linked = sandbox.sub("linked")
        try FS.write(linked, "real.mod", "module example.com/m\n\ngo 1.24\n")
        try FS.symlink("real.mod", at: linked + "/go.mod")
        try FS.write(linked, "pkg/vendor/v.go", "package v\n")
        try FS.write(linked, "vendor/modules.txt", "# x\n")
        try compareDirectory(linked, sandbox: sandbox)

        // Invalid names in a tree: CreateFromDir fails with Go's message.
        let invalid = sandbox.sub("invalid")
        try FS.write(invalid, "go.mod", "module example.com/m\n")
        try FS.write(invalid, "bad:name.go", "x\n")
        try FS.write(invalid, Array("latin".utf8) + [0xE9], Array("x\n".utf8))
        try compareDirectory(invalid, sandbox: sandbox)
    }

    private func compareDirectory(_ tree: String, sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = sandbox.sub("go-\(UUID().uuidString).zip")
        let go = try Hashref.run(.current, ["createfromdir", tree, "example.com/m", "v1.0.0", out])
        let cf = try ModuleZip.checkDirectory(tree)
        #expect(formatCheckedFiles(cf) == ModZipRef.format(go), sourceLocation: sourceLocation)
        let module = ModuleVersion.raw("example.com/m", "v1.0.0")
        do {
            let created = try ModuleZip.createFromDirectory(module, directory: tree, output: .memory)
            let goH1 = try #require(go["h1"] as? String, "Go refused: \(go["error"] ?? "")", sourceLocation: sourceLocation)
            #expect(created.hash.description == goH1, sourceLocation: sourceLocation)
        } catch let error as ModuleZipError {
            let goError = try #require(go["error"] as? String, "Go created the zip; GoModKit: \(error)", sourceLocation: sourceLocation)
            expectSameError(error, goError, invalid: cf.invalid.map { file in
                var f = file
                f.path = ByteString(Array(f.path.bytes.dropFirst(tree.utf8.count + 1)))
                return f
            }, sourceLocation: sourceLocation)
        }
    }

    /// Go's error text equals ours; where Go's text has raw control bytes or invalid UTF-8
    /// (which its JSON cannot carry and GoModKit's description escapes),
    /// the invalid-file list must be the one Go reported instead.
    private func expectSameError(_ error: ModuleZipError, _ goError: String, invalid: [ModuleZip.FileError],
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        let goIsPlain = !goError.unicodeScalars.contains { $0 == "\u{FFFD}" || ($0.value < 0x20 && $0 != "\n") }
        if goIsPlain {
            #expect(error.description == goError, sourceLocation: sourceLocation)
        } else {
            #expect(error.code == .invalidFiles, sourceLocation: sourceLocation)
            #expect(error.files == invalid, sourceLocation: sourceLocation)
        }
    }
}
