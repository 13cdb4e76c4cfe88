@testable import GoModCore
@testable import GoModZip

/// Writes zip archives for tests, with every header field under the test's control, so that
/// local headers, central directory, data descriptors, ZIP64 records and the end record can
/// be made to disagree (the hostile archives of ZipArchiveSecurityTests). Defaults produce an honest archive in the shape
/// x/mod writes (method 8, zero times, version 20); `build()` also returns the layout so a
/// test can patch any byte afterwards. Bombs are generated here at test time, never committed.
struct ZipBuilder {
    /// Field overrides for a local or central header; `nil` means "the honest value".
    struct Header {
        var name: [UInt8]?
        var method: UInt16?
        var flags: UInt16?
        var crc32: UInt32?
        var compressedSize: UInt32?
        var uncompressedSize: UInt32?
        /// Central header only: the local header offset field.
        var offset: UInt32?
        /// Central header only: the disk-start field.
        var diskStart: UInt16?
    }

    /// A data descriptor after the entry's data (sets flag bit 3).
    struct Descriptor {
        var signature = true
        /// 64-bit sizes.
        var wide = false
        var crc32: UInt32?
        var compressedSize: UInt64?
        var uncompressedSize: UInt64?
        /// Set flag bit 3 but write no descriptor.
        var omit = false
    }

    struct Entry {
        var name: [UInt8]
        var content: [UInt8]
        var method: UInt16 = 8
        var flags: UInt16 = 0
        var descriptor: Descriptor?
        /// Write ZIP64 extras: sizes saturated in both headers, offset saturated in the CD.
        var zip64 = false
        /// The data bytes written instead of the (compressed) content.
        var data: [UInt8]?
        var versionMadeBy: UInt16 = 20
        var externalAttributes: UInt32 = 0
        var local = Header()
        var central = Header()
        /// Extra bytes appended after the generated extra fields.
        var localExtra: [UInt8] = []
        var centralExtra: [UInt8] = []
        /// Replaces the generated central extra field entirely.
        var centralExtraOverride: [UInt8]?
        var centralComment: [UInt8] = []
        /// Write no local record; the central header points at entry `aliasOf`'s local header.
        var aliasOf: Int?
        /// Omit from the central directory (the local record is still written).
        var omitFromCentral = false

        init(_ name: String, _ content: String, method: UInt16 = 8) {
            self.name = Array(name.utf8)
            self.content = Array(content.utf8)
            self.method = method
        }

        init(name: [UInt8], content: [UInt8], method: UInt16 = 8) {
            self.name = name
            self.content = content
            self.method = method
        }

        /// The bytes written as data.
        var dataBytes: [UInt8] { data ?? (method == 8 ? RawDeflate.compress(content) : content) }
    }

    /// End-of-central-directory overrides.
    struct End {
        var disk: UInt16?
        var centralDirectoryDisk: UInt16?
        var countOnDisk: UInt16?
        var count: UInt16?
        var centralDirectorySize: UInt32?
        var centralDirectoryOffset: UInt32?
        var commentLength: UInt16?
    }

    /// A ZIP64 end record and locator, with overrides.
    struct Zip64End {
        var countOnDisk: UInt64?
        var count: UInt64?
        var centralDirectorySize: UInt64?
        var centralDirectoryOffset: UInt64?
        var disk: UInt32 = 0
        var recordSize: UInt64?
        var locatorOffset: UInt64?
        var locatorDisk: UInt32 = 0
        var totalDisks: UInt32 = 1
        /// Saturate the 32-bit EOCD count, size and offset fields.
        var saturate = true
        /// Bytes between the ZIP64 record and the locator.
        var gap: [UInt8] = []
    }

    struct Layout {
        var localOffsets: [Int] = []
        var dataOffsets: [Int] = []
        var descriptorOffsets: [Int?] = []
        var centralOffsets: [Int] = []
        var centralDirectoryOffset = 0
        var centralDirectorySize = 0
        var zip64EndOffset: Int?
        var locatorOffset: Int?
        var endOffset = 0
    }

    var entries: [Entry] = []
    var prefix: [UInt8] = []
    /// Record offsets from the start of the file (a true self-extractor) rather than from the
    /// start of the zip part.
    var offsetsIncludePrefix = false
    var comment: [UInt8] = []
    var trailing: [UInt8] = []
    var end = End()
    var zip64End: Zip64End?
    /// Bytes written between the last entry and the central directory.
    var gapBeforeCentralDirectory: [UInt8] = []

    init(_ entries: [Entry] = []) { self.entries = entries }

    /// The module prefix of every test archive.
    static let prefix = "example.com/m@v1.0.0/"

    /// The baseline the hostile archives start from: `P/go.mod` and `P/m.go`, deflated, honest headers.
    static func baseline() -> ZipBuilder {
        ZipBuilder([
            Entry(prefix + "go.mod", "module example.com/m\n\ngo 1.19\n"),
            Entry(prefix + "m.go", "package m\n\nfunc F() int { return 42 }\n"),
        ])
    }

    mutating func add(_ name: String, _ content: String, method: UInt16 = 8) {
        entries.append(Entry(name, content, method: method))
    }

    var bytes: [UInt8] { build().bytes }

    func build() -> (bytes: [UInt8], layout: Layout) {
        var out = prefix
        var layout = Layout()
        let base = offsetsIncludePrefix ? 0 : prefix.count
        var datas: [[UInt8]] = []
        for entry in entries {
            let data = entry.dataBytes
            datas.append(data)
            let crc = CRC32.checksum(entry.content)
            if let alias = entry.aliasOf {
                layout.localOffsets.append(layout.localOffsets[alias])
                layout.dataOffsets.append(layout.dataOffsets[alias])
                layout.descriptorOffsets.append(nil)
                continue
            }
            layout.localOffsets.append(out.count - base)
            let descriptor = entry.descriptor != nil
            let flags = entry.flags | (descriptor ? 0x8 : 0)
            let name = entry.local.name ?? entry.name
            var extra: [UInt8] = []
            if entry.zip64 {
                extra.le16(1); extra.le16(16)
                extra.le64(descriptor ? 0 : UInt64(entry.content.count))
                extra.le64(descriptor ? 0 : UInt64(data.count))
            }
            extra += entry.localExtra
            out.le32(0x0403_4b50)
            out.le16(entry.zip64 ? 45 : 20)
            out.le16(entry.local.flags ?? flags)
            out.le16(entry.local.method ?? entry.method)
            out.le16(0); out.le16(0)
            out.le32(entry.local.crc32 ?? (descriptor ? 0 : crc))
            out.le32(entry.local.compressedSize ?? (entry.zip64 ? 0xFFFF_FFFF : descriptor ? 0 : UInt32(data.count)))
            out.le32(entry.local.uncompressedSize ?? (entry.zip64 ? 0xFFFF_FFFF : descriptor ? 0 : UInt32(entry.content.count)))
            out.le16(UInt16(name.count)); out.le16(UInt16(extra.count))
            out += name
            out += extra
            layout.dataOffsets.append(out.count)
            out += data
            if let d = entry.descriptor, !d.omit {
                layout.descriptorOffsets.append(out.count)
                if d.signature { out.le32(0x0807_4b50) }
                out.le32(d.crc32 ?? crc)
                let csize = d.compressedSize ?? UInt64(data.count), usize = d.uncompressedSize ?? UInt64(entry.content.count)
                if d.wide || entry.zip64 { out.le64(csize); out.le64(usize) } else { out.le32(UInt32(truncatingIfNeeded: csize)); out.le32(UInt32(truncatingIfNeeded: usize)) }
            } else {
                layout.descriptorOffsets.append(nil)
            }
        }
        out += gapBeforeCentralDirectory
        let cdStart = out.count
        var count = 0
        for (i, entry) in entries.enumerated() where !entry.omitFromCentral {
            count += 1
            layout.centralOffsets.append(out.count)
            let data = datas[i]
            let crc = CRC32.checksum(entry.content)
            let flags = entry.flags | (entry.descriptor != nil ? 0x8 : 0)
            let name = entry.central.name ?? entry.name
            var extra: [UInt8] = []
            if entry.zip64 {
                extra.le16(1); extra.le16(24)
                extra.le64(UInt64(entry.content.count)); extra.le64(UInt64(data.count)); extra.le64(UInt64(layout.localOffsets[i]))
            }
            extra += entry.centralExtra
            if let override = entry.centralExtraOverride { extra = override }
            out.le32(0x0201_4b50)
            out.le16(entry.versionMadeBy)
            out.le16(entry.zip64 ? 45 : 20)
            out.le16(entry.central.flags ?? flags)
            out.le16(entry.central.method ?? entry.method)
            out.le16(0); out.le16(0)
            out.le32(entry.central.crc32 ?? crc)
            out.le32(entry.central.compressedSize ?? (entry.zip64 ? 0xFFFF_FFFF : UInt32(data.count)))
            out.le32(entry.central.uncompressedSize ?? (entry.zip64 ? 0xFFFF_FFFF : UInt32(entry.content.count)))
            out.le16(UInt16(name.count)); out.le16(UInt16(extra.count)); out.le16(UInt16(entry.centralComment.count))
            out.le16(entry.central.diskStart ?? 0)
            out.le16(0)
            out.le32(entry.externalAttributes)
            out.le32(entry.central.offset ?? (entry.zip64 ? 0xFFFF_FFFF : UInt32(layout.localOffsets[i])))
            out += name
            out += extra
            out += entry.centralComment
        }
        layout.centralDirectoryOffset = cdStart - base
        layout.centralDirectorySize = out.count - cdStart
        var saturate = false
        if let z = zip64End {
            saturate = z.saturate
            layout.zip64EndOffset = out.count
            out.le32(0x0606_4b50)
            out.le64(z.recordSize ?? 44)
            out.le16(45); out.le16(45)
            out.le32(z.disk); out.le32(z.disk)
            out.le64(z.countOnDisk ?? UInt64(count))
            out.le64(z.count ?? UInt64(count))
            out.le64(z.centralDirectorySize ?? UInt64(layout.centralDirectorySize))
            out.le64(z.centralDirectoryOffset ?? UInt64(layout.centralDirectoryOffset))
            out += z.gap
            layout.locatorOffset = out.count
            out.le32(0x0706_4b50)
            out.le32(z.locatorDisk)
            out.le64(z.locatorOffset ?? UInt64(layout.zip64EndOffset! - base))
            out.le32(z.totalDisks)
        }
        layout.endOffset = out.count
        out.le32(0x0605_4b50)
        out.le16(end.disk ?? 0)
        out.le16(end.centralDirectoryDisk ?? 0)
        let count16 = saturate ? 0xFFFF : UInt16(truncatingIfNeeded: count)
        out.le16(end.countOnDisk ?? count16)
        out.le16(end.count ?? count16)
        out.le32(end.centralDirectorySize ?? (saturate ? 0xFFFF_FFFF : UInt32(layout.centralDirectorySize)))
        out.le32(end.centralDirectoryOffset ?? (saturate ? 0xFFFF_FFFF : UInt32(layout.centralDirectoryOffset)))
        out.le16(end.commentLength ?? UInt16(comment.count))
        out += comment
        out += trailing
        return (out, layout)
    }
}

extension Array where Element == UInt8 {
    mutating func le16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func le32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { append(UInt8((v >> UInt32(s)) & 0xFF)) } }
    mutating func le64(_ v: UInt64) { for s in stride(from: 0, to: 64, by: 8) { append(UInt8((v >> UInt64(s)) & 0xFF)) } }
    mutating func put16(_ v: UInt16, at i: Int) { self[i] = UInt8(v & 0xFF); self[i + 1] = UInt8(v >> 8) }
    mutating func put32(_ v: UInt32, at i: Int) { for k in 0..<4 { self[i + k] = UInt8((v >> UInt32(8 * k)) & 0xFF) } }
    mutating func put64(_ v: UInt64, at i: Int) { for k in 0..<8 { self[i + k] = UInt8((v >> UInt64(8 * k)) & 0xFF) } }
}



