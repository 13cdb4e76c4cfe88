import GoModPlatform

/// The sum of the sizes (`st_size`, from `lstat`) of every non-directory entry in the tree at
/// `path`, without following a symbolic link (a link counts as itself, its target is not
/// visited): each directory is opened with `O_DIRECTORY|O_NOFOLLOW` relative to its parent's
/// descriptor, as ``removeTreeNoFollow(_:below:)`` does, with an explicit stack.
///
/// The sum is overflow-checked: it saturates at `Int64.max`. The walk stops as soon as the sum
/// passes `stopAbove` (the answer is then some value above it). A missing `path` is 0; an
/// entry that vanishes during the walk is skipped (git may be renaming files while it runs).
///
/// - Throws: ``SystemErrno`` for a directory that cannot be opened or read.
package func treeSizeNoFollow(_ path: String, stopAbove: Int64 = .max) throws(SystemErrno) -> Int64 {
    var info = stat()
    if lstat(path, &info) != 0 {
        if errno == ENOENT { return 0 }
        throw SystemErrno(code: errno)
    }
    guard info.st_mode & S_IFMT == S_IFDIR else { return Int64(info.st_size) }
    let rootFD = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard rootFD >= 0 else {
        if errno == ENOENT { return 0 }
        throw SystemErrno(code: errno)
    }
    struct Frame {
        var fd: Int32
        var remaining: [[UInt8]]
    }
    func frame(_ fd: Int32) throws(SystemErrno) -> Frame {
        let listFD = dup(fd)
        guard listFD >= 0 else {
            let code = errno
            close(fd)
            throw SystemErrno(code: code)
        }
        do throws(SystemErrno) {
            return Frame(fd: fd, remaining: try readDirectoryNames(listFD))
        } catch {
            close(fd)
            throw error
        }
    }
    var stack = [try frame(rootFD)]
    defer { for f in stack { close(f.fd) } }
    var total: Int64 = 0
    while let top = stack.indices.last {
        guard let name = stack[top].remaining.popLast() else {
            close(stack.removeLast().fd)
            continue
        }
        let dirFD = stack[top].fd
        var st = stat()
        let rc = withCName(name) { fstatat(dirFD, $0, &st, AT_SYMLINK_NOFOLLOW) }
        guard rc == 0 else {
            if errno == ENOENT { continue }
            throw SystemErrno(code: errno)
        }
        if st.st_mode & S_IFMT == S_IFDIR {
            let fd = withCName(name) { openat(dirFD, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            guard fd >= 0 else {
                if errno == ENOENT { continue }
                throw SystemErrno(code: errno)
            }
            stack.append(try frame(fd))
            continue
        }
        let (sum, overflow) = total.addingReportingOverflow(max(0, Int64(st.st_size)))
        total = overflow ? .max : sum
        if total > stopAbove { return total }
    }
    return total
}
