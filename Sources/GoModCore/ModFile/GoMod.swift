/// A parsed go.mod file: x/mod's `modfile.File`, with its lossless ``syntax`` tree and the
/// typed directives read from it (x/mod `modfile/read.go`, `modfile/rule.go`;
/// https://go.dev/ref/mod#go-mod-file).
///
/// ```swift
/// var mod = try GoMod.parse(bytes)                 // modfile.Parse
/// try mod.addRequire(path: "golang.org/x/text", version: "v0.3.0")
/// try mod.dropRequire(path: "rsc.io/quote")        // throws only for a malformed path
/// let text = mod.formatted()                       // what `go mod edit -print` writes
/// ```
///
/// Parsing and printing reproduce x/mod byte for byte: ``formatted()`` is `go mod edit -fmt`,
/// ``editJSON()`` is `go mod edit -json`, errors carry Go's messages and positions. Edits keep
/// comments and follow x/mod's rules for where new lines go; like x/mod, an edit only marks
/// deleted lines, and ``cleanUp()`` (run by ``formatted()`` and ``editJSON()`` on a copy)
/// sorts blocks, drops duplicates and sweeps deleted lines, so a sequence of edits gives
/// exactly what one `go mod edit` run with the same flags in the same order gives.
///
/// Paths, versions and comments are ``ByteString``s: a go.mod file is untrusted bytes, and the
/// parser, like Go's, does not validate module paths (run ``GoModule/checkPath(_:)`` on them).
public struct GoMod: Sendable, Equatable {
    /// How strictly to interpret directives (x/mod `modfile/rule.go`: `Parse` or `ParseLax`).
    public enum Strictness: String, Sendable, Hashable, CaseIterable {
        /// x/mod's `Parse`, for the main module: unknown directives and blocks are errors.
        case strict
        /// x/mod's `ParseLax`, for the go.mod files of dependencies: only `module`, `go`,
        /// `require`, `retract` and `ignore` are interpreted; every other statement is skipped
        /// (and listed in ``GoMod/skippedStatements``), malformed `retract` intervals are
        /// dropped, and a `go` version such as `1.21.0.1` is truncated to `1.21`.
        case lax
    }

    /// The `module` directive.
    public struct Module: Sendable, Hashable {
        /// The module path, unquoted and unvalidated.
        public var path: ByteString
        /// The text of a `Deprecated:` paragraph in the comments on the `module` line (or its
        /// block), without the prefix; empty when there is none.
        public var deprecated: ByteString
        /// Where the directive starts.
        public var position: GoModSyntax.Position
    }

    /// A `godebug key=value` directive.
    public struct Godebug: Sendable, Hashable {
        /// The key.
        public var key: ByteString
        /// The value.
        public var value: ByteString
        /// Where the directive starts.
        public var position: GoModSyntax.Position
    }

    /// A `require` directive.
    public struct Requirement: Sendable, Hashable {
        /// The module path and its (canonical) version.
        public var module: GoModule.Version
        /// Whether the line carries an `// indirect` comment.
        public var isIndirect: Bool
        /// Where the directive starts.
        public var position: GoModSyntax.Position
    }

    /// An `exclude` directive.
    public struct Exclusion: Sendable, Hashable {
        /// The excluded module version (version canonical).
        public var module: GoModule.Version
        /// Where the directive starts.
        public var position: GoModSyntax.Position
    }

    /// A `replace` directive (also used by ``GoWork``).
    public struct Replacement: Sendable, Hashable {
        /// The replaced module; an empty version replaces every version.
        public var old: GoModule.Version
        /// The replacement: a module path and version, or a directory path (``isLocalDirectory``)
        /// with an empty version.
        public var new: GoModule.Version
        /// Where the directive starts.
        public var position: GoModSyntax.Position

        /// Whether the replacement is a directory on disk (an empty new version). GoModKit never
        /// reads anything from such a path.
        public var isLocalDirectory: Bool { new.version.isEmpty }
    }

    /// A `retract` directive: a single version (``low`` == ``high``) or a closed interval.
    public struct Retraction: Sendable, Hashable {
        /// The lowest retracted version, as written (x/mod does not canonicalise retractions).
        public var low: ByteString
        /// The highest retracted version.
        public var high: ByteString
        /// The comments on the directive (or its block), one line per comment line, without `//`.
        public var rationale: ByteString
        /// Where the directive starts.
        public var position: GoModSyntax.Position
    }

    /// A `tool` directive (Go 1.24).
    public struct Tool: Sendable, Hashable {
        /// The tool's package path.
        public var path: ByteString
        /// Where the directive starts.
        public var position: GoModSyntax.Position
    }

    /// An `ignore` directive (Go 1.25).
    public struct Ignore: Sendable, Hashable {
        /// The ignored directory (`./x` relative to the module root, or a name matched at any
        /// depth).
        public var path: ByteString
        /// Where the directive starts.
        public var position: GoModSyntax.Position
    }

    /// A statement that lax parsing skipped (x/mod's `ParseLax` drops them silently).
    public struct SkippedStatement: Sendable, Hashable {
        /// Why it was skipped.
        public enum Reason: String, Sendable, Hashable, CaseIterable {
            /// A directive x/mod does not know.
            case unknownDirective
            /// A known directive that only the main module's go.mod applies: `toolchain`,
            /// `godebug`, `exclude`, `replace`, `tool`.
            case mainModuleOnly
            /// A block with several tokens before `(`, or of an unknown or non-block directive.
            case unknownBlock
            /// A `retract` whose version interval does not parse.
            case malformedRetraction
        }

        /// The statement's tokens; a block entry's tokens follow the block's verb.
        public var tokens: [ByteString]
        /// Where the statement starts.
        public var position: GoModSyntax.Position
        /// Why it was skipped.
        public var reason: Reason
    }

    // MARK: - Storage (x/mod's File, entry for entry)

    struct ModuleEntry: Sendable, Hashable {
        var path: ByteString
        var deprecated: ByteString
        var line: Int
    }

    struct VersionEntry: Sendable, Hashable {
        var value: ByteString
        var line: Int
    }

    /// Entries of x/mod's slices. `line == nil` is an entry an edit cleared (x/mod's
    /// `*r = Require{}`), which x/mod keeps until `Cleanup`; the public views skip them.
    struct GodebugEntry: Sendable, Hashable { var key: ByteString; var value: ByteString; var line: Int? }
    struct RequireEntry: Sendable, Hashable { var mod: GoModule.Version; var indirect: Bool; var line: Int? }
    struct ExcludeEntry: Sendable, Hashable { var mod: GoModule.Version; var line: Int? }
    struct ReplaceEntry: Sendable, Hashable { var old: GoModule.Version; var new: GoModule.Version; var line: Int? }
    struct RetractEntry: Sendable, Hashable {
        var low: ByteString
        var high: ByteString
        var rationale: ByteString
        var line: Int?
    }
    struct PathEntry: Sendable, Hashable { var path: ByteString; var line: Int? }

    /// The syntax tree.
    public internal(set) var syntax: GoModSyntax
    var moduleEntry: ModuleEntry?
    var goEntry: VersionEntry?
    var toolchainEntry: VersionEntry?
    var godebugEntries: [GodebugEntry] = []
    var requireEntries: [RequireEntry] = []
    var excludeEntries: [ExcludeEntry] = []
    var replaceEntries: [ReplaceEntry] = []
    var retractEntries: [RetractEntry] = []
    /// Retractions added by ``addRetract(low:high:rationale:)``: x/mod's `AddRetract` writes the
    /// line but does not append to `File.Retract`, so `go mod edit -json` does not list them and
    /// `-dropretract` cannot drop them. They are kept apart to reproduce that.
    var addedRetractEntries: [RetractEntry] = []
    var toolEntries: [PathEntry] = []
    var ignoreEntries: [PathEntry] = []

    /// Versions x/mod rewrote while parsing (for ``findings``).
    var nonCanonicalVersions: [(position: GoModSyntax.Position, written: ByteString, canonical: ByteString)] = []

    /// The statements lax parsing skipped; always empty in strict mode.
    public internal(set) var skippedStatements: [SkippedStatement] = []

    /// An empty go.mod named `fileName` (x/mod's `new(File)`); add a module with
    /// ``setModule(_:)``.
    public init(fileName: String = "go.mod") {
        syntax = GoModSyntax(fileName: fileName)
    }

    // MARK: - Typed views

    func position(_ line: Int?) -> GoModSyntax.Position {
        line.map { syntax.lineNodes[$0].start } ?? .zero
    }

    /// The `module` directive, or `nil`.
    public var module: Module? {
        moduleEntry.map { Module(path: $0.path, deprecated: $0.deprecated, position: position($0.line)) }
    }

    /// The `go` version (`1.21`, `1.21.0`, `1.21rc1`), or `nil` when there is no `go` line
    /// (cmd/go then assumes 1.16).
    public var goVersion: ByteString? { goEntry?.value }

    /// The `toolchain` name (`go1.21.0`, `default`), or `nil`.
    public var toolchain: ByteString? { toolchainEntry?.value }

    /// The `godebug` settings, in file order.
    public var godebugs: [Godebug] {
        godebugEntries.compactMap { e in
            e.line.map { Godebug(key: e.key, value: e.value, position: syntax.lineNodes[$0].start) }
        }
    }

    /// The `require` directives, in file order (duplicates kept, as in x/mod).
    public var requirements: [Requirement] {
        requireEntries.compactMap { e in
            e.line.map { Requirement(module: e.mod, isIndirect: e.indirect, position: syntax.lineNodes[$0].start) }
        }
    }

    /// The `exclude` directives, in file order.
    public var exclusions: [Exclusion] {
        excludeEntries.compactMap { e in e.line.map { Exclusion(module: e.mod, position: syntax.lineNodes[$0].start) } }
    }

    /// The `replace` directives, in file order.
    public var replacements: [Replacement] {
        replaceEntries.compactMap { e in
            e.line.map { Replacement(old: e.old, new: e.new, position: syntax.lineNodes[$0].start) }
        }
    }

    /// The `retract` directives, in file order, followed by those added with
    /// ``addRetract(low:high:rationale:)`` (see there).
    public var retractions: [Retraction] {
        var out = retractEntries.compactMap { e in
            e.line.map { Retraction(low: e.low, high: e.high, rationale: e.rationale, position: syntax.lineNodes[$0].start) }
        }
        for e in addedRetractEntries {
            if let id = e.line, !syntax.lineNodes[id].removed {
                out.append(Retraction(low: e.low, high: e.high, rationale: e.rationale, position: syntax.lineNodes[id].start))
            }
        }
        return out
    }

    /// The `tool` directives, in file order.
    public var tools: [Tool] {
        toolEntries.compactMap { e in e.line.map { Tool(path: e.path, position: syntax.lineNodes[$0].start) } }
    }

    /// The `ignore` directives, in file order.
    public var ignores: [Ignore] {
        ignoreEntries.compactMap { e in e.line.map { Ignore(path: e.path, position: syntax.lineNodes[$0].start) } }
    }

    /// Equal typed directives, skipped statements and syntax trees.
    public static func == (lhs: GoMod, rhs: GoMod) -> Bool {
        lhs.module == rhs.module && lhs.goVersion == rhs.goVersion && lhs.toolchain == rhs.toolchain
            && lhs.godebugs == rhs.godebugs && lhs.requirements == rhs.requirements
            && lhs.exclusions == rhs.exclusions && lhs.replacements == rhs.replacements
            && lhs.retractions == rhs.retractions && lhs.tools == rhs.tools && lhs.ignores == rhs.ignores
            && lhs.skippedStatements == rhs.skippedStatements && lhs.syntax == rhs.syntax
    }
}
