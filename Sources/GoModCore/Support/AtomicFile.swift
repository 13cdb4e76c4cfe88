import GoModPlatform
import Synchronization

/// Crash-safe replacement of a file: the new contents go to a temporary file created in the same
/// directory, are written in full and `fsync`ed, and the temporary file is then renamed over the
/// final name, after which the directory itself is `fsync`ed so the rename survives a power
/// loss. A reader, or a process that starts after a crash at any point, sees either the old file
/// or the complete new one, never a torn or empty file.
///
/// This is cmd/go's `renameio.WriteFile` (`src/cmd/go/internal/renameio/renameio.go`: a temporary
/// `<name><random>.tmp` in the same directory, then `os.Rename`), plus the two `fsync` calls Go
/// leaves out.
///
/// Symbolic links are not followed at the final name: the temporary file is created with
/// `O_CREAT|O_EXCL|O_NOFOLLOW`, and `rename(2)` replaces a symbolic link planted at the final name
/// instead of writing through it. Directories above the final name are resolved as usual,
/// unless a root is given (`below:`): then every directory below that root is opened without
/// following a symbolic link (``ConfinedDirectory``), so a link planted at a directory inside a
/// cache cannot redirect the write.
///
/// Any failure removes the temporary file and leaves the final name as it was.
package enum AtomicFile {
    /// The most attempts at a fresh temporary name, as cmd/go's `renameio.tempFile`.
    package static let maxTemporaryAttempts = 10_000

    /// Replaces the file at `path` with `bytes`, crash-safely.
    ///
    /// - Parameters:
    ///   - bytes: the complete new contents.
    ///   - path: the final name; its directory must exist.
    ///   - permissions: the mode the file is created with, before the process's umask (cmd/go
    ///     uses `0666` for the module cache and the checksum-database cache).
    /// - Throws: ``AtomicFileError`` naming the operation, the path and the `errno`.
    ///   - root: when given, no directory between `root` and the final name may be a symbolic
    ///     link (``ConfinedDirectory/open(_:below:create:)``).
    package static func write(_ bytes: [UInt8], to path: String, permissions: UInt32 = 0o666,
                              below root: String? = nil) throws(AtomicFileError) {
        let pending = try begin(finalPath: path, permissions: permissions, below: root)
        try pending.write(bytes)
        try pending.commit()
    }

    /// Starts a crash-safe replacement of the file at `finalPath`: the caller streams the new
    /// contents with ``Pending/write(_:)-(UnsafeRawBufferPointer)`` and ends with
    /// ``Pending/commit()`` (which publishes them) or ``Pending/abort()`` (which removes the
    /// temporary file). A `Pending` released without either is aborted.
    ///
    /// - Parameters:
    ///   - finalPath: the final name; its directory must exist.
    ///   - permissions: the mode the file is created with, before the process's umask.
    ///   - root: when given, no directory between `root` and the final name may be a symbolic
    ///     link (``ConfinedDirectory/open(_:below:create:)``).
    package static func begin(finalPath: String, permissions: UInt32 = 0o666,
                              below root: String? = nil) throws(AtomicFileError) -> Pending {
        let directory = deletingLastPathComponent(finalPath)
        let base = lastPathComponent(finalPath)
        guard !base.isEmpty, base != "/", base != ".", base != ".." else {
            throw AtomicFileError(operation: .open, path: finalPath, code: EISDIR)
        }
        let directoryPath = directory.isEmpty ? "." : directory
        let dirFD: Int32
        if let root {
            dirFD = try ConfinedDirectory.open(directoryPath, below: root, create: false)
        } else {
            dirFD = open(directoryPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard dirFD >= 0 else {
                throw AtomicFileError(operation: .openDirectory, path: directoryPath, code: errno)
            }
        }
        var attempts = 0
        while true {
            let temporaryName = base + String(UInt32.random(in: 0..<1_000_000_000)) + ".tmp"
            let fd = openat(dirFD, temporaryName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(truncatingIfNeeded: permissions & 0o7777))
            if fd >= 0 {
                let temporaryPath = directory.isEmpty ? temporaryName
                    : (directory.hasSuffix("/") ? directory : directory + "/") + temporaryName
                return Pending(
                    finalPath: finalPath, finalName: base, temporaryPath: temporaryPath,
                    temporaryName: temporaryName, fd: fd, directoryFD: dirFD
                )
            }
            let code = errno
            if code == EINTR { continue }
            attempts += 1
            if code != EEXIST || attempts >= maxTemporaryAttempts {
                close(dirFD)
                let shown = (directory.isEmpty ? "" : (directory.hasSuffix("/") ? directory : directory + "/"))
                    + temporaryName
                throw AtomicFileError(operation: .createTemporary, path: shown, code: code)
            }
        }
    }

    /// A replacement in progress: a temporary file open for writing next to the final name.
    ///
    /// Safe to share between tasks (writes are serialised). After a failed `write` or `commit`,
    /// the temporary file has already been removed and every later call throws the same error.
    package final class Pending: Sendable {
        /// The name the contents are published under by ``commit()``.
        package let finalPath: String
        /// The temporary file's path (removed by ``abort()``, renamed by ``commit()``).
        package let temporaryPath: String

        private let finalName: String
        private let temporaryName: String

        private struct State: Sendable {
            var fd: Int32
            var directoryFD: Int32
            var written: Int64 = 0
            /// `nil` while open; then how it ended.
            var outcome: Outcome?
        }

        private enum Outcome: Sendable {
            case committed
            case aborted
            case failed(AtomicFileError)
        }

        private let state: Mutex<State>

        fileprivate init(
            finalPath: String, finalName: String, temporaryPath: String, temporaryName: String,
            fd: Int32, directoryFD: Int32
        ) {
            self.finalPath = finalPath
            self.finalName = finalName
            self.temporaryPath = temporaryPath
            self.temporaryName = temporaryName
            self.state = Mutex(State(fd: fd, directoryFD: directoryFD))
        }

        deinit { abort() }

        /// Bytes written so far.
        package var bytesWritten: Int64 { state.withLock { $0.written } }

        /// Appends `bytes` to the temporary file (short writes continued, `EINTR` retried).
        /// On failure (`ENOSPC`, `EFBIG`, `EIO`, …) the temporary file is removed and the error
        /// thrown; the final name is untouched.
        package func write(_ bytes: UnsafeRawBufferPointer) throws(AtomicFileError) {
            try state.withLock { (state: inout State) throws(AtomicFileError) in
                try checkOpen(state)
                do throws(SystemErrno) {
                    try writeFully(state.fd, bytes)
                } catch {
                    throw fail(&state, AtomicFileError(operation: .write, path: temporaryPath, code: error.code))
                }
                let (sum, overflow) = state.written.addingReportingOverflow(Int64(bytes.count))
                if overflow {
                    throw fail(&state, AtomicFileError(operation: .write, path: temporaryPath, code: EFBIG))
                }
                state.written = sum
            }
        }

        /// Appends `bytes` to the temporary file; see ``write(_:)-(UnsafeRawBufferPointer)``.
        package func write(_ bytes: some Collection<UInt8>) throws(AtomicFileError) {
            func attempt(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<Void, AtomicFileError> {
                do throws(AtomicFileError) {
                    try write(UnsafeRawBufferPointer(buffer))
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            let result = bytes.withContiguousStorageIfAvailable(attempt)
                ?? Array(bytes).withUnsafeBufferPointer(attempt)
            try result.get()
        }

        /// Publishes the contents: `fsync` the temporary file, close it, `rename` it over the
        /// final name (replacing a symbolic link there rather than following it), then `fsync`
        /// the directory. On failure before the rename, the temporary file is removed and the
        /// final name is untouched; a failure of the directory `fsync` (after the rename) is
        /// reported, with the new contents already in place.
        package func commit() throws(AtomicFileError) {
            try state.withLock { (state: inout State) throws(AtomicFileError) in
                try checkOpen(state)
                if !retryingEINTR({ fsync(state.fd) }) {
                    throw fail(&state, AtomicFileError(operation: .sync, path: temporaryPath, code: errno))
                }
                let fd = state.fd
                state.fd = -1
                if close(fd) != 0 && errno != EINTR {
                    throw fail(&state, AtomicFileError(operation: .close, path: temporaryPath, code: errno))
                }
                if renameat(state.directoryFD, temporaryName, state.directoryFD, finalName) != 0 {
                    throw fail(&state, AtomicFileError(operation: .rename, path: finalPath, code: errno))
                }
                state.outcome = .committed
                let syncFailed = !retryingEINTR({ fsync(state.directoryFD) })
                let code = errno
                close(state.directoryFD)
                state.directoryFD = -1
                // Some file systems refuse fsync on a directory (EINVAL); the rename stands.
                if syncFailed && code != EINVAL && code != EROFS {
                    throw AtomicFileError(
                        operation: .syncDirectory, path: deletingLastPathComponent(finalPath), code: code)
                }
            }
        }

        /// Ends the replacement without publishing it: `fsync`s and closes the temporary file
        /// and returns its path, leaving it for the caller to check and then rename or remove.
        /// On failure the temporary file is removed.
        package func detach() throws(AtomicFileError) -> String {
            try state.withLock { (state: inout State) throws(AtomicFileError) in
                try checkOpen(state)
                if !retryingEINTR({ fsync(state.fd) }) {
                    throw fail(&state, AtomicFileError(operation: .sync, path: temporaryPath, code: errno))
                }
                close(state.fd)
                state.fd = -1
                close(state.directoryFD)
                state.directoryFD = -1
                state.outcome = .committed
            }
            return temporaryPath
        }

        /// Abandons the replacement: closes and removes the temporary file. Idempotent; does
        /// nothing after ``commit()`` succeeded.
        package func abort() {
            state.withLock { state in
                guard case .none = state.outcome else { return }
                cleanUp(&state)
                state.outcome = .aborted
            }
        }

        private func checkOpen(_ state: State) throws(AtomicFileError) {
            switch state.outcome {
            case nil: return
            case .failed(let error): throw error
            case .committed, .aborted:
                throw AtomicFileError(operation: .write, path: temporaryPath, code: EBADF)
            }
        }

        /// Closes and unlinks the temporary file (by name, relative to the directory descriptor:
        /// `unlinkat` never follows a symbolic link) and closes the directory.
        private func cleanUp(_ state: inout State) {
            if state.fd >= 0 { close(state.fd); state.fd = -1 }
            if state.directoryFD >= 0 {
                unlinkat(state.directoryFD, temporaryName, 0)
                close(state.directoryFD)
                state.directoryFD = -1
            }
        }

        private func fail(_ state: inout State, _ error: AtomicFileError) -> AtomicFileError {
            cleanUp(&state)
            state.outcome = .failed(error)
            return error
        }
    }
}

private func retryingEINTR(_ call: () -> Int32) -> Bool {
    while true {
        if call() == 0 { return true }
        if errno != EINTR { return false }
    }
}

/// A failed crash-safe write: the operation, the path it was applied to, and the `errno`.
///
/// The description reads as Go's `*fs.PathError` does: `"write /cache/x.zip1234.tmp: file too
/// large"`.
package struct AtomicFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step that failed.
    package struct Operation: Hashable, Sendable, CustomStringConvertible {
        package let rawValue: String
        package init(_ rawValue: String) { self.rawValue = rawValue }
        package var description: String { rawValue }

        /// Opening the directory that holds the file.
        package static let openDirectory = Operation("open directory")
        /// Creating a directory.
        package static let makeDirectory = Operation("mkdir")
        /// Opening a file (or a name that cannot be a file).
        package static let open = Operation("open")
        /// Creating the temporary file.
        package static let createTemporary = Operation("create")
        /// Writing the temporary file.
        package static let write = Operation("write")
        /// `fsync` of the temporary file.
        package static let sync = Operation("sync")
        /// Closing the temporary file.
        package static let close = Operation("close")
        /// Renaming the temporary file over the final name.
        package static let rename = Operation("rename")
        /// `fsync` of the directory after the rename.
        package static let syncDirectory = Operation("sync directory")
    }

    /// The step that failed.
    package let operation: Operation
    /// The path the step was applied to.
    package let path: String
    /// The `errno` value.
    package let code: Int32

    /// The rule the path broke, when the failure is a refusal rather than the system's
    /// (a symbolic link below a cache root, ``ConfinedDirectory``).
    package let rule: String?

    package init(operation: Operation, path: String, code: Int32, rule: String? = nil) {
        self.operation = operation
        self.path = path
        self.code = code
        self.rule = rule
    }

    package var description: String {
        "\(operation) \(path): \(systemMessage(code))" + (rule.map { " (\($0))" } ?? "")
    }
}
