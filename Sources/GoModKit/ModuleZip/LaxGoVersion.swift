// TEMPORARY: replace with GoMod's lax parser (issue 3, Sources/GoModKit/ModFile) when it lands.
//
// x/mod's zip package needs one fact from a root go.mod: the Go language version of its `go`
// line as `modfile.ParseLax` reads it, or "" when there is none or ParseLax fails anywhere in the
// file. This file reproduces exactly that much of x/mod's modfile package — the lexer and
// statement structure of read.go and the lax checks of rule.go's `add` for the directives lax
// parsing keeps (`go`, `module`, `require`, `retract`, `ignore`) — and go/version's `Lang` and
// `Compare`. It is checked against Go's ParseLax on every go.mod of the corpus and on crafted
// inputs (LaxGoVersionTests).

/// The language version x/mod's `zip` package derives from a root go.mod (`zip.parseGoVers`
/// followed by `version.Lang`), and go/version's comparison of such versions.
enum LaxGoVersion {
    /// `version.Lang(parseGoVers("go.mod", data))`: `go1.N` (or `go1`) for a go.mod whose lax
    /// parse succeeds and has a `go` line with a valid version; `""` otherwise.
    static func languageVersion(ofGoMod data: [UInt8]) -> [UInt8] {
        guard let version = goDirective(data) else { return [] }
        return lang(Array("go".utf8) + version)
    }

    /// The version of the `go` directive as `modfile.ParseLax` records it (after the lax
    /// rewrite of forms like `1.21.x`), or `nil` when ParseLax fails or there is no `go` line.
    static func goDirective(_ data: [UInt8]) -> [UInt8]? {
        var parser = ModLexer(data)
        guard let statements = parser.parseFile() else { return nil }
        var state = LaxState()
        for statement in statements {
            switch statement {
            case .line(let tokens):
                guard state.add(verb: tokens[0], args: Array(tokens.dropFirst())) else { return nil }
            case .block(let header, let lines):
                guard header.count == 1 else { continue }
                switch header[0] {
                case Array("module".utf8), Array("godebug".utf8), Array("require".utf8), Array("exclude".utf8),
                     Array("replace".utf8), Array("retract".utf8), Array("tool".utf8), Array("ignore".utf8):
                    for line in lines {
                        guard state.add(verb: header[0], args: line) else { return nil }
                    }
                default:
                    continue
                }
            }
        }
        return state.go
    }

    // MARK: go/version

    /// go/version `Lang`: `go1.21` for `go1.21.3`, `go1.21rc2` or `go1.21`; `go1` for `go1.0`;
    /// `""` for an invalid version.
    static func lang(_ x: [UInt8]) -> [UInt8] {
        let v = parse(stripGo(x))
        if v.minor.isEmpty { return v.major.isEmpty ? [] : Array("go".utf8) + v.major }
        if v.major == [0x31] && v.minor == [0x30] { return Array("go".utf8) + v.major }
        return Array("go".utf8) + v.major + [0x2E] + v.minor
    }

    /// go/version `Compare`: invalid versions compare equal to each other and below valid ones.
    static func compare(_ x: [UInt8], _ y: [UInt8]) -> Int {
        let vx = parse(stripGo(x)), vy = parse(stripGo(y))
        if let c = nonzero(compareInt(vx.major, vy.major)) { return c }
        if let c = nonzero(compareInt(vx.minor, vy.minor)) { return c }
        if let c = nonzero(compareInt(vx.patch, vy.patch)) { return c }
        if vx.kind != vy.kind { return vx.kind.lexicographicallyPrecedes(vy.kind) ? -1 : 1 }
        return compareInt(vx.pre, vy.pre)
    }

    private static func nonzero(_ c: Int) -> Int? { c == 0 ? nil : c }

    private static func stripGo(_ v: [UInt8]) -> [UInt8] {
        let cut = v.firstIndex(of: 0x2D).map { Array(v[..<$0]) } ?? v
        guard cut.count >= 2, cut[0] == 0x67, cut[1] == 0x6F else { return [] }
        return Array(cut[2...])
    }

    /// internal/gover `Version`; all fields empty for an invalid version.
    private struct Version: Equatable {
        var major: [UInt8] = [], minor: [UInt8] = [], patch: [UInt8] = [], kind: [UInt8] = [], pre: [UInt8] = []
    }

    /// internal/gover `Parse`.
    private static func parse(_ text: [UInt8]) -> Version {
        var v = Version()
        var x = text[...]
        guard let major = cutInt(&x) else { return Version() }
        v.major = major
        if x.isEmpty {
            v.minor = [0x30]
            v.patch = [0x30]
            return v
        }
        guard x.first == 0x2E else { return Version() }
        x = x.dropFirst()
        guard let minor = cutInt(&x) else { return Version() }
        v.minor = minor
        if x.isEmpty {
            if compareInt(minor, Array("21".utf8)) < 0 { v.patch = [0x30] }
            return v
        }
        if x.first == 0x2E {
            x = x.dropFirst()
            guard let patch = cutInt(&x), x.isEmpty else { return Version() }
            v.patch = patch
            return v
        }
        var kind: [UInt8] = []
        while let c = x.first, c < 0x30 || c > 0x39 {
            guard c >= 0x61 && c <= 0x7A else { return Version() }
            kind.append(c)
            x = x.dropFirst()
        }
        guard !kind.isEmpty else { return Version() }
        v.kind = kind
        if x.isEmpty { return v }
        guard let pre = cutInt(&x), x.isEmpty else { return Version() }
        v.pre = pre
        return v
    }

    /// internal/gover `cutInt`: a decimal without unnecessary leading zeros.
    private static func cutInt(_ x: inout ArraySlice<UInt8>) -> [UInt8]? {
        let digits = x.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !digits.isEmpty, !(digits.first == 0x30 && digits.count != 1) else { return nil }
        x = x.dropFirst(digits.count)
        return Array(digits)
    }

    /// internal/gover `CmpInt`.
    private static func compareInt(_ x: [UInt8], _ y: [UInt8]) -> Int {
        if x == y { return 0 }
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        return x.lexicographicallyPrecedes(y) ? -1 : 1
    }
}

// MARK: - Lax directive checks (rule.go `add` with strict == false)

private struct LaxState {
    var go: [UInt8]?
    var haveModule = false

    /// Applies one statement; `false` when ParseLax would report an error.
    mutating func add(verb: [UInt8], args: [[UInt8]]) -> Bool {
        switch verb {
        case Array("go".utf8):
            guard go == nil, args.count == 1 else { return false }
            if isGoVersion(args[0]) {
                go = args[0]
            } else if let fixed = laxGoVersion(args[0]) {
                go = fixed
            } else {
                return false
            }
            return true
        case Array("module".utf8):
            guard !haveModule else { return false }
            haveModule = true
            return args.count == 1 && parseString(args[0]) != nil
        case Array("require".utf8):
            guard args.count == 2, let path = parseString(args[0]), let version = parseString(args[1]) else {
                return false
            }
            let canonical = GoModule.canonicalVersionBytes(version)
            guard !canonical.isEmpty else { return false }
            let split = GoModule.splitPathVersionBytes(path)
            guard split.ok else { return false }
            return GoModule.pathMajorMismatch(canonical, split.pathMajor) == nil
        case Array("ignore".utf8):
            return args.count == 1 && parseString(args[0]) != nil
        default:
            // `retract` errors are ignored in lax mode; other directives are skipped.
            return true
        }
    }

    /// modfile `GoVersionRE`: `^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$`.
    private func isGoVersion(_ s: [UInt8]) -> Bool {
        var x = s[...]
        guard Self.number(&x, allowZero: false), x.first == 0x2E else { return false }
        x = x.dropFirst()
        guard Self.number(&x, allowZero: true) else { return false }
        if x.first == 0x2E {
            x = x.dropFirst()
            guard Self.number(&x, allowZero: true) else { return false }
        }
        if x.isEmpty { return true }
        let letters = x.prefix { $0 >= 0x61 && $0 <= 0x7A }
        guard !letters.isEmpty else { return false }
        x = x.dropFirst(letters.count)
        let digits = x.prefix { $0 >= 0x30 && $0 <= 0x39 }
        return !digits.isEmpty && digits.count == x.count
    }

    /// modfile `laxGoVersionRE`: `^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$`; the first group.
    private func laxGoVersion(_ s: [UInt8]) -> [UInt8]? {
        var x = s[...]
        if x.first == 0x76 { x = x.dropFirst() }
        let start = x.startIndex
        guard Self.number(&x, allowZero: false), x.first == 0x2E else { return nil }
        x = x.dropFirst()
        guard Self.number(&x, allowZero: true), let next = x.first, next < 0x30 || next > 0x39 else { return nil }
        return Array(s[start..<x.startIndex])
    }

    /// Consumes `0` (when allowed) or `[1-9][0-9]*`, maximal.
    private static func number(_ x: inout ArraySlice<UInt8>, allowZero: Bool) -> Bool {
        guard let first = x.first, first >= 0x30 && first <= 0x39 else { return false }
        if first == 0x30 {
            guard allowZero else { return false }
            x = x.dropFirst()
            return true
        }
        x = x.drop { $0 >= 0x30 && $0 <= 0x39 }
        return true
    }

    /// modfile `parseString`: a `"`-quoted token is unquoted with Go's `strconv.Unquote`; any
    /// other token must not contain a quote character. `nil` on error.
    private func parseString(_ token: [UInt8]) -> [UInt8]? {
        if token.first == 0x22 { return goUnquote(token) }
        if token.contains(where: { $0 == 0x22 || $0 == 0x27 || $0 == 0x60 }) { return nil }
        return token
    }
}

/// Go's `strconv.Unquote` for a double-quoted literal: the value, or `nil` for a syntax error.
/// Invalid UTF-8 is not an error; each bad byte becomes U+FFFD, as in Go.
func goUnquote(_ token: [UInt8]) -> [UInt8]? {
    guard token.count >= 2, token.first == 0x22, token.last == 0x22 else { return nil }
    let body = Array(token[1..<(token.count - 1)])
    var out: [UInt8] = []
    var i = 0
    func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: UInt32(c - 0x30)
        case 0x61...0x66: UInt32(c - 0x61 + 10)
        case 0x41...0x46: UInt32(c - 0x41 + 10)
        default: nil
        }
    }
    while i < body.count {
        let c = body[i]
        if c == 0x22 || c == 0x0A { return nil }
        if c != 0x5C {
            if c < 0x80 {
                out.append(c)
                i += 1
            } else {
                var decoder = UTF8ByteDecoder(bytes: Array(body[i..<min(body.count, i + 4)]))
                guard let (rune, width, valid) = decoder.next() else { return nil }
                CaseFold.appendUTF8(valid ? rune : 0xFFFD, to: &out)
                i += valid ? width : 1
            }
            continue
        }
        guard i + 1 < body.count else { return nil }
        let e = body[i + 1]
        i += 2
        switch e {
        case 0x61: out.append(0x07)
        case 0x62: out.append(0x08)
        case 0x66: out.append(0x0C)
        case 0x6E: out.append(0x0A)
        case 0x72: out.append(0x0D)
        case 0x74: out.append(0x09)
        case 0x76: out.append(0x0B)
        case 0x5C: out.append(0x5C)
        case 0x22: out.append(0x22)
        case 0x78, 0x75, 0x55:
            let n = e == 0x78 ? 2 : e == 0x75 ? 4 : 8
            guard i + n <= body.count else { return nil }
            var value: UInt32 = 0
            for k in 0..<n {
                guard let d = hexValue(body[i + k]) else { return nil }
                value = value << 4 | d
            }
            i += n
            if e == 0x78 {
                out.append(UInt8(value))
            } else {
                guard value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
                CaseFold.appendUTF8(value, to: &out)
            }
        case 0x30...0x37:
            guard i + 2 <= body.count else { return nil }
            var value = UInt32(e - 0x30)
            for k in 0..<2 {
                let d = body[i + k]
                guard d >= 0x30 && d <= 0x37 else { return nil }
                value = value << 3 | UInt32(d - 0x30)
            }
            guard value <= 255 else { return nil }
            i += 2
            out.append(UInt8(value))
        default:
            return nil
        }
    }
    return out
}

// MARK: - Lexer and statement structure (modfile read.go)

/// One top-level statement: a line's tokens, or a block's header tokens and its lines.
private enum ModStatement {
    case line([[UInt8]])
    case block([[UInt8]], [[[UInt8]]])
}

/// modfile's lexer and parser, reduced to what ParseLax's success depends on. Returns `nil`
/// where Go's `parse` reports a syntax error.
private struct ModLexer {
    enum Kind: Equatable {
        case eof, eolComment, comment, ident, string, newline, lparen, rparen, other
        var isEOL: Bool { self == .eof || self == .eolComment || self == .newline }
    }

    let data: [UInt8]
    var position = 0
    var tokenKind: Kind = .eof
    var tokenText: [UInt8] = []
    var failed = false

    init(_ data: [UInt8]) { self.data = data }

    /// The statements, or `nil` on a syntax error.
    mutating func parseFile() -> [ModStatement]? {
        readToken()
        var statements: [ModStatement] = []
        while !failed {
            switch tokenKind {
            case .newline, .comment:
                _ = lex()
            case .eof:
                return statements
            default:
                guard let statement = parseStatement() else { return nil }
                statements.append(statement)
            }
        }
        return nil
    }

    /// `parseStmt`; `nil` on a syntax error.
    private mutating func parseStatement() -> ModStatement? {
        var tokens = [lex().text]
        while !failed {
            let token = lex()
            if failed { return nil }
            if token.kind.isEOL { return .line(tokens) }
            if token.kind == .lparen {
                if tokenKind.isEOL {
                    guard let lines = parseLineBlock() else { return nil }
                    return .block(tokens, lines)
                } else if tokenKind == .rparen {
                    let rparen = lex()
                    if tokenKind.isEOL {
                        _ = lex()
                        return .block(tokens, [])
                    }
                    tokens.append(token.text)
                    tokens.append(rparen.text)
                } else {
                    tokens.append(token.text)
                }
            } else {
                tokens.append(token.text)
            }
        }
        return nil
    }

    private mutating func parseLineBlock() -> [[[UInt8]]]? {
        var lines: [[[UInt8]]] = []
        while !failed {
            switch tokenKind {
            case .eolComment, .newline, .comment:
                _ = lex()
            case .eof:
                return nil  // unterminated block
            case .rparen:
                _ = lex()
                guard tokenKind.isEOL else { return nil }  // expected newline after closing paren
                _ = lex()
                return failed ? nil : lines
            default:
                var line = [lex().text]
                while !failed {
                    let token = lex()
                    if token.kind.isEOL { break }
                    line.append(token.text)
                }
                lines.append(line)
            }
        }
        return nil
    }

    private mutating func lex() -> (kind: Kind, text: [UInt8]) {
        let token = (kind: tokenKind, text: tokenText)
        readToken()
        return token
    }

    private func peekRune() -> (rune: UInt32, width: Int) {
        guard position < data.count else { return (0, 0) }
        var decoder = UTF8ByteDecoder(bytes: Array(data[position..<min(data.count, position + 4)]))
        guard let (rune, width, valid) = decoder.next() else { return (0, 0) }
        return valid ? (rune, width) : (0xFFFD, 1)
    }

    private func hasPrefix(_ a: UInt8, _ b: UInt8) -> Bool {
        position + 1 < data.count && data[position] == a && data[position + 1] == b
    }

    private mutating func readToken() {
        guard !failed else {
            tokenKind = .eof
            return
        }
        while position < data.count {
            let c = data[position]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                position += 1
                continue
            }
            if hasPrefix(0x2F, 0x2F) {
                let start = position
                let lineStart = data[..<position].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                let suffix = data[lineStart..<position].contains { !isGoSpace($0) }
                while position < data.count {
                    let byte = data[position]
                    position += 1
                    if byte == 0x0A { break }
                }
                tokenKind = suffix ? .eolComment : .comment
                tokenText = Array(data[start..<position])
                return
            }
            if hasPrefix(0x2F, 0x2A) {
                failed = true
                tokenKind = .eof
                return
            }
            break
        }
        let start = position
        guard position < data.count else {
            tokenKind = .eof
            tokenText = []
            return
        }
        let c = data[position]
        switch c {
        case 0x0A, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2C:
            position += 1
            tokenKind = c == 0x0A ? .newline : c == 0x28 ? .lparen : c == 0x29 ? .rparen : .other
            tokenText = [c]
            return
        case 0x22, 0x60:
            position += 1
            while true {
                guard position < data.count else {
                    failed = true
                    tokenKind = .eof
                    return
                }
                if data[position] == 0x0A {
                    failed = true
                    tokenKind = .eof
                    return
                }
                let (_, width) = peekRune()
                let byte = data[position]
                position += width
                if byte == c { break }
                if byte == 0x5C && c != 0x60 {
                    guard position < data.count else {
                        failed = true
                        tokenKind = .eof
                        return
                    }
                    position += peekRune().width
                }
            }
            tokenKind = .string
            tokenText = Array(data[start..<position])
            return
        default:
            break
        }
        guard isIdent(peekRune().rune) else {
            failed = true
            tokenKind = .eof
            return
        }
        while position < data.count, isIdent(peekRune().rune) {
            if hasPrefix(0x2F, 0x2F) { break }
            if hasPrefix(0x2F, 0x2A) {
                failed = true
                tokenKind = .eof
                return
            }
            position += peekRune().width
        }
        tokenKind = .ident
        tokenText = Array(data[start..<position])
    }

    /// modfile `isIdent`: printable, not space, not one of ` ()[]{},`.
    private func isIdent(_ rune: UInt32) -> Bool {
        switch rune {
        case 0x20, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2C: return false
        default:
            guard let scalar = Unicode.Scalar(rune) else { return false }
            return goIsPrint(scalar)
        }
    }

    /// Bytes `bytes.TrimSpace` would trim that can precede a comment on its line.
    private func isGoSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0B || c == 0x0C }
}
