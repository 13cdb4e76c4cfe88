import GoModCore
import GoModPlatform

// File-system primitives for module zips: descriptor-relative opens that never follow a
// symbolic link, directory listing, and recursive removal without following links.

extension ModuleZip {
    /// Streams at most `limit` bytes of `content` to `body` in chunks.
    static func stream(_ content: Content, limit: Int64,
                       _ body: (UnsafeRawBufferPointer) -> Void) throws(ModuleZipError) {
        switch content.storage {
        case .bytes(let data):
            data.withUnsafeBytes { raw in
                let n = Int(min(Int64(raw.count), max(0, limit)))
                if n > 0 { body(UnsafeRawBufferPointer(rebasing: raw[0..<n])) }
            }
        case .file(let path):
            let fd = path.withCString { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
            guard fd >= 0 else {
                throw ModuleZipError.system("open \(goQuote(path))", errno, path: ByteString(path))
            }
            defer { close(fd) }
            try readRegularFile(fd, name: path, limit: limit, body)
        case .tree(let root, let relative):
            let fd = try openBeneath(root: root, relative: relative, flags: O_RDONLY | O_NONBLOCK)
            defer { close(fd) }
            try readRegularFile(fd, name: relative, limit: limit, body)
        case .zipEntry(let archive, let entry):
            let reader: ZipEntryReader
            do {
                reader = try ZipEntryReader(bufferSize: 64 * 1024)
            } catch {
                throw ModuleZipError(.zip, message: error.description, path: entry.name, zipError: error)
            }
            var delivered: Int64 = 0
            do {
                try reader.read(entry, in: archive) { chunk in
                    let room = limit - delivered
                    guard room > 0 else { return }
                    let n = Int(min(Int64(chunk.count), room))
                    body(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
                    delivered += Int64(n)
                }
            } catch {
                throw ModuleZipError(.zip, message: error.description, path: entry.name, zipError: error)
            }
        case .none:
            throw ModuleZipError(.io, message: "file has no content to read")
        }
    }

    /// Reads an open descriptor that must be a regular file.
    private static func readRegularFile(_ fd: Int32, name: [UInt8], limit: Int64,
                                        _ body: (UnsafeRawBufferPointer) -> Void) throws(ModuleZipError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ModuleZipError.system("stat \(goQuote(name))", errno, path: ByteString(name))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ModuleZipError(.fileChanged, message: "\(goQuote(name)) is no longer a regular file", path: ByteString(name))
        }
        try readOpenFile(fd, limit: limit, body, name: name)
    }

    /// Reads at most `limit` bytes from an open descriptor in fixed chunks.
    static func readOpenFile(_ fd: Int32, limit: Int64, _ body: (UnsafeRawBufferPointer) -> Void,
                             name: [UInt8] = []) throws(ModuleZipError) {
        let size = 256 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while total < limit {
            let want = Int(min(Int64(size), limit - total))
            let n = read(fd, buffer.baseAddress, want)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ModuleZipError.system("read \(goQuote(name))", errno, path: ByteString(name))
            }
            if n == 0 { break }
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += Int64(n)
        }
    }

    /// Opens `relative` (slash-separated, no `..` elements expected) below the directory
    /// `root`, one element at a time with `O_NOFOLLOW`: a symbolic link anywhere on the way
    /// fails with `ELOOP` or `ENOTDIR` instead of being followed.
    static func openBeneath(root: [UInt8], relative: [UInt8], flags: Int32) throws(ModuleZipError) -> Int32 {
        var dirFD = root.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard dirFD >= 0 else {
            throw ModuleZipError.system("open \(goQuote(root))", errno, path: ByteString(root))
        }
        let elements = relative.split(separator: 0x2F, omittingEmptySubsequences: true).map(Array.init)
        for (index, element) in elements.enumerated() {
            let last = index == elements.count - 1
            let fd = element.withCString {
                openat(dirFD, $0, (last ? flags : O_RDONLY | O_DIRECTORY) | O_NOFOLLOW | O_CLOEXEC)
            }
            let err = errno
            close(dirFD)
            guard fd >= 0 else {
                throw ModuleZipError.system("open \(goQuote(relative))", err, path: ByteString(relative))
            }
            dirFD = fd
        }
        return dirFD
    }

    /// The names in the directory open on `fd` (the descriptor is consumed), without `.` and
    /// `..`, sorted bytewise (Go's `readDirNames` + `sort.Strings`).
    static func directoryNames(_ fd: Int32) throws(ModuleZipError) -> [[UInt8]] {
        do throws(SystemErrno) {
            return try readDirectoryNames(fd).sorted { $0.lexicographicallyPrecedes($1) }
        } catch {
            throw ModuleZipError(.io, message: systemMessage(error.code), systemError: error.code)
        }
    }

    /// Removes `name` below the directory `parentFD` and everything in it, never following a
    /// symbolic link (iterative; directories are made writable first so read-only trees go).
    static func removeTree(parentFD: Int32, name: [UInt8]) {
        var info = stat()
        guard name.withCString({ fstatat(parentFD, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            _ = name.withCString { unlinkat(parentFD, $0, 0) }
            return
        }
        _ = name.withCString { fchmodat(parentFD, $0, 0o700, 0) }
        // Stack of (descriptor of the directory, its name in its parent, parent descriptor).
        var stack: [(fd: Int32, names: [[UInt8]])] = []
        func openDirectory(_ parent: Int32, _ entry: [UInt8]) -> (Int32, [[UInt8]])? {
            let fd = entry.withCString { openat(parent, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            guard fd >= 0 else { return nil }
            let listFD = dup(fd)
            guard listFD >= 0, let names = try? directoryNames(listFD) else {
                close(fd)
                return nil
            }
            return (fd, names)
        }
        guard let top = openDirectory(parentFD, name) else { return }
        stack.append(top)
        var descended = Set<Int32>()
        while let current = stack.last {
            if descended.contains(current.fd) {
                // Children handled: remove them (now empty directories or already gone).
                for child in current.names {
                    _ = child.withCString { unlinkat(current.fd, $0, AT_REMOVEDIR) }
                }
                close(current.fd)
                descended.remove(current.fd)
                stack.removeLast()
                continue
            }
            descended.insert(current.fd)
            for child in current.names {
                var childInfo = stat()
                guard child.withCString({ fstatat(current.fd, $0, &childInfo, AT_SYMLINK_NOFOLLOW) }) == 0 else { continue }
                if childInfo.st_mode & S_IFMT == S_IFDIR {
                    _ = child.withCString { fchmodat(current.fd, $0, 0o700, 0) }
                    if let sub = openDirectory(current.fd, child) { stack.append(sub) }
                } else {
                    _ = child.withCString { unlinkat(current.fd, $0, 0) }
                }
            }
        }
        _ = name.withCString { unlinkat(parentFD, $0, AT_REMOVEDIR) }
    }
}
