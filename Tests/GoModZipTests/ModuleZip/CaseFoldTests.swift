import Foundation
@testable import GoModCore
@testable import GoModZip
import GoModTestSupport
import Testing

/// x/mod's `strToFold`, reproduced by ``CaseFold`` with a table generated from Go's `unicode`
/// package: compared with Go 1.27.3 for every Unicode scalar value (the reference program
/// prints every code point whose image differs from itself), and on whole names.
@Suite struct CaseFoldTests {
    /// Every code point: Go's list of non-identity mappings equals ours, and every code point
    /// Go does not list maps to itself here.
    @Test func everyCodePointMatchesGo() throws {
        let text = String(decoding: try ModZipRef.raw(["foldtable", "pairs"]), as: UTF8.self)
        var goMap: [UInt32: UInt32] = [:]
        var unicodeVersion = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("unicode ") {
                unicodeVersion = String(line.dropFirst("unicode ".count))
                continue
            }
            let fields = line.split(separator: " ")
            goMap[UInt32(fields[0], radix: 16)!] = UInt32(fields[1], radix: 16)!
        }
        #expect(goMap.count == 1512)
        #expect(unicodeVersion == CaseFoldTable.unicodeVersion)
        var mismatches: [String] = []
        for value in UInt32(0)...0x10FFFF where !(0xD800...0xDFFF).contains(value) {
            let want = goMap[value] ?? value
            let got = CaseFold.fold(value)
            if got != want, mismatches.count < 20 {
                mismatches.append(String(format: "U+%04X: Go U+%04X, GoModKit U+%04X", value, want, got))
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// Whole names: x/mod's `strToFold` (copied verbatim into the reference program) gives the
    /// same bytes, including the ASCII fast path and invalid UTF-8 (one U+FFFD per bad byte).
    @Test func namesMatchGo() throws {
        let names: [[UInt8]] = [
            Array("simple/path.go".utf8), Array("MiXeD/Case.GO".utf8), Array("\u{212A}elvin".utf8),
            Array("\u{17F}ecret".utf8), Array("STRASSE \u{1E9E}\u{DF}".utf8), Array("\u{130}stanbul".utf8),
            Array("\u{3A3}\u{3C3}\u{3C2}".utf8), Array("caf\u{E9}".utf8), Array("cafe\u{301}".utf8),
            [0x61, 0xFF, 0x42, 0xC3], Array("\u{10400}\u{10428}".utf8), Array("\u{1E900}".utf8), [],
        ]
        let input = try JSONSerialization.data(withJSONObject: names.map { Data($0).base64EncodedString() })
        let go = try ModZipRef.run(["strtofold"], stdin: Array(input))
        #expect(go.count == names.count)
        for (name, answer) in zip(names, go) {
            #expect(CaseFold.key(name) == ModZipRef.base64(answer["foldBase64"]), "\(ByteString(name))")
        }
    }

    /// x/mod `zip.strToFold` (Unicode simple case folding): Kelvin sign, `k` and `K` fold together; long s, `s` and `S`
    /// too; NFC and NFD spellings do not.
    @Test func specExamples() {
        #expect(CaseFold.equalFold(Array("\u{212A}.go".utf8), Array("k.go".utf8)))
        #expect(CaseFold.equalFold(Array("K.go".utf8), Array("k.go".utf8)))
        #expect(CaseFold.equalFold(Array("\u{17F}.go".utf8), Array("S.go".utf8)))
        #expect(!CaseFold.equalFold(Array("caf\u{E9}".utf8), Array("cafe\u{301}".utf8)))
    }
}
