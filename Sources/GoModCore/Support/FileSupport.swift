import GoModPlatform

// Small POSIX stand-ins for full Foundation's `NSString` path methods, `FileHandle`,
// `NSHomeDirectory` and `FileManager.enumerator`, none of which FoundationEssentials has.

/// `path` without its last component, as `NSString.deletingLastPathComponent`: trailing
/// slashes ignored; `"/a"` → `"/"`, `"a"` → `""`.
package func deletingLastPathComponent(_ path: String) -> String {
    var bytes = Array(path.utf8)
    while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
    guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
    if slash == 0 { return "/" }
    var end = slash
    while end > 1 && bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
    return String(decoding: bytes[0..<end], as: UTF8.self)
}

/// The last component of `path`, as `NSString.lastPathComponent`: trailing slashes ignored;
/// `"/"` → `"/"`.
package func lastPathComponent(_ path: String) -> String {
    var bytes = Array(path.utf8)
    while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
    guard bytes.count > 1, let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else {
        return String(decoding: bytes, as: UTF8.self)
    }
    return String(decoding: bytes[(slash + 1)...], as: UTF8.self)
}

/// Reads from `fd` until end of file or until `limit` bytes have been read (`EINTR` retried).
package func readUpTo(_ fd: Int32, limit: Int) -> Result<[UInt8], SystemErrno> {
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while out.count < limit {
        let want = min(chunk.count, limit - out.count)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
        if n < 0 {
            if errno == EINTR { continue }
            return .failure(SystemErrno(code: errno))
        }
        if n == 0 { break }
        out += chunk[0..<n]
    }
    return .success(out)
}

/// Why ``readFile(_:limit:)`` read nothing.
package enum CappedReadError: Error {
    /// `open(2)` failed with this errno.
    case open(SystemErrno)
    /// `read(2)` failed with this errno.
    case read(SystemErrno)
    /// The file holds more than the limit.
    case tooLarge
}

/// The whole file at `path` if it holds at most `limit` bytes: at most `limit + 1` bytes are
/// read (``readUpTo(_:limit:)``), so an oversized file costs no more than the cap.
package func readFile(_ path: String, limit: Int) -> Result<[UInt8], CappedReadError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(.open(SystemErrno(code: errno))) }
    defer { close(fd) }
    switch readUpTo(fd, limit: limit + 1) {
    case .success(let data): return data.count <= limit ? .success(data) : .failure(.tooLarge)
    case .failure(let error): return .failure(.read(error))
    }
}

/// The user's home directory: `$HOME`, else the password database's entry, else `/`.
package func homeDirectory() -> String {
    if let home = getenv("HOME"), home.pointee != 0 { return String(cString: home) }
    if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { return String(cString: dir) }
    return "/"
}

/// The paths below `root` (relative, `/`-separated), directories before their contents, each
/// directory's entries in `readdir` order; `visit` is called on a directory before it is
/// opened, so it may make the directory readable. Unreadable directories are skipped.
///
/// The walk keeps its own stack of directories still to open, so a hostile tree thousands of
/// levels deep costs memory for its names, not call-stack frames.
package func walkTree(_ root: String, _ visit: (_ relative: String, _ isDirectory: Bool) -> Void) {
    // Directories still to list, each with the entries of its parent not yet visited after it:
    // depth-first, in readdir order, as a recursive walk would visit them.
    var pending: [(full: String, relative: String, names: ArraySlice<[UInt8]>)] = []
    func push(_ full: String, _ relative: String) {
        let fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0, let names = try? readDirectoryNames(fd) else { return }
        pending.append((full, relative, names[...]))
    }
    push(root, "")
    while let top = pending.indices.last {
        guard let nameBytes = pending[top].names.popFirst() else {
            pending.removeLast()
            continue
        }
        let name = String(decoding: nameBytes, as: UTF8.self)
        let full = pending[top].full + "/" + name
        let relative = pending[top].relative.isEmpty ? name : pending[top].relative + "/" + name
        var info = stat()
        let isDir = lstat(full, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
        visit(relative, isDir)
        if isDir { push(full, relative) }
    }
}

/// Whether `path` names a directory (symbolic links followed), as
/// `FileManager.fileExists(atPath:isDirectory:)` with its flag.
package func directoryExists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
}

/// Lower-case hexadecimal, two digits a byte.
package func hexLower(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

/// `text` with every UTF-8 byte that `keep` rejects written `%XX` (upper-case hex), as
/// `addingPercentEncoding(withAllowedCharacters:)` with an ASCII set.
package func percentEncoded(_ text: String, keeping keep: (UInt8) -> Bool) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for byte in text.utf8 {
        if keep(byte) { out.append(byte) } else {
            out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 15)]]
        }
    }
    return String(decoding: out, as: UTF8.self)
}
