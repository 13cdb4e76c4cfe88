import Foundation
@testable import GoModCore
import GoModTestSupport
import Testing

/// Hostile go.mod inputs, rows 81–91 (numbered in each probe), each with its typed outcome.
///
/// Expected messages and positions are Go's: they were produced by running each input through
/// Go 1.27.3's x/mod (`modfile.Parse` / `ParseLax`, via Tests/Reference/modfile `batch`), and
/// ``probesAgreeWithGo()`` re-checks every probe against that reference whenever Go is present.
@Suite struct GoModSecurityTests {
    /// A probe: input, parse mode, and the outcome Go produced.
    struct Probe: Sendable, CustomTestStringConvertible {
        var row: Int
        var data: [UInt8]
        var strictness: GoMod.Strictness = .strict
        /// `nil` when Go accepts the file.
        var error: (code: ModFileError.Code, text: String)?

        var testDescription: String { "row \(row): \(terminalSafe(data).prefix(60))" }
    }

    static let probes: [Probe] = [
        // Row 81: characters that are neither space, punctuation nor printable; /* */ comments.
        Probe(row: 81, data: [0xEF, 0xBB, 0xBF] + Array("module m\n".utf8),
              error: (.unexpectedCharacter, "go.mod:1: unexpected input character '\\ufeff'")),
        Probe(row: 81, data: Array("module m".utf8) + [0x00, 0x0A],
              error: (.unexpectedCharacter, "go.mod:1:9: unexpected input character '\\x00'")),
        Probe(row: 81, data: Array("module m\n\u{07}go 1.21\n".utf8),
              error: (.unexpectedCharacter, "go.mod:2: unexpected input character '\\a'")),
        Probe(row: 81, data: Array("module m\ngo 1.21\u{0C}\n".utf8),
              error: (.unexpectedCharacter, "go.mod:2:8: unexpected input character '\\f'")),
        Probe(row: 81, data: Array("module\u{A0}m\n".utf8),
              error: (.unexpectedCharacter, "go.mod:1:7: unexpected input character '\\u00a0'")),
        Probe(row: 81, data: Array("module m /* c */\n".utf8),
              error: (.blockComment, "go.mod:1:10: mod files must use // comments (not /* */ comments)")),
        Probe(row: 81, data: Array("/* c */ module m\n".utf8),
              error: (.blockComment, "go.mod:1: mod files must use // comments (not /* */ comments)")),
        Probe(row: 81, data: Array("module m\nrequire x/*y v1.0.0\n".utf8),
              error: (.blockComment, "go.mod:2:10: mod files must use // comments (not /* */ comments)")),
        // Row 82: paths Go's parser does not validate.
        Probe(row: 82, data: Array("module example.com/".utf8) + [0xFF, 0x0A]),
        Probe(row: 82, data: Array("module m\nrequire RSC.IO/quote v1.5.2\n".utf8)),
        Probe(row: 82, data: Array("module m\nrequire a.com/../b v1.0.0\n".utf8)),
        // Row 83: silently canonicalised.
        Probe(row: 83, data: Array("module m\nrequire x v1.5\n".utf8)),
        // Row 84: the current grammar.
        Probe(row: 84, data: Array("module m\ngo 1.21.0\ntoolchain go1.22.3\ngodebug k=v\ntool x/y\nignore ./z\n".utf8)),
        Probe(row: 84, data: Array("module m\ngo 1.21rc1\n".utf8)),
        // Row 85: toolchain names.
        Probe(row: 85, data: Array("module m\ntoolchain 1.22\n".utf8),
              error: (.invalidToolchain, "go.mod:2: invalid toolchain version '1.22': must match format go1.23.0 or default")),
        Probe(row: 85, data: Array("module m\ntoolchain gox\n".utf8),
              error: (.invalidToolchain, "go.mod:2: invalid toolchain version 'gox': must match format go1.23.0 or default")),
        Probe(row: 85, data: Array("module m\ntoolchain 1.22\n".utf8), strictness: .lax),
        // Row 86: broken blocks.
        Probe(row: 86, data: Array("module m\nrequire (\n\tx v1.0.0\n".utf8),
              error: (.unterminatedBlock, "go.mod:4: syntax error (unterminated block started at go.mod:2:1)")),
        Probe(row: 86, data: Array("module m\nrequire (\n\tx v1.0.0\n) x\n".utf8),
              error: (.expectedNewlineAfterParen, "go.mod:4:4: syntax error (expected newline after closing paren)")),
        Probe(row: 86, data: Array("module m\nrequire (\n\trequire (\n\t\tx v1.0.0\n\t)\n)\n".utf8),
              error: (.invalidVersion, "go.mod:3:2: require require: version \"(\" invalid: must be of the form v1.2.3\ngo.mod:6: unknown directive: )")),
        Probe(row: 86, data: Array("module m\nrequire ( (\n)\n".utf8),
              error: (.unknownBlockType, "go.mod:2: unknown block type: require (")),
        // Row 87: directory replacements are data.
        Probe(row: 87, data: Array("module m\nreplace a => /etc\nreplace b => ../../..\n".utf8)),
        // Row 89: strconv.Unquote semantics.
        Probe(row: 89, data: Array("module \"example.com/m\\u0041\"\n".utf8)),
        Probe(row: 89, data: Array("module `example.com/m`\n".utf8),
              error: (.invalidQuotedString, "go.mod:1: invalid quoted string: unquoted string cannot contain quote")),
        Probe(row: 89, data: Array("module \"example.com/\\xff\"\n".utf8)),
        Probe(row: 89, data: Array("module \"a\\\nb\"\n".utf8),
              error: (.invalidQuotedString, "go.mod:1: invalid quoted string: invalid syntax")),
        Probe(row: 89, data: Array("module \"abc\n".utf8),
              error: (.newlineInString, "go.mod:1:12: unexpected newline in string")),
        Probe(row: 89, data: Array("module \"abc".utf8),
              error: (.unterminatedString, "go.mod:1:8: unexpected EOF in string")),
        // Row 90: terminal escapes in comments.
        Probe(row: 90, data: Array("// Deprecated: \u{1B}[2J use \u{202E} other\nmodule m\n\n// \u{1B}]0;pwn\u{07} rationale\nretract v1.0.0\n".utf8)),
    ]

    @Test(arguments: probes)
    func probe(_ p: Probe) {
        do {
            let file = try GoMod.parse(p.data, strictness: p.strictness)
            #expect(p.error == nil, "GoModKit accepted what Go rejects: \(p.error?.text ?? "")")
            // Round trip (row 91) on every accepted probe.
            #expect(try GoMod.parse(file.formatted(), strictness: p.strictness).formatted() == file.formatted())
        } catch {
            #expect(error.code == p.error?.code, "code \(error.code)")
            #expect(error.goText.utf8String == p.error?.text)
        }
    }

    /// Every probe's outcome is still what Go 1.27.3 does.
    @Test func probesAgreeWithGo() throws {
        let requests = Self.probes.enumerated().map { k, p in
            ModFileReference.Request(kind: p.strictness == .lax ? .lax : .mod, name: "go.mod", data: p.data,
                                     origin: "probe \(k) (row \(p.row))")
        }
        try ModFileDifferentialTests.check(requests)
    }

    @Test func row82PathsAreFindings() throws {
        let bad = try GoMod.parse(Array("module example.com/".utf8) + [0xFF, 0x0A])
        #expect(bad.module?.path.bytes == Array("example.com/".utf8) + [0xFF])
        #expect(bad.findings.map(\.code) == [.invalidModulePath])
        #expect(bad.findings.first?.detail == "malformed module path \"example.com/\\xff\": invalid UTF-8")
        let file = try GoMod.parse(Array("module m\nrequire RSC.IO/quote v1.5.2\nrequire a.com/../b v1.0.0\n".utf8))
        #expect(file.findings.map(\.code) == [.invalidModulePath, .invalidModulePath, .invalidModulePath])
        #expect(file.findings.map(\.subject) == ["m", "RSC.IO/quote", "a.com/../b"])
        #expect(file.findings[1].description
            == "2: invalidModulePath: malformed module path \"RSC.IO/quote\": invalid char 'R' in first path element")
    }

    @Test func row83NonCanonicalVersionIsAFinding() throws {
        let file = try GoMod.parse(Array("module example.com/m\nrequire example.com/x v1.5\nretract v1.0\n".utf8))
        #expect(file.requirements.first?.module.version == "v1.5.0")
        #expect(file.findings.map(\.code) == [.nonCanonicalVersion, .nonCanonicalVersion])
        #expect(file.findings.map(\.subject) == ["v1.5", "v1.0"])
        #expect(file.findings.map(\.detail) == ["v1.5.0", "v1.0.0"])
        #expect(file.retractions.first?.low == "v1.0", "x/mod keeps retractions as written")
    }

    @Test func row85LaxSkipsToolchain() throws {
        let file = try GoMod.parse(Array("module m\ntoolchain 1.22\nreplace a => ./b\nfuture x\n".utf8), strictness: .lax)
        #expect(file.toolchain == nil)
        #expect(file.skippedStatements.map(\.reason) == [.mainModuleOnly, .mainModuleOnly, .unknownDirective])
        #expect(file.skippedStatements.map(\.tokens) == [["toolchain", "1.22"], ["replace", "a", "=>", "./b"], ["future", "x"]])
        #expect(file.skippedStatements.map(\.position.line) == [2, 3, 4])
    }

    /// Row 87: the parser reads nothing from disk — ModFile has no file-system access at all
    /// (it does not import Foundation), and directory replacements are plain data.
    @Test func row87NoFileSystemAccess() throws {
        let file = try GoMod.parse(Array("module m\nreplace a => /etc\nreplace b => ../../..\n".utf8))
        #expect(file.replacements.map(\.isLocalDirectory) == [true, true])
        #expect(file.replacements.map(\.new.path) == ["/etc", "../../.."])
        let sources = GoReference.repoRoot.appendingPathComponent("Sources/GoModCore/ModFile")
        let names = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
        #expect(names.count >= 10)
        for name in names {
            let text = try String(contentsOf: sources.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("import Foundation") && !text.contains("FileManager") && !text.contains("fopen"),
                    "\(name) must not touch the file system")
        }
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        let d = clock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Row 88: a 16 MiB single-line go.mod (one 16 MiB module path) parses, formats and edits.
    @Test func row88SixteenMebibyteLine() throws {
        var long = Array("module ".utf8)
        long += repeatElement(UInt8(ascii: "a"), count: 16 << 20)
        long.append(0x0A)
        var file = try GoMod.parse(long)
        #expect(file.module?.path.count == 16 << 20)
        try file.addRequire(ModuleVersion(path: "example.com/x", version: "v1.0.0"))
        #expect(file.formatted().count == long.count + "\nrequire example.com/x v1.0.0\n".utf8.count)
    }

    /// Row 88: 1,000,000 `require` lines in one block.
    @Test func row88MillionRequirements() throws {
        var big = Array("module example.com/m\n\nrequire (\n".utf8)
        let line = Array("\texample.com/m0000000 v1.2.3 // indirect\n".utf8)
        big.reserveCapacity(big.count + line.count * 1_000_000 + 2)
        for i in 0..<1_000_000 {
            var l = line
            var n = i
            for k in stride(from: 20, through: 14, by: -1) {  // the seven digits
                l[k] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            }
            big += l
        }
        big += Array(")\n".utf8)
        let file = try GoMod.parse(big)
        let requirements = file.requirements
        #expect(requirements.count == 1_000_000)
        #expect(requirements.last?.module.path == "example.com/m0999999" && requirements.last?.isIndirect == true)
    }

    /// Row 88: linear time on a hostile line of many one-byte tokens: four times the input
    /// takes about four times as long (a quadratic parser would take sixteen).
    @Test func row88ManyTokensAreLinear() throws {
        func tokens(_ n: Int) -> [UInt8] {
            var out = Array("require ".utf8)
            out.reserveCapacity(8 + 2 * n + 1)
            for _ in 0..<n { out += [UInt8(ascii: "a"), 0x20] }
            out.append(0x0A)
            return out
        }
        let small = tokens(1 << 17), large = tokens(1 << 19)
        _ = try? GoMod.parse(small)  // warm up
        // `require a a a …` is x/mod's "usage: require module/path v1.2.3".
        var codes: [ModFileError.Code?] = []
        let t1 = Self.seconds { codes.append(#expect(throws: ModFileError.self) { try GoMod.parse(small) }?.code) }
        let t4 = Self.seconds { codes.append(#expect(throws: ModFileError.self) { try GoMod.parse(large) }?.code) }
        #expect(codes == [.usage, .usage])
        #expect(t4 < max(t1, 0.005) * 10, "4x the tokens took \(t4 / t1)x the time")
    }

    @Test func row89QuotedStrings() throws {
        #expect(try GoMod.parse(Array("module \"example.com/m\\u0041\"\n".utf8)).module?.path == "example.com/mA")
        #expect(try GoMod.parse(Array("module \"example.com/\\xff\"\n".utf8)).module?.path.bytes
                == Array("example.com/".utf8) + [0xFF])
        // Invalid UTF-8 inside a quoted string is replaced by U+FFFD, as strconv.Unquote does.
        let raw = try GoMod.parse(Array("module \"example.com/".utf8) + [0xFF] + Array("\\u0041\"\n".utf8))
        #expect(raw.module?.path.bytes == Array("example.com/".utf8) + [0xEF, 0xBF, 0xBD, 0x41])
        // x/mod parseString: a raw string is not a string here ("unquoted string cannot contain quote").
        let rawString = #expect(throws: ModFileError.self) { try GoMod.parse(Array("module `example.com/m`\n".utf8)) }
        #expect(rawString?.code == .invalidQuotedString)
    }

    /// Row 90: comment text is kept verbatim and printed escaped.
    @Test func row90TerminalEscapesStayVerbatimAndPrintEscaped() throws {
        let file = try GoMod.parse(Array("// Deprecated: \u{1B}[2J use \u{202E} other\nmodule m\n\n// \u{1B}]0;pwn\u{07} x\nretract v1.0.0\n".utf8))
        let deprecated = try #require(file.module?.deprecated)
        #expect(deprecated.bytes == Array("\u{1B}[2J use \u{202E} other".utf8))
        #expect(deprecated.description == "\"\\x1b[2J use \\u202e other\"")
        let rationale = try #require(file.retractions.first?.rationale)
        #expect(rationale.bytes == Array("\u{1B}]0;pwn\u{07} x".utf8))
        #expect(!rationale.description.contains("\u{1B}"))
        // Errors that quote file content are escaped in their description too.
        do {
            // A quoted token may hold any byte but a newline; x/mod quotes the verb raw.
            _ = try GoMod.parse(Array("module m\n\"foo\u{1B}[31m\u{202E}\" x\n".utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.code == .unknownDirective)
            #expect(error.message.bytes == Array("unknown directive: \"foo\u{1B}[31m\u{202E}\"".utf8))
            #expect(error.description == "go.mod:2: unknown directive: \"foo\\x1b[31m\\u202e\"")
        }
        do {
            _ = try GoMod.parse(Array("module m\ngo 1.21\u{1B}[31m\n".utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.code == .unexpectedCharacter)
            #expect(error.description == "go.mod:2:8: unexpected input character '\\x1b'")
        }
    }

    /// Row 91: every accepted file survives format → parse with the same syntax tree (positions
    /// and comment placement aside, as x/mod's TestPrintParse compares) and the same directives;
    /// likewise for the normalized output of ``GoMod/formatted()`` against the cleaned-up file.
    /// (Formatting is not always a fixed point in x/mod either: a blank line that sorting moves
    /// to the top of a block is printed once and dropped by the next parse.)
    @Test func row91RoundTrip() throws {
        try ModFileCorpus.requireGoSource()
        let (mods, _) = ModFileCorpus.xmodTestdataFiles()
        let files = mods + ModFileCorpus.debian() + ModFileCorpus.goTree() + ModFileCorpus.goScripts().mods
        var checked = 0
        for file in files {
            for strictness in GoMod.Strictness.allCases {
                guard let first = try? GoMod.parse(file.data, strictness: strictness) else { continue }
                let second = try GoMod.parse(first.syntax.formatted(), strictness: strictness)
                #expect(RoundTrip.shape(first.syntax) == RoundTrip.shape(second.syntax), "\(file.origin)")
                #expect(RoundTrip.model(first) == RoundTrip.model(second), "\(file.origin)")
                var cleaned = first
                cleaned.cleanUp()
                let third = try GoMod.parse(first.formatted(), strictness: strictness)
                #expect(RoundTrip.shape(cleaned.syntax) == RoundTrip.shape(third.syntax), "\(file.origin)")
                #expect(RoundTrip.model(cleaned).sorted() == RoundTrip.model(third).sorted(), "\(file.origin)")
                checked += 1
            }
        }
        #expect(checked >= 2_000)
    }
}

/// Comparisons for round trips.
enum RoundTrip {
    /// The tree without positions and comments (what x/mod's eqchecker compares).
    static func shape(_ s: GoModSyntax) -> [String] {
        s.statements.map { stmt in
            switch stmt {
            case .comments: return "comments"
            case .line(let l): return "line " + l.tokens.map(\.description).joined(separator: " ") + " \(l.isInBlock)"
            case .block(let b):
                return "block " + b.tokens.map(\.description).joined(separator: " ") + " ("
                    + b.lines.map { $0.tokens.map(\.description).joined(separator: " ") + " \($0.isInBlock)" }.joined(separator: "; ")
            }
        }
    }

    /// The directives without positions.
    static func model(_ f: GoMod) -> [String] {
        var out: [String] = []
        out.append("module \(f.module?.path.description ?? "-") \(f.module?.deprecated.description ?? "")")
        out.append("go \(f.goVersion?.description ?? "-") toolchain \(f.toolchain?.description ?? "-")")
        out += f.godebugs.map { "godebug \($0.key) \($0.value)" }
        out += f.requirements.map { "require \($0.module) \($0.isIndirect)" }
        out += f.exclusions.map { "exclude \($0.module)" }
        out += f.replacements.map { "replace \($0.old) \($0.new)" }
        out += f.retractions.map { "retract \($0.low) \($0.high) \($0.rationale)" }
        out += f.tools.map { "tool \($0.path)" }
        out += f.ignores.map { "ignore \($0.path)" }
        return out
    }
}
