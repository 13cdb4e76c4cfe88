public import GoModCore
/// A zip archive's central directory, read and checked by GoModKit's own parser (zlib is used
/// only to inflate entry data).
///
/// Go's `archive/zip` is the baseline (Go's `archive/zip/reader.go`): driven by the central
/// directory, tolerant of prepended and trailing data, of counts that only agree modulo 65,536, and
/// of local headers, data descriptors and entry spans that contradict the central directory.
/// Each such tolerance lets two readers see two different archives in the same bytes.
///
/// ## Strict mode (the default)
///
/// Accepts exactly one unambiguous interpretation (see Docs/stricter-than-go.md), and decides it
/// before any entry is inflated:
///
/// 1. The file is at most ``Limits/maxArchiveSize`` bytes. The end-of-central-directory
///    (EOCD) record lies in the last 65,557 bytes, its comment reaches exactly to the end of
///    the file, and no other EOCD signature could be taken for it. *Go* searches the last
///    66,560 bytes, takes the last signature and ignores bytes after the comment.
/// 2. Nothing precedes the first local file header (offset 0) and nothing follows the EOCD;
///    the central directory ends exactly where the ZIP64 end record (or the EOCD) starts.
///    *Go* accepts prepended data through its base-offset retry (golang/go#77710) and
///    trailing data.
/// 3. Disk numbers are 0; entry counts equal the number of central-directory headers
///    exactly, including ZIP64 counts; the ZIP64 record and locator agree with the 32-bit
///    EOCD and with their positions; ZIP64 extras appear exactly when a field is saturated
///    (once, long enough). *Go* compares counts modulo 65,536 and ignores disk numbers.
/// 4. Every local file header agrees with its central-directory header: name bytes, method,
///    flags bits 0, 3 and 11, and — without a data descriptor — CRC-32 and sizes (with one,
///    the local fields are 0 or equal). A data descriptor (with or without signature, with
///    32- or 64-bit sizes) agrees with the CRC-32 and both sizes. *Go* reads only the local
///    header's name and extra lengths, and only the descriptor's CRC-32.
/// 5. Entry spans (local header, data, descriptor) are disjoint, stored in central-directory
///    order, leave no unreferenced bytes between them, and end where the central directory
///    begins. Overlaps are found by sorting spans (O(n log n)) from the central directory
///    alone, so overlap bombs are rejected before any local header is read. *Go* checks
///    none of this; x/mod's `HashZip` inflates every alias (x/mod `sumdb/dirhash/hash.go`).
/// 6. Only methods 0 and 8; encryption flags (bits 0, 6) and method 99 rejected; stored
///    entries have equal sizes; directory entries declare no content — all checked when the
///    central directory is read. *Go* fails only when such an entry is opened, and ignores
///    the encryption flag.
/// 7. Reading (``ZipEntryReader``) succeeds only at `Z_STREAM_END` with exactly the
///    compressed size consumed, exactly the declared uncompressed size produced, and the
///    CRC-32 verified — always. *Go* ignores bytes after the final deflate block and skips
///    the CRC check when the CRC field is 0 and there is no data descriptor.
/// 8. Names stay bytes; offsets and sizes are computed with overflow checks.
///
/// ## Lenient mode
///
/// Relaxes rules 1–5 to Go's behaviour (Go's EOCD search, base-offset retry, count modulo
/// 65,536, central-directory walk until the first bad header, no local-header comparison,
/// overlaps allowed) and records each relaxation in ``warnings``. It still applies rules 6–8
/// and every ``Limits`` bound, never inflates past declared sizes and never buffers an entry.
/// One Go behaviour of rule 7 is kept for parity: an entry whose CRC-32 field is 0, without a
/// data descriptor, is not CRC-checked (warning ``ZipWarning/Code/crcNotVerified``).
/// Problems Go reports only when an entry is opened (an unreadable local header, a
/// missing or CRC-mismatched data descriptor, a directory declaring content) are reported
/// when that entry is read.
///
/// A `ZipArchive` is an immutable value: share it between threads freely and give each thread
/// its own ``ZipEntryReader``.
public struct ZipArchive: Sendable {
    /// How much to tolerate.
    public enum Mode: Sendable, Hashable {
        /// One unambiguous interpretation or an error (see Docs/stricter-than-go.md).
        case strict
        /// Go parity for forensics and hashing, with warnings: the container is read with Go
        /// `archive/zip`'s tolerances, and `DirHash.hashZip(_:mode:parallelism:)` reproduces
        /// x/mod `dirhash.HashZip`'s handling of duplicate names.
        case goCompatible
    }

    /// Resource bounds, checked before the work they bound.
    public struct Limits: Sendable, Hashable {
        /// Largest archive file accepted: 500 MiB (x/mod `MaxZipFile`).
        public var maxArchiveSize: Int64
        /// Most entries accepted. The default, 1,000,000, is GoModKit's own bound (Go has no
        /// limit); a central directory of that size needs about 200 bytes of memory per entry
        /// plus the names.
        public var maxEntries: Int
        /// Longest entry name accepted; the default is the format's own maximum, 65,535.
        public var maxNameLength: Int
        /// Most name bytes in all entries together: 64 MiB.
        public var maxTotalNameBytes: Int64
        /// Largest declared uncompressed size of one entry: 500 MiB.
        public var maxEntrySize: Int64
        /// Largest sum of declared uncompressed sizes, counting every entry including
        /// directories: 500 MiB (x/mod `MaxZipFile`; Go excludes directories).
        public var maxTotalUncompressedSize: Int64
        /// Largest entry ``ZipArchive/contents(of:)`` returns as an array: 16 MiB (x/mod
        /// `MaxGoMod`).
        public var maxContentsSize: Int64

        /// Creates limits; every parameter defaults to the Go module zip value.
        public init(
            maxArchiveSize: Int64 = 524_288_000,
            maxEntries: Int = 1_000_000,
            maxNameLength: Int = 65_535,
            maxTotalNameBytes: Int64 = 64 << 20,
            maxEntrySize: Int64 = 524_288_000,
            maxTotalUncompressedSize: Int64 = 524_288_000,
            maxContentsSize: Int64 = 16 << 20
        ) {
            self.maxArchiveSize = maxArchiveSize
            self.maxEntries = maxEntries
            self.maxNameLength = maxNameLength
            self.maxTotalNameBytes = maxTotalNameBytes
            self.maxEntrySize = maxEntrySize
            self.maxTotalUncompressedSize = maxTotalUncompressedSize
            self.maxContentsSize = maxContentsSize
        }

        /// The bounds for Go module zips (x/mod `zip/zip.go`: `MaxZipFile`, `MaxGoMod`).
        public static let goModuleZip = Limits()
    }

    /// One central-directory entry (Go's `zip.FileHeader`), with the name as raw bytes.
    public struct Entry: Sendable, Hashable {
        /// The name bytes exactly as stored in the central directory; never decoded.
        public let name: ByteString
        /// Compression method: 0 stored, 8 deflate.
        public let method: UInt16
        /// General-purpose flags (bit 3: data descriptor; bit 11: UTF-8 name).
        public let flags: UInt16
        /// The CRC-32 the central directory declares.
        public let crc32: UInt32
        /// The declared compressed size (ZIP64 value when present).
        public let compressedSize: Int64
        /// The declared uncompressed size (ZIP64 value when present).
        public let uncompressedSize: Int64
        /// Offset of the entry's local file header in the source (Go's `headerOffset`,
        /// including the base offset in Go-compatible mode).
        public let localHeaderOffset: Int64
        /// External file attributes (Unix mode in the high 16 bits when the host is Unix).
        public let externalAttributes: UInt32
        /// Version made by: the high byte is the host system (0 MS-DOS, 3 Unix).
        public let versionMadeBy: UInt16
        /// Position in the central directory (0-based).
        public let index: Int
        /// Offset of the entry's data, or `nil` when its local header could not be read
        /// (Go-compatible mode only; reading the entry then fails).
        public let dataOffset: Int64?

        /// Error to report when the entry is read (Go-compatible mode's deferred Go behaviour).
        let deferredError: ZipError?
        /// Whether reading verifies the CRC-32 (always in strict mode; Go's rule in Go-compatible mode).
        let verifiesCRC: Bool
        /// Whether the data descriptor uses 64-bit sizes (ZIP64 entry).
        let isZip64: Bool

        /// Whether the name ends in `/` (a directory entry, as Go decides it).
        public var isDirectory: Bool { name.bytes.last == UInt8(ascii: "/") }

        /// Whether flag bit 3 announces a data descriptor after the data.
        public var hasDataDescriptor: Bool { flags & 0x0008 != 0 }

        /// The Unix mode bits when the entry was made on Unix (host 3), as Go's
        /// `FileHeader.Mode` reads them; `nil` otherwise.
        public var unixMode: UInt32? { versionMadeBy >> 8 == 3 ? externalAttributes >> 16 : nil }
    }

    /// Where the bytes come from.
    public let source: any ByteSource
    /// The mode the archive was read in.
    public let mode: Mode
    /// The limits the archive was checked against.
    public let limits: Limits
    /// The entries, in central-directory order.
    public let entries: [Entry]
    /// Tolerated oddities (see ``Mode``).
    public let warnings: [ZipWarning]
    /// The archive comment bytes.
    public let comment: ByteString

    /// Reads and checks the central directory of `source` (Go's `zip.NewReader`).
    public init(source: some ByteSource, mode: Mode = .strict, limits: Limits = .goModuleZip) throws(ZipError) {
        var parser = ArchiveParser(source: source, mode: mode, limits: limits)
        let result = try parser.parse()
        self.source = source
        self.mode = mode
        self.limits = limits
        self.entries = result.entries
        self.comment = ByteString(result.comment)
        self.warnings = parser.warnings.list
    }

    /// Reads an archive held in memory.
    public init(bytes: [UInt8], mode: Mode = .strict, limits: Limits = .goModuleZip) throws(ZipError) {
        try self.init(source: InMemoryByteSource(bytes), mode: mode, limits: limits)
    }

    /// Opens the file at `path` (read with `pread`, never mapped) — Go's `zip.OpenReader`.
    public init(path: String, mode: Mode = .strict, limits: Limits = .goModuleZip) throws(ZipError) {
        try self.init(source: try FileByteSource(path: path), mode: mode, limits: limits)
    }

    /// The whole content of a small entry (such as `go.mod`), verified like every read.
    ///
    /// Refuses entries declaring more than ``Limits/maxContentsSize`` bytes (`.entryTooLarge`)
    /// before reading; the array grows with the data actually produced. Stream larger entries
    /// with a ``ZipEntryReader``.
    public func contents(of entry: Entry) throws(ZipError) -> [UInt8] {
        guard entry.uncompressedSize <= limits.maxContentsSize else {
            throw ZipError(.entryTooLarge, entry: entry.name,
                           detail: "declares \(entry.uncompressedSize) bytes, more than \(limits.maxContentsSize)")
        }
        let reader = try ZipEntryReader(bufferSize: 64 * 1024)
        var result: [UInt8] = []
        result.reserveCapacity(Int(min(entry.uncompressedSize, 64 * 1024)))
        try reader.read(entry, in: self) { result.append(contentsOf: $0) }
        return result
    }

    /// The stored entry for `entry`, checking that it belongs to this archive.
    func resolve(_ entry: Entry) throws(ZipError) -> Entry {
        guard entry.index >= 0, entry.index < entries.count, entries[entry.index] == entry else {
            throw ZipError(.entryNotInArchive, entry: entry.name)
        }
        return entries[entry.index]
    }
}
