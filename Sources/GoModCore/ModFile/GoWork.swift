/// A parsed go.work file: x/mod's `modfile.WorkFile` (x/mod `modfile/work.go`), with its lossless
/// ``syntax`` tree, the typed directives `go`, `toolchain`, `godebug`, `use` and `replace`, and
/// the edits of `go work edit`.
///
/// Like ``GoMod``: ``formatted()`` is `go work edit -fmt`, ``editJSON()`` is
/// `go work edit -json`, edits only mark deleted lines until ``cleanUp()``.
public struct GoWork: Sendable, Equatable {
    /// A `use` directive.
    public struct Use: Sendable, Hashable {
        /// The module directory, unquoted (`./a`, `../b`, `/abs`).
        public var path: ByteString
        /// Where the directive starts.
        public var position: GoModSyntax.Position
    }

    /// The syntax tree.
    public internal(set) var syntax: GoModSyntax
    var goEntry: GoMod.VersionEntry?
    var toolchainEntry: GoMod.VersionEntry?
    var godebugEntries: [GoMod.GodebugEntry] = []
    var useEntries: [GoMod.PathEntry] = []
    var replaceEntries: [GoMod.ReplaceEntry] = []

    /// An empty go.work named `fileName`.
    public init(fileName: String = "go.work") {
        syntax = GoModSyntax(fileName: fileName)
    }

    /// The `go` version, or `nil`.
    public var goVersion: ByteString? { goEntry?.value }

    /// The `toolchain` name, or `nil`.
    public var toolchain: ByteString? { toolchainEntry?.value }

    /// The `godebug` settings, in file order.
    public var godebugs: [GoMod.Godebug] {
        godebugEntries.compactMap { e in
            e.line.map { GoMod.Godebug(key: e.key, value: e.value, position: syntax.lineNodes[$0].start) }
        }
    }

    /// The `use` directives, in file order.
    public var uses: [Use] {
        useEntries.compactMap { e in e.line.map { Use(path: e.path, position: syntax.lineNodes[$0].start) } }
    }

    /// The `replace` directives, in file order.
    public var replacements: [GoMod.Replacement] {
        replaceEntries.compactMap { e in
            e.line.map { GoMod.Replacement(old: e.old, new: e.new, position: syntax.lineNodes[$0].start) }
        }
    }

    /// Equal typed directives and syntax trees.
    public static func == (lhs: GoWork, rhs: GoWork) -> Bool {
        lhs.goVersion == rhs.goVersion && lhs.toolchain == rhs.toolchain && lhs.godebugs == rhs.godebugs
            && lhs.uses == rhs.uses && lhs.replacements == rhs.replacements && lhs.syntax == rhs.syntax
    }

    // MARK: - Parsing

    /// Parses a go.work file (x/mod's `modfile.ParseWork` with no version fixer). Unknown
    /// directives and blocks are errors; errors carry x/mod's messages and positions, all
    /// directive errors together (see ``ModFileError/additionalErrors``).
    public static func parse(_ data: [UInt8], fileName: String = "go.work") throws(ModFileError) -> GoWork {
        var file = GoWork(fileName: fileName)
        file.syntax = try GoModSyntax.parse(data, fileName: fileName)
        var errors: [ModFileError] = []
        for statement in file.syntax.directives(isBlockVerb: { [.godebug, .use, .replace].contains(ModFileRules.Directive($0[...])) }) {
            switch statement {
            case .line(let line, _, let verb, let offset):
                file.add(&errors, line: line, verb: verb, argumentOffset: offset)
            case .unknownBlock(let b):
                errors.append(file.syntax.unknownBlockError(b))
            }
        }
        if let first = errors.first { throw first.adding(Array(errors.dropFirst())) }
        return file
    }

    /// x/mod's `WorkFile.add`.
    mutating func add(_ errors: inout [ModFileError], line: Int, verb: [UInt8], argumentOffset: Int) {
        let start = syntax.lineNodes[line].start
        let fileName = syntax.fileName
        func fail(_ f: ModFileRules.Failure) { errors.append(f.error(fileName: fileName, at: start)) }
        func fail(_ code: ModFileError.Code, _ text: String) { fail(ModFileRules.Failure(code, text)) }
        var args = syntax.takeArguments(line, offset: argumentOffset)
        defer { syntax.restoreArguments(line, args) }

        switch ModFileRules.Directive(verb[...]) {
        case .go:
            switch ModFileRules.parseGoDirective(&args, repeated: goEntry != nil, lax: false) {
            case .failure(let f): return fail(f)
            case .success(let version): goEntry = GoMod.VersionEntry(value: version, line: line)
            }
        case .toolchain:
            switch ModFileRules.parseToolchainDirective(args, repeated: toolchainEntry != nil) {
            case .failure(let f): return fail(f)
            case .success(let name): toolchainEntry = GoMod.VersionEntry(value: name, line: line)
            }
        case .godebug:
            guard let (key, value) = ModFileRules.parseGodebug(args) else { return fail(.usage, "usage: godebug key=value") }
            godebugEntries.append(GoMod.GodebugEntry(key: key, value: value, line: line))
        case .use:
            if args.count != 1 { return fail(.usage, "usage: use local/dir") }
            switch ModFileRules.parseString(&args, 0) {
            case .failure(let f): return fail(ModFileRules.quotedStringFailure(f))
            case .success(let s): useEntries.append(GoMod.PathEntry(path: ByteString(s), line: line))
            }
        case .replace:
            switch ModFileRules.parseReplace(verb: "replace", &args) {
            case .failure(let f): return fail(f)
            case .success(let (old, new)): replaceEntries.append(GoMod.ReplaceEntry(old: old, new: new, line: line))
            }
        default:
            fail(ModFileRules.Failure(.unknownDirective, Array("unknown directive: ".utf8) + verb))
        }
    }

    // MARK: - Output

    /// What `go work edit -json` prints after the edits made so far (cmd/go's `editPrintJSON`
    /// after `SortBlocks` and `Cleanup`), with the trailing newline. As in x/mod, a dropped
    /// godebug setting stays listed with an empty key and value (`WorkFile.Cleanup` keeps it).
    public func editJSON() -> [UInt8] {
        var f = self
        f.cleanUp()
        var fields = GoJSON.goFields(go: f.goEntry, toolchain: f.toolchainEntry, godebugKey: "Godebug",
                                     godebug: f.godebugEntries)
        if !f.useEntries.isEmpty { fields.append(("Use", .array(f.useEntries.map { .object([("DiskPath", .string($0.path))]) }))) }
        if !f.replaceEntries.isEmpty { fields.append(("Replace", GoJSON.replaceList(f.replaceEntries))) }
        return GoJSON.object(fields).encoded() + [0x0A]
    }

    /// The file as `go work edit -fmt` writes it: x/mod's `Format` after `SortBlocks` and
    /// `Cleanup` on a copy.
    public func formatted() -> [UInt8] {
        var f = self
        f.cleanUp()
        return f.syntax.formatted()
    }
}
