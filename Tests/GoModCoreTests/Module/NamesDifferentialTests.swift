import Foundation
@testable import GoModCore
import GoModTestSupport
import Testing

/// Differential tests against golang.org/x/mod: GoModKit's answers must equal Go 1.27.3's
/// byte for byte (accept/reject, error text, outputs) for every request of ``NamesCorpus``
/// and for random inputs. Three sources of Go's answers:
///
/// * the committed golden file `Fixtures/Module/names-golden.txt` (Go 1.27.3, see the README
///   next to it) — runs everywhere;
/// * the live reference `Tests/Reference/names` built with Go 1.27.3 — the corpus plus
///   random inputs;
/// * the same program built with Go 1.19 + x/mod v0.7.0, whose differences from current Go
///   must be exactly the documented ones.
@Suite struct NamesDifferentialTests {
    /// Whether a request may be answered differently by x/mod v0.7.0 on Go 1.19 and by current
    /// x/mod on Go 1.27.3. The only known cause is the Unicode version behind
    /// `unicode.IsLetter` (13.0 vs 17.0): a file-path element with a letter added since 13.0
    /// is valid only for current Go. (module.go changed only documentation and its sort
    /// implementation between the two; path.Match's rewrite kept its behaviour.)
    static func mayDifferInOldGo(_ request: NamesRequest) -> Bool {
        request.args.contains { arg in
            NamesCorpus.lettersAfterUnicode13.contains { letter in
                arg.count >= letter.count && (0...(arg.count - letter.count)).contains {
                    arg[$0..<($0 + letter.count)].elementsEqual(letter)
                }
            }
        }
    }

    /// Sends `requests` to a reference program and returns one answer per request.
    static func ask(_ program: String, _ requests: [NamesRequest]) throws -> [[String]] {
        let input = requests.map(\.line).joined(separator: "\n") + "\n"
        let output = try GoReference.run(program, [], stdin: Array(input.utf8))
        try #require(output.status == 0, "reference failed: \(output.stderrText)")
        let lines = output.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        try #require(lines.count == requests.count, "reference answered \(lines.count) of \(requests.count)")
        return lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Compares GoModKit's answers with Go's and records one issue per mismatch (up to 50).
    static func compare(_ requests: [NamesRequest], _ goAnswers: [[String]], source: String) -> Int {
        var mismatches = 0
        for (request, goAnswer) in zip(requests, goAnswers) {
            let ours = request.answer()
            if ours != goAnswer {
                mismatches += 1
                if mismatches <= 50 {
                    Issue.record("""
                        \(source): \(request)
                          Go:        \(readableAnswer(goAnswer))
                          GoModKit:  \(readableAnswer(ours))
                        """)
                }
            }
        }
        return mismatches
    }

    static var goldenURL: URL? {
        Bundle.module.resourceURL?.appendingPathComponent("Fixtures/Module/names-golden.txt")
    }

    /// The committed Go 1.27.3 answers (format: request line, a tab, `=>`, a tab, answer line).
    @Test func goldenAnswers() throws {
        let url = try #require(Self.goldenURL)
        let text = try String(contentsOf: url, encoding: .utf8)
        var requests: [NamesRequest] = []
        var answers: [[String]] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let halves = line.components(separatedBy: "\t=>\t")
            try #require(halves.count == 2, "bad golden line \(line)")
            let fields = halves[0].split(separator: "\t", omittingEmptySubsequences: false)
            let args = try fields.dropFirst().map { try #require(bytesFromHex($0)) }
            requests.append(NamesRequest(String(fields[0]), list: args))
            answers.append(halves[1].split(separator: "\t", omittingEmptySubsequences: false).map(String.init))
        }
        #expect(requests.count > 1_000)
        #expect(Self.compare(requests, answers, source: "golden") == 0)
        // The golden file must cover the corpus, so it is regenerated whenever the corpus grows.
        let golden = Set(requests)
        let missing = NamesCorpus.goldenRequests.filter { !golden.contains($0) }
        #expect(missing.count == 0, "golden file lacks \(missing.count) corpus requests, e.g. \(missing.prefix(3))")
    }

    /// The live Go 1.27.3 reference over the corpus and random inputs. With
    /// `GOMODKIT_WRITE_GOLDEN=<path>` in the environment it also writes Go's answers for the
    /// golden subset of the corpus to that path.
    @Test func liveCurrentReference() throws {
        let program = try GoReference.program("names", flavour: .current)
        let requests = NamesCorpus.requests + Self.randomRequests(count: 6_000, seed: Self.seed)
        let answers = try Self.ask(program, requests)
        #expect(requests.count > 20_000)
        #expect(Self.compare(requests, answers, source: "Go 1.27.3") == 0)

        if let path = ProcessInfo.processInfo.environment["GOMODKIT_WRITE_GOLDEN"] {
            let goldenSet = Set(NamesCorpus.goldenRequests)
            var text = """
                # Go 1.27.3 (golang.org/x/mod v0.36.1-0.20260813213634-8569e2639ca1) answers for the
                # golden subset of Tests/GoModCoreTests/Module/NamesCorpus.swift, produced by
                # Tests/Reference/names; see README.md in this directory.

                """
            for (request, answer) in zip(requests, answers) where goldenSet.contains(request) {
                text += request.line + "\t=>\t" + answer.joined(separator: "\t") + "\n"
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    /// Go 1.19 + x/mod v0.7.0 must agree with Go 1.27.3 except for the documented differences.
    @Test func oldReferenceDiffersOnlyAsDocumented() throws {
        let current = try GoReference.program("names", flavour: .current)
        let old = try GoReference.program("names", flavour: .old)
        let requests = NamesCorpus.requests
        let currentAnswers = try Self.ask(current, requests)
        let oldAnswers = try Self.ask(old, requests)
        var differing: [NamesRequest] = []
        for (request, (a, b)) in zip(requests, zip(currentAnswers, oldAnswers)) where a != b {
            differing.append(request)
        }
        let unexplained = differing.filter { !Self.mayDifferInOldGo($0) }
        #expect(unexplained.isEmpty, "unexplained old/current differences: \(unexplained.prefix(10))")
        // The Unicode-version effect is real: e.g. CheckFilePath accepts a Unicode 14 letter
        // only in current Go.
        #expect(differing.contains { $0.op == "checkFilePath" })
    }

    /// Go's `unicode.IsLetter` (file-path characters) and `strconv.IsPrint` (quoting in error
    /// messages) agree with the Swift runtime's Unicode tables for every code point; a Unicode
    /// version skew would show up here.
    @Test func unicodeTablesAgreeWithGo() throws {
        let program = try GoReference.program("names", flavour: .current)
        let output = try GoReference.run(program, ["unicode"])
        try #require(output.status == 0 && output.stdout.count == 0x110000 * 3)
        var letterSkew: [String] = [], printSkew: [String] = []
        for r in 0..<UInt32(0x110000) {
            let i = Int(r) * 3
            let goLetter = output.stdout[i] == UInt8(ascii: "1"), goPrint = output.stdout[i + 1] == UInt8(ascii: "1")
            if goIsLetter(r) != goLetter { letterSkew.append(String(r, radix: 16)) }
            let ourPrint = Unicode.Scalar(r).map(goIsPrint) ?? false
            if ourPrint != goPrint { printSkew.append(String(r, radix: 16)) }
        }
        #expect(letterSkew.isEmpty, "IsLetter differs for \(letterSkew.count) code points: \(letterSkew.prefix(20))")
        #expect(printSkew.isEmpty, "IsPrint differs for \(printSkew.count) code points: \(printSkew.prefix(20))")
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["GOMODKIT_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x6E61_6D65_73
    }

    /// Random requests assembled from fragments that exercise the parsers' branches.
    static func randomRequests(count: Int, seed: UInt64) -> [NamesRequest] {
        var rng = SplitMix64(seed: seed)
        let fragments: [[UInt8]] = [
            "v", "V", "0", "1", "9", "00", "12", "20060102150405", "19991231235959", ".", ".", "-", "-", "+", "/", "/",
            "a", "z", "A", "Z", "!", "~", "_", "go.mod", "gopkg.in/", "example.com", "x.y", "incompatible", "-0.",
            ".0.", "unstable", "con", "lpt1", "*", "?", "[", "]", "^", "\\", ",", " ", "é", "\u{212A}", "\u{301}",
            "中", "\u{200B}", "abcdef123456", "rc", "pre",
        ].map { Array($0.utf8) } + [[0xFF], [0x00], [0xC3], [0x80]]
        func randomBytes() -> [UInt8] {
            var out: [UInt8] = []
            for _ in 0..<Int.random(in: 0...10, using: &rng) {
                out += fragments.randomElement(using: &rng) ?? []
            }
            return out
        }
        let unary = ["checkPath", "checkImportPath", "checkFilePath", "splitPathVersion", "escapePath", "unescapePath",
                     "isValid", "canonical", "major", "majorMinor", "prerelease", "build", "canonicalVersion",
                     "escapeVersion", "unescapeVersion", "isPseudoVersion", "isZeroPseudoVersion",
                     "pseudoVersionTime", "pseudoVersionRev", "pseudoVersionBase", "pathMajorPrefix",
                     "zeroPseudoVersion"]
        let binary = ["check", "checkPathMajor", "matchPathMajor", "compare", "max", "matchPrefixPatterns", "pathMatch"]
        var out: [NamesRequest] = []
        for _ in 0..<count {
            if Bool.random(using: &rng) {
                out.append(NamesRequest(unary.randomElement(using: &rng) ?? "isValid", randomBytes()))
            } else {
                out.append(NamesRequest(binary.randomElement(using: &rng) ?? "compare", randomBytes(), randomBytes()))
            }
        }
        return out
    }
}

extension NamesCorpus {
    /// The part of the corpus pinned by the committed golden file (kept small): inputs of at
    /// most 100 bytes; every request of most single-input operations (every 2nd or 3rd of
    /// the path escaping and splitting ones), every 8th of the high-volume pairwise ones
    /// (major-suffix and glob grids), every 40th comparison, and no sort lists. The live
    /// reference checks the whole corpus.
    static var goldenRequests: [NamesRequest] {
        let sampled: [String: Int] = [
            "checkPathMajor": 8, "matchPathMajor": 8, "matchPrefixPatterns": 8, "pathMatch": 8, "check": 4,
            "compare": 40, "max": 40, "pseudoVersion": 4, "semverSort": 0, "moduleSort": 0,
            "escapePath": 3, "unescapePath": 3, "splitPathVersion": 3, "checkImportPath": 2,
        ]
        var counters: [String: Int] = [:]
        return requests.filter { request in
            guard request.args.allSatisfy({ $0.count <= 100 }) else { return false }
            guard let every = sampled[request.op] else { return true }
            let n = counters[request.op, default: 0]
            counters[request.op] = n + 1
            return every > 0 && n % every == 0
        }
    }
}
