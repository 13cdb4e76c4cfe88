import Foundation
@testable import GoModCore
@testable import GoSumDB
import GoSumDBTestSupport
import Testing

/// Persistent checksum-database state (issue 13): `latest` and the tile cache are replaced
/// crash-safely, an empty or torn `latest` is `stateCorrupt` (never "no history", which would
/// trust a forked server as a first contact), and no write follows a planted symbolic link.
@Suite struct ChecksumDatabaseStoreStateTests {
    static let db = "localhost.localdev/sumdb"

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func client(_ server: FakeSumDBServer, _ store: any ChecksumDatabaseStore) throws -> ChecksumDatabase {
        let config = ChecksumDatabaseConfiguration(verifier: try FakeSumDBServer.verifier,
                                                   explicitURL: URL(string: "https://localhost.localdev/sumdb"),
                                                   tileHeight: server.height)
        return ChecksumDatabase(configuration: config, store: store, transport: server)
    }

    static func code(_ body: () async throws -> Void) async -> ChecksumDatabaseError? {
        do { try await body() } catch let error as ChecksumDatabaseError { return error } catch {
            Issue.record("unexpected \(error)")
        }
        return nil
    }

    /// Five honest records looked up through a file store; then the server forks after record 4
    /// (a different 5th record, and a 6th) — the shape of x/mod's TestClientFork (trees 5 and 6).
    static func forkAfterStoredTree(_ damage: (URL) throws -> Void) async throws -> (ChecksumDatabaseError?, URL) {
        let gopath = try scratch()
        let server = try FakeSumDBServer()
        for i in 0..<5 { server.add("example.com/m\(i)", "v1.0.0") }
        let store = FileChecksumDatabaseStore(gopath: gopath)
        _ = try await client(server, store).lookup(ModuleVersion(path: "example.com/m4", version: "v1.0.0"))
        let latest = gopath.appendingPathComponent("pkg/sumdb/\(db)/latest")
        #expect(try Data(contentsOf: latest) == Data(try server.signedTree(5)))
        try damage(latest)
        var forked: [(String, String, String?)] = (0..<4).map { ("example.com/m\($0)", "v1.0.0", nil) }
        forked += [("example.com/evil", "v1.0.0", nil), ("example.com/m5", "v1.0.0", nil)]
        server.replace(with: forked)
        // A new process: nothing in memory, only the stored state.
        let error = await code { _ = try await client(server, store).lookup(ModuleVersion(path: "example.com/m5", version: "v1.0.0")) }
        return (error, gopath)
    }

    /// "Done means": `latest` truncated to zero bytes, then a lookup against a server that forked
    /// from the stored tree is refused with `stateCorrupt`, not trusted as a first contact; the
    /// empty file is left for the user to deal with (not overwritten by the fork's tree).
    @Test func emptyLatestIsStateCorruptNotFirstContact() async throws {
        let (error, gopath) = try await Self.forkAfterStoredTree { latest in
            #expect(truncate(latest.path, 0) == 0)
        }
        defer { try? FileManager.default.removeItem(at: gopath) }
        #expect(error?.code == .stateCorrupt, "\(String(describing: error))")
        let text = error?.description ?? ""
        #expect(text.contains("pkg/sumdb/\(Self.db)/latest is empty"), "\(text)")
        #expect(text.contains("not treated as a first contact"), "\(text)")
        #expect(text.contains("remove it deliberately"), "\(text)")
        let latest = gopath.appendingPathComponent("pkg/sumdb/\(Self.db)/latest")
        #expect(try Data(contentsOf: latest).isEmpty)
        // Control: with the intact file, the same fork is a SECURITY ERROR.
        let (control, controlPath) = try await Self.forkAfterStoredTree { _ in }
        defer { try? FileManager.default.removeItem(at: controlPath) }
        #expect(control?.code == .securityFork, "\(String(describing: control))")
    }

    enum Damage: String, CaseIterable, Sendable { case torn, garbage, nulFilled, otherKey }

    /// A torn `latest` (a prefix of the note), garbage, the note's bytes
    /// replaced by NULs (as a crash can leave on some file systems), or a note signed by another
    /// key for the same name: `stateCorrupt` with the recovery hint, never a silent reset.
    @Test(arguments: Damage.allCases) func damagedLatestIsStateCorrupt(_ damage: Damage) async throws {
        let (error, gopath) = try await Self.forkAfterStoredTree { latest in
            let data = try Data(contentsOf: latest)
            switch damage {
            case .torn: try data.prefix(data.count / 2).write(to: latest)
            case .garbage: try Data("go.sum database tree\n".utf8).write(to: latest)
            case .nulFilled: try Data(count: data.count).write(to: latest)
            case .otherKey:
                let (signer, _) = try NoteSigner.generate(name: ByteString(Self.db))
                let text = Array(String(decoding: data, as: UTF8.self).components(separatedBy: "\n\n")[0].utf8) + [0x0A]
                try Data(try Note.sign(text, with: [signer])).write(to: latest)
            }
        }
        defer { try? FileManager.default.removeItem(at: gopath) }
        #expect(error?.code == .stateCorrupt, "\(damage): \(String(describing: error))")
        #expect(error?.description.contains("remove the file deliberately") == true, "\(String(describing: error))")
    }

    /// The memory store reads a present but empty entry the same way.
    @Test func memoryStoreEmptyEntry() async throws {
        let server = try FakeSumDBServer()
        server.add("example.com/m0", "v1.0.0")
        let store = MemoryChecksumDatabaseStore(config: ["\(Self.db)/latest": []])
        let error = await Self.code { _ = try await Self.client(server, store).lookup(ModuleVersion(path: "example.com/m0", version: "v1.0.0")) }
        #expect(error?.code == .stateCorrupt)
        #expect(store.config["\(Self.db)/latest"] == [])
    }

    /// x/mod `WriteConfig` compare-and-swap on files: absent + old empty writes; a stale old is
    /// a conflict; a present but empty file matches no old value; the replacement leaves no
    /// temporary file, and temporaries of killed writers are removed under the lock.
    @Test func compareAndSwap() async throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let store = FileChecksumDatabaseStore(gopath: gopath)
        let file = "\(Self.db)/latest"
        let dir = gopath.appendingPathComponent("pkg/sumdb/\(Self.db)")
        #expect(try await store.readConfig(file) == [])
        try await store.writeConfig(file, old: [], new: Array("one".utf8))
        #expect(try await store.readConfig(file) == Array("one".utf8))
        let conflict = await Self.code { try await store.writeConfig(file, old: [], new: Array("two".utf8)) }
        #expect(conflict?.code == .writeConflict)
        let stale = await Self.code { try await store.writeConfig(file, old: Array("zero".utf8), new: Array("two".utf8)) }
        #expect(stale?.code == .writeConflict)
        // A killed writer's temporary file, and an unrelated file that merely looks alike.
        try Data("torn".utf8).write(to: dir.appendingPathComponent("latest123456.tmp"))
        try Data("keep".utf8).write(to: dir.appendingPathComponent("latest12x.tmp"))
        try await store.writeConfig(file, old: Array("one".utf8), new: Array("two".utf8))
        #expect(try await store.readConfig(file) == Array("two".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["latest", "latest.lock", "latest12x.tmp"])
        // Present but empty: readConfig refuses it, and no compare-and-swap matches it.
        #expect(truncate(dir.appendingPathComponent("latest").path, 0) == 0)
        #expect(await Self.code { _ = try await store.readConfig(file) }?.code == .stateCorrupt)
        #expect(await Self.code { try await store.writeConfig(file, old: Array("two".utf8), new: Array("three".utf8)) }?.code == .writeConflict)
        #expect(await Self.code { try await store.writeConfig(file, old: [], new: Array("three".utf8)) }?.code == .writeConflict)
    }

    /// Symbolic links planted at `latest`, at a cached tile and at the lock file, pointing
    /// outside: the writes replace the links (or refuse the lock), and the outside files keep
    /// their contents; a dangling link's target is never created.
    @Test func plantedSymlinksAreNotFollowed() async throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let outside = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: outside) }
        let victim = outside.appendingPathComponent("victim")
        try Data("precious".utf8).write(to: victim)
        let store = FileChecksumDatabaseStore(gopath: gopath)
        let dir = gopath.appendingPathComponent("pkg/sumdb/\(Self.db)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        #expect(symlink(victim.path, dir.appendingPathComponent("latest").path) == 0)
        // The link is read through (its target is what was stored), but replaced on write.
        try await store.writeConfig("\(Self.db)/latest", old: Array("precious".utf8), new: Array("note".utf8))
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("latest").path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(try await store.readConfig("\(Self.db)/latest") == Array("note".utf8))

        let tileDir = gopath.appendingPathComponent("pkg/mod/cache/download/sumdb/\(Self.db)/tile/2/0")
        try FileManager.default.createDirectory(at: tileDir, withIntermediateDirectories: true)
        #expect(symlink(victim.path, tileDir.appendingPathComponent("000").path) == 0)
        #expect(symlink(outside.appendingPathComponent("created").path, tileDir.appendingPathComponent("001").path) == 0)
        try await store.writeCache("\(Self.db)/tile/2/0/000", Array("tile0".utf8))
        try await store.writeCache("\(Self.db)/tile/2/0/001", Array("tile1".utf8))
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious")
        #expect(try await store.readCache("\(Self.db)/tile/2/0/000") == Array("tile0".utf8))
        #expect(try await store.readCache("\(Self.db)/tile/2/0/001") == Array("tile1".utf8))

        // The lock file is a planted link: refused (ELOOP), nothing created at its target.
        let lock = dir.appendingPathComponent("latest.lock")
        try FileManager.default.removeItem(at: lock)
        #expect(symlink(outside.appendingPathComponent("lock-target").path, lock.path) == 0)
        let refused = await Self.code {
            try await store.writeConfig("\(Self.db)/latest", old: Array("note".utf8), new: Array("other".utf8))
        }
        #expect(refused?.code == .storeFailure)
        #expect(refused?.detail.contains("latest.lock") == true, "\(String(describing: refused))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).sorted() == ["victim"])
        #expect(try await store.readConfig("\(Self.db)/latest") == Array("note".utf8))
    }

    /// Symbolic links planted at directories of the state (`$GOPATH/pkg/sumdb/<db host>` and
    /// `$GOMODCACHE/cache/download/sumdb`), pointing outside: `latest`, its lock, the tile cache
    /// and fork evidence are refused (`storeFailure` naming the link, its `AtomicFileError`
    /// `ELOOP` with the rule) and nothing is created outside. cmd/go follows such links
    /// (Docs/stricter-than-go.md).
    @Test func symlinkedStateDirectoriesAreRefused() async throws {
        let gopath = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: gopath) }
        let outside = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: outside) }
        let store = FileChecksumDatabaseStore(gopath: gopath)
        let sumdb = gopath.appendingPathComponent("pkg/sumdb")
        try FileManager.default.createDirectory(at: sumdb, withIntermediateDirectories: true)
        let host = sumdb.appendingPathComponent("localhost.localdev")
        #expect(symlink(outside.path, host.path) == 0)
        let config = await Self.code {
            try await store.writeConfig("\(Self.db)/latest", old: [], new: Array("note".utf8))
        }
        #expect(config?.code == .storeFailure)
        let underlying = try #require(config?.underlying as? AtomicFileError)
        #expect(underlying.code == ELOOP)
        #expect(underlying.path == host.path)
        #expect(underlying.rule == ConfinedDirectory.rule(root: gopath.path))
        #expect(await store.saveEvidence("report") != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == [])

        // The cache side: a link at cache/download/sumdb, below the module cache root.
        let download = gopath.appendingPathComponent("pkg/mod/cache/download")
        try FileManager.default.createDirectory(at: download, withIntermediateDirectories: true)
        #expect(symlink(outside.path, download.appendingPathComponent("sumdb").path) == 0)
        let cache = await Self.code { try await store.writeCache("\(Self.db)/tile/2/0/000", Array("tile0".utf8)) }
        #expect(cache?.code == .storeFailure)
        #expect((cache?.underlying as? AtomicFileError)?.path == download.appendingPathComponent("sumdb").path,
                "\(String(describing: cache))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == [])

        // Evidence below a linked pkg/sumdb: not saved (nil), nothing outside.
        try FileManager.default.removeItem(at: sumdb)
        #expect(symlink(outside.path, sumdb.path) == 0)
        #expect(await store.saveEvidence("report") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == [])
    }
}

