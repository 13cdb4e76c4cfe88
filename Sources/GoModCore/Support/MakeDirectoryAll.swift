import GoModPlatform

/// Creates `path` and any missing parents with mode 0777 (before umask), as Go's
/// `os.MkdirAll`: an existing directory is success; an existing non-directory is `ENOTDIR`.
/// The error names the path whose `mkdir` failed and its `errno`.
///
/// The missing directories are found by walking up, then made from the top down, without
/// recursion: a hostile path thousands of components deep costs no call-stack frames.
package func makeDirectoryAll(_ path: String) throws(MakeDirectoryAllError) {
    var info = stat()
    let bytes = Array(path.utf8)
    // Walk up until an existing ancestor: each end index in `missing` is one path to create,
    // deepest first (trailing slashes skipped, as Go does).
    var missing: [Int] = []
    var end = bytes.count
    while true {
        let candidate = String(decoding: bytes[0..<end], as: UTF8.self)
        if stat(candidate, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { break }
            throw MakeDirectoryAllError(path: candidate, code: ENOTDIR)
        }
        missing.append(end)
        var e = end
        while e > 1 && bytes[e - 1] == UInt8(ascii: "/") { e -= 1 }
        var slash = e
        while slash > 0 && bytes[slash - 1] != UInt8(ascii: "/") { slash -= 1 }
        guard slash > 1 else { break }
        end = slash - 1
    }
    for end in missing.reversed() {
        let dir = String(decoding: bytes[0..<end], as: UTF8.self)
        if mkdir(dir, 0o777) != 0 {
            let code = errno
            // Raced with another creator, or "path/." style names: fine if it is a directory now.
            if stat(dir, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { continue }
            throw MakeDirectoryAllError(path: dir, code: code)
        }
    }
}

/// A failed ``makeDirectoryAll(_:)``: the path whose `mkdir` failed, and its `errno`.
package struct MakeDirectoryAllError: Error {
    package var path: String
    package var code: Int32
}
