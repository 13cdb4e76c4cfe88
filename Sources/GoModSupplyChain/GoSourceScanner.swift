import GoModCore
import Crypto

/// What a lexical pass over one Go source file finds: enough to tell whether two versions of a
/// file differ in ways that matter for supply-chain review. Bytes-based, comment- and
/// string-aware, never parses beyond tokens (so any input, valid Go or not, is scanned in linear
/// time without recursion).
struct GoSourceFacts: Sendable, Hashable {
    /// Import paths (interpreted string literals unquoted), in order, from top-level `import`
    /// declarations.
    var imports: [ByteString] = []
    /// SHA-256 of each top-level `func init()` body's token stream (comments and layout removed).
    var initBodies: [[UInt8]] = []
    /// `//go:linkname` directive lines, trimmed.
    var linknames: [ByteString] = []
    /// `//go:generate` directive lines, trimmed.
    var generates: [ByteString] = []
    /// Build constraints: `//go:build` and `// +build` lines, trimmed.
    var buildConstraints: [ByteString] = []
    /// Other `//go:` and `//export` directives (`//go:cgo_*`, `//go:embed`, ...), trimmed.
    var otherDirectives: [ByteString] = []
    /// SHA-256 of the comment block directly before `import "C"` (the cgo preamble), if any.
    var cgoPreamble: [UInt8]?
    /// Literals that look like encoded payloads: long base64 or hex runs inside string
    /// literals, or long runs of integer literals (byte-slice blobs). Each is a short
    /// description with its length.
    var blobs: [ByteString] = []
    /// SHA-256 of the whole token stream without comments (newlines collapsed): equal for two
    /// files that differ only in comments and spacing within lines.
    var codeFingerprint: [UInt8] = []

    /// The shortest base64 run reported as an encoded blob.
    static let minBase64Run = 120
    /// The shortest hex run reported as an encoded blob.
    static let minHexRun = 96
    /// The fewest consecutive integer literals reported as a byte-slice blob.
    static let minIntegerRun = 128

    /// Scans `source`.
    init(scanning source: [UInt8]) {
        var scanner = GoScanner(source)
        var code = SHA256()
        var depth = 0
        var lastComment: (start: Int, end: Int)?
        var commentRunEnd = -1
        var pendingNewline = false
        var tokensOnLine = 0
        // Import parsing state.
        enum ImportState { case none, afterKeyword, inGroup }
        var importState = ImportState.none
        var importHasCgoPreamble: [UInt8]?
        // init() detection state: 0 none, 1 saw `func` at depth 0, 2 saw `init`, 3 saw `(`, 4 saw `)`.
        var initState = 0
        var initBody: SHA256?
        var integerRun = 0

        while let token = scanner.next() {
            switch token.kind {
            case .comment:
                let text = Array(source[token.start..<token.end])
                if text.starts(with: [0x2F, 0x2F]) {
                    let line = ByteString(trimASCIISpace(text))
                    if line.hasPrefix("//go:linkname") { linknames.append(line) }
                    else if line.hasPrefix("//go:generate") { generates.append(line) }
                    else if line.hasPrefix("//go:build") || isPlusBuild(text) { buildConstraints.append(line) }
                    else if line.hasPrefix("//go:") || line.hasPrefix("//export ") { otherDirectives.append(line) }
                }
                if let previous = lastComment, commentRunEnd >= 0, onlySpace(source, commentRunEnd, token.start) {
                    lastComment = (previous.start, token.end)
                } else {
                    lastComment = (token.start, token.end)
                }
                commentRunEnd = token.end
                continue
            case .newline:
                if tokensOnLine > 0 { pendingNewline = true }
                tokensOnLine = 0
                continue
            default:
                break
            }
            let text = source[token.start..<token.end]
            if pendingNewline { code.update(data: [0x0A]); pendingNewline = false }
            code.update(data: Array(text)); code.update(data: [0x00])
            tokensOnLine += 1
            let precedingComment = lastComment.flatMap { c in onlySpace(source, c.end, token.start) ? c : nil }
            lastComment = nil
            commentRunEnd = -1

            // Blobs.
            if token.kind == .integer {
                integerRun += 1
                if integerRun == Self.minIntegerRun {
                    blobs.append(ByteString("\(Self.minIntegerRun)+ integer literals in a row (byte-slice data)"))
                }
            } else if !(token.kind == .operator && text.elementsEqual([0x2C])) {
                integerRun = 0
            }
            if token.kind == .string { scanBlobs(text) }

            // Braces and init bodies.
            if token.kind == .operator, text.count == 1 {
                if text.first == 0x7B { // {
                    depth += 1
                    if initState == 4 && depth == 1 { initBody = SHA256(); initState = 0; continue }
                } else if text.first == 0x7D { // }
                    depth = max(0, depth - 1)
                    if let body = initBody, depth == 0 {
                        initBodies.append(Array(body.finalize()))
                        initBody = nil
                        continue
                    }
                }
            }
            if var body = initBody {
                body.update(data: Array(text)); body.update(data: [0x00])
                initBody = body
                continue
            }
            if depth == 0 {
                switch (initState, token.kind) {
                case (0, .identifier) where text.elementsEqual("func".utf8): initState = 1
                case (1, .identifier) where text.elementsEqual("init".utf8): initState = 2
                case (2, .operator) where text.elementsEqual([0x28]): initState = 3
                case (3, .operator) where text.elementsEqual([0x29]): initState = 4
                default: initState = (token.kind == .identifier && text.elementsEqual("func".utf8)) ? 1 : 0
                }
            }

            // Imports (top level only).
            if depth == 0 {
                switch importState {
                case .none:
                    if token.kind == .identifier && text.elementsEqual("import".utf8) {
                        importState = .afterKeyword
                        importHasCgoPreamble = precedingComment.map { c in Array(SHA256.hash(data: Array(source[c.start..<c.end]))) }
                    }
                case .afterKeyword:
                    if token.kind == .operator && text.elementsEqual([0x28]) {
                        importState = .inGroup
                    } else if token.kind == .string {
                        let path = ByteString(unquoteGoString(Array(text)))
                        imports.append(path)
                        if path == "C" { cgoPreamble = importHasCgoPreamble }
                        importState = .none
                    } else if token.kind != .identifier && !(token.kind == .operator && text.elementsEqual([0x2E])) {
                        importState = .none
                    }
                case .inGroup:
                    if token.kind == .string {
                        imports.append(ByteString(unquoteGoString(Array(text))))
                    } else if token.kind == .operator && text.elementsEqual([0x29]) {
                        importState = .none
                    }
                }
            }
        }
        if pendingNewline { code.update(data: [0x0A]) }
        codeFingerprint = Array(code.finalize())
    }

    /// Records long base64/hex runs inside a string literal token.
    private mutating func scanBlobs(_ literal: ArraySlice<UInt8>) {
        var base64Run = 0, hexRun = 0, classes = 0
        var longestBase64 = 0, longestHex = 0, mixedBase64 = false
        for b in literal {
            let isHex = (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
            let isB64 = (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A)
                || b == 0x2B || b == 0x2F || b == 0x3D || b == 0x2D || b == 0x5F
            hexRun = isHex ? hexRun + 1 : 0
            if isB64 {
                base64Run += 1
                if b >= 0x61 && b <= 0x7A { classes |= 1 } else if b >= 0x41 && b <= 0x5A { classes |= 2 } else if b >= 0x30 && b <= 0x39 { classes |= 4 }
            } else {
                if base64Run > longestBase64 { longestBase64 = base64Run; mixedBase64 = classes == 7 }
                base64Run = 0; classes = 0
            }
            longestHex = max(longestHex, hexRun)
        }
        if base64Run > longestBase64 { longestBase64 = base64Run; mixedBase64 = classes == 7 }
        if longestHex >= Self.minHexRun {
            blobs.append(ByteString("hex string of \(longestHex) characters"))
        } else if longestBase64 >= Self.minBase64Run && mixedBase64 {
            blobs.append(ByteString("base64-like string of \(longestBase64) characters"))
        }
    }
}

/// Whether `text` (a `//` comment) is a `// +build` line.
private func isPlusBuild(_ text: [UInt8]) -> Bool {
    let body = trimASCIISpace(Array(text.dropFirst(2)))
    return body.starts(with: Array("+build".utf8)) && (body.count == 6 || body[6] == 0x20 || body[6] == 0x09)
}

/// Whether `source[from..<to]` holds only spaces, tabs, carriage returns and at most one newline.
private func onlySpace(_ source: [UInt8], _ from: Int, _ to: Int) -> Bool {
    guard from <= to else { return false }
    var newlines = 0
    for b in source[from..<to] {
        if b == 0x0A { newlines += 1; if newlines > 1 { return false } }
        else if b != 0x20 && b != 0x09 && b != 0x0D { return false }
    }
    return true
}

/// ASCII white space trimmed from both ends.
func trimASCIISpace(_ s: [UInt8]) -> [UInt8] {
    var a = 0, b = s.count
    while a < b, s[a] == 0x20 || s[a] == 0x09 || s[a] == 0x0D || s[a] == 0x0A { a += 1 }
    while b > a, s[b - 1] == 0x20 || s[b - 1] == 0x09 || s[b - 1] == 0x0D || s[b - 1] == 0x0A { b -= 1 }
    return Array(s[a..<b])
}

/// The bytes of a Go string literal token: raw strings as is (carriage returns removed, as the
/// Go spec says), interpreted strings with the common escapes decoded (`\n`, `\t`, `\\`, `\"`,
/// `\xNN`, octal `\NNN`; `\u`/`\U` are encoded as UTF-8). Malformed escapes are kept verbatim.
func unquoteGoString(_ token: [UInt8]) -> [UInt8] {
    guard token.count >= 2 else { return token }
    let body = Array(token[1..<(token.count - 1)])
    if token.first == 0x60 { return body.filter { $0 != 0x0D } }
    var out: [UInt8] = []
    var i = 0
    func hex(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: UInt32(b - 0x30)
        case 0x61...0x66: UInt32(b - 0x61 + 10)
        case 0x41...0x46: UInt32(b - 0x41 + 10)
        default: nil
        }
    }
    while i < body.count {
        let b = body[i]
        guard b == 0x5C, i + 1 < body.count else { out.append(b); i += 1; continue }
        let e = body[i + 1]
        switch e {
        case 0x6E: out.append(0x0A); i += 2
        case 0x74: out.append(0x09); i += 2
        case 0x72: out.append(0x0D); i += 2
        case 0x5C, 0x22, 0x27: out.append(e); i += 2
        case 0x61: out.append(0x07); i += 2
        case 0x62: out.append(0x08); i += 2
        case 0x66: out.append(0x0C); i += 2
        case 0x76: out.append(0x0B); i += 2
        case 0x78 where i + 3 < body.count:
            if let h = hex(body[i + 2]), let l = hex(body[i + 3]) { out.append(UInt8(h << 4 | l)); i += 4 } else { out.append(b); i += 1 }
        case 0x30...0x37 where i + 3 < body.count:
            let d = body[(i + 1)...(i + 3)]
            if d.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }) {
                let v = d.reduce(UInt32(0)) { $0 * 8 + UInt32($1 - 0x30) }
                if v <= 255 { out.append(UInt8(v)); i += 4 } else { out.append(b); i += 1 }
            } else { out.append(b); i += 1 }
        case 0x75, 0x55:
            let n = e == 0x75 ? 4 : 8
            guard i + 2 + n <= body.count else { out.append(b); i += 1; continue }
            var v: UInt32 = 0, ok = true
            for k in 0..<n { if let h = hex(body[i + 2 + k]) { v = v << 4 | h } else { ok = false } }
            if ok, let scalar = Unicode.Scalar(v) { out.append(contentsOf: Array(String(Character(scalar)).utf8)); i += 2 + n } else { out.append(b); i += 1 }
        default: out.append(b); i += 1
        }
    }
    return out
}

/// A minimal Go tokenizer: identifiers (including keywords), numbers, strings, runes, comments,
/// newlines and operators (one byte at a time, which is enough for brace and paren tracking).
struct GoScanner {
    enum Kind { case identifier, integer, number, string, rune, comment, newline, `operator` }
    struct Token { var kind: Kind; var start: Int; var end: Int }

    let source: [UInt8]
    var position = 0

    init(_ source: [UInt8]) { self.source = source }

    mutating func next() -> Token? {
        while position < source.count {
            let b = source[position]
            if b == 0x20 || b == 0x09 || b == 0x0D { position += 1; continue }
            break
        }
        guard position < source.count else { return nil }
        let start = position
        let b = source[position]
        if b == 0x0A { position += 1; return Token(kind: .newline, start: start, end: position) }
        if b == 0x2F && position + 1 < source.count {
            if source[position + 1] == 0x2F {
                while position < source.count && source[position] != 0x0A { position += 1 }
                return Token(kind: .comment, start: start, end: position)
            }
            if source[position + 1] == 0x2A {
                position += 2
                while position + 1 < source.count && !(source[position] == 0x2A && source[position + 1] == 0x2F) { position += 1 }
                position = min(source.count, position + 2)
                return Token(kind: .comment, start: start, end: position)
            }
        }
        if b == 0x22 || b == 0x27 { // "..." or '...'
            position += 1
            while position < source.count && source[position] != b && source[position] != 0x0A {
                position += source[position] == 0x5C ? 2 : 1
            }
            position = min(source.count, position + 1)
            return Token(kind: b == 0x22 ? .string : .rune, start: start, end: position)
        }
        if b == 0x60 { // `raw`
            position += 1
            while position < source.count && source[position] != 0x60 { position += 1 }
            position = min(source.count, position + 1)
            return Token(kind: .string, start: start, end: position)
        }
        if isLetter(b) {
            while position < source.count && (isLetter(source[position]) || isDigit(source[position])) { position += 1 }
            return Token(kind: .identifier, start: start, end: position)
        }
        if isDigit(b) || (b == 0x2E && position + 1 < source.count && isDigit(source[position + 1])) {
            var integer = b != 0x2E
            while position < source.count {
                let c = source[position]
                if isLetter(c) || isDigit(c) { position += 1; continue }
                if c == 0x2E { integer = false; position += 1; continue }
                if (c == 0x2B || c == 0x2D), position > start,
                   [0x65, 0x45, 0x70, 0x50].contains(source[position - 1]),
                   !(source[start..<position].starts(with: [0x30, 0x78]) && source[position - 1] != 0x70 && source[position - 1] != 0x50) {
                    integer = false; position += 1; continue
                }
                break
            }
            return Token(kind: integer ? .integer : .number, start: start, end: position)
        }
        position += 1
        return Token(kind: .operator, start: start, end: position)
    }

    private func isLetter(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b >= 0x80
    }
    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
