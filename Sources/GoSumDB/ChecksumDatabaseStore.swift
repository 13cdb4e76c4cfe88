import GoModCore
public import GoModPlatform
import Synchronization

/// Where the checksum-database client keeps state: x/mod `ClientOps`' config and cache half.
///
/// Config holds `<db>/latest` (the newest verified tree head); the cache holds
/// `<db>/lookup/<ep>@<ev>` responses and `<db>/tile/H/L/NNN[.p/W]` tiles. Empty cache entries
/// count as missing, as in cmd/go.
public protocol ChecksumDatabaseStore: Sendable {
    /// The config file's bytes; empty when absent (x/mod `ReadConfig`).
    ///
    /// A store that can tell an absent file from an empty one throws
    /// `ChecksumDatabaseError.Code.stateCorrupt` for a file that exists but is empty: an empty
    /// `latest` is a write that did not finish, not a first contact, and must not let the next
    /// server's tree be trusted as a new timeline (stricter than cmd/go, which reads it as "no
    /// history").
    func readConfig(_ file: String) async throws -> [UInt8]
    /// Compare-and-swap: replaces the config file with `new` if it still holds `old` (or is
    /// absent and `old` is empty); otherwise throws `ChecksumDatabaseError.Code.writeConflict`
    /// (x/mod `WriteConfig`). The replacement must be crash-safe: a reader, or the next process
    /// after a crash, sees `old` or `new`, never a torn or empty file.
    func writeConfig(_ file: String, old: [UInt8], new: [UInt8]) async throws
    /// A cached file, or `nil` when absent or empty (x/mod `ReadCache`).
    func readCache(_ file: String) async throws -> [UInt8]?
    /// Stores a cache file (x/mod `WriteCache`).
    func writeCache(_ file: String, _ data: [UInt8]) async throws
    /// The widths of cached partial tiles `<tile path>.p/*` (used to slice a wider cached tile).
    func cachedPartialWidths(_ tileFile: String) async -> [Int]
    /// Persists fork evidence (SECURITY ERROR report) and returns where it went, if anywhere.
    func saveEvidence(_ report: String) async -> String?
}

/// The `go` command's on-disk layout: config under `$GOPATH/pkg/sumdb`, cache under
/// `$GOMODCACHE/cache/download/sumdb` (cmd/go `internal/modfetch/sumdb.go`), so a real `go` cache
/// can be read and extended.
///
/// Every file is replaced crash-safely (a temporary file in the same directory, `fsync`,
/// `rename`, `fsync` of the directory; `AtomicFile`), where cmd/go truncates `latest` and
/// rewrites it in place: a crash between the two leaves an empty file that Go reads as "no
/// history". Here an empty `latest` is `ChecksumDatabaseError.Code.stateCorrupt`. Writes never
/// follow a symbolic link planted at a file's name: the link is replaced.
public struct FileChecksumDatabaseStore: ChecksumDatabaseStore {
    /// `$GOPATH/pkg/sumdb`.
    public let configDirectory: URL
    /// `$GOMODCACHE/cache/download/sumdb`.
    public let cacheDirectory: URL

    // The two directories as path strings ending in "/", computed once (`URL.path` and
    // `URL.appendingPathComponent` are not free, and the lookup path joins names per request).
    private let configPrefix: String
    private let cachePrefix: String
    // Below these roots no directory may be a symbolic link when a file is written
    // (`ConfinedDirectory`): `$GOPATH` and `$GOMODCACHE` for the go layout, else the two
    // directories themselves.
    private let configRoot: String
    private let cacheRoot: String

    /// The layout for a GOPATH and module cache (default `$GOPATH/pkg/mod`). Writes refuse a
    /// symbolic link at any directory below `gopath` (config) or the module cache (cache).
    public init(gopath: URL, modcache: URL? = nil) {
        let modcache = modcache ?? gopath.appendingPathComponent("pkg/mod")
        self.init(configDirectory: gopath.appendingPathComponent("pkg/sumdb"),
                  cacheDirectory: modcache.appendingPathComponent("cache/download/sumdb"),
                  configRoot: gopath.path, cacheRoot: modcache.path)
    }

    /// Explicit directories. Writes refuse a symbolic link at any directory below them.
    public init(configDirectory: URL, cacheDirectory: URL) {
        self.init(configDirectory: configDirectory, cacheDirectory: cacheDirectory,
                  configRoot: configDirectory.path, cacheRoot: cacheDirectory.path)
    }

    private init(configDirectory: URL, cacheDirectory: URL, configRoot: String, cacheRoot: String) {
        self.configDirectory = configDirectory
        self.cacheDirectory = cacheDirectory
        func prefix(_ url: URL) -> String { let p = url.path; return p.hasSuffix("/") ? p : p + "/" }
        configPrefix = prefix(configDirectory)
        cachePrefix = prefix(cacheDirectory)
        self.configRoot = configRoot
        self.cacheRoot = cacheRoot
    }

    static let maxFile = 16 << 20

    private func path(_ prefix: String, _ file: String) throws -> String {
        // Names come from escaped module paths and tile paths; refuse anything that could escape.
        // Judged on bytes, not Swift String (grapheme) comparison.
        let components = file.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard !file.isEmpty, file.utf8.first != UInt8(ascii: "/"),
              !components.contains(where: { $0.elementsEqual("..".utf8) || $0.elementsEqual(".".utf8) }) else {
            throw ChecksumDatabaseError(.invalidConfiguration, "bad store path \(goQuote(Array(file.utf8)))")
        }
        return prefix + file
    }

    /// Reads the config file under a shared lock (cmd/go's `lockedfile.Read`, so a `go` command
    /// rewriting it in place is waited for); absent ⇒ empty; present but empty ⇒
    /// `ChecksumDatabaseError.Code.stateCorrupt`.
    public func readConfig(_ file: String) async throws -> [UInt8] {
        let target = try path(configPrefix, file)
        guard let data = try readLocked(target) else { return [] }
        if data.isEmpty { throw Self.emptyConfig(file, target) }
        return data
    }

    /// The error for a config file that exists but is empty, with how to recover.
    static func emptyConfig(_ file: String, _ target: String) -> ChecksumDatabaseError {
        ChecksumDatabaseError(.stateCorrupt, """
            stored state \(target) is empty: a write of \(file) did not finish (a crash, a full disk,             or a tool that truncates it in place); it is not treated as a first contact, which would             trust whatever tree the next server shows. To recover, restore the file from a backup or             another machine's $GOPATH/pkg/sumdb, or, only if you accept trusting the next server             as a first contact, remove it deliberately
            """)
    }

    /// Compare-and-swap, then a crash-safe replacement (`AtomicFile`).
    ///
    /// Writers serialise on `<file>.lock` beside the file: the file itself is replaced by
    /// `rename`, so a lock on it would guard only the old inode. The current file is also locked
    /// (exclusively, as cmd/go's `lockedfile.Edit` does) while it is read and replaced, so a `go`
    /// command editing it in place is excluded too. Under the lock, temporary files that a killed
    /// writer left (`<file><digits>.tmp`) are removed.
    public func writeConfig(_ file: String, old: [UInt8], new: [UInt8]) async throws {
        let target = try path(configPrefix, file)
        let lockFD = try openForWriting(target + ".lock", below: configRoot)
        defer { close(lockFD) }
        guard Self.lock(lockFD, LOCK_EX) else {
            throw ChecksumDatabaseError(.storeFailure, "lock \(target).lock: \(systemMessage(errno))")
        }
        removeStaleTemporaries(of: target, below: configRoot)
        let currentFD = open(target, O_RDONLY | O_CLOEXEC)
        if currentFD < 0 && errno != ENOENT {
            throw ChecksumDatabaseError(.storeFailure, "open \(target): \(systemMessage(errno))")
        }
        defer { if currentFD >= 0 { close(currentFD) } }
        var current: [UInt8] = []
        if currentFD >= 0 {
            guard Self.lock(currentFD, LOCK_EX) else {
                throw ChecksumDatabaseError(.storeFailure, "lock \(target): \(systemMessage(errno))")
            }
            current = try readAll(currentFD, target)
        }
        // Absent and `old` empty: the first write. A present but empty file is never "old".
        let matches = currentFD < 0 ? old.isEmpty : (!current.isEmpty && current == old)
        if !matches { throw ChecksumDatabaseError(.writeConflict) }
        try replace(target, new, below: configRoot)
    }

    /// Reads a cache file; absent or empty ⇒ `nil`.
    public func readCache(_ file: String) async throws -> [UInt8]? {
        guard let data = try readLocked(try path(cachePrefix, file)), !data.isEmpty else { return nil }
        return data
    }

    /// Writes a cache file crash-safely (`AtomicFile`): readers see the old file or the new
    /// one, so no lock is needed (cmd/go's `lockedfile.Write` truncates in place under one).
    public func writeCache(_ file: String, _ data: [UInt8]) async throws {
        try replace(try path(cachePrefix, file), data, below: cacheRoot)
    }

    /// Widths W of `<tileFile>.p/W` files present in the cache.
    public func cachedPartialWidths(_ tileFile: String) async -> [Int] {
        guard let dir = try? path(cachePrefix, tileFile + ".p"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.compactMap { Int($0) }.filter { $0 > 0 }
    }

    /// Writes the report to `<config>/<db>/evidence/<timestamp>.txt`... under the config directory.
    public func saveEvidence(_ report: String) async -> String? {
        let dir = configPrefix + "gomodkit-evidence"
        let name = "fork-\(Int(Date().timeIntervalSince1970 * 1000))-\(UInt32.random(in: 0...UInt32.max)).txt"
        do throws(AtomicFileError) {
            try ConfinedDirectory.make(dir, below: configRoot)
            try AtomicFile.write(Array(report.utf8), to: dir + "/" + name, below: configRoot)
            return dir + "/" + name
        } catch {
            return nil
        }
    }

    /// Opens (creating) the lock file `target`, never through a symbolic link planted at its
    /// name (`O_NOFOLLOW`) or at a directory below `root` (``ConfinedDirectory``); missing
    /// directories are created.
    private func openForWriting(_ target: String, below root: String) throws -> Int32 {
        do throws(AtomicFileError) {
            let dirFD = try ConfinedDirectory.open(deletingLastPathComponent(target), below: root, create: true)
            defer { close(dirFD) }
            return try ConfinedDirectory.openLockFile(dirFD, lastPathComponent(target), shown: target)
        } catch {
            throw ChecksumDatabaseError(.storeFailure, error.description, underlying: error)
        }
    }

    /// Replaces `target` with `data` crash-safely, creating its directory when missing; no
    /// directory below `root` may be a symbolic link (``ConfinedDirectory``).
    private func replace(_ target: String, _ data: [UInt8], below root: String) throws {
        var failure: AtomicFileError?
        for attempt in 0..<2 {
            do throws(AtomicFileError) {
                try AtomicFile.write(data, to: target, below: root)
                return
            } catch {
                failure = error
            }
            // The directory is created only when missing, so the common case costs no second walk.
            guard attempt == 0, let error = failure, error.rule == nil,
                  error.operation == .openDirectory, error.code == ENOENT else { break }
            do throws(AtomicFileError) { try ConfinedDirectory.make(deletingLastPathComponent(target), below: root) } catch {
                failure = error
                break
            }
        }
        if let failure { throw ChecksumDatabaseError(.storeFailure, failure.description, underlying: failure) }
    }

    /// Removes `<target><digits>.tmp` files beside `target`: temporaries of writers that were
    /// killed before their rename (called under the file's lock, so none is live). The
    /// directory is opened below `root` without following links.
    private func removeStaleTemporaries(of target: String, below root: String) {
        let directory = deletingLastPathComponent(target)
        let base = Array(lastPathComponent(target).utf8)
        guard let dirFD = try? ConfinedDirectory.open(directory.isEmpty ? "." : directory, below: root, create: false) else { return }
        defer { close(dirFD) }
        // readDirectoryNames consumes its descriptor; unlinkat needs one that stays open.
        let listFD = dup(dirFD)
        guard listFD >= 0, let names = try? readDirectoryNames(listFD) else { return }
        let suffix = Array(".tmp".utf8)
        for name in names where name.count > base.count + suffix.count
            && name.starts(with: base) && name.suffix(suffix.count).elementsEqual(suffix)
            && name[base.count..<(name.count - suffix.count)].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // unlinkat without AT_REMOVEDIR removes a symbolic link itself, never its target.
            _ = unlinkat(dirFD, String(decoding: name, as: UTF8.self), 0)
        }
    }

    /// `flock`, retried on `EINTR`.
    private static func lock(_ fd: Int32, _ operation: Int32) -> Bool {
        while flock(fd, operation) != 0 {
            if errno != EINTR { return false }
        }
        return true
    }

    private func readLocked(_ target: String) throws -> [UInt8]? {
        let fd = open(target, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw ChecksumDatabaseError(.storeFailure, "open \(target): \(systemMessage(errno))")
        }
        defer { close(fd) }
        _ = Self.lock(fd, LOCK_SH)
        return try readAll(fd, target)
    }

    /// The whole file behind `fd`, refused when it holds more than ``maxFile`` bytes (at most
    /// one byte more is read).
    private func readAll(_ fd: Int32, _ target: String) throws -> [UInt8] {
        switch readUpTo(fd, limit: FileChecksumDatabaseStore.maxFile + 1) {
        case .failure(let error):
            throw ChecksumDatabaseError(.storeFailure, "read \(target): \(systemMessage(error.code))")
        case .success(let data) where data.count > FileChecksumDatabaseStore.maxFile:
            throw ChecksumDatabaseError(.storeFailure, "\(target): larger than \(FileChecksumDatabaseStore.maxFile) bytes")
        case .success(let data):
            return data
        }
    }
}

/// An in-memory store (tests, one-shot audits that must not touch the disk).
public final class MemoryChecksumDatabaseStore: ChecksumDatabaseStore {
    private let state = Mutex<(config: [String: [UInt8]], cache: [String: [UInt8]], evidence: [String])>(([:], [:], []))

    /// An empty store, optionally seeded.
    public init(config: [String: [UInt8]] = [:], cache: [String: [UInt8]] = [:]) {
        state.withLock { $0.config = config; $0.cache = cache }
    }

    /// Reads a config entry: empty when absent, `ChecksumDatabaseError.Code.stateCorrupt`
    /// when present but empty (as ``FileChecksumDatabaseStore`` reads an empty file).
    public func readConfig(_ file: String) async throws -> [UInt8] {
        let entry = state.withLock { $0.config[file] }
        guard let entry else { return [] }
        if entry.isEmpty { throw FileChecksumDatabaseStore.emptyConfig(file, "memory:" + file) }
        return entry
    }

    /// Compare-and-swap on a config entry: it must hold `old`, or be absent when `old` is empty.
    public func writeConfig(_ file: String, old: [UInt8], new: [UInt8]) async throws {
        try state.withLock { s throws(ChecksumDatabaseError) in
            let matches = s.config[file].map { !$0.isEmpty && $0 == old } ?? old.isEmpty
            if !matches { throw ChecksumDatabaseError(.writeConflict) }
            s.config[file] = new
        }
    }

    /// Reads a cache entry (`nil` when absent or empty).
    public func readCache(_ file: String) async throws -> [UInt8]? {
        state.withLock { s in s.cache[file].flatMap { $0.isEmpty ? nil : $0 } }
    }

    /// Stores a cache entry.
    public func writeCache(_ file: String, _ data: [UInt8]) async throws { state.withLock { $0.cache[file] = data } }

    /// Widths of cached partial tiles.
    public func cachedPartialWidths(_ tileFile: String) async -> [Int] {
        state.withLock { s in s.cache.keys.compactMap { key in key.hasPrefix(tileFile + ".p/") ? Int(key.dropFirst(tileFile.count + 3)) : nil } }
    }

    /// Keeps the evidence in memory.
    public func saveEvidence(_ report: String) async -> String? {
        state.withLock { $0.evidence.append(report) }
        return "memory"
    }

    /// All config entries.
    public var config: [String: [UInt8]] { state.withLock { $0.config } }
    /// All cache entries.
    public var cache: [String: [UInt8]] { state.withLock { $0.cache } }
    /// Saved evidence reports.
    public var evidence: [String] { state.withLock { $0.evidence } }
    /// Removes a cache entry (tests).
    public func removeCache(_ file: String) { state.withLock { _ = $0.cache.removeValue(forKey: file) } }
    /// Replaces a cache entry (tests).
    public func setCache(_ file: String, _ data: [UInt8]) { state.withLock { $0.cache[file] = data } }
}
