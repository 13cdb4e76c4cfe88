import GoModZip
public import GoModCore
import GoModPlatform

/// A Go module cache (`GOMODCACHE`) in cmd/go's layout (https://go.dev/ref/mod#module-cache): paths
/// of its files and safe file operations on it.
public struct ModuleCache: Sendable {
    /// The cache root (`$GOMODCACHE`).
    public let root: String

    /// A cache rooted at `root`.
    public init(root: String) {
        var r = root
        while r.count > 1 && r.hasSuffix("/") { r.removeLast() }
        self.root = r
    }

    /// The cache cmd/go would use (`cfg.GOMODCACHE`) for the variables in `env` (no `go env -w`
    /// file): ``GoEnvironment/gomodcache``, or `$HOME/go/pkg/mod` from the password database
    /// when neither GOMODCACHE, GOPATH nor HOME is set. ``GoEnvironment/moduleCache()`` is the
    /// checked form, with the env file and Go's errors.
    public static func fromEnvironment(_ env: [String: String]) -> ModuleCache {
        let root = GoEnvironment(environment: env, readFile: { _ in nil }).gomodcache
        return ModuleCache(root: root.isEmpty ? homeDirectory() + "/go/pkg/mod" : root)
    }

    /// The first `GOPATH` entry for the variables in `env` (``GoEnvironment/gopathDirectory(_:)``),
    /// else `$HOME/go` from the password database.
    public static func gopath(_ env: [String: String]) -> String {
        let first = GoEnvironment(environment: env, readFile: { _ in nil }).gopathDirectory("")
        return first.isEmpty ? homeDirectory() + "/go" : first
    }

    /// `cache/download/<ep>/@v` for a module path.
    public func downloadDirectory(path: ByteString) throws(ModuleCacheError) -> String {
        let ep: ByteString
        do { ep = try Module.escapePath(path) } catch {
            throw ModuleCacheError(.invalidModule, "\(error)")
        }
        return root + "/cache/download/" + String(decoding: ep.bytes, as: UTF8.self) + "/@v"
    }

    /// `cache/download/<ep>/@v/<ev>.<suffix>` (cmd/go's `CachePath`): `info`, `mod`, `zip`,
    /// `ziphash`, `lock`, `partial`. The version must be canonical.
    public func cachePath(_ module: ModuleVersion, _ suffix: String) throws(ModuleCacheError) -> String {
        let ev = try escapedVersion(module)
        return try downloadDirectory(path: module.path) + "/" + ev + "." + suffix
    }

    /// `<ep>@<ev>`: the extracted module tree (cmd/go's `DownloadDir` path).
    public func extractedDirectory(_ module: ModuleVersion) throws(ModuleCacheError) -> String {
        let ev = try escapedVersion(module)
        let ep: ByteString
        do { ep = try Module.escapePath(module.path) } catch { throw ModuleCacheError(.invalidModule, module: module, "\(error)") }
        return root + "/" + String(decoding: ep.bytes, as: UTF8.self) + "@" + ev
    }

    private func escapedVersion(_ module: ModuleVersion) throws(ModuleCacheError) -> String {
        do {
            try Module.check(module)
        } catch {
            throw ModuleCacheError(.invalidModule, module: module, "\(error)")
        }
        guard Semver.canonical(module.version) == module.version || module.version.hasSuffix("+incompatible") else {
            throw ModuleCacheError(.invalidModule, module: module, "non-canonical module version \(goQuote(module.version.bytes))")
        }
        do { return String(decoding: try Module.escapeVersion(module.version).bytes, as: UTF8.self) } catch {
            throw ModuleCacheError(.invalidModule, module: module, "\(error)")
        }
    }

    /// The recorded `.ziphash`, or `nil` when absent or malformed (not one `h1:` hash: cmd/go
    /// treats such a file, e.g. one torn by a crash, as missing).
    public func recordedZipHash(_ module: ModuleVersion) -> DirHash? {
        guard let path = try? cachePath(module, "ziphash"), let data = readSmallFile(path, limit: 4096) else { return nil }
        return DirHash(String(decoding: data, as: UTF8.self).trimmingSpace())
    }
}

// MARK: File helpers

/// Reads a small file, `nil` when missing, unreadable or larger than `limit`.
package func readSmallFile(_ path: String, limit: Int) -> [UInt8]? {
    try? readFile(path, limit: limit).get()
}

func fileExists(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0
}

func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// Whether `path` itself is a directory: a symbolic link, even to a directory, is not.
func isDirectoryNoFollow(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}


/// Creates `path` and its missing parents below the cache root `root`, never through a
/// symbolic link planted at a directory below the root (``ConfinedDirectory``).
func makeDirectories(_ path: String, below root: String) throws(ModuleCacheError) {
    do throws(AtomicFileError) { try ConfinedDirectory.make(path, below: root) } catch {
        throw ModuleCacheError(io: error)
    }
}

/// Writes `data` to `path` crash-safely (`AtomicFile`: a new `O_EXCL|O_NOFOLLOW` temporary
/// file beside it, fsync, rename, fsync of the directory). Readers see the old file or the new
/// one, never a torn one; a symbolic link planted at `path` is replaced, not written through,
/// and one planted at a directory below the cache root `root` refuses the write; a failure
/// (`ENOSPC`, `EFBIG`, `ENAMETOOLONG`, …) leaves neither the final name nor a temporary file
/// behind.
func writeFileAtomically(_ path: String, _ data: [UInt8], mode: UInt32 = 0o666, module: ModuleVersion? = nil,
                         below root: String) throws(ModuleCacheError) {
    do throws(AtomicFileError) { try AtomicFile.write(data, to: path, permissions: mode, below: root) } catch {
        throw ModuleCacheError(io: error, module: module)
    }
}

/// Creates `<path><random>.tmp` holding `data` (`O_CREAT|O_EXCL|O_NOFOLLOW`, relative to the
/// directory opened below the cache root `root` without following links), fsynced, for the
/// caller to check and then move onto `path` (``renameInCache(_:to:below:module:)``) or unlink;
/// returns its path. On failure the temporary file is removed.
func writeTemporaryFile(near path: String, _ data: [UInt8], mode: UInt32 = 0o666, module: ModuleVersion? = nil,
                        below root: String) throws(ModuleCacheError) -> String {
    let pending: AtomicFile.Pending
    do throws(AtomicFileError) {
        pending = try AtomicFile.begin(finalPath: path, permissions: mode, below: root)
        try pending.write(data)
    } catch {
        throw ModuleCacheError(io: error, module: module)
    }
    // Kept as a plain file for the caller: the descriptor is fsynced and closed by `detach`.
    do throws(AtomicFileError) { return try pending.detach() } catch {
        throw ModuleCacheError(io: error, module: module)
    }
}

/// Renames the file `from` onto `to` (both in one directory below the cache root `root`),
/// relative to that directory opened without following links, then fsyncs the directory.
func renameInCache(_ from: String, to: String, below root: String, module: ModuleVersion? = nil) throws(ModuleCacheError) {
    let dirFD: Int32
    do throws(AtomicFileError) {
        dirFD = try ConfinedDirectory.open(deletingLastPathComponent(to), below: root, create: false)
    } catch {
        throw ModuleCacheError(io: error, module: module)
    }
    defer { close(dirFD) }
    guard renameat(dirFD, lastPathComponent(from), dirFD, lastPathComponent(to)) == 0 else {
        throw ModuleCacheError(io: AtomicFileError(operation: .rename, path: to, code: errno), module: module)
    }
    _ = fsync(dirFD)
}

extension ModuleCacheError {
    /// A file-system failure during a cache write: ``Code/io`` with Go's `*PathError` wording
    /// (`write /cache/…/v1.0.0.zip123.tmp: file too large`) and the underlying error.
    init(io error: AtomicFileError, module: ModuleVersion? = nil) {
        self.init(.io, module: module, error.description)
        self.underlying = error
    }
}

/// `fsync` of the directory holding `path`, so a rename into it survives a crash.
func syncDirectory(of path: String) {
    let dir = deletingLastPathComponent(path)
    let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 { _ = fsync(fd); close(fd) }
}

/// An exclusive `flock` on a lock file, as cmd/go's `lockedfile.MutexAt` holds `<ev>.lock`.
package final class FileLock: Sendable {
    private let fd: Int32

    /// Opens (creating) the lock file `path`, its directory made below the cache root `root`:
    /// never through a symbolic link planted at the lock's name (`O_NOFOLLOW`: `ELOOP`) or at a
    /// directory below the root (``ConfinedDirectory``).
    package init(_ path: String, below root: String) throws(ModuleCacheError) {
        let fd: Int32
        do throws(AtomicFileError) {
            let dirFD = try ConfinedDirectory.open(deletingLastPathComponent(path), below: root, create: true)
            defer { close(dirFD) }
            fd = try ConfinedDirectory.openLockFile(dirFD, lastPathComponent(path), shown: path)
        } catch {
            throw ModuleCacheError(io: error)
        }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let err = errno
            close(fd)
            throw ModuleCacheError(.io, "lock \(plain(path)): \(systemMessage(err))")
        }
        self.fd = fd
    }

    package func unlock() {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Removes a tree that may be read-only (cmd/go's `RemoveAll` after making it writable),
/// without following symbolic links: a link anywhere in the tree, or at `path` itself, is
/// removed as a link, and nothing outside the tree is made writable or deleted
/// (`removeTreeNoFollow`); with `root`, nothing is removed through a symbolic link planted at a
/// directory below it.
func removeTreeForcibly(_ path: String, below root: String? = nil) {
    _ = try? removeTreeNoFollow(path, below: root)
}
