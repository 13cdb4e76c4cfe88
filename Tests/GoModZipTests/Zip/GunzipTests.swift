import Testing
@testable import GoModCore
@testable import GoModZip

/// `gunzip` against Go's `compress/gzip` reader. The inputs were made with Python's `zlib`
/// (RFC 1952 layout, header CRC-16 = low half of the CRC-32 of the header bytes); the verdicts
/// are Go 1.27.3's (`gzip.NewReader` + `io.ReadAll`): `good` reads as "hello, gzip\n", `bad`
/// (header CRC off by one) and `long512` (a 512-byte FNAME) fail with `gzip: invalid header`,
/// `long511` (a 511-byte FNAME) reads.
@Suite struct GunzipTests {
    static let deflateAndTrailer = "cb48cdc9c9d75148afca2ce00200861f82a40c000000"
    static let payload = Array("hello, gzip\n".utf8)

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let v = c <= 0x39 ? c - 0x30 : c - 0x61 + 10
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }

    /// FNAME and FHCRC, with the right header CRC.
    @Test func headerCRCAccepted() throws {
        let data = Self.bytes("1f8b080a0000000000ff6e616d652e7478740089b9" + Self.deflateAndTrailer)
        #expect(try gunzip(data, limit: 1 << 20, name: "good.gz") == Self.payload)
    }

    /// A wrong header CRC fails as Go's does (regression: it was skipped unchecked).
    @Test func headerCRCMismatchRefused() {
        let data = Self.bytes("1f8b080a0000000000ff6e616d652e747874008ab9" + Self.deflateAndTrailer)
        do {
            _ = try gunzip(data, limit: 1 << 20, name: "bad.gz")
            Issue.record("a wrong header CRC was accepted")
        } catch {
            #expect(error.code == .notAZip)
        }
    }

    /// Go's `readString` limit: a name of 511 bytes reads, one of 512 is refused.
    @Test func nameLengthLimit() throws {
        let header = "1f8b08080000000000ff"
        let ok = Self.bytes(header + String(repeating: "61", count: 511) + "00" + Self.deflateAndTrailer)
        #expect(try gunzip(ok, limit: 1 << 20, name: "long511.gz") == Self.payload)
        let long = Self.bytes(header + String(repeating: "61", count: 512) + "00" + Self.deflateAndTrailer)
        do {
            _ = try gunzip(long, limit: 1 << 20, name: "long512.gz")
            Issue.record("a 512-byte FNAME was accepted")
        } catch {
            #expect(error.code == .notAZip)
        }
    }
}
