import Foundation
import GoModCore
import GoModTestSupport
import Testing

/// GoSum's strict reading, Go-compatible modes, writer and checker on the hostile inputs of
/// GoSumCorpus (rows 92–99), cmd/go's go.sum code (cmd/go/internal/modfetch/fetch.go), x/mod's
/// gosumcheck/test.sum, and real checksum-database data.
@Suite struct GoSumTests {
    static func parse(_ text: String, name: String = "go.sum", mode: GoSum.ReadingMode = .strict) throws -> GoSum {
        try GoSum(parsing: Array(text.utf8), fileName: name, mode: mode)
    }

    static func file(_ name: String) -> [UInt8] {
        GoSumCorpus.hostile.first { $0.name == name }?.data ?? []
    }

    static func hash(_ text: String) throws -> DirHash { try #require(DirHash(text)) }

    static let quoteZip = "h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y="
    static let quoteMod = "h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0="
    static let samplerMod = "h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA="
    static let foreign = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

    /// x/mod gosumcheck/test.sum's shape. Nothing is wrong offline (the bogus
    /// rsc.io/text line is caught only by the checksum database), and the records check as
    /// cmd/go would.
    @Test func gosumcheckTestSum() throws {
        let sum = try Self.parse(GoSumCorpus.testSum)
        #expect(sum.count == 6 && sum.diagnostics.isEmpty)
        let quote = try ModuleVersion("rsc.io/quote", "v1.5.2")
        let sampler = try ModuleVersion("rsc.io/sampler", "v1.3.0")
        #expect(sum.check(quote, goMod: false, hash: try Self.hash(Self.quoteZip)) == .match)
        #expect(sum.check(quote, goMod: true, hash: try Self.hash(Self.quoteMod)) == .match)
        #expect(sum.check(sampler, goMod: false, hash: try Self.hash(Self.foreign)) == .notPresent)
        #expect(sum.check(sampler, goMod: true, hash: try Self.hash(Self.samplerMod)) == .match)
        #expect(sum.check(try ModuleVersion("rsc.io/text", "v1.5.2"), goMod: false, hash: try Self.hash(Self.foreign))
            == .mismatch(recorded: ByteString(Self.quoteZip), line: 6))
        #expect(sum.hashes(for: sampler, goMod: true) == [ByteString(Self.samplerMod)])
        #expect(sum.keys.map(\.description).first == "golang.org/x/text@v0.0.0-20170915032832-14c0d48ead0c")
    }

    /// Row 92: a line with 2 fields in the middle.
    @Test func row92WrongFieldCount() throws {
        let data = Self.file("row92-two-fields.sum")
        let strict = try GoSum(parsing: data)
        #expect(strict.records.map(\.line) == [1, 3, 4])
        #expect(strict.diagnostics.map(\.code) == [.wrongFieldCount])
        #expect(strict.diagnostics.first?.line == 2 && strict.diagnostics.first?.severity == .error)
        #expect(strict.diagnostics.first?.description
            == "go.sum:2: error: wrong number of fields 2 (want module path, version and hash)")
        #expect(strict.hasErrors)

        do {
            _ = try GoSum(parsing: data, fileName: "/w/go.sum", mode: .go)
            Issue.record("cmd/go 1.22+ stops at line 2")
        } catch {
            #expect(error.code == .malformedLine && error.line == 2)
            #expect(error.message == "malformed go.sum:\n/w/go.sum:2: wrong number of fields 2")
        }
        let legacy = try GoSum(parsing: data, mode: .legacyGo)
        #expect(legacy.records.map(\.line) == [1] && legacy.truncatedAtLine == 2)
        let tidy = try GoSum(parsing: data, mode: .goModTidy)
        #expect(tidy.records == strict.records && tidy.diagnostics.isEmpty && tidy.truncatedAtLine == nil)

        let four = try GoSum(parsing: Self.file("row92-four-fields.sum"))
        #expect(four.diagnostics.map(\.message) == ["wrong number of fields 4 (want module path, version and hash)"])
        let comments = try GoSum(parsing: Self.file("row92-comment.sum"))
        #expect(comments.diagnostics.map(\.line) == [1, 3] && comments.count == 2)
    }

    /// Row 93: unknown algorithms are kept, warned about, and verify nothing.
    @Test func row93UnknownAlgorithms() throws {
        let sum = try GoSum(parsing: Self.file("row93-h2.sum"))
        #expect(sum.diagnostics.map(\.code) == [.unknownHashAlgorithm, .unknownHashAlgorithm, .malformedHash])
        #expect(sum.diagnostics.map(\.line) == [2, 3, 4])
        #expect(sum.diagnostics.first?.severity == .warning)
        #expect(sum.diagnostics.first?.message == #"unknown hash algorithm "h2": kept, but it cannot verify anything"#)
        let key = ModuleVersion(path: "rsc.io/quote", version: "v1.5.2/go.mod")
        let h2: ByteString = "h2:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0="
        #expect(sum.check(key, hash: try Self.hash(Self.quoteMod)) == .unverifiable(recorded: [h2]))
        let warning = GoSum.unknownHashesWarning(for: key, recorded: [h2], adding: try Self.hash(Self.quoteMod))
        #expect(String(decoding: warning, as: UTF8.self).hasPrefix(
            "warning: verifying rsc.io/quote@v1.5.2/go.mod: unknown hashes in go.sum: \(h2.utf8String ?? ""); adding \(Self.quoteMod)\n\nSECURITY WARNING\n"))
        // sampler has an h1 after h12: and sha256:, so it still verifies.
        let sampler = ModuleVersion(path: "rsc.io/sampler", version: "v1.3.0")
        #expect(sum.check(sampler, hash: try Self.hash("h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=")) == .match)
    }

    /// Row 94: two different h1 hashes for one key.
    @Test func row94ConflictingHashes() throws {
        let key = ModuleVersion(path: "rsc.io/quote", version: "v1.5.2")
        let right = try Self.hash(Self.quoteZip)
        for (name, conflictLine) in [("row94-conflict-first-right.sum", 2), ("row94-conflict-first-wrong.sum", 2)] {
            let strict = try GoSum(parsing: Self.file(name))
            #expect(strict.diagnostics.map(\.code) == [.conflictingHashes])
            #expect(strict.diagnostics.first?.line == conflictLine)
            // Strict: any different h1 is a mismatch.
            if case .mismatch = strict.check(key, hash: right) {} else { Issue.record("\(name): strict check must fail") }
        }
        // cmd/go: the first h1 line decides.
        let firstRight = try GoSum(parsing: Self.file("row94-conflict-first-right.sum"), mode: .goModTidy)
        #expect(firstRight.check(key, hash: right) == .match)
        let firstWrong = try GoSum(parsing: Self.file("row94-conflict-first-wrong.sum"), mode: .goModTidy)
        #expect(firstWrong.check(key, hash: right) == .mismatch(recorded: ByteString(Self.foreign), line: 1))
        #expect(try GoSum(parsing: Self.file("row94-conflict-first-wrong.sum")).diagnostics.first?.message
            == #"conflicting hashes for "rsc.io/quote@v1.5.2": "h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=" here, "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" on line 1 (cmd/go uses the first)"#)
    }

    /// Row 95: only canonical h1 text is a hash.
    @Test func row95MalformedHashes() throws {
        let sum = try GoSum(parsing: Self.file("row95-hashes.sum"))
        #expect(sum.diagnostics.map(\.code) == Array(repeating: .malformedHash, count: 6))
        #expect(sum.diagnostics.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(sum.records.allSatisfy { $0.dirHash == nil })
        // The non-canonical "…TKr1=" decodes to the same bytes as "…TKr0=" but never matches it.
        let key = ModuleVersion(path: "rsc.io/quote", version: "v1.5.2/go.mod")
        #expect(sum.check(key, hash: try Self.hash(Self.quoteMod))
            == .mismatch(recorded: "h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr1=", line: 2))
    }

    /// Row 96: the empty-go.mod hash is dropped, as cmd/go drops it.
    @Test func row96EmptyGoModHash() throws {
        let sum = try GoSum(parsing: Self.file("row96-empty-gomod.sum"))
        #expect(sum.records.map(\.line) == [1, 3])
        #expect(sum.diagnostics.map(\.code) == [.emptyGoModHash] && sum.diagnostics.first?.severity == .info)
        #expect(!sum.hasErrors)
        #expect(try GoSum(parsing: Self.file("row96-empty-gomod.sum"), mode: .go).count == 2)
    }

    /// Row 97: CRLF, tabs and runs of spaces are field separators; unusual Unicode spaces are too,
    /// with a warning; U+200B is not a space.
    @Test func row97WhiteSpace() throws {
        for name in ["row97-crlf.sum", "row97-tabs.sum"] {
            let sum = try GoSum(parsing: Self.file(name))
            #expect(sum.diagnostics.isEmpty, "\(name): \(sum.diagnostics)")
            #expect(sum.records.first?.path == "rsc.io/quote" && sum.records.first?.hash == ByteString(Self.quoteZip))
        }
        let unicode = try GoSum(parsing: Self.file("row97-unicode-space.sum"))
        #expect(unicode.count == 2)
        #expect(unicode.diagnostics.map(\.code) == [.unusualWhitespace, .unusualWhitespace, .wrongFieldCount])
        #expect(unicode.records[1].version == "v1.5.2/go.mod" && unicode.records[1].hash == ByteString(Self.quoteMod))
    }

    /// Row 98: keys are validated with Go's rules and messages.
    @Test func row98Keys() throws {
        let sum = try GoSum(parsing: Self.file("row98-keys.sum"))
        let messages = Dictionary(grouping: sum.diagnostics, by: \.line).mapValues { $0.map(\.message) }
        #expect(messages[1] == [#"malformed module path "x": missing dot in first path element"#])
        #expect(messages[2] == [#"malformed module path "Example.com/m": invalid char 'E' in first path element"#])
        #expect(messages[3] == [#"version "v1.0" invalid: must be of the form v1.2.3"#])
        #expect(messages[4] == [#"version "1.0.0" invalid: must be of the form v1.2.3"#])
        #expect(messages[5] == [#"version "v1.0.0+meta" invalid: must be of the form v1.2.3"#])
        #expect(messages[6] == [#"version "v1.0.0/go.mod/go.mod" invalid: only a trailing /go.mod may follow the version"#])
        #expect(messages[7] == [#"version "v1.0.0/x" invalid: only a trailing /go.mod may follow the version"#])
        #expect(messages[8] == [#"version "" invalid: must be of the form v1.2.3"#])
        #expect(messages[9] == ["example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2"])
        #expect(messages[10] == nil && messages[11] == nil && messages[13] == nil)
        #expect(messages[12] == ["example.com/m/v2@v3.0.0: invalid version: should be v2, not v3"])
        #expect(messages[14] == [#"version "v2" invalid: must be of the form v2.2.3"#])
        #expect(messages[15] == [#"malformed module path "example.com/m/../x": invalid path element "..""#])
        #expect(sum.diagnostics.allSatisfy { $0.code == .invalidModulePath || $0.code == .invalidVersion })
        // Records are kept regardless (cmd/go keeps them), so the writer loses nothing.
        #expect(sum.count == 15)
        #expect(sum.records[9].module?.description == "example.com/m@v2.0.0+incompatible")
        #expect(sum.records[0].module == nil)
    }

    /// Row 99: NUL bytes, invalid UTF-8, canonically equivalent names and terminal escapes.
    @Test func row99Bytes() throws {
        let nul = try GoSum(parsing: Self.file("row99-nul.sum"))
        #expect(nul.diagnostics.filter { $0.code == .nulByte }.map(\.line) == [2, 3])
        let utf8 = try GoSum(parsing: Self.file("row99-utf8.sum"))
        #expect(utf8.diagnostics.filter { $0.code == .invalidUTF8 }.map(\.line) == [1, 2])
        #expect(utf8.diagnostics.first { $0.line == 1 && $0.code == .invalidModulePath }?.message
            == #"malformed module path "example.com/caf\xe9": invalid UTF-8"#)
        // NFC and NFD spellings are two different keys, never merged.
        let nfc = ModuleVersion(path: ByteString("example.com/caf\u{E9}"), version: "v1.0.0")
        let nfd = ModuleVersion(path: ByteString("example.com/cafe\u{301}"), version: "v1.0.0")
        #expect(utf8.hashes(for: nfc) == [ByteString(Self.quoteZip)] && utf8.hashes(for: nfd) == [ByteString(Self.quoteMod)])
        #expect(!utf8.diagnostics.contains { $0.code == .conflictingHashes })
        // No raw control character reaches a diagnostic.
        #expect(utf8.diagnostics.allSatisfy { !$0.description.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0 } })
        #expect(nul.diagnostics.allSatisfy { !$0.description.unicodeScalars.contains { $0.value == 0 } })
    }

    /// cmd/go's writer (modfetch/fetch.go `tidyGoSum`): keys in module.Sort order, hashes sorted and de-duplicated.
    @Test func canonicalWriter() throws {
        let sum = try GoSum(parsing: Self.file("duplicates.sum"))
        #expect(sum.diagnostics.map(\.code) == [.duplicateLine, .duplicateLine, .unknownHashAlgorithm,
                                                 .unknownHashAlgorithm, .duplicateLine])
        #expect(sum.diagnostics.map(\.line) == [3, 5, 6, 7, 8])
        #expect(sum.diagnostics.first?.message == "duplicate of line 2")
        let text = String(decoding: sum.formatted(), as: UTF8.self)
        #expect(text == """
            \(GoSumCorpus.text)
            \(GoSumCorpus.textMod)
            rsc.io/quote v1.5.2 h0:aaa
            \(GoSumCorpus.quote)
            rsc.io/quote v1.5.2 h2:zzz
            \(GoSumCorpus.quoteMod)
            \(GoSumCorpus.sampler)

            """)
        // Building from records gives the same file.
        #expect(GoSum(records: sum.records).formatted() == sum.formatted())
        var grown = GoSum()
        grown.append(GoSum.Record(ModuleVersion(path: "rsc.io/quote", version: "v1.5.2"), hash: ByteString(Self.quoteZip)))
        #expect(String(decoding: grown.formatted(), as: UTF8.self) == GoSumCorpus.quote + "\n")
        #expect(GoSum().formatted().isEmpty)
    }

    /// cmd/go's mismatch text, byte for byte (src/cmd/go/internal/modfetch/fetch.go,
    /// haveModSumLocked + goSumMismatch).
    @Test func mismatchMessage() throws {
        let sum = try Self.parse("rsc.io/quote v1.5.2/go.mod \(Self.foreign)\n")
        let key = ModuleVersion(path: "rsc.io/quote", version: "v1.5.2/go.mod")
        let expected = """
            verifying rsc.io/quote@v1.5.2/go.mod: checksum mismatch
            \tdownloaded: \(Self.quoteMod)
            \tgo.sum:     \(Self.foreign)

            SECURITY ERROR
            This download does NOT match an earlier download recorded in go.sum.
            The bits may have been replaced on the origin server, or an attacker may
            have intercepted the download attempt.

            For more information, see 'go help module-auth'.

            """
        guard case .mismatch(let recorded, let line) = sum.check(key, hash: try Self.hash(Self.quoteMod)) else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(line == 1)
        let message = sum.checksumMismatchMessage(for: key, downloaded: try Self.hash(Self.quoteMod), recorded: recorded)
        #expect(String(decoding: message, as: UTF8.self) == expected)
        let work = try Self.parse("rsc.io/quote v1.5.2/go.mod \(Self.foreign)\n", name: "/w/go.work.sum")
        #expect(work.sumFileName == "go.work.sum")
        #expect(String(decoding: work.checksumMismatchMessage(for: key, downloaded: try Self.hash(Self.quoteMod),
                                                              recorded: recorded), as: UTF8.self)
            .contains("\n\tgo.work.sum:     h1:AAAA"))
    }

    /// Records expose their parts.
    @Test func recordAccessors() throws {
        let sum = try Self.parse(GoSumCorpus.quoteMod + "\n")
        let record = try #require(sum.records.first)
        #expect(record.isGoMod && record.moduleVersion == "v1.5.2" && record.line == 1)
        #expect(record.module == (try ModuleVersion("rsc.io/quote", "v1.5.2")))
        #expect(record.dirHash?.description == Self.quoteMod)
        #expect(String(decoding: record.text, as: UTF8.self) == GoSumCorpus.quoteMod)
        #expect(record.key == ModuleVersion(path: "rsc.io/quote", version: "v1.5.2/go.mod"))
    }

    /// A size cap, checked before any work.
    @Test func sizeLimit() throws {
        let data = Array(repeating: UInt8(ascii: "\n"), count: 1_001)
        #expect(throws: GoSumError(.tooLarge, fileName: "", line: 0, message: "")) {
            try GoSum(parsing: data, limits: GoSum.Limits(maxBytes: 1_000))
        }
        #expect(try GoSum(parsing: data, limits: GoSum.Limits(maxBytes: 1_001)).count == 0)
        #expect(GoSum.Limits.default.maxBytes == 64 << 20)
    }

    /// Row 99: 1,000,000 lines parse in linear time (in an optimized build; an unoptimized
    /// debug build, about 50 times slower, uses 50,000 lines to keep the suite fast), with
    /// diagnostics for the bad ones.
    @Test func manyLines() throws {
        #if DEBUG
        let lines = 50_000
        #else
        let lines = 1_000_000
        #endif
        var data: [UInt8] = []
        data.reserveCapacity(lines * 80)
        for i in 0..<lines {
            if i % 100_003 == 7 {
                data += Array("broken line\n".utf8)
            } else {
                data += Array("example.com/m\(i % 50_000) v1.\(i % 7).\(i / 50_000) \(Self.quoteZip)\n".utf8)
            }
        }
        let limits = GoSum.Limits(maxBytes: 128 << 20)
        let started = ContinuousClock.now
        let tidy = try GoSum(parsing: data, mode: .goModTidy, limits: limits)
        let strict = try GoSum(parsing: data, limits: limits)
        let elapsed = ContinuousClock.now - started
        let broken = (lines - 7 + 100_002) / 100_003
        #expect(tidy.count == lines - broken && strict.count == lines - broken)
        #expect(strict.diagnostics.count == broken && strict.diagnostics.allSatisfy { $0.code == .wrongFieldCount })
        #expect(strict.diagnostics.first?.line == 8)
        #expect(elapsed < .seconds(600))
    }

    /// Real data: every zip hash go cached (.ziphash) matches its checksum-database record,
    /// and the go.mod records are present.
    @Test func realChecksumDatabaseRecords() throws {
        let shared = try GoReference.requireShared()
        let files = GoSumCorpus.sumdbFiles(shared: shared)
        try #require(files.count >= 2)
        var matched = 0
        for (name, data) in files {
            let sum = try GoSum(parsing: data, fileName: name)
            #expect(!sum.hasErrors, "\(name): \(sum.diagnostics.prefix(3))")
            let download = shared.appendingPathComponent("fixtures/real-sumdb/\(name.dropLast(4))/pkg/mod/cache/download")
            for record in sum.records where !record.isGoMod {
                guard let module = record.module else { continue }
                let ziphash = download.appendingPathComponent(String(decoding: try Module.escapePath(module.path).bytes + Array("/@v/".utf8) + Module.escapeVersion(module.version).bytes + Array(".ziphash".utf8), as: UTF8.self))
                guard let text = try? String(contentsOf: ziphash, encoding: .utf8) else { continue }
                let hash = try #require(DirHash(text.trimmingCharacters(in: .whitespacesAndNewlines)))
                #expect(sum.check(module, goMod: false, hash: hash) == .match, "\(module)")
                #expect(!sum.hashes(for: module, goMod: true).isEmpty, "\(module) lacks its /go.mod record")
                matched += 1
            }
        }
        #expect(matched >= 50)
    }
}
