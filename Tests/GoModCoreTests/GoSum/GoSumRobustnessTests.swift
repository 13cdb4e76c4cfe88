import GoModCore
import GoModTestSupport
import Testing

/// Random and mutated inputs never crash the reader, and its invariants hold: every mode keeps
/// a subset of the strict records, the writer's output reads back unchanged in cmd/go's strict
/// mode, and strict diagnostics point at real lines.
@Suite struct GoSumRobustnessTests {
    @Test func randomInputs() throws {
        var rng = SplitMix64(seed: 0x6057)
        let pieces: [[UInt8]] = [
            "rsc.io/quote", " ", " ", "\t", "\n", "\n", "\r\n", "v1.5.2", "/go.mod", "h1:", "h2:",
            "w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=", "=", "\u{A0}", "\u{3000}", "\u{85}", "é", "\u{301}",
            "example.com/m", "v2.0.0+incompatible", "x", "//", "#", "\u{0}", "\u{1B}[0m",
        ].map { Array($0.utf8) } + [[0xFF], [0x85], [0xC2], [0xE2, 0x80]]
        for _ in 0..<3_000 {
            var data: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &rng) { data += pieces.randomElement(using: &rng) ?? [] }
            if Bool.random(using: &rng), !data.isEmpty {
                data[Int.random(in: 0..<data.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            let strict = try GoSum(parsing: data)
            let tidy = try GoSum(parsing: data, mode: .goModTidy)
            let legacy = try GoSum(parsing: data, mode: .legacyGo)
            #expect(strict.records == tidy.records)
            #expect(legacy.records == Array(tidy.records.prefix(legacy.records.count)))
            let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).count
            #expect(strict.diagnostics.allSatisfy { $0.line >= 1 && $0.line <= lines })
            if let go = try? GoSum(parsing: data, mode: .go) {
                #expect(go.records == tidy.records && legacy.truncatedAtLine == nil)
            } else {
                #expect(legacy.truncatedAtLine != nil)
            }
            let formatted = strict.formatted()
            let reread = try GoSum(parsing: formatted, mode: .go)
            #expect(reread.formatted() == formatted)
        }
    }
}
