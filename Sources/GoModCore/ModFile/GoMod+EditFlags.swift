extension GoMod {
    /// One ordered editing flag of `go mod edit` (`-require=path@v`, `-dropreplace=old`, …),
    /// parsed and checked exactly as cmd/go's flag functions do (modcmd/edit.go).
    ///
    /// `go mod edit` applies `-module`, `-go` and `-toolchain` first and then these flags in
    /// command-line order, followed by ``GoMod/cleanUp()``; ``GoMod/apply(_:)`` applies one.
    /// Errors read like cmd/go's after its `go: ` prefix: `-require=x: need path@version`.
    public struct Edit: Sendable, Hashable, CustomStringConvertible {
        /// The flag name without dash: `godebug`, `dropgodebug`, `require`, `droprequire`,
        /// `exclude`, `dropexclude`, `replace`, `dropreplace`, `retract`, `dropretract`, `tool`,
        /// `droptool`, `ignore` or `dropignore`.
        public let flag: String
        /// The flag's argument, exactly as given.
        public let argument: ByteString
        let operation: Operation

        enum Operation: Sendable, Hashable {
            case godebug(ByteString, ByteString), dropGodebug(ByteString)
            case require(ByteString, ByteString), dropRequire(ByteString)
            case exclude(ByteString, ByteString), dropExclude(ByteString, ByteString)
            case replace(ModuleVersion, ModuleVersion), dropReplace(ModuleVersion)
            case retract(ByteString, ByteString), dropRetract(ByteString, ByteString)
            case tool(ByteString), dropTool(ByteString)
            case ignore(ByteString), dropIgnore(ByteString)
        }

        /// The flags this type understands.
        public static let flags = ["godebug", "dropgodebug", "require", "droprequire", "exclude", "dropexclude",
                                   "replace", "dropreplace", "retract", "dropretract", "tool", "droptool",
                                   "ignore", "dropignore"]

        /// `-flag=argument`.
        public var description: String { "-\(flag)=\(terminalSafe(argument.bytes))" }

        /// Parses `-flag=argument` as `go mod edit` does while reading its command line.
        ///
        /// Throws `ModFileError.Code.invalidEditArgument` with cmd/go's message, e.g.
        /// `-require=rsc.io/quote: need path@version`, or for an unknown flag
        /// `flag provided but not defined: -<flag>`.
        public init(flag: String, argument: ByteString) throws(ModFileError) {
            self.flag = flag
            self.argument = argument
            do {
                operation = try Self.operation(flag: flag, argument: argument)
            } catch {
                if error.message.bytes.starts(with: "flag provided".utf8) { throw error }
                throw error.prefixed(Self.prefix(flag, argument))
            }
        }

        /// `-flag=argument: `, the bytes cmd/go puts before an argument error.
        static func prefix(_ flag: String, _ argument: ByteString) -> [UInt8] {
            Array("-\(flag)=".utf8) + argument.bytes + Array(": ".utf8)
        }

        static func operation(flag: String, argument arg: ByteString) throws(ModFileError) -> Operation {
            switch flag {
            case "godebug":
                let (key, value) = try EditArguments.godebug(arg)
                return .godebug(key, value)
            case "dropgodebug": return .dropGodebug(arg)
            case "require":
                let (p, v) = try EditArguments.pathVersion(arg)
                return .require(p, v)
            case "droprequire": return .dropRequire(try EditArguments.path(arg))
            case "exclude":
                let (p, v) = try EditArguments.pathVersion(arg)
                return .exclude(p, v)
            case "dropexclude":
                let (p, v) = try EditArguments.pathVersion(arg)
                return .dropExclude(p, v)
            case "replace":
                let (old, new) = try EditArguments.replace(arg, work: false)
                return .replace(old, new)
            case "dropreplace":
                return .dropReplace(try EditArguments.pathVersionOptional("old", arg, allowDirectory: true, work: false))
            case "retract":
                let (low, high) = try EditArguments.versionInterval(arg)
                return .retract(low, high)
            case "dropretract":
                let (low, high) = try EditArguments.versionInterval(arg)
                return .dropRetract(low, high)
            case "tool": return .tool(try EditArguments.path(arg))
            case "droptool": return .dropTool(try EditArguments.path(arg))
            case "ignore": return .ignore(arg)
            case "dropignore": return .dropIgnore(arg)
            default:
                throw ModFileError(.invalidEditArgument, "flag provided but not defined: -\(flag)")
            }
        }
    }

    /// Applies one editing flag as `go mod edit` does (the x/mod call behind the flag). Only
    /// `-exclude` and `-retract` can fail here, with x/mod's `checkCanonicalVersion` message
    /// after `-<flag>=<argument>: `.
    public mutating func apply(_ edit: Edit) throws(ModFileError) {
        do {
            switch edit.operation {
            case .godebug(let k, let v): addGodebugUnchecked(key: k, value: v)
            case .dropGodebug(let k): dropGodebug(key: k)
            case .require(let p, let v): addRequireUnchecked(path: p, version: v)
            case .dropRequire(let p): dropRequireUnchecked(path: p)
            case .exclude(let p, let v): try addExcludeUnchecked(path: p, version: v)
            case .dropExclude(let p, let v): dropExcludeUnchecked(path: p, version: v)
            case .replace(let old, let new): ModFileRules.addReplace(&syntax, &replaceEntries, old: old, new: new)
            case .dropReplace(let old): dropReplaceUnchecked(old)
            case .retract(let low, let high): try addRetract(low: low, high: high)
            case .dropRetract(let low, let high): dropRetract(low: low, high: high)
            case .tool(let p): addToolUnchecked(path: p)
            case .dropTool(let p): dropToolUnchecked(path: p)
            case .ignore(let p): addIgnore(path: p)
            case .dropIgnore(let p): dropIgnore(path: p)
            }
        } catch {
            throw error.prefixed(Edit.prefix(edit.flag, edit.argument))
        }
    }

    /// Runs a whole `go mod edit` on this file: `-module`, `-go` and `-toolchain` (a `nil`
    /// argument is an absent flag; `none` removes the `go` or `toolchain` line), then `edits`
    /// in order, then ``cleanUp()`` — cmd/go's `runEdit` after it has read the file.
    ///
    /// Argument errors use the text cmd/go prints after `go: ` (`invalid -module: …`,
    /// `-exclude=…: …`); an invalid `-go` or `-toolchain` reads
    /// `invalid -go option; expecting something like "-go 1.27.3"` (cmd/go prefixes `go mod: `).
    public mutating func edit(module: ByteString? = nil, goVersion: ByteString? = nil, toolchain: ByteString? = nil,
                              edits: [Edit] = []) throws(ModFileError) {
        try Self.checkEditCommand(module: module, goVersion: goVersion, toolchain: toolchain)
        if let module { addModuleStatement(module) }
        if let goVersion { try setGoVersion(goVersion == "none" ? nil : goVersion) }
        if let toolchain { try setToolchain(toolchain == "none" ? nil : toolchain) }
        for edit in edits { try apply(edit) }
        cleanUp()
    }

    /// The checks `go mod edit` makes on `-module`, `-go` and `-toolchain` before reading the
    /// file.
    public static func checkEditCommand(module: ByteString?, goVersion: ByteString?,
                                        toolchain: ByteString?) throws(ModFileError) {
        if let module {
            do {
                var scratch = GoMod()
                try scratch.setModule(module)
            } catch {
                throw error.prefixed("invalid -module: ")
            }
        }
        if let goVersion, goVersion != "none", !isValidGoVersion(goVersion) {
            throw ModFileError(.invalidGoArgument,
                               "invalid -go option; expecting something like \"-go \(GoMod.referenceGoVersion)\"")
        }
        if let toolchain, toolchain != "none", !isValidToolchainName(toolchain) {
            throw ModFileError(.invalidToolchainArgument,
                               "invalid -toolchain option; expecting something like \"-toolchain go\(GoMod.referenceGoVersion)\"")
        }
    }

    /// The Go release whose `go mod edit` GoModKit reproduces, as cmd/go names itself in hints
    /// (`gover.Local()`).
    public static let referenceGoVersion = "1.27.3"
}

/// cmd/go's parsing of editing-flag arguments (modcmd/edit.go, workcmd/edit.go,
/// modload.ParsePathVersion), with its messages (without the `-flag=arg: ` prefix).
enum EditArguments {
    static func trim(_ s: ArraySlice<UInt8>) -> ByteString { ByteString(Array(ModFileText.trimSpace(s))) }

    /// modload's `ParsePathVersion`: cut at the first `@`; a version starting with `-` or `/`
    /// is refused.
    static func cutAt(_ arg: ByteString) throws(ModFileError) -> (ArraySlice<UInt8>, ArraySlice<UInt8>)? {
        let split: (module: ModuleVersion, hasVersion: Bool)
        do { split = try ModuleVersion.parse(argument: arg) } catch {
            throw ModFileError(.invalidEditArgument, message: error.message)
        }
        guard split.hasVersion else { return nil }
        return (split.module.path.bytes[...], split.module.version.bytes[...])
    }

    /// cmd/go's `parsePathVersion`.
    static func pathVersion(_ arg: ByteString) throws(ModFileError) -> (ByteString, ByteString) {
        guard let (before, after) = try cutAt(arg) else {
            throw ModFileError(.invalidEditArgument, "need path@version")
        }
        let path = trim(before), version = trim(after)
        try GoMod.checkPath(path)
        try GoMod.checkVersionArgument(version)
        return (path, version)
    }

    /// cmd/go's `parsePath`.
    static func path(_ arg: ByteString) throws(ModFileError) -> ByteString {
        try GoMod.checkPathOnly(arg)
        return arg
    }

    /// cmd/go's `parsePathVersionOptional` (the go.work variant checks the import path after
    /// cutting, accepting a directory path there).
    static func pathVersionOptional(_ adjective: String, _ arg: ByteString, allowDirectory: Bool,
                                    work: Bool) throws(ModFileError) -> ModuleVersion {
        if !work && allowDirectory && ModFileText.isDirectoryPath(arg.bytes[...]) {
            return ModuleVersion(path: arg, version: "")
        }
        var path = arg, version: ByteString = ""
        let cut = try cutAt(arg)
        if let (before, after) = cut {
            path = trim(before)
            version = trim(after)
        }
        do {
            try GoMod.checkPath(path, adjective: adjective)
        } catch {
            if !(work && allowDirectory && ModFileText.isDirectoryPath(path.bytes[...])) { throw error }
        }
        if cut != nil { try GoMod.checkVersionArgument(version, adjective: adjective) }
        return ModuleVersion(path: path, version: version)
    }

    /// cmd/go's `flagReplace` (both commands).
    static func replace(_ arg: ByteString, work: Bool) throws(ModFileError) -> (ModuleVersion, ModuleVersion) {
        guard let eq = arg.bytes.firstIndex(of: UInt8(ascii: "=")) else {
            throw ModFileError(.invalidEditArgument, "need old[@v]=new[@w] (missing =)")
        }
        let old = trim(arg.bytes[..<eq]), new = trim(arg.bytes[(eq + 1)...])
        if new.bytes.first == UInt8(ascii: ">") {
            throw ModFileError(.invalidEditArgument, "separator between old and new is =, not =>")
        }
        let oldModule = try pathVersionOptional("old", old, allowDirectory: false, work: work)
        let newModule = try pathVersionOptional("new", new, allowDirectory: true, work: work)
        if newModule.path == new && !ModFileText.isDirectoryPath(new.bytes[...]) {
            throw ModFileError(.invalidEditArgument, "unversioned new path must be local directory")
        }
        return (oldModule, newModule)
    }

    /// cmd/go's `parseVersionInterval` for `-retract` and `-dropretract`.
    static func versionInterval(_ arg: ByteString) throws(ModFileError) -> (ByteString, ByteString) {
        let a = arg.bytes
        guard a.first == UInt8(ascii: "[") else {
            if ModFileText.mustQuote(a[...]) {
                throw ModFileError(.invalidEditArgument, message: ByteString("invalid version: " + goQuote(a)))
            }
            return (arg, arg)
        }
        let bad = ModFileError(.invalidEditArgument, message: ByteString("invalid version interval: " + goQuote(a)))
        guard a.last == UInt8(ascii: "]"), a.count >= 2 else { throw bad }
        let s = a[1..<(a.count - 1)]
        guard let comma = s.firstIndex(of: UInt8(ascii: ",")) else { throw bad }
        let low = trim(s[s.startIndex..<comma]), high = trim(s[(comma + 1)...])
        if ModFileText.mustQuote(low.bytes[...]) || ModFileText.mustQuote(high.bytes[...]) { throw bad }
        return (low, high)
    }

    /// cmd/go's `flagGodebug`.
    static func godebug(_ arg: ByteString) throws(ModFileError) -> (ByteString, ByteString) {
        let a = arg.bytes
        guard let eq = a.firstIndex(of: UInt8(ascii: "=")),
              !a.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "'")
                  || $0 == UInt8(ascii: ",") }) else {
            throw ModFileError(.invalidEditArgument, "need key=value")
        }
        return (ByteString(Array(a[..<eq])), ByteString(Array(a[(eq + 1)...])))
    }
}
