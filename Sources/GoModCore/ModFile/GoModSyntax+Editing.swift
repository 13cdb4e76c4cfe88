extension GoModSyntax {
    /// Where ``addLine(hint:_:)`` should put a new line: next to a line or a block (x/mod
    /// passes an `Expr`, always a `*Line` or `*LineBlock`).
    enum Hint: Equatable {
        case line(Int)
        case block(Int)
    }

    /// x/mod's `FileSyntax.addLine`: adds a line with `tokens` and returns its identity.
    ///
    /// Without a hint, the hint is the last line or block whose first token is `tokens[0]`.
    /// With a hint of the same verb, the line joins the hint's block (a lone line is turned
    /// into a block first); with a hint of another verb it goes right after the hint's
    /// statement; with no hint at all it is appended to the file.
    ///
    /// `searchWhenNil` false reproduces x/mod's `AddExclude` and `addReplace`, which pass a nil
    /// `*Line` as the `Expr` hint: a non-nil interface, so no hint is searched for and the
    /// line is appended to the end of the file.
    mutating func addLine(hint hintIn: Hint?, _ tokens: [[UInt8]], searchWhenNil: Bool = true) -> Int {
        var hint = hintIn
        let verb = tokens[0][...]
        if hint == nil && searchWhenNil {
            for stmt in stmts.reversed() {
                switch stmt {
                case .line(let id):
                    let l = lineNodes[id]
                    if !l.removed && !l.tokens.isEmpty && l.tokens[0].elementsEqual(verb) {
                        hint = .line(id)
                    }
                case .block(let id):
                    if blockNodes[id].tokens[0].elementsEqual(verb) { hint = .block(id) }
                case .comments:
                    break
                }
                if hint != nil { break }
            }
        }

        func newLineAfter(_ i: Int, _ syntax: inout GoModSyntax) -> Int {
            let id = syntax.newLine(LineNode(tokens: TokenList(tokens)))
            syntax.stmts.insert(.line(id), at: i + 1)
            return id
        }

        if let hint {
            for i in stmts.indices {
                switch stmts[i] {
                case .line(let id):
                    guard hint == .line(id) else { continue }
                    let l = lineNodes[id]
                    if l.removed || l.tokens.isEmpty || !l.tokens[0].elementsEqual(verb) {
                        return newLineAfter(i, &self)
                    }
                    // Turn the line into a block.
                    lineNodes[id].inBlock = true
                    var block = BlockNode()
                    block.tokens = TokenList([Array(l.tokens[0])])
                    lineNodes[id].tokens = l.tokens.dropping(first: 1)
                    let new = newLine(LineNode(tokens: TokenList(Array(tokens.dropFirst())), inBlock: true))
                    block.lines = [id, new]
                    stmts[i] = .block(newBlock(block))
                    return new
                case .block(let bid):
                    let sameVerb = blockNodes[bid].tokens[0].elementsEqual(verb)
                    if hint == .block(bid) {
                        if !sameVerb { return newLineAfter(i, &self) }
                        let new = newLine(LineNode(tokens: TokenList(Array(tokens.dropFirst())), inBlock: true))
                        blockNodes[bid].lines.append(new)
                        return new
                    }
                    if case .line(let hid) = hint, let j = blockNodes[bid].lines.firstIndex(of: hid) {
                        if !sameVerb { return newLineAfter(i, &self) }
                        let new = newLine(LineNode(tokens: TokenList(Array(tokens.dropFirst())), inBlock: true))
                        blockNodes[bid].lines.insert(new, at: j + 1)
                        return new
                    }
                case .comments:
                    continue
                }
            }
        }
        let id = newLine(LineNode(tokens: TokenList(tokens)))
        stmts.append(.line(id))
        return id
    }

    /// x/mod's `FileSyntax.updateLine`: replaces a line's tokens (without the verb inside a
    /// block).
    mutating func updateLine(_ id: Int, _ tokens: [[UInt8]]) {
        let list = lineNodes[id].inBlock ? Array(tokens.dropFirst()) : tokens
        lineNodes[id].tokens = TokenList(list)
        lineNodes[id].removed = false
    }

    /// x/mod's `Line.markRemoved`: the line and its end-of-line comment go at the next
    /// ``cleanUp()``.
    mutating func markRemoved(_ id: Int) {
        lineNodes[id].tokens = TokenList()
        lineNodes[id].removed = true
        lineNodes[id].comments.suffix = []
    }

    /// x/mod's `FileSyntax.Cleanup`: drops removed lines and empty blocks, and turns a block
    /// left with one line (and no comment before its `)`) back into a single line, keeping that
    /// line's identity and merging the block's comments into it.
    mutating func cleanUp() {
        var kept: [Stmt] = []
        kept.reserveCapacity(stmts.count)
        for stmt in stmts {
            switch stmt {
            case .line(let id):
                if lineNodes[id].removed { continue }
            case .block(let bid):
                let live = blockNodes[bid].lines.filter { !lineNodes[$0].removed }
                if live.isEmpty { continue }
                let b = blockNodes[bid]
                if live.count == 1 && b.rparen.comments.before.isEmpty {
                    let id = live[0]
                    let l = lineNodes[id]
                    lineNodes[id] = LineNode(
                        comments: Comments(before: b.comments.before + l.comments.before,
                                           suffix: l.comments.suffix + b.comments.suffix,
                                           after: l.comments.after + b.comments.after),
                        tokens: b.tokens.appending(l.tokens))
                    kept.append(.line(id))
                    continue
                }
                blockNodes[bid].lines = live
            case .comments:
                break
            }
            kept.append(stmt)
        }
        stmts = kept
    }

    /// The statement-level part of x/mod's `removeDups`: drops the killed lines, and every
    /// block left without lines (even one that was empty to begin with).
    mutating func dropLines(_ killed: Set<Int>) {
        var kept: [Stmt] = []
        kept.reserveCapacity(stmts.count)
        for stmt in stmts {
            switch stmt {
            case .line(let id):
                if killed.contains(id) { continue }
            case .block(let bid):
                if !killed.isEmpty {
                    blockNodes[bid].lines.removeAll { killed.contains($0) }
                }
                if blockNodes[bid].lines.isEmpty { continue }
            case .comments:
                break
            }
            kept.append(stmt)
        }
        stmts = kept
    }

    /// Sorts the lines of every block stably with `compare` chosen per block verb
    /// (x/mod's `SortBlocks` loop).
    mutating func sortBlocks(_ comparator: (TokenList) -> ((LineNode, LineNode) -> Int)) {
        for stmt in stmts {
            guard case .block(let bid) = stmt else { continue }
            let compare = comparator(blockNodes[bid].tokens)
            let ids = blockNodes[bid].lines
            guard ids.count > 1 else { continue }
            let nodes = ids.map { lineNodes[$0] }
            // Stable: ties keep their order.
            let order = ids.indices.sorted { a, b in
                let c = compare(nodes[a], nodes[b])
                return c != 0 ? c < 0 : a < b
            }
            blockNodes[bid].lines = order.map { ids[$0] }
        }
    }
}
