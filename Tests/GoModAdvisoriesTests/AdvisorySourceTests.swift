import Foundation
import GoModAdvisories
import GoModCore
import GoModTestSupport
import GoModZip
import GoSumDB
import Testing

/// Reading advisory sources offline-first: a vuln.go.dev directory, `file://`, `https://`
/// through a stub transport, the zip form, an OSV tree; and the boltdb incident join.
@Suite struct AdvisorySourceTests {
    static let modules: Set<String> = ["github.com/boltdb-go/bolt", "github.com/sirupsen/logrus", "k8s.io/kubernetes", "stdlib", "toolchain"]
    static let allIDs = ["GO-2022-0617", "GO-2025-3451", "GO-2025-4188", "GO-2026-4970"]

    static func vulndb() throws -> URL { try AdvisoryMatchingTests.fixtures().appendingPathComponent("vulndb") }

    @Test func directoryAndFileURL() async throws {
        let dir = try Self.vulndb()
        for location in [dir.path, "file://" + dir.path, dir.path + "/"] {
            let records = try await AdvisoryReader(source: .vulnDB(location)).records(for: Self.modules)
            #expect(records.map(\.id) == Self.allIDs, "\(location)")
        }
        // Only the records naming the asked modules are read.
        let one = try await AdvisoryReader(source: .vulnDB(dir.path)).records(for: ["github.com/sirupsen/logrus"])
        #expect(one.map(\.id) == ["GO-2025-4188"])
        let none = try await AdvisoryReader(source: .vulnDB(dir.path)).records(for: ["example.com/clean"])
        #expect(none.isEmpty)
    }

    @Test func httpsThroughTransport() async throws {
        let dir = try Self.vulndb()
        let transport = FileServingTransport(base: "https://vuln.example", root: dir.path)
        let reader = AdvisoryReader(source: .vulnDB("https://vuln.example"), transport: transport)
        let records = try await reader.records(for: Self.modules)
        #expect(records.map(\.id) == Self.allIDs)
        // The gzip form of each endpoint, as govulncheck asks an http(s) database.
        #expect(transport.requested().contains("https://vuln.example/index/modules.json.gz"))
        #expect(transport.requested().contains("https://vuln.example/ID/GO-2025-4188.json.gz"))
        #expect(!transport.requested().contains { $0.hasSuffix(".json") })
        // Offline (no transport): a typed error, never an empty result.
        await #expect(throws: AdvisoryError(.unreadableSource, source: "")) {
            try await AdvisoryReader(source: .vulnDB("https://vuln.example")).records(for: Self.modules)
        }
        // A record the index names but the server lacks.
        let broken = FileServingTransport(base: "https://vuln.example", root: dir.path, missing: ["/ID/GO-2025-4188.json.gz"])
        await #expect(throws: AdvisoryError(.unreadableSource, source: "")) {
            try await AdvisoryReader(source: .vulnDB("https://vuln.example"), transport: broken).records(for: Self.modules)
        }
    }

    @Test func directoryOfGzipForms() async throws {
        // A tree holding only the .json.gz form of every file (readers accept both).
        let dir = try Self.vulndb()
        let sandbox = try Sandbox()
        for name in ["index/db.json", "index/modules.json"] + Self.allIDs.map({ "ID/\($0).json" }) {
            let target = URL(fileURLWithPath: sandbox.sub(name + ".gz"))
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try gzipped(dir.appendingPathComponent(name).path).write(to: target)
        }
        let records = try await AdvisoryReader(source: .vulnDB(sandbox.path)).records(for: Self.modules)
        #expect(records.map(\.id) == Self.allIDs)
        let plain = try await AdvisoryReader(source: .vulnDB(dir.path)).records(for: Self.modules)
        #expect(records == plain)
        // A flipped byte in the deflate data or the CRC: a typed error, never a record.
        let file = sandbox.sub("ID/GO-2025-4188.json.gz")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        bytes[bytes.count - 8] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        await #expect(throws: AdvisoryError(.malformedRecord, source: "")) {
            try await AdvisoryReader(source: .vulnDB(sandbox.path)).records(for: Self.modules)
        }
        // A small file that inflates past the record limit (a gzip bomb) stops at the limit.
        let big = sandbox.sub("big.json")
        try Data(repeating: 0x20, count: 8 << 20).write(to: URL(fileURLWithPath: big))
        try gzipped(big).write(to: URL(fileURLWithPath: file))
        var limits = AdvisoryReader.Limits()
        limits.maxRecordSize = 1 << 20
        await #expect(throws: AdvisoryError(.oversizedRecord, source: "")) {
            try await AdvisoryReader(source: .vulnDB(sandbox.path), limits: limits).records(for: Self.modules)
        }
    }

    @Test func zipForm() async throws {
        let dir = try Self.vulndb()
        var files: [ModuleZip.File] = []
        for name in ["index/db.json", "index/modules.json"] + Self.allIDs.map({ "ID/\($0).json" }) {
            files.append(.bytes(ByteString(name), Array(try Data(contentsOf: dir.appendingPathComponent(name)))))
        }
        let created = try ModuleZip.create(ModuleVersion(path: "example.com/vulndb", version: "v0.0.0"), files: files, output: .memory)
        let zip = FileManager.default.temporaryDirectory.appendingPathComponent("advis-\(UUID().uuidString).zip")
        try Data(try #require(created.zipBytes)).write(to: zip)
        defer { try? FileManager.default.removeItem(at: zip) }
        let records = try await AdvisoryReader(source: .vulnDB(zip.path)).records(for: Self.modules)
        #expect(records.map(\.id) == Self.allIDs)
    }

    @Test func osvTree() async throws {
        let root = try AdvisoryMatchingTests.fixtures()
        // The fixture holds malicious/go/<module>/…; a checkout's osv/malicious/go works alike.
        for location in [root.path, root.appendingPathComponent("malicious").path, root.appendingPathComponent("malicious/go").path] {
            let records = try await AdvisoryReader(source: .osv(location)).records(for: Self.modules)
            #expect(records.map(\.id) == ["MAL-2025-2545"], "\(location)")
        }
        let mal = try #require(try await AdvisoryReader(source: .osv(root.path)).records(for: Self.modules).first)
        #expect(mal.summary == "Malicious code in github.com/boltdb-go/bolt (Go)")
        #expect(mal.reviewStatus == "REVIEWED")
        // A module path cannot walk out of the tree.
        let escape = try await AdvisoryReader(source: .osv(root.appendingPathComponent("malicious/go").path)).records(for: ["../go/github.com/boltdb-go/bolt"])
        #expect(escape.isEmpty)
    }

    /// A flat directory of OSV records (as OSV.dev's per-ecosystem export unpacks) and a zip of
    /// them: every record read, matched by affected package name; withdrawn ones kept for the
    /// matcher to ignore.
    @Test func flatOSVDirectoryAndZip() async throws {
        let fixtures = try AdvisoryMatchingTests.fixtures()
        let names = Self.allIDs.map { "vulndb/ID/\($0).json" } + ["malicious/go/github.com/boltdb-go/bolt/MAL-2025-2545.json"]
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("advis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        var files: [ModuleZip.File] = []
        for name in names {
            let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
            let base = (name as NSString).lastPathComponent
            try data.write(to: tmp.appendingPathComponent(base))
            files.append(.bytes(ByteString(base), Array(data)))
        }
        let flat = try await AdvisoryReader(source: .osv(tmp.path)).records(for: Self.modules)
        #expect(flat.map(\.id) == Self.allIDs + ["MAL-2025-2545"])
        let bolt = try await AdvisoryReader(source: .osv(tmp.path)).records(for: ["github.com/boltdb-go/bolt"])
        #expect(bolt.map(\.id) == ["GO-2025-3451", "MAL-2025-2545"])
        let created = try ModuleZip.create(ModuleVersion(path: "example.com/osv", version: "v0.0.0"), files: files, output: .memory)
        let zip = tmp.appendingPathComponent("all.zip")
        try Data(try #require(created.zipBytes)).write(to: zip)
        let zipped = try await AdvisoryReader(source: .osv(zip.path)).records(for: Self.modules)
        #expect(zipped.map(\.id) == Self.allIDs + ["MAL-2025-2545"])
        // A malformed record in a flat directory fails the whole source.
        try Data("{".utf8).write(to: tmp.appendingPathComponent("BAD-1.json"))
        await #expect(throws: AdvisoryError(.malformedRecord, source: "")) {
            try await AdvisoryReader(source: .osv(tmp.path)).records(for: Self.modules)
        }
    }

    @Test func malformedSources() async throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("advis-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        try FileManager.default.createDirectory(at: tmp.appendingPathComponent("index"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tmp.appendingPathComponent("ID"), withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: tmp.appendingPathComponent(name)) }
        func code(_ modules: Set<String> = ["m"], limits: AdvisoryReader.Limits = .init()) async -> AdvisoryError.Code? {
            do throws(AdvisoryError) { _ = try await AdvisoryReader(source: .vulnDB(tmp.path), limits: limits).records(for: modules); return nil } catch { return error.code }
        }
        #expect(await code() == .unreadableSource)  // no index
        try write("index/modules.json", "{")
        #expect(await code() == .malformedIndex)
        try write("index/modules.json", #"[{"path":"m","vulns":[{"id":"../../x"}]}]"#)
        #expect(await code() == .malformedIndex)
        try write("index/modules.json", #"[{"path":"m","vulns":[{"id":"GO-1"}]}]"#)
        #expect(await code() == .unreadableSource)  // record missing
        try write("ID/GO-1.json", #"{"id":"GO-1","affected":[{"package":{"ecosystem":"Go","name":"m"}}],"aliases":7}"#)
        #expect(await code() == .malformedRecord)
        try write("ID/GO-1.json", #"{"id":"GO-1","details":"\#(String(repeating: "x", count: 5000))"}"#)
        var small = AdvisoryReader.Limits()
        small.maxRecordSize = 1000
        #expect(await code(limits: small) == .oversizedRecord)
        small = AdvisoryReader.Limits()
        small.maxIndexSize = 10
        #expect(await code(limits: small) == .malformedIndex)
        try write("ID/GO-1.json", #"{"id":"GO-1","affected":[{"package":{"ecosystem":"Go","name":"m"}}]}"#)
        #expect(await code() == nil)
        #expect(await code(["other"]) == nil)  // not named by the index: the bad record is never read
        do throws(AdvisoryError) {
            _ = try await AdvisoryReader(source: .vulnDB("ftp://x")).records(for: ["m"])
            Issue.record("ftp accepted")
        } catch { #expect(error.code == .invalidLocation) }
        do throws(AdvisoryError) {
            _ = try await AdvisoryReader(source: .vulnDB(tmp.path + "/absent")).records(for: ["m"])
            Issue.record("absent accepted")
        } catch { #expect(error.code == .unreadableSource) }
    }

    // The incident: GO-2025-3451 and MAL-2025-2545 name no alias of each other; one incident with both.
    @Test func scanJoinsTheBoltIncident() async throws {
        let root = try AdvisoryMatchingTests.fixtures()
        let modules = [
            ModuleVersion(path: "github.com/boltdb-go/bolt", version: "v1.3.1"),
            ModuleVersion(path: "github.com/sirupsen/logrus", version: "v1.9.0"),
            ModuleVersion(path: "k8s.io/kubernetes", version: "v1.18.0"),
            ModuleVersion(path: "golang.org/x/mod", version: "v0.20.0"),
        ]
        let result = try await VulnerabilityScan.run(
            modules: modules, goVersion: "go1.26.4",
            sources: [.vulnDB(root.appendingPathComponent("vulndb").path), .osv(root.path)])
        #expect(result.incidents.map(\.module) == ["github.com/boltdb-go/bolt", "github.com/sirupsen/logrus", "stdlib"])
        let bolt = result.incidents[0]
        #expect(bolt.advisories.map(\.id) == ["GO-2025-3451", "MAL-2025-2545"])
        #expect(bolt.version == "v1.3.1")
        #expect(bolt.fixedVersion == nil)
        #expect(bolt.advisories.allSatisfy { $0.ranges == ["introduced 0"] })
        let logrus = result.incidents[1]
        #expect(logrus.ids == ["GO-2025-4188", "CVE-2025-65637", "GHSA-4f99-4q7p-p3gh"])
        #expect(logrus.fixedVersion == "v1.9.1")
        #expect(logrus.advisories[0].ranges == ["introduced 0, fixed 1.8.3, introduced 1.9.0, fixed 1.9.1, introduced 1.9.2, fixed 1.9.3"])
        #expect(logrus.advisories[0].reviewStatus == "REVIEWED")
        #expect(logrus.advisories[0].url == "https://pkg.go.dev/vuln/GO-2025-4188")
        let std = result.incidents[2]
        #expect(std.version == "go1.26.4")
        #expect(std.advisories.map(\.id) == ["GO-2026-4970"])
        #expect(std.fixedVersion == "go1.26.5")
        #expect(result.withdrawnIgnored == 1)
        #expect(result.modulesScanned == 6)
        // A fixed Go and fixed logrus: only bolt remains.
        let fixed = try await VulnerabilityScan.run(
            modules: [ModuleVersion(path: "github.com/boltdb-go/bolt", version: "v1.3.1"),
                      ModuleVersion(path: "github.com/sirupsen/logrus", version: "v1.9.3")],
            goVersion: "go1.27.0", sources: [.vulnDB(root.appendingPathComponent("vulndb").path)])
        #expect(fixed.incidents.map(\.module) == ["github.com/boltdb-go/bolt"])
        #expect(fixed.incidents[0].advisories.map(\.id) == ["GO-2025-3451"])
    }
}

/// Serves files under `root` for URLs under `base` (404 otherwise); records what was asked.
final class FileServingTransport: HTTPTransport, @unchecked Sendable {
    let base: String
    let root: String
    let missing: Set<String>
    private let lock = NSLock()
    private var seen: [String] = []

    init(base: String, root: String, missing: Set<String> = []) {
        self.base = base
        self.root = root
        self.missing = missing
    }

    func requested() -> [String] { lock.withLock { seen } }

    func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        let s = url.absoluteString
        lock.withLock { seen.append(s) }
        guard s.hasPrefix(base) else { return HTTPResponse(status: 404, body: []) }
        let rel = String(s.dropFirst(base.count))
        guard !rel.contains(".."), !missing.contains(rel) else { return HTTPResponse(status: 404, body: Array("not found".utf8)) }
        var data = FileManager.default.contents(atPath: root + rel)
        if data == nil, rel.hasSuffix(".gz"), FileManager.default.fileExists(atPath: root + String(rel.dropLast(3))) {
            // The gzip form, as vuln.go.dev serves it next to the plain one (made by gzip(1)).
            data = try gzipped(root + String(rel.dropLast(3)))
        }
        guard let data else { return HTTPResponse(status: 404, body: Array("not found".utf8)) }
        if data.count > limit { throw HTTPTransportError(.oversizeResponse, url: s) }
        return HTTPResponse(status: 200, body: Array(data))
    }
}

/// `gzip -c <path>` (the header carries the file name: FNAME).
func gzipped(_ path: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-c", path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw POSIXError(.EIO) }
    return data
}
