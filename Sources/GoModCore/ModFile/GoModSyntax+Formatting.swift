extension GoModSyntax {
    /// The file in standard layout, exactly as x/mod's `modfile.Format` prints this tree:
    /// one statement per line, blocks indented with tabs, single spaces between tokens (none
    /// inside brackets or before `,`), comments trimmed and kept in place, blank lines between
    /// statements, no trailing blank lines.
    ///
    /// This prints the tree as it is. ``GoMod/formatted()`` first sorts blocks and removes
    /// duplicates and deleted lines, as `go mod edit -fmt` does.
    public func formatted() -> [UInt8] {
        var printer = ModFilePrinter()
        printer.file(self)
        var b = printer.out
        while let last = b.last, last == 0x0A, b.count == 1 || b[b.count - 2] == 0x0A {
            b.removeLast()
        }
        return b
    }
}

/// x/mod's print.go `printer`.
struct ModFilePrinter {
    var out: [UInt8] = []
    /// Pending end-of-line comments.
    var pending: [GoModSyntax.Comment] = []
    /// The indentation, in tabs.
    var margin = 0
    /// The index after the last newline in ``out`` (0 when there is none).
    var lineStart = 0

    /// Appends bytes, tracking the start of the current line.
    mutating func write(_ bytes: ArraySlice<UInt8>) {
        let base = out.count
        out.append(contentsOf: bytes)
        if let k = bytes.lastIndex(of: 0x0A) {
            lineStart = base + (k - bytes.startIndex) + 1
        }
    }

    mutating func writeByte(_ b: UInt8) {
        out.append(b)
        if b == 0x0A { lineStart = out.count }
    }

    mutating func tabs() {
        for _ in 0..<margin { out.append(0x09) }
    }

    /// The number of bytes on the current line.
    var indent: Int { out.count - lineStart }

    /// A comment's text as printed: `strings.TrimSpace(com.Token)`.
    mutating func comment(_ c: GoModSyntax.Comment) {
        write(ModFileText.trimSpace(c.token.bytes[...]))
    }

    /// Ends the current line, flushing end-of-line comments.
    mutating func newline() {
        if !pending.isEmpty {
            writeByte(0x20)
            for (i, com) in pending.enumerated() {
                if i > 0 {
                    trim()
                    writeByte(0x0A)
                    tabs()
                }
                comment(com)
            }
            pending.removeAll(keepingCapacity: true)
        }
        trim()
        let n = out.count
        if n == 0 || (n >= 2 && out[n - 1] == 0x0A && out[n - 2] == 0x0A) {
            // No blank line at the top of the file or after a blank line.
        } else {
            writeByte(0x0A)
        }
        tabs()
    }

    /// Removes trailing spaces and tabs from the current line.
    mutating func trim() {
        var n = out.count
        while n > 0 && (out[n - 1] == 0x09 || out[n - 1] == 0x20) { n -= 1 }
        if n < out.count { out.removeSubrange(n...) }
        if lineStart > out.count {
            // Cannot happen (a newline is never trimmed), but keep the invariant.
            lineStart = (out.lastIndex(of: 0x0A) ?? -1) + 1
        }
    }

    mutating func file(_ f: GoModSyntax) {
        for com in f.comments.before {
            comment(com)
            newline()
        }
        for i in f.stmts.indices {
            let stmt = f.stmts[i]
            switch stmt {
            case .comments(let block):
                printBefore(block.comments.before)
                pending.append(contentsOf: block.comments.suffix)
            case .line(let id):
                line(f.lineNodes[id])
                newline()
            case .block(let id):
                block(f, f.blockNodes[id])
                newline()
            }
            for com in f.stmtComments(i).after {
                comment(com)
                newline()
            }
            if i + 1 < f.stmts.count { newline() }
        }
    }

    /// Emits the line comments preceding an expression, at the current margin.
    mutating func printBefore(_ before: [GoModSyntax.Comment]) {
        guard !before.isEmpty else { return }
        trim()
        if indent > 0 { writeByte(0x0A) }
        tabs()
        for com in before {
            comment(com)
            newline()
        }
    }

    mutating func line(_ l: GoModSyntax.LineNode) {
        printBefore(l.comments.before)
        tokens(l.tokens)
        pending.append(contentsOf: l.comments.suffix)
    }

    mutating func paren(_ p: GoModSyntax.Paren, _ char: UInt8) {
        printBefore(p.comments.before)
        writeByte(char)
        pending.append(contentsOf: p.comments.suffix)
    }

    mutating func block(_ f: GoModSyntax, _ b: GoModSyntax.BlockNode) {
        printBefore(b.comments.before)
        tokens(b.tokens)
        writeByte(0x20)
        paren(b.lparen, UInt8(ascii: "("))
        margin += 1
        for id in b.lines {
            newline()
            line(f.lineNodes[id])
        }
        margin -= 1
        newline()
        paren(b.rparen, UInt8(ascii: ")"))
        pending.append(contentsOf: b.comments.suffix)
    }

    mutating func tokens(_ list: TokenList) {
        var sep = false
        for k in 0..<list.count {
            let t = list[k]
            if t.count == 1 {
                switch t[t.startIndex] {
                case UInt8(ascii: ","), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): sep = false
                default: break
                }
            }
            if sep { writeByte(0x20) }
            write(t)
            sep = true
            if t.count == 1 {
                switch t[t.startIndex] {
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): sep = false
                default: break
                }
            }
        }
    }
}
