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
public struct ModFileError: CodedError, ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. Each case names the Go message it corresponds to.
    ///
    /// An extensible ``ErrorCode``: later releases may add codes, so `switch` over one with a
    /// `default`, or compare with `==`. ``ErrorCode/rawValue`` and ``ErrorCode/description`` are
    /// the code's name.
    public typealias Code = ErrorCode<ModFileError>

    /// The names of the codes this release knows, in declaration order (``Code``'s `allCases`).
    public static let codeNames = [
        "unexpectedCharacter", "blockComment", "unterminatedString", "newlineInString", "unterminatedBlock",
        "expectedNewlineAfterParen", "unknownDirective", "unknownBlockType", "repeatedStatement", "usage",
        "invalidGoVersion", "invalidToolchain", "invalidQuotedString", "invalidVersion", "invalidModulePath",
        "majorVersionMismatch", "replacementVersionInPath", "replacementNotDirectory",
        "replacementDirectoryWithVersion", "replacementWindowsPath", "invalidRetraction",
        "invalidEditArgument", "invalidModuleArgument", "invalidGoArgument", "invalidToolchainArgument",
        "nonCanonicalEditVersion",
    ]

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
