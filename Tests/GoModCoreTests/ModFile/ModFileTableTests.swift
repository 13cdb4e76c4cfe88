import Foundation
@testable import GoModCore
import GoModTestSupport
import Testing

/// The test tables of x/mod v0.7.0's modfile package (read_test.go, rule_test.go,
/// work_test.go in /usr/share/gocode), read at test time by Tests/Reference/modfile with
/// go/parser, each case's operation run there with the *current* x/mod (Go 1.27.3's copy). The
/// same operation is run with GoModKit and the results compared. (v0.7.0's expected outputs
/// predate current x/mod; the current x/mod's answers are the reference.)
enum ModFileTables {
    struct Case: Decodable, Sendable {
        struct Result: Decodable, Sendable {
            var Kind: String
            var Value: String
        }

        var Table: String
        var Fields: [String: String]
        var Bools: [String: Bool]?
        var Mods: [[String]]?
        var Result: Result

        var table: String { Table }
        var fields: [String: String] { Fields }
    }

    static func cases() throws -> [Case] {
        let program = try GoReference.program("modfile", flavour: .current)
        let output = try GoReference.run(program, ["tables", ModFileCorpus.xmodTestdata.path])
        try #require(output.status == 0, "reference failed: \(output.stderrText)")
        let decoder = JSONDecoder()
        return try output.stdout.split(separator: 0x0A).map { try decoder.decode(Case.self, from: Data($0)) }
    }
}

@Suite struct ModFileTableTests {
    /// GoModKit's result for one case: the same operation the x/mod test performs.
    static func run(_ c: ModFileTables.Case) -> ModFileTables.Case.Result? {
        let f = c.Fields
        func b(_ key: String) -> ByteString { ByteString(f[key] ?? "") }
        func result(_ kind: String, _ value: [UInt8]) -> ModFileTables.Case.Result {
            .init(Kind: kind, Value: String(decoding: value, as: UTF8.self))
        }
        func failure(_ e: ModFileError) -> ModFileTables.Case.Result { result("error", e.goText.bytes) }
        func edit(_ op: (inout GoMod) throws(ModFileError) -> Void) -> ModFileTables.Case.Result {
            do {
                var file = try GoMod.parse(Array((f["in"] ?? "").utf8), fileName: "in")
                try op(&file)
                return result("format", file.syntax.formatted())
            } catch {
                return failure(error)
            }
        }
        func workEdit(_ op: (inout GoWork) throws(ModFileError) -> Void) -> ModFileTables.Case.Result {
            do {
                var file = try GoWork.parse(Array((f["in"] ?? "").utf8), fileName: "in")
                try op(&file)
                return result("format", file.syntax.formatted())
            } catch {
                return failure(error)
            }
        }
        let specs = (c.Mods ?? []).map { GoMod.RequirementSpec(ModuleVersion(path: ByteString($0[0]), version: ByteString($0[1])),
                                                                isIndirect: $0[2] == "true") }
        switch c.Table {
        case "addRequireTests":
            return edit { file throws(ModFileError) in
                file.addRequireUnchecked(path: b("path"), version: b("vers"))
                file.cleanUpEntries()
            }
        case "setRequireTests":
            return edit { file throws(ModFileError) in
                file.setRequirements(specs, layout: .preserve)
                file.cleanUpEntries()
            }
        case "setRequireSeparateIndirectTests":
            return edit { file throws(ModFileError) in
                file.setRequirements(specs, layout: .separateIndirect)
                file.cleanUpEntries()
            }
        case "addGoTests":
            return edit { file throws(ModFileError) in try file.setGoVersion(b("version")) }
        case "addExcludeTests":
            return edit { file throws(ModFileError) in try file.addExcludeUnchecked(path: b("path"), version: b("version")) }
        case "addRetractTests":
            return edit { file throws(ModFileError) in
                try file.addRetract(low: b("low"), high: b("high"), rationale: b("rationale"))
            }
        case "dropRetractTests":
            return edit { file throws(ModFileError) in
                file.dropRetract(low: b("low"), high: b("high"))
                file.cleanUpEntries()
            }
        case "retractRationaleTests":
            do {
                let file = try GoMod.parse(Array((f["in"] ?? "").utf8), fileName: "in")
                guard file.retractions.count == 1 else { return result("error", Array("\(file.retractions.count) retractions".utf8)) }
                return result("value", file.retractions[0].rationale.bytes)
            } catch {
                return failure(error)
            }
        case "moduleDeprecatedTests":
            do {
                let file = try GoMod.parse(Array((f["in"] ?? "").utf8), fileName: "in")
                return result("value", file.module?.deprecated.bytes ?? [])
            } catch {
                return failure(error)
            }
        case "sortBlocksTests":
            do {
                var file = try GoMod.parse(Array((f["in"] ?? "").utf8), fileName: "in",
                                           strictness: c.Bools?["strict"] == true ? .strict : .lax)
                file.sortBlocks()
                return result("format", file.syntax.formatted())
            } catch {
                return failure(error)
            }
        case "addRetractValidateVersionTests":
            var file = GoMod(fileName: "in")
            if !(f["path"] ?? "").isEmpty { file.addModuleStatement(b("path")) }
            do {
                try file.addRetract(low: b("low"), high: b("high"))
                return result("value", [])
            } catch {
                return failure(error)
            }
        case "addExcludeValidateVersionTests":
            do {
                var file = try GoMod.parse(Array("module m".utf8), fileName: "in")
                try file.addExcludeUnchecked(path: b("path"), version: b("version"))
                return result("value", [])
            } catch {
                return failure(error)
            }
        case "workAddUseTests":
            return workEdit { file throws(ModFileError) in file.addUseUnchecked(b("path")) }
        case "workDropUseTests":
            return workEdit { file throws(ModFileError) in
                file.dropUseUnchecked(b("path"))
                file.useEntries.removeAll { $0.path.isEmpty }
                file.replaceEntries.removeAll { $0.old.path.isEmpty }
                file.syntax.cleanUp()
            }
        case "workAddGoTests":
            return workEdit { file throws(ModFileError) in try file.setGoVersion(b("version")) }
        case "workSortBlocksTests":
            return workEdit { file throws(ModFileError) in
                var kill = ModFileRules.KillSet()
                ModFileRules.removeDuplicateReplacements(&file.replaceEntries, &kill)
                file.syntax.dropLines(kill.lines)
                file.syntax.sortBlocks { _ in { TokenList.compare($0.tokens, $1.tokens) } }
            }
        case "modulePathTests":
            return result("value", GoMod.modulePath(in: Array((f["input"] ?? "").utf8))?.bytes ?? [])
        case "TestParsePunctuation":
            do {
                let file = try GoMod.parse(Array((f["src"] ?? "").utf8), strictness: .lax)
                var tokens: [ByteString] = []
                for stmt in file.syntax.statements {
                    switch stmt {
                    case .line(let l): tokens += l.tokens
                    case .block(let x):
                        tokens += x.tokens + ["("] + x.lines.flatMap(\.tokens) + [")"]
                    case .comments: break
                    }
                }
                return result("tokens", Array(tokens.map(\.bytes).joined(separator: [0x20])))
            } catch {
                return failure(error)
            }
        default:
            return nil  // parse-only tables: covered by ModFileDifferentialTests.xmodTestdataAndTables
        }
    }

    @Test func tablesAgreeWithCurrentXMod() throws {
        let cases = try ModFileTables.cases()
        var compared = 0
        for c in cases where c.Result.Kind != "none" {
            guard let ours = Self.run(c) else {
                Issue.record("no GoModKit operation for table \(c.Table)")
                continue
            }
            compared += 1
            #expect(ours.Kind == c.Result.Kind && ours.Value == c.Result.Value,
                    "\(c.Table)/\(c.Fields["desc"] ?? ""): Go \(c.Result.Kind) \(c.Result.Value.debugDescription), GoModKit \(ours.Kind) \(ours.Value.debugDescription)")
        }
        // 17 tables with an operation (rule_test.go, work_test.go, read_test.go).
        #expect(compared >= 130, "compared \(compared) cases")
        #expect(Set(cases.map(\.Table)).count >= 20)
    }
}

extension ModFileTables.Case.Result: Equatable {}
