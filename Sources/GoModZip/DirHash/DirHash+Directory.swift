public import GoModCore
import GoModPlatform
import Crypto

extension DirHash {
    /// The `h1:` hash of the files in a directory tree: x/mod's `dirhash.HashDir(dir, prefix, Hash1)`.
    ///
    /// Every regular file contributes the name `prefix/relative/path` (Go's `filepath.Join`,
    /// slash-separated; just the relative path when `prefix` is empty) and its contents. `go mod
    /// verify` uses the prefix `path@version` on an extracted module.
    ///
    /// Stricter than Go (see Docs/stricter-than-go.md): symbolic links are never followed and make
    /// the hash fail with `DirHashError.Code.symlinkInTree` (Go hashes a link's target); devices,
    /// FIFOs and sockets fail with `DirHashError.Code.irregularFile`. Names are taken from the
    /// file system as raw bytes. The walk is iterative and reads files in fixed-size chunks.
    public static func hashDir(_ directory: String, prefix: ByteString) throws(DirHashError) -> DirHash {
        let rootFD = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if rootFD < 0 {
            let err = errno
            if err == ENOTDIR || err == ELOOP {
                throw DirHashError(.notADirectory, name: ByteString(directory),
                                   message: "\(directory) is not a directory")
            }
            throw DirHashError(.io, name: ByteString(directory), message: systemMessage(err))
        }
        defer { close(rootFD) }

        var items: [(name: ByteString, fileDigest: [UInt8])] = []
        var pending: [[UInt8]] = [[]]  // relative directory paths still to list
        let bufferSize = 1 << 18
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }

        while let relDir = pending.popLast() {
            let dirFD = relDir.isEmpty
                ? dup(rootFD)
                : openRelative(rootFD, relDir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard dirFD >= 0 else {
                throw DirHashError(.io, name: ByteString(relDir), message: systemMessage(errno))
            }
            let names = try listDirectory(dirFD, relDir)  // consumes dirFD
            let listFD = relDir.isEmpty
                ? dup(rootFD)
                : openRelative(rootFD, relDir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard listFD >= 0 else {
                throw DirHashError(.io, name: ByteString(relDir), message: systemMessage(errno))
            }
            defer { close(listFD) }
            for name in names {
                let rel = relDir.isEmpty ? name : relDir + [0x2F] + name
                var info = stat()
                let statResult = name.withCString { fstatat(listFD, $0, &info, AT_SYMLINK_NOFOLLOW) }
                guard statResult == 0 else {
                    throw DirHashError(.io, name: ByteString(rel), message: systemMessage(errno))
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    pending.append(rel)
                case S_IFREG:
                    let fileFD = name.withCString { openat(listFD, $0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
                    guard fileFD >= 0 else {
                        throw DirHashError(.io, name: ByteString(rel), message: systemMessage(errno))
                    }
                    defer { close(fileFD) }
                    var hasher = SHA256()
                    while true {
                        let n = read(fileFD, buffer.baseAddress, bufferSize)
                        if n < 0 {
                            if errno == EINTR { continue }
                            throw DirHashError(.io, name: ByteString(rel), message: systemMessage(errno))
                        }
                        if n == 0 { break }
                        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
                    }
                    let hashedName = prefix.isEmpty
                        ? ByteString(rel)
                        : ByteString(goPathClean(prefix.bytes + [0x2F] + rel))
                    items.append((hashedName, Array(hasher.finalize())))
                case S_IFLNK:
                    throw DirHashError(.symlinkInTree, name: ByteString(rel),
                                       message: "symbolic link in tree; GoModKit never follows links")
                default:
                    throw DirHashError(.irregularFile, name: ByteString(rel),
                                       message: "not a regular file or directory")
                }
            }
        }
        return try hash1(summarising: items)
    }
}

/// `openat` relative to `base` with a byte path.
private func openRelative(_ base: Int32, _ path: [UInt8], _ flags: Int32) -> Int32 {
    path.withCString { openat(base, $0, flags) }
}

/// The entry names of the directory open on `fd` (closed on return), without `.` and `..`.
private func listDirectory(_ fd: Int32, _ relDir: [UInt8]) throws(DirHashError) -> [[UInt8]] {
    do throws(SystemErrno) {
        return try readDirectoryNames(fd)
    } catch {
        throw DirHashError(.io, name: ByteString(relDir), message: systemMessage(error.code))
    }
}


extension Array where Element == UInt8 {
    /// Calls `body` with a NUL-terminated copy of the bytes.
    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        var copy = self.map { CChar(bitPattern: $0) }
        copy.append(0)
        return try copy.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}
