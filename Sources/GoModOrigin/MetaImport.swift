import GoModCore

/// One `<meta name="go-import" content="prefix vcs repo-url [subdirectory]">` tag
/// (go.dev/ref/mod#vcs-find; `go1.19:cmd/go/internal/vcs/discovery.go`).
public struct MetaImport: Sendable, Hashable, CustomStringConvertible {
    /// The import-path prefix the tag is for (the repository root path).
    public var prefix: String
    /// `git`, `hg`, `svn`, `bzr`, `fossil` or `mod`.
    public var vcs: String
    /// The repository (or GOPROXY-protocol server) URL.
    public var repoRoot: String
    /// The 4th field (Go 1.25, golang/go#34055): the directory of the repository that `prefix`
    /// corresponds to; empty for a 3-field tag.
    public var subdirectory: String

    /// A tag.
    public init(prefix: String, vcs: String, repoRoot: String, subdirectory: String = "") {
        self.prefix = prefix
        self.vcs = vcs
        self.repoRoot = repoRoot
        self.subdirectory = subdirectory
    }

    /// `prefix vcs repoRoot [subdirectory]`, as the tag's content.
    public var description: String {
        subdirectory.isEmpty ? "\(prefix) \(vcs) \(repoRoot)" : "\(prefix) \(vcs) \(repoRoot) \(subdirectory)"
    }

    /// Whether a discovery prefers `mod` entries (cmd/go's `ModuleMode`).
    public enum ModuleMode: Sendable, Hashable {
        /// `IgnoreMod`: `mod` entries are dropped (GOPATH mode).
        case ignoreMod
        /// `PreferMod`: `mod` entries first, and a non-`mod` entry with the same prefix as a
        /// `mod` entry is dropped (module mode, what `go mod download` uses).
        case preferMod
    }

    /// cmd/go's `parseMetaGoImports`: the `go-import` tags of an HTML page, read with the rules
    /// of Go's `encoding/xml` decoder in non-strict mode (`RawToken`): parsing stops at `<body>`
    /// or `</head>` (names compared case-insensitively), a tag is kept when its `content` has 3
    /// or 4 white-space separated fields, and a syntax error is reported only when no tag was
    /// collected before it. Then ``ModuleMode`` ordering applies.
    ///
    /// - Throws: `OriginError.Code.discoveryFailed` with Go's message (`XML syntax error on
    ///   line N: …`, `can't decode XML document using charset "<c>"`).
    public static func parse(html: [UInt8], mode: ModuleMode) throws(OriginError) -> [MetaImport] {
        var imports: [MetaImport] = []
        var reader = HTMLTokenReader(bytes: html)
        loop: while true {
            let token: HTMLTokenReader.Token
            do throws(HTMLTokenReader.SyntaxError) {
                guard let next = try reader.next() else { break loop }
                token = next
            } catch {
                if imports.isEmpty {
                    throw OriginError(.discoveryFailed, subject: "", message: error.message)
                }
                break loop
            }
            switch token {
            case .start(let name, let attributes):
                if asciiEqualFold(name, "body") { break loop }
                guard asciiEqualFold(name, "meta") else { continue }
                guard attributeValue(attributes, "name") == Array("go-import".utf8) else { continue }
                let fields = goFields(attributeValue(attributes, "content"))
                guard fields.count == 3 || fields.count == 4 else { continue }
                imports.append(MetaImport(prefix: fields[0], vcs: fields[1], repoRoot: fields[2],
                                          subdirectory: fields.count == 4 ? fields[3] : ""))
            case .end(let name):
                if asciiEqualFold(name, "head") { break loop }
            }
        }
        var list: [MetaImport] = []
        var have = Set<[UInt8]>()
        if mode == .preferMod {
            for m in imports where m.vcs == "mod" {
                have.insert(Array(m.prefix.utf8))
                list.append(m)
            }
        }
        for m in imports where m.vcs != "mod" && !have.contains(Array(m.prefix.utf8)) {
            list.append(m)
        }
        return list
    }

    /// cmd/go's `matchGoImport`: the one tag whose prefix is a path prefix of `importPath`.
    ///
    /// - Throws: `OriginError.Code.noMatchingMetaTag` (message: cmd/go's
    ///   `ImportMismatchError`, `meta tag <p> did not match import path <path>, …`) or
    ///   `OriginError.Code.multipleMetaTags`.
    public static func match(_ imports: [MetaImport], importPath: String) throws(OriginError) -> MetaImport {
        var match: Int? = nil
        var mismatches: [String] = []
        for (i, im) in imports.enumerated() {
            guard isPathPrefix(importPath, of: im.prefix) else {
                mismatches.append(im.prefix)
                continue
            }
            if let m = match {
                if imports[m].vcs == "mod" && im.vcs != "mod" { break }
                throw OriginError(.multipleMetaTags, subject: importPath,
                                  message: "multiple meta tags match import path \(goQuote(importPath.utf8))")
            }
            match = i
        }
        guard let match else {
            let text = mismatches.map { "meta tag \($0) did not match import path \(importPath)" }.joined(separator: ", ")
            throw OriginError(.noMatchingMetaTag, subject: importPath, message: text)
        }
        return imports[match]
    }
}

/// cmd/go's `pathPrefix(s, sub)`: `sub` is a prefix of `s` ending at a path-element boundary
/// (compared as bytes).
func isPathPrefix(_ s: String, of sub: String) -> Bool {
    let a = Array(s.utf8), b = Array(sub.utf8)
    guard a.count >= b.count, Array(a[0..<b.count]) == b else { return false }
    return a.count == b.count || a[b.count] == UInt8(ascii: "/")
}

/// ASCII case-insensitive equality (Go's `strings.EqualFold` for the ASCII words used here:
/// none contains `k` or `s`, the only letters with non-ASCII fold partners).
func asciiEqualFold(_ a: [UInt8], _ b: String) -> Bool {
    let b = Array(b.utf8)
    guard a.count == b.count else { return false }
    func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c }
    return zip(a, b).allSatisfy { lower($0) == lower($1) }
}

/// cmd/go's `attrValue`: the value of the first attribute whose local name equals `name`
/// case-insensitively; empty when there is none.
func attributeValue(_ attributes: [HTMLTokenReader.Attribute], _ name: String) -> [UInt8] {
    attributes.first { asciiEqualFold($0.name, name) }?.value ?? []
}

/// Go's `strings.Fields`: the text split around runs of Unicode white space (`unicode.IsSpace`);
/// invalid UTF-8 is kept as it is inside a field (here as U+FFFD).
func goFields(_ bytes: [UInt8]) -> [String] {
    var fields: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
        if goIsSpace(scalar) {
            if !current.isEmpty { fields.append(String(current)); current = String.UnicodeScalarView() }
        } else {
            current.append(scalar)
        }
    }
    if !current.isEmpty { fields.append(String(current)) }
    return fields
}

/// Go's `unicode.IsSpace`.
func goIsSpace(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
    default: false
    }
}

/// The part of Go's `encoding/xml` `Decoder.RawToken` (non-strict, no entity map, charset
/// reader accepting `utf-8` and `ascii` only) that `parseMetaGoImports` observes: start and end
/// elements with their names and attributes; text, comments, CDATA, directives and processing
/// instructions are consumed and checked as Go checks them.
struct HTMLTokenReader {
    struct Attribute: Hashable {
        /// The local name (the part after a `prefix:`).
        var name: [UInt8]
        var value: [UInt8]
    }

    enum Token {
        case start(name: [UInt8], attributes: [Attribute])
        case end(name: [UInt8])
    }

    struct SyntaxError: Error {
        var message: String
    }

    let bytes: [UInt8]
    var offset = 0
    var line = 1

    init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func getc() -> UInt8? {
        guard offset < bytes.count else { return nil }
        let b = bytes[offset]
        offset += 1
        if b == UInt8(ascii: "\n") { line += 1 }
        return b
    }

    private mutating func ungetc(_ b: UInt8) {
        offset -= 1
        if b == UInt8(ascii: "\n") { line -= 1 }
    }

    private func syntax(_ message: String) -> SyntaxError {
        SyntaxError(message: "XML syntax error on line \(line): \(message)")
    }

    private mutating func mustGetc() throws(SyntaxError) -> UInt8 {
        guard let b = getc() else { throw syntax("unexpected EOF") }
        return b
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0D || b == 0x0A || b == 0x09 }

    private mutating func skipSpace() {
        while let b = getc() {
            if !Self.isSpace(b) { ungetc(b); return }
        }
    }

    /// Go's `isNameByte`.
    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
    }

    /// Go's `readName`: a name of name bytes and non-ASCII bytes; `nil` when none starts here.
    private mutating func readName() throws(SyntaxError) -> [UInt8]? {
        let b = try mustGetc()
        if b < 0x80 && !Self.isNameByte(b) { ungetc(b); return nil }
        var name = [b]
        while let c = getc() {
            if c < 0x80 && !Self.isNameByte(c) { ungetc(c); break }
            name.append(c)
        }
        return name
    }

    /// Go's `nsname`: the local part of `space:local` (exactly one colon, both sides non-empty).
    private mutating func localName() throws(SyntaxError) -> [UInt8]? {
        guard let name = try readName() else { return nil }
        let colons = name.indices.filter { name[$0] == UInt8(ascii: ":") }
        if colons.count == 1, let i = colons.first, i > 0, i < name.count - 1 {
            return Array(name[(i + 1)...])
        }
        return name
    }

    /// Go's `isInCharacterRange` for the decoded rune (invalid UTF-8 decodes as U+FFFD, which
    /// is in range).
    private static func isInCharacterRange(_ r: UInt32) -> Bool {
        r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD)
            || (r >= 0x10000 && r <= 0x10FFFF)
    }

    /// Go's `text(quote, cdata)`: character data up to `<` (quote < 0), the closing quote, or
    /// `]]>` (cdata), with entities and character references decoded (unknown ones kept as
    /// written, the non-strict rule).
    private mutating func text(quote: UInt8?, cdata: Bool) throws(SyntaxError) -> [UInt8] {
        var out: [UInt8] = []
        var b0: UInt8 = 0, b1: UInt8 = 0
        while true {
            guard let b = getc() else {
                if cdata { throw syntax("unexpected EOF in CDATA section") }
                break
            }
            if b0 == UInt8(ascii: "]") && b1 == UInt8(ascii: "]") && b == UInt8(ascii: ">") {
                if cdata { out.removeLast(2); break }
                throw syntax("unescaped ]]> not in CDATA section")
            }
            if b == UInt8(ascii: "<") && !cdata {
                if quote != nil { throw syntax("unescaped < inside quoted string") }
                ungetc(b)
                break
            }
            if let quote, b == quote { break }
            if b == UInt8(ascii: "&") && !cdata {
                try entity(into: &out)
                b0 = 0; b1 = 0
                continue
            }
            var rune = UInt32(b)
            if b == 0x0D {
                // Go: "\r\n" and a lone "\r" both become "\n".
                out.append(0x0A)
                if let n = getc(), n != 0x0A { ungetc(n) }
            } else if b >= 0x80 {
                // Decode one UTF-8 sequence for the character-range check; copy its bytes.
                let start = offset - 1
                var decoder = UTF8ByteDecoder(bytes: Array(bytes[start..<min(bytes.count, start + 4)]))
                let length: Int
                if let decoded = decoder.next() {
                    rune = decoded.valid ? decoded.rune : 0xFFFD
                    length = max(1, decoded.width)
                } else { length = 1 }
                out.append(contentsOf: bytes[start..<(start + length)])
                offset = start + length
            } else {
                out.append(b)
            }
            if !Self.isInCharacterRange(rune) {
                throw syntax("illegal character code U+" + hexUpper(rune))
            }
            b0 = b1; b1 = b
        }
        return out
    }

    /// An entity or character reference after `&`; non-strict: anything unrecognised is kept
    /// as written.
    private mutating func entity(into out: inout [UInt8]) throws(SyntaxError) {
        let start = offset
        var name: [UInt8] = []
        if let c = getc() {
            if c == UInt8(ascii: "#") {
                var hex = false
                if let x = getc() {
                    if x == UInt8(ascii: "x") { hex = true } else { ungetc(x) }
                }
                var digits: [UInt8] = []
                while let d = getc() {
                    let ok = (d >= 0x30 && d <= 0x39) || (hex && ((d >= 0x61 && d <= 0x66) || (d >= 0x41 && d <= 0x46)))
                    if !ok { ungetc(d); break }
                    digits.append(d)
                }
                if let semi = getc() {
                    if semi == UInt8(ascii: ";"), !digits.isEmpty,
                       let value = UInt32(String(decoding: digits, as: UTF8.self), radix: hex ? 16 : 10),
                       let scalar = Unicode.Scalar(value), Self.isInCharacterRange(value) {
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                        return
                    }
                    ungetc(semi)
                }
            } else {
                ungetc(c)
                if let n = try? readName() { name = n }
                if let semi = getc() {
                    if semi == UInt8(ascii: ";") {
                        switch String(decoding: name, as: UTF8.self) {
                        case "lt": out.append(UInt8(ascii: "<")); return
                        case "gt": out.append(UInt8(ascii: ">")); return
                        case "amp": out.append(UInt8(ascii: "&")); return
                        case "apos": out.append(UInt8(ascii: "'")); return
                        case "quot": out.append(UInt8(ascii: "\"")); return
                        default: break
                        }
                    }
                    ungetc(semi)
                }
            }
        }
        // Not a known reference: keep "&" and re-read what followed as text.
        out.append(UInt8(ascii: "&"))
        while offset > start { ungetc(bytes[offset - 1]) }
    }

    /// Go's `attrval`: a quoted value, or (non-strict) an unquoted run of letters, digits, `_`,
    /// `:` and `-`.
    private mutating func attributeValue() throws(SyntaxError) -> [UInt8] {
        let b = try mustGetc()
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
            return try text(quote: b, cdata: false)
        }
        ungetc(b)
        var value: [UInt8] = []
        while true {
            let c = try mustGetc()
            if (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
                || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: "-") {
                value.append(c)
            } else {
                ungetc(c)
                break
            }
        }
        return value
    }

    /// The next start or end element; `nil` at the end of the input.
    mutating func next() throws(SyntaxError) -> Token? {
        while true {
            guard let b = getc() else { return nil }
            if b != UInt8(ascii: "<") {
                ungetc(b)
                _ = try text(quote: nil, cdata: false)
                continue
            }
            let c = try mustGetc()
            switch c {
            case UInt8(ascii: "/"):
                guard let name = try localName() else { throw syntax("expected element name after </") }
                skipSpace()
                guard try mustGetc() == UInt8(ascii: ">") else {
                    throw syntax("invalid characters between </" + String(decoding: name, as: UTF8.self) + " and >")
                }
                return .end(name: name)
            case UInt8(ascii: "?"):
                try processingInstruction()
            case UInt8(ascii: "!"):
                try bang()
            default:
                ungetc(c)
                guard let name = try localName() else { throw syntax("expected element name after <") }
                var attributes: [Attribute] = []
                while true {
                    skipSpace()
                    let d = try mustGetc()
                    if d == UInt8(ascii: "/") {
                        guard try mustGetc() == UInt8(ascii: ">") else { throw syntax("expected /> in element") }
                        break
                    }
                    if d == UInt8(ascii: ">") { break }
                    ungetc(d)
                    guard let attrName = try localName() else { throw syntax("expected attribute name in element") }
                    skipSpace()
                    let e = try mustGetc()
                    if e != UInt8(ascii: "=") {
                        ungetc(e)
                        attributes.append(Attribute(name: attrName, value: attrName))
                        continue
                    }
                    skipSpace()
                    attributes.append(Attribute(name: attrName, value: try attributeValue()))
                }
                return .start(name: name, attributes: attributes)
            }
        }
    }

    /// `<?target …?>`; for `<?xml …?>`, Go's version and encoding checks.
    private mutating func processingInstruction() throws(SyntaxError) {
        guard let target = try readName() else { throw syntax("expected target name after <?") }
        var content: [UInt8] = []
        var b0: UInt8 = 0
        while true {
            let b = try mustGetc()
            content.append(b)
            if b0 == UInt8(ascii: "?") && b == UInt8(ascii: ">") { break }
            b0 = b
        }
        content.removeLast(2)
        guard target == Array("xml".utf8) else { return }
        let text = String(decoding: content, as: UTF8.self)
        let version = Self.procInstParam("version", text)
        if !version.isEmpty && version != "1.0" {
            throw syntax("unsupported version \(goQuote(version.utf8)); only version 1.0 is supported")
        }
        let encoding = Self.procInstParam("encoding", text)
        if !encoding.isEmpty && encoding != "utf-8" && encoding != "UTF-8" && encoding.lowercased() != "utf-8" {
            // cmd/go's charsetReader: ASCII is read as UTF-8; anything else fails.
            if encoding.lowercased() != "ascii" {
                throw SyntaxError(message: "can't decode XML document using charset \(goQuote(encoding.utf8))")
            }
        }
    }

    /// Go's `procInst(param, s)`: the quoted value after `param=`, or empty.
    private static func procInstParam(_ param: String, _ s: String) -> String {
        let bytes = Array(s.utf8)
        let key = Array((param + "=").utf8)
        var i = 0
        while i + key.count <= bytes.count {
            if Array(bytes[i..<(i + key.count)]) == key {
                var j = i + key.count
                while j < bytes.count && isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") else { return "" }
                let quote = bytes[j]
                guard let end = bytes[(j + 1)...].firstIndex(of: quote) else { return "" }
                return String(decoding: bytes[(j + 1)..<end], as: UTF8.self)
            }
            i += 1
        }
        return ""
    }

    /// `<!--…-->`, `<![CDATA[…]]>`, or a directive such as `<!DOCTYPE …>` (nested `<…>` and
    /// quotes respected).
    private mutating func bang() throws(SyntaxError) {
        let c = try mustGetc()
        if c == UInt8(ascii: "-") {
            guard try mustGetc() == UInt8(ascii: "-") else { throw syntax("invalid sequence <!- not part of <!--") }
            var b0: UInt8 = 0, b1: UInt8 = 0
            while true {
                let b = try mustGetc()
                if b0 == UInt8(ascii: "-") && b1 == UInt8(ascii: "-") {
                    if b != UInt8(ascii: ">") { throw syntax("invalid sequence \"--\" not allowed in comments") }
                    return
                }
                b0 = b1; b1 = b
            }
        }
        if c == UInt8(ascii: "[") {
            for expected in Array("CDATA[".utf8) {
                guard try mustGetc() == expected else { throw syntax("invalid <![ sequence") }
            }
            _ = try text(quote: nil, cdata: true)
            return
        }
        ungetc(c)
        var depth = 0
        var quote: UInt8? = nil
        while true {
            let b = try mustGetc()
            if let q = quote {
                if b == q { quote = nil }
                continue
            }
            switch b {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = b
            case UInt8(ascii: "<"): depth += 1
            case UInt8(ascii: ">"):
                if depth == 0 { return }
                depth -= 1
            default: break
            }
        }
    }
}

/// Upper-case hexadecimal with at least 4 digits (Go's `%U` without the `U+`).
private func hexUpper(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
