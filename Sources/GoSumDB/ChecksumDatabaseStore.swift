import GoModCore
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the checksum-database client keeps state: x/mod `ClientOps`' config and cache half.
///
/// Config holds `<db>/latest` (the newest verified tree head); the cache holds
/// `<db>/lookup/<ep>@<ev>` responses and `<db>/tile/H/L/NNN[.p/W]` tiles. Empty cache entries
/// count as missing, as in cmd/go.
public protocol ChecksumDatabaseStore: Sendable {
    /// The config file's bytes; empty when absent (x/mod `ReadConfig`).
    func readConfig(_ file: String) async throws -> [UInt8]
    /// Compare-and-swap: replaces the config file with `new` if it still holds `old` (or is
    /// empty); otherwise throws ``ChecksumDatabaseError/Code/writeConflict`` (x/mod `WriteConfig`).
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
public struct FileChecksumDatabaseStore: ChecksumDatabaseStore {
    /// `$GOPATH/pkg/sumdb`.
    public let configDirectory: URL
    /// `$GOMODCACHE/cache/download/sumdb`.
    public let cacheDirectory: URL

    // The two directories as path strings ending in "/", computed once (`URL.path` and
    // `URL.appendingPathComponent` are not free, and the lookup path joins names per request).
    private let configPrefix: String
    private let cachePrefix: String

    /// The layout for a GOPATH and module cache (default `$GOPATH/pkg/mod`).
    public init(gopath: URL, modcache: URL? = nil) {
        self.init(configDirectory: gopath.appendingPathComponent("pkg/sumdb"),
                  cacheDirectory: (modcache ?? gopath.appendingPathComponent("pkg/mod")).appendingPathComponent("cache/download/sumdb"))
    }

    /// Explicit directories.
    public init(configDirectory: URL, cacheDirectory: URL) {
        self.configDirectory = configDirectory
        self.cacheDirectory = cacheDirectory
        func prefix(_ url: URL) -> String { let p = url.path; return p.hasSuffix("/") ? p : p + "/" }
        configPrefix = prefix(configDirectory)
        cachePrefix = prefix(cacheDirectory)
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

    /// Reads the config file under a shared lock; absent ⇒ empty.
    public func readConfig(_ file: String) async throws -> [UInt8] {
        try readLocked(try path(configPrefix, file)) ?? []
    }

    /// Compare-and-swap under an exclusive `flock` on the file itself (cmd/go's `lockedfile.Edit`).
    public func writeConfig(_ file: String, old: [UInt8], new: [UInt8]) async throws {
        let target = try path(configPrefix, file)
        let fd = try openForWriting(target)
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw ChecksumDatabaseError(.storeFailure, "lock \(target)") }
        let current = try readAll(fd, target)
        if !current.isEmpty && current != old { throw ChecksumDatabaseError(.writeConflict) }
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
            throw ChecksumDatabaseError(.storeFailure, "truncate \(target)")
        }
        try writeAll(fd, new, target)
        _ = fsync(fd)
    }

    /// Reads a cache file; absent or empty ⇒ `nil`.
    public func readCache(_ file: String) async throws -> [UInt8]? {
        guard let data = try readLocked(try path(cachePrefix, file)), !data.isEmpty else { return nil }
        return data
    }

    /// Writes a cache file under an exclusive lock (cmd/go's `lockedfile.Write`).
    public func writeCache(_ file: String, _ data: [UInt8]) async throws {
        let target = try path(cachePrefix, file)
        let fd = try openForWriting(target)
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw ChecksumDatabaseError(.storeFailure, "lock \(target)") }
        // Truncate only a file with content: on ext4 a truncation to zero marks the file for a
        // flush at close (auto_da_alloc), which a just-created empty file does not need.
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ChecksumDatabaseError(.storeFailure, "stat \(target): errno \(errno)") }
        if info.st_size != 0 {
            guard ftruncate(fd, 0) == 0 else { throw ChecksumDatabaseError(.storeFailure, "truncate \(target)") }
        }
        try writeAll(fd, data, target)
    }

    /// Widths W of `<tileFile>.p/W` files present in the cache.
    public func cachedPartialWidths(_ tileFile: String) async -> [Int] {
        guard let dir = try? path(cachePrefix, tileFile + ".p"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.compactMap { Int($0) }.filter { $0 > 0 }
    }

    /// Writes the report to `<config>/<db>/evidence/<timestamp>.txt`... under the config directory.
    public func saveEvidence(_ report: String) async -> String? {
        let dir = configDirectory.appendingPathComponent("gomodkit-evidence")
        let name = "fork-\(Int(Date().timeIntervalSince1970 * 1000))-\(UInt32.random(in: 0...UInt32.max)).txt"
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let url = dir.appendingPathComponent(name)
            try Data(report.utf8).write(to: url, options: .atomic)
            return url.path
        } catch {
            return nil
        }
    }

    /// Opens (creating) `target` for writing; its directory is created only when missing, so
    /// the common case (the directory exists) costs one `open` instead of a walk up the path.
    private func openForWriting(_ target: String) throws -> Int32 {
        var fd = open(target, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        if fd < 0 && errno == ENOENT {
            try FileManager.default.createDirectory(atPath: target.lastIndex(of: "/").map { String(target[..<$0]) } ?? ".",
                                                    withIntermediateDirectories: true)
            fd = open(target, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        }
        guard fd >= 0 else { throw ChecksumDatabaseError(.storeFailure, "open \(target): errno \(errno)") }
        return fd
    }

    private func readLocked(_ target: String) throws -> [UInt8]? {
        let fd = open(target, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw ChecksumDatabaseError(.storeFailure, "open \(target): errno \(errno)")
        }
        defer { close(fd) }
        _ = flock(fd, LOCK_SH)
        return try readAll(fd, target)
    }

    private func readAll(_ fd: Int32, _ target: String) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ChecksumDatabaseError(.storeFailure, "read \(target): errno \(errno)")
            }
            if n == 0 { return out }
            out.append(contentsOf: buffer[..<n])
            if out.count > FileChecksumDatabaseStore.maxFile {
                throw ChecksumDatabaseError(.storeFailure, "\(target): larger than \(FileChecksumDatabaseStore.maxFile) bytes")
            }
        }
    }

    private func writeAll(_ fd: Int32, _ data: [UInt8], _ target: String) throws {
        do throws(SystemErrno) { try writeFully(fd, data) } catch {
            throw ChecksumDatabaseError(.storeFailure, "write \(target): errno \(error.code)")
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

    /// Reads a config entry (empty when absent).
    public func readConfig(_ file: String) async throws -> [UInt8] { state.withLock { $0.config[file] ?? [] } }

    /// Compare-and-swap on a config entry.
    public func writeConfig(_ file: String, old: [UInt8], new: [UInt8]) async throws {
        try state.withLock { s throws(ChecksumDatabaseError) in
            let current = s.config[file] ?? []
            if !current.isEmpty && current != old { throw ChecksumDatabaseError(.writeConflict) }
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
