package import GoModCore
package import GoModZip
import GoModPlatform

/// Runs `git` with `posix_spawn`: standard output and standard error are drained concurrently
/// with `poll` on the calling thread (no pipe deadlock however much either produces), standard
/// output is bounded (the process is killed past the limit) and goes to memory or to a file,
/// standard error is kept up to 64 KiB for messages. The child gets `/dev/null` as standard input,
/// no other inherited descriptor, an empty signal mask and default signal dispositions. The
/// environment is the caller's minus the variables that would redirect git to another
/// repository, plus `GIT_TERMINAL_PROMPT=0` and `LC_ALL=C` (English messages).
package struct GitCommand {
    /// The git executable: a path, or a name looked up in `PATH`.
    var executable: String

    /// A runner for `executable` (a path, or a name looked up in `PATH`).
    package init(executable: String) { self.executable = executable }

    package struct Result {
        package var status: Int32
        package var stdout: [UInt8]
        var stderr: [UInt8]
        /// Standard output passed the limit; the process was killed.
        package var exceeded: Bool
        /// `errno` of a failed write of standard output to its file (0: none).
        var writeError: Int32
        /// The cancel flag was raised: the process was killed (or never started).
        package var cancelled: Bool = false
        package var stderrText: String { String(decoding: stderr, as: UTF8.self).trimmingSpace() }
    }

    /// Variables removed from the child's environment: each would point git at another repository
    /// or object store than the one named on its command line.
    private static let removedVariables: Set<String> = [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX",
        "GIT_QUARANTINE_PATH", "GIT_REPLACE_REF_BASE", "GIT_NO_REPLACE_OBJECTS",
    ]
    /// Variables set in the child's environment (replacing the caller's).
    private static let setVariables: [(String, String)] = [
        ("GIT_TERMINAL_PROMPT", "0"), ("LC_ALL", "C"), ("GIT_NO_REPLACE_OBJECTS", "1"),
    ]

    /// Runs `git args…` in `directory`. Output goes to `stdoutFile` when given (a descriptor
    /// open for writing), otherwise to memory; at most `limit` bytes are accepted.
    /// With `cancel`, a raised flag kills the process within one poll slice (100 ms); a flag
    /// raised before the start means no process is started (the result is `cancelled`).
    package func run(_ arguments: [String], in directory: String? = nil, limit: Int = 64 << 20,
             stdoutFile: Int32? = nil, cancel: CancelFlag? = nil) throws(ModuleZipError) -> Result {
        if cancel?.isRaised == true { return Result(status: -1, stdout: [], stderr: [], exceeded: false, writeError: 0, cancelled: true) }
        let path = try resolvedExecutable()
        // Own pipes (close-on-exec; the child gets them as fds 1 and 2): the reader can close
        // its end to stop a writer that will not stop.
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard Self.makePipe(&outPipe) else {
            throw ModuleZipError(.git, message: "pipe: \(systemMessage(errno))")
        }
        guard Self.makePipe(&errPipe) else {
            close(outPipe[0]); close(outPipe[1])
            throw ModuleZipError(.git, message: "pipe: \(systemMessage(errno))")
        }
        let spawned = Self.spawn(path: path, arguments: arguments, directory: directory,
                                 stdout: outPipe[1], stderr: errPipe[1], ownGroup: cancel != nil)
        close(outPipe[1])
        close(errPipe[1])
        let pid: pid_t
        switch spawned {
        case .success(let child): pid = child
        case .failure(let failure):
            close(outPipe[0]); close(errPipe[0])
            throw ModuleZipError(.git, message: "running git: \(path): \(systemMessage(failure.code))")
        }
        var collected = Collected()
        let status = Self.drain(pid: pid, stdout: outPipe[0], stderr: errPipe[0], limit: limit,
                                toFile: stdoutFile, cancel: cancel, into: &collected)
        return Result(status: status, stdout: collected.stdout, stderr: collected.stderr,
                      exceeded: collected.exceeded, writeError: collected.writeError, cancelled: collected.cancelled)
    }

    /// ``run(_:in:limit:stdoutFile:cancel:)`` off the cooperative thread pool (``OffPool``):
    /// the wait for the process does not hold one of the pool's threads, and cancelling the
    /// awaiting task kills the process.
    package func runOffPool(_ arguments: [String], in directory: String? = nil, limit: Int = 64 << 20) async throws(ModuleZipError) -> Result {
        let executable = self.executable
        let outcome: Swift.Result<Result, ModuleZipError> = await OffPool.run(cancellable: { flag in
            do throws(ModuleZipError) {
                return .success(try GitCommand(executable: executable).run(arguments, in: directory, limit: limit, cancel: flag))
            } catch {
                return .failure(error)
            }
        })
        return try outcome.get()
    }

    /// What the drain loop collected.
    private struct Collected {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var exceeded = false
        var writeError: Int32 = 0
        var cancelled = false
    }

    /// Starts `path` with `arguments`, in `directory`, with the sanitised environment; standard
    /// input `/dev/null`, standard output and error the given descriptors. The child's pid, or
    /// the `errno` of the failure.
    private static func spawn(path: String, arguments: [String], directory: String?, stdout: Int32,
                              stderr: Int32, ownGroup: Bool = false) -> Swift.Result<pid_t, SystemErrno> {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        var rc = posix_spawn_file_actions_init(&actions)
        guard rc == 0 else { return .failure(SystemErrno(code: rc)) }
        defer { posix_spawn_file_actions_destroy(&actions) }
        rc = posix_spawnattr_init(&attributes)
        guard rc == 0 else { return .failure(SystemErrno(code: rc)) }
        defer { posix_spawnattr_destroy(&attributes) }
        rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if rc == 0 { rc = posix_spawn_file_actions_adddup2(&actions, stdout, 1) }
        if rc == 0 { rc = posix_spawn_file_actions_adddup2(&actions, stderr, 2) }
        #if os(Linux)
        if rc == 0 { rc = systemAddCloseFrom(&actions, 3) }
        if rc == 0, let directory { rc = systemAddChdir(&actions, directory) }
        #else
        if rc == 0, let directory { rc = posix_spawn_file_actions_addchdir_np(&actions, directory) }
        #endif
        guard rc == 0 else { return .failure(SystemErrno(code: rc)) }
        var signals = sigset_t()
        sigemptyset(&signals)
        rc = posix_spawnattr_setsigmask(&attributes, &signals)
        sigfillset(&signals)
        if rc == 0 { rc = posix_spawnattr_setsigdefault(&attributes, &signals) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        if ownGroup {
            // A process group of its own (pgid = pid), so that a cancellation kills git's
            // helpers (git-remote-http, index-pack) with it.
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            if rc == 0 { rc = posix_spawnattr_setpgroup(&attributes, 0) }
        }
        #if canImport(Darwin)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        if rc == 0 { rc = posix_spawnattr_setflags(&attributes, Int16(flags)) }
        guard rc == 0 else { return .failure(SystemErrno(code: rc)) }

        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        var envp: [UnsafeMutablePointer<CChar>?] = environment().map { strdup($0) }
        envp.append(nil)
        defer { for p in argv + envp { free(p) } }
        guard !argv.dropLast().contains(nil), !envp.dropLast().contains(nil) else { return .failure(SystemErrno(code: ENOMEM)) }
        var pid: pid_t = 0
        rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        return rc == 0 ? .success(pid) : .failure(SystemErrno(code: rc))
    }

    /// The caller's environment (`NAME=value` entries, the first of any repeated name) without
    /// ``removedVariables`` and ``setVariables``, then ``setVariables``.
    private static func environment() -> [String] {
        var entries: [String] = []
        var seen = Set<String>()
        #if canImport(Darwin)
        let table = _NSGetEnviron()?.pointee
        #else
        let table = environ as UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        #endif
        if var cursor = table {
            while let entry = cursor.pointee {
                let text = String(cString: entry)
                cursor += 1
                let name = String(text.prefix { $0 != "=" })
                guard !removedVariables.contains(name), !setVariables.contains(where: { $0.0 == name }),
                      seen.insert(name).inserted else { continue }
                entries.append(text)
            }
        }
        for (name, value) in setVariables { entries.append("\(name)=\(value)") }
        // cmd/go's defaults for git children when the caller has not set them
        // (go1.19:cmd/go/internal/modload/init.go): no credential-manager dialog, and ssh in
        // batch mode without connection sharing.
        if !seen.contains("GCM_INTERACTIVE") { entries.append("GCM_INTERACTIVE=never") }
        if !seen.contains("GIT_SSH"), !seen.contains("GIT_SSH_COMMAND") {
            entries.append("GIT_SSH_COMMAND=ssh -o ControlMaster=no -o BatchMode=yes")
        }
        return entries
    }

    /// A pipe with both ends close-on-exec, atomically where the system has `pipe2` (so a
    /// process another thread spawns at the same moment cannot inherit an end).
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        #if os(Linux)
        return fds.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count >= 2 else { return -1 }
            return systemPipe2(base, O_CLOEXEC)
        } == 0
        #else
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
        #endif
    }

    /// Reads both pipes to their ends (closing them) and reaps the child; its exit status, or the
    /// number of the signal that ended it. Standard output past `limit` (or a failed write of it)
    /// kills the process and closes the pipe, so that any remaining writer gets `EPIPE`; standard
    /// error past 64 KiB is read and dropped.
    private static func drain(pid: pid_t, stdout: Int32, stderr: Int32, limit: Int, toFile: Int32?,
                              cancel: CancelFlag? = nil, into collected: inout Collected) -> Int32 {
        var fds: [Int32] = [stdout, stderr]  // -1 once closed
        let limits = [limit, 64 << 10]
        var totals = [0, 0]
        var status: Int32? = nil
        let size = 1 << 16
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer {
            buffer.deallocate()
            for fd in fds where fd >= 0 { close(fd) }
        }
        func closeStream(_ i: Int) { close(fds[i]); fds[i] = -1 }
        func stop() { if status == nil { kill(pid, SIGKILL) } }
        var idleSinceExit = 0
        while fds.contains(where: { $0 >= 0 }) {
            // Poll in short slices: after the process exits, idle pipes for a second mean every
            // byte it wrote has been read (the rest would come from leaked descriptors).
            var pfds = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&pfds, nfds_t(pfds.count), 100)
            if ready < 0 && errno != EINTR { break }
            if status == nil { status = reap(pid, block: false) }
            if status == nil, let cancel, cancel.isRaised {
                // Killed, then drained as for any exit: the pipes close once the process (and
                // its helpers, which hold them too) are gone, or after the idle second.
                collected.cancelled = true
                kill(-pid, SIGKILL)  // its own group (spawned with `ownGroup`)
                stop()
            }
            if ready <= 0 {
                if status != nil {
                    idleSinceExit += 1
                    if idleSinceExit >= 10 { break }
                }
                continue
            }
            idleSinceExit = 0
            for i in 0..<2 where fds[i] >= 0 && pfds[i].revents != 0 {
                let n = read(fds[i], buffer.baseAddress, size)
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    closeStream(i)
                    continue
                }
                if n == 0 { closeStream(i); continue }
                let room = max(0, limits[i] - totals[i])
                totals[i] += n
                if totals[i] > limits[i] {
                    if i == 0 {
                        collected.exceeded = true
                        stop()
                        closeStream(i)
                        continue
                    }
                    // Standard error: keep what fits, then keep draining so the child never
                    // blocks on it.
                    if room > 0 { collected.stderr.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<room])) }
                    continue
                }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                if i == 0, let toFile {
                    do throws(SystemErrno) { try writeFully(toFile, chunk) } catch {
                        collected.writeError = error.code
                        stop()
                        closeStream(i)
                    }
                } else if i == 0 {
                    collected.stdout.append(contentsOf: chunk)
                } else {
                    collected.stderr.append(contentsOf: chunk)
                }
            }
        }
        return status ?? reap(pid, block: true) ?? -1
    }

    /// `waitpid` for `pid`: its exit status, or the number of the signal that ended it; `nil`
    /// while it runs (`block` false) or when it cannot be waited for.
    private static func reap(_ pid: pid_t, block: Bool) -> Int32? {
        var raw: Int32 = 0
        while true {
            let r = waitpid(pid, &raw, block ? 0 : WNOHANG)
            if r == pid { break }
            if r < 0 && errno == EINTR { continue }
            return nil
        }
        let low = raw & 0x7f
        if low == 0 { return (raw >> 8) & 0xff }  // exited
        return low  // killed by a signal (stopped children are not reported: no WUNTRACED)
    }

    /// The executable's path: as given when it contains a slash, else the first match in `PATH`
    /// (an empty element is the current directory) that is an executable regular file.
    private func resolvedExecutable() throws(ModuleZipError) -> String {
        if executable.contains("/") { return executable }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = dir.isEmpty ? executable : "\(dir)/\(executable)"
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        throw ModuleZipError(.git, message: "\(executable): executable file not found in $PATH")
    }
}

#if os(Linux)
/// glibc's and musl's `pipe2(2)`, which Swift's Glibc module does not expose (it is declared
/// only under `_GNU_SOURCE`).
@_silgen_name("pipe2")
private func systemPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
#endif

#if os(Linux)
/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29), not exposed by Swift's Glibc module.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func systemAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>,
                            _ path: UnsafePointer<CChar>) -> Int32

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34), not exposed by Swift's Glibc module.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func systemAddCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>,
                                _ from: Int32) -> Int32
#endif
