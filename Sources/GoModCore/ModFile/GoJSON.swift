/// A small JSON tree printed exactly as Go 1.27's `json.MarshalIndent(v, "", "\t")` prints
/// structs of strings and booleans (encoding/json on its v2 engine): keys in field order, a tab
/// per level, `<`, `>` and `&` escaped as `\u003c`…, U+2028 and U+2029 escaped, each invalid
/// UTF-8 byte replaced by U+FFFD, control characters as `\n`, `\t`, … or `\u00XX`.
package indirect enum GoJSON {
    case string(ByteString)
    case bool(Bool)
    case object([(String, GoJSON)])
    case array([GoJSON])

    /// The indented text, without a trailing newline.
    package func encoded() -> [UInt8] {
        var out: [UInt8] = []
        write(&out, depth: 0)
        return out
    }

    /// The compact text (Go's `json.Marshal`: no white space, keys in the given order).
    package func compactEncoded() -> [UInt8] {
        var out: [UInt8] = []
        writeCompact(&out)
        return out
    }

    private func writeCompact(_ out: inout [UInt8]) {
        switch self {
        case .string(let s): Self.appendString(&out, s.bytes)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .object(let fields):
            out.append(0x7B)
            for (k, (key, value)) in fields.enumerated() {
                if k > 0 { out.append(0x2C) }
                Self.appendString(&out, Array(key.utf8))
                out.append(0x3A)
                value.writeCompact(&out)
            }
            out.append(0x7D)
        case .array(let items):
            out.append(0x5B)
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(0x2C) }
                item.writeCompact(&out)
            }
            out.append(0x5D)
        }
    }

    private func indent(_ out: inout [UInt8], _ depth: Int) {
        out.append(0x0A)
        for _ in 0..<depth { out.append(0x09) }
    }

    private func write(_ out: inout [UInt8], depth: Int) {
        switch self {
        case .string(let s): Self.appendString(&out, s.bytes)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .object(let fields):
            guard !fields.isEmpty else { out += [0x7B, 0x7D]; return }
            out.append(0x7B)
            for (k, (key, value)) in fields.enumerated() {
                if k > 0 { out.append(0x2C) }
                indent(&out, depth + 1)
                Self.appendString(&out, Array(key.utf8))
                out += [0x3A, 0x20]
                value.write(&out, depth: depth + 1)
            }
            indent(&out, depth)
            out.append(0x7D)
        case .array(let items):
            guard !items.isEmpty else { out += [0x5B, 0x5D]; return }
            out.append(0x5B)
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(0x2C) }
                indent(&out, depth + 1)
                item.write(&out, depth: depth + 1)
            }
            indent(&out, depth)
            out.append(0x5D)
        }
    }

    /// jsonwire's `AppendQuote` with `EscapeForHTML`, `EscapeForJS` and `AllowInvalidUTF8`.
    package static func appendString(_ out: inout [UInt8], _ s: [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(0x22)
        var i = 0
        let slice = s[...]
        while i < s.count {
            let c = s[i]
            if c < 0x80 {
                i += 1
                switch c {
                case 0x22, 0x5C: out += [0x5C, c]
                case 0x08: out += [0x5C, UInt8(ascii: "b")]
                case 0x0C: out += [0x5C, UInt8(ascii: "f")]
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x0D: out += [0x5C, UInt8(ascii: "r")]
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                case 0..<0x20, 0x3C, 0x3E, 0x26:
                    out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]]
                default: out.append(c)
                }
                continue
            }
            let (rune, width, valid) = goDecodeRune(slice, at: i)
            if !valid {
                out += [0xEF, 0xBF, 0xBD]
            } else if rune == 0x2028 || rune == 0x2029 {
                out += Array("\\u202".utf8) + [hex[Int(rune & 0xF)]]
            } else {
                out += s[i..<(i + width)]
            }
            i += width
        }
        out.append(0x22)
    }
}

extension GoJSON {
    /// A `module.Version` as cmd/go's edit JSON writes it: `Path`, and `Version` when not empty.
    static func module(_ m: ModuleVersion) -> GoJSON {
        var fields: [(String, GoJSON)] = [("Path", .string(m.path))]
        if !m.version.isEmpty { fields.append(("Version", .string(m.version))) }
        return .object(fields)
    }

    /// The fields go.mod's and go.work's edit JSON share, in cmd/go's order: `Go` and `Toolchain`
    /// when set, then the godebug list under `godebugKey` (`GoDebug` for go.mod, `Godebug` for
    /// go.work, as cmd/go spells them) when not empty.
    static func goFields(go: GoMod.VersionEntry?, toolchain: GoMod.VersionEntry?, godebugKey: String,
                         godebug: [GoMod.GodebugEntry]) -> [(String, GoJSON)] {
        var fields: [(String, GoJSON)] = []
        if let g = go?.value, !g.isEmpty { fields.append(("Go", .string(g))) }
        if let t = toolchain?.value, !t.isEmpty { fields.append(("Toolchain", .string(t))) }
        if !godebug.isEmpty {
            fields.append((godebugKey, .array(godebug.map {
                .object([("Key", .string($0.key)), ("Value", .string($0.value))])
            })))
        }
        return fields
    }

    /// The `Replace` list of the edit JSON: `Old` and `New` per entry.
    static func replaceList(_ entries: [GoMod.ReplaceEntry]) -> GoJSON {
        .array(entries.map { .object([("Old", module($0.old)), ("New", module($0.new))]) })
    }
}

extension GoMod {
    /// What `go mod edit -json` prints for this file after the edits made so far (cmd/go's
    /// `editPrintJSON` after `SortBlocks` and `Cleanup`), byte for byte, with the trailing newline.
    ///
    /// This follows x/mod's bookkeeping, quirks included: a retraction added by
    /// ``addRetract(low:high:rationale:)`` is not listed, and a dropped `tool` or `ignore`
    /// directive appears as an entry with an empty path (x/mod's `Cleanup` keeps it) unless
    /// several were dropped. The field `GoDebug` is spelled as cmd/go spells it.
    public func editJSON() -> [UInt8] {
        var f = self
        f.cleanUp()
        var fields: [(String, GoJSON)] = []
        var mod: [(String, GoJSON)] = [("Path", .string(f.moduleEntry?.path ?? ""))]
        if let d = f.moduleEntry?.deprecated, !d.isEmpty { mod.append(("Deprecated", .string(d))) }
        fields.append(("Module", .object(mod)))
        fields += GoJSON.goFields(go: f.goEntry, toolchain: f.toolchainEntry, godebugKey: "GoDebug",
                                  godebug: f.godebugEntries)
        if !f.requireEntries.isEmpty {
            fields.append(("Require", .array(f.requireEntries.map { r in
                var o: [(String, GoJSON)] = [("Path", .string(r.mod.path))]
                if !r.mod.version.isEmpty { o.append(("Version", .string(r.mod.version))) }
                if r.indirect { o.append(("Indirect", .bool(true))) }
                return .object(o)
            })))
        }
        if !f.excludeEntries.isEmpty { fields.append(("Exclude", .array(f.excludeEntries.map { GoJSON.module($0.mod) }))) }
        if !f.replaceEntries.isEmpty { fields.append(("Replace", GoJSON.replaceList(f.replaceEntries))) }
        if !f.retractEntries.isEmpty {
            fields.append(("Retract", .array(f.retractEntries.map { r in
                var o: [(String, GoJSON)] = []
                if !r.low.isEmpty { o.append(("Low", .string(r.low))) }
                if !r.high.isEmpty { o.append(("High", .string(r.high))) }
                if !r.rationale.isEmpty { o.append(("Rationale", .string(r.rationale))) }
                return .object(o)
            })))
        }
        if !f.toolEntries.isEmpty { fields.append(("Tool", .array(f.toolEntries.map { .object([("Path", .string($0.path))]) }))) }
        if !f.ignoreEntries.isEmpty {
            fields.append(("Ignore", .array(f.ignoreEntries.map { .object([("Path", .string($0.path))]) })))
        }
        return GoJSON.object(fields).encoded() + [0x0A]
    }

    /// The file as `go mod edit -fmt` writes it (or `go mod edit -print` after the edits made
    /// so far): x/mod's `Format` after `SortBlocks` and `Cleanup` on a copy.
    public func formatted() -> [UInt8] {
        var f = self
        f.cleanUp()
        return f.syntax.formatted()
    }
}
