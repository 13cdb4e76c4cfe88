/// The parts of x/mod's rule.go that go.mod and go.work share: argument parsing
/// (`parseString`, `parseVersion`, `parseReplace`, `parseVersionInterval`), directive comments,
/// `// indirect` markers, `addReplace` and `removeDups`.
enum ModFileRules {
    /// The directive verbs x/mod knows (go.mod and go.work together).
    enum Directive: Equatable {
        case go, toolchain, module, godebug, require, exclude, replace, retract, tool, ignore, use, unknown

        init(_ verb: ArraySlice<UInt8>) {
            func eq(_ name: StaticString) -> Bool { ModFileText.equal(verb, name) }
            switch verb.count {
            case 2: self = eq("go") ? .go : .unknown
            case 3: self = eq("use") ? .use : .unknown
            case 4: self = eq("tool") ? .tool : .unknown
            case 6: self = eq("module") ? .module : eq("ignore") ? .ignore : .unknown
            case 7:
                self = eq("godebug") ? .godebug : eq("require") ? .require : eq("exclude") ? .exclude
                    : eq("replace") ? .replace : eq("retract") ? .retract : .unknown
            case 9: self = eq("toolchain") ? .toolchain : .unknown
            default: self = .unknown
            }
        }
    }

    /// An error before it is given a position: its code and Go's text (with any `<verb>
    /// <path>: ` prefix of an inner `modfile.Error` already applied).
    struct Failure: Error {
        var code: ModFileError.Code
        var message: [UInt8]

        init(_ code: ModFileError.Code, _ message: [UInt8]) {
            self.code = code
            self.message = message
        }

        init(_ code: ModFileError.Code, _ text: String) {
            self.init(code, Array(text.utf8))
        }

        /// The `<verb> <path>: ` or `<verb>: ` prefix of `modfile.Error` without a position.
        func directive(verb: String, path: [UInt8]) -> Failure {
            var out: [UInt8] = Array(verb.utf8)
            if !path.isEmpty {
                out.append(0x20)
                out += path
            }
            appendText(&out, ": ")
            return Failure(code, out + message)
        }
    }

    /// The arguments of a directive: a window onto the line's tokens that x/mod rewrites in
    /// place (`parseString` and `parseVersion` store the normalised token back).
    struct Args {
        var tokens: TokenList
        /// The index of the first argument in ``tokens`` (1 for a lone line, after its verb).
        let offset: Int
        /// Versions ``parseVersion(verb:path:_:_:canonicalize:)`` rewrote: as written and
        /// canonical.
        var rewritten: [(written: [UInt8], canonical: [UInt8])] = []

        init(tokens: TokenList, offset: Int) {
            self.tokens = tokens
            self.offset = offset
        }

        var count: Int { tokens.count - offset }
        subscript(_ i: Int) -> ArraySlice<UInt8> { tokens[offset + i] }
        mutating func set(_ i: Int, _ value: [UInt8]) { tokens.replace(offset + i, with: value) }
        func `is`(_ i: Int, _ text: String) -> Bool { i < count && self[i].elementsEqual(text.utf8) }
    }

    // MARK: - Strings and versions

    /// x/mod's `parseString`: unquotes a `"…"` token, rejects other quote characters, and
    /// stores the `AutoQuote`d value back into the token.
    static func parseString(_ args: inout Args, _ i: Int) -> Result<[UInt8], Failure> {
        let t = args[i]
        if t.first == UInt8(ascii: "\"") {
            guard let u = ModFileText.unquote(t) else { return .failure(Failure(.invalidQuotedString, "invalid syntax")) }
            args.set(i, ModFileText.autoQuote(u[...]))
            return .success(u)
        }
        var k = t.startIndex
        while k < t.endIndex {
            let c = t[k]
            if c == 0x22 || c == 0x27 || c == 0x60 {
                return .failure(Failure(.invalidQuotedString, "unquoted string cannot contain quote"))
            }
            k += 1
        }
        let value = Array(t)
        // AutoQuote(t) is t itself unless t must be quoted.
        if ModFileText.mustQuote(t) { args.set(i, ModFileText.autoQuote(t)) }
        return .success(value)
    }

    /// `invalid quoted string: <err>` as `add` reports a `parseString` failure.
    static func quotedStringFailure(_ f: Failure) -> Failure {
        Failure(.invalidQuotedString, Array("invalid quoted string: ".utf8) + f.message)
    }

    /// `version "<v>" invalid: <reason>` (`module.InvalidVersionError`).
    static func invalidVersion(_ code: ModFileError.Code, _ version: some Collection<UInt8>, _ reason: [UInt8]) -> Failure {
        var out = Array("version ".utf8)
        out += quotedBytes(version)
        appendText(&out, " invalid: ")
        return Failure(code, out + reason)
    }

    /// x/mod's `parseVersion` with a nil fixer (`canonicalize` true: the version must have a
    /// canonical form, which is stored back) or with the retract directive's no-op fixer
    /// (`canonicalize` false: the unquoted text is stored back as it is).
    static func parseVersion(verb: String, path: [UInt8], _ args: inout Args, _ i: Int,
                             canonicalize: Bool = true) -> Result<[UInt8], Failure> {
        let raw = Array(args[i])
        let t: [UInt8]
        switch parseString(&args, i) {
        case .failure(let f):
            return .failure(invalidVersion(.invalidVersion, raw, f.message).directive(verb: verb, path: path))
        case .success(let v): t = v
        }
        var value = t
        if canonicalize && !ModFileText.isSimpleCanonical(t[...]) {
            let cv = Module.canonicalVersionBytes(t)
            if cv.isEmpty {
                return .failure(invalidVersion(.invalidVersion, t, Array("must be of the form v1.2.3".utf8))
                    .directive(verb: verb, path: path))
            }
            value = cv
            if cv != t { args.rewritten.append((t, cv)) }
        }
        if !args[i].elementsEqual(value) { args.set(i, value) }
        return .success(value)
    }

    /// x/mod's `modulePathMajor`.
    static func modulePathMajor(_ path: [UInt8]) -> Result<[UInt8], Failure> {
        let (_, major, ok) = Module.splitPathVersionBytes(path)
        return ok ? .success(major) : .failure(Failure(.invalidModulePath, "invalid module path"))
    }

    /// `module.CheckPathMajor`, as a failure with Go's message.
    static func checkPathMajor(_ version: [UInt8], _ pathMajor: [UInt8]) -> Failure? {
        if pathMajor.isEmpty && ModFileText.isSimpleCanonical(version[...]) && version.count > 2
            && (version[1] == UInt8(ascii: "0") || version[1] == UInt8(ascii: "1")) && version[2] == UInt8(ascii: ".") {
            return nil  // v0.x.y or v1.x.y without a suffix: always fine
        }
        do {
            try Module.checkPathMajor(ByteString(version), ByteString(pathMajor))
            return nil
        } catch {
            return Failure(.majorVersionMismatch, error.message.bytes)
        }
    }

    // MARK: - replace

    /// x/mod's `parseReplace`: `old [v] => new [v]`.
    static func parseReplace(verb: String, _ args: inout Args) -> Result<(ModuleVersion, ModuleVersion), Failure> {
        let arrow = args.count >= 2 && args.is(1, "=>") ? 1 : 2
        if args.count < arrow + 2 || args.count > arrow + 3 || !args.is(arrow, "=>") {
            return .failure(Failure(.usage, "usage: \(verb) module/path [v1.2.3] => other/module v1.4\n\t or \(verb) module/path [v1.2.3] => ../local/directory"))
        }
        let s: [UInt8]
        switch parseString(&args, 0) {
        case .failure(let f): return .failure(quotedStringFailure(f))
        case .success(let v): s = v
        }
        let pathMajor: [UInt8]
        switch modulePathMajor(s) {
        case .failure(let f): return .failure(f.directive(verb: verb, path: s))
        case .success(let m): pathMajor = m
        }
        var v: [UInt8] = []
        if arrow == 2 {
            switch parseVersion(verb: verb, path: s, &args, 1) {
            case .failure(let f): return .failure(f)
            case .success(let value): v = value
            }
            if let f = checkPathMajor(v, pathMajor) { return .failure(f.directive(verb: verb, path: s)) }
        }
        let ns: [UInt8]
        switch parseString(&args, arrow + 1) {
        case .failure(let f): return .failure(quotedStringFailure(f))
        case .success(let value): ns = value
        }
        var nv: [UInt8] = []
        if args.count == arrow + 2 {
            if !ModFileText.isDirectoryPath(ns[...]) {
                if ns.contains(UInt8(ascii: "@")) {
                    return .failure(Failure(.replacementVersionInPath,
                                            "replacement module must match format 'path version', not 'path@version'"))
                }
                return .failure(Failure(.replacementNotDirectory,
                                        "replacement module without version must be directory path (rooted or starting with . or ..)"))
            }
            if ns.contains(UInt8(ascii: "\\")) {
                return .failure(Failure(.replacementWindowsPath,
                                        "replacement directory appears to be Windows path (on a non-windows system)"))
            }
        }
        if args.count == arrow + 3 {
            switch parseVersion(verb: verb, path: ns, &args, arrow + 2) {
            case .failure(let f): return .failure(f)
            case .success(let value): nv = value
            }
            if ModFileText.isDirectoryPath(ns[...]) {
                var out = Array("replacement module directory path ".utf8)
                out += quotedBytes(ns)
                appendText(&out, " cannot have version")
                return .failure(Failure(.replacementDirectoryWithVersion, out))
            }
        }
        return .success((ModuleVersion(path: ByteString(s), version: ByteString(v)),
                         ModuleVersion(path: ByteString(ns), version: ByteString(nv))))
    }

    // MARK: - go and toolchain

    /// The `go` directive's argument, checked as x/mod's `parseToFile` (go.mod) and
    /// `WorkFile.add` (go.work) do: one argument matching `GoVersionRE`. With `lax` (go.mod read
    /// non-strictly, x/mod's `laxGoVersionRE`), a version such as `1.19beta1` is cut to its valid
    /// prefix and rewritten in place. `repeated` says a `go` directive was already read.
    static func parseGoDirective(_ args: inout Args, repeated: Bool, lax: Bool) -> Result<ByteString, Failure> {
        if repeated { return .failure(Failure(.repeatedStatement, "repeated go statement")) }
        if args.count != 1 { return .failure(Failure(.usage, "go directive expects exactly one argument")) }
        if !ModFileText.isGoVersion(args[0]) {
            if lax, let m = ModFileText.laxGoVersion(args[0]) {
                args.set(0, Array(m))
            } else {
                var message = Array("invalid go version '".utf8) + args[0]
                appendText(&message, "': must match format 1.23.0")
                return .failure(Failure(.invalidGoVersion, message))
            }
        }
        return .success(ByteString(Array(args[0])))
    }

    /// The `toolchain` directive's argument, checked as x/mod does for go.mod and go.work: one
    /// argument matching `ToolchainRE`. `repeated` says a `toolchain` directive was already read.
    static func parseToolchainDirective(_ args: Args, repeated: Bool) -> Result<ByteString, Failure> {
        if repeated { return .failure(Failure(.repeatedStatement, "repeated toolchain statement")) }
        if args.count != 1 { return .failure(Failure(.usage, "toolchain directive expects exactly one argument")) }
        if !ModFileText.isToolchainName(args[0]) {
            var message = Array("invalid toolchain version '".utf8) + args[0]
            appendText(&message, "': must match format go1.23.0 or default")
            return .failure(Failure(.invalidToolchain, message))
        }
        return .success(ByteString(Array(args[0])))
    }

    // MARK: - godebug

    /// x/mod's `godebug` argument rule: one argument, `key=value`, no quote or comma.
    static func parseGodebug(_ args: Args) -> (ByteString, ByteString)? {
        guard args.count == 1 else { return nil }
        let a = args[0]
        if a.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "'")
            || $0 == UInt8(ascii: ",") }) { return nil }
        guard let eq = a.firstIndex(of: UInt8(ascii: "=")) else { return nil }
        return (ByteString(Array(a[a.startIndex..<eq])), ByteString(Array(a[(eq + 1)...])))
    }

    // MARK: - retract

    /// x/mod's `parseVersionInterval` (with the retract directive's no-op fixer): a version or
    /// `[low, high]`; returns the interval and how many arguments it used.
    static func parseVersionInterval(verb: String, _ args: inout Args) -> Result<(ByteString, ByteString, Int), Failure> {
        if args.count == 0 || args.is(0, "(") { return .failure(Failure(.invalidRetraction, "expected '[' or version")) }
        if !args.is(0, "[") {
            switch parseVersion(verb: verb, path: [], &args, 0, canonicalize: false) {
            case .failure(let f): return .failure(f)
            case .success(let v): return .success((ByteString(v), ByteString(v), 1))
            }
        }
        guard args.count > 1 else { return .failure(Failure(.invalidRetraction, "expected version after '['")) }
        let low: [UInt8]
        switch parseVersion(verb: verb, path: [], &args, 1, canonicalize: false) {
        case .failure(let f): return .failure(f)
        case .success(let v): low = v
        }
        guard args.count > 2, args.is(2, ",") else { return .failure(Failure(.invalidRetraction, "expected ',' after version")) }
        guard args.count > 3 else { return .failure(Failure(.invalidRetraction, "expected version after ','")) }
        let high: [UInt8]
        switch parseVersion(verb: verb, path: [], &args, 3, canonicalize: false) {
        case .failure(let f): return .failure(f)
        case .success(let v): high = v
        }
        guard args.count > 4, args.is(4, "]") else { return .failure(Failure(.invalidRetraction, "expected ']' after version")) }
        return .success((ByteString(low), ByteString(high), 5))
    }

    // MARK: - Comments

    /// x/mod's `parseDirectiveComment` over the chosen comments: the text of every `//` comment
    /// before and after the directive, `//` removed and trimmed, joined by newlines.
    static func directiveComment(_ comments: GoModSyntax.Comments) -> [UInt8] {
        var out: [UInt8] = []
        var first = true
        for c in comments.before + comments.suffix where c.token.bytes.starts(with: ModFileText.slashSlash) {
            if !first { out.append(0x0A) }
            first = false
            out += ModFileText.trimSpace(c.token.bytes.dropFirst(2))
        }
        return out
    }

    /// x/mod's `isIndirect`: the first suffix comment is `// indirect` or starts `// indirect;`.
    static func isIndirect(_ line: GoModSyntax.LineNode) -> Bool {
        guard let first = line.comments.suffix.first else { return false }
        // strings.Fields(strings.TrimPrefix(token, "//")): the first field, and whether more follow.
        let s = ModFileText.trimSlashSlash(first.token.bytes[...])
        var i = s.startIndex
        while i < s.endIndex, case let w = ModFileText.spaceWidth(s, at: i), w > 0 { i += w }
        let start = i
        while i < s.endIndex && ModFileText.spaceWidth(s, at: i) == 0 { i += 1 }
        let field = s[start..<i]
        while i < s.endIndex, case let w = ModFileText.spaceWidth(s, at: i), w > 0 { i += w }
        let more = i < s.endIndex
        return more ? ModFileText.equal(field, "indirect;") : ModFileText.equal(field, "indirect")
    }

    /// x/mod's `Require.setIndirect` on a line.
    static func setIndirect(_ line: inout GoModSyntax.LineNode, _ indirect: Bool) {
        if isIndirect(line) == indirect { return }
        if indirect {
            guard !line.comments.suffix.isEmpty else {
                line.comments.suffix = [GoModSyntax.Comment(token: "// indirect", isSuffix: true)]
                return
            }
            let text = ModFileText.trimSpace(ModFileText.trimSlashSlash(line.comments.suffix[0].token.bytes[...]))
            if text.isEmpty {
                line.comments.suffix[0].token = "// indirect"
                return
            }
            line.comments.suffix[0].token = ByteString(Array("// indirect; ".utf8) + text)
            return
        }
        let f = ModFileText.trimSpace(ModFileText.trimSlashSlash(line.comments.suffix[0].token.bytes[...]))
        if f.elementsEqual("indirect".utf8) {
            line.comments.suffix = []
            return
        }
        let token = line.comments.suffix[0].token.bytes
        // isIndirect holds, so "indirect;" occurs.
        let i = ModFileText.index(token[...], Array("indirect;".utf8)) ?? 0
        line.comments.suffix[0].token = ByteString(ModFileText.slashSlash + token[(i + "indirect;".utf8.count)...])
    }

    // MARK: - Editing shared by go.mod and go.work

    /// x/mod's `addReplace`.
    static func addReplace(_ syntax: inout GoModSyntax, _ entries: inout [GoMod.ReplaceEntry],
                           old: ModuleVersion, new: ModuleVersion) {
        var tokens: [[UInt8]] = [Array("replace".utf8), ModFileText.autoQuote(old.path.bytes[...])]
        if !old.version.isEmpty { tokens.append(old.version.bytes) }
        tokens.append(Array("=>".utf8))
        tokens.append(ModFileText.autoQuote(new.path.bytes[...]))
        if !new.version.isEmpty { tokens.append(new.version.bytes) }

        var need = true
        var hint: Int? = nil
        for k in entries.indices {
            let r = entries[k]
            if r.old.path == old.path && (old.version.isEmpty || r.old.version == old.version) {
                if need, let line = r.line {
                    entries[k].new = new
                    syntax.updateLine(line, tokens)
                    need = false
                    continue
                }
                if let line = r.line { syntax.markRemoved(line) }
                entries[k] = GoMod.ReplaceEntry(old: ModuleVersion(path: "", version: ""),
                                                new: ModuleVersion(path: "", version: ""), line: nil)
            }
            if entries[k].old.path == old.path, let line = entries[k].line { hint = line }
        }
        if need {
            let line = syntax.addLine(hint: hint.map { .line($0) }, tokens, searchWhenNil: false)
            entries.append(GoMod.ReplaceEntry(old: old, new: new, line: line))
        }
    }

    /// Go's `kill` map in `removeDups`, keyed by line identity; cleared entries (x/mod's nil
    /// `Syntax`) share one key, exactly as nil pointers do in Go.
    struct KillSet {
        var lines = Set<Int>()
        var nilKilled = false

        mutating func kill(_ line: Int?) {
            if let line { lines.insert(line) } else { nilKilled = true }
        }

        func isKilled(_ line: Int?) -> Bool {
            if let line { return lines.contains(line) }
            return nilKilled
        }
    }

    /// x/mod's `removeDups` for replacements: later ones win.
    static func removeDuplicateReplacements(_ entries: inout [GoMod.ReplaceEntry], _ kill: inout KillSet) {
        var have = Set<ModuleVersion>()
        for r in entries.reversed() {
            if have.contains(r.old) {
                kill.kill(r.line)
                continue
            }
            have.insert(r.old)
        }
        entries = entries.filter { !kill.isKilled($0.line) }
    }

    /// x/mod's `removeDups` for `tool` and `ignore` paths: earlier ones win.
    static func removeDuplicatePaths(_ entries: inout [GoMod.PathEntry], _ kill: inout KillSet) {
        var have = Set<ByteString>()
        for t in entries {
            if have.contains(t.path) {
                kill.kill(t.line)
                continue
            }
            have.insert(t.path)
        }
        entries = entries.filter { !kill.isKilled($0.line) }
    }
}

extension ModFileRules.Failure {
    /// The failure as x/mod reports it for the directive starting at `start` in `fileName`.
    func error(fileName: String, at start: GoModSyntax.Position) -> ModFileError {
        ModFileError(code, fileName: fileName, at: start, message: ByteString(message))
    }
}

extension GoModSyntax {
    /// The arguments of line `line` (after `offset` tokens), moved out of the line so that the
    /// returned value owns the storage while it rewrites tokens; give them back with
    /// ``restoreArguments(_:_:)``.
    mutating func takeArguments(_ line: Int, offset: Int) -> ModFileRules.Args {
        defer { lineNodes[line].tokens = TokenList() }
        return ModFileRules.Args(tokens: lineNodes[line].tokens, offset: offset)
    }

    /// Puts arguments taken with ``takeArguments(_:offset:)`` back into line `line`.
    mutating func restoreArguments(_ line: Int, _ args: ModFileRules.Args) {
        lineNodes[line].tokens = args.tokens
    }
}

extension GoModSyntax {
    /// A statement of the walk x/mod's `parseToFile` and `ParseWork` share
    /// (``directives(isBlockVerb:)``).
    enum DirectiveStatement {
        /// A directive line: a lone line (`block` nil, arguments from token 1) or a line of a
        /// block whose verb is known (arguments from token 0).
        case line(id: Int, block: Int?, verb: [UInt8], argumentOffset: Int)
        /// A block with several tokens before `(`, or with a verb `isBlockVerb` refused.
        case unknownBlock(BlockNode)
    }

    /// The statements in order, comment blocks left out: each lone line with its verb, each line
    /// of a block whose only token is a verb `isBlockVerb` accepts, and every other block as
    /// unknown. A list rather than a walk with callbacks, so that the parsers can rewrite lines'
    /// tokens without this tree being held (and every rewritten token list copied) meanwhile.
    func directives(isBlockVerb: ([UInt8]) -> Bool) -> [DirectiveStatement] {
        var out: [DirectiveStatement] = []
        out.reserveCapacity(lineNodes.count)
        for stmt in stmts {
            switch stmt {
            case .comments:
                continue
            case .line(let id):
                out.append(.line(id: id, block: nil, verb: Array(lineNodes[id].tokens[0]), argumentOffset: 1))
            case .block(let bid):
                let b = blockNodes[bid]
                let verb = Array(b.tokens[0])
                guard b.tokens.count == 1, isBlockVerb(verb) else {
                    out.append(.unknownBlock(b))
                    continue
                }
                for id in b.lines { out.append(.line(id: id, block: bid, verb: verb, argumentOffset: 0)) }
            }
        }
        return out
    }

    /// x/mod's error for a block of an unknown type: `unknown block type: <its tokens>`.
    func unknownBlockError(_ b: BlockNode) -> ModFileError {
        var message = Array("unknown block type: ".utf8)
        for k in 0..<b.tokens.count {
            if k > 0 { message.append(0x20) }
            message += b.tokens[k]
        }
        return ModFileError(.unknownBlockType, fileName: fileName, at: b.start, message: ByteString(message))
    }
}
