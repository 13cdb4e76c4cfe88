// The codes of `ModFileError` this release knows, one static member each, in the order of
// `ModFileError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == ModFileError {
    // MARK: Lexical and syntax errors (x/mod read.go; one per file, with a column)

    /// `unexpected input character '<rune>'`: a rune that is neither white space, nor
    /// punctuation, nor printable (a BOM, NUL, BEL, form feed, NBSP, U+202E, …).
    public static var unexpectedCharacter: Self { Self("unexpectedCharacter") }
    /// `mod files must use // comments (not /* */ comments)`.
    public static var blockComment: Self { Self("blockComment") }
    /// `unexpected EOF in string`.
    public static var unterminatedString: Self { Self("unterminatedString") }
    /// `unexpected newline in string`.
    public static var newlineInString: Self { Self("newlineInString") }
    /// `syntax error (unterminated block started at <file>:<line>:<column>)`.
    public static var unterminatedBlock: Self { Self("unterminatedBlock") }
    /// `syntax error (expected newline after closing paren)`.
    public static var expectedNewlineAfterParen: Self { Self("expectedNewlineAfterParen") }

    // MARK: Directive errors (x/mod rule.go and work.go; all of a file are reported)

    /// `unknown directive: <verb>` (strict mode and go.work only).
    public static var unknownDirective: Self { Self("unknownDirective") }
    /// `unknown block type: <tokens>` (strict mode and go.work only).
    public static var unknownBlockType: Self { Self("unknownBlockType") }
    /// `repeated module statement`, `repeated go statement`, `repeated toolchain statement`.
    public static var repeatedStatement: Self { Self("repeatedStatement") }
    /// A directive with the wrong number or shape of arguments: `usage: module module/path`,
    /// `go directive expects exactly one argument`, `usage: godebug key=value`,
    /// `usage: require module/path v1.2.3`, the two-line `replace` usage,
    /// `tool directive expects exactly one argument`, `usage: use local/dir`, …
    public static var usage: Self { Self("usage") }
    /// `invalid go version '<v>': must match format 1.23.0`.
    public static var invalidGoVersion: Self { Self("invalidGoVersion") }
    /// `invalid toolchain version '<v>': must match format go1.23.0 or default`.
    public static var invalidToolchain: Self { Self("invalidToolchain") }
    /// `invalid quoted string: invalid syntax` or
    /// `invalid quoted string: unquoted string cannot contain quote`.
    public static var invalidQuotedString: Self { Self("invalidQuotedString") }
    /// `<verb> <path>: version "<v>" invalid: must be of the form v1.2.3` (or a version
    /// token that is not a valid quoted string).
    public static var invalidVersion: Self { Self("invalidVersion") }
    /// `invalid module path`: a path whose major-version suffix is malformed
    /// (`module.SplitPathVersion` fails).
    public static var invalidModulePath: Self { Self("invalidModulePath") }
    /// `<verb> <path>: version "<v>" invalid: should be vN, not vM` (`module.CheckPathMajor`).
    public static var majorVersionMismatch: Self { Self("majorVersionMismatch") }
    /// `replacement module must match format 'path version', not 'path@version'`.
    public static var replacementVersionInPath: Self { Self("replacementVersionInPath") }
    /// `replacement module without version must be directory path (rooted or starting with . or ..)`.
    public static var replacementNotDirectory: Self { Self("replacementNotDirectory") }
    /// `replacement module directory path "<p>" cannot have version`.
    public static var replacementDirectoryWithVersion: Self { Self("replacementDirectoryWithVersion") }
    /// `replacement directory appears to be Windows path (on a non-windows system)`.
    public static var replacementWindowsPath: Self { Self("replacementWindowsPath") }
    /// A malformed `retract` argument: `expected '[' or version`, `expected version after
    /// '['`, `expected ',' after version`, `expected version after ','`,
    /// `expected ']' after version`, `unexpected token after version: "<t>"`.
    public static var invalidRetraction: Self { Self("invalidRetraction") }

    // MARK: Editing errors (cmd/go modcmd/edit.go and workcmd/edit.go, x/mod edit checks)

    /// An edit argument that `go mod edit` / `go work edit` rejects while reading its flags:
    /// `need path@version`, `need just path, not path@version`, `invalid path: …`,
    /// `invalid version "<v>"`, `invalid module version "<v>"`, `need key=value`,
    /// `need old[@v]=new[@w] (missing =)`, `separator between old and new is =, not =>`,
    /// `invalid old path: …`, `invalid new version: "<v>"`,
    /// `unversioned new path must be local directory`, `invalid version interval: "<v>"`.
    public static var invalidEditArgument: Self { Self("invalidEditArgument") }
    /// `invalid -module: …` (not an import path, or the reserved `go` / `toolchain`).
    public static var invalidModuleArgument: Self { Self("invalidModuleArgument") }
    /// `invalid -go option; expecting something like "-go 1.27.3"` (the `go mod` or
    /// `go work` variant).
    public static var invalidGoArgument: Self { Self("invalidGoArgument") }
    /// `invalid -toolchain option; expecting something like "-toolchain go1.27.3"`.
    public static var invalidToolchainArgument: Self { Self("invalidToolchainArgument") }
    /// `version "<v>" invalid: must be of the form v1.2.3`, `… should be vN, not vM` or
    /// `… should be v2.0.0+incompatible (or module <path>/v2)`: x/mod's
    /// `checkCanonicalVersion` refusing an `exclude` or `retract` version.
    public static var nonCanonicalEditVersion: Self { Self("nonCanonicalEditVersion") }
}
