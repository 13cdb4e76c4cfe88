import GoModCore

/// What a go.work says, without positions or order: `go work edit -fmt` sorts the lines of each
/// block (x/mod `WorkFile.SortBlocks`, token by token, so `"./b c"` sorts before `./a`) and drops
/// duplicate replacements.
struct Meaning: Equatable {
    var go: ByteString?
    var toolchain: ByteString?
    var uses: [ByteString]
    var replacements: [[ByteString]]
    var godebugs: [[ByteString]]

    init(_ w: GoWork) {
        go = w.goVersion
        toolchain = w.toolchain
        uses = w.uses.map(\.path).sorted()
        // SortBlocks also removes duplicate replacements (x/mod `removeDups`): of the lines
        // replacing one old path@version, the last one stays.
        var last: [[ByteString]: [ByteString]] = [:]
        for r in w.replacements { last[[r.old.path, r.old.version]] = [r.new.path, r.new.version] }
        replacements = last.map { $0.key + $0.value }.sorted { $0.lexicographicallyPrecedes($1) }
        godebugs = w.godebugs.map { [$0.key, $0.value] }.sorted { $0.lexicographicallyPrecedes($1) }
    }
}

/// libFuzzer entry point for the go.work parser, printer and editor (x/mod `modfile.ParseWork`,
/// `go work edit`; Docs/Testing.md, "Fuzzing"; issue 13 point 9).
///
/// Invariants: errors carry positions inside the input; a parsed file's formatting parses again
/// to the same directives, and formatting it again settles at once (`-fmt` three times is `-fmt`
/// twice); `go work edit` flags built from the input's first line (each of `-godebug`,
/// `-dropgodebug`, `-use`, `-dropuse`, `-replace`, `-dropreplace`, `-go`, `-toolchain`) either are
/// rejected with a typed error or apply, and the edited file's formatting, when it parses, settles
/// the same way.
///
/// Settling takes one more round than a fixed point because Go's formatting is not always one
/// (Docs/go-mod-from-swift.md, "Parity details worth knowing"; checked with Go 1.27.3's
/// `go work edit -fmt`): a blank line that sorting moves to the top of a block is printed once and
/// dropped by the next parse, and `-godebug` writes an argument that needs quoting unquoted
/// (`// x=1` comes back as a comment). A block whose one line starts with `(` is formatted into
/// a file that does not parse, by Go as by GoModKit; the checks after formatting skip it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoWork(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    var work: GoWork
    do {
        work = try GoWork.parse(bytes)
    } catch {
        let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        for e in error.allErrors where e.line < 0 || e.line > lines || e.column < 0 {
            fatalError("error position \(e.line):\(e.column) outside the input")
        }
        _ = error.description
        return 0
    }
    _ = work.editJSON()
    let formatted = work.formatted()
    let again: GoWork
    do {
        again = try GoWork.parse(formatted)
    } catch {
        // x/mod's Cleanup collapses a block of one line into a single line; when that line's
        // first token is `(`, the collapsed line opens a block again (`use (` + `(` + `)` is
        // written `use (`), and Go 1.27.3's `go work edit -fmt` writes the same unreadable file.
        if hasLineStartingWithParen(bytes) { return 0 }
        fatalError("formatted go.work does not parse: \(error)")
    }
    if Meaning(again) != Meaning(work) { fatalError("formatting changed the directives: \(Meaning(work)) became \(Meaning(again))") }
    let second = again.formatted()
    if second != formatted {
        let third: GoWork
        do { third = try GoWork.parse(second) } catch { fatalError("twice-formatted go.work does not parse: \(error)") }
        if Meaning(third) != Meaning(work) { fatalError("formatting twice changed the directives") }
        if third.formatted() != second { fatalError("formatting does not settle after two rounds") }
    }

    // Edits whose argument is the input's first line.
    let argument = ByteString(bytes.prefix { $0 != 0x0A })
    var edits: [GoWork.Edit] = []
    for flag in GoWork.Edit.flags {
        if let edit = try? GoWork.Edit(flag: flag, argument: argument) { edits.append(edit) }
    }
    var edited = work
    do {
        try edited.edit(goVersion: argument, toolchain: argument, edits: edits)
    } catch {
        _ = error.description
        edited = work
        for edit in edits { edited.apply(edit) }
    }
    edited.addUse(path: argument)
    edited.dropUse(path: "./a")
    _ = try? edited.addReplace(old: ModuleVersion(path: argument, version: ""), new: ModuleVersion(path: "./r", version: ""))
    edited.cleanUp()
    let text = edited.formatted()
    _ = edited.editJSON()
    if let reparsed = try? GoWork.parse(text) {
        let second = reparsed.formatted()
        if second != text, let third = try? GoWork.parse(second), third.formatted() != second {
            fatalError("formatting of an edited go.work does not settle after two rounds")
        }
    }
    return 0
}

/// Whether a line's first token is `(`: after spaces and tabs, the line starts with `(`.
func hasLineStartingWithParen(_ bytes: [UInt8]) -> Bool {
    var atLineStart = true
    for b in bytes {
        if b == 0x0A { atLineStart = true; continue }
        if atLineStart, b == 0x20 || b == 0x09 || b == 0x0D { continue }
        if atLineStart, b == UInt8(ascii: "(") { return true }
        atLineStart = false
    }
    return false
}
