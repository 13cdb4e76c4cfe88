import GoModCore
import GoModPlatform

/// Crash-safe file writes for the scan's own files (the feed checkpoint, shard outputs): the
/// bytes go to a temporary name in the same directory, are fsynced, renamed over the final name,
/// and the directory is fsynced, so a reader sees the old file or the new one, never a torn one.
///
/// A small local helper; GoModCore's `AtomicFile` (issue 13) replaces it once merged.
enum StateFiles {
    /// Replaces `path` with `bytes` atomically (temporary + fsync + rename + directory fsync).
    /// The temporary file is opened with `O_EXCL | O_NOFOLLOW`; it is removed on failure.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(ScanError) {
        let dir = deletingLastPathComponent(path)
        let temp = "\(dir.isEmpty ? "." : dir)/.\(lastPathComponent(path)).tmp-\(getpid())"
        unlink(temp)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ScanError(.io, "create \(temp): \(systemMessage(errno))") }
        do throws(SystemErrno) {
            try writeFully(fd, bytes)
        } catch {
            close(fd); unlink(temp)
            throw ScanError(.io, "write \(temp): \(systemMessage(error.code))")
        }
        guard fsync(fd) == 0 else {
            let e = errno
            close(fd); unlink(temp)
            throw ScanError(.io, "fsync \(temp): \(systemMessage(e))")
        }
        close(fd)
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw ScanError(.io, "rename \(temp) to \(path): \(systemMessage(e))")
        }
        syncDirectory(dir.isEmpty ? "." : dir)
    }

    /// fsyncs a directory (after a rename or a create in it); failures are ignored (some file
    /// systems refuse fsync on directories).
    static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }

    /// The size of `path`, or `nil` when it does not exist.
    static func size(_ path: String) throws(ScanError) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT { return nil }
            throw ScanError(.corruptState, "stat \(path): \(systemMessage(errno))")
        }
        return Int64(st.st_size)
    }

    /// Reads a whole small file (≤ `limit` bytes); `nil` when it does not exist.
    static func read(_ path: String, limit: Int) throws(ScanError) -> [UInt8]? {
        switch readFile(path, limit: limit) {
        case .success(let data): return data
        case .failure(.open):
            if (try? size(path)) == nil { return nil }
            throw ScanError(.corruptState, "open \(path): not readable")
        case .failure(.tooLarge): throw ScanError(.corruptState, "\(path): larger than \(limit) bytes")
        case .failure(.read(let e)): throw ScanError(.corruptState, "read \(path): \(systemMessage(e.code))")
        }
    }

    /// Creates `dir` and its parents.
    static func makeDirectory(_ dir: String) throws(ScanError) {
        do throws(MakeDirectoryAllError) { try makeDirectoryAll(dir) } catch {
            throw ScanError(.io, "mkdir \(error.path): \(systemMessage(error.code))")
        }
    }

    /// Calls `body` with each line (without its newline) of `path` between byte offsets
    /// `start` and `end`, reading 1 MiB at a time with `pread`; a line longer than `maxLine`
    /// bytes is an error. The bytes after the last newline before `end` are not visited. The
    /// walk stops when `body` returns `false`.
    static func forEachLine(_ path: String, from start: Int64, to end: Int64, maxLine: Int = 1 << 20,
                            _ body: (ArraySlice<UInt8>, _ offsetAfter: Int64) throws(ScanError) -> Bool) throws(ScanError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ScanError(.corruptState, "open \(path): \(systemMessage(errno))") }
        defer { close(fd) }
        var offset = start
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while offset < end {
            let want = Int(min(Int64(chunk.count), end - offset))
            let n = chunk.withUnsafeMutableBytes { raw in pread(fd, raw.baseAddress, want, off_t(offset)) }
            guard n > 0 else {
                throw ScanError(.corruptState, "read \(path) at \(offset): \(n == 0 ? "unexpected end of file" : systemMessage(errno))")
            }
            let consumedBefore = offset - Int64(pending.count)
            pending += chunk[0..<n]
            offset += Int64(n)
            var lineStart = 0
            while let nl = pending[lineStart...].firstIndex(of: 0x0A) {
                guard try body(pending[lineStart..<nl], consumedBefore + Int64(nl + 1)) else { return }
                lineStart = nl + 1
            }
            pending.removeFirst(lineStart)
            if pending.count > maxLine { throw ScanError(.corruptState, "\(path): line at byte \(offset - Int64(pending.count)) longer than \(maxLine) bytes") }
        }
    }

    /// Appends `bytes` to `path` (created when missing) and fsyncs it.
    static func append(_ path: String, _ bytes: [UInt8]) throws(ScanError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ScanError(.io, "open \(path): \(systemMessage(errno))") }
        defer { close(fd) }
        do throws(SystemErrno) { try writeFully(fd, bytes) } catch { throw ScanError(.io, "write \(path): \(systemMessage(error.code))") }
        guard fsync(fd) == 0 else { throw ScanError(.io, "fsync \(path): \(systemMessage(errno))") }
    }

    /// Truncates `path` to `length` bytes and fsyncs it.
    static func truncate(_ path: String, to length: Int64) throws(ScanError) {
        let fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw ScanError(.io, "open \(path): \(systemMessage(errno))") }
        defer { close(fd) }
        guard ftruncate(fd, off_t(length)) == 0, fsync(fd) == 0 else {
            throw ScanError(.io, "truncate \(path): \(systemMessage(errno))")
        }
    }
}

/// An exclusive advisory lock (`flock`) on a file, held until the owner is released or the
/// process exits: two runs of the same shard on one state directory would interleave their
/// journals, and two shards syncing one feed mirror would append the same pages twice.
final class StateLock {
    private let fd: Int32

    /// How long a busy lock is waited for before the state counts as held by another scan.
    /// A lock stays busy for a moment after its holder closed it when a child process was being
    /// spawned at that instant: the child holds a copy of the descriptor (and of its `flock`)
    /// until its `exec` closes it (`O_CLOEXEC`). An embedding process that spawns git or go
    /// beside a scan (the test suite does) meets that window.
    static let busyWait: Duration = .seconds(2)

    /// How often a busy lock is tried again, in microseconds.
    static let retryMicroseconds: UInt32 = 20_000

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock on `path` (created when missing), waiting at most ``busyWait`` for it;
    /// a lock still busy then is `ScanError.Code.io` ("another scan holds this state").
    convenience init(_ path: String) throws(ScanError) {
        let fd = try Self.open(path)
        let giveUp = ContinuousClock.now + Self.busyWait
        while let e = Self.tryLock(fd) {
            if e == EWOULDBLOCK, ContinuousClock.now < giveUp {
                usleep(Self.retryMicroseconds)
                continue
            }
            throw Self.failure(e, fd: fd, path: path, timedOut: true)
        }
        self.init(fd: fd)
    }

    /// Takes the lock on `path` (created when missing), waiting for whoever holds it: for
    /// `limit` at most (then `ScanError.Code.io`, "another scan holds this state"), or, with no
    /// limit, for as long as the calling task runs (shards sharing a feed mirror take turns).
    /// The wait sleeps between tries, so it holds no thread; cancelling the task ends it with
    /// `ScanError.Code.incomplete`.
    static func waitingForTurn(_ path: String, upTo limit: Duration? = nil) async throws(ScanError) -> StateLock {
        let fd = try open(path)
        let giveUp = limit.map { ContinuousClock.now + $0 }
        while let e = tryLock(fd) {
            let timeLeft = giveUp.map { ContinuousClock.now < $0 } ?? true
            if e == EWOULDBLOCK, timeLeft, (try? await Task.sleep(for: .microseconds(retryMicroseconds))) != nil { continue }
            throw failure(e, fd: fd, path: path, timedOut: !timeLeft)
        }
        return StateLock(fd: fd)
    }

    /// Closes `fd` and names why the lock on `path` was not taken: `errno` `e`, a busy lock
    /// waited for until `timedOut`, or (busy, not timed out) a cancelled wait.
    private static func failure(_ e: Int32, fd: Int32, path: String, timedOut: Bool) -> ScanError {
        close(fd)
        guard e == EWOULDBLOCK else { return ScanError(.io, "lock \(path): \(systemMessage(e))") }
        if timedOut { return ScanError(.io, "\(path): another scan holds this state (lock busy)") }
        return ScanError(.incomplete, "\(path): cancelled while another scan held the lock")
    }

    private static func open(_ path: String) throws(ScanError) -> Int32 {
        let fd = GoModPlatform.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ScanError(.io, "open \(path): \(systemMessage(errno))") }
        return fd
    }

    /// One non-blocking try: `nil` when the lock is taken, else the `errno` (never `EINTR`).
    private static func tryLock(_ fd: Int32) -> Int32? {
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            if e != EINTR { return e }
        }
        return nil
    }

    deinit { close(fd) }
}
