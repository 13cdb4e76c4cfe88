public import GoModCore
public import GoModZip
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization

/// Runs `git` with Foundation's `Process`: standard output and standard error are drained
/// concurrently on two dedicated threads (no pipe deadlock however much either produces), standard output
/// is bounded (the process is killed past the limit) and goes to memory or to a file, standard
/// error is kept up to 64 KiB for messages. The environment is the caller's minus the variables
/// that would redirect git to another repository, plus `GIT_TERMINAL_PROMPT=0` and `LC_ALL=C`
/// (English messages).
package struct GitCommand {
    /// The git executable: a path, or a name looked up in `PATH`.
    var executable: String

    /// A runner for `executable` (a path, or a name looked up in `PATH`).
    package init(executable: String) { self.executable = executable }

    package struct Result {
        package var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// Standard output passed the limit; the process was killed.
        var exceeded: Bool
        /// `errno` of a failed write of standard output to its file (0: none).
        var writeError: Int32
        package var stderrText: String { String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Runs `git args…` in `directory`. Output goes to `stdoutFile` when given (a descriptor
    /// open for writing), otherwise to memory; at most `limit` bytes are accepted.
    package func run(_ arguments: [String], in directory: String? = nil, limit: Int = 64 << 20,
             stdoutFile: Int32? = nil) throws(ModuleZipError) -> Result {
        let path = try resolvedExecutable()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        for key in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX",
                    "GIT_QUARANTINE_PATH", "GIT_REPLACE_REF_BASE", "GIT_NO_REPLACE_OBJECTS"] {
            environment.removeValue(forKey: key)
        }
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        environment["GIT_NO_REPLACE_OBJECTS"] = "1"
        process.environment = environment
        // Own pipes (close-on-exec; the child gets them as fds 1 and 2): the reader can close
        // its end to stop a writer that will not stop, which Foundation's `Pipe` cannot.
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard Self.makePipe(&outPipe) else {
            throw ModuleZipError(.git, message: "pipe: \(systemMessage(errno))")
        }
        guard Self.makePipe(&errPipe) else {
            close(outPipe[0]); close(outPipe[1])
            throw ModuleZipError(.git, message: "pipe: \(systemMessage(errno))")
        }
        let outWriter = FileHandle(fileDescriptor: outPipe[1], closeOnDealloc: false)
        let errWriter = FileHandle(fileDescriptor: errPipe[1], closeOnDealloc: false)
        process.standardOutput = outWriter
        process.standardError = errWriter
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            for fd in outPipe + errPipe { close(fd) }
            throw ModuleZipError(.git, message: "running git: \(error.localizedDescription)")
        }
        close(outPipe[1])
        close(errPipe[1])
        let pid = process.processIdentifier
        let collected = Collected()
        // Two dedicated threads (not the shared dispatch pool, which callers may have saturated:
        // a reader that never gets to run would leave git blocked on a full pipe).
        let done = DispatchSemaphore(value: 0)
        let outFD = outPipe[0], errFD = errPipe[0]
        let outThread = Thread {
            Self.drain(outFD, limit: limit, toFile: stdoutFile, pid: pid, into: collected, isStdout: true)
            done.signal()
        }
        let errThread = Thread {
            Self.drain(errFD, limit: 64 << 10, toFile: nil, pid: nil, into: collected, isStdout: false)
            done.signal()
        }
        outThread.start()
        errThread.start()
        process.waitUntilExit()
        // Once git has exited, what it wrote is in the pipes; a copy of a write end that leaked
        // into some unrelated long-lived process must not keep the readers waiting for EOF.
        collected.exited.store(true, ordering: .releasing)
        done.wait()
        done.wait()
        return collected.state.withLock { state in
            Result(status: process.terminationStatus, stdout: state.stdout, stderr: state.stderr,
                   exceeded: state.exceeded, writeError: state.writeError)
        }
    }

    /// A pipe with both ends close-on-exec, atomically where the system has `pipe2` (so a
    /// process another thread spawns at the same moment cannot inherit an end).
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        #if os(Linux)
        return fds.withUnsafeMutableBufferPointer { systemPipe2($0.baseAddress!, O_CLOEXEC) } == 0
        #else
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
        #endif
    }

    /// What the reader threads collected.
    private final class Collected: Sendable {
        /// Set when the process has exited.
        let exited = Atomic<Bool>(false)
        struct State {
            var stdout: [UInt8] = []
            var stderr: [UInt8] = []
            var exceeded = false
            var writeError: Int32 = 0
        }
        let state = Mutex(State())
    }

    /// Reads `fd` to its end and closes it. Standard output past `limit` (or a failed write of
    /// it) kills the process and closes the pipe, so that any remaining writer gets `EPIPE`;
    /// standard error past its limit is read and dropped.
    private static func drain(_ fd: Int32, limit: Int, toFile: Int32?, pid: Int32?, into collected: Collected,
                              isStdout: Bool) {
        defer { close(fd) }
        let size = 1 << 16
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        func stop() {
            if let pid { kill(pid, SIGKILL) }
        }
        var idleSinceExit = 0
        while true {
            // Poll in short slices: after the process exits, an idle pipe for a second means
            // every byte it wrote has been read (the rest would come from leaked descriptors).
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if ready == 0 {
                if collected.exited.load(ordering: .acquiring) {
                    idleSinceExit += 1
                    if idleSinceExit >= 10 { return }
                }
                continue
            }
            idleSinceExit = 0
            let n = read(fd, buffer.baseAddress, size)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            if n == 0 { return }
            let room = max(0, limit - total)
            total += n
            if total > limit {
                if isStdout {
                    collected.state.withLock { $0.exceeded = true }
                    stop()
                    return
                }
                // Standard error: keep what fits, then keep draining so the child never
                // blocks on it.
                if room > 0 {
                    let kept = UnsafeRawBufferPointer(rebasing: buffer[0..<room])
                    collected.state.withLock { $0.stderr.append(contentsOf: kept) }
                }
                continue
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            if let toFile {
                do throws(SystemErrno) { try writeFully(toFile, chunk) } catch {
                    collected.state.withLock { $0.writeError = error.code }
                    stop()
                    return
                }
            } else {
                collected.state.withLock { state in
                    if isStdout { state.stdout.append(contentsOf: chunk) } else { state.stderr.append(contentsOf: chunk) }
                }
            }
        }
    }

    /// The executable's path: as given when it contains a slash, else the first match in `PATH`.
    private func resolvedExecutable() throws(ModuleZipError) -> String {
        if executable.contains("/") { return executable }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = dir.isEmpty ? executable : "\(dir)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
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
