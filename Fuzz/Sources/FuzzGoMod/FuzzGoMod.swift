import GoModCore

/// libFuzzer entry point for the go.mod / go.work reader, printer and editor (Docs/Testing.md,
/// "Fuzzing").
///
/// For any input: the raw syntax tree, strict, lax and go.work parsing never crash. When the
/// raw tree parses, its formatting parses again to the same statements and tokens (
/// positions and comment placement aside, as x/mod's TestPrintParse compares). When a typed
/// parse succeeds, the views, findings, JSON and formatting are computed, and a few edits
/// chosen by the input's first byte are applied; every result must be computable without a
/// crash (x/mod itself does not guarantee that formatted output re-parses: a quoted `retract`
/// version is written back unquoted).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoMod(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []

    if let syntax = try? GoModSyntax.parse(bytes) {
        let text = syntax.formatted()
        guard let again = try? GoModSyntax.parse(text) else { fatalError("formatted syntax does not parse") }
        if shape(again) != shape(syntax) { fatalError("format changed the syntax tree") }
    }

    for strictness in GoMod.Strictness.allCases {
        do {
            var file = try GoMod.parse(bytes, strictness: strictness)
            _ = (file.module, file.requirements, file.exclusions, file.replacements, file.retractions, file.tools,
                 file.ignores, file.godebugs, file.skippedStatements, file.findings.map(\.description))
            _ = file.editJSON()
            let formatted = file.formatted()
            _ = try? GoMod.parse(formatted, strictness: strictness)
            edit(&file, selector: bytes.first ?? 0)
            _ = file.formatted()
            _ = file.editJSON()
        } catch {
            let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            for e in error.allErrors where e.line < 0 || e.line > lines || e.column < 0 {
                fatalError("error position \(e.line):\(e.column) outside the input")
            }
            _ = error.description
        }
    }

    if var work = try? GoWork.parse(bytes) {
        _ = (work.uses, work.replacements, work.godebugs)
        _ = work.editJSON()
        work.addUse(path: "./fuzz")
        work.dropUse(path: "./a")
        try? work.addReplace(old: .init(path: "example.com/a", version: ""), new: .init(path: "./a", version: ""))
        work.cleanUp()
        _ = work.formatted()
    }
    return 0
}

/// Statements and tokens without positions or comments.
func shape(_ s: GoModSyntax) -> [[ByteString]] {
    s.statements.map { stmt in
        switch stmt {
        case .comments: return ["#"]
        case .line(let l): return ["L"] + l.tokens
        case .block(let b): return ["B"] + b.tokens + b.lines.flatMap { ["|"] + $0.tokens }
        }
    }
}

/// A few edits chosen by `selector`, aimed at the file's own lines.
func edit(_ file: inout GoMod, selector: UInt8) {
    let first = file.requirements.first?.module
    switch selector % 6 {
    case 0:
        try? file.addRequire(ModuleVersion(path: "example.com/fuzz", version: "v1.0.0"))
        if let first { try? file.dropRequire(path: first.path) }
    case 1:
        if let first { try? file.addRequire(ModuleVersion(path: first.path, version: "v9.9.9")) }
        try? file.addExclude(ModuleVersion(path: "example.com/fuzz", version: "v1.2.3"))
    case 2:
        if let r = file.replacements.first { try? file.dropReplace(old: r.old) }
        try? file.addReplace(old: .init(path: "example.com/fuzz", version: ""), new: .init(path: "../fuzz", version: ""))
    case 3:
        try? file.addRetract(low: "v1.0.0", high: "v1.1.0", rationale: "fuzz\nrationale")
        if let r = file.retractions.first { file.dropRetract(low: r.low, high: r.high) }
    case 4:
        try? file.addTool(path: "example.com/fuzz/cmd")
        file.addIgnore(path: "./fuzz")
        if let t = file.tools.first { try? file.dropTool(path: t.path) }
        try? file.addGodebug(key: "fuzz", value: "1")
    default:
        try? file.setGoVersion("1.23")
        try? file.setToolchain("go1.23.0")
        try? file.setModule("example.com/fuzzed")
        file.setRequirements(file.requirements.map {
            GoMod.RequirementSpec(ModuleVersion(path: $0.module.path, version: $0.module.version), isIndirect: !$0.isIndirect)
        }, layout: .separateIndirect)
    }
    file.cleanUp()
}
