import GoModCore
// Record parsing for ZipArchive: EOCD, ZIP64 end record and locator, central-directory
// headers, local file headers and data descriptors (PKWARE's APPNOTE.TXT), with the strict rules of
// ZipArchive's documentation and Go's `archive/zip/reader.go` behaviour for Go-compatible mode.

enum Signature {
    static let localHeader: UInt32 = 0x0403_4b50
    static let centralHeader: UInt32 = 0x0201_4b50
    static let end: UInt32 = 0x0605_4b50
    static let zip64End: UInt32 = 0x0606_4b50
    static let zip64Locator: UInt32 = 0x0706_4b50
    static let dataDescriptor: UInt32 = 0x0807_4b50
}

/// Fixed record sizes.
enum RecordSize {
    static let end = 22
    static let zip64End = 56
    static let zip64Locator = 20
    static let centralHeader = 46
    static let localHeader = 30
    /// Largest EOCD plus comment: the strict search window.
    static let strictEndSearch = 22 + 65_535
    /// Go's second search window (65 KiB).
    static let goEndSearch = 65 * 1024
}

/// The end-of-central-directory values, widened by ZIP64 when present.
struct EndRecord {
    var disk: UInt32
    var centralDirectoryDisk: UInt32
    var countOnDisk: UInt64
    var count: UInt64
    var centralDirectorySize: UInt64
    var centralDirectoryOffset: UInt64
    var comment: [UInt8]
    /// Offset of the EOCD record.
    var offset: Int64
    /// Where the central directory must end: the ZIP64 end record, or the EOCD.
    var centralDirectoryEnd: Int64
    /// Whether the values come from a ZIP64 end record.
    var isZip64 = false

    var isSaturated: Bool {
        disk == 0xFFFF || centralDirectoryDisk == 0xFFFF || countOnDisk == 0xFFFF || count == 0xFFFF
            || centralDirectorySize == 0xFFFF_FFFF || centralDirectoryOffset == 0xFFFF_FFFF
    }
}

/// One central-directory header, as declared.
struct CentralRecord {
    var versionMadeBy: UInt16
    var flags: UInt16
    var method: UInt16
    var crc32: UInt32
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    var diskStart: UInt32
    var externalAttributes: UInt32
    var localHeaderOffset: UInt64
    var name: [UInt8]
    var hasZip64Extra: Bool
    /// Position of the header itself.
    var headerOffset: Int64
}

/// Collects warnings, keeping at most `cap`.
struct WarningList {
    private(set) var list: [ZipWarning] = []
    private var dropped = 0
    private let cap = 1000

    mutating func add(_ warning: ZipWarning) {
        if list.count < cap {
            list.append(warning)
        } else {
            dropped += 1
            if list.count == cap {
                list.append(ZipWarning(.moreWarnings, detail: "1 more warning dropped"))
            } else {
                list[cap] = ZipWarning(.moreWarnings, detail: "\(dropped) more warnings dropped")
            }
        }
    }
}

/// Serves the parser's small reads of local headers and data descriptors from one cached
/// window of the source. Entries are walked in file order, so a zip of 20,000 small files
/// costs a few hundred `pread` calls instead of 40,000. Local to one parse; not shared.
final class ReadWindow {
    private let source: any ByteSource
    private var start: Int64 = 0
    private var window: [UInt8] = []
    /// Bytes fetched per refill.
    static let size = 64 * 1024

    init(source: any ByteSource) { self.source = source }

    /// Up to `count` bytes at `offset`, fewer only at the end of the source, exactly as
    /// `ByteSource.bytes(at:count:)` returns them.
    func bytes(at offset: Int64, count: Int) throws(ZipError) -> [UInt8] {
        guard count > 0 else { return [] }
        guard count <= Self.size, offset >= 0 else { return try source.bytes(at: offset, count: count) }
        // `offset - start`, not `offset + count`: the offset may come from the file, near 2^63.
        if offset < start || offset - start > Int64(window.count - count) {
            window = try source.bytes(at: offset, count: Self.size)
            start = offset
        }
        let from = Int(offset - start)
        let to = min(window.count, from + count)
        return from < to ? Array(window[from..<to]) : []
    }
}

struct ArchiveParser {
    let source: any ByteSource
    /// Cache for the walk over local headers and data descriptors.
    let window: ReadWindow
    let size: Int64
    let mode: ZipArchive.Mode
    let limits: ZipArchive.Limits
    var warnings = WarningList()

    init(source: any ByteSource, mode: ZipArchive.Mode, limits: ZipArchive.Limits) {
        self.source = source
        self.window = ReadWindow(source: source)
        self.size = source.count
        self.mode = mode
        self.limits = limits
    }

    var strict: Bool { mode == .strict }

    /// Strict mode: throws `error`. Lenient mode: records it as a warning.
    mutating func violation(_ error: ZipError) throws(ZipError) {
        if strict { throw error }
        warnings.add(ZipWarning(.relaxed(error.code), entry: error.entry, offset: error.offset, detail: error.detail))
    }

    mutating func parse() throws(ZipError) -> (entries: [ZipArchive.Entry], comment: [UInt8]) {
        guard size <= limits.maxArchiveSize else {
            throw ZipError(.archiveTooLarge, detail: "\(size) bytes; limit is \(limits.maxArchiveSize) bytes")
        }
        guard size >= Int64(RecordSize.end) else {
            throw ZipError(.notAZip, detail: "\(size) bytes is too short for an end of central directory record")
        }
        let entries: [ZipArchive.Entry]
        let end: EndRecord
        if strict {
            end = try locateEndStrict()
            let records = try readCentralDirectoryStrict(end)
            entries = try checkSpansStrict(records, end: end)
        } else {
            let (goEnd, base) = try locateEndLenient()
            end = goEnd
            let records = try readCentralDirectoryLenient(goEnd, base: base)
            entries = try checkEntriesLenient(records, base: base)
        }
        if !end.comment.isEmpty {
            warnings.add(ZipWarning(.archiveComment, offset: end.offset + Int64(RecordSize.end),
                                    detail: "\(end.comment.count) bytes: \(goQuote(end.comment.prefix(80)))"))
        }
        return (entries, end.comment)
    }

    // MARK: - End of central directory

    /// Reads the EOCD fields at `position` of `tail` (which must hold 22 bytes there).
    private func endFields(_ tail: [UInt8], at position: Int, tailStart: Int64) -> EndRecord {
        var r = ByteReader(tail, start: position + 4)
        let disk = UInt32(r.u16() ?? 0), cdDisk = UInt32(r.u16() ?? 0)
        let onDisk = UInt64(r.u16() ?? 0), count = UInt64(r.u16() ?? 0)
        let cdSize = UInt64(r.u32() ?? 0), cdOffset = UInt64(r.u32() ?? 0)
        let commentLength = Int(r.u16() ?? 0)
        let comment = Array(r.take(min(commentLength, r.remaining)) ?? [])
        let offset = tailStart + Int64(position)
        return EndRecord(disk: disk, centralDirectoryDisk: cdDisk, countOnDisk: onDisk, count: count,
                         centralDirectorySize: cdSize, centralDirectoryOffset: cdOffset, comment: comment,
                         offset: offset, centralDirectoryEnd: offset)
    }

    private func isEndSignature(_ b: [UInt8], _ i: Int) -> Bool {
        b[i] == 0x50 && b[i + 1] == 0x4B && b[i + 2] == 0x05 && b[i + 3] == 0x06
    }

    /// Strict rule 1: exactly one EOCD in the last 65,557 bytes, its comment ending at EOF,
    /// no other signature after it. Linear in the window; reads it once.
    private mutating func locateEndStrict() throws(ZipError) -> EndRecord {
        let window = Int(min(size, Int64(RecordSize.strictEndSearch)))
        let tailStart = size - Int64(window)
        let tail = try source.bytes(at: tailStart, count: window)
        guard tail.count == window else { throw ZipError(.io, offset: tailStart, detail: "short read") }
        var candidates = 0
        var exact: [Int] = []
        var highestFit: Int?
        var firstCandidate: Int?
        var i = window - RecordSize.end
        while i >= 0 {
            if isEndSignature(tail, i) {
                candidates += 1
                if firstCandidate == nil { firstCandidate = i }
                let commentLength = Int(tail[i + 20]) | Int(tail[i + 21]) << 8
                let end = i + RecordSize.end + commentLength
                if end == window {
                    exact.append(i)
                } else if end < window, highestFit == nil {
                    highestFit = i
                }
            }
            i -= 1
        }
        guard candidates > 0 else {
            throw ZipError(.notAZip, detail: "no end of central directory record in the last \(window) bytes")
        }
        if exact.count == 1, let position = exact.first {
            if let last = firstCandidate, last > position {
                throw ZipError(.ambiguousEndOfCentralDirectory, offset: tailStart + Int64(last),
                               detail: "another end of central directory signature inside the archive comment")
            }
            var end = endFields(tail, at: position, tailStart: tailStart)
            try resolveZip64Strict(&end, tail: tail, tailStart: tailStart)
            return end
        }
        if candidates > 1 {
            throw ZipError(.ambiguousEndOfCentralDirectory, offset: tailStart + Int64(firstCandidate ?? 0),
                           detail: "\(candidates) end of central directory signatures, \(exact.count) ending exactly at the end of the file")
        }
        if let fit = highestFit {
            let end = endFields(tail, at: fit, tailStart: tailStart)
            let after = end.offset + Int64(RecordSize.end + end.comment.count)
            throw ZipError(.trailingData, offset: after, detail: "\(size - after) bytes after the end of central directory record")
        }
        throw ZipError(.notAZip, offset: tailStart + Int64(firstCandidate ?? 0),
                       detail: "end of central directory comment length overruns the file")
    }

    /// Strict rule 3 for the end records: ZIP64 present exactly when needed and consistent.
    private func resolveZip64Strict(_ end: inout EndRecord, tail: [UInt8], tailStart: Int64) throws(ZipError) {
        let locatorOffset = end.offset - Int64(RecordSize.zip64Locator)
        var locator: [UInt8] = []
        if locatorOffset >= 0 {
            locator = try source.bytes(at: locatorOffset, count: RecordSize.zip64Locator)
        }
        let hasLocator = locator.count == RecordSize.zip64Locator && locator.le32(at: 0) == Signature.zip64Locator
        guard hasLocator else {
            if end.isSaturated {
                throw ZipError(.zip64Inconsistent, offset: end.offset,
                               detail: "end of central directory fields are saturated but there is no ZIP64 locator")
            }
            guard end.disk == 0, end.centralDirectoryDisk == 0 else {
                throw ZipError(.spannedArchive, offset: end.offset, detail: "disk \(end.disk), central directory disk \(end.centralDirectoryDisk)")
            }
            guard end.countOnDisk == end.count else {
                throw ZipError(.entryCountMismatch, offset: end.offset,
                               detail: "\(end.countOnDisk) entries on this disk, \(end.count) in total")
            }
            return
        }
        var l = ByteReader(locator, start: 4)
        let recordDisk = l.u32() ?? 1, recordOffset64 = l.u64() ?? .max, totalDisks = l.u32() ?? 0
        guard recordDisk == 0, totalDisks == 1 else {
            throw ZipError(.spannedArchive, offset: locatorOffset,
                           detail: "ZIP64 locator names disk \(recordDisk) of \(totalDisks)")
        }
        // Subtract on the known side: the offset comes from the file and may be near 2^63.
        guard locatorOffset >= Int64(RecordSize.zip64End),
              recordOffset64 <= UInt64(locatorOffset - Int64(RecordSize.zip64End)) else {
            throw ZipError(.zip64Inconsistent, offset: locatorOffset,
                           detail: "ZIP64 end record offset \(recordOffset64) does not leave room before the locator at \(locatorOffset)")
        }
        let recordOffset = Int64(recordOffset64)
        let record = try source.bytes(at: recordOffset, count: RecordSize.zip64End)
        var r = ByteReader(record)
        guard r.u32() == Signature.zip64End else {
            throw ZipError(.zip64Inconsistent, offset: recordOffset, detail: "no ZIP64 end of central directory record where the locator points")
        }
        let recordSize = r.u64() ?? 0
        _ = r.u16(); _ = r.u16()
        let disk = r.u32() ?? 1, cdDisk = r.u32() ?? 1
        let onDisk = r.u64() ?? 0, count = r.u64() ?? 0, cdSize = r.u64() ?? 0, cdOffset = r.u64() ?? 0
        // recordOffset + 56 <= locatorOffset (checked above), so this difference is at least 44.
        guard recordSize >= 44, recordSize == UInt64(locatorOffset - recordOffset - 12) else {
            throw ZipError(.zip64Inconsistent, offset: recordOffset,
                           detail: "ZIP64 end record size \(recordSize) does not end at the locator")
        }
        guard disk == 0, cdDisk == 0 else {
            throw ZipError(.spannedArchive, offset: recordOffset, detail: "ZIP64 disk \(disk), central directory disk \(cdDisk)")
        }
        func agrees(_ narrow: UInt64, _ saturated: UInt64, _ wide: UInt64) -> Bool {
            narrow == saturated || narrow == wide
        }
        guard agrees(UInt64(end.disk), 0xFFFF, 0), agrees(UInt64(end.centralDirectoryDisk), 0xFFFF, 0),
              agrees(end.countOnDisk, 0xFFFF, onDisk), agrees(end.count, 0xFFFF, count),
              agrees(end.centralDirectorySize, 0xFFFF_FFFF, cdSize),
              agrees(end.centralDirectoryOffset, 0xFFFF_FFFF, cdOffset) else {
            throw ZipError(.zip64Inconsistent, offset: recordOffset,
                           detail: "ZIP64 end record (count \(count), size \(cdSize), offset \(cdOffset)) disagrees with the end of central directory record (count \(end.count), size \(end.centralDirectorySize), offset \(end.centralDirectoryOffset))")
        }
        guard onDisk == count else {
            throw ZipError(.entryCountMismatch, offset: recordOffset, detail: "\(onDisk) entries on this disk, \(count) in total")
        }
        end.countOnDisk = onDisk
        end.count = count
        end.centralDirectorySize = cdSize
        end.centralDirectoryOffset = cdOffset
        end.centralDirectoryEnd = recordOffset
        end.isZip64 = true
    }

    /// Go's `readDirectoryEnd`: the last signature in the last 1 KiB, else in the last 65 KiB;
    /// a comment overrunning the file fails (Go ≥ 1.22.4). Then ZIP64 when saturated, and the
    /// base offset with its retry at 0. Returns the end record and the base offset.
    private mutating func locateEndLenient() throws(ZipError) -> (EndRecord, Int64) {
        let window = Int(min(size, Int64(RecordSize.goEndSearch)))
        let tailStart = size - Int64(window)
        let tail = try source.bytes(at: tailStart, count: window)
        guard tail.count == window else { throw ZipError(.io, offset: tailStart, detail: "short read") }
        var found: Int?
        var i = window - RecordSize.end
        while i >= 0 {
            if isEndSignature(tail, i) { found = i; break }
            i -= 1
        }
        guard let position = found else {
            throw ZipError(.notAZip, detail: "no end of central directory record in the last \(window) bytes")
        }
        let commentLength = Int(tail[position + 20]) | Int(tail[position + 21]) << 8
        guard position + RecordSize.end + commentLength <= window else {
            throw ZipError(.notAZip, offset: tailStart + Int64(position),
                           detail: "end of central directory comment length overruns the file")
        }
        var end = endFields(tail, at: position, tailStart: tailStart)
        let after = end.offset + Int64(RecordSize.end + commentLength)
        if after < size {
            try violation(ZipError(.trailingData, offset: after, detail: "\(size - after) bytes after the end of central directory record"))
        }
        var directoryEndOffset = end.offset
        if end.count == 0xFFFF || end.centralDirectorySize == 0xFFFF_FFFF || end.centralDirectoryOffset == 0xFFFF_FFFF {
            let locatorOffset = end.offset - Int64(RecordSize.zip64Locator)
            if locatorOffset >= 0 {
                let locator = try source.bytes(at: locatorOffset, count: RecordSize.zip64Locator)
                guard locator.count == RecordSize.zip64Locator else {
                    throw ZipError(.zip64Inconsistent, offset: locatorOffset, detail: "short read")
                }
                var l = ByteReader(locator)
                if l.u32() == Signature.zip64Locator, l.u32() == 0 {
                    let p = Int64(truncatingIfNeeded: l.u64() ?? 0)
                    if l.u32() == 1 {
                        guard p >= 0 else {
                            throw ZipError(.zip64Inconsistent, offset: locatorOffset, detail: "negative ZIP64 end record offset")
                        }
                        let record = try source.bytes(at: p, count: RecordSize.zip64End)
                        var r = ByteReader(record)
                        guard record.count == RecordSize.zip64End, r.u32() == Signature.zip64End else {
                            throw ZipError(.zip64Inconsistent, offset: p, detail: "no ZIP64 end of central directory record where the locator points")
                        }
                        _ = r.skip(12)
                        end.disk = r.u32() ?? 0
                        end.centralDirectoryDisk = r.u32() ?? 0
                        end.countOnDisk = r.u64() ?? 0
                        end.count = r.u64() ?? 0
                        end.centralDirectorySize = r.u64() ?? 0
                        end.centralDirectoryOffset = r.u64() ?? 0
                        directoryEndOffset = p
                    }
                }
            }
        }
        end.centralDirectoryEnd = directoryEndOffset
        let maxInt64 = UInt64(Int64.max)
        guard end.centralDirectorySize <= maxInt64, end.centralDirectoryOffset <= maxInt64 else {
            throw ZipError(.centralDirectoryOutOfBounds, offset: end.offset, detail: "central directory size or offset out of range")
        }
        let cdSize = Int64(end.centralDirectorySize), cdOffset = Int64(end.centralDirectoryOffset)
        // Go computes this in wrapping int64 arithmetic; so do we, deliberately.
        var base = directoryEndOffset &- cdSize &- cdOffset
        let start = base &+ cdOffset
        guard start >= 0, start < size else {
            throw ZipError(.centralDirectoryOutOfBounds, offset: end.offset,
                           detail: "central directory offset \(cdOffset) with size \(cdSize) is outside the file")
        }
        if base > 0 {
            var probe = SourceCursor(source: source, offset: cdOffset, limit: size)
            if case .record = try readCentralHeaderGo(&probe) { base = 0 }
        }
        if base != 0 {
            try violation(ZipError(.prependedData, offset: 0,
                                   detail: "central directory offsets are relative to offset \(base) (Go's base offset)"))
        }
        return (end, base)
    }

    // MARK: - Central directory

    /// Strict rules 2–3 for the central directory: bounds, exact counts, valid headers.
    private mutating func readCentralDirectoryStrict(_ end: EndRecord) throws(ZipError) -> [CentralRecord] {
        let cdEnd = end.centralDirectoryEnd
        guard end.centralDirectorySize <= UInt64(cdEnd), end.centralDirectoryOffset <= UInt64(cdEnd),
              end.centralDirectoryOffset + end.centralDirectorySize == UInt64(cdEnd) else {
            throw try boundsError(end)
        }
        let cdOffset = Int64(end.centralDirectoryOffset)
        guard end.count <= UInt64(clamping: limits.maxEntries) else {
            throw ZipError(.tooManyEntries, offset: end.offset, detail: "\(end.count) entries; limit is \(limits.maxEntries)")
        }
        let (minimumSize, sizeOverflow) = end.count.multipliedReportingOverflow(by: UInt64(RecordSize.centralHeader))
        guard !sizeOverflow, minimumSize <= end.centralDirectorySize else {
            throw ZipError(.entryCountMismatch, offset: end.offset,
                           detail: "\(end.count) entries cannot fit in a \(end.centralDirectorySize)-byte central directory")
        }
        if end.count == 0, cdOffset != 0 {
            throw ZipError(.prependedData, offset: 0, detail: "\(cdOffset) bytes before an empty central directory")
        }
        var cursor = SourceCursor(source: source, offset: cdOffset, limit: cdEnd)
        var records: [CentralRecord] = []
        records.reserveCapacity(Int(min(end.count, 65_536)))
        var totals = Totals()
        while cursor.remaining > 0 {
            guard UInt64(records.count) < end.count else {
                throw ZipError(.entryCountMismatch, offset: cursor.offset,
                               detail: "more central directory headers than the \(end.count) declared")
            }
            let headerOffset = cursor.offset
            guard let header = try cursor.take(RecordSize.centralHeader) else {
                throw ZipError(.invalidCentralDirectoryHeader, offset: headerOffset, detail: "truncated header")
            }
            guard header.le32(at: 0) == Signature.centralHeader else {
                throw ZipError(.invalidCentralDirectoryHeader, offset: headerOffset, detail: "bad signature")
            }
            let (nameLength, extraLength, commentLength) = variableLengths(header)
            guard let variable = try cursor.take(nameLength + extraLength + commentLength) else {
                throw ZipError(.invalidCentralDirectoryHeader, offset: headerOffset, detail: "name, extra or comment runs past the central directory")
            }
            var record = fixedFields(header, headerOffset: headerOffset)
            record.name = Array(variable[0..<nameLength])
            let extra = Array(variable[nameLength..<(nameLength + extraLength)])
            try applyZip64Strict(&record, extra: extra)
            try checkRecord(record, totals: &totals)
            records.append(record)
        }
        guard UInt64(records.count) == end.count else {
            throw ZipError(.entryCountMismatch, offset: end.offset,
                           detail: "\(records.count) central directory headers, \(end.count) declared")
        }
        return records
    }

    /// Tells prepended data (Go's base offset: the whole archive shifted) from a
    /// central directory that simply is not where the end record says.
    private func boundsError(_ end: EndRecord) throws(ZipError) -> ZipError {
        let cdEnd = end.centralDirectoryEnd
        let outOfBounds = ZipError(end.isZip64 ? .zip64Inconsistent : .centralDirectoryOutOfBounds, offset: end.offset,
            detail: "central directory at \(end.centralDirectoryOffset) of size \(end.centralDirectorySize) does not end at \(cdEnd)\(end.isZip64 ? " (values from the ZIP64 end record)" : "")")
        guard end.centralDirectorySize <= UInt64(cdEnd), end.centralDirectoryOffset < UInt64(cdEnd) else { return outOfBounds }
        let actualStart = cdEnd - Int64(end.centralDirectorySize)
        let base = actualStart - Int64(end.centralDirectoryOffset)
        guard base > 0 else { return outOfBounds }
        let header = try source.bytes(at: actualStart, count: RecordSize.centralHeader)
        guard header.count == RecordSize.centralHeader, header.le32(at: 0) == Signature.centralHeader,
              let localOffset = header.le32(at: 42) else { return outOfBounds }
        let (shifted, overflow) = base.addingReportingOverflow(Int64(localOffset))
        guard !overflow else { return outOfBounds }
        let local = try source.bytes(at: shifted, count: 4)
        guard local.le32(at: 0) == Signature.localHeader else { return outOfBounds }
        return ZipError(.prependedData, offset: 0, detail: "\(base) bytes before the archive (offsets are relative to its start)")
    }

    private func variableLengths(_ header: [UInt8]) -> (Int, Int, Int) {
        (Int(header.le16(at: 28) ?? 0), Int(header.le16(at: 30) ?? 0), Int(header.le16(at: 32) ?? 0))
    }

    private func fixedFields(_ header: [UInt8], headerOffset: Int64) -> CentralRecord {
        var r = ByteReader(header, start: 4)
        let versionMadeBy = r.u16() ?? 0
        _ = r.u16()
        let flags = r.u16() ?? 0, method = r.u16() ?? 0
        _ = r.u16(); _ = r.u16()
        let crc = r.u32() ?? 0, csize = r.u32() ?? 0, usize = r.u32() ?? 0
        _ = r.skip(6)
        let diskStart = r.u16() ?? 0
        _ = r.u16()
        let external = r.u32() ?? 0, offset = r.u32() ?? 0
        return CentralRecord(versionMadeBy: versionMadeBy, flags: flags, method: method, crc32: crc,
                             compressedSize: UInt64(csize), uncompressedSize: UInt64(usize),
                             diskStart: UInt32(diskStart), externalAttributes: external,
                             localHeaderOffset: UInt64(offset), name: [], hasZip64Extra: false,
                             headerOffset: headerOffset)
    }

    /// Splits an extra field into (tag, data) records; `wellFormed` is false when bytes are left
    /// over or a record overruns (Go stops there silently).
    private func extraRecords(_ extra: [UInt8]) -> (records: [(tag: UInt16, data: [UInt8])], wellFormed: Bool) {
        var r = ByteReader(extra)
        var records: [(tag: UInt16, data: [UInt8])] = []
        while r.remaining >= 4 {
            let tag = r.u16() ?? 0, length = Int(r.u16() ?? 0)
            guard let data = r.take(length) else { return (records, false) }
            records.append((tag, Array(data)))
        }
        return (records, r.remaining == 0)
    }

    /// Strict ZIP64 extra rules: present exactly when a field is saturated, once, long enough.
    private mutating func applyZip64Strict(_ record: inout CentralRecord, extra: [UInt8]) throws(ZipError) {
        let (records, wellFormed) = extraRecords(extra)
        if !wellFormed {
            warnings.add(ZipWarning(.malformedExtraField, entry: ByteString(record.name), offset: record.headerOffset))
        }
        let zip64 = records.filter { $0.tag == 0x0001 }
        let needsUSize = record.uncompressedSize == 0xFFFF_FFFF
        let needsCSize = record.compressedSize == 0xFFFF_FFFF
        let needsOffset = record.localHeaderOffset == 0xFFFF_FFFF
        let needsDisk = record.diskStart == 0xFFFF
        let needed = (needsUSize ? 8 : 0) + (needsCSize ? 8 : 0) + (needsOffset ? 8 : 0) + (needsDisk ? 4 : 0)
        let name = ByteString(record.name)
        if zip64.count > 1 {
            throw ZipError(.zip64Inconsistent, entry: name, offset: record.headerOffset, detail: "\(zip64.count) ZIP64 extra fields")
        }
        guard let field = zip64.first else {
            if needed > 0 {
                throw ZipError(.zip64Inconsistent, entry: name, offset: record.headerOffset,
                               detail: "saturated size or offset without a ZIP64 extra field")
            }
            return
        }
        guard needed > 0 else {
            throw ZipError(.zip64Inconsistent, entry: name, offset: record.headerOffset,
                           detail: "ZIP64 extra field although no size or offset is saturated")
        }
        guard field.data.count >= needed else {
            throw ZipError(.zip64Inconsistent, entry: name, offset: record.headerOffset,
                           detail: "ZIP64 extra field has \(field.data.count) bytes, needs \(needed)")
        }
        var r = ByteReader(field.data)
        if needsUSize { record.uncompressedSize = r.u64() ?? 0 }
        if needsCSize { record.compressedSize = r.u64() ?? 0 }
        if needsOffset { record.localHeaderOffset = r.u64() ?? 0 }
        if needsDisk { record.diskStart = r.u32() ?? 0 }
        record.hasZip64Extra = true
    }

    /// Running totals for the limits.
    struct Totals {
        var nameBytes: Int64 = 0
        var uncompressed: Int64 = 0
    }

    /// Rules 6 and the limits, for one central-directory header (both modes).
    private mutating func checkRecord(_ record: CentralRecord, totals: inout Totals) throws(ZipError) {
        var name: ByteString { ByteString(record.name) }   // built only for an error
        let at = record.headerOffset
        guard record.name.count <= limits.maxNameLength else {
            throw ZipError(.nameTooLong, entry: name, offset: at,
                           detail: "\(record.name.count)-byte name; limit is \(limits.maxNameLength)")
        }
        let (nameBytes, nameOverflow) = totals.nameBytes.addingReportingOverflow(Int64(record.name.count))
        totals.nameBytes = nameBytes
        guard !nameOverflow, nameBytes <= limits.maxTotalNameBytes else {
            throw ZipError(.nameTooLong, entry: name, offset: at,
                           detail: "names total more than \(limits.maxTotalNameBytes) bytes")
        }
        if strict, record.diskStart != 0 {
            throw ZipError(.spannedArchive, entry: name, offset: at, detail: "entry starts on disk \(record.diskStart)")
        }
        if record.flags & 0x0041 != 0 || record.method == 99 {
            throw ZipError(.encryptedEntry, entry: name, offset: at,
                           detail: "flags 0x\(String(record.flags, radix: 16)), method \(record.method)")
        }
        guard record.method == 0 || record.method == 8 else {
            throw ZipError(.unsupportedMethod(record.method), entry: name, offset: at)
        }
        // Sizes are 64-bit in ZIP64 extras: compared in UInt64 (a size above Int64.max is never
        // converted), summed with an overflow check. Reading with `maxEntrySize` and
        // `maxTotalUncompressedSize` at Int64.max (the module policy's reader, which reports sizes
        // itself) is the case that reaches the sum's overflow.
        guard record.uncompressedSize <= UInt64(clamping: limits.maxEntrySize) else {
            throw ZipError(.entryTooLarge, entry: name, offset: at,
                           detail: "declares \(record.uncompressedSize) bytes; limit is \(limits.maxEntrySize)")
        }
        let (total, totalOverflow) = totals.uncompressed.addingReportingOverflow(Int64(record.uncompressedSize))
        guard !totalOverflow else {
            throw ZipError(.totalSizeTooLarge, entry: name, offset: at,
                           detail: "declared uncompressed sizes add up to more than \(Int64.max) bytes")
        }
        totals.uncompressed = total
        guard total <= limits.maxTotalUncompressedSize else {
            throw ZipError(.totalSizeTooLarge, entry: name, offset: at,
                           detail: "declared uncompressed sizes exceed \(limits.maxTotalUncompressedSize) bytes")
        }
        if record.method == 0, record.compressedSize != record.uncompressedSize {
            throw ZipError(.sizeMismatch, entry: name, offset: at,
                           detail: "stored entry with compressed size \(record.compressedSize) and uncompressed size \(record.uncompressedSize)")
        }
        if record.name.last == UInt8(ascii: "/"), record.uncompressedSize != 0 {
            try violation(ZipError(.directoryEntryWithData, entry: name, offset: at,
                                   detail: "declares \(record.uncompressedSize) bytes"))
        }
    }

    /// Go's `readDirectoryHeader` outcome.
    enum GoHeader {
        case record(CentralRecord)
        /// `ErrFormat` or `io.ErrUnexpectedEOF`: Go stops reading the directory here.
        case stop
    }

    /// Go's `readDirectoryHeader`, including its ZIP64 extra handling (every ZIP64 extra is
    /// applied in order; one too short for a saturated field is `ErrFormat`).
    private mutating func readCentralHeaderGo(_ cursor: inout SourceCursor) throws(ZipError) -> GoHeader {
        let headerOffset = cursor.offset
        guard let header = try cursor.take(RecordSize.centralHeader),
              header.le32(at: 0) == Signature.centralHeader else { return .stop }
        let (nameLength, extraLength, commentLength) = variableLengths(header)
        guard let variable = try cursor.take(nameLength + extraLength + commentLength) else { return .stop }
        var record = fixedFields(header, headerOffset: headerOffset)
        record.name = Array(variable[0..<nameLength])
        let extra = Array(variable[nameLength..<(nameLength + extraLength)])
        let usize32 = record.uncompressedSize, csize32 = record.compressedSize, offset32 = record.localHeaderOffset
        var r = ByteReader(extra)
        while r.remaining >= 4 {
            let tag = r.u16() ?? 0, length = Int(r.u16() ?? 0)
            guard let data = r.take(length) else { break }
            guard tag == 0x0001 else { continue }
            var field = ByteReader(Array(data))
            record.hasZip64Extra = true
            if usize32 == 0xFFFF_FFFF {
                guard let value = field.u64() else { return .stop }
                record.uncompressedSize = value
            }
            if csize32 == 0xFFFF_FFFF {
                guard let value = field.u64() else { return .stop }
                record.compressedSize = value
            }
            if offset32 == 0xFFFF_FFFF {
                guard let value = field.u64() else { return .stop }
                record.localHeaderOffset = value
            }
        }
        if r.remaining != 0 {
            warnings.add(ZipWarning(.malformedExtraField, entry: ByteString(record.name), offset: headerOffset))
        }
        return .record(record)
    }

    /// Go's directory walk: headers from the base-adjusted offset until the first bad one;
    /// the count is compared modulo 65,536 only.
    private mutating func readCentralDirectoryLenient(_ end: EndRecord, base: Int64) throws(ZipError) -> [CentralRecord] {
        var cursor = SourceCursor(source: source, offset: base &+ Int64(end.centralDirectoryOffset), limit: size)
        var records: [CentralRecord] = []
        records.reserveCapacity(Int(min(end.count, 65_536)))
        var totals = Totals()
        while case .record(let record) = try readCentralHeaderGo(&cursor) {
            guard records.count < limits.maxEntries else {
                throw ZipError(.tooManyEntries, offset: record.headerOffset, detail: "more than \(limits.maxEntries) entries")
            }
            try checkRecord(record, totals: &totals)
            records.append(record)
        }
        guard UInt16(truncatingIfNeeded: records.count) == UInt16(truncatingIfNeeded: end.count) else {
            throw ZipError(.entryCountMismatch, offset: end.offset,
                           detail: "\(records.count) central directory headers, \(end.count) declared")
        }
        if UInt64(records.count) != end.count {
            try violation(ZipError(.entryCountMismatch, offset: end.offset,
                                   detail: "\(records.count) central directory headers, \(end.count) declared (equal modulo 65536)"))
        }
        return records
    }

    // MARK: - Local headers, data descriptors, spans

    /// A parsed local file header.
    struct LocalHeader {
        var flags: UInt16
        var method: UInt16
        var crc32: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var name: [UInt8]
        var nameLength: Int
        var extra: [UInt8]
        /// 30 + name length + extra length.
        var length: Int64
    }

    /// Reads the local header at `offset`. The first read covers the fixed part, the expected
    /// name and some extra; a mismatching name length is reported without reading the name.
    private func readLocalHeader(at offset: Int64, expectedNameLength: Int, entry: ByteString,
                                 readName: Bool) throws(ZipError) -> LocalHeader {
        guard offset >= 0, offset < size else {
            throw ZipError(.truncatedEntry, entry: entry, offset: offset, detail: "local header offset outside the file")
        }
        let first = Int(min(Int64(RecordSize.localHeader + expectedNameLength + 64), size - offset))
        var bytes = try window.bytes(at: offset, count: first)
        guard bytes.count >= RecordSize.localHeader else {
            throw ZipError(.truncatedEntry, entry: entry, offset: offset, detail: "truncated local file header")
        }
        guard bytes.le32(at: 0) == Signature.localHeader else {
            throw ZipError(.localHeaderMismatch(.signature), entry: entry, offset: offset, detail: "no local file header signature")
        }
        var r = ByteReader(bytes, start: 6)
        let flags = r.u16() ?? 0, method = r.u16() ?? 0
        _ = r.u16(); _ = r.u16()
        let crc = r.u32() ?? 0, csize = r.u32() ?? 0, usize = r.u32() ?? 0
        let nameLength = Int(r.u16() ?? 0), extraLength = Int(r.u16() ?? 0)
        var header = LocalHeader(flags: flags, method: method, crc32: crc, compressedSize: UInt64(csize),
                                 uncompressedSize: UInt64(usize), name: [], nameLength: nameLength, extra: [],
                                 length: Int64(RecordSize.localHeader + nameLength + extraLength))
        guard readName, nameLength == expectedNameLength else { return header }
        let total = RecordSize.localHeader + nameLength + extraLength
        if bytes.count < total {
            bytes = try window.bytes(at: offset, count: total)
            guard bytes.count == total else {
                throw ZipError(.truncatedEntry, entry: entry, offset: offset, detail: "truncated local file header")
            }
        }
        header.name = Array(bytes[30..<(30 + nameLength)])
        header.extra = Array(bytes[(30 + nameLength)..<total])
        return header
    }

    /// The local header's effective sizes (ZIP64 extra values for saturated fields), or `nil`
    /// when a saturated field has no ZIP64 value.
    private func localSizes(_ local: LocalHeader) -> (csize: UInt64, usize: UInt64, zip64: Bool)? {
        var csize = local.compressedSize, usize = local.uncompressedSize
        let zip64 = extraRecords(local.extra).records.first { $0.tag == 0x0001 }
        guard usize == 0xFFFF_FFFF || csize == 0xFFFF_FFFF else { return (csize, usize, zip64 != nil) }
        guard let field = zip64 else { return nil }
        var r = ByteReader(field.data)
        if usize == 0xFFFF_FFFF { guard let v = r.u64() else { return nil }; usize = v }
        if csize == 0xFFFF_FFFF { guard let v = r.u64() else { return nil }; csize = v }
        return (csize, usize, true)
    }

    /// Strict rules 4–5: spans from the central directory first (overlap bombs never reach a
    /// local header), then every local header and data descriptor.
    private mutating func checkSpansStrict(_ records: [CentralRecord], end: EndRecord) throws(ZipError) -> [ZipArchive.Entry] {
        let cdOffset = Int64(end.centralDirectoryOffset)
        // Phase A: minimal spans known from the central directory alone.
        var minimalEnds: [Int64] = []
        minimalEnds.reserveCapacity(records.count)
        for record in records {
            var name: ByteString { ByteString(record.name) }
            let span = UInt64(RecordSize.localHeader + record.name.count)
            let (withData, o1) = span.addingReportingOverflow(record.compressedSize)
            let (endOffset, o2) = record.localHeaderOffset.addingReportingOverflow(withData)
            guard !o1, !o2, record.localHeaderOffset < UInt64(cdOffset), endOffset <= UInt64(cdOffset) else {
                throw ZipError(.overlappingEntries, entry: name, offset: Int64(clamping: record.localHeaderOffset),
                               detail: "entry (local header at \(record.localHeaderOffset), \(record.compressedSize) compressed bytes) overlaps the central directory at \(cdOffset)")
            }
            minimalEnds.append(Int64(endOffset))
        }
        let order = records.indices.sorted {
            (records[$0].localHeaderOffset, $0) < (records[$1].localHeaderOffset, $1)
        }
        if let first = order.first, records[first].localHeaderOffset != 0 {
            throw ZipError(.prependedData, offset: 0,
                           detail: "first local file header at \(records[first].localHeaderOffset), not 0")
        }
        for k in order.indices.dropFirst() {
            let previous = order[k - 1], current = order[k]
            if Int64(records[current].localHeaderOffset) < minimalEnds[previous] {
                throw ZipError(.overlappingEntries, entry: ByteString(records[current].name),
                               offset: Int64(records[current].localHeaderOffset),
                               detail: "overlaps \(ByteString(records[previous].name)) (local header at \(records[previous].localHeaderOffset))")
            }
        }
        for (k, index) in order.enumerated() where k != index {
            throw ZipError(.entriesOutOfOrder, entry: ByteString(records[index].name),
                           offset: Int64(records[index].localHeaderOffset),
                           detail: "central directory entry \(index) is stored as entry \(k)")
        }
        // Phase B: local headers and data descriptors, in order; spans must tile [0, cdOffset).
        var entries: [ZipArchive.Entry] = []
        entries.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            let name = ByteString(record.name)
            let headerOffset = Int64(record.localHeaderOffset)
            let nextStart = index + 1 < records.count ? Int64(records[index + 1].localHeaderOffset) : cdOffset
            let local = try readLocalHeader(at: headerOffset, expectedNameLength: record.name.count, entry: name, readName: true)
            guard local.nameLength == record.name.count, local.name == record.name else {
                throw ZipError(.localHeaderMismatch(.name), entry: name, offset: headerOffset,
                               detail: "local header name is \(local.nameLength) bytes\(local.nameLength == record.name.count ? ": \(goQuote(local.name))" : "")")
            }
            guard local.method == record.method else {
                throw ZipError(.localHeaderMismatch(.method), entry: name, offset: headerOffset,
                               detail: "local header method \(local.method), central directory \(record.method)")
            }
            guard (local.flags ^ record.flags) & 0x0809 == 0 else {
                throw ZipError(.localHeaderMismatch(.flags), entry: name, offset: headerOffset,
                               detail: "local header flags 0x\(String(local.flags, radix: 16)), central directory 0x\(String(record.flags, radix: 16))")
            }
            guard let sizes = localSizes(local) else {
                throw ZipError(.zip64Inconsistent, entry: name, offset: headerOffset,
                               detail: "local header size saturated without a ZIP64 extra field")
            }
            let descriptor = record.flags & 0x8 != 0
            func agrees<T: Equatable & ExpressibleByIntegerLiteral>(_ local: T, _ central: T) -> Bool {
                local == central || (descriptor && local == 0)
            }
            guard agrees(local.crc32, record.crc32) else {
                throw ZipError(.localHeaderMismatch(.crc32), entry: name, offset: headerOffset,
                               detail: "local header CRC-32 \(hex8(local.crc32)), central directory \(hex8(record.crc32))")
            }
            guard agrees(sizes.csize, record.compressedSize), agrees(sizes.usize, record.uncompressedSize) else {
                throw ZipError(.localHeaderMismatch(.size), entry: name, offset: headerOffset,
                               detail: "local header sizes \(sizes.csize)/\(sizes.usize), central directory \(record.compressedSize)/\(record.uncompressedSize)")
            }
            let dataStart = headerOffset + local.length
            let (dataEnd, overflow) = dataStart.addingReportingOverflow(Int64(record.compressedSize))
            guard !overflow, dataEnd <= nextStart else {
                throw ZipError(.overlappingEntries, entry: name, offset: dataStart,
                               detail: "data runs past the next entry or the central directory at \(nextStart)")
            }
            var spanEnd = dataEnd
            if descriptor {
                spanEnd = try checkDescriptorStrict(record, at: dataEnd, available: nextStart - dataEnd,
                                                    zip64: sizes.zip64 || record.hasZip64Extra)
            }
            guard spanEnd == nextStart else {
                throw ZipError(.unreferencedData, entry: name, offset: spanEnd,
                               detail: "\(nextStart - spanEnd) bytes after the entry belong to no entry")
            }
            entries.append(ZipArchive.Entry(
                name: name, method: record.method, flags: record.flags, crc32: record.crc32,
                compressedSize: Int64(record.compressedSize), uncompressedSize: Int64(record.uncompressedSize),
                localHeaderOffset: headerOffset, externalAttributes: record.externalAttributes,
                versionMadeBy: record.versionMadeBy, index: index, dataOffset: dataStart,
                deferredError: nil, verifiesCRC: true, isZip64: sizes.zip64 || record.hasZip64Extra))
        }
        return entries
    }

    /// Reads and checks a data descriptor in strict mode; returns the end of the entry's span.
    private func checkDescriptorStrict(_ record: CentralRecord, at offset: Int64, available: Int64,
                                       zip64: Bool) throws(ZipError) -> Int64 {
        let name = ByteString(record.name)
        let bytes = try window.bytes(at: offset, count: Int(min(available, 24)))
        let signed = bytes.le32(at: 0) == Signature.dataDescriptor
        let wide = zip64 || available == (signed ? 24 : 20)
        let length = (signed ? 4 : 0) + 4 + (wide ? 16 : 8)
        guard Int64(length) <= available, bytes.count >= length else {
            throw ZipError(.truncatedEntry, entry: name, offset: offset,
                           detail: "data descriptor missing or truncated (\(available) bytes before the next record)")
        }
        var r = ByteReader(bytes, start: signed ? 4 : 0)
        let crc = r.u32() ?? 0
        let csize = wide ? (r.u64() ?? 0) : UInt64(r.u32() ?? 0)
        let usize = wide ? (r.u64() ?? 0) : UInt64(r.u32() ?? 0)
        guard crc == record.crc32 else {
            throw ZipError(.crcMismatch, entry: name, offset: offset,
                           detail: "data descriptor CRC-32 \(hex8(crc)), central directory \(hex8(record.crc32))")
        }
        guard csize == record.compressedSize, usize == record.uncompressedSize else {
            throw ZipError(.dataDescriptorMismatch, entry: name, offset: offset,
                           detail: "data descriptor sizes \(csize)/\(usize), central directory \(record.compressedSize)/\(record.uncompressedSize)")
        }
        return offset + Int64(length)
    }

    /// Lenient mode: Go's view of each entry (local header read only for its length, data
    /// descriptor only for its CRC-32), with every strict rule it breaks recorded as a warning
    /// and Go's open-time failures deferred to read time.
    private mutating func checkEntriesLenient(_ records: [CentralRecord], base: Int64) throws(ZipError) -> [ZipArchive.Entry] {
        var entries: [ZipArchive.Entry] = []
        entries.reserveCapacity(records.count)
        var spans: [(start: Int64, end: Int64, index: Int)] = []
        for (index, record) in records.enumerated() {
            let name = ByteString(record.name)
            let headerOffset = Int64(truncatingIfNeeded: record.localHeaderOffset) &+ base
            var deferred: ZipError?
            var dataOffset: Int64?
            var zip64 = record.hasZip64Extra
            do {
                let local = try readLocalHeader(at: headerOffset, expectedNameLength: record.name.count,
                                                entry: name, readName: true)
                dataOffset = headerOffset + local.length
                lenientLocalWarnings(local, record: record, at: headerOffset)
                if let sizes = localSizes(local), sizes.zip64 { zip64 = true }
            } catch {
                deferred = error
            }
            let compressedSize = Int64(clamping: record.compressedSize)
            if deferred == nil, record.compressedSize > UInt64(size) {
                deferred = ZipError(.truncatedEntry, entry: name, offset: dataOffset,
                                    detail: "declared compressed size \(record.compressedSize) exceeds the file")
            }
            if deferred == nil, record.name.last == UInt8(ascii: "/"), record.uncompressedSize != 0 {
                deferred = ZipError(.directoryEntryWithData, entry: name, offset: headerOffset,
                                    detail: "declares \(record.uncompressedSize) bytes")
            }
            let descriptor = record.flags & 0x8 != 0
            if deferred == nil, descriptor, let start = dataOffset, record.name.last != UInt8(ascii: "/") {
                deferred = lenientDescriptor(record, at: start + compressedSize, zip64: zip64)
            }
            if let start = dataOffset, deferred == nil {
                spans.append((headerOffset, start + compressedSize, index))
            }
            let verifiesCRC = descriptor || record.crc32 != 0
            if !verifiesCRC, record.uncompressedSize > 0 {
                warnings.add(ZipWarning(.crcNotVerified, entry: name, offset: headerOffset))
            }
            entries.append(ZipArchive.Entry(
                name: name, method: record.method, flags: record.flags, crc32: record.crc32,
                compressedSize: compressedSize, uncompressedSize: Int64(record.uncompressedSize),
                localHeaderOffset: headerOffset, externalAttributes: record.externalAttributes,
                versionMadeBy: record.versionMadeBy, index: index, dataOffset: dataOffset,
                deferredError: deferred, verifiesCRC: verifiesCRC, isZip64: zip64))
        }
        spans.sort { ($0.start, $0.index) < ($1.start, $1.index) }
        var furthest: (end: Int64, index: Int)?
        for span in spans {
            if let previous = furthest, span.start < previous.end {
                warnings.add(ZipWarning(.relaxed(.overlappingEntries), entry: entries[span.index].name, offset: span.start,
                                        detail: "overlaps \(entries[previous.index].name)"))
            }
            if furthest == nil || span.end > furthest!.end { furthest = (span.end, span.index) }
        }
        return entries
    }

    private mutating func lenientLocalWarnings(_ local: LocalHeader, record: CentralRecord, at offset: Int64) {
        let name = ByteString(record.name)
        func warn(_ field: ZipError.LocalHeaderField) {
            warnings.add(ZipWarning(.relaxed(.localHeaderMismatch(field)), entry: name, offset: offset))
        }
        if local.nameLength != record.name.count || local.name != record.name { warn(.name) }
        if local.method != record.method { warn(.method) }
        if (local.flags ^ record.flags) & 0x0809 != 0 { warn(.flags) }
        let descriptor = record.flags & 0x8 != 0
        if !(local.crc32 == record.crc32 || (descriptor && local.crc32 == 0)) { warn(.crc32) }
        if let sizes = localSizes(local) {
            let ok = (sizes.csize == record.compressedSize || (descriptor && sizes.csize == 0))
                && (sizes.usize == record.uncompressedSize || (descriptor && sizes.usize == 0))
            if !ok { warn(.size) }
        } else {
            warnings.add(ZipWarning(.relaxed(.zip64Inconsistent), entry: name, offset: offset))
        }
    }

    /// Go's `readDataDescriptor`: optional signature, then a CRC-32 that must match; sizes are
    /// ignored (a disagreement becomes a warning). Returns the error Go reports when the entry
    /// is read, if any.
    private mutating func lenientDescriptor(_ record: CentralRecord, at offset: Int64, zip64: Bool) -> ZipError? {
        let name = ByteString(record.name)
        guard offset >= 0, let bytes = try? window.bytes(at: offset, count: 24) else {
            return ZipError(.truncatedEntry, entry: name, offset: offset, detail: "data descriptor outside the file")
        }
        let signed = bytes.le32(at: 0) == Signature.dataDescriptor
        guard bytes.count >= (signed ? 16 : 12) else {
            return ZipError(.truncatedEntry, entry: name, offset: offset, detail: "data descriptor missing or truncated")
        }
        var r = ByteReader(bytes, start: signed ? 4 : 0)
        let crc = r.u32() ?? 0
        guard crc == record.crc32 else {
            return ZipError(.crcMismatch, entry: name, offset: offset,
                            detail: "data descriptor CRC-32 \(hex8(crc)), central directory \(hex8(record.crc32))")
        }
        let csize = zip64 ? r.u64() : r.u32().map(UInt64.init)
        let usize = zip64 ? r.u64() : r.u32().map(UInt64.init)
        if csize != record.compressedSize || usize != record.uncompressedSize {
            warnings.add(ZipWarning(.relaxed(.dataDescriptorMismatch), entry: name, offset: offset,
                                    detail: "data descriptor sizes \(csize.map(String.init) ?? "?")/\(usize.map(String.init) ?? "?"), central directory \(record.compressedSize)/\(record.uncompressedSize)"))
        }
        return nil
    }
}

func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
