public import GoModCore
import Crypto

extension DirHash {
    /// The `h1:` hash of a set of files: x/mod's `dirhash.Hash1`.
    ///
    /// The names are sorted bytewise (Go's `sort.Strings`, never Swift `String` order); for each,
    /// the line `hex(SHA-256(contents))`, two spaces, the name and `\n` is summarised, and the
    /// result is `h1:` + base64(SHA-256(summary)) (x/mod `sumdb/dirhash/hash.go`).
    ///
    /// - Throws: `DirHashError.Code.newlineInName` when a name contains `\n`
    ///   (Go: `dirhash: filenames with newlines are not supported`).
    public static func hash1(files: [(name: ByteString, contents: [UInt8])]) throws(DirHashError) -> DirHash {
        try hash1(summarising: files.map { (name: $0.name, fileDigest: Array(SHA256.hash(data: $0.contents))) })
    }

    /// The `h1:` hash of a module's go.mod file, as go.sum's `<version>/go.mod` lines record it:
    /// `Hash1` over the single file named `go.mod` (no `path@version/` prefix; cmd/go
    /// `internal/modfetch/fetch.go`).
    public static func hashGoMod(_ contents: some Collection<UInt8>) -> DirHash {
        var hasher = SHA256()
        hasher.update(data: Array(contents))
        let summary = hashLine(digest: Array(hasher.finalize()), name: ByteString("go.mod"))
        return DirHash(summaryDigest: Array(SHA256.hash(data: summary)))
    }

    /// `Hash1` over names with precomputed per-file SHA-256 digests. Duplicate names are
    /// summarised once per occurrence, as Go does.
    static func hash1(summarising items: [(name: ByteString, fileDigest: [UInt8])]) throws(DirHashError) -> DirHash {
        for item in items where item.name.contains(0x0A) {
            throw DirHashError(.newlineInName, name: item.name,
                               message: "dirhash: filenames with newlines are not supported")
        }
        let sorted = items.sorted { $0.name < $1.name }
        var hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        for item in sorted {
            buffer.append(contentsOf: hashLine(digest: item.fileDigest, name: item.name))
            if buffer.count >= 1 << 15 {
                hasher.update(data: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        hasher.update(data: buffer)
        return DirHash(summaryDigest: Array(hasher.finalize()))
    }

    /// One summary line: 64 lower-case hex digits, two spaces, the name, a newline.
    static func hashLine(digest: [UInt8], name: ByteString) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(digest.count * 2 + 3 + name.count)
        for byte in digest {
            line.append(lowerHex[Int(byte >> 4)])
            line.append(lowerHex[Int(byte & 0x0F)])
        }
        line.append(0x20)
        line.append(0x20)
        line.append(contentsOf: name.bytes)
        line.append(0x0A)
        return line
    }

    /// A hash from a 32-byte SHA-256 digest produced here (always 32 bytes).
    init(summaryDigest: [UInt8]) {
        precondition(summaryDigest.count == 32, "SHA-256 digests are 32 bytes")
        self.init(uncheckedDigest: summaryDigest)
    }
}

private let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)
