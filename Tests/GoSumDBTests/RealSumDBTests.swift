import Foundation
import GoModCore
import GoSumDB
import GoModTestSupport
import Testing

/// Real sum.golang.org caches (../shared/fixtures/real-sumdb): every cached lookup
/// verifies offline (signature, consistency with `latest`, inclusion), and tampering is rejected.
@Suite struct RealSumDBTests {
    static let fixtures = ["1jan13nam-learn-go", "39IVd-go-study"]
    static let key = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"

    /// A scratch copy of a fixture's GOPATH (the client never writes in offline verification,
    /// but tampering tests modify files).
    static func scratch(_ fixture: String) throws -> URL {
        let source = try GoReference.requireShared().appendingPathComponent("fixtures/real-sumdb/\(fixture)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-sumdb-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: dir)
        return dir
    }

    static func client(_ gopath: URL, offline: Bool = true) throws -> ChecksumDatabase {
        let verifier = try NoteVerifier(verifierKey: key)
        return ChecksumDatabase(configuration: ChecksumDatabaseConfiguration(verifier: verifier, offline: offline),
                                store: FileChecksumDatabaseStore(gopath: gopath), transport: nil)
    }

    static func lookupFiles(_ gopath: URL) -> [(path: ByteString, version: ByteString, file: URL)] {
        let dir = gopath.appendingPathComponent("pkg/mod/cache/download/sumdb/sum.golang.org/lookup")
        var out: [(ByteString, ByteString, URL)] = []
        guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        for case let rel as String in walker where rel.contains("@") {
            let at = rel.lastIndex(of: "@")!
            guard let path = try? Module.unescapePath(ByteString(String(rel[..<at]))),
                  let version = try? Module.unescapeVersion(ByteString(String(rel[rel.index(after: at)...]))) else { continue }
            out.append((path, version, dir.appendingPathComponent(rel)))
        }
        return out.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
    }

    @Test(arguments: fixtures) func everyLookupVerifiesOffline(fixture: String) async throws {
        let gopath = try Self.scratch(fixture)
        defer { try? FileManager.default.removeItem(at: gopath) }
        let client = try Self.client(gopath)
        let (latest, _) = try await client.latest()
        #expect(latest.size == (fixture == "1jan13nam-learn-go" ? 1_323_056 : 2_234_137))
        let files = Self.lookupFiles(gopath)
        #expect(files.count == (fixture == "1jan13nam-learn-go" ? 16 : 122))
        for (path, version, file) in files {
            let record = try TLog.Record(parsing: Array(try Data(contentsOf: file)))
            let zip = try await client.lookup(ModuleVersion(path: path, version: version))
            let mod = try await client.lookup(ModuleVersion(path: path, version: version + "/go.mod"))
            let recordLines = record.text.split(separator: 0x0A).map { ByteString(Array($0)) }
            #expect(zip.lines + mod.lines == recordLines, "\(path)@\(version)")
            #expect(zip.recordID == record.id)
            #expect(zip.lines.allSatisfy { $0.hasPrefix(path + " " + version + " h1:") })
        }
        #expect(await client.requestCount == 0)
    }

    /// Record 0 of the log is golang.org/x/text v0.3.0 (real sum.golang.org data in the fixture).
    @Test func recordZero() async throws {
        let gopath = try Self.scratch("1jan13nam-learn-go")
        defer { try? FileManager.default.removeItem(at: gopath) }
        let client = try Self.client(gopath)
        let result = try await client.lookup(ModuleVersion(path: "golang.org/x/text", version: "v0.3.0"))
        #expect(result.recordID == 0)
        #expect(TLog.recordHash(result.recordText).description == "17kBjLrSovo5UNzWBBHNZ++djBB0BDwOAzlT7FEP1oQ=")
        #expect(result.lines == ["golang.org/x/text v0.3.0 h1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg="])
    }

    static func tamperedLookup(_ fixture: String, _ change: (inout [UInt8]) -> Void) async throws -> ChecksumDatabaseError? {
        let gopath = try Self.scratch(fixture)
        defer { try? FileManager.default.removeItem(at: gopath) }
        let (path, version, file) = try #require(Self.lookupFiles(gopath).first { $0.path == "rsc.io/quote" } ?? Self.lookupFiles(gopath).first)
        var data = Array(try Data(contentsOf: file))
        change(&data)
        try Data(data).write(to: file)
        do {
            _ = try await Self.client(gopath).lookup(ModuleVersion(path: path, version: version))
            return nil
        } catch let error as ChecksumDatabaseError {
            return error
        }
    }

    @Test(arguments: fixtures) func tamperedRecordLineRejected(fixture: String) async throws {
        let error = try await Self.tamperedLookup(fixture) { data in
            // Change one character of the first h1: hash in the record.
            if let i = data.firstRange(of: Array("h1:".utf8))?.lowerBound { data[i + 5] = data[i + 5] == 0x41 ? 0x42 : 0x41 }
        }
        #expect(error?.code == .recordNotAuthenticated)
    }

    @Test(arguments: fixtures) func tamperedSignatureRejected(fixture: String) async throws {
        let error = try await Self.tamperedLookup(fixture) { data in
            // A byte inside the base64 signature of the last signature line (past "— sum.golang.org Az3gr").
            if let i = lastIndex(data, Array("sum.golang.org Az3gr".utf8)) { data[i + 30] = data[i + 30] == 0x41 ? 0x42 : 0x41 }
        }
        #expect(error?.code == .note)
        #expect(error?.description.contains("invalid signature for key sum.golang.org+033de0ae") == true)
    }

    @Test func tamperedLatestRejected() async throws {
        let gopath = try Self.scratch("1jan13nam-learn-go")
        defer { try? FileManager.default.removeItem(at: gopath) }
        let latest = gopath.appendingPathComponent("pkg/sumdb/sum.golang.org/latest")
        var data = Array(try Data(contentsOf: latest))
        let i = try #require(lastIndex(data, Array("Az3gr".utf8)))
        data[i + 10] ^= 0x01
        try Data(data).write(to: latest)
        await #expect(throws: ChecksumDatabaseError(.stateCorrupt)) { try await Self.client(gopath).latest() }
    }

    /// Flipping one byte of any tile the verification reads makes some lookup fail; tiles it
    /// does not read change nothing.
    @Test(arguments: fixtures) func tamperedTilesRejected(fixture: String) async throws {
        let gopath = try Self.scratch(fixture)
        defer { try? FileManager.default.removeItem(at: gopath) }
        let tileDir = gopath.appendingPathComponent("pkg/mod/cache/download/sumdb/sum.golang.org/tile")
        let all = (FileManager.default.enumerator(atPath: tileDir.path)?.compactMap { $0 as? String } ?? [])
            .filter { (try? TLog.Tile(path: "tile/" + $0)) != nil }.sorted()
        // Every tile of the small fixture; every 5th tile of the large one (runtime).
        let tiles = fixture == "1jan13nam-learn-go" ? all : all.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
        #expect(!tiles.isEmpty)
        let lookups = Self.lookupFiles(gopath)
        var rejected = 0
        for (n, tile) in tiles.enumerated() {
            let file = tileDir.appendingPathComponent(tile)
            let original = try Data(contentsOf: file)
            var data = Array(original)
            data[(n * 977) % data.count] ^= 0x80
            try Data(data).write(to: file)
            defer { try? original.write(to: file) }
            let client = try Self.client(gopath)
            do {
                _ = try await client.latest()
                for (path, version, _) in lookups { _ = try await client.lookup(ModuleVersion(path: path, version: version)) }
            } catch let error as ChecksumDatabaseError {
                #expect(error.code == .inconsistentTile || (error.code == .stateCorrupt && error.description.contains("inconsistent tile")),
                        "\(tile): \(error)")
                rejected += 1
            }
        }
        // SOURCE.md: 26 of the 38 tiles of 1jan13nam-learn-go are read during verification.
        if fixture == "1jan13nam-learn-go" { #expect(rejected >= 20, "rejected \(rejected) of \(tiles.count)") }
        #expect(rejected > 0)
    }
}

/// The start of the last occurrence of `needle` in `data`.
func lastIndex(_ data: [UInt8], _ needle: [UInt8]) -> Int? {
    guard data.count >= needle.count else { return nil }
    return stride(from: data.count - needle.count, through: 0, by: -1).first { data[$0..<($0 + needle.count)].elementsEqual(needle) }
}
