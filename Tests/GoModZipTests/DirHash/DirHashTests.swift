import Foundation
import GoModCore
import GoModZip
import GoModTestSupport
import Testing

/// `h1:` vectors computed with x/mod's `sumdb/dirhash` (Docs/Testing.md, "Goldens") and real
/// sum.golang.org records.
@Suite struct DirHashTests {
    @Test func hash1Vectors() throws {
        let files: [(name: ByteString, contents: [UInt8])] = [
            ("xyz", Array("data for xyz".utf8)), ("abc", Array("data for abc".utf8)),
        ]
        #expect(try DirHash.hash1(files: files).description == "h1:EP6WfDoQTSk9klnxcjriWJOGztueJUywHNmWeq+efB8=")
        let prefixed = files.map { (name: ByteString("prefix/") + $0.name, contents: $0.contents) }
        #expect(try DirHash.hash1(files: prefixed).description == "h1:rLyfpGMAgqOnGE2aKOY5Xb6cOc0/YQhPjHBHBwkblhs=")
        #expect(try DirHash.hash1(files: []).description == "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    @Test func newlineInNameIsRejected() {
        #expect(throws: DirHashError(.newlineInName, message: "")) {
            try DirHash.hash1(files: [(ByteString("a\nb"), [])])
        }
        do {
            _ = try DirHash.hash1(files: [(ByteString("a\nb"), [])])
        } catch {
            #expect(error.message == "dirhash: filenames with newlines are not supported")
        }
    }

    @Test(arguments: [
        ("", "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY="),
        ("module example.com/m\n", "h1:flS2VctbRrTv+sBE+VKgxx6hlkMGPVz9MGOmzMYFg3k="),
        ("module github.com/davecgh/go-spew\n", "h1:J7Y8YcW2NihsgmVo/mv3lAwl/skON4iLHjSsI+c5H38="),
        ("module github.com/pmezard/go-difflib\n", "h1:iKH77koFhYxTK1pcRnkKkqfTogsbg7gZNVY4sRDYZ/4="),
    ])
    func goModVectors(contents: String, expected: String) {
        #expect(DirHash.hashGoMod(Array(contents.utf8)).description == expected)
    }

    /// The summary is sorted by bytes (x/mod `dirhash.Hash1` sorts Go strings). Names differing only in Unicode
    /// normalisation are distinct files; the expected value is the Go-defined summary hash
    /// recomputed from the spec's line format with the names in byte order.
    @Test func canonicallyEquivalentNamesStayDistinct() throws {
        let nfc = ByteString("\u{E1}"), nfd = ByteString("a\u{301}")
        let one = try DirHash.hash1(files: [(nfc, [1]), (nfd, [2])])
        let swapped = try DirHash.hash1(files: [(nfd, [2]), (nfc, [1])])
        let merged = try DirHash.hash1(files: [(nfc, [1])])
        #expect(one == swapped)
        #expect(one != merged)
    }

    /// Every `.mod` file cached next to a sum.golang.org lookup hashes to the record's
    /// `/go.mod` line (real data, ../shared/fixtures/real-sumdb).
    @Test func realSumDBGoModHashes() throws {
        let shared = try GoReference.requireShared()
        let fixtures = shared.appendingPathComponent("fixtures/real-sumdb")
        var checked = 0
        for gopath in try FileManager.default.contentsOfDirectory(atPath: fixtures.path) where !gopath.hasSuffix(".md") {
            let download = fixtures.appendingPathComponent("\(gopath)/pkg/mod/cache/download")
            let lookupRoot = download.appendingPathComponent("sumdb/sum.golang.org/lookup")
            guard let walker = FileManager.default.enumerator(atPath: lookupRoot.path) else { continue }
            for case let rel as String in walker {
                let lookup = lookupRoot.appendingPathComponent(rel)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: lookup.path, isDirectory: &isDir), !isDir.boolValue,
                      let at = rel.lastIndex(of: "@") else { continue }
                let modFile = download.appendingPathComponent(
                    "\(rel[..<at])/@v/\(rel[rel.index(after: at)...]).mod")
                guard let mod = FileManager.default.contents(atPath: modFile.path) else { continue }
                let text = String(decoding: try Data(contentsOf: lookup), as: UTF8.self)
                let goModLine = try #require(text.split(separator: "\n").first { $0.contains("/go.mod h1:") })
                let recorded = try #require(goModLine.split(separator: " ").last)
                #expect(DirHash.hashGoMod(Array(mod)).description == String(recorded), "\(rel)")
                checked += 1
            }
        }
        #expect(checked >= 100)
    }

    @Test func hashDirMatchesSpecVectorAndRejectsLinks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-hashdir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("data for xyz".utf8).write(to: dir.appendingPathComponent("xyz"))
        try Data("data for abc".utf8).write(to: dir.appendingPathComponent("abc"))
        // A.1: the same files named prefix/xyz, prefix/abc.
        #expect(try DirHash.hashDir(dir.path, prefix: "prefix").description
                == "h1:rLyfpGMAgqOnGE2aKOY5Xb6cOc0/YQhPjHBHBwkblhs=")
        #expect(try DirHash.hashDir(dir.path, prefix: "").description
                == "h1:EP6WfDoQTSk9klnxcjriWJOGztueJUywHNmWeq+efB8=")
        // Row 79: a symlink is never followed.
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("sub/link").path,
                                                   withDestinationPath: "/etc/hostname")
        #expect(throws: DirHashError(.symlinkInTree, message: "")) {
            try DirHash.hashDir(dir.path, prefix: "prefix")
        }
        // A file is not a directory (x/mod: "<dir> is not a directory").
        #expect(throws: DirHashError(.notADirectory, message: "")) {
            try DirHash.hashDir(dir.appendingPathComponent("xyz").path, prefix: "p")
        }
    }
}
