import Foundation
@testable import GoModCore
@testable import GoModZip
import GoModTestSupport
import Testing

/// The real-module corpus (scripts/make-corpus.sh: 66 Debian golang-*-dev trees and the zips Go
/// 1.27.3's `zip.CreateFromDir` made of them):
///
/// * `checkDirectory` of each tree prints exactly Go 1.27.3's `zip.CheckDir` lists (live);
/// * `createFromDirectory` of each tree has the `h1:` Go's zip has (manifest, computed by Go);
///   small trees are also written out as zips and re-hashed through the reader;
/// * `checkZip` of each Go-made zip prints exactly Go's `zip.CheckZip` lists (live).
@Suite struct ModuleZipCorpusTests {
    @Test func corpusIsPresent() throws {
        guard let corpus = Corpus.shared else {
            try GoReference.unavailable("module corpus; run scripts/make-corpus.sh")
        }
        #expect(corpus.entries.filter { !$0.zip.isEmpty }.count >= 50)
    }

    @Test(arguments: Corpus.shared?.entries ?? [])
    func tree(_ entry: CorpusEntry) throws {
        let module = ModuleVersion.raw(entry.module, entry.version)

        let go = try ModZipRef.runOne(["checkdir", entry.dir])
        let cf = try ModuleZip.checkDirectory(entry.dir)
        let ours = String(decoding: formatCheckedFiles(cf), as: UTF8.self).replacingOccurrences(of: entry.dir, with: "$work")
        #expect(ours == String(decoding: ModZipRef.format(go), as: UTF8.self))
        #expect((cf.sizeError?.message) == (go["sizeError"] as? String))

        guard !entry.zip.isEmpty else {
            // x/mod CreateFromDir fails with CheckedFiles.Err(): the size error if there is one,
            // else the list of invalid files (the report above matched Go's).
            let error = #expect(throws: ModuleZipError.self) { try ModuleZip.createFromDirectory(module, directory: entry.dir) }
            #expect(error?.code == (cf.sizeError?.code ?? .invalidFiles), "\(String(describing: error))")
            return
        }
        let created = try ModuleZip.createFromDirectory(module, directory: entry.dir)
        #expect(created.hash.description == entry.h1Current)

        if let size = Int(try corpusField(entry, "uncompressedSize")), size < 2_000_000 {
            let written = try ModuleZip.createFromDirectory(module, directory: entry.dir, output: .memory)
            let archive = try ZipArchive(bytes: try #require(written.zipBytes))
            #expect(try DirHash.hashZip(archive).description == entry.h1Current)
            #expect(archive.entries.count == cf.valid.count)
        }

        let zipPath = try #require(entry.zipPath)
        let goZip = try Hashref.run(.current, ["checkzip", entry.module, entry.version, zipPath])
        let zipReport = try ModuleZip.checkZip(module, path: zipPath)
        #expect(formatCheckedFiles(zipReport) == ModZipRef.format(goZip))
        #expect(zipReport.isValid)
    }

    private func corpusField(_ entry: CorpusEntry, _ key: String) throws -> String {
        let meta = Corpus.directory.appendingPathComponent("meta/\(entry.package).json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: meta)) as? [String: Any]
        return "\(object?[key] ?? "")"
    }
}
