#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates `path` and any missing parents with mode 0777 (before umask), as Go's
/// `os.MkdirAll`: an existing directory is success; an existing non-directory is `ENOTDIR`.
/// The error names the path whose `mkdir` failed and its `errno`.
package func makeDirectoryAll(_ path: String) throws(MakeDirectoryAllError) {
    var info = stat()
    if stat(path, &info) == 0 {
        if info.st_mode & S_IFMT == S_IFDIR { return }
        throw MakeDirectoryAllError(path: path, code: ENOTDIR)
    }
    // Parent first (trailing slashes skipped, as Go does).
    var end = path.utf8.count
    let bytes = Array(path.utf8)
    while end > 1 && bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
    var slash = end
    while slash > 0 && bytes[slash - 1] != UInt8(ascii: "/") { slash -= 1 }
    if slash > 1 {
        try makeDirectoryAll(String(decoding: bytes[0..<(slash - 1)], as: UTF8.self))
    }
    if mkdir(path, 0o777) != 0 {
        let code = errno
        // Raced with another creator, or "path/." style names: fine if it is a directory now.
        if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { return }
        throw MakeDirectoryAllError(path: path, code: code)
    }
}

/// A failed ``makeDirectoryAll(_:)``: the path whose `mkdir` failed, and its `errno`.
package struct MakeDirectoryAllError: Error {
    package var path: String
    package var code: Int32
}
