#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GoModCore
import GoModZip
import GoModTestSupport
import Testing

/// Differential tests of `h1:` hashing against golang.org/x/mod's `sumdb/dirhash` (Docs/Testing.md, "The differential suites"):
///
/// * the real-module corpus (`scripts/make-corpus.sh`: Debian golang-*-dev trees zipped by
///   Go 1.27.3's `zip.CreateFromDir`, with Go 1.27.3's and Go 1.19's `HashZip`, Go 1.27.3's
///   `HashDir` of each tree and the go.sum `/go.mod` hash of every go.mod file);
/// * x/mod v0.7.0's own `zip/testdata` txtar cases, turned into zips and directories by the
///   `hashref` reference program at test time and hashed live by Go;
/// * trees and zips with awkward names (non-ASCII, NFC/NFD, invalid UTF-8, spaces, `!`, `@`),
///   symbolic links and other hostile shapes, hashed live by Go;
/// * the `h1:` vectors computed with x/mod (``ZipVector``: directory entries, duplicates, invalid UTF-8, …),
///   whose zips Go builds and hashes (the documented value must match Go and GoModKit).
///
/// Expected values always come from Go or from the documents, never from GoModKit. Mode rules
/// checked everywhere: `.goCompatible` must equal Go's `HashZip` whenever Go computes one;
/// `.strict` must equal it too, except that it must throw ``DirHashError/Code/duplicateEntry``
/// when names repeat and may throw ``DirHashError/Code/zip`` when a name is not valid UTF-8
/// (the strict reader's stricter-than-Go rules, Docs/stricter-than-go.md).
@Suite struct DirHashDifferentialTests {

    // MARK: Corpus of real modules

    /// The corpus must exist when the suite runs (the test command runs make-corpus.sh first);
    /// under CI=true a missing corpus fails instead of leaving the parameterised tests empty.
    @Test func corpusIsPresent() throws {
        guard let corpus = Corpus.shared else {
            try GoReference.unavailable("module corpus \(Corpus.directory.path); run scripts/make-corpus.sh")
        }
        let zipped = corpus.entries.filter { !$0.zip.isEmpty }
        #expect(zipped.count >= 50)
        #expect(corpus.entries.contains { $0.module == "github.com/aws/aws-sdk-go" && !$0.zip.isEmpty })
        #expect(corpus.entries.contains { $0.module == "github.com/klauspost/compress" && !$0.zip.isEmpty })
        #expect(corpus.goMods.count >= 50)
    }

    /// Every corpus zip hashes as Go's `HashZip` does (both references), in both modes; the
    /// source tree hashes as Go's `HashDir` (or is refused when it holds symbolic links); every
    /// go.mod in the tree hashes as Go's go.sum `/go.mod` hash.
    @Test(arguments: Corpus.shared?.entries ?? [])
    func corpusModule(_ entry: CorpusEntry) throws {
        let zipPath = try #require(entry.zipPath, "Go 1.27.3 refused to zip \(entry.dir): \(entry.error)")
        // The two Go references agree on every corpus zip (a sanity check of the oracle).
        #expect(entry.h1Current == entry.h1Old)
        #expect(try DirHash.hashZip(path: zipPath, mode: .strict).description == entry.h1Current)
        #expect(try DirHash.hashZip(path: zipPath, mode: .goCompatible).description == entry.h1Current)

        let prefix = ByteString("\(entry.module)@\(entry.version)")
        if entry.symlinks > 0 {
            // Go follows links (x/mod dirhash.HashDir); GoModKit refuses them (Docs/stricter-than-go.md).
            #expect(throws: DirHashError(.symlinkInTree, message: "")) {
                try DirHash.hashDir(entry.dir, prefix: prefix)
            }
        } else if entry.hashDir.hasPrefix("h1:") {
            #expect(try DirHash.hashDir(entry.dir, prefix: prefix).description == entry.hashDir)
        } else {
            // Go's HashDir fails in Hash1 on a newline in a name, otherwise while walking or
            // opening (an I/O error, or a file that is not regular).
            let error = #expect(throws: DirHashError.self, "Go: \(entry.hashDir)") {
                try DirHash.hashDir(entry.dir, prefix: prefix)
            }
            if entry.hashDir.contains("filenames with newlines are not supported") {
                #expect(error?.code == .newlineInName, "Go: \(entry.hashDir)")
            } else {
                #expect(error?.code == .io || error?.code == .irregularFile, "Go: \(entry.hashDir); ours: \(String(describing: error))")
            }
        }

        for goMod in entry.goMods {
            let contents = try #require(FileManager.default.contents(atPath: goMod.file), "\(goMod.file)")
            #expect(DirHash.hashGoMod(Array(contents)).description == goMod.h1, "\(goMod.file)")
        }
    }

    // MARK: x/mod zip/testdata

    /// x/mod's `unzip/` and `check_zip/` cases are raw zips (one entry per txtar file, names as
    /// written, as x/mod's `extractTxtarToTempZip` builds them): hostile names, duplicates,
    /// prefix-only entries. Go builds and hashes each zip live, with both references.
    @Test(arguments: XModTestdata.cases(in: ["unzip", "check_zip"]))
    func xmodRawZip(_ txtar: String) throws {
        let dir = try TemporaryDirectory()
        let zip = dir.path + "/case.zip"
        let made = try Hashref.run(.current, ["txtarzip", txtar, zip])
        #expect(made["createError"] == nil, "\(made)")
        let goH1 = try #require(made["h1"] as? String, "Go's HashZip failed: \(made)")
        let old = try Hashref.run(.old, ["hashzip", zip])
        #expect(old["h1"] as? String == goH1, "Go 1.19: \(old)")
        if let documented = made["hash"] as? String, made["wantErr"] == nil {
            #expect(goH1 == documented)
        }
        let names = try XModTestdata.fileNames(txtar)
        try expectZipHash(zip, goH1: goH1, names: names)
    }

    /// x/mod's `create/` cases: Go's `zip.Create` over the txtar files; where Go accepts them,
    /// GoModKit hashes the zip as Go does and as the case's `hash=` says.
    @Test(arguments: XModTestdata.cases(in: ["create"]))
    func xmodCreate(_ txtar: String) throws {
        let dir = try TemporaryDirectory()
        let zip = dir.path + "/case.zip"
        let made = try Hashref.run(.current, ["txtarcreate", txtar, zip])
        if let createError = made["createError"] as? String {
            let wantErr = try #require(made["wantErr"] as? String, "Go refused unexpectedly: \(createError)")
            #expect(createError.contains(wantErr))
            return
        }
        let goH1 = try #require(made["h1"] as? String, "\(made)")
        if let documented = made["hash"] as? String { #expect(goH1 == documented) }
        #expect(try DirHash.hashZip(path: zip, mode: .strict).description == goH1)
        #expect(try DirHash.hashZip(path: zip, mode: .goCompatible).description == goH1)
    }

    /// x/mod's `create_from_dir/` and `check_dir/` cases: the txtar files written to a
    /// directory; GoModKit's `hashDir` equals Go's `HashDir` of it (with a plain and a
    /// trailing-slash prefix, which Go's `filepath.Join` cleans), and the zip Go's
    /// `CreateFromDir` makes of it hashes as Go and the case's `hash=` say.
    @Test(arguments: XModTestdata.cases(in: ["create_from_dir", "check_dir"]))
    func xmodDirectory(_ txtar: String) throws {
        let dir = try TemporaryDirectory()
        let tree = dir.path + "/tree"
        let written = try Hashref.run(.current, ["txtardir", txtar, tree])
        try #require(written["createError"] == nil, "\(written)")
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        let module = (written["path"] as? String) ?? "example.com/m"
        let version = (written["version"] as? String) ?? "v1.0.0"
        for prefix in ["\(module)@\(version)", "\(module)@\(version)/"] {
            let go = try Hashref.run(.current, ["hashdir", tree, prefix])
            let goH1 = try #require(go["h1"] as? String, "\(go)")
            #expect(try DirHash.hashDir(tree, prefix: ByteString(prefix)).description == goH1, "prefix \(prefix)")
        }
        guard txtar.contains("/create_from_dir/") else { return }
        let zip = dir.path + "/case.zip"
        let made = try Hashref.run(.current, ["createfromdir", tree, module, version, zip])
        if module.contains("\u{FFFD}") {
            // The case's module path is not UTF-8 (invalid_utf8_mod_path): JSON carried it
            // lossily, so only Go's refusal is checked.
            #expect(made["error"] != nil, "\(made)")
            return
        }
        if let createError = made["error"] as? String {
            let wantErr = try #require(written["wantErr"] as? String, "Go refused unexpectedly: \(createError)")
            #expect(createError.contains(wantErr))
            return
        }
        let goH1 = try #require(made["h1"] as? String, "\(made)")
        if let documented = written["hash"] as? String { #expect(goH1 == documented) }
        #expect(try DirHash.hashZip(path: zip, mode: .strict).description == goH1)
        #expect(try DirHash.hashZip(path: zip, mode: .goCompatible).description == goH1)
    }

    // MARK: Vectors computed with x/mod

    /// The x/mod-computed vectors of ``ZipVector/all``: Go builds each zip
    /// (archive/zip, deflate), both Go references must produce the documented `h1:`, and so
    /// must GoModKit (in the modes the row allows).
    @Test(arguments: ZipVector.all)
    func documentedZipVector(_ vector: ZipVector) throws {
        let dir = try TemporaryDirectory()
        let zip = dir.path + "/vector.zip"
        let made = try Hashref.makeZip(zip, entries: vector.entries)
        #expect(made["h1"] as? String == vector.h1, "Go 1.27.3: \(made)")
        #expect(try Hashref.run(.old, ["hashzip", zip])["h1"] as? String == vector.h1, "Go 1.19")
        try expectZipHash(zip, goH1: vector.h1, names: vector.entries.map(\.name))
    }

    // MARK: Awkward names, links and other hostile shapes

    /// A tree of awkward names — NFC and NFD spellings of the same text, a Latin-1 (invalid
    /// UTF-8) name, Kelvin sign and ASCII K, case-only differences, spaces, `!`, `@`, `~`, a
    /// leading `-`, deep nesting, empty files, an empty directory, VCS and vendor directories —
    /// plus a 1 MiB file that spans several read buffers. GoModKit's `hashDir` equals Go's
    /// `HashDir`, and a zip of the same files (prefixed) hashes as Go's `HashZip`.
    @Test func awkwardNamesMatchGo() throws {
        let dir = try TemporaryDirectory()
        let tree = dir.path + "/tree"
        var large = [UInt8](repeating: 0, count: 1 << 20)
        var state: UInt32 = 2_463_534_242
        for i in large.indices {  // xorshift32: deterministic, incompressible
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            large[i] = UInt8(truncatingIfNeeded: state)
        }
        let files: [([UInt8], [UInt8])] = [
            (Array("caf\u{E9}.go".utf8), Array("nfc\n".utf8)),
            (Array("cafe\u{301}.go".utf8), Array("nfd\n".utf8)),
            ([0x6C, 0x61, 0x74, 0x69, 0x6E, 0xE9, 0x2E, 0x74, 0x78, 0x74], Array("latin-1\n".utf8)),
            (Array("\u{212A}.go".utf8), Array("kelvin\n".utf8)),
            (Array("K.go".utf8), Array("K\n".utf8)),
            (Array("k.go".utf8), Array("k\n".utf8)),
            (Array("with space (1), copy.txt".utf8), Array("spaces\n".utf8)),
            (Array("rsc.io_!q!u!o!t!e_v1.5.2.txt".utf8), Array("bang\n".utf8)),
            (Array("modules/example.com/what@v1.0.0/x.go".utf8), Array("at\n".utf8)),
            (Array("~tilde".utf8), []),
            (Array("-dash".utf8), []),
            (Array("가/한글.txt".utf8), Array("hangul\n".utf8)),
            (Array("a/b/c/d/e/f/g/h/i/j/deep.go".utf8), Array("deep\n".utf8)),
            (Array(".git/config".utf8), Array("[core]\n".utf8)),
            (Array("vendor/x.com/y/y.go".utf8), Array("package y\n".utf8)),
            (Array("testdata/large.bin".utf8), large),
        ]
        for (name, contents) in files { try writeRawFile(root: tree, name: name, contents: contents) }
        try FileManager.default.createDirectory(atPath: tree + "/empty/dir", withIntermediateDirectories: true)

        let prefix = "example.com/odd@v1.0.0"
        let go = try Hashref.run(.current, ["hashdir", tree, prefix])
        let goDirH1 = try #require(go["h1"] as? String, "\(go)")
        #expect(try DirHash.hashDir(tree, prefix: ByteString(prefix)).description == goDirH1)

        let zip = dir.path + "/odd.zip"
        let entries = files.map { ZipVector.Entry(name: ByteString(Array((prefix + "/").utf8) + $0.0), data: $0.1) }
        let made = try Hashref.makeZip(zip, entries: entries)
        let goZipH1 = try #require(made["h1"] as? String, "\(made)")
        #expect(goZipH1 == goDirH1)  // same names and contents, no directory entries
        try expectZipHash(zip, goH1: goZipH1, names: entries.map(\.name))
    }

    /// Stored (method 0) and deflated entries, empty entries and a zip holding only
    /// directory entries: compression and entry order never change the hash.
    @Test func storedAndDeflatedEntriesMatchGo() throws {
        let dir = try TemporaryDirectory()
        let p = "example.com/m@v1.0.0/"
        let zip = dir.path + "/mixed.zip"
        let entries: [ZipVector.Entry] = [
            .init(name: ByteString(p + "stored.txt"), data: Array("stored\n".utf8), method: 0),
            .init(name: ByteString(p + "empty-stored"), data: [], method: 0),
            .init(name: ByteString(p + "empty-deflated"), data: []),
            .init(name: ByteString(p + "deflated.txt"), data: Array(repeating: 0x61, count: 100_000)),
            .init(name: ByteString(p + "a/"), data: []),
            .init(name: ByteString(p + "a/b/"), data: []),
        ]
        let made = try Hashref.makeZip(zip, entries: entries)
        let goH1 = try #require(made["h1"] as? String, "\(made)")
        try expectZipHash(zip, goH1: goH1, names: entries.map(\.name))
    }

    /// A file name containing a newline: Go's `HashDir` and `HashZip` fail with
    /// "dirhash: filenames with newlines are not supported"; GoModKit throws `.newlineInName`
    /// (the strict reader may refuse the zip first).
    @Test func newlineInNamesFailsLikeGo() throws {
        let dir = try TemporaryDirectory()
        let tree = dir.path + "/tree"
        try writeRawFile(root: tree, name: Array("a\nb.go".utf8), contents: Array("x".utf8))
        let goDir = try Hashref.run(.current, ["hashdir", tree, "example.com/m@v1.0.0"])
        #expect(goDir["error"] as? String == "dirhash: filenames with newlines are not supported")
        #expect(throws: DirHashError(.newlineInName, message: "")) {
            try DirHash.hashDir(tree, prefix: "example.com/m@v1.0.0")
        }

        let zip = dir.path + "/newline.zip"
        let made = try Hashref.makeZip(zip, entries: [.init(name: "example.com/m@v1.0.0/a\nb.go", data: Array("x".utf8))])
        #expect(made["error"] as? String == "dirhash: filenames with newlines are not supported")
        #expect(throws: DirHashError(.newlineInName, message: "")) {
            try DirHash.hashZip(path: zip, mode: .goCompatible)
        }
        do {
            _ = try DirHash.hashZip(path: zip, mode: .strict)
            Issue.record("strict mode hashed a name containing a newline")
        } catch {
            #expect(error.code == .newlineInName || error.code == .zip, "\(error)")
        }
    }

    /// Symbolic links: Go's `HashDir` follows a link to a file (hashing the target) and fails
    /// on a link to a directory; GoModKit refuses both (Docs/stricter-than-go.md, a documented
    /// stricter-than-Go divergence). A path that is a file is not a directory for either.
    @Test func symlinksAndNonDirectories() throws {
        let dir = try TemporaryDirectory()
        let target = dir.path + "/target.txt"
        try Data("target\n".utf8).write(to: URL(fileURLWithPath: target))

        let fileLinkTree = dir.path + "/filelink"
        try writeRawFile(root: fileLinkTree, name: Array("m.go".utf8), contents: Array("package m\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: fileLinkTree + "/link.txt", withDestinationPath: target)
        let goFile = try Hashref.run(.current, ["hashdir", fileLinkTree, "example.com/m@v1.0.0"])
        #expect((goFile["h1"] as? String)?.hasPrefix("h1:") == true, "Go follows the link: \(goFile)")
        #expect(throws: DirHashError(.symlinkInTree, message: "")) {
            try DirHash.hashDir(fileLinkTree, prefix: "example.com/m@v1.0.0")
        }

        let dirLinkTree = dir.path + "/dirlink"
        try writeRawFile(root: dirLinkTree, name: Array("m.go".utf8), contents: Array("package m\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: dirLinkTree + "/sub", withDestinationPath: fileLinkTree)
        let goDir = try Hashref.run(.current, ["hashdir", dirLinkTree, "example.com/m@v1.0.0"])
        #expect(((goDir["error"] as? String) ?? "").contains("is a directory"), "\(goDir)")
        #expect(throws: DirHashError(.symlinkInTree, message: "")) {
            try DirHash.hashDir(dirLinkTree, prefix: "example.com/m@v1.0.0")
        }

        let goNotDir = try Hashref.run(.current, ["hashdir", target, "p"])
        #expect(goNotDir["error"] as? String == "\(target) is not a directory")
        #expect(throws: DirHashError(.notADirectory, message: "")) {
            try DirHash.hashDir(target, prefix: "p")
        }
    }

    /// Files that are not zips: Go's `HashZip` fails (`zip: not a valid zip file`), and so
    /// does GoModKit, with `.zip` in both modes.
    @Test(arguments: [[UInt8](), Array("not a zip\n".utf8), [UInt8](repeating: 0, count: 70_000)])
    func notAZipFailsLikeGo(_ bytes: [UInt8]) throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/bad.zip"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let go = try Hashref.run(.current, ["hashzip", path])
        #expect(go["error"] as? String == "zip: not a valid zip file")
        for mode in [ZipArchive.Mode.strict, .goCompatible] {
            #expect(throws: DirHashError(.zip, message: "")) { try DirHash.hashZip(path: path, mode: mode) }
        }
    }

    // MARK: Helpers

    /// Checks GoModKit's hash of `zip` in both modes against Go's, with the mode rules in the
    /// suite's documentation (`names` are the entry names, to know duplicates and invalid UTF-8).
    private func expectZipHash(_ zip: String, goH1: String, names: [ByteString],
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try DirHash.hashZip(path: zip, mode: .goCompatible).description == goH1,
                sourceLocation: sourceLocation)
        let hasDuplicates = Set(names).count != names.count
        let hasInvalidUTF8 = names.contains { !$0.isValidUTF8 }
        do {
            let strict = try DirHash.hashZip(path: zip, mode: .strict)
            #expect(!hasDuplicates, "strict mode accepted duplicate names", sourceLocation: sourceLocation)
            #expect(strict.description == goH1, sourceLocation: sourceLocation)
        } catch {
            if hasDuplicates {
                #expect(error.code == .duplicateEntry || (hasInvalidUTF8 && error.code == .zip), "\(error)",
                        sourceLocation: sourceLocation)
            } else {
                #expect(hasInvalidUTF8 && error.code == .zip, "strict mode refused: \(error)",
                        sourceLocation: sourceLocation)
            }
        }
    }
}

// MARK: - Corpus manifest

/// One module of the corpus: a row of `.tools/corpus/manifest.tsv` (see scripts/make-corpus.sh)
/// and the go.mod files of its tree from `gomods.tsv`. All hashes were computed by Go.
struct CorpusEntry: Sendable, CustomTestStringConvertible {
    var package: String
    var module: String
    var version: String
    /// Path of the zip relative to the corpus directory ("" when Go refused the tree).
    var zip: String
    var dir: String
    var h1Current: String
    var h1Old: String
    var hashDir: String
    var symlinks: Int
    var error: String
    var goMods: [(file: String, h1: String)]

    var zipPath: String? { zip.isEmpty ? nil : Corpus.directory.appendingPathComponent(zip).path }
    var testDescription: String { "\(module)@\(version)" }
}

/// The corpus built by scripts/make-corpus.sh, at `$GOMODKIT_CORPUS` or `.tools/corpus`.
struct Corpus: Sendable {
    var entries: [CorpusEntry]
    var goMods: [(package: String, file: String, h1: String)]

    static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["GOMODKIT_CORPUS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return GoReference.repoRoot.appendingPathComponent(".tools/corpus")
    }

    /// The corpus, or `nil` when the manifest is missing or unreadable.
    static let shared: Corpus? = load()

    private static func load() -> Corpus? {
        guard let manifest = readTSV(directory.appendingPathComponent("manifest.tsv")),
              let goModRows = readTSV(directory.appendingPathComponent("gomods.tsv")) else { return nil }
        let goMods = goModRows.map { (package: $0["package"] ?? "", file: $0["file"] ?? "", h1: $0["h1"] ?? "") }
        let entries = manifest.map { row in
            CorpusEntry(
                package: row["package"] ?? "", module: row["module"] ?? "", version: row["version"] ?? "",
                zip: row["zip"] ?? "", dir: row["dir"] ?? "", h1Current: row["h1Current"] ?? "",
                h1Old: row["h1Old"] ?? "", hashDir: row["hashDir"] ?? "",
                symlinks: Int(row["symlinks"] ?? "") ?? 0, error: row["error"] ?? "",
                goMods: goMods.filter { $0.package == row["package"] }.map { (file: $0.file, h1: $0.h1) })
        }
        return entries.isEmpty ? nil : Corpus(entries: entries, goMods: goMods)
    }

    /// Rows of a tab-separated file with a header line, keyed by column name.
    private static func readTSV(_ url: URL) -> [[String: String]]? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        else { return nil }
        return lines.dropFirst().map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, fields))
        }
    }
}

// MARK: - x/mod testdata

/// x/mod v0.7.0's `zip/testdata` txtar cases (Debian golang-golang-x-mod-dev).
enum XModTestdata {
    static let root = "/usr/share/gocode/src/golang.org/x/mod/zip/testdata"

    /// The `.txt` files of the given subdirectories, sorted (empty when x/mod is absent; the
    /// suite's other tests then report the missing reference).
    static func cases(in subdirectories: [String]) -> [String] {
        subdirectories.flatMap { sub in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(sub)")) ?? [])
                .filter { $0.hasSuffix(".txt") }.sorted().map { "\(root)/\(sub)/\($0)" }
        }
    }

    /// The file names of a txtar archive, as raw bytes (the `-- name --` markers, trimmed as
    /// x/tools' txtar trims them).
    static func fileNames(_ path: String) throws -> [ByteString] {
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var names: [ByteString] = []
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let bytes = Array(line)
            guard bytes.count >= 6, bytes.starts(with: [0x2D, 0x2D, 0x20]),
                  bytes.suffix(3).elementsEqual([0x20, 0x2D, 0x2D]) else { continue }
            var name = bytes[3..<(bytes.count - 3)]
            while let first = name.first, first == 0x20 || first == 0x09 { name = name.dropFirst() }
            while let last = name.last, last == 0x20 || last == 0x09 { name = name.dropLast() }
            if !name.isEmpty { names.append(ByteString(Array(name))) }
        }
        return names
    }
}

// MARK: - Documented vectors

/// A zip whose `h1:` was computed with x/mod's `dirhash.HashZip` and is recorded here.
struct ZipVector: Sendable, CustomTestStringConvertible {
    struct Entry: Sendable {
        var name: ByteString
        var data: [UInt8]
        var method: Int = 8
    }

    var label: String
    var entries: [Entry]
    var h1: String
    var testDescription: String { label }

    private static let p = "example.com/m@v1.0.0/"
    private static func entry(_ name: String, _ data: String) -> Entry {
        Entry(name: ByteString(name), data: Array(data.utf8))
    }

    /// The test ``ZipBuilder``'s baseline: `P/go.mod`, `P/m.go`.
    private static let baseline = [
        entry(p + "go.mod", "module example.com/m\n\ngo 1.19\n"),
        entry(p + "m.go", "package m\n\nfunc F() int { return 42 }\n"),
    ]
    /// A two-file module, `go.mod` and `a.go`, for the `HashZip` quirks.
    private static let a2 = [entry(p + "go.mod", "module example.com/m\n"), entry(p + "a.go", "package m\n")]

    static let all: [ZipVector] = [
        ZipVector(label: "SPEC A.1 xyz, abc (unprefixed)",
                  entries: [entry("xyz", "data for xyz"), entry("abc", "data for abc")],
                  h1: "h1:EP6WfDoQTSk9klnxcjriWJOGztueJUywHNmWeq+efB8="),
        ZipVector(label: "SPEC A.1 prefix/xyz, prefix/abc",
                  entries: [entry("prefix/xyz", "data for xyz"), entry("prefix/abc", "data for abc")],
                  h1: "h1:rLyfpGMAgqOnGE2aKOY5Xb6cOc0/YQhPjHBHBwkblhs="),
        ZipVector(label: "SPEC A.2 go.mod, a.go", entries: a2,
                  h1: "h1:SXy42eQ/QbleX7vtuAPFnaM3tNuQnfeo7rulG/p7iOw="),
        ZipVector(label: "SPEC A.2 a.go, go.mod (order)", entries: Array(a2.reversed()),
                  h1: "h1:SXy42eQ/QbleX7vtuAPFnaM3tNuQnfeo7rulG/p7iOw="),
        ZipVector(label: "SPEC A.2 + directory entry sub/", entries: a2 + [entry(p + "sub/", "")],
                  h1: "h1:g38ZS7jlt4Mmofh2IOUw1Rw5JLDZHl6MJAnc9BOnzKs="),
        ZipVector(label: "SPEC A.2 + prefix-only entry", entries: a2 + [entry(p, "")],
                  h1: "h1:b7KR3xYtxOCgxAkHd0W3O9FtN/63njZb4ggUqZG5DJI="),
        ZipVector(label: "SPEC A.2 + duplicate a.go", entries: a2 + [entry(p + "a.go", "package evil\n")],
                  h1: "h1:lmxgGuLIIUyv1VLwSPoJeBNrSNsHojnXZTjusWk7pIU="),
        ZipVector(label: "SECURITY row 1 baseline", entries: baseline,
                  h1: "h1:LUprbKSxxKekvD4SC0fYrNz4tTECj08ZRU3pkRjJwlE="),
        ZipVector(label: "SECURITY row 64 + P/dir/", entries: baseline + [entry(p + "dir/", "")],
                  h1: "h1:iy4uZ/oBwafZoB5FAKGjYrp3exlN0aQtAVzJexe+nzg="),
        ZipVector(label: "SECURITY row 64 + P/", entries: baseline + [entry(p, "")],
                  h1: "h1:5UMkL+d6QZjuzPs4BGN9yYF2Kbf+S3haCIBDPTpoA4Q="),
        ZipVector(label: "SECURITY row 68 vendor content",
                  entries: baseline + [entry(p + "vendor/x.com/y/y.go", "package y\n"),
                                       entry(p + "vendor/modules.txt", "# x\n")],
                  h1: "h1:owrLdvMnUtQks77vHTpd1uO8tQYB7TaMnzhOX9BFdEs="),
        ZipVector(label: "SECURITY row 69 empty zip", entries: [],
                  h1: "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
        ZipVector(label: "SECURITY row 70 only P/m.go", entries: [baseline[1]],
                  h1: "h1:GR20fivJKFmDxgKCn2wuB4ugyxDDWGraj8BDB0A5XQI="),
        ZipVector(label: "SECURITY row 76 duplicate P/m.go",
                  entries: baseline + [entry(p + "m.go", "package evil\n")],
                  h1: "h1:LcPwEF1V6Q/SovZua1WwDUhZ7VrLXf4uRRwuo1hdHtU="),
        ZipVector(label: "SECURITY row 77 Latin-1 name P/caf\\xe9.go",
                  entries: baseline + [Entry(name: ByteString(Array(p.utf8) + [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x67, 0x6F]),
                                             data: Array("x".utf8))],
                  h1: "h1:RbdBwkMX78jFHr8M1YNWPq1bswLv2OQcPWmRGnFVB0s="),
    ]
}

// MARK: - Go reference program and file helpers

extension Hashref {
    /// Builds a zip with Go's archive/zip (entries in order; names and contents as raw bytes)
    /// and returns hashref's answer, including Go's `HashZip` as "h1" or "error".
    static func makeZip(_ path: String, entries: [ZipVector.Entry]) throws -> [String: Any] {
        let spec: [String: Any] = ["entries": entries.map { entry -> [String: Any] in
            ["nameBase64": Data(entry.name.bytes).base64EncodedString(),
             "dataBase64": Data(entry.data).base64EncodedString(),
             "method": entry.method]
        }]
        let made = try run(.current, ["makezip", path], stdin: Array(try JSONSerialization.data(withJSONObject: spec)))
        guard made["createError"] == nil, made["specError"] == nil else {
            throw ReferenceMissing(reason: "hashref makezip: \(made)")
        }
        return made
    }
}

/// A fresh directory under the system temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-dirhash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Writes `contents` to `root/name` where `name` is raw bytes (possibly invalid UTF-8),
/// creating parent directories; Foundation's String paths cannot express such names.
private func writeRawFile(root: String, name: [UInt8], contents: [UInt8]) throws {
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    var path = Array(root.utf8)
    let components = name.split(separator: 0x2F)
    for (index, component) in components.enumerated() {
        path += [0x2F] + component
        let cPath = path.map { CChar(bitPattern: $0) } + [0]
        if index < components.count - 1 {
            guard mkdir(cPath, 0o755) == 0 || errno == EEXIST else {
                throw SetupFailure(reason: "mkdir \(ByteString(path)): \(String(cString: strerror(errno)))")
            }
            continue
        }
        let fd = open(cPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw SetupFailure(reason: "create \(ByteString(path)): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var offset = 0
        while offset < contents.count {
            let n = contents[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                throw SetupFailure(reason: "write \(ByteString(path)): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }
}
