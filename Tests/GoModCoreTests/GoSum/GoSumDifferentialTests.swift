import Foundation
@testable import GoModCore
import GoModTestSupport
import Testing

/// Differential tests against a line-for-line re-implementation of cmd/go's go.sum reader and
/// writer (Tests/Reference/gosum; Docs/Testing.md, "The Go references"), over real go.sum files found at test time and
/// the synthetic hostile files of ``GoSumCorpus``.
@Suite struct GoSumDifferentialTests {
    /// One file's answers from the reference.
    struct Answer {
        var currentFatal: String?
        var current: [GoSum.Record] = []
        var legacy: [GoSum.Record] = []
        var legacyStop: Int?
        var tidy: [GoSum.Record] = []
        var format: [UInt8] = []
        var ties = false
        var checks: [(key: ModuleVersion, hash: ByteString, result: String, message: [UInt8])] = []
    }

    static func parse(_ output: [UInt8]) throws -> [String: Answer] {
        var answers: [String: Answer] = [:]
        var name = ""
        var answer = Answer()
        func hex(_ s: Substring) throws -> [UInt8] { try #require(bytesFromHex(s)) }
        func record(_ f: [Substring]) throws -> GoSum.Record {
            GoSum.Record(ModuleVersion(path: ByteString(try hex(f[3])), version: ByteString(try hex(f[4]))),
                         hash: ByteString(try hex(f[5])), line: try #require(Int(f[2])))
        }
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: false)
            switch (f[0], f.count > 1 ? f[1] : "") {
            case ("file", _):
                name = String(decoding: try hex(f[1]), as: UTF8.self)
                answer = Answer()
            case ("current", "fatal"): answer.currentFatal = String(decoding: try hex(f[2]), as: UTF8.self)
            case ("current", "record"): answer.current.append(try record(f))
            case ("legacy", "record"): answer.legacy.append(try record(f))
            case ("legacy", "stop"): answer.legacyStop = Int(f[2])
            case ("tidy", "record"): answer.tidy.append(try record(f))
            case ("format", _): answer.format = try hex(f.count > 1 ? f[1] : "")
            case ("ties", _): answer.ties = f[1] == "1"
            case ("check", _):
                let key = ModuleVersion(path: ByteString(try hex(f[1])), version: ByteString(try hex(f[2])))
                answer.checks.append((key, ByteString(try hex(f[3])), String(f[4]), f.count > 5 ? try hex(f[5]) : []))
            case ("end", _): answers[name] = answer
            default: Issue.record("unexpected reference line \(line)")
            }
        }
        return answers
    }

    /// Compares every reading mode, the writer and the checker for one file.
    static func compare(name: String, data: [UInt8], with go: Answer) throws {
        // cmd/go 1.22+.
        do {
            let sum = try GoSum(parsing: data, fileName: name, mode: .go)
            #expect(go.currentFatal == nil, "\(name): Go failed with \(go.currentFatal ?? "")")
            #expect(sum.records == go.current, "\(name): current records differ")
            #expect(sum.diagnostics.isEmpty)
        } catch {
            // Go's format string ends in "\n" (base.Fatalf prints it as is).
            #expect(go.currentFatal == error.message + "\n", "\(name): \(error.message) vs \(go.currentFatal ?? "no error")")
            #expect(error.code == .malformedLine)
        }
        // cmd/go <= 1.21.
        let legacy = try GoSum(parsing: data, fileName: name, mode: .legacyGo)
        #expect(legacy.records == go.legacy, "\(name): legacy records differ")
        #expect(legacy.truncatedAtLine == go.legacyStop, "\(name): legacy stop")
        // go mod tidy, and GoModKit's strict reading keeps the same records.
        let tidy = try GoSum(parsing: data, fileName: name, mode: .goModTidy)
        #expect(tidy.records == go.tidy, "\(name): tidy records differ")
        let strict = try GoSum(parsing: data, fileName: name)
        #expect(strict.records == go.tidy, "\(name): strict records differ")
        // The writer.
        let ours = strict.formatted()
        if go.ties {
            // cmd/go's order among semver-equal keys depends on map iteration: same lines.
            let lines = { (b: [UInt8]) in b.split(separator: 0x0A).map { Array($0) }.sorted { $0.lexicographicallyPrecedes($1) } }
            #expect(lines(ours) == lines(go.format), "\(name): formatted lines differ")
        } else {
            #expect(ours == go.format, "\(name): formatted output differs")
        }
        #expect(try GoSum(parsing: ours, fileName: name, mode: .go).formatted() == ours, "\(name): format is not a fixpoint")
        // The checker, with cmd/go's first-h1-decides semantics.
        for probe in go.checks {
            guard let hash = probe.hash.utf8String.flatMap(DirHash.init) else { continue }
            let result = tidy.check(probe.key, hash: hash)
            let (word, message): (String, [UInt8])
            switch result {
            case .match: (word, message) = ("match", [])
            case .notPresent: (word, message) = ("absent", [])
            case .mismatch(let recorded, _):
                (word, message) = ("mismatch", tidy.checksumMismatchMessage(for: probe.key, downloaded: hash, recorded: recorded))
            case .unverifiable(let recorded):
                (word, message) = ("unknown", GoSum.unknownHashesWarning(for: probe.key, recorded: recorded, adding: hash))
            }
            #expect(word == probe.result && message == probe.message,
                    "\(name): check \(probe.key) \(probe.hash): Go \(probe.result), GoModKit \(word)")
        }
    }

    static func run(flavour: GoReference.Flavour) throws {
        let program = try GoReference.program("gosum", flavour: flavour)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-gosum-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        var files: [(path: String, data: [UInt8])] = []
        for (name, data) in GoSumCorpus.hostile + GoSumCorpus.sumdbFiles(shared: try GoReference.requireShared()) {
            let sub = dir.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let url = sub.appendingPathComponent(name)
            try Data(data).write(to: url)
            files.append((url.path, data))
        }
        let real = GoSumCorpus.realFiles(repoRoot: GoReference.repoRoot)
        for url in real { files.append((url.path, Array(try Data(contentsOf: url)))) }
        #expect(real.count >= 5, "expected the real go.sum files of the Go tree and Debian's sources")

        let output = try GoReference.run(program, files.map(\.path))
        try #require(output.status == 0, "reference failed: \(output.stderrText)")
        let answers = try parse(output.stdout)
        #expect(answers.count == files.count)
        for file in files {
            let go = try #require(answers[file.path], "no answer for \(file.path)")
            try compare(name: file.path, data: file.data, with: go)
        }
        // The corpus exercises every branch of cmd/go's reader, writer and checker.
        let all = Array(answers.values)
        #expect(all.filter { $0.currentFatal != nil }.count >= 7)
        #expect(all.filter { $0.legacyStop != nil }.count >= 7)
        #expect(all.contains { $0.ties })
        for word in ["match", "mismatch", "unknown"] {
            #expect(all.contains { $0.checks.contains { $0.result == word } }, "no \(word) probe")
        }
        #expect(all.reduce(0) { $0 + $1.tidy.count } > 10_000)
    }

    @Test func currentGo() throws { try Self.run(flavour: .current) }

    /// The field separators are Go's `unicode.IsSpace`, for every code point.
    @Test func whiteSpaceTableAgreesWithGo() throws {
        let program = try GoReference.program("names", flavour: .current)
        let output = try GoReference.run(program, ["unicode"])
        try #require(output.status == 0 && output.stdout.count == 0x110000 * 3)
        var skew: [String] = []
        for r in 0..<UInt32(0x110000) where goIsSpace(r) != (output.stdout[Int(r) * 3 + 2] == UInt8(ascii: "1")) {
            skew.append(String(r, radix: 16))
        }
        #expect(skew.isEmpty, "unicode.IsSpace differs for \(skew)")
    }

    /// The same harness built with Go 1.19 (whose strings.Fields, sort and x/mod v0.7.0
    /// module.Sort are the old ones) must give the same answers.
    @Test func oldGoToolchain() throws { try Self.run(flavour: .old) }
}
