internal import CZlib

// The z_stream set-up and teardown the reader's Inflater and the writer's Deflater share. One of
// the few files allowed `unsafe` code, next to Inflater.swift and Deflater.swift.

/// A zlib status other than `Z_OK`, as an error for ``makeZStream(_:)``.
struct ZlibStatus: Error { var code: Int32 }

/// A `z_stream` at a stable heap address (zlib keeps a pointer back to it), set up by `initialize`
/// (`inflateInit2` or `deflateInit2`); on a status other than `Z_OK` the memory is freed and the
/// status returned.
func makeZStream(_ initialize: (UnsafeMutablePointer<z_stream>) -> Int32) -> Result<UnsafeMutablePointer<z_stream>, ZlibStatus> {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    let status = initialize(stream)
    guard status == Z_OK else {
        stream.deinitialize(count: 1)
        stream.deallocate()
        return .failure(ZlibStatus(code: status))
    }
    return .success(stream)
}

/// Ends a stream from ``makeZStream(_:)`` with `end` (`inflateEnd` or `deflateEnd`) and frees it.
func freeZStream(_ stream: UnsafeMutablePointer<z_stream>, end: (UnsafeMutablePointer<z_stream>) -> Int32) {
    _ = end(stream)
    stream.deinitialize(count: 1)
    stream.deallocate()
}
