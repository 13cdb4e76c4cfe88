// GOPRIVATE-style glob lists (https://go.dev/ref/mod#private-modules): x/mod's MatchPrefixPatterns
// over Go's path.Match.

extension Module {
    /// Whether any path prefix of `target` matches one of the comma-separated glob patterns
    /// (Go's `module.MatchPrefixPatterns`, the GOPRIVATE / GONOPROXY / GONOSUMDB /
    /// GOINSECURE matcher).
    ///
    /// Empty entries are skipped and one trailing `/` is removed from each pattern (spaces are
    /// not trimmed). A pattern with k slashes is matched with ``pathMatch(_:_:)`` against the
    /// first k+1 elements of `target`; a malformed pattern never matches and is not reported.
    public static func matchPrefixPatterns(_ globs: ByteString, _ target: ByteString) -> Bool {
        let target = target.bytes
        for var glob in globs.bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
            if glob.last == UInt8(ascii: "/") { glob = glob.dropLast() }
            if glob.isEmpty { continue }
            if prefixMatches(glob, target) { return true }
        }
        return false
    }

    /// Matches one (already trimmed, non-empty) glob against the corresponding prefix of `target`.
    static func prefixMatches(_ glob: ArraySlice<UInt8>, _ target: [UInt8]) -> Bool {
        var n = glob.lazy.filter { $0 == UInt8(ascii: "/") }.count
        var prefixEnd = target.count
        for (i, c) in target.enumerated() where c == UInt8(ascii: "/") {
            if n == 0 {
                prefixEnd = i
                break
            }
            n -= 1
        }
        if n > 0 { return false }  // not enough path elements
        return (try? matchPattern(glob, target[..<prefixEnd])) ?? false
    }

    /// Go's `path.Match`: whether `name` matches the shell pattern `pattern`.
    ///
    /// `*` matches any run of non-`/` bytes, `?` one non-`/` character, `[…]` and `[^…]` a
    /// character class with ranges, and `\` escapes the next character. Throws
    /// `syntax error in pattern` (`ModulePathError.Code.badPattern`) for a malformed pattern,
    /// exactly when Go's `path.Match` returns `ErrBadPattern`.
    public static func pathMatch(_ pattern: ByteString, _ name: ByteString) throws(ModulePathError) -> Bool {
        try matchPattern(pattern.bytes[...], name.bytes[...])
    }

    private static func badPattern(_ pattern: ArraySlice<UInt8>) -> ModulePathError {
        ModulePathError(.badPattern, input: ByteString(Array(pattern)), message: "syntax error in pattern")
    }

    static func matchPattern(_ fullPattern: ArraySlice<UInt8>, _ fullName: ArraySlice<UInt8>) throws(ModulePathError) -> Bool {
        var pattern = fullPattern
        var name = fullName
        patternLoop: while !pattern.isEmpty {
            let (star, chunk, rest) = scanChunk(pattern)
            pattern = rest
            if star && chunk.isEmpty {
                // A trailing * matches the rest of the name unless it contains a /.
                return !name.contains(UInt8(ascii: "/"))
            }
            // Look for a match at the current position.
            let (t, ok, bad) = matchChunk(chunk, name)
            // As the last chunk, the name must be exhausted.
            if ok && (t.isEmpty || !pattern.isEmpty) {
                name = t
                continue
            }
            if bad { throw badPattern(fullPattern) }
            if star {
                // Look for a match skipping i+1 bytes; * cannot skip a /.
                var i = name.startIndex
                while i < name.endIndex && name[i] != UInt8(ascii: "/") {
                    let (t, ok, bad) = matchChunk(chunk, name[(i + 1)...])
                    if ok {
                        if pattern.isEmpty && !t.isEmpty {
                            i += 1
                            continue
                        }
                        name = t
                        continue patternLoop
                    }
                    if bad { throw badPattern(fullPattern) }
                    i += 1
                }
            }
            // Before returning false, check that the rest of the pattern is well formed.
            while !pattern.isEmpty {
                let (_, chunk, rest) = scanChunk(pattern)
                pattern = rest
                if matchChunk(chunk, []).bad { throw badPattern(fullPattern) }
            }
            return false
        }
        return name.isEmpty
    }

    /// Go's `scanChunk`: leading stars, then the chunk up to the next unbracketed `*`.
    private static func scanChunk(_ pattern: ArraySlice<UInt8>) -> (star: Bool, chunk: ArraySlice<UInt8>, rest: ArraySlice<UInt8>) {
        var pattern = pattern
        var star = false
        while pattern.first == UInt8(ascii: "*") {
            pattern = pattern.dropFirst()
            star = true
        }
        var inRange = false
        var i = pattern.startIndex
        while i < pattern.endIndex {
            switch pattern[i] {
            case UInt8(ascii: "\\"):
                // A trailing backslash is reported by matchChunk.
                if i + 1 < pattern.endIndex { i += 1 }
            case UInt8(ascii: "["):
                inRange = true
            case UInt8(ascii: "]"):
                inRange = false
            case UInt8(ascii: "*"):
                if !inRange { return (star, pattern[pattern.startIndex..<i], pattern[i...]) }
            default:
                break
            }
            i += 1
        }
        return (star, pattern, [])
    }

    /// Go's `matchChunk`: the rest of `s` after a match, whether it matched, and whether the
    /// chunk is malformed. After a failed match the chunk is still scanned to the end so that
    /// syntax errors are always found.
    private static func matchChunk(_ chunkIn: ArraySlice<UInt8>, _ sIn: ArraySlice<UInt8>) -> (rest: ArraySlice<UInt8>, ok: Bool, bad: Bool) {
        var chunk = chunkIn
        var s = sIn
        var failed = false
        while let c = chunk.first {
            failed = failed || s.isEmpty
            switch c {
            case UInt8(ascii: "["):
                // Character class.
                var r: UInt32 = 0
                if !failed {
                    let (rune, width) = decodeRune(s)
                    r = rune
                    s = s.dropFirst(width)
                }
                chunk = chunk.dropFirst()
                var negated = false
                if chunk.first == UInt8(ascii: "^") {
                    negated = true
                    chunk = chunk.dropFirst()
                }
                var match = false
                var ranges = 0
                while true {
                    if chunk.first == UInt8(ascii: "]") && ranges > 0 {
                        chunk = chunk.dropFirst()
                        break
                    }
                    guard let (lo, afterLo) = getEscaped(chunk) else { return ([], false, true) }
                    chunk = afterLo
                    var hi = lo
                    if chunk.first == UInt8(ascii: "-") {
                        guard let (h, afterHi) = getEscaped(chunk.dropFirst()) else { return ([], false, true) }
                        hi = h
                        chunk = afterHi
                    }
                    match = match || (lo <= r && r <= hi)
                    ranges += 1
                }
                failed = failed || match == negated
            case UInt8(ascii: "?"):
                if !failed {
                    failed = s.first == UInt8(ascii: "/")
                    let (_, width) = decodeRune(s)
                    s = s.dropFirst(width)
                }
                chunk = chunk.dropFirst()
            case UInt8(ascii: "\\"):
                chunk = chunk.dropFirst()
                guard let escaped = chunk.first else { return ([], false, true) }
                if !failed {
                    failed = escaped != s.first
                    s = s.dropFirst()
                }
                chunk = chunk.dropFirst()
            default:
                if !failed {
                    failed = c != s.first
                    s = s.dropFirst()
                }
                chunk = chunk.dropFirst()
            }
        }
        return failed ? ([], false, false) : (s, true, false)
    }

    /// Go's `getEsc`: one possibly escaped rune of a character class; `nil` when malformed
    /// (empty, an unescaped `-` or `]`, invalid UTF-8, or nothing left after the rune).
    private static func getEscaped(_ chunkIn: ArraySlice<UInt8>) -> (UInt32, ArraySlice<UInt8>)? {
        var chunk = chunkIn
        guard let first = chunk.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "]") else { return nil }
        if first == UInt8(ascii: "\\") {
            chunk = chunk.dropFirst()
            if chunk.isEmpty { return nil }
        }
        let (r, width) = decodeRune(chunk)
        if r == 0xFFFD && width == 1 { return nil }
        let rest = chunk.dropFirst(width)
        if rest.isEmpty { return nil }
        return (r, rest)
    }

    /// Go's `utf8.DecodeRuneInString`: (U+FFFD, 1) for an invalid byte, (U+FFFD, 0) when empty.
    private static func decodeRune(_ s: ArraySlice<UInt8>) -> (UInt32, Int) {
        guard !s.isEmpty else { return (0xFFFD, 0) }
        var decoder = UTF8ByteDecoder(bytes: Array(s.prefix(4)))
        guard let (rune, width, valid) = decoder.next(), valid else { return (0xFFFD, 1) }
        return (rune, width)
    }
}
