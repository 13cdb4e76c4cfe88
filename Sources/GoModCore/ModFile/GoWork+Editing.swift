extension GoWork {
    /// Sets the `go` version, or removes the line when `version` is `nil` (`go work edit -go`;
    /// x/mod's `WorkFile.AddGoStmt` / `DropGoStmt`). A new `go` line goes before the first
    /// statement that is not a comment block. Throws `invalid language version "<v>"`.
    public mutating func setGoVersion(_ version: ByteString?) throws(ModFileError) {
        if let version, !GoMod.isValidGoVersion(version) {
            throw ModFileError(.invalidGoVersion, message: ByteString("invalid language version " + goQuote(version.bytes)))
        }
        let at = firstNonCommentStatement()
        syntax.setSingleLine(&goEntry, verb: "go", value: version) { syntax, tokens in
            let id = syntax.newLine(GoModSyntax.LineNode(tokens: TokenList(tokens)))
            syntax.stmts.insert(.line(id), at: at)
            return id
        }
    }

    /// Sets the `toolchain` name, or removes the line when `name` is `nil`
    /// (`go work edit -toolchain`; x/mod's `WorkFile.AddToolchainStmt`). A new line goes right
    /// after the `go` line, or before the first statement that is not a comment block.
    public mutating func setToolchain(_ name: ByteString?) throws(ModFileError) {
        if let name, !GoMod.isValidToolchainName(name) {
            throw ModFileError(.invalidToolchain, message: ByteString("invalid toolchain name " + goQuote(name.bytes)))
        }
        var at = firstNonCommentStatement()
        for i in syntax.stmts.indices {
            if case .line(let l) = syntax.stmts[i], !syntax.lineNodes[l].removed, syntax.lineNodes[l].tokens.token(0, is: "go") {
                at = i + 1
                break
            }
        }
        syntax.setSingleLine(&toolchainEntry, verb: "toolchain", value: name) { syntax, tokens in
            let id = syntax.newLine(GoModSyntax.LineNode(tokens: TokenList(tokens)))
            syntax.stmts.insert(.line(id), at: at)
            return id
        }
    }

    func firstNonCommentStatement() -> Int {
        syntax.stmts.firstIndex { if case .comments = $0 { return false } else { return true } } ?? syntax.stmts.count
    }

    /// Sets a godebug key (`go work edit -godebug=key=value`; x/mod's `WorkFile.AddGodebug`).
    /// Throws `need key=value` as `go work edit` does.
    public mutating func addGodebug(key: ByteString, value: ByteString) throws(ModFileError) {
        try GoMod.checkGodebug(key, value)
        addGodebugUnchecked(key: key, value: value)
    }

    mutating func addGodebugUnchecked(key: ByteString, value: ByteString) {
        syntax.setGodebug(&godebugEntries, key: key, value: value)
    }

    /// Removes every godebug line for `key` (`go work edit -dropgodebug=key`).
    public mutating func dropGodebug(key: ByteString) {
        syntax.dropGodebug(&godebugEntries, key: key)
    }

    /// Adds (or keeps) a `use` directive for the directory `path`, written as cmd/go's
    /// `ToDirectoryPath` writes it (`go work edit -use=path`; x/mod's `AddUse`). Nothing on
    /// disk is read.
    public mutating func addUse(path: ByteString) {
        addUseUnchecked(Self.directoryPath(path))
    }

    mutating func addUseUnchecked(_ path: ByteString) {
        let tokens = [Array("use".utf8), ModFileText.autoQuote(path.bytes[...])]
        var need = true
        for k in useEntries.indices where useEntries[k].path == path {
            guard let line = useEntries[k].line else { continue }
            if need {
                syntax.updateLine(line, tokens)
                need = false
            } else {
                syntax.markRemoved(line)
                useEntries[k] = GoMod.PathEntry(path: "", line: nil)
            }
        }
        if need { useEntries.append(GoMod.PathEntry(path: path, line: syntax.addLine(hint: nil, tokens))) }
    }

    /// Removes the `use` directive for `path` (after cmd/go's `ToDirectoryPath`)
    /// (`go work edit -dropuse=path`; x/mod's `DropUse`).
    public mutating func dropUse(path: ByteString) {
        dropUseUnchecked(Self.directoryPath(path))
    }

    mutating func dropUseUnchecked(_ path: ByteString) {
        for k in useEntries.indices where useEntries[k].path == path {
            guard let line = useEntries[k].line else { continue }
            syntax.markRemoved(line)
            useEntries[k] = GoMod.PathEntry(path: "", line: nil)
        }
    }

    /// cmd/go's `modload.ToDirectoryPath`: a directory path as it is, anything else as
    /// `./` + its cleaned form.
    public static func directoryPath(_ path: ByteString) -> ByteString {
        if ModFileText.isDirectoryPath(path.bytes[...]) { return path }
        return ByteString(Array("./".utf8) + goPathClean(path.bytes))
    }

    /// Adds a replacement (`go work edit -replace`; x/mod's `WorkFile.AddReplace`), with the
    /// checks of ``GoMod/addReplace(old:new:)`` (a directory path is accepted where an old or
    /// new module path fails the import-path check, as `go work edit` does).
    public mutating func addReplace(old: ModuleVersion, new: ModuleVersion) throws(ModFileError) {
        try GoMod.checkReplacedModule(old)
        if new.version.isEmpty {
            guard ModFileText.isDirectoryPath(new.path.bytes[...]) else {
                throw ModFileError(.invalidEditArgument, "unversioned new path must be local directory")
            }
        } else {
            do { try GoMod.checkPath(new.path, adjective: "new") } catch {
                if !ModFileText.isDirectoryPath(new.path.bytes[...]) { throw error }
            }
            try GoMod.checkVersionArgument(new.version, adjective: "new")
        }
        ModFileRules.addReplace(&syntax, &replaceEntries, old: old, new: new)
    }

    /// Removes the replacement of `old` (`go work edit -dropreplace`; x/mod's
    /// `WorkFile.DropReplace`).
    public mutating func dropReplace(old: ModuleVersion) throws(ModFileError) {
        do { try GoMod.checkPath(old.path, adjective: "old") } catch {
            if !ModFileText.isDirectoryPath(old.path.bytes[...]) { throw error }
        }
        if !old.version.isEmpty { try GoMod.checkVersionArgument(old.version, adjective: "old") }
        dropReplaceUnchecked(old)
    }

    mutating func dropReplaceUnchecked(_ old: ModuleVersion) {
        for k in replaceEntries.indices where replaceEntries[k].old == old {
            guard let line = replaceEntries[k].line else { continue }
            syntax.markRemoved(line)
            replaceEntries[k] = GoMod.ReplaceEntry(old: ModuleVersion(path: "", version: ""),
                                                   new: ModuleVersion(path: "", version: ""), line: nil)
        }
    }

    /// Sorts blocks (bytewise), removes duplicate replacements (the last wins) and sweeps
    /// deleted lines: x/mod's `WorkFile.SortBlocks` then `Cleanup`.
    public mutating func cleanUp() {
        var kill = ModFileRules.KillSet()
        ModFileRules.removeDuplicateReplacements(&replaceEntries, &kill)
        syntax.dropLines(kill.lines)
        syntax.sortBlocks { _ in { TokenList.compare($0.tokens, $1.tokens) } }
        useEntries.removeAll { $0.path.isEmpty }
        replaceEntries.removeAll { $0.old.path.isEmpty }
        syntax.cleanUp()
    }

    // MARK: - go work edit flags

    /// One ordered editing flag of `go work edit` (`-use`, `-dropuse`, `-replace`,
    /// `-dropreplace`, `-godebug`, `-dropgodebug`), parsed as cmd/go's workcmd/edit.go does.
    public struct Edit: Sendable, Hashable {
        /// The flag name without dash.
        public let flag: String
        /// The argument, exactly as given.
        public let argument: ByteString
        let operation: Operation

        enum Operation: Sendable, Hashable {
            case godebug(ByteString, ByteString), dropGodebug(ByteString)
            case use(ByteString), dropUse(ByteString)
            case replace(ModuleVersion, ModuleVersion), dropReplace(ModuleVersion)
        }

        /// The flags this type understands.
        public static let flags = ["godebug", "dropgodebug", "use", "dropuse", "replace", "dropreplace"]

        /// Parses `-flag=argument` as `go work edit` does; errors read like cmd/go's after
        /// `go: ` (`-replace=x: need old[@v]=new[@w] (missing =)`).
        public init(flag: String, argument: ByteString) throws(ModFileError) {
            self.flag = flag
            self.argument = argument
            do throws(ModFileError) {
                switch flag {
                case "godebug":
                    let (k, v) = try EditArguments.godebug(argument)
                    operation = .godebug(k, v)
                case "dropgodebug": operation = .dropGodebug(argument)
                case "use": operation = .use(GoWork.directoryPath(argument))
                case "dropuse": operation = .dropUse(GoWork.directoryPath(argument))
                case "replace":
                    let (old, new) = try EditArguments.replace(argument, work: true)
                    operation = .replace(old, new)
                case "dropreplace":
                    operation = .dropReplace(try EditArguments.pathVersionOptional("old", argument, allowDirectory: true, work: true))
                default:
                    throw ModFileError(.invalidEditArgument, "flag provided but not defined: -\(flag)")
                }
            } catch {
                if error.message.bytes.starts(with: "flag provided".utf8) { throw error }
                throw error.prefixed(GoMod.Edit.prefix(flag, argument))
            }
        }
    }

    /// Applies one editing flag as `go work edit` does.
    public mutating func apply(_ edit: Edit) {
        switch edit.operation {
        case .godebug(let k, let v): addGodebugUnchecked(key: k, value: v)
        case .dropGodebug(let k): dropGodebug(key: k)
        case .use(let p): addUseUnchecked(p)
        case .dropUse(let p): dropUseUnchecked(p)
        case .replace(let old, let new): ModFileRules.addReplace(&syntax, &replaceEntries, old: old, new: new)
        case .dropReplace(let old): dropReplaceUnchecked(old)
        }
    }

    /// Runs a whole `go work edit` on this file: `-go` and `-toolchain` (`none` removes the
    /// line), then `edits` in order, then ``cleanUp()``. An invalid `-go` or `-toolchain`
    /// throws the text cmd/go prints after `go work: `.
    public mutating func edit(goVersion: ByteString? = nil, toolchain: ByteString? = nil, edits: [Edit] = []) throws(ModFileError) {
        try GoMod.checkEditCommand(module: nil, goVersion: goVersion, toolchain: toolchain)
        if let goVersion { try setGoVersion(goVersion == "none" ? nil : goVersion) }
        if let toolchain { try setToolchain(toolchain == "none" ? nil : toolchain) }
        for edit in edits { apply(edit) }
        cleanUp()
    }
}
