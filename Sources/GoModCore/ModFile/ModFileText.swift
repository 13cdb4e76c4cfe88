/// Byte-level text helpers with the exact semantics of the Go functions x/mod's modfile
/// package calls (`strings.TrimSpace`, `strings.Fields`, `strconv.Unquote`, its regular
/// expressions, `MustQuote`, `AutoQuote`, `IsDirectoryPath`). Everything works on raw bytes:
/// invalid UTF-8 decodes as U+FFFD of width 1, as in Go.
enum ModFileText {
    static let slashSlash: [UInt8] = [0x2F, 0x2F]
    static let slashStar: [UInt8] = [0x2F, 0x2A]

    /// Whether `s` holds exactly the ASCII text `literal` (a plain loop: hot in parsing).
    @inline(__always)
    static func equal(_ s: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        guard s.count == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { lit in
            var i = s.startIndex, j = 0
            while j < lit.count {
                if s[i] != lit[j] { return false }
                i += 1
                j += 1
            }
            return true
        }
    }

    // MARK: - strings.TrimSpace / strings.Fields

    /// The width of the `unicode.IsSpace` rune at `i`, or 0 when the rune there is not space.
    @inline(__always)
    static func spaceWidth(_ s: ArraySlice<UInt8>, at i: Int) -> Int {
        let b = s[i]
        if b < 0x80 {
            return (b == 0x20 || (b >= 0x09 && b <= 0x0D)) ? 1 : 0
        }
        let (rune, width, valid) = goDecodeRune(s, at: i)
        return valid && goIsSpace(rune) ? width : 0
    }

    /// The width of a `unicode.IsSpace` rune ending exactly at `end` (what Go's
    /// `utf8.DecodeLastRune` would find there), or 0.
    @inline(__always)
    static func trailingSpaceWidth(_ s: ArraySlice<UInt8>, end: Int) -> Int {
        let b = s[end - 1]
        if b < 0x80 {
            return (b == 0x20 || (b >= 0x09 && b <= 0x0D)) ? 1 : 0
        }
        // Every non-ASCII space rune is 2 or 3 bytes long; DecodeLastRune finds it exactly when
        // those bytes are its valid encoding.
        for width in [2, 3] where end - width >= s.startIndex {
            let (rune, w, valid) = goDecodeRune(s, at: end - width)
            if valid && w == width { return goIsSpace(rune) ? width : 0 }
        }
        return 0
    }

    /// Go's `strings.TrimSpace`.
    static func trimSpace(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = s.startIndex, end = s.endIndex
        while start < end {
            let w = spaceWidth(s, at: start)
            if w == 0 { break }
            start += w
        }
        while end > start {
            let w = trailingSpaceWidth(s[start..<end], end: end)
            if w == 0 { break }
            end -= w
        }
        return s[start..<end]
    }

    /// Go's `strings.Fields`: the runs of non-space runes.
    static func fields(_ s: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var i = s.startIndex
        var start: Int? = nil
        while i < s.endIndex {
            let w = spaceWidth(s, at: i)
            if w > 0 {
                if let st = start { out.append(s[st..<i]); start = nil }
                i += w
            } else {
                if start == nil { start = i }
                i += s[i] < 0x80 ? 1 : goDecodeRune(s, at: i).width
            }
        }
        if let st = start { out.append(s[st..<s.endIndex]) }
        return out
    }

    /// `strings.TrimPrefix(s, "//")`.
    static func trimSlashSlash(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        s.starts(with: slashSlash) ? s.dropFirst(2) : s
    }

    /// Go's `strings.Index`.
    static func index(_ s: ArraySlice<UInt8>, _ needle: [UInt8]) -> Int? {
        guard !needle.isEmpty else { return s.startIndex }
        guard s.count >= needle.count else { return nil }
        let first = needle[0]
        var i = s.startIndex
        let last = s.endIndex - needle.count
        while i <= last {
            if s[i] == first && s[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Go's `strings.Contains`.
    static func contains(_ s: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool { index(s, needle) != nil }

    // MARK: - strconv.Unquote

    /// Go's `strconv.Unquote` for `"…"`, `` `…` `` and `'…'` literals; `nil` for Go's
    /// `ErrSyntax`. Invalid UTF-8 inside an interpreted string becomes U+FFFD (Go's escape
    /// path re-encodes each undecodable byte as `utf8.RuneError`); `\xNN` escapes give raw bytes.
    static func unquote(_ s: ArraySlice<UInt8>) -> [UInt8]? {
        guard s.count >= 2 else { return nil }
        let quote = s[s.startIndex]
        let body = s.dropFirst()
        guard let endRel = body.firstIndex(of: quote) else { return nil }
        let end = endRel + 1  // index after the terminating quote (optimistic)
        switch quote {
        case UInt8(ascii: "`"):
            guard end == s.endIndex else { return nil }
            return s[(s.startIndex + 1)..<(end - 1)].filter { $0 != 0x0D }
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let literal = s[s.startIndex..<end]
            if !literal.contains(UInt8(ascii: "\\")) && !literal.contains(0x0A) {
                let inner = s[(s.startIndex + 1)..<(end - 1)]
                var valid: Bool
                if quote == UInt8(ascii: "\"") {
                    valid = isValidUTF8(inner)
                } else if inner.isEmpty {
                    valid = false
                } else {
                    let (_, n, ok) = goDecodeRune(inner, at: inner.startIndex)
                    valid = n == inner.count && ok
                }
                if valid {
                    return end == s.endIndex ? Array(inner) : nil
                }
            }
            var out: [UInt8] = []
            out.reserveCapacity(s.count)
            var i = s.startIndex + 1
            while i < s.endIndex && s[i] != quote {
                guard s[i] != 0x0A, let (value, multibyte, next) = unquoteChar(s, at: i, quote: quote) else {
                    return nil
                }
                i = next
                if value < 0x80 || !multibyte {
                    out.append(UInt8(truncatingIfNeeded: value))
                } else {
                    appendUTF8(&out, value)
                }
                if quote == UInt8(ascii: "'") { break }
            }
            guard i < s.endIndex && s[i] == quote else { return nil }
            guard i + 1 == s.endIndex else { return nil }
            return out
        default:
            return nil
        }
    }

    /// Go's `strconv.UnquoteChar` at `i`: the value, whether it is a multi-byte rune, and the
    /// index after it; `nil` for `ErrSyntax`.
    static func unquoteChar(_ s: ArraySlice<UInt8>, at i: Int, quote: UInt8) -> (UInt32, Bool, Int)? {
        let c = s[i]
        if c == quote && (quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")) { return nil }
        if c >= 0x80 {
            let (rune, width, _) = goDecodeRune(s, at: i)
            return (rune, true, i + width)
        }
        if c != UInt8(ascii: "\\") { return (UInt32(c), false, i + 1) }
        guard i + 1 < s.endIndex else { return nil }
        let e = s[i + 1]
        var j = i + 2
        switch e {
        case UInt8(ascii: "a"): return (0x07, false, j)
        case UInt8(ascii: "b"): return (0x08, false, j)
        case UInt8(ascii: "f"): return (0x0C, false, j)
        case UInt8(ascii: "n"): return (0x0A, false, j)
        case UInt8(ascii: "r"): return (0x0D, false, j)
        case UInt8(ascii: "t"): return (0x09, false, j)
        case UInt8(ascii: "v"): return (0x0B, false, j)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let n = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
            guard s.endIndex - j >= n else { return nil }
            var v: UInt32 = 0
            for k in 0..<n {
                guard let x = hexValue(s[j + k]) else { return nil }
                v = v << 4 | x
            }
            j += n
            if e == UInt8(ascii: "x") { return (v, false, j) }
            guard v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v) else { return nil }
            return (v, true, j)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var v = UInt32(e - UInt8(ascii: "0"))
            guard s.endIndex - j >= 2 else { return nil }
            for k in 0..<2 {
                let d = s[j + k]
                guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "7") else { return nil }
                v = v << 3 | UInt32(d - UInt8(ascii: "0"))
            }
            j += 2
            guard v <= 255 else { return nil }
            return (v, false, j)
        case UInt8(ascii: "\\"): return (UInt32(e), false, j)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            guard e == quote else { return nil }
            return (UInt32(e), false, j)
        default:
            return nil
        }
    }

    private static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Go's `utf8.AppendRune` for a valid rune.
    static func appendUTF8(_ out: inout [UInt8], _ r: UInt32) {
        switch r {
        case 0..<0x80: out.append(UInt8(r))
        case 0x80..<0x800:
            out.append(0xC0 | UInt8(r >> 6))
            out.append(0x80 | UInt8(r & 0x3F))
        case 0x800..<0x10000:
            out.append(0xE0 | UInt8(r >> 12))
            out.append(0x80 | UInt8((r >> 6) & 0x3F))
            out.append(0x80 | UInt8(r & 0x3F))
        default:
            out.append(0xF0 | UInt8(r >> 18))
            out.append(0x80 | UInt8((r >> 12) & 0x3F))
            out.append(0x80 | UInt8((r >> 6) & 0x3F))
            out.append(0x80 | UInt8(r & 0x3F))
        }
    }

    // MARK: - Quoting (modfile.MustQuote / AutoQuote)

    /// x/mod's `MustQuote`: whether `s` needs quoting to be one token in a go.mod line.
    static func mustQuote(_ s: ArraySlice<UInt8>) -> Bool {
        if s.isEmpty { return true }
        let long = s.count > 1
        var i = s.startIndex
        let end = s.endIndex
        while i < end {
            let b = s[i]
            if b < 0x80 {
                switch b {
                case 0x20, 0x22, 0x27, 0x60: return true  // space " ' `
                case 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2C:  // ( ) [ ] { } ,
                    if long { return true }
                case 0x2F:
                    // strings.Contains(s, "//") || strings.Contains(s, "/*")
                    if i + 1 < end && (s[i + 1] == 0x2F || s[i + 1] == 0x2A) { return true }
                default:
                    if b < 0x20 || b == 0x7F { return true }
                }
                i += 1
                continue
            }
            let (rune, width, _) = goDecodeRune(s, at: i)
            // An invalid byte ranges as U+FFFD, which is printable.
            if let scalar = Unicode.Scalar(rune), !goIsPrint(scalar) { return true }
            i += width
        }
        return false
    }

    /// x/mod's `AutoQuote`: `s`, or Go's `strconv.Quote(s)` when ``mustQuote(_:)``.
    static func autoQuote(_ s: ArraySlice<UInt8>) -> [UInt8] {
        mustQuote(s) ? Array(goQuote(s).utf8) : Array(s)
    }

    // MARK: - Regular expressions of rule.go

    /// Whether `v` matches `GoVersionRE`:
    /// `^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$`.
    static func isGoVersion(_ v: ArraySlice<UInt8>) -> Bool {
        var i = v.startIndex
        guard let afterMajor = number(v, from: i, allowZero: false), afterMajor < v.endIndex,
              v[afterMajor] == UInt8(ascii: ".") else { return false }
        i = afterMajor + 1
        guard let afterMinor = number(v, from: i, allowZero: true) else { return false }
        i = afterMinor
        if i < v.endIndex && v[i] == UInt8(ascii: ".") {
            guard let afterPatch = number(v, from: i + 1, allowZero: true) else { return false }
            i = afterPatch
        }
        if i == v.endIndex { return true }
        var j = i
        while j < v.endIndex && v[j] >= UInt8(ascii: "a") && v[j] <= UInt8(ascii: "z") { j += 1 }
        guard j > i else { return false }
        let digits = j
        while j < v.endIndex && isASCIIDigit(v[j]) { j += 1 }
        return j > digits && j == v.endIndex
    }

    /// `(0|[1-9][0-9]*)` (or `[1-9][0-9]*` when `allowZero` is false) starting at `i`: the
    /// index after the longest match, or `nil`.
    private static func number(_ v: ArraySlice<UInt8>, from i: Int, allowZero: Bool) -> Int? {
        guard i < v.endIndex, isASCIIDigit(v[i]) else { return nil }
        if v[i] == UInt8(ascii: "0") { return allowZero ? i + 1 : nil }
        var j = i + 1
        while j < v.endIndex && isASCIIDigit(v[j]) { j += 1 }
        return j
    }

    /// The `1.N` part of a version matching `laxGoVersionRE`
    /// (`^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$`), or `nil`. `[^0-9]` matches any rune,
    /// a newline included; `.` matches anything but a newline.
    static func laxGoVersion(_ v: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var i = v.startIndex
        if i < v.endIndex && v[i] == UInt8(ascii: "v") { i += 1 }
        let start = i
        guard let afterMajor = number(v, from: i, allowZero: false), afterMajor < v.endIndex,
              v[afterMajor] == UInt8(ascii: ".") else { return nil }
        guard let afterMinor = number(v, from: afterMajor + 1, allowZero: true), afterMinor < v.endIndex,
              !isASCIIDigit(v[afterMinor]) else { return nil }
        let firstWidth = v[afterMinor] < 0x80 ? 1 : goDecodeRune(v, at: afterMinor).width
        guard !v[(afterMinor + firstWidth)...].contains(0x0A) else { return nil }
        return v[start..<afterMinor]
    }

    /// A fast path for the usual version spelling: `vMAJOR.MINOR.PATCH`, optionally with a
    /// `-prerelease` of dot-separated alphanumeric identifiers (numeric ones without leading
    /// zeros) and no build suffix. Such a version is valid semver and already canonical
    /// (`module.CanonicalVersion` returns it unchanged); `false` only means "take the full path".
    static func isSimpleCanonical(_ v: ArraySlice<UInt8>) -> Bool {
        var i = v.startIndex
        let end = v.endIndex
        guard i < end, v[i] == 0x76 else { return false }  // "v"
        i += 1
        for part in 0..<3 {
            // 0 | [1-9][0-9]*
            guard i < end, v[i] >= 0x30 && v[i] <= 0x39 else { return false }
            if v[i] == 0x30 {
                i += 1
            } else {
                while i < end && v[i] >= 0x30 && v[i] <= 0x39 { i += 1 }
            }
            if part < 2 {
                guard i < end, v[i] == 0x2E else { return false }  // "."
                i += 1
            }
        }
        if i == end { return true }
        guard v[i] == 0x2D else { return false }  // "-"
        i += 1
        while true {
            let start = i
            var numeric = true
            while i < end, v[i] != 0x2E {
                let c = v[i]
                if c >= 0x30 && c <= 0x39 {
                } else if (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D {
                    numeric = false
                } else {
                    return false
                }
                i += 1
            }
            guard i > start else { return false }
            if numeric && i - start > 1 && v[start] == 0x30 { return false }
            if i == end { return true }
            i += 1
        }
    }

    /// Whether `name` matches `ToolchainRE` (`^default$|^go1($|\.)`).
    static func isToolchainName(_ name: ArraySlice<UInt8>) -> Bool {
        if name.elementsEqual("default".utf8) { return true }
        guard name.starts(with: "go1".utf8) else { return false }
        return name.count == 3 || name[name.startIndex + 3] == UInt8(ascii: ".")
    }

    /// x/mod's `IsDirectoryPath`: `.`, `..`, or starting with `./`, `.\`, `../`, `..\`, `/`,
    /// `\` or a drive letter and colon.
    static func isDirectoryPath(_ ns: ArraySlice<UInt8>) -> Bool {
        func has(_ p: String) -> Bool { ns.starts(with: p.utf8) }
        if ns.elementsEqual(".".utf8) || ns.elementsEqual("..".utf8) { return true }
        if has("./") || has(".\\") || has("../") || has("..\\") || has("/") || has("\\") { return true }
        return ns.count >= 2 && isASCIILetter(ns[ns.startIndex]) && ns[ns.startIndex + 1] == UInt8(ascii: ":")
    }

    /// The message of x/mod's `deprecatedRE` (`(?s)(?:^|\n\n)Deprecated: *(.*?)(?:$|\n\n)`)
    /// applied to a directive comment text, or `nil` when there is no match.
    static func deprecation(_ text: [UInt8]) -> [UInt8]? {
        let marker = Array("Deprecated:".utf8)
        let n = text.count
        var start: Int? = nil
        if text.starts(with: marker) {
            start = marker.count
        } else {
            var p = 0
            while p + 2 + marker.count <= n {
                if text[p] == 0x0A && text[p + 1] == 0x0A && text[(p + 2)..<(p + 2 + marker.count)].elementsEqual(marker) {
                    start = p + 2 + marker.count
                    break
                }
                p += 1
            }
        }
        guard var i = start else { return nil }
        while i < n && text[i] == 0x20 { i += 1 }
        var q = i
        while q < n && !(q + 1 < n && text[q] == 0x0A && text[q + 1] == 0x0A) { q += 1 }
        return Array(text[i..<q])
    }
}
