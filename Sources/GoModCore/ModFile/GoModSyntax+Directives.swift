/// Edits shared by go.mod and go.work: the single-line `go` / `toolchain` directives and the
/// `godebug` lines (x/mod's `File` and `WorkFile` implement them the same way; only where a
/// new `go` or `toolchain` line goes differs, so the caller says that).
extension GoModSyntax {
    /// Removes the line `entry` tracks when `value` is `nil`; else updates it in place, or adds
    /// `verb value` at the statement index `insert` returns (a new line, via `insert`).
    mutating func setSingleLine(_ entry: inout GoMod.VersionEntry?, verb: String, value: ByteString?,
                                insert: (inout GoModSyntax, [[UInt8]]) -> Int) {
        guard let value else {
            if let e = entry { markRemoved(e.line) }
            entry = nil
            return
        }
        let tokens = [Array(verb.utf8), value.bytes]
        if let e = entry {
            entry?.value = value
            updateLine(e.line, tokens)
        } else {
            entry = GoMod.VersionEntry(value: value, line: insert(&self, tokens))
        }
    }

    /// x/mod's `AddGodebug`: the first line for `key` is updated (its comments kept), other
    /// lines for `key` are removed, and a missing key is added at the end of the last godebug
    /// block. Entries an edit cleared (`line == nil`) are skipped, where x/mod would
    /// dereference nil.
    mutating func setGodebug(_ entries: inout [GoMod.GodebugEntry], key: ByteString, value: ByteString) {
        let tokens = [Array("godebug".utf8), key.bytes + [UInt8(ascii: "=")] + value.bytes]
        var need = true
        for k in entries.indices where entries[k].key == key {
            guard let line = entries[k].line else { continue }
            if need {
                entries[k].value = value
                updateLine(line, tokens)
                need = false
            } else {
                markRemoved(line)
                entries[k] = GoMod.GodebugEntry(key: "", value: "", line: nil)
            }
        }
        if need {
            entries.append(GoMod.GodebugEntry(key: key, value: value, line: addLine(hint: nil, tokens)))
        }
    }

    /// x/mod's `DropGodebug`: removes every line for `key`.
    mutating func dropGodebug(_ entries: inout [GoMod.GodebugEntry], key: ByteString) {
        for k in entries.indices where entries[k].key == key {
            guard let line = entries[k].line else { continue }
            markRemoved(line)
            entries[k] = GoMod.GodebugEntry(key: "", value: "", line: nil)
        }
    }
}
