/// The lossless syntax tree of a go.mod or go.work file (x/mod's `modfile.FileSyntax`): every
/// statement, block, token and comment with its position, exactly as x/mod's parser builds it.
///
/// A file is a list of ``Statement``s: a ``CommentBlock`` (comments separated from everything
/// else by blank lines), a single ``Line`` (`require x v1.0.0`), or a ``LineBlock``
/// (`require (` … `)`). Each element carries ``Comments``: whole-line comments *before* it,
/// end-of-line *suffix* comments, and (for top-level statements) comments *after* it, assigned
/// as x/mod's `assignComments` assigns them. Blank lines inside a block are kept as comments
/// with an empty token.
///
/// Parsing a ``GoMod`` or ``GoWork`` rewrites the tokens it interprets the way x/mod does:
/// quoted paths that need no quotes are unquoted (`"rsc.io/quote"` → `rsc.io/quote`) and
/// versions are canonicalised (`v1.5` → `v1.5.0`). ``parse(_:fileName:)`` gives the raw tree.
///
/// Two trees are equal when their file names, comments and statements (positions included)
/// are equal.
public struct GoModSyntax: Sendable, Equatable {
    /// A position in the file (x/mod's `modfile.Position`).
    public struct Position: Sendable, Hashable, CustomStringConvertible {
        /// The 1-based line; 0 for syntax created by an edit.
        public var line: Int
        /// The 1-based rune position within the line.
        public var lineRune: Int
        /// The 0-based byte offset in the file.
        public var byte: Int

        /// Creates a position.
        public init(line: Int, lineRune: Int, byte: Int) {
            self.line = line
            self.lineRune = lineRune
            self.byte = byte
        }

        /// The zero position of syntax created by an edit.
        public static let zero = Position(line: 0, lineRune: 0, byte: 0)

        /// `line:lineRune`.
        public var description: String { "\(line):\(lineRune)" }

        /// The position after a one-byte, one-rune token such as `)` (x/mod's `Position.add`).
        func addingOneRune() -> Position { Position(line: line, lineRune: lineRune + 1, byte: byte + 1) }
    }

    /// A single `//` comment (x/mod's `modfile.Comment`).
    public struct Comment: Sendable, Hashable {
        /// Where the comment starts.
        public var start: Position
        /// The comment text from `//` to the end of its line, without the line ending (a
        /// single trailing `\r\n` or `\n` is removed, so a second `\r` stays); empty for the
        /// marker of a blank line inside a block.
        public var token: ByteString
        /// Whether this is an end-of-line comment after tokens.
        public var isSuffix: Bool

        /// Creates a comment.
        public init(start: Position = .zero, token: ByteString, isSuffix: Bool = false) {
            self.start = start
            self.token = token
            self.isSuffix = isSuffix
        }
    }

    /// The comments attached to a piece of syntax (x/mod's `modfile.Comments`).
    public struct Comments: Sendable, Hashable {
        /// Whole-line comments before the syntax.
        public var before: [Comment] = []
        /// End-of-line comments after the syntax.
        public var suffix: [Comment] = []
        /// Whole-line comments after the syntax (top-level statements and the file only).
        public var after: [Comment] = []

        /// Creates a set of comments.
        public init(before: [Comment] = [], suffix: [Comment] = [], after: [Comment] = []) {
            self.before = before
            self.suffix = suffix
            self.after = after
        }

        var isEmpty: Bool { before.isEmpty && suffix.isEmpty && after.isEmpty }
    }

    /// A block of comments separated from the statements around it (x/mod's `CommentBlock`).
    public struct CommentBlock: Sendable, Hashable {
        /// The comments (in ``Comments/before``).
        public var comments: Comments
        /// The position of the first comment.
        public var start: Position
    }

    /// One line of tokens (x/mod's `modfile.Line`): a statement, or an entry of a block.
    public struct Line: Sendable, Hashable {
        /// The line's comments.
        public var comments: Comments
        /// The position of the first token.
        public var start: Position
        /// The tokens; inside a block, without the block's verb.
        public var tokens: [ByteString]
        /// Whether the line is an entry of a ``LineBlock``.
        public var isInBlock: Bool
        /// The position after the last token (`(` and `( )` inside a line do not count, as in
        /// x/mod).
        public var end: Position
    }

    /// A parenthesis of a block, a place for comments (x/mod's `LParen` and `RParen`).
    public struct Paren: Sendable, Hashable {
        /// Comments: the suffix comment of `(`, or the comments before and after `)`.
        public var comments: Comments
        /// The position of the parenthesis.
        public var position: Position
    }

    /// A factored block such as `require (` … `)` (x/mod's `modfile.LineBlock`).
    public struct LineBlock: Sendable, Hashable {
        /// The block's comments.
        public var comments: Comments
        /// The position of the first token.
        public var start: Position
        /// The opening parenthesis.
        public var lparen: Paren
        /// The tokens before `(`: normally just the verb.
        public var tokens: [ByteString]
        /// The entries.
        public var lines: [Line]
        /// The closing parenthesis.
        public var rparen: Paren
    }

    /// A top-level statement.
    public enum Statement: Sendable, Hashable {
        /// Comments on their own, separated from any statement by blank lines.
        case comments(CommentBlock)
        /// A single line.
        case line(Line)
        /// A factored block.
        case block(LineBlock)
    }

    // MARK: - Storage

    /// A line as stored: tokens in a ``TokenList``; `removed` marks x/mod's `markRemoved`
    /// (`Token == nil`), which ``cleanUp()`` sweeps away.
    struct LineNode: Sendable, Hashable {
        var comments = Comments()
        var start = Position.zero
        var tokens = TokenList()
        var inBlock = false
        var end = Position.zero
        var removed = false
    }

    /// A block as stored: its lines are indexes into ``lineNodes``.
    struct BlockNode: Sendable, Hashable {
        var comments = Comments()
        var start = Position.zero
        var lparen = Paren(comments: Comments(), position: .zero)
        var tokens = TokenList()
        var lines: [Int] = []
        var rparen = Paren(comments: Comments(), position: .zero)
    }

    /// A top-level statement as stored. Lines and blocks have stable identities (indexes into
    /// the arenas) because x/mod's edits find them by pointer.
    enum Stmt: Sendable, Hashable {
        case comments(CommentBlock)
        case line(Int)
        case block(Int)
    }

    /// The file name, used in positions and errors.
    public internal(set) var fileName: String
    /// File-level comments: `before` holds suffix comments no statement took, `after` the
    /// trailing ones.
    public internal(set) var comments = Comments()
    var stmts: [Stmt] = []
    var lineNodes: [LineNode] = []
    var blockNodes: [BlockNode] = []

    /// An empty file named `fileName`.
    public init(fileName: String = "go.mod") {
        self.fileName = fileName
    }

    /// The statements, in file order.
    public var statements: [Statement] {
        stmts.map { stmt in
            switch stmt {
            case .comments(let block): return .comments(block)
            case .line(let id): return .line(publicLine(id))
            case .block(let id):
                let b = blockNodes[id]
                return .block(LineBlock(comments: b.comments, start: b.start, lparen: b.lparen,
                                        tokens: b.tokens.byteStrings, lines: b.lines.map(publicLine),
                                        rparen: b.rparen))
            }
        }
    }

    func publicLine(_ id: Int) -> Line {
        let l = lineNodes[id]
        return Line(comments: l.comments, start: l.start, tokens: l.tokens.byteStrings, isInBlock: l.inBlock, end: l.end)
    }

    /// Equal file names, comments and statements.
    public static func == (lhs: GoModSyntax, rhs: GoModSyntax) -> Bool {
        lhs.fileName == rhs.fileName && lhs.comments == rhs.comments && lhs.statements == rhs.statements
    }

    // MARK: - Internal access used by the typed models

    /// The comments of top-level statement `i`.
    func stmtComments(_ i: Int) -> Comments {
        switch stmts[i] {
        case .comments(let c): return c.comments
        case .line(let id): return lineNodes[id].comments
        case .block(let id): return blockNodes[id].comments
        }
    }

    /// Adds a line to the arena and returns its identity.
    mutating func newLine(_ node: LineNode) -> Int {
        lineNodes.append(node)
        return lineNodes.count - 1
    }

    /// Adds a block to the arena and returns its identity.
    mutating func newBlock(_ node: BlockNode) -> Int {
        blockNodes.append(node)
        return blockNodes.count - 1
    }
}
