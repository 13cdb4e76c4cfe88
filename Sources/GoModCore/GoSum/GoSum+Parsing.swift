extension GoSum {
    /// Reads a go.sum file.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - fileName: the name used in diagnostics and errors (cmd/go uses the file's path).
    ///   - mode: ``ReadingMode/strict`` (default) or one of the Go-compatible modes.
    ///   - limits: the size limit.
    /// - Throws: `GoSumError.Code.tooLarge` before reading anything when `data`
    ///   exceeds `limits.maxBytes`; in ``ReadingMode/go`` mode,
    ///   `GoSumError.Code.malformedLine` at the first line without exactly three
    ///   fields, with cmd/go's message.
    public init(parsing data: [UInt8], fileName: String = "go.sum", mode: ReadingMode = .strict,
                limits: Limits = .default) throws(GoSumError) {
        guard data.count <= limits.maxBytes else {
            throw GoSumError(.tooLarge, fileName: fileName, line: 0,
                             message: "\(fileName): \(data.count) bytes exceeds the limit of \(limits.maxBytes) bytes")
        }
        var records: [Record] = []
        var diagnostics: [GoSumDiagnostic] = []
        var truncatedAtLine: Int?
        let strict = mode == .strict
        func report(_ line: Int, _ code: GoSumDiagnostic.Code, _ severity: GoSumDiagnostic.Severity, _ message: String) {
            diagnostics.append(GoSumDiagnostic(fileName: fileName, line: line, code: code, severity: severity,
                                               message: message))
        }

        var lineNumber = 0
        var start = 0
        lineLoop: while start < data.count {
            lineNumber += 1
            let end = data[start...].firstIndex(of: 0x0A) ?? data.count
            let line = data[start..<end]
            start = end + 1
            let split = GoSumFields(line)
            if strict {
                if line.contains(0) { report(lineNumber, .nulByte, .error, "NUL byte in line") }
                if split.invalidUTF8 { report(lineNumber, .invalidUTF8, .error, "invalid UTF-8 in line") }
            }
            if split.count == 0 { continue }  // blank line
            if split.count != 3 {
                switch mode {
                case .go:
                    throw GoSumError(.malformedLine, fileName: fileName, line: lineNumber,
                                     message: "malformed go.sum:\n\(fileName):\(lineNumber): wrong number of fields \(split.count)")
                case .goModTidy:
                    continue lineLoop
                case .legacyGo:
                    truncatedAtLine = lineNumber
                    break lineLoop
                case .strict:
                    report(lineNumber, .wrongFieldCount, .error,
                           "wrong number of fields \(split.count) (want module path, version and hash)")
                    continue lineLoop
                }
            }
            let record = Record(ModuleVersion(path: ByteString(Array(data[split.fields[0]])),
                                              version: ByteString(Array(data[split.fields[1]]))),
                                hash: ByteString(Array(data[split.fields[2]])), line: lineNumber)
            if record.hash == GoSum.emptyGoModHash {
                if strict {
                    report(lineNumber, .emptyGoModHash, .info,
                           "dropped: the hash of an empty go.mod, written by an old cmd/go bug (cmd/go drops it too)")
                }
                continue
            }
            if strict {
                if split.unusualWhitespace {
                    report(lineNumber, .unusualWhitespace, .warning,
                           "fields separated by unusual white space (cmd/go splits at any Unicode space)")
                }
                Self.validate(record) { report(lineNumber, $0, $1, $2) }
            }
            records.append(record)
        }

        self.init(fileName: fileName, mode: mode, records: records, diagnostics: diagnostics,
                  truncatedAtLine: truncatedAtLine)
        if strict {
            crossCheck()
            // Line order; the sort is stable, so per-line order of discovery is kept.
            let sorted = self.diagnostics.enumerated().sorted {
                ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
            }
            self.diagnostics = sorted.map(\.element)
        }
    }

    /// Strict checks of one record's fields (stricter than cmd/go: see Docs/stricter-than-go.md).
    private static func validate(_ record: Record,
                                 _ report: (GoSumDiagnostic.Code, GoSumDiagnostic.Severity, String) -> Void) {
        // Path: module.CheckPath, with Go's message.
        var pathOK = true
        do {
            try Module.checkPath(record.path)
        } catch {
            pathOK = false
            report(.invalidModulePath, .error, error.description)
        }

        // Version: canonical, optionally followed by /go.mod, matching the path's major version.
        let version = record.moduleVersion
        if version.contains(UInt8(ascii: "/")) {
            report(.invalidVersion, .error,
                   "version \(record.version) invalid: only a trailing /go.mod may follow the version")
        } else if !Semver.isValid(version) || Module.canonicalVersion(version) != version {
            let (_, pathMajor, _) = Module.splitPathVersion(record.path)
            let form = pathMajor.isEmpty ? "v1" : (Module.pathMajorPrefix(pathMajor).flatMap(\.utf8String) ?? "v1")
            report(.invalidVersion, .error, "version \(version) invalid: must be of the form \(form).2.3")
        } else if pathOK {
            // module.Check's major-version rule (the path and version are valid here).
            let pathMajor = Module.splitPathVersionBytes(record.path.bytes).pathMajor
            if let failure = Module.pathMajorMismatch(version.bytes, pathMajor) {
                report(.invalidVersion, .error,
                       Module.moduleVersionError(failure.code, path: record.path.bytes, version: version.bytes,
                                                   reason: failure.reason).description)
            }
        }

        // Hash: canonical h1, or another h<N>: algorithm kept as unverifiable.
        let hash = record.hash.bytes
        if hash.starts(with: Array("h1:".utf8)) {
            if record.dirHash == nil {
                report(.malformedHash, .error,
                       "hash \(record.hash) is not a canonical h1: hash (\"h1:\" and 44 base64 characters encoding 32 bytes)")
            }
        } else if let colon = hash.firstIndex(of: UInt8(ascii: ":")), colon >= 2, hash[0] == UInt8(ascii: "h"),
                  hash[1..<colon].allSatisfy(isASCIIDigit) {
            report(.unknownHashAlgorithm, .warning,
                   "unknown hash algorithm \(ByteString(Array(hash[..<colon]))): kept, but it cannot verify anything")
        } else {
            report(.malformedHash, .error, "hash \(record.hash) is not an h<N>: hash")
        }
    }

    /// Checks across lines: exact duplicates and conflicting h1 hashes for one key.
    private mutating func crossCheck() {
        var found: [GoSumDiagnostic] = []
        for (ref, chain) in index where chain.count > 1 {
            let key = ref.key
            let indices = recordIndices(ref)
            var firstLine: [ByteString: Int] = [:]
            var firstH1: Record?
            for i in indices {
                let record = records[i]
                if let first = firstLine[record.hash] {
                    found.append(GoSumDiagnostic(fileName: fileName, line: record.line, code: .duplicateLine,
                                                 severity: .warning, message: "duplicate of line \(first)"))
                    continue
                }
                firstLine[record.hash] = record.line
                guard record.hash.hasPrefix("h1:") else { continue }
                if let first = firstH1 {
                    let name = goQuote(key.path.bytes + [UInt8(ascii: "@")] + key.version.bytes)
                    found.append(GoSumDiagnostic(
                        fileName: fileName, line: record.line, code: .conflictingHashes, severity: .error,
                        message: "conflicting hashes for \(name): \(record.hash) here, \(first.hash) on line \(first.line) (cmd/go uses the first)"))
                } else {
                    firstH1 = record
                }
            }
        }
        diagnostics += found
    }
}

/// A line split into fields at Go's `unicode.IsSpace` white space, like `strings.Fields`.
struct GoSumFields {
    /// The byte ranges of the first three fields.
    var fields: [Range<Int>] = []
    /// The number of fields.
    var count = 0
    /// Whether the line has invalid UTF-8 (which Go decodes as U+FFFD, never a space).
    var invalidUTF8 = false
    /// Whether a separator other than space, tab or carriage return occurs.
    var unusualWhitespace = false

    init(_ line: ArraySlice<UInt8>) {
        fields.reserveCapacity(3)
        var fieldStart: Int?
        var i = line.startIndex
        while i < line.endIndex {
            let (space, width, valid, usual) = Self.classify(line, at: i)
            if !valid { invalidUTF8 = true }
            if space {
                if !usual { unusualWhitespace = true }
                if let s = fieldStart {
                    addField(s..<i)
                    fieldStart = nil
                }
            } else if fieldStart == nil {
                fieldStart = i
            }
            i += width
        }
        if let s = fieldStart { addField(s..<line.endIndex) }
    }

    private mutating func addField(_ range: Range<Int>) {
        if count < 3 { fields.append(range) }
        count += 1
    }

    /// Decodes the rune at `i` like Go (an invalid byte is U+FFFD of width 1) and reports
    /// whether it is `unicode.IsSpace`.
    static func classify(_ s: ArraySlice<UInt8>, at i: Int) -> (space: Bool, width: Int, valid: Bool, usual: Bool) {
        let b0 = s[i]
        if b0 < 0x80 {
            switch b0 {
            case 0x20, 0x09, 0x0D: return (true, 1, true, true)
            case 0x0A, 0x0B, 0x0C: return (true, 1, true, false)
            default: return (false, 1, true, true)
            }
        }
        let (rune, width, valid) = goDecodeRune(s, at: i)
        guard valid else { return (false, 1, false, true) }
        return (goIsSpace(rune), width, true, false)
    }
}

/// Go's `unicode.IsSpace`: `\t \n \v \f \r`, space, U+0085, U+00A0, and the Unicode
/// White_Space characters above Latin-1 (U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
/// U+205F, U+3000). Go pins this list in `unicode.IsSpace` and its White_Space table; a test
/// compares it with Go 1.27.3 for every code point.
func goIsSpace(_ r: UInt32) -> Bool {
    switch r {
    case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
}
