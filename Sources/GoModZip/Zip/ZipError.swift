public import GoModCore
/// A zip container failure: the rule that was broken, where, and for which entry.
///
/// Every hostile zip input GoModKit knows of (Docs/stricter-than-go.md) maps to exactly one
/// ``Code``. Two errors are
/// equal when their codes are equal (swift-asn1 style), so tests can write
/// `#expect(throws: ZipError(.crcMismatch)) { … }`; the context (entry name, offset,
/// detail) is for people.
///
/// ``description`` uses Go's `archive/zip` wording where Go has a message
/// (`zip: not a valid zip file`, `zip: checksum error`,
/// `zip: unsupported compression algorithm`) and quotes entry names as Go's `%q` does,
/// so hostile names never reach a terminal unescaped.
public struct ZipError: CodedError, Sendable, Hashable, CustomStringConvertible {
    /// Which header field of a local file header disagrees with its central-directory header.
    ///
    /// New fields may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a value with a `default`, or compare
    /// with `==`. Values are equal when they name the same field.
    public struct LocalHeaderField: Sendable, Hashable, CustomStringConvertible {
        /// The values of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: Sendable, Hashable {
            case signature
            case name
            case method
            case flags
            case crc32
            case size
        }

        /// The value.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// No local-file-header signature (`PK\x03\x04`) at the recorded offset.
        public static let signature = LocalHeaderField(.signature)
        /// The name bytes differ.
        public static let name = LocalHeaderField(.name)
        /// The compression method differs.
        public static let method = LocalHeaderField(.method)
        /// General-purpose flag bits 0, 3 or 11 differ.
        public static let flags = LocalHeaderField(.flags)
        /// The CRC-32 differs (entries without a data descriptor).
        public static let crc32 = LocalHeaderField(.crc32)
        /// The compressed or uncompressed size differs.
        public static let size = LocalHeaderField(.size)

        /// The field's name.
        public var description: String {
            switch backing {
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
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a value with a `default`, or compare
    /// with `==`. Values are equal when they name the same rule (with the same associated value).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The values of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: Sendable, Hashable {
            case notAZip
            case ambiguousEndOfCentralDirectory
            case trailingData
            case prependedData
            case entryCountMismatch
            case centralDirectoryOutOfBounds
            case invalidCentralDirectoryHeader
            case zip64Inconsistent
            case spannedArchive
            case localHeaderMismatch(LocalHeaderField)
            case overlappingEntries
            case entriesOutOfOrder
            case unreferencedData
            case sizeMismatch
            case truncatedEntry
            case trailingCompressedData
            case crcMismatch
            case dataDescriptorMismatch
            case encryptedEntry
            case unsupportedMethod(UInt16)
            case directoryEntryWithData
            case tooManyEntries
            case nameTooLong
            case archiveTooLarge
            case entryTooLarge
            case totalSizeTooLarge
            case inflateError
            case entryNotInArchive
            case io
        }

        /// The value.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// No usable end-of-central-directory record: empty, too short, not a zip, or the
        /// record's comment length overruns the file. Go: `zip: not a valid zip file`.
        public static let notAZip = Code(.notAZip)
        /// More than one end-of-central-directory signature could be taken as the record, so
        /// readers may disagree about the archive (CVE-2024-24789).
        public static let ambiguousEndOfCentralDirectory = Code(.ambiguousEndOfCentralDirectory)
        /// Bytes after the end-of-central-directory record and its comment.
        public static let trailingData = Code(.trailingData)
        /// Bytes before the first local file header.
        public static let prependedData = Code(.prependedData)
        /// The entry counts in the end records disagree with each other or with the number of
        /// central-directory headers.
        public static let entryCountMismatch = Code(.entryCountMismatch)
        /// The central directory's offset and size do not describe the bytes right before
        /// the end records.
        public static let centralDirectoryOutOfBounds = Code(.centralDirectoryOutOfBounds)
        /// A central-directory header is truncated or lacks its signature.
        public static let invalidCentralDirectoryHeader = Code(.invalidCentralDirectoryHeader)
        /// The ZIP64 end record, locator or extra fields are missing, malformed or disagree with
        /// the 32-bit fields or the actual positions.
        public static let zip64Inconsistent = Code(.zip64Inconsistent)
        /// A multi-disk (spanned) archive: a disk number is not 0.
        public static let spannedArchive = Code(.spannedArchive)
        /// A local file header disagrees with its central-directory header.
        public static func localHeaderMismatch(_ value: LocalHeaderField) -> Code { Code(.localHeaderMismatch(value)) }
        /// Two entries' byte spans overlap, or an entry overlaps the central directory
        /// (overlap bombs, aliased entries).
        public static let overlappingEntries = Code(.overlappingEntries)
        /// Entries are not stored in central-directory order.
        public static let entriesOutOfOrder = Code(.entriesOutOfOrder)
        /// Bytes between two entries, or between the last entry and the central directory, that
        /// belong to no entry (a hidden channel no reader ever looks at).
        public static let unreferencedData = Code(.unreferencedData)
        /// More output than the declared uncompressed size, or a stored entry whose compressed
        /// and uncompressed sizes differ.
        public static let sizeMismatch = Code(.sizeMismatch)
        /// The entry's data ends early: less output than declared, a deflate stream cut short,
        /// or a missing data descriptor. Go: `unexpected EOF`.
        public static let truncatedEntry = Code(.truncatedEntry)
        /// Bytes after the final deflate block, inside the declared compressed size.
        public static let trailingCompressedData = Code(.trailingCompressedData)
        /// The CRC-32 of the content (or a data descriptor's CRC-32) disagrees with the central
        /// directory. Go: `zip: checksum error`.
        public static let crcMismatch = Code(.crcMismatch)
        /// A data descriptor's sizes disagree with the central directory.
        public static let dataDescriptorMismatch = Code(.dataDescriptorMismatch)
        /// Encryption flag bit 0 or 6 is set, or the method is 99 (AES).
        public static let encryptedEntry = Code(.encryptedEntry)
        /// A compression method other than 0 (stored) or 8 (deflate).
        /// Go: `zip: unsupported compression algorithm`.
        public static func unsupportedMethod(_ value: UInt16) -> Code { Code(.unsupportedMethod(value)) }
        /// A directory entry (name ending in `/`) declares content.
        public static let directoryEntryWithData = Code(.directoryEntryWithData)
        /// More entries than ``ZipArchive/Limits/maxEntries``.
        public static let tooManyEntries = Code(.tooManyEntries)
        /// A name longer than ``ZipArchive/Limits/maxNameLength``, or all names together longer
        /// than ``ZipArchive/Limits/maxTotalNameBytes``.
        public static let nameTooLong = Code(.nameTooLong)
        /// The file is larger than ``ZipArchive/Limits/maxArchiveSize``.
        public static let archiveTooLarge = Code(.archiveTooLarge)
        /// One entry declares more than ``ZipArchive/Limits/maxEntrySize`` bytes, or more than
        /// ``ZipArchive/Limits/maxContentsSize`` was asked of ``ZipArchive/contents(of:)``.
        public static let entryTooLarge = Code(.entryTooLarge)
        /// The declared uncompressed sizes of all entries add up to more than
        /// ``ZipArchive/Limits/maxTotalUncompressedSize``.
        public static let totalSizeTooLarge = Code(.totalSizeTooLarge)
        /// zlib rejected the deflate stream; the detail carries zlib's message.
        public static let inflateError = Code(.inflateError)
        /// The entry passed to a reader does not belong to the archive it was read from.
        public static let entryNotInArchive = Code(.entryNotInArchive)
        /// Reading the underlying file failed (`errno` text in the detail).
        public static let io = Code(.io)

        /// The header field of a ``localHeaderMismatch(_:)``; `nil` for every other code.
        public var localHeaderField: LocalHeaderField? {
            if case .localHeaderMismatch(let field) = backing { return field }
            return nil
        }

        /// The compression method of an ``unsupportedMethod(_:)``; `nil` for every other code.
        public var compressionMethod: UInt16? {
            if case .unsupportedMethod(let method) = backing { return method }
            return nil
        }

        /// A short text naming the rule, in Go's words where Go has them.
        public var description: String {
            switch backing {
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
}

/// Something odd about an archive that the current ``ZipArchive/Mode`` tolerates.
///
/// Strict mode warns only about things that never change what is read (an archive comment);
/// Go-compatible mode also records every rule it relaxed (trailing or prepended data, header
/// mismatches, overlaps, CRCs Go would not check), so a forensic report can list them.
public struct ZipWarning: Sendable, Hashable, CustomStringConvertible {
    /// What was tolerated.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a value with a `default`, or compare
    /// with `==`. Values are equal when they name the same rule (with the same associated value).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The values of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: Sendable, Hashable {
            case archiveComment
            case relaxed(ZipError.Code)
            case crcNotVerified
            case malformedExtraField
            case moreWarnings
        }

        /// The value.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The archive has a comment. Comments never affect `h1:`.
        public static let archiveComment = Code(.archiveComment)
        /// A rule strict mode enforces was relaxed; the associated value is the error strict
        /// mode would have thrown.
        public static func relaxed(_ value: ZipError.Code) -> Code { Code(.relaxed(value)) }
        /// An entry's CRC-32 field is 0, it has no data descriptor and it is not empty: like Go,
        /// Go-compatible mode does not verify its content.
        public static let crcNotVerified = Code(.crcNotVerified)
        /// An entry's extra field is not a well-formed sequence of (tag, size, data) records.
        public static let malformedExtraField = Code(.malformedExtraField)
        /// More warnings were found than are kept; the detail says how many were dropped.
        public static let moreWarnings = Code(.moreWarnings)

        /// The rule strict mode would have enforced, for ``relaxed(_:)``; `nil` for every other code.
        public var relaxedCode: ZipError.Code? {
            if case .relaxed(let code) = backing { return code }
            return nil
        }

        /// A short text.
        public var description: String {
            switch backing {
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
