public import GoModCore
/// A zip container failure: the rule that was broken, where, and for which entry.
///
/// Every hostile input in `SECURITY.md` §2.2 maps to exactly one ``Code``. Two errors are
/// equal when their codes are equal (swift-asn1 style), so tests can write
/// `#expect(throws: ZipError(.crcMismatch)) { … }`; the context (entry name, offset,
/// detail) is for people.
///
/// ``description`` uses Go's `archive/zip` wording where Go has a message
/// (`zip: not a valid zip file`, `zip: checksum error`,
/// `zip: unsupported compression algorithm`) and quotes entry names as Go's `%q` does,
/// so hostile names never reach a terminal unescaped.
public struct ZipError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which header field of a local file header disagrees with its central-directory header.
    public enum LocalHeaderField: Sendable, Hashable, CustomStringConvertible {
        /// No local-file-header signature (`PK\x03\x04`) at the recorded offset.
        case signature
        /// The name bytes differ (SECURITY row 19, 22).
        case name
        /// The compression method differs (row 20).
        case method
        /// General-purpose flag bits 0, 3 or 11 differ.
        case flags
        /// The CRC-32 differs (entries without a data descriptor).
        case crc32
        /// The compressed or uncompressed size differs (row 21).
        case size

        /// The field's name.
        public var description: String {
            switch self {
            case .signature: "signature"
            case .name: "name"
            case .method: "method"
            case .flags: "flags"
            case .crc32: "crc32"
            case .size: "size"
            }
        }
    }

    /// The broken rule.
    public enum Code: Sendable, Hashable, CustomStringConvertible {
        /// No usable end-of-central-directory record: empty, too short, not a zip, or the
        /// record's comment length overruns the file (rows 2, 3). Go: `zip: not a valid zip file`.
        case notAZip
        /// More than one end-of-central-directory signature could be taken as the record, so
        /// readers may disagree about the archive (rows 3, 4; CVE-2024-24789).
        case ambiguousEndOfCentralDirectory
        /// Bytes after the end-of-central-directory record and its comment (row 5).
        case trailingData
        /// Bytes before the first local file header (rows 7, 8).
        case prependedData
        /// The entry counts in the end records disagree with each other or with the number of
        /// central-directory headers (rows 9, 10).
        case entryCountMismatch
        /// The central directory's offset and size do not describe the bytes right before
        /// the end records (rows 11, 12).
        case centralDirectoryOutOfBounds
        /// A central-directory header is truncated or lacks its signature.
        case invalidCentralDirectoryHeader
        /// The ZIP64 end record, locator or extra fields are missing, malformed or disagree with
        /// the 32-bit fields or the actual positions (rows 16–18).
        case zip64Inconsistent
        /// A multi-disk (spanned) archive: a disk number is not 0.
        case spannedArchive
        /// A local file header disagrees with its central-directory header (rows 19–22).
        case localHeaderMismatch(LocalHeaderField)
        /// Two entries' byte spans overlap, or an entry overlaps the central directory
        /// (rows 23–27: overlap bombs, aliased entries).
        case overlappingEntries
        /// Entries are not stored in central-directory order.
        case entriesOutOfOrder
        /// Bytes between two entries, or between the last entry and the central directory, that
        /// belong to no entry (a hidden channel no reader ever looks at).
        case unreferencedData
        /// More output than the declared uncompressed size, or a stored entry whose compressed
        /// and uncompressed sizes differ (rows 28, 30).
        case sizeMismatch
        /// The entry's data ends early: less output than declared, a deflate stream cut short,
        /// or a missing data descriptor (rows 29, 31, 33, 39). Go: `unexpected EOF`.
        case truncatedEntry
        /// Bytes after the final deflate block, inside the declared compressed size (row 32).
        case trailingCompressedData
        /// The CRC-32 of the content (or a data descriptor's CRC-32) disagrees with the central
        /// directory (rows 35–37). Go: `zip: checksum error`.
        case crcMismatch
        /// A data descriptor's sizes disagree with the central directory (row 38).
        case dataDescriptorMismatch
        /// Encryption flag bit 0 or 6 is set, or the method is 99 (AES) (row 40).
        case encryptedEntry
        /// A compression method other than 0 (stored) or 8 (deflate) (row 41).
        /// Go: `zip: unsupported compression algorithm`.
        case unsupportedMethod(UInt16)
        /// A directory entry (name ending in `/`) declares content (rows 65, 66).
        case directoryEntryWithData
        /// More entries than ``ZipArchive/Limits/maxEntries`` (row 43).
        case tooManyEntries
        /// A name longer than ``ZipArchive/Limits/maxNameLength``, or all names together longer
        /// than ``ZipArchive/Limits/maxTotalNameBytes``.
        case nameTooLong
        /// The file is larger than ``ZipArchive/Limits/maxArchiveSize`` (row 63).
        case archiveTooLarge
        /// One entry declares more than ``ZipArchive/Limits/maxEntrySize`` bytes, or more than
        /// ``ZipArchive/Limits/maxContentsSize`` was asked of ``ZipArchive/contents(of:)``.
        case entryTooLarge
        /// The declared uncompressed sizes of all entries add up to more than
        /// ``ZipArchive/Limits/maxTotalUncompressedSize`` (row 26, 61).
        case totalSizeTooLarge
        /// zlib rejected the deflate stream; the detail carries zlib's message (row 34).
        case inflateError
        /// The entry passed to a reader does not belong to the archive it was read from.
        case entryNotInArchive
        /// Reading the underlying file failed (`errno` text in the detail).
        case io

        /// A short text naming the rule, in Go's words where Go has them.
        public var description: String {
            switch self {
            case .notAZip: "not a valid zip file"
            case .ambiguousEndOfCentralDirectory: "ambiguous end of central directory record"
            case .trailingData: "trailing data after the end of central directory record"
            case .prependedData: "data before the first local file header"
            case .entryCountMismatch: "entry count mismatch"
            case .centralDirectoryOutOfBounds: "central directory out of bounds"
            case .invalidCentralDirectoryHeader: "invalid central directory header"
            case .zip64Inconsistent: "inconsistent ZIP64 records"
            case .spannedArchive: "multi-disk archives are not supported"
            case .localHeaderMismatch(let field): "local file header \(field) differs from the central directory"
            case .overlappingEntries: "overlapping entries"
            case .entriesOutOfOrder: "entries not stored in central directory order"
            case .unreferencedData: "data outside any entry"
            case .sizeMismatch: "size mismatch"
            case .truncatedEntry: "unexpected EOF"
            case .trailingCompressedData: "data after the end of the deflate stream"
            case .crcMismatch: "checksum error"
            case .dataDescriptorMismatch: "data descriptor disagrees with the central directory"
            case .encryptedEntry: "encrypted entry"
            case .unsupportedMethod(let method): "unsupported compression algorithm \(method)"
            case .directoryEntryWithData: "directory entry with data"
            case .tooManyEntries: "too many entries"
            case .nameTooLong: "name too long"
            case .archiveTooLarge: "zip file too large"
            case .entryTooLarge: "entry too large"
            case .totalSizeTooLarge: "total uncompressed size too large"
            case .inflateError: "invalid deflate data"
            case .entryNotInArchive: "entry does not belong to this archive"
            case .io: "I/O error"
            }
        }
    }

    /// The broken rule; the only part that takes part in `==` and hashing.
    public var code: Code
    /// The entry concerned, as raw name bytes, when there is one.
    public var entry: ByteString?
    /// The byte offset in the archive where the problem was found, when known.
    public var offset: Int64?
    /// Human-readable specifics (declared versus actual values, zlib's message, `errno` text).
    public var detail: String

    /// Creates an error; only `code` matters for equality.
    public init(_ code: Code, entry: ByteString? = nil, offset: Int64? = nil, detail: String = "") {
        self.code = code
        self.entry = entry
        self.offset = offset
        self.detail = detail
    }

    /// `zip: <rule>[: <quoted entry>][ at offset N][: <detail>]`.
    public var description: String {
        zipMessage("zip: \(code)", entry: entry, offset: offset, detail: detail)
    }

    /// Errors are equal when their codes are equal.
    public static func == (lhs: ZipError, rhs: ZipError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// Something odd about an archive that the current ``ZipArchive/Mode`` tolerates.
///
/// Strict mode warns only about things that never change what is read (an archive comment);
/// lenient mode also records every rule it relaxed (trailing or prepended data, header
/// mismatches, overlaps, CRCs Go would not check), so a forensic report can list them.
public struct ZipWarning: Sendable, Hashable, CustomStringConvertible {
    /// What was tolerated.
    public enum Code: Sendable, Hashable, CustomStringConvertible {
        /// The archive has a comment (row 6). Comments never affect `h1:`.
        case archiveComment
        /// A rule strict mode enforces was relaxed; the associated value is the error strict
        /// mode would have thrown.
        case relaxed(ZipError.Code)
        /// An entry's CRC-32 field is 0, it has no data descriptor and it is not empty: like Go,
        /// lenient mode does not verify its content (row 36).
        case crcNotVerified
        /// An entry's extra field is not a well-formed sequence of (tag, size, data) records.
        case malformedExtraField
        /// More warnings were found than are kept; the detail says how many were dropped.
        case moreWarnings

        /// A short text.
        public var description: String {
            switch self {
            case .archiveComment: "archive has a comment"
            case .relaxed(let code): "tolerated: \(code)"
            case .crcNotVerified: "CRC-32 is 0 and is not verified"
            case .malformedExtraField: "malformed extra field"
            case .moreWarnings: "more warnings"
            }
        }
    }

    /// What was tolerated.
    public var code: Code
    /// The entry concerned, when there is one.
    public var entry: ByteString?
    /// The byte offset concerned, when known.
    public var offset: Int64?
    /// Specifics.
    public var detail: String

    /// Creates a warning.
    public init(_ code: Code, entry: ByteString? = nil, offset: Int64? = nil, detail: String = "") {
        self.code = code
        self.entry = entry
        self.offset = offset
        self.detail = detail
    }

    /// `zip: warning: <what>[: <quoted entry>][ at offset N][: <detail>]`.
    public var description: String {
        zipMessage("zip: warning: \(code)", entry: entry, offset: offset, detail: detail)
    }
}

/// `<head>[: <quoted entry>][ at offset N][: <detail>]`, the shape of every zip error and warning.
private func zipMessage(_ head: String, entry: ByteString?, offset: Int64?, detail: String) -> String {
    var text = head
    if let entry { text += ": \(entry)" }
    if let offset { text += " at offset \(offset)" }
    if !detail.isEmpty { text += ": \(detail)" }
    return text
}
