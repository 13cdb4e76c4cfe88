import GoModCore
import Testing

@Suite struct ByteStringTests {
    /// Byte order, as Go compares strings (dirhash.Hash1, module.Sort), not Swift String order or canonical equivalence.
    @Test func bytewiseOrderAndEquality() {
        let names: [ByteString] = [
            ByteString("\u{212A}"), "Z", "a", ByteString("\u{E1}"), ByteString("a\u{301}"), "b", "k",
        ]
        let sorted = names.sorted().map(\.bytes)
        #expect(sorted == [[0x5a], [0x61], [0x61, 0xcc, 0x81], [0x62], [0x6b], [0xc3, 0xa1], [0xe2, 0x84, 0xaa]])
        #expect(ByteString("caf\u{E9}") != ByteString("cafe\u{301}"))
        #expect(Set([ByteString("caf\u{E9}"), ByteString("cafe\u{301}")]).count == 2)
    }

    /// Go's %q output for the inputs the error messages quote (values from Go's strconv.Quote).
    @Test func goQuoting() {
        #expect(ByteString([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x67, 0x6f]).description == #""caf\xe9.go""#)
        #expect(ByteString("a\u{0}b\nc\"\\").description == #""a\x00b\nc\"\\""#)
        #expect(ByteString("\u{FEFF}x\u{A0}\u{202E}").description == #""\ufeffx\u00a0\u202e""#)
        #expect(ByteString("가.go").description == "\"가.go\"")
        #expect(ByteString([0xed, 0xa0, 0x80]).description == #""\xed\xa0\x80""#)
    }
}
