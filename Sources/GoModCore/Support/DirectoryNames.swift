import GoModPlatform

/// A failed system call's `errno`, for helpers whose callers map it to their own error type.
package struct SystemErrno: Error {
    package let code: Int32
    package init(code: Int32) { self.code = code }
}

/// The entry names of the directory open on `fd` (the descriptor is consumed), without `.`
/// and `..`, in the order `readdir` returns them.
///
/// Names are raw bytes (a file name need not be UTF-8). Shared by `HashDir`'s walk and the
/// module-zip directory code, which each map the errno to their own error type.
package func readDirectoryNames(_ fd: Int32) throws(SystemErrno) -> [[UInt8]] {
    guard let dir = fdopendir(fd) else {
        let err = errno
        close(fd)
        throw SystemErrno(code: err)
    }
    defer { closedir(dir) }
    var names: [[UInt8]] = []
    while true {
        errno = 0
        guard let entry = readdir(dir) else {
            if errno != 0 { throw SystemErrno(code: errno) }
            return names
        }
        let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let length = bytes.firstIndex(of: 0) ?? bytes.count
            return Array(bytes[..<length])
        }
        if name == [0x2E] || name == [0x2E, 0x2E] { continue }
        names.append(name)
    }
}
