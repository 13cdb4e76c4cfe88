import GoModPlatform

/// Writes all of `bytes` to `fd`: short writes continue, `EINTR` retries, any other failure
/// throws its `errno` for the caller to map to its own error type.
package func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemErrno) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
        let n = write(fd, base + done, bytes.count - done)
        if n < 0 {
            if errno == EINTR { continue }
            throw SystemErrno(code: errno)
        }
        done += n
    }
}

/// `writeFully` for an array.
package func writeFully(_ fd: Int32, _ bytes: [UInt8]) throws(SystemErrno) {
    var failure: SystemErrno?
    bytes.withUnsafeBytes { raw in
        do throws(SystemErrno) { try writeFully(fd, raw) } catch { failure = error }
    }
    if let failure { throw failure }
}
