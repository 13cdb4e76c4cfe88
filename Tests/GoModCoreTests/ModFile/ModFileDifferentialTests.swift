import Foundation
@testable import GoModCore
import GoModTestSupport
import Testing

/// Differential tests of go.mod / go.work parsing, formatting and editing against Go 1.27.3's
/// x/mod modfile package and cmd/go's edit flag handling (Tests/Reference/modfile, one process
/// per test). Compared for every input: accept/reject, every error's line, column and text,
/// the whole syntax tree with positions and comments, `modfile.Format`, `go mod edit -json`
/// and `go mod edit -fmt` bytes (after the edits, if any).
@Suite struct ModFileDifferentialTests {
    static func requests(_ files: [ModFileCorpus.File], kinds: [ModFileReference.Kind],
                         flagSets: [[String]] = [[]]) -> [ModFileReference.Request] {
        var out: [ModFileReference.Request] = []
        for file in files {
            for kind in kinds {
                for flags in flagSets {
                    out.append(.init(kind: kind, name: kind == .work ? "go.work" : "go.mod", data: file.data,
                                     flags: flags, origin: file.origin))
                }
            }
        }
        return out
    }

    /// Runs requests through Go and GoModKit and compares; returns Go's answers.
    @discardableResult
    static func check(_ requests: [ModFileReference.Request]) throws -> [ModFileReference.Answer] {
        let go = try ModFileReference.run(requests)
        var mismatches = 0
        for (request, answer) in zip(requests, go) {
            let ours = ModFileReference.answer(request)
            if ours != answer {
                mismatches += 1
                if mismatches <= 25 { ModFileReference.compare(request, go: answer, ours: ours) }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(requests.count) answers differ from Go")
        return go
    }

    /// Real go.mod files: Debian's Go sources, Go's own tree, the module caches of ../shared,
    /// and the go.mod / go.work files of cmd/go's script tests, each parsed strictly and laxly.
    @Test func realFiles() throws {
        let debian = ModFileCorpus.debian(), goTree = ModFileCorpus.goTree(), caches = ModFileCorpus.sharedCaches()
        let scripts = ModFileCorpus.goScripts()
        let wild = debian + goTree + caches
        // Debian's Go sources (scripts/corpus-packages.txt and scripts/gomod-packages.txt, installed
        // by the test command) hold about 280 go.mod files; with Go's tree and the module caches of
        // ../shared that is over 300 real files, besides cmd/go's script-test files.
        #expect(debian.count >= 250, "Debian golang-*-dev sources: \(debian.count) go.mod files")
        #expect(wild.count >= 300, "\(wild.count) real go.mod files (+ \(scripts.mods.count) from cmd/go's tests)")
        let go = try Self.check(Self.requests(wild + scripts.mods, kinds: [.mod, .lax])
                                + Self.requests(scripts.works, kinds: [.work]))
        // The corpus covers both outcomes and every directive.
        #expect(go.filter(\.accepted).count >= 2_000)
        #expect(go.filter { !$0.accepted }.count >= 20)
        let json = go.compactMap(\.json).map { String(decoding: $0, as: UTF8.self) }
        for key in ["\"Require\"", "\"Replace\"", "\"Exclude\"", "\"Retract\"", "\"Tool\"", "\"Ignore\"", "\"GoDebug\"",
                    "\"Toolchain\"", "\"Deprecated\"", "\"Indirect\"", "\"Use\""] {
            #expect(json.contains { $0.contains(key) }, "no file with \(key)")
        }
    }

    /// x/mod v0.7.0's modfile testdata, and every input and expected output of its test tables
    /// (read_test.go, rule_test.go, work_test.go), as parse inputs.
    @Test func xmodTestdataAndTables() throws {
        let (mods, works) = ModFileCorpus.xmodTestdataFiles()
        try #require(mods.count >= 15 && works.count >= 8, "x/mod testdata missing (golang-golang-x-mod-dev)")
        var tableFiles: [ModFileCorpus.File] = [], tableWork: [ModFileCorpus.File] = []
        for c in try ModFileTables.cases() {
            for field in ["in", "out", "want", "src", "input"] {
                guard let text = c.fields[field] else { continue }
                let file = ModFileCorpus.File(origin: "\(c.table)/\(c.fields["desc"] ?? "")/\(field)", data: Array(text.utf8))
                if c.table.hasPrefix("work") { tableWork.append(file) } else { tableFiles.append(file) }
            }
        }
        #expect(tableFiles.count >= 150)
        let corners = ModFileCorpus.cornerCases
        try Self.check(Self.requests(mods + tableFiles + corners, kinds: [.mod, .lax],
                                     flagSets: [[], ["go=1.23", "require=x.y/new@v1.0.0"]])
                       + Self.requests(works + tableWork + corners, kinds: [.work], flagSets: [[], ["use=./new", "go=1.23"]]))
    }

    /// Malformed variants: random byte deletions, insertions of hostile fragments (BOM, NUL,
    /// NBSP, `/*`, quotes, parentheses, …), duplicated and deleted lines, truncations.
    @Test func mutatedFiles() throws {
        let (mods, works) = ModFileCorpus.xmodTestdataFiles()
        let seeds = mods + ModFileCorpus.debian().prefix(40) + ModFileCorpus.goScripts().mods.prefix(60)
        var rng = SplitMix64(seed: 0x6D6F_6466_696C_65)
        var files: [ModFileCorpus.File] = [], workFiles: [ModFileCorpus.File] = []
        for seed in seeds {
            for (k, m) in ModFileCorpus.mutations(of: seed.data, count: 12, rng: &rng).enumerated() {
                files.append(.init(origin: "\(seed.origin)~\(k)", data: m))
            }
        }
        for seed in works {
            for (k, m) in ModFileCorpus.mutations(of: seed.data, count: 20, rng: &rng).enumerated() {
                workFiles.append(.init(origin: "\(seed.origin)~\(k)", data: m))
            }
        }
        let go = try Self.check(Self.requests(files, kinds: [.mod, .lax]) + Self.requests(workFiles, kinds: [.work]))
        #expect(go.filter { !$0.accepted }.count >= 500, "mutations should produce many rejections")
    }

    /// `go mod edit` / `go work edit` flags, alone and in sequences, on many files: generic flag
    /// sets, and flags naming the file's own requirements, exclusions, replacements,
    /// retractions, tools and godebug keys.
    @Test func edits() throws {
        let (mods, works) = ModFileCorpus.xmodTestdataFiles()
        let corpus = mods + ModFileCorpus.debian().prefix(30) + ModFileCorpus.goScripts().mods.prefix(120)
        var requests = Self.requests(Array(corpus.prefix(45)), kinds: [.mod], flagSets: ModFileCorpus.modFlagSets)
        for file in corpus {
            guard let parsed = try? GoMod.parse(file.data) else { continue }
            requests += Self.requests([file], kinds: [.mod], flagSets: ModFileCorpus.fileFlagSets(parsed))
        }
        requests += Self.requests(works + ModFileCorpus.goScripts().works, kinds: [.work], flagSets: ModFileCorpus.workFlagSets)
        #expect(requests.count >= 2_000)
        let go = try Self.check(requests)
        #expect(go.filter { $0.fatal != nil }.count >= 100)
        let json = go.compactMap(\.json).map { String(decoding: $0, as: UTF8.self) }
        #expect(json.contains { $0.contains("\"Godebug\"") } && json.contains { $0.contains("\"GoDebug\"") })
    }
}
