extension GoMod {
    // MARK: - Public edit operations (x/mod File methods + go mod edit's argument checks)

    /// Sets the module path (`go mod edit -module`; x/mod's `AddModuleStmt`).
    ///
    /// Like `go mod edit`, refuses a path that is not a valid import path
    /// (`module.CheckImportPath`) or is reserved (`go`, `toolchain`); the message is the text
    /// `go mod edit` prints after `invalid -module: `.
    public mutating func setModule(_ path: ByteString) throws(ModFileError) {
        do {
            try GoModule.checkImportPath(path)
        } catch {
            throw ModFileError(.invalidModuleArgument, message: error.message)
        }
        if path == "go" || path == "toolchain" {
            throw ModFileError(.invalidModuleArgument, "module path is reserved")
        }
        addModuleStatement(path)
    }

    /// x/mod's `AddModuleStmt`, without checks.
    mutating func addModuleStatement(_ path: ByteString) {
        let tokens = [Array("module".utf8), ModFileText.autoQuote(path.bytes[...])]
        if let entry = moduleEntry {
            moduleEntry?.path = path
            syntax.updateLine(entry.line, tokens)
        } else {
            moduleEntry = ModuleEntry(path: path, deprecated: "", line: syntax.addLine(hint: nil, tokens))
        }
    }

    /// Sets the `go` version, or removes the `go` line when `version` is `nil`
    /// (`go mod edit -go=V` / `-go=none`; x/mod's `AddGoStmt` / `DropGoStmt`).
    ///
    /// A new `go` line goes after the `module` line. Throws x/mod's
    /// `invalid language version "<v>"` when `version` does not match ``isValidGoVersion(_:)``.
    public mutating func setGoVersion(_ version: ByteString?) throws(ModFileError) {
        if let version, !Self.isValidGoVersion(version) {
            throw ModFileError(.invalidGoVersion, message: ByteString("invalid language version " + goQuote(version.bytes)))
        }
        let hint: GoModSyntax.Hint? = moduleEntry.map { .line($0.line) }
        syntax.setSingleLine(&goEntry, verb: "go", value: version) { $0.addLine(hint: hint, $1) }
    }

    /// Sets the `toolchain` name, or removes the line when `name` is `nil`
    /// (`go mod edit -toolchain=T` / `-toolchain=none`; x/mod's `AddToolchainStmt` /
    /// `DropToolchainStmt`). A new line goes after the `go` line (or the `module` line).
    /// Throws x/mod's `invalid toolchain name "<t>"` for a name that fails
    /// ``isValidToolchainName(_:)``.
    public mutating func setToolchain(_ name: ByteString?) throws(ModFileError) {
        if let name, !Self.isValidToolchainName(name) {
            throw ModFileError(.invalidToolchain, message: ByteString("invalid toolchain name " + goQuote(name.bytes)))
        }
        let hint: GoModSyntax.Hint? = goEntry.map { .line($0.line) } ?? moduleEntry.map { .line($0.line) }
        syntax.setSingleLine(&toolchainEntry, verb: "toolchain", value: name) { $0.addLine(hint: hint, $1) }
    }

    /// Sets `key` to `value`: the first `godebug` line for `key` is updated (its comments
    /// kept), other lines for `key` are removed, and a missing key is added at the end of the
    /// last godebug block (`go mod edit -godebug=key=value`; x/mod's `AddGodebug`).
    ///
    /// Throws `need key=value` when the key contains `=` or either part contains a quote or
    /// comma, as `go mod edit` does.
    public mutating func addGodebug(key: ByteString, value: ByteString) throws(ModFileError) {
        try Self.checkGodebug(key, value)
        addGodebugUnchecked(key: key, value: value)
    }

    /// Removes every `godebug` line for `key` (`go mod edit -dropgodebug=key`).
    public mutating func dropGodebug(key: ByteString) {
        syntax.dropGodebug(&godebugEntries, key: key)
    }

    /// Requires `path` at `version`: the first `require` line for `path` is updated, the others
    /// for `path` are removed, and a new requirement joins the last require block
    /// (`go mod edit -require=path@version`; x/mod's `AddRequire`).
    ///
    /// Throws `invalid path: …` (``GoModule/checkImportPath(_:)``) or `invalid version "<v>"`
    /// (a version that would need quoting), as `go mod edit` does; any other version text is
    /// written as given, to be resolved by the next go command.
    public mutating func addRequire(path: ByteString, version: ByteString) throws(ModFileError) {
        try Self.checkPath(path)
        try Self.checkVersionArgument(version)
        addRequireUnchecked(path: path, version: version)
    }

    /// Removes every requirement on `path` (`go mod edit -droprequire=path`; x/mod's
    /// `DropRequire`). Throws `need just path, not path@version` or `invalid path: …`.
    public mutating func dropRequire(path: ByteString) throws(ModFileError) {
        try Self.checkPathOnly(path)
        dropRequireUnchecked(path: path)
    }

    /// Excludes `path@version` (`go mod edit -exclude=path@version`; x/mod's `AddExclude`): a
    /// no-op when the exclusion exists; otherwise the line goes after another exclusion of the
    /// same path, or at the end of the file.
    ///
    /// Throws `invalid path: …`, `invalid version "<v>"`, or x/mod's
    /// `version "<v>" invalid: must be of the form v1.2.3` /
    /// `… should be v2.0.0+incompatible (or module <path>/v2)` for a non-canonical version.
    public mutating func addExclude(path: ByteString, version: ByteString) throws(ModFileError) {
        try Self.checkPath(path)
        try Self.checkVersionArgument(version)
        try addExcludeUnchecked(path: path, version: version)
    }

    /// Removes the exclusion of `path@version` (`go mod edit -dropexclude=path@version`).
    public mutating func dropExclude(path: ByteString, version: ByteString) throws(ModFileError) {
        try Self.checkPath(path)
        try Self.checkVersionArgument(version)
        dropExcludeUnchecked(path: path, version: version)
    }

    /// Replaces `old` (every version when its version is empty) by `new`, a module version or a
    /// local directory (an empty version) (`go mod edit -replace=old[@v]=new[@v]`; x/mod's
    /// `AddReplace`). The first matching replacement is updated, other matches are removed; a
    /// new line goes after another replacement of the same path, or at the end of the file.
    ///
    /// Throws `invalid old path: …`, `invalid old version: "<v>"`, `invalid new path: …`,
    /// `invalid new version: "<v>"` or `unversioned new path must be local directory`.
    public mutating func addReplace(old: GoModule.Version, new: GoModule.Version) throws(ModFileError) {
        try Self.checkReplacedModule(old)
        if new.version.isEmpty {
            guard ModFileText.isDirectoryPath(new.path.bytes[...]) else {
                throw ModFileError(.invalidEditArgument, "unversioned new path must be local directory")
            }
        } else {
            try Self.checkPath(new.path, adjective: "new")
            try Self.checkVersionArgument(new.version, adjective: "new")
        }
        ModFileRules.addReplace(&syntax, &replaceEntries, old: old, new: new)
    }

    /// Removes the replacement of `old` (with an empty version: the replacement of all
    /// versions) (`go mod edit -dropreplace=old[@v]`; x/mod's `DropReplace`).
    public mutating func dropReplace(old: GoModule.Version) throws(ModFileError) {
        if !(old.version.isEmpty && ModFileText.isDirectoryPath(old.path.bytes[...])) {
            try Self.checkReplacedModule(old)
        }
        dropReplaceUnchecked(old)
    }

    /// Retracts `low` … `high` (one version when they are equal), with `rationale` written as
    /// comment lines above (`go mod edit -retract`; x/mod's `AddRetract`). The line joins the
    /// last retract statement.
    ///
    /// Like x/mod, the new retraction is written to the file but not added to the list x/mod
    /// keeps, so ``editJSON()`` does not show it and ``dropRetract(low:high:)`` does not remove
    /// it until the file is parsed again; ``retractions`` does include it.
    ///
    /// Throws `version "<v>" invalid: …` when a bound is not a canonical version matching the
    /// module path's major version.
    public mutating func addRetract(low: ByteString, high: ByteString, rationale: ByteString = "") throws(ModFileError) {
        let path = moduleEntry?.path ?? ""
        try Self.checkCanonicalVersion(path: path, version: high)
        try Self.checkCanonicalVersion(path: path, version: low)
        var tokens = [Array("retract".utf8)]
        if low == high {
            tokens.append(ModFileText.autoQuote(low.bytes[...]))
        } else {
            tokens += [Array("[".utf8), ModFileText.autoQuote(low.bytes[...]), Array(",".utf8),
                       ModFileText.autoQuote(high.bytes[...]), Array("]".utf8)]
        }
        let line = syntax.addLine(hint: nil, tokens)
        if !rationale.isEmpty {
            for part in rationale.bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                syntax.lineNodes[line].comments.before.append(GoModSyntax.Comment(token: ByteString(Array("// ".utf8) + part)))
            }
        }
        addedRetractEntries.append(RetractEntry(low: low, high: high, rationale: rationale, line: line))
    }

    /// Removes the retraction of exactly `low` … `high` read from the file
    /// (`go mod edit -dropretract`; x/mod's `DropRetract`).
    public mutating func dropRetract(low: ByteString, high: ByteString) {
        for k in retractEntries.indices where retractEntries[k].low == low && retractEntries[k].high == high {
            guard let line = retractEntries[k].line else { continue }
            syntax.markRemoved(line)
            retractEntries[k] = RetractEntry(low: "", high: "", rationale: "", line: nil)
        }
    }

    /// Adds a `tool` directive unless it exists, then sorts blocks as x/mod's `AddTool` does
    /// (`go mod edit -tool=path`). Throws `need just path, not path@version` or
    /// `invalid path: …`.
    public mutating func addTool(path: ByteString) throws(ModFileError) {
        try Self.checkPathOnly(path)
        addToolUnchecked(path: path)
    }

    /// Removes the `tool` directive for `path` (`go mod edit -droptool=path`; x/mod's
    /// `DropTool`).
    public mutating func dropTool(path: ByteString) throws(ModFileError) {
        try Self.checkPathOnly(path)
        dropToolUnchecked(path: path)
    }

    /// Adds an `ignore` directive unless it exists, then sorts blocks (`go mod edit
    /// -ignore=path`; x/mod's `AddIgnore`). Like `go mod edit`, the path is neither checked nor
    /// quoted.
    public mutating func addIgnore(path: ByteString) {
        if ignoreEntries.contains(where: { $0.path == path }) { return }
        ignoreEntries.append(PathEntry(path: path, line: syntax.addLine(hint: nil, [Array("ignore".utf8), path.bytes])))
        sortBlocks()
    }

    /// Removes the `ignore` directive for `path` (`go mod edit -dropignore=path`).
    public mutating func dropIgnore(path: ByteString) {
        for k in ignoreEntries.indices where ignoreEntries[k].path == path {
            guard let line = ignoreEntries[k].line else { continue }
            syntax.markRemoved(line)
            ignoreEntries[k] = PathEntry(path: "", line: nil)
        }
    }

    /// Sorts blocks, removes duplicates and sweeps deleted lines and emptied blocks: x/mod's
    /// `SortBlocks` then `Cleanup`, which `go mod edit` runs after all edits (and
    /// ``formatted()`` and ``editJSON()`` run on a copy).
    ///
    /// Sorting is per block: lines bytewise token by token, exclusions by path then semantic
    /// version when the go version is at least 1.21, retractions newest first; duplicate
    /// exclusions, tools and ignores keep the first, duplicate replacements the last.
    public mutating func cleanUp() {
        sortBlocks()
        cleanUpEntries()
    }

    // MARK: - Requirement sets (x/mod SetRequire, SetRequireSeparateIndirect)

    /// A requirement for ``GoMod/setRequirements(_:layout:)``.
    public struct RequirementSpec: Sendable, Hashable {
        /// The module path.
        public var path: ByteString
        /// The version.
        public var version: ByteString
        /// Whether to mark the requirement `// indirect`.
        public var isIndirect: Bool

        /// Creates a requirement.
        public init(path: ByteString, version: ByteString, isIndirect: Bool = false) {
            self.path = path
            self.version = version
            self.isIndirect = isIndirect
        }
    }

    /// How ``setRequirements(_:layout:)`` arranges requirements.
    public enum RequirementLayout: String, Sendable, Hashable, CaseIterable {
        /// x/mod's `SetRequire`: keep the block structure; new requirements join the last
        /// require block.
        case preserve
        /// x/mod's `SetRequireSeparateIndirect` (what `go mod tidy` uses): direct and indirect
        /// requirements in two separate blocks, leaving commented blocks alone.
        case separateIndirect
        /// x/mod's `SetRequireAtMostTwo`: consolidate everything into at most two blocks.
        case atMostTwoBlocks
    }

    /// Makes the requirements exactly `requirements` (x/mod's `SetRequire`,
    /// `SetRequireSeparateIndirect` or `SetRequireAtMostTwo`), keeping the comments of the first
    /// line for each path, then sorts blocks. Call ``cleanUp()`` afterwards to sweep removed
    /// lines.
    ///
    /// Give at most one version per path (x/mod panics otherwise); when a path repeats, the
    /// last entry wins. New requirements are added in the order given (x/mod's order there
    /// comes from map iteration; after sorting the text is the same).
    public mutating func setRequirements(_ requirements: [RequirementSpec], layout: RequirementLayout = .preserve) {
        switch layout {
        case .preserve: setRequire(requirements)
        case .separateIndirect: setRequireSeparateIndirect(requirements, simplify: false)
        case .atMostTwoBlocks: setRequireSeparateIndirect(requirements, simplify: true)
        }
    }

    // MARK: - Validation shared with the flag parser (cmd/go modcmd/edit.go)

    /// x/mod's `GoVersionRE`: `1.21`, `1.21.0`, `1.21rc1` (the syntax of a `go` line).
    public static func isValidGoVersion(_ version: ByteString) -> Bool { ModFileText.isGoVersion(version.bytes[...]) }

    /// x/mod's `ToolchainRE`: `default`, `go1`, or `go1.` followed by anything.
    public static func isValidToolchainName(_ name: ByteString) -> Bool { ModFileText.isToolchainName(name.bytes[...]) }

    /// x/mod's `MustQuote`: whether `s` needs quoting to be one go.mod token (it is empty,
    /// contains white space, a quote, `//` or `/*`, a non-printable rune, or punctuation and
    /// more than one character).
    public static func mustQuote(_ s: ByteString) -> Bool { ModFileText.mustQuote(s.bytes[...]) }

    /// x/mod's `AutoQuote`: `s`, or `s` quoted with Go's `strconv.Quote` when ``mustQuote(_:)``.
    /// cmd/go writes module paths into go.mod files this way, including the synthesized
    /// `module <path>` file of a module without one.
    public static func autoQuote(_ s: ByteString) -> ByteString { ByteString(ModFileText.autoQuote(s.bytes[...])) }

    /// x/mod's `IsDirectoryPath`: whether a replacement target is a directory (`.`, `..`, or
    /// starting with `./`, `../`, `.\`, `..\`, `/`, `\` or a drive letter).
    public static func isDirectoryPath(_ path: ByteString) -> Bool { ModFileText.isDirectoryPath(path.bytes[...]) }

    /// `invalid path: …` (cmd/go's `parsePath` / `parsePathVersion`).
    static func checkPath(_ path: ByteString, adjective: String? = nil) throws(ModFileError) {
        do {
            try GoModule.checkImportPath(path)
        } catch {
            let prefix = adjective.map { "invalid \($0) path: " } ?? "invalid path: "
            throw ModFileError(.invalidEditArgument, message: ByteString(Array(prefix.utf8) + error.message.bytes))
        }
    }

    /// cmd/go's `parsePath`: no `@`, then ``checkPath(_:adjective:)``.
    static func checkPathOnly(_ path: ByteString) throws(ModFileError) {
        if path.contains(UInt8(ascii: "@")) {
            throw ModFileError(.invalidEditArgument, "need just path, not path@version")
        }
        try checkPath(path)
    }

    /// cmd/go's `allowedVersionArg`: a version that needs no quoting.
    static func checkVersionArgument(_ version: ByteString, adjective: String? = nil) throws(ModFileError) {
        if ModFileText.mustQuote(version.bytes[...]) {
            let prefix = adjective.map { "invalid \($0) version: " } ?? "invalid version "
            throw ModFileError(.invalidEditArgument, message: ByteString(prefix + goQuote(version.bytes)))
        }
    }

    /// The checks `-replace` and `-dropreplace` apply to the old module.
    static func checkReplacedModule(_ old: GoModule.Version) throws(ModFileError) {
        try checkPath(old.path, adjective: "old")
        if !old.version.isEmpty { try checkVersionArgument(old.version, adjective: "old") }
    }

    /// cmd/go's `flagGodebug` check on a key and value.
    static func checkGodebug(_ key: ByteString, _ value: ByteString) throws(ModFileError) {
        let bad: (UInt8) -> Bool = {
            $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: ",")
        }
        if key.contains(UInt8(ascii: "=")) || key.bytes.contains(where: bad) || value.bytes.contains(where: bad) {
            throw ModFileError(.invalidEditArgument, "need key=value")
        }
    }

    /// x/mod's `checkCanonicalVersion`.
    static func checkCanonicalVersion(path: ByteString, version: ByteString) throws(ModFileError) {
        let (_, pathMajor, pathMajorOK) = GoModule.splitPathVersionBytes(path.bytes)
        if version.isEmpty || version.bytes != GoModule.canonicalVersionBytes(version.bytes) {
            var reason = Array("must be of the form ".utf8)
            if pathMajor.isEmpty {
                appendText(&reason, "v1.2.3")
            } else {
                reason += (GoModule.pathMajorPrefix(ByteString(pathMajor))?.bytes ?? [])
                appendText(&reason, ".2.3")
            }
            let f = ModFileRules.invalidVersion(.nonCanonicalEditVersion, version.bytes, reason)
            throw ModFileError(f.code, message: ByteString(f.message))
        }
        if pathMajorOK, let failure = ModFileRules.checkPathMajor(version.bytes, pathMajor) {
            if pathMajor.isEmpty {
                var reason = Array("should be ".utf8) + version.bytes
                appendText(&reason, "+incompatible (or module ")
                reason += path.bytes + [UInt8(ascii: "/")] + Semver.major(version).bytes
                appendText(&reason, ")")
                let f = ModFileRules.invalidVersion(.nonCanonicalEditVersion, version.bytes, reason)
                throw ModFileError(f.code, message: ByteString(f.message))
            }
            throw ModFileError(.nonCanonicalEditVersion, message: ByteString(failure.message))
        }
    }

    // MARK: - x/mod operations without cmd/go's argument checks

    mutating func addGodebugUnchecked(key: ByteString, value: ByteString) {
        syntax.setGodebug(&godebugEntries, key: key, value: value)
    }

    mutating func addRequireUnchecked(path: ByteString, version: ByteString) {
        let tokens = [Array("require".utf8), ModFileText.autoQuote(path.bytes[...]), version.bytes]
        var need = true
        for k in requireEntries.indices where requireEntries[k].mod.path == path {
            guard let line = requireEntries[k].line else { continue }
            if need {
                requireEntries[k].mod.version = version
                syntax.updateLine(line, tokens)
                need = false
            } else {
                syntax.markRemoved(line)
                requireEntries[k] = RequireEntry(mod: GoModule.Version(path: "", version: ""), indirect: false, line: nil)
            }
        }
        if need { addNewRequire(path: path, version: version, indirect: false) }
    }

    /// x/mod's `AddNewRequire`.
    mutating func addNewRequire(path: ByteString, version: ByteString, indirect: Bool) {
        let line = syntax.addLine(hint: nil, [Array("require".utf8), ModFileText.autoQuote(path.bytes[...]), version.bytes])
        ModFileRules.setIndirect(&syntax.lineNodes[line], indirect)
        requireEntries.append(RequireEntry(mod: GoModule.Version(path: path, version: version), indirect: indirect, line: line))
    }

    mutating func dropRequireUnchecked(path: ByteString) {
        for k in requireEntries.indices where requireEntries[k].mod.path == path {
            guard let line = requireEntries[k].line else { continue }
            syntax.markRemoved(line)
            requireEntries[k] = RequireEntry(mod: GoModule.Version(path: "", version: ""), indirect: false, line: nil)
        }
    }

    mutating func addExcludeUnchecked(path: ByteString, version: ByteString) throws(ModFileError) {
        try Self.checkCanonicalVersion(path: path, version: version)
        var hint: Int? = nil
        for x in excludeEntries {
            if x.mod.path == path && x.mod.version == version { return }
            if x.mod.path == path, let line = x.line { hint = line }
        }
        let line = syntax.addLine(hint: hint.map { .line($0) },
                                  [Array("exclude".utf8), ModFileText.autoQuote(path.bytes[...]), version.bytes],
                                  searchWhenNil: false)
        excludeEntries.append(ExcludeEntry(mod: GoModule.Version(path: path, version: version), line: line))
    }

    mutating func dropExcludeUnchecked(path: ByteString, version: ByteString) {
        for k in excludeEntries.indices where excludeEntries[k].mod.path == path && excludeEntries[k].mod.version == version {
            guard let line = excludeEntries[k].line else { continue }
            syntax.markRemoved(line)
            excludeEntries[k] = ExcludeEntry(mod: GoModule.Version(path: "", version: ""), line: nil)
        }
    }

    mutating func dropReplaceUnchecked(_ old: GoModule.Version) {
        for k in replaceEntries.indices where replaceEntries[k].old == old {
            guard let line = replaceEntries[k].line else { continue }
            syntax.markRemoved(line)
            replaceEntries[k] = ReplaceEntry(old: GoModule.Version(path: "", version: ""),
                                             new: GoModule.Version(path: "", version: ""), line: nil)
        }
    }

    mutating func addToolUnchecked(path: ByteString) {
        if toolEntries.contains(where: { $0.path == path }) { return }
        toolEntries.append(PathEntry(path: path, line: syntax.addLine(hint: nil, [Array("tool".utf8), path.bytes])))
        sortBlocks()
    }

    mutating func dropToolUnchecked(path: ByteString) {
        for k in toolEntries.indices where toolEntries[k].path == path {
            guard let line = toolEntries[k].line else { continue }
            syntax.markRemoved(line)
            toolEntries[k] = PathEntry(path: "", line: nil)
        }
    }

    // MARK: - SortBlocks, removeDups, Cleanup

    /// x/mod's `File.SortBlocks`.
    mutating func sortBlocks() {
        removeDuplicates()
        let semanticExclude = goEntry.map { Semver.compare(ByteString(Array("v".utf8) + $0.value.bytes), "v1.21") >= 0 } ?? false
        syntax.sortBlocks { verb in
            if verb.token(0, is: "exclude") && semanticExclude { return Self.compareExcludeLines }
            if verb.token(0, is: "retract") { return Self.compareRetractLines }
            return { TokenList.compare($0.tokens, $1.tokens) }
        }
    }

    /// x/mod's `compareLineExclude`.
    static func compareExcludeLines(_ a: GoModSyntax.LineNode, _ b: GoModSyntax.LineNode) -> Int {
        guard a.tokens.count == 2 && b.tokens.count == 2 else { return TokenList.compare(a.tokens, b.tokens) }
        let c = compareByteOrder(a.tokens[0], b.tokens[0])
        if c != 0 { return c }
        return Semver.compareSlices(a.tokens[1], b.tokens[1])
    }

    /// x/mod's `compareLineRetract`: intervals newest first.
    static func compareRetractLines(_ a: GoModSyntax.LineNode, _ b: GoModSyntax.LineNode) -> Int {
        func interval(_ l: GoModSyntax.LineNode) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
            let t = l.tokens
            if t.count == 1 { return (t[0], t[0]) }
            if t.count == 5 && t.token(0, is: "[") && t.token(2, is: ",") && t.token(4, is: "]") { return (t[1], t[3]) }
            return ([], [])
        }
        let (al, ah) = interval(a), (bl, bh) = interval(b)
        let c = Semver.compareSlices(al, bl)
        if c != 0 { return -c }
        return -Semver.compareSlices(ah, bh)
    }

    /// x/mod's `removeDups`: duplicate exclusions, tools and ignores keep the first,
    /// replacements the last; killed lines leave the syntax tree, and so does every block left
    /// without lines.
    mutating func removeDuplicates() {
        var kill = ModFileRules.KillSet()
        var have = Set<GoModule.Version>()
        for x in excludeEntries {
            if have.contains(x.mod) {
                kill.kill(x.line)
                continue
            }
            have.insert(x.mod)
        }
        excludeEntries = excludeEntries.filter { !kill.isKilled($0.line) }
        ModFileRules.removeDuplicateReplacements(&replaceEntries, &kill)
        ModFileRules.removeDuplicatePaths(&toolEntries, &kill)
        ModFileRules.removeDuplicatePaths(&ignoreEntries, &kill)
        syntax.dropLines(kill.lines)
    }

    /// x/mod's `File.Cleanup`: drops cleared godebug, require, exclude, replace and retract
    /// entries (not tools or ignores, which x/mod keeps), then cleans the syntax tree.
    mutating func cleanUpEntries() {
        godebugEntries.removeAll { $0.key.isEmpty }
        requireEntries.removeAll { $0.mod.path.isEmpty }
        excludeEntries.removeAll { $0.mod.path.isEmpty }
        replaceEntries.removeAll { $0.old.path.isEmpty }
        retractEntries.removeAll { $0.low.isEmpty && $0.high.isEmpty }
        syntax.cleanUp()
    }

    // MARK: - SetRequire

    /// x/mod's `Require.setVersion` on the entry's line.
    mutating func setRequireVersion(_ k: Int, _ version: ByteString) {
        requireEntries[k].mod.version = version
        guard let id = requireEntries[k].line, !syntax.lineNodes[id].tokens.isEmpty else { return }
        if syntax.lineNodes[id].inBlock {
            let before = syntax.lineNodes[id].comments.before
            if before.count == 1 && before[0].token.isEmpty { syntax.lineNodes[id].comments.before = [] }
            if syntax.lineNodes[id].tokens.count >= 2 { syntax.lineNodes[id].tokens.replace(1, with: version.bytes) }
        } else if syntax.lineNodes[id].tokens.count >= 3 {
            syntax.lineNodes[id].tokens.replace(2, with: version.bytes)
        }
    }

    mutating func setRequireIndirect(_ k: Int, _ indirect: Bool) {
        requireEntries[k].indirect = indirect
        if let id = requireEntries[k].line { ModFileRules.setIndirect(&syntax.lineNodes[id], indirect) }
    }

    mutating func markRequireRemoved(_ k: Int) {
        if let id = requireEntries[k].line { syntax.markRemoved(id) }
        requireEntries[k] = RequireEntry(mod: GoModule.Version(path: "", version: ""), indirect: false, line: nil)
    }

    /// Keyed by path, keeping the last entry for a path and the order of first appearance.
    static func keyed(_ requirements: [RequirementSpec]) -> (order: [ByteString], need: [ByteString: RequirementSpec]) {
        var order: [ByteString] = []
        var need: [ByteString: RequirementSpec] = [:]
        for r in requirements {
            if need.updateValue(r, forKey: r.path) == nil { order.append(r.path) }
        }
        return (order, need)
    }

    /// x/mod's `SetRequire`.
    mutating func setRequire(_ requirements: [RequirementSpec]) {
        var (order, need) = Self.keyed(requirements)
        for k in requireEntries.indices {
            let path = requireEntries[k].mod.path
            guard requireEntries[k].line != nil else { continue }
            if let e = need[path] {
                setRequireVersion(k, e.version)
                setRequireIndirect(k, e.isIndirect)
            } else {
                markRequireRemoved(k)
            }
            need[path] = nil
        }
        order.removeAll { need[$0] == nil }
        for path in order {
            if let e = need[path] { addNewRequire(path: path, version: e.version, indirect: e.isIndirect) }
        }
        sortBlocks()
    }

    /// x/mod's `setRequireSeparateIndirect`.
    mutating func setRequireSeparateIndirect(_ requirements: [RequirementSpec], simplify: Bool) {
        func hasComments(_ c: GoModSyntax.Comments) -> Bool {
            !c.before.isEmpty || !c.after.isEmpty || c.suffix.count > 1
                || (c.suffix.count == 1
                    && !ModFileText.trimSpace(ModFileText.trimSlashSlash(c.suffix[0].token.bytes[...])).elementsEqual("indirect".utf8))
        }
        let (order, need) = Self.keyed(requirements)
        var lineIndirect: [Int: Bool] = [:]
        for r in requireEntries {
            if let n = need[r.mod.path], let line = r.line { lineIndirect[line] = n.isIndirect }
        }

        var lastDirectIndex = -1, lastIndirectIndex = -1, lastRequireIndex = -1
        var requireLineOrBlockCount = 0
        var lineToBlock: [Int: Int] = [:]
        var directBlockComments: [GoModSyntax.Comment] = []
        var indirectBlockComments: [GoModSyntax.Comment] = []
        for i in syntax.stmts.indices {
            switch syntax.stmts[i] {
            case .line(let id):
                let l = syntax.lineNodes[id]
                guard !l.removed, l.tokens.token(0, is: "require") else { continue }
                lastRequireIndex = i
                requireLineOrBlockCount += 1
                if !hasComments(l.comments) {
                    if ModFileRules.isIndirect(l) { lastIndirectIndex = i } else { lastDirectIndex = i }
                }
            case .block(let bid):
                let b = syntax.blockNodes[bid]
                guard b.tokens.token(0, is: "require") else { continue }
                lastRequireIndex = i
                requireLineOrBlockCount += 1
                var allDirect = !b.lines.isEmpty && !hasComments(b.comments)
                var allIndirect = allDirect
                for id in b.lines {
                    lineToBlock[id] = bid
                    let l = syntax.lineNodes[id]
                    if hasComments(l.comments) {
                        allDirect = false
                        allIndirect = false
                    } else if ModFileRules.isIndirect(l) {
                        allDirect = false
                    } else {
                        allIndirect = false
                    }
                }
                if allDirect { lastDirectIndex = i }
                if allIndirect { lastIndirectIndex = i }
                if simplify {
                    let anyDirect = b.lines.contains { lineIndirect[$0] == false }
                    let toIndirect = !anyDirect && !b.lines.isEmpty
                    var target = toIndirect ? indirectBlockComments : directBlockComments
                    if !target.isEmpty && !b.comments.before.isEmpty { target.append(GoModSyntax.Comment(token: "//")) }
                    target += b.comments.before
                    if toIndirect { indirectBlockComments = target } else { directBlockComments = target }
                    syntax.blockNodes[bid].comments.before = []
                }
            case .comments:
                continue
            }
        }

        let oneFlatUncommentedBlock = requireLineOrBlockCount == 1 && !hasComments(syntax.stmtComments(lastRequireIndex))

        func insertBlock(_ i: Int, _ syntax: inout GoModSyntax) -> Int {
            let bid = syntax.newBlock(GoModSyntax.BlockNode(tokens: TokenList([Array("require".utf8)])))
            syntax.stmts.insert(.block(bid), at: i)
            return bid
        }
        func ensureBlock(_ i: Int, _ syntax: inout GoModSyntax) -> Int {
            switch syntax.stmts[i] {
            case .block(let bid): return bid
            case .line(let id):
                syntax.lineNodes[id].tokens = syntax.lineNodes[id].tokens.dropping(first: 1)
                syntax.lineNodes[id].inBlock = true
                var block = GoModSyntax.BlockNode(tokens: TokenList([Array("require".utf8)]))
                block.lines = [id]
                let bid = syntax.newBlock(block)
                syntax.stmts[i] = .block(bid)
                return bid
            case .comments:
                // x/mod panics; the indexes computed above only ever name lines and blocks.
                return insertBlock(i, &syntax)
            }
        }

        let lastDirectBlock: Int
        if lastDirectIndex < 0 {
            if lastIndirectIndex >= 0 {
                lastDirectIndex = lastIndirectIndex
                lastIndirectIndex += 1
            } else if lastRequireIndex >= 0 {
                lastDirectIndex = lastRequireIndex + 1
            } else {
                lastDirectIndex = syntax.stmts.count
            }
            lastDirectBlock = insertBlock(lastDirectIndex, &syntax)
        } else {
            lastDirectBlock = ensureBlock(lastDirectIndex, &syntax)
        }
        let lastIndirectBlock: Int
        if lastIndirectIndex < 0 {
            lastIndirectIndex = lastDirectIndex + 1
            lastIndirectBlock = insertBlock(lastIndirectIndex, &syntax)
        } else {
            lastIndirectBlock = ensureBlock(lastIndirectIndex, &syntax)
        }
        if simplify {
            syntax.blockNodes[lastDirectBlock].comments.before += directBlockComments
            syntax.blockNodes[lastIndirectBlock].comments.before += indirectBlockComments
        }

        func moveReq(_ k: Int, _ block: Int, _ file: inout GoMod) {
            var line: GoModSyntax.LineNode
            if let old = file.requireEntries[k].line {
                line = file.syntax.lineNodes[old]
                if !line.inBlock && line.tokens.token(0, is: "require") { line.tokens = line.tokens.dropping(first: 1) }
                file.syntax.lineNodes[old].tokens = TokenList()
                file.syntax.lineNodes[old].removed = true
            } else {
                let r = file.requireEntries[k]
                line = GoModSyntax.LineNode(tokens: TokenList([ModFileText.autoQuote(r.mod.path.bytes[...]), r.mod.version.bytes]))
                if r.indirect { ModFileRules.setIndirect(&line, true) }
            }
            line.inBlock = true
            let id = file.syntax.newLine(line)
            file.requireEntries[k].line = id
            file.syntax.blockNodes[block].lines.append(id)
        }

        var have = Set<ByteString>()
        for k in requireEntries.indices {
            let path = requireEntries[k].mod.path
            guard requireEntries[k].line != nil else { continue }
            guard let n = need[path], !have.contains(path) else {
                markRequireRemoved(k)
                continue
            }
            have.insert(path)
            let oldLine = requireEntries[k].line
            setRequireVersion(k, n.version)
            setRequireIndirect(k, n.isIndirect)
            let inBlock = oldLine.flatMap { lineToBlock[$0] }
            if n.isIndirect && (simplify || oneFlatUncommentedBlock || inBlock == lastDirectBlock) {
                moveReq(k, lastIndirectBlock, &self)
            } else if !n.isIndirect && (simplify || oneFlatUncommentedBlock || inBlock == lastIndirectBlock) {
                moveReq(k, lastDirectBlock, &self)
            }
        }
        for path in order where !have.contains(path) {
            guard let r = need[path] else { continue }
            requireEntries.append(RequireEntry(mod: GoModule.Version(path: r.path, version: r.version),
                                               indirect: r.isIndirect, line: nil))
            moveReq(requireEntries.count - 1, r.isIndirect ? lastIndirectBlock : lastDirectBlock, &self)
        }
        sortBlocks()
    }
}
