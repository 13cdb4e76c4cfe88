/// An error reading or editing a go.mod or go.work file: x/mod's `modfile.Error` (and the
/// `modfile.ErrorList` it comes in), plus the argument errors of `go mod edit` and
/// `go work edit`.
///
/// ``message`` holds the exact bytes of Go's message after the position prefix — for example
/// `require rsc.io/quote/v2: version "v1.5.2" invalid: should be v2, not v1` — and
/// ``goText`` the whole text Go's `err.Error()` returns: every error of the list, each as
/// `<file>:<line>:<column>: <message>` (the column only when it is greater than 1, as Go prints
/// it), joined by newlines. Go reports all semantic errors of a file at once, so one thrown
/// `ModFileError` stands for the first and carries the rest in ``additionalErrors``.
///
/// Messages can contain bytes of the (hostile) file. ``description`` is ``goText`` with every
/// invalid byte and every non-printable rune other than newline and tab escaped the way Go's
/// `%q` escapes them, so it is safe for a terminal; ``message`` and ``goText`` are exact.
///
/// Equality compares ``code`` only.
public struct ModFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. Each case names the Go message it corresponds to.
    ///
    /// New codes may be added in later releases without breaking source compatibility (the
    /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
    /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
    /// are the code's name, as the raw value of the former enum case was.
    public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The codes of this release, kept out of the API so that adding one breaks no client.
        fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
            case unexpectedCharacter
            case blockComment
            case unterminatedString
            case newlineInString
            case unterminatedBlock
            case expectedNewlineAfterParen
            case unknownDirective
            case unknownBlockType
            case repeatedStatement
            case usage
            case invalidGoVersion
            case invalidToolchain
            case invalidQuotedString
            case invalidVersion
            case invalidModulePath
            case majorVersionMismatch
            case replacementVersionInPath
            case replacementNotDirectory
            case replacementDirectoryWithVersion
            case replacementWindowsPath
            case invalidRetraction
            case invalidEditArgument
            case invalidModuleArgument
            case invalidGoArgument
            case invalidToolchainArgument
            case nonCanonicalEditVersion
        }

        /// The code.
        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) { self.backing = backing }

        // MARK: Lexical and syntax errors (x/mod read.go; one per file, with a column)

        /// `unexpected input character '<rune>'`: a rune that is neither white space, nor
        /// punctuation, nor printable (a BOM, NUL, BEL, form feed, NBSP, U+202E, …).
        public static let unexpectedCharacter = Code(.unexpectedCharacter)
        /// `mod files must use // comments (not /* */ comments)`.
        public static let blockComment = Code(.blockComment)
        /// `unexpected EOF in string`.
        public static let unterminatedString = Code(.unterminatedString)
        /// `unexpected newline in string`.
        public static let newlineInString = Code(.newlineInString)
        /// `syntax error (unterminated block started at <file>:<line>:<column>)`.
        public static let unterminatedBlock = Code(.unterminatedBlock)
        /// `syntax error (expected newline after closing paren)`.
        public static let expectedNewlineAfterParen = Code(.expectedNewlineAfterParen)

        // MARK: Directive errors (x/mod rule.go and work.go; all of a file are reported)

        /// `unknown directive: <verb>` (strict mode and go.work only).
        public static let unknownDirective = Code(.unknownDirective)
        /// `unknown block type: <tokens>` (strict mode and go.work only).
        public static let unknownBlockType = Code(.unknownBlockType)
        /// `repeated module statement`, `repeated go statement`, `repeated toolchain statement`.
        public static let repeatedStatement = Code(.repeatedStatement)
        /// A directive with the wrong number or shape of arguments: `usage: module module/path`,
        /// `go directive expects exactly one argument`, `usage: godebug key=value`,
        /// `usage: require module/path v1.2.3`, the two-line `replace` usage,
        /// `tool directive expects exactly one argument`, `usage: use local/dir`, …
        public static let usage = Code(.usage)
        /// `invalid go version '<v>': must match format 1.23.0`.
        public static let invalidGoVersion = Code(.invalidGoVersion)
        /// `invalid toolchain version '<v>': must match format go1.23.0 or default`.
        public static let invalidToolchain = Code(.invalidToolchain)
        /// `invalid quoted string: invalid syntax` or
        /// `invalid quoted string: unquoted string cannot contain quote`.
        public static let invalidQuotedString = Code(.invalidQuotedString)
        /// `<verb> <path>: version "<v>" invalid: must be of the form v1.2.3` (or a version
        /// token that is not a valid quoted string).
        public static let invalidVersion = Code(.invalidVersion)
        /// `invalid module path`: a path whose major-version suffix is malformed
        /// (`module.SplitPathVersion` fails).
        public static let invalidModulePath = Code(.invalidModulePath)
        /// `<verb> <path>: version "<v>" invalid: should be vN, not vM` (`module.CheckPathMajor`).
        public static let majorVersionMismatch = Code(.majorVersionMismatch)
        /// `replacement module must match format 'path version', not 'path@version'`.
        public static let replacementVersionInPath = Code(.replacementVersionInPath)
        /// `replacement module without version must be directory path (rooted or starting with . or ..)`.
        public static let replacementNotDirectory = Code(.replacementNotDirectory)
        /// `replacement module directory path "<p>" cannot have version`.
        public static let replacementDirectoryWithVersion = Code(.replacementDirectoryWithVersion)
        /// `replacement directory appears to be Windows path (on a non-windows system)`.
        public static let replacementWindowsPath = Code(.replacementWindowsPath)
        /// A malformed `retract` argument: `expected '[' or version`, `expected version after
        /// '['`, `expected ',' after version`, `expected version after ','`,
        /// `expected ']' after version`, `unexpected token after version: "<t>"`.
        public static let invalidRetraction = Code(.invalidRetraction)

        // MARK: Editing errors (cmd/go modcmd/edit.go and workcmd/edit.go, x/mod edit checks)

        /// An edit argument that `go mod edit` / `go work edit` rejects while reading its flags:
        /// `need path@version`, `need just path, not path@version`, `invalid path: …`,
        /// `invalid version "<v>"`, `invalid module version "<v>"`, `need key=value`,
        /// `need old[@v]=new[@w] (missing =)`, `separator between old and new is =, not =>`,
        /// `invalid old path: …`, `invalid new version: "<v>"`,
        /// `unversioned new path must be local directory`, `invalid version interval: "<v>"`.
        public static let invalidEditArgument = Code(.invalidEditArgument)
        /// `invalid -module: …` (not an import path, or the reserved `go` / `toolchain`).
        public static let invalidModuleArgument = Code(.invalidModuleArgument)
        /// `invalid -go option; expecting something like "-go 1.27.3"` (the `go mod` or
        /// `go work` variant).
        public static let invalidGoArgument = Code(.invalidGoArgument)
        /// `invalid -toolchain option; expecting something like "-toolchain go1.27.3"`.
        public static let invalidToolchainArgument = Code(.invalidToolchainArgument)
        /// `version "<v>" invalid: must be of the form v1.2.3`, `… should be vN, not vM` or
        /// `… should be v2.0.0+incompatible (or module <path>/v2)`: x/mod's
        /// `checkCanonicalVersion` refusing an `exclude` or `retract` version.
        public static let nonCanonicalEditVersion = Code(.nonCanonicalEditVersion)

        /// The code's name, such as `unexpectedCharacter`.
        public var rawValue: String { backing.rawValue }

        /// The code with this name, or `nil` for a name this release does not know.
        public init?(rawValue: String) {
            guard let backing = Backing(rawValue: rawValue) else { return nil }
            self.init(backing)
        }

        /// The codes this release knows, in declaration order.
        public static var allCases: [Code] { Backing.allCases.map { Code($0) } }

        /// The code's name (``rawValue``).
        public var description: String { rawValue }
    }

    /// The rule that was broken (of the first error).
    public let code: Code
    /// The file name given to the parser; empty for argument errors.
    public let fileName: String
    /// The 1-based line of the error (Go's `Position.Line`); 0 when the error has no position.
    public let line: Int
    /// The 1-based rune column (Go's `Position.LineRune`); Go prints it only when it is
    /// greater than 1 (syntax errors, and directives inside a block, which start after a tab).
    public let column: Int
    /// Go's message after the position prefix, exactly.
    public let message: ByteString
    /// The further errors Go reports together with this one, in Go's order.
    public let additionalErrors: [ModFileError]

    /// Creates an error.
    init(_ code: Code, fileName: String = "", line: Int = 0, column: Int = 0, message: ByteString,
         additionalErrors: [ModFileError] = []) {
        self.code = code
        self.fileName = fileName
        self.line = line
        self.column = column
        self.message = message
        self.additionalErrors = additionalErrors
    }

    /// Creates an error at a syntax position.
    init(_ code: Code, fileName: String, at position: GoModSyntax.Position, message: ByteString) {
        self.init(code, fileName: fileName, line: position.line, column: position.lineRune, message: message)
    }

    /// Creates an error with a plain-text message.
    init(_ code: Code, _ message: String) {
        self.init(code, message: ByteString(message))
    }

    /// All errors: this one followed by ``additionalErrors``.
    public var allErrors: [ModFileError] {
        [ModFileError(code, fileName: fileName, line: line, column: column, message: message)] + additionalErrors
    }

    /// This error with further errors attached.
    func adding(_ others: [ModFileError]) -> ModFileError {
        ModFileError(code, fileName: fileName, line: line, column: column, message: message,
                     additionalErrors: additionalErrors + others)
    }

    /// The error with `prefix` put in front of its message (e.g. `-require=x: `).
    func prefixed(_ prefix: [UInt8]) -> ModFileError {
        ModFileError(code, fileName: fileName, line: line, column: column,
                     message: ByteString(prefix + message.bytes), additionalErrors: additionalErrors)
    }

    /// The error with `prefix` put in front of its message.
    func prefixed(_ prefix: String) -> ModFileError { prefixed(Array(prefix.utf8)) }

    /// This error alone as Go prints it (`modfile.Error.Error`): `<file>:<line>:<col>: `,
    /// `<file>:<line>: ` or `<file>: ` and the message.
    public var goTextOfFirst: ByteString {
        var out: [UInt8] = []
        if column > 1 {
            appendText(&out, "\(fileName):\(line):\(column): ")
        } else if line > 0 {
            appendText(&out, "\(fileName):\(line): ")
        } else if !fileName.isEmpty {
            appendText(&out, "\(fileName): ")
        }
        return ByteString(out + message.bytes)
    }

    /// The exact text of Go's `err.Error()` for the whole list: every error as
    /// ``goTextOfFirst`` prints it, joined by newlines (`modfile.ErrorList.Error`).
    public var goText: ByteString {
        var out = goTextOfFirst.bytes
        for other in additionalErrors {
            out.append(0x0A)
            out += other.goTextOfFirst.bytes
        }
        return ByteString(out)
    }

    /// ``goText`` made safe for a terminal (invalid bytes and control or format runes other
    /// than newline and tab escaped as `%q` would).
    public var description: String { terminalSafe(goText.bytes) }

    /// Errors are equal when their codes are.
    public static func == (lhs: ModFileError, rhs: ModFileError) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// Text for a terminal: valid printable runes (and, with `lineBreaks`, newline and tab) as
/// they are; everything else escaped like Go's `%q` does inside a quoted string (`\x1b`, `\r`,
/// `\u202e`, `\xff`, …). The CLI's output scheme (Docs/output-encoding.md).
package func terminalSafe(_ bytes: [UInt8], lineBreaks: Bool = true) -> String {
    var out = ""
    out.reserveCapacity(bytes.count)
    var i = 0
    let s = bytes[...]
    while i < bytes.count {
        let b = bytes[i]
        if (lineBreaks && (b == 0x0A || b == 0x09)) || (b >= 0x20 && b < 0x7F) {
            out.unicodeScalars.append(Unicode.Scalar(b))
            i += 1
            continue
        }
        let (rune, width, valid) = goDecodeRune(s, at: i)
        if valid, let scalar = Unicode.Scalar(rune), goIsPrint(scalar) {
            out.unicodeScalars.append(scalar)
        } else if valid {
            let quoted = goQuoteRune(rune)
            out += quoted.dropFirst().dropLast()
        } else {
            out += "\\x" + hex2(b)
        }
        i += width
    }
    return out
}
