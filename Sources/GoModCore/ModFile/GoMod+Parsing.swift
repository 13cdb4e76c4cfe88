extension GoMod {
    /// Parses a go.mod file (x/mod's `modfile.Parse`, or `modfile.ParseLax` with
    /// `strictness: .lax`), with no version fixer: every version must have a canonical form
    /// (`v1.5` is stored as `v1.5.0`), as for `go mod edit`.
    ///
    /// Errors carry x/mod's messages and positions; a lexical or syntax error stops parsing,
    /// while directive errors are all collected, the first thrown with the others in
    /// ``ModFileError/additionalErrors`` (Go's `ErrorList`). Time and memory are linear in the
    /// input; nothing recurses on it.
    ///
    /// - Parameters:
    ///   - data: the file's bytes (any bytes: a BOM, NUL or `/*` is a typed error).
    ///   - fileName: the name used in error messages.
    ///   - strictness: `.strict` for a main module, `.lax` for a dependency's go.mod.
    public static func parse(_ data: [UInt8], fileName: String = "go.mod",
                             strictness: Strictness = .strict) throws(ModFileError) -> GoMod {
        var file = GoMod(fileName: fileName)
        file.syntax = try GoModSyntax.parse(data, fileName: fileName)
        let strict = strictness == .strict
        var errors: [ModFileError] = []
        let blockVerbs: [ModFileRules.Directive] = [.module, .godebug, .require, .exclude, .replace, .retract, .tool, .ignore]
        for statement in file.syntax.directives(isBlockVerb: { blockVerbs.contains(ModFileRules.Directive($0[...])) }) {
            switch statement {
            case .line(let line, let block, let verb, let offset):
                file.add(&errors, block: block, line: line, verb: verb, argumentOffset: offset, strict: strict)
            case .unknownBlock(let b) where strict:
                errors.append(file.syntax.unknownBlockError(b))
            case .unknownBlock(let b):
                file.skippedStatements.append(SkippedStatement(tokens: b.tokens.byteStrings, position: b.start, reason: .unknownBlock))
            }
        }
        if let first = errors.first { throw first.adding(Array(errors.dropFirst())) }
        return file
    }

    /// x/mod's `modfile.ModulePath`: the module path of go.mod text, tolerating anything else
    /// that is wrong with the file; `nil` when no `module` line is found (Go returns "").
    ///
    /// Looks at each line (before any `//`) for `module` followed by white space and an
    /// argument, which may be quoted.
    public static func modulePath(in data: [UInt8]) -> ByteString? {
        var rest = data[...]
        while !rest.isEmpty {
            var line: ArraySlice<UInt8>
            if let nl = rest.firstIndex(of: 0x0A) {
                line = rest[rest.startIndex..<nl]
                rest = rest[(nl + 1)...]
            } else {
                line = rest
                rest = []
            }
            if let i = ModFileText.index(line, ModFileText.slashSlash) { line = line[line.startIndex..<i] }
            line = ModFileText.trimSpace(line)
            guard line.starts(with: "module".utf8) else { continue }
            line = line.dropFirst(6)
            let n = line.count
            line = ModFileText.trimSpace(line)
            if line.count == n || line.isEmpty { continue }
            if line.first == UInt8(ascii: "\"") || line.first == UInt8(ascii: "`") {
                guard let p = ModFileText.unquote(line) else { return nil }
                return ByteString(p)
            }
            return ByteString(Array(line))
        }
        return nil
    }

    /// x/mod's `File.add`: interprets one directive, rewriting its tokens in place as x/mod does.
    mutating func add(_ errors: inout [ModFileError], block: Int?, line: Int, verb: [UInt8],
                      argumentOffset: Int, strict: Bool) {
        let start = syntax.lineNodes[line].start
        let directive = ModFileRules.Directive(verb[...])
        if !strict && ![.go, .module, .retract, .require, .ignore].contains(directive) {
            var tokens = syntax.lineNodes[line].tokens.byteStrings
            if block != nil { tokens.insert(ByteString(verb), at: 0) }
            let known = [.toolchain, .godebug, .exclude, .replace, .tool].contains(directive)
            skippedStatements.append(SkippedStatement(tokens: tokens, position: start,
                                                      reason: known ? .mainModuleOnly : .unknownDirective))
            return
        }
        let fileName = syntax.fileName
        func fail(_ f: ModFileRules.Failure) { errors.append(f.error(fileName: fileName, at: start)) }
        func fail(_ code: ModFileError.Code, _ text: String) { fail(ModFileRules.Failure(code, text)) }

        var args = syntax.takeArguments(line, offset: argumentOffset)
        defer {
            syntax.restoreArguments(line, args)
            for (written, canonical) in args.rewritten {
                nonCanonicalVersions.append((start, ByteString(written), ByteString(canonical)))
            }
        }
        let verbText = String(decoding: verb, as: UTF8.self)

        switch directive {
        case .go:
            switch ModFileRules.parseGoDirective(&args, repeated: goEntry != nil, lax: !strict) {
            case .failure(let f): return fail(f)
            case .success(let version): goEntry = VersionEntry(value: version, line: line)
            }

        case .toolchain:
            switch ModFileRules.parseToolchainDirective(args, repeated: toolchainEntry != nil) {
            case .failure(let f): return fail(f)
            case .success(let name): toolchainEntry = VersionEntry(value: name, line: line)
            }

        case .module:
            if moduleEntry != nil { return fail(.repeatedStatement, "repeated module statement") }
            let comments = Self.directiveComments(syntax, block: block, line: line)
            let deprecated = ModFileText.deprecation(ModFileRules.directiveComment(comments)) ?? []
            moduleEntry = ModuleEntry(path: "", deprecated: ByteString(deprecated), line: line)
            if args.count != 1 { return fail(.usage, "usage: module module/path") }
            switch ModFileRules.parseString(&args, 0) {
            case .failure(let f): return fail(ModFileRules.quotedStringFailure(f))
            case .success(let s): moduleEntry?.path = ByteString(s)
            }

        case .godebug:
            guard let (key, value) = ModFileRules.parseGodebug(args) else {
                return fail(.usage, "usage: godebug key=value")
            }
            godebugEntries.append(GodebugEntry(key: key, value: value, line: line))

        case .require, .exclude:
            if args.count != 2 { return fail(.usage, "usage: \(verbText) module/path v1.2.3") }
            let s: [UInt8]
            switch ModFileRules.parseString(&args, 0) {
            case .failure(let f): return fail(ModFileRules.quotedStringFailure(f))
            case .success(let value): s = value
            }
            let v: [UInt8]
            switch ModFileRules.parseVersion(verb: verbText, path: s, &args, 1) {
            case .failure(let f): return fail(f)
            case .success(let value): v = value
            }
            let pathMajor: [UInt8]
            switch ModFileRules.modulePathMajor(s) {
            case .failure(let f): return fail(f)
            case .success(let m): pathMajor = m
            }
            if let f = ModFileRules.checkPathMajor(v, pathMajor) { return fail(f.directive(verb: verbText, path: s)) }
            let mod = ModuleVersion(path: ByteString(s), version: ByteString(v))
            if directive == .require {
                requireEntries.append(RequireEntry(mod: mod, indirect: ModFileRules.isIndirect(syntax.lineNodes[line]),
                                                   line: line))
            } else {
                excludeEntries.append(ExcludeEntry(mod: mod, line: line))
            }

        case .replace:
            switch ModFileRules.parseReplace(verb: verbText, &args) {
            case .failure(let f): return fail(f)
            case .success(let (old, new)): replaceEntries.append(ReplaceEntry(old: old, new: new, line: line))
            }

        case .retract:
            let rationale = ModFileRules.directiveComment(Self.directiveComments(syntax, block: block, line: line))
            switch ModFileRules.parseVersionInterval(verb: verbText, &args) {
            case .failure(let f):
                if strict { return fail(f) }
                var tokens = args.tokens.byteStrings
                if block != nil { tokens.insert(ByteString(verb), at: 0) }
                skippedStatements.append(SkippedStatement(tokens: tokens, position: start, reason: .malformedRetraction))
                return
            case .success(let (low, high, used)):
                if used < args.count && strict {
                    var message = Array("unexpected token after version: ".utf8)
                    message += quotedBytes(args[used])
                    return fail(ModFileRules.Failure(.invalidRetraction, message))
                }
                retractEntries.append(RetractEntry(low: low, high: high, rationale: ByteString(rationale), line: line))
            }

        case .tool, .ignore:
            if args.count != 1 { return fail(.usage, "\(verbText) directive expects exactly one argument") }
            switch ModFileRules.parseString(&args, 0) {
            case .failure(let f): return fail(ModFileRules.quotedStringFailure(f))
            case .success(let s):
                if directive == .tool {
                    toolEntries.append(PathEntry(path: ByteString(s), line: line))
                } else {
                    ignoreEntries.append(PathEntry(path: ByteString(s), line: line))
                }
            }

        case .use, .unknown:
            fail(ModFileRules.Failure(.unknownDirective, Array("unknown directive: ".utf8) + verb))
        }
    }

    /// The comments x/mod's `parseDirectiveComment` reads: the line's own, or its block's when
    /// the line has none before or after it.
    static func directiveComments(_ syntax: GoModSyntax, block: Int?, line: Int) -> GoModSyntax.Comments {
        let c = syntax.lineNodes[line].comments
        if let block, c.before.isEmpty && c.suffix.isEmpty { return syntax.blockNodes[block].comments }
        return c
    }
}
