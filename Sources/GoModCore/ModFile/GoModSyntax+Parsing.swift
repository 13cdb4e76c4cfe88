extension GoModSyntax {
    /// Parses go.mod or go.work text into its syntax tree, with comments assigned to the syntax
    /// around them (x/mod's unexported `parse`, the first step of `Parse`, `ParseLax` and
    /// `ParseWork`).
    ///
    /// No directive is interpreted: any sequence of well-formed lines and blocks is accepted.
    /// Lexical and syntax errors (x/mod `modfile/read.go`) throw with Go's message and position,
    /// for example `go.mod:1: unexpected input character '\ufeff'`. The parser runs in time and
    /// memory linear in the input, without recursion.
    public static func parse(_ data: [UInt8], fileName: String = "go.mod") throws(ModFileError) -> GoModSyntax {
        var parser = ModFileParser(data: data, fileName: fileName)
        try parser.readToken()
        try parser.parseFile()
        parser.assignComments()
        return parser.file
    }
}

/// x/mod's read.go `input`: a lexer with one token of look-ahead and a parser that builds the
/// tree statement by statement. Errors are thrown where x/mod panics, with x/mod's position
/// (the lexer's current position, which is after the look-ahead token).
struct ModFileParser {
    typealias Position = GoModSyntax.Position

    enum Kind: Equatable {
        case eof, eolComment, ident, string, comment
        case newline, lparen, rparen, lbrack, rbrack, lbrace, rbrace, comma

        /// Whether the token ends a line.
        var isEOL: Bool { self == .eof || self == .eolComment || self == .newline }
    }

    struct Token {
        var kind: Kind = .eof
        var pos = Position.zero
        var endPos = Position.zero
        /// The token's bytes: `data[start..<end]` (comments without their line ending).
        var start = 0
        var end = 0
    }

    let data: [UInt8]
    let fileName: String
    /// The start of the remaining input.
    var index = 0
    /// The current position.
    var pos = Position(line: 1, lineRune: 1, byte: 0)
    /// The look-ahead token.
    var token = Token()
    /// End-of-line comments, assigned after parsing.
    var suffixComments: [GoModSyntax.Comment] = []
    /// Whether a token (other than a comment or newline) was read on the current line: x/mod
    /// decides whether a comment is a suffix comment by looking for non-space text between the
    /// previous newline and the `//`, and only tokens can put any there.
    var tokenOnLine = false

    var file: GoModSyntax

    init(data: [UInt8], fileName: String) {
        self.data = data
        self.fileName = fileName
        self.file = GoModSyntax(fileName: fileName)
    }

    func error(_ code: ModFileError.Code, _ message: String, at position: Position? = nil) -> ModFileError {
        ModFileError(code, fileName: fileName, at: position ?? pos, message: ByteString(message))
    }

    // MARK: - Lexer

    /// Consumes one rune (invalid UTF-8 is one rune of one byte) and advances the position.
    @inline(__always)
    mutating func readRune() {
        let b = data[index]
        var width = 1
        if b >= 0x80 { width = goDecodeRune(data[...], at: index).width }
        index += width
        pos.byte += width
        if b == 0x0A {
            pos.line += 1
            pos.lineRune = 1
        } else {
            pos.lineRune += 1
        }
    }

    /// The next rune without consuming it (`nil` at the end).
    @inline(__always)
    func peekRune() -> UInt32? {
        guard index < data.count else { return nil }
        let b = data[index]
        return b < 0x80 ? UInt32(b) : goDecodeRune(data[...], at: index).rune
    }

    /// x/mod's `isIdent`: printable, not space, not one of ` ()[]{},`.
    @inline(__always)
    static func isIdent(_ r: UInt32) -> Bool {
        if r < 0x80 { return isIdentASCII(UInt8(r)) }
        return isIdentUnicode(r)
    }

    /// ``isIdent(_:)`` for an ASCII byte: `!` … `~` except `(`, `)`, `,`, `[`, `]`, `{`, `}`.
    @inline(__always)
    static func isIdentASCII(_ b: UInt8) -> Bool {
        b > 0x20 && b < 0x7F && b != 0x28 && b != 0x29 && b != 0x2C && b != 0x5B && b != 0x5D && b != 0x7B && b != 0x7D
    }

    /// ``isIdent(_:)`` beyond ASCII: `unicode.IsPrint` and not `unicode.IsSpace`.
    @inline(never)
    static func isIdentUnicode(_ r: UInt32) -> Bool {
        guard !goIsSpace(r), let scalar = Unicode.Scalar(r) else { return false }
        return goIsPrint(scalar)
    }

    mutating func startToken() {
        token = Token(kind: .eof, pos: pos, endPos: pos, start: index, end: index)
    }

    mutating func endToken(_ kind: Kind) {
        token.kind = kind
        var end = index
        if kind == .comment || kind == .eolComment {
            if end - token.start >= 2 && data[end - 1] == 0x0A && data[end - 2] == 0x0D {
                end -= 2
            } else if end > token.start && data[end - 1] == 0x0A {
                end -= 1
            }
        } else if kind == .newline {
            tokenOnLine = false
        } else {
            tokenOnLine = true
        }
        token.end = end
        token.endPos = pos
    }

    /// Lexes the next token into ``token`` (x/mod's `readToken`).
    mutating func readToken() throws(ModFileError) {
        while index < data.count {
            let c = data[index]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                readRune()
                continue
            }
            if c == 0x2F && index + 1 < data.count && data[index + 1] == 0x2F {
                startToken()
                let suffix = tokenOnLine
                // Consume the comment through its newline.
                let bytes = data
                let n = bytes.count
                var i = index, runes = 0, newline = false
                while i < n {
                    let b = bytes[i]
                    if b == 0x0A {
                        i += 1
                        newline = true
                        break
                    }
                    i += b < 0x80 ? 1 : goDecodeRune(bytes[...], at: i).width
                    runes += 1
                }
                pos.byte += i - index
                index = i
                if newline {
                    pos.line += 1
                    pos.lineRune = 1
                } else {
                    pos.lineRune += runes
                }
                tokenOnLine = false
                if !suffix {
                    endToken(.comment)
                    return
                }
                endToken(.eolComment)
                suffixComments.append(GoModSyntax.Comment(start: token.pos, token: ByteString(Array(data[token.start..<token.end])),
                                                          isSuffix: true))
                return
            }
            if c == 0x2F && index + 1 < data.count && data[index + 1] == 0x2A {
                throw error(.blockComment, "mod files must use // comments (not /* */ comments)")
            }
            break
        }

        startToken()
        guard index < data.count else {
            endToken(.eof)
            return
        }

        let c = data[index]
        switch c {
        case 0x0A: readRune(); endToken(.newline); return
        case 0x28: readRune(); endToken(.lparen); return
        case 0x29: readRune(); endToken(.rparen); return
        case 0x5B: readRune(); endToken(.lbrack); return
        case 0x5D: readRune(); endToken(.rbrack); return
        case 0x7B: readRune(); endToken(.lbrace); return
        case 0x7D: readRune(); endToken(.rbrace); return
        case 0x2C: readRune(); endToken(.comma); return
        case 0x22, 0x60:
            let quote = c
            readRune()
            while true {
                guard index < data.count else {
                    throw error(.unterminatedString, "unexpected EOF in string", at: token.pos)
                }
                let d = data[index]
                if d == 0x0A { throw error(.newlineInString, "unexpected newline in string") }
                readRune()
                if d == quote { break }
                if d == 0x5C && quote != 0x60 {
                    guard index < data.count else {
                        throw error(.unterminatedString, "unexpected EOF in string", at: token.pos)
                    }
                    readRune()
                }
            }
            endToken(.string)
            return
        default:
            break
        }

        guard let first = peekRune(), Self.isIdent(first) else {
            throw error(.unexpectedCharacter, "unexpected input character \(goQuoteRune(peekRune() ?? 0))")
        }
        // Scan with locals (the hot loop of a long line), then advance the position once.
        let bytes = data
        let n = bytes.count
        var i = index, runes = 0
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0x2F && i + 1 < n {
                    let next = bytes[i + 1]
                    if next == 0x2F { break }
                    if next == 0x2A {
                        pos.byte += i - index
                        pos.lineRune += runes
                        index = i
                        throw error(.blockComment, "mod files must use // comments (not /* */ comments)")
                    }
                }
                guard Self.isIdentASCII(b) else { break }
                i += 1
            } else {
                let (rune, width, _) = goDecodeRune(bytes[...], at: i)
                guard Self.isIdent(rune) else { break }
                i += width
            }
            runes += 1
        }
        pos.byte += i - index
        pos.lineRune += runes
        index = i
        endToken(.ident)
    }

    /// Returns the look-ahead token and lexes the next one.
    mutating func lex() throws(ModFileError) -> Token {
        let tok = token
        try readToken()
        return tok
    }

    // MARK: - Parser

    mutating func parseFile() throws(ModFileError) {
        var cb: GoModSyntax.CommentBlock? = nil
        while true {
            switch token.kind {
            case .newline:
                _ = try lex()
                if let block = cb {
                    file.stmts.append(.comments(block))
                    cb = nil
                }
            case .comment:
                let tok = try lex()
                if cb == nil { cb = GoModSyntax.CommentBlock(comments: .init(), start: tok.pos) }
                cb?.comments.before.append(GoModSyntax.Comment(start: tok.pos, token: ByteString(Array(data[tok.start..<tok.end]))))
            case .eof:
                if let block = cb { file.stmts.append(.comments(block)) }
                return
            default:
                try parseStmt()
                if let block = cb {
                    setBefore(ofLastStatement: block.comments.before)
                    cb = nil
                }
            }
        }
    }

    mutating func setBefore(ofLastStatement before: [GoModSyntax.Comment]) {
        guard let last = file.stmts.indices.last else { return }
        switch file.stmts[last] {
        case .comments(var block):
            block.comments.before = before
            file.stmts[last] = .comments(block)
        case .line(let id): file.lineNodes[id].comments.before = before
        case .block(let id): file.blockNodes[id].comments.before = before
        }
    }

    /// A line being read: where it starts, where its last token so far ends, its tokens.
    struct LineInProgress {
        let start: GoModSyntax.Position
        var end: GoModSyntax.Position
        var tokens = TokenList()
    }

    /// Reads a line's first token (x/mod's `parseStmt` and `parseLine` start alike).
    mutating func beginLine() throws(ModFileError) -> LineInProgress {
        let first = try lex()
        var line = LineInProgress(start: first.pos, end: first.endPos)
        line.tokens.append(data[first.start..<first.end])
        return line
    }

    mutating func parseStmt() throws(ModFileError) {
        var line = try beginLine()
        while true {
            let tok = try lex()
            if tok.kind.isEOL {
                let id = file.newLine(GoModSyntax.LineNode(start: line.start, tokens: line.tokens, end: line.end))
                file.stmts.append(.line(id))
                return
            }
            if tok.kind == .lparen {
                let next = token.kind
                if next.isEOL {
                    let block = try parseLineBlock(start: line.start, tokens: line.tokens, lparen: tok)
                    file.stmts.append(.block(file.newBlock(block)))
                    return
                } else if next == .rparen {
                    let rparen = try lex()
                    if token.kind.isEOL {
                        _ = try lex()
                        var block = GoModSyntax.BlockNode(start: line.start, tokens: line.tokens)
                        block.lparen.position = tok.pos
                        block.rparen.position = rparen.pos
                        file.stmts.append(.block(file.newBlock(block)))
                        return
                    }
                    line.tokens.append(data[tok.start..<tok.end])
                    line.tokens.append(data[rparen.start..<rparen.end])
                } else {
                    line.tokens.append(data[tok.start..<tok.end])
                }
                continue
            }
            line.tokens.append(data[tok.start..<tok.end])
            line.end = tok.endPos
        }
    }

    mutating func parseLineBlock(start: Position, tokens: TokenList, lparen: Token) throws(ModFileError) -> GoModSyntax.BlockNode {
        var block = GoModSyntax.BlockNode(start: start, tokens: tokens)
        block.lparen.position = lparen.pos
        var comments: [GoModSyntax.Comment] = []
        while true {
            switch token.kind {
            case .eolComment:
                _ = try lex()
            case .newline:
                _ = try lex()
                if (comments.isEmpty && !block.lines.isEmpty) || (!comments.isEmpty && !(comments.last?.token.isEmpty ?? true)) {
                    comments.append(GoModSyntax.Comment(token: ""))
                }
            case .comment:
                let tok = try lex()
                comments.append(GoModSyntax.Comment(start: tok.pos, token: ByteString(Array(data[tok.start..<tok.end]))))
            case .eof:
                throw error(.unterminatedBlock,
                            "syntax error (unterminated block started at \(fileName):\(block.start.line):\(block.start.lineRune))")
            case .rparen:
                let rparen = try lex()
                if comments.count == 1 && comments[0] == GoModSyntax.Comment(token: "") {
                    comments = []
                }
                block.rparen.comments.before = comments
                block.rparen.position = rparen.pos
                if !token.kind.isEOL {
                    throw error(.expectedNewlineAfterParen, "syntax error (expected newline after closing paren)")
                }
                _ = try lex()
                return block
            default:
                var line = try parseLine()
                line.comments.before = comments
                block.lines.append(file.newLine(line))
                comments = []
            }
        }
    }

    mutating func parseLine() throws(ModFileError) -> GoModSyntax.LineNode {
        var line = try beginLine()
        while true {
            let tok = try lex()
            if tok.kind.isEOL {
                return GoModSyntax.LineNode(start: line.start, tokens: line.tokens, inBlock: true, end: line.end)
            }
            line.tokens.append(data[tok.start..<tok.end])
            line.end = tok.endPos
        }
    }

    // MARK: - Comment assignment

    /// An element of the post-order walk.
    enum Expr {
        case commentBlock(Int), line(Int), block(Int), lparen(Int), rparen(Int)
    }

    /// x/mod's `assignComments`. Whole-line comments were already placed by the parser (x/mod's
    /// lexer never queues them), so only end-of-line comments are assigned here: walking the
    /// syntax in reverse post-order, each single-line element takes the suffix comments that
    /// start at or after its end; the rest go to the file's `before` list.
    mutating func assignComments() {
        var post: [Expr] = []
        post.reserveCapacity(file.lineNodes.count + file.stmts.count)
        for (i, stmt) in file.stmts.enumerated() {
            switch stmt {
            case .comments: post.append(.commentBlock(i))
            case .line(let id): post.append(.line(id))
            case .block(let id):
                post.append(.lparen(id))
                for l in file.blockNodes[id].lines { post.append(.line(l)) }
                post.append(.rparen(id))
                post.append(.block(id))
            }
        }
        var suffix = suffixComments
        for x in post.reversed() {
            guard !suffix.isEmpty else { break }
            let (start, end) = span(x)
            if start.line != end.line { continue }
            var taken: [GoModSyntax.Comment] = []
            while let last = suffix.last, end.byte <= last.start.byte {
                taken.append(last)
                suffix.removeLast()
            }
            if !taken.isEmpty {
                // Taken in reverse; x/mod reverses each list afterwards.
                appendSuffix(x, taken.reversed())
            }
        }
        file.comments.before += suffix
    }

    func span(_ x: Expr) -> (Position, Position) {
        switch x {
        case .commentBlock(let i):
            if case .comments(let c) = file.stmts[i] { return (c.start, c.start) }
            return (.zero, .zero)
        case .line(let id): return (file.lineNodes[id].start, file.lineNodes[id].end)
        case .block(let id):
            let b = file.blockNodes[id]
            return (b.start, b.rparen.position.addingOneRune())
        case .lparen(let id):
            let p = file.blockNodes[id].lparen.position
            return (p, p.addingOneRune())
        case .rparen(let id):
            let p = file.blockNodes[id].rparen.position
            return (p, p.addingOneRune())
        }
    }

    mutating func appendSuffix(_ x: Expr, _ comments: ReversedCollection<[GoModSyntax.Comment]>) {
        switch x {
        case .commentBlock(let i):
            if case .comments(var c) = file.stmts[i] {
                c.comments.suffix.append(contentsOf: comments)
                file.stmts[i] = .comments(c)
            }
        case .line(let id): file.lineNodes[id].comments.suffix.append(contentsOf: comments)
        case .block(let id): file.blockNodes[id].comments.suffix.append(contentsOf: comments)
        case .lparen(let id): file.blockNodes[id].lparen.comments.suffix.append(contentsOf: comments)
        case .rparen(let id): file.blockNodes[id].rparen.comments.suffix.append(contentsOf: comments)
        }
    }
}
