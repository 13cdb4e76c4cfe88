import GoModCore
import GoModPlatform

/// Random-access bytes a ``ZipArchive`` is read from: Go's `io.ReaderAt` plus a size.
///
/// Implementations are immutable and safe to read from several threads at once; each read
/// names its own offset (no shared file position), so two ``ZipEntryReader``s can read
/// different entries of one archive concurrently.
public protocol ByteSource: Sendable {
    /// The total number of bytes.
    var count: Int64 { get }

    /// Copies bytes starting at `offset` into `buffer` and returns how many were copied.
    ///
    /// Fewer than `buffer.count` bytes are returned only when the source ends first (0 at or
    /// past the end). A negative offset is an error (`.io`), as in Go's `ReadAt`.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int
}

extension ByteSource {
    /// Reads up to `count` bytes at `offset` into a new array (shorter only at the end of the
    /// source). Used for small, bounded records; never for entry data.
    func bytes(at offset: Int64, count: Int) throws(ZipError) -> [UInt8] {
        guard count > 0 else { return [] }
        var error: ZipError?
        let result = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(ZipError) {
                initialized = try read(at: offset, into: UnsafeMutableRawBufferPointer(buffer))
            } catch let caught {
                error = caught
                initialized = 0
            }
        }
        if let error { throw error }
        return result
    }
}

/// Bytes held in memory.
public struct InMemoryByteSource: ByteSource {
    /// The bytes.
    public let bytes: [UInt8]

    /// Wraps `bytes` (no copy).
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// `bytes.count`.
    public var count: Int64 { Int64(bytes.count) }

    /// Copies from `bytes`.
    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int {
        guard offset >= 0 else { throw ZipError(.io, offset: offset, detail: "negative offset") }
        guard offset < Int64(bytes.count), buffer.count > 0 else { return 0 }
        let start = Int(offset)
        let n = min(buffer.count, bytes.count - start)
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + start, byteCount: n)
        }
        return n
    }
}

/// A regular file read with `pread(2)`: no shared file position, no memory mapping, no
/// whole-file reads. The size is taken once with `fstat` when the file is opened; the
/// descriptor is closed when the object is released.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    /// The file size at open time.
    public let count: Int64
    /// The path the file was opened with.
    public let path: String

    /// Opens `path` read-only. Fails with `.io` when it cannot be opened or is not a regular
    /// file (a FIFO or device has no trustworthy size).
    public init(path: String) throws(ZipError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ZipError(.io, detail: "open \(goQuote(Array(path.utf8))): \(systemMessage(errno))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let text = systemMessage(errno)
            close(fd)
            throw ZipError(.io, detail: "stat \(goQuote(Array(path.utf8))): \(text)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ZipError(.io, detail: "\(goQuote(Array(path.utf8))) is not a regular file")
        }
        self.descriptor = fd
        self.count = Int64(info.st_size)
        self.path = path
    }

    deinit { close(descriptor) }

    /// Reads with `pread`, retrying on `EINTR` and on short reads until the buffer is full or
    /// the file ends.
    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int {
        guard offset >= 0 else { throw ZipError(.io, offset: offset, detail: "negative offset") }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        var done = 0
        while done < buffer.count {
            let (position, overflow) = offset.addingReportingOverflow(Int64(done))
            if overflow { break }
            let n = pread(descriptor, base + done, buffer.count - done, off_t(position))
            if n < 0 {
                if errno == EINTR { continue }
                throw ZipError(.io, offset: position, detail: "read \(goQuote(Array(path.utf8))): \(systemMessage(errno))")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}
