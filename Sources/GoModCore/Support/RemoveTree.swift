import GoModPlatform

/// Removes `path` and, if it is a directory, everything below it, as cmd/go's
/// `modfetch.RemoveAll` does for a read-only module tree (make directories writable, then
/// `os.RemoveAll`), but without ever following a symbolic link:
///
/// - a symbolic link at `path` or anywhere in the tree is removed as a link (`unlinkat`), its
///   target untouched;
/// - each directory is opened with `O_DIRECTORY|O_NOFOLLOW` relative to its parent's
///   descriptor and made writable with `fchmod` on that descriptor, so a link swapped in
///   between a check and the `chmod` cannot redirect it outside the tree;
/// - the walk keeps its own stack (one open descriptor a level), so a deep tree costs no
///   call-stack frames.
///
/// With `root`, no directory between `root` and `path` may be a symbolic link
/// (``ConfinedDirectory``). A missing `path` is success. On failure the walk goes on removing what it can and throws the
/// first error (the path it concerns and its `errno`).
package func removeTreeNoFollow(_ path: String, below root: String? = nil) throws(RemoveTreeError) {
    let parent = deletingLastPathComponent(path)
    let parentFD: Int32
    if let root {
        // Every directory between the root and `path` is opened without following a link
        // (``ConfinedDirectory``): a link planted at one refuses the removal, a missing one means
        // there is nothing to remove.
        do throws(AtomicFileError) {
            parentFD = try ConfinedDirectory.open(parent.isEmpty ? "." : parent, below: root, create: false)
        } catch {
            if error.code == ENOENT { return }
            throw RemoveTreeError(path: error.path, code: error.code, rule: error.rule)
        }
    } else {
        parentFD = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parentFD >= 0 else {
            if errno == ENOENT { return }
            throw RemoveTreeError(path: parent.isEmpty ? "." : parent, code: errno)
        }
    }
    defer { close(parentFD) }
    var info = stat()
    let leaf = Array(lastPathComponent(path).utf8)
    if withCName(leaf, { fstatat(parentFD, $0, &info, AT_SYMLINK_NOFOLLOW) }) != 0 {
        if errno == ENOENT { return }
        throw RemoveTreeError(path: path, code: errno)
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
        if withCName(leaf, { unlinkat(parentFD, $0, 0) }) != 0 && errno != ENOENT {
            throw RemoveTreeError(path: path, code: errno)
        }
        return
    }

    var firstError: RemoveTreeError?
    func note(_ where: String, _ code: Int32) {
        if firstError == nil { firstError = RemoveTreeError(path: `where`, code: code) }
    }

    struct Frame {
        var fd: Int32
        var path: String
        var name: [UInt8]
        var remaining: [[UInt8]]
    }

    /// Opens the directory `name` below `dirFD` without following a link, makes it writable
    /// and lists it; `nil` (after `note`) when that fails.
    func openFrame(_ dirFD: Int32, _ name: [UInt8], _ shown: String) -> Frame? {
        let fd = withCName(name) { openat(dirFD, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else {
            note(shown, errno)
            return nil
        }
        var st = stat()
        if fstat(fd, &st) == 0 && st.st_mode & 0o700 != 0o700 {
            _ = fchmod(fd, (st.st_mode & 0o7777) | 0o700)
        }
        let listFD = dup(fd)
        guard listFD >= 0 else {
            note(shown, errno)
            close(fd)
            return nil
        }
        do throws(SystemErrno) {
            let names = try readDirectoryNames(listFD)
            return Frame(fd: fd, path: shown, name: name, remaining: names)
        } catch {
            note(shown, error.code)
            close(fd)
            return nil
        }
    }

    let rootName = Array(lastPathComponent(path).utf8)
    guard let root = openFrame(parentFD, rootName, path) else {
        throw firstError ?? RemoveTreeError(path: path, code: EIO)
    }
    var stack = [root]
    while let top = stack.indices.last {
        guard let nameBytes = stack[top].remaining.popLast() else {
            let done = stack.removeLast()
            close(done.fd)
            let holder = stack.last?.fd ?? parentFD
            if withCName(done.name, { unlinkat(holder, $0, AT_REMOVEDIR) }) != 0 && errno != ENOENT { note(done.path, errno) }
            continue
        }
        let shown = stack[top].path + "/" + String(decoding: nameBytes, as: UTF8.self)
        let dirFD = stack[top].fd
        var st = stat()
        guard withCName(nameBytes, { fstatat(dirFD, $0, &st, AT_SYMLINK_NOFOLLOW) }) == 0 else {
            if errno != ENOENT { note(shown, errno) }
            continue
        }
        if st.st_mode & S_IFMT == S_IFDIR {
            if let frame = openFrame(dirFD, nameBytes, shown) { stack.append(frame) }
        } else if withCName(nameBytes, { unlinkat(dirFD, $0, 0) }) != 0 && errno != ENOENT {
            note(shown, errno)
        }
    }
    if let firstError { throw firstError }
}

/// `body` with `name` (raw bytes, not necessarily UTF-8) as a NUL-terminated C string.
func withCName<R>(_ name: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: name.count + 1)
    defer { buffer.deallocate() }
    for (index, byte) in name.enumerated() { buffer[index] = CChar(bitPattern: byte) }
    buffer[name.count] = 0
    return body(buffer)
}

/// A failed ``removeTreeNoFollow(_:)``: the path that could not be removed or opened, and the
/// `errno`.
package struct RemoveTreeError: Error, Sendable, Equatable, CustomStringConvertible {
    package let path: String
    package let code: Int32
    /// The rule the path broke, for a refusal (a symbolic link below the root).
    package let rule: String?
    package init(path: String, code: Int32, rule: String? = nil) { self.path = path; self.code = code; self.rule = rule }
    package var description: String { "remove \(path): \(systemMessage(code))" + (rule.map { " (\($0))" } ?? "") }
}
