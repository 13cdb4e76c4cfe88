/// Go's `golang.org/x/mod/module` package, function for function, on byte strings.
///
/// Every function takes and returns ``ByteString`` (names are bytes, as in Go) and
/// reproduces Go's decision and Go's error text exactly (current x/mod, as vendored by Go
/// 1.27.3). The value types ``ModulePath``, ``SemanticVersion``, ``ModuleVersion`` and
/// ``PathPatterns`` are built on these functions; use them when you want validated values,
/// and these when you need to mirror Go call for call.
public enum Module {
    // MARK: - Path checks

    /// Checks a module path (Go's `module.CheckPath`).
    ///
    /// A module path is a valid import path whose first element is a lower-case domain-like
    /// name containing a dot, whose elements do not start with a dot, and whose major-version
    /// suffix (if any) is well formed. Errors read `malformed module path "<path>": <reason>`.
    public static func checkPath(_ path: ByteString) throws(ModulePathError) {
        let bytes = path.bytes
        if let failure = checkPathBytes(bytes, kind: .module) ?? checkModulePathExtras(bytes) {
            throw pathError(failure.code, .module, bytes, failure.reason)
        }
    }

    /// Checks an import path (Go's `module.CheckImportPath`): the element rules with the
    /// module character set plus `+`, and no first-element or major-suffix rule.
    public static func checkImportPath(_ path: ByteString) throws(ModulePathError) {
        if let failure = checkPathBytes(path.bytes, kind: .import) {
            throw pathError(failure.code, .import, path.bytes, failure.reason)
        }
    }

    /// Checks a slash-separated file path inside a module (Go's `module.CheckFilePath`):
    /// Unicode letters, ASCII digits, space and `!#$%&()+,-.=@[]^_{}~` are allowed; leading
    /// dashes and dots are fine; Windows reserved names are not.
    public static func checkFilePath(_ path: ByteString) throws(ModulePathError) {
        if let failure = checkPathBytes(path.bytes, kind: .file) {
            throw pathError(failure.code, .file, path.bytes, failure.reason)
        }
    }

    /// Checks a path and version pair (Go's `module.Check`): ``checkPath(_:)``, then
    /// ``Semver/isValid(_:)``, then ``checkPathMajor(_:_:)`` against the path's suffix.
    ///
    /// Version errors read `<path>@<version>: invalid version: <reason>`.
    public static func check(_ module: ModuleVersion) throws(ModulePathError) {
        let path = module.path, version = module.version
        try checkPath(path)
        guard Semver.isValid(version) else {
            throw moduleVersionError(.notSemanticVersion, path: path.bytes, version: version.bytes,
                                     reason: Array("not a semantic version".utf8))
        }
        let (_, pathMajor, _) = splitPathVersion(path)
        if let failure = pathMajorMismatch(version.bytes, pathMajor.bytes) {
            throw moduleVersionError(failure.code, path: path.bytes, version: version.bytes, reason: failure.reason)
        }
    }

    /// Attaches a module path and version to an error (Go's `module.VersionError` and
    /// `ModuleError.Error`).
    ///
    /// An error already about exactly this module is returned unchanged. An invalid-version
    /// error becomes `<path>@<its version>: invalid version: <reason>` (`invalid
    /// pseudo-version` for pseudo-version errors); any other error becomes
    /// `<path>@<version>: <message>`, or `module <path>: <message>` when the version is empty.
    /// The code of `error` is kept.
    public static func versionError(_ module: ModuleVersion, _ error: ModulePathError) -> ModulePathError {
        if case .module(let path, let version) = error.shape, path == module.path, version == module.version {
            return error
        }
        var message: [UInt8]
        if case .invalidVersion(let version, let pseudo, let reason) = error.shape {
            message = module.path.bytes + [UInt8(ascii: "@")] + version.bytes
            appendText(&message, pseudo ? ": invalid pseudo-version: " : ": invalid version: ")
            message += reason.bytes
        } else {
            message = moduleErrorPrefix(module) + error.message.bytes
        }
        return ModulePathError(error.code, kind: error.kind, input: error.input, message: ByteString(message),
                               shape: .module(path: module.path, version: module.version))
    }

    /// Go's `module.VersionError` for a plain error text, e.g. cmd/go's
    /// `verifying <path>@<version>: <text>`: `<path>@<version>: <text>`, or
    /// `module <path>: <text>` when the version is empty.
    public static func versionError(_ module: ModuleVersion, message: ByteString) -> ByteString {
        ByteString(moduleErrorPrefix(module) + message.bytes)
    }

    private static func moduleErrorPrefix(_ module: ModuleVersion) -> [UInt8] {
        if module.version.isEmpty {
            return Array("module ".utf8) + module.path.bytes + Array(": ".utf8)
        }
        return module.path.bytes + [UInt8(ascii: "@")] + module.version.bytes + Array(": ".utf8)
    }

    // MARK: - Major-version suffixes

    /// Splits a path into a prefix and its major-version suffix (Go's
    /// `module.SplitPathVersion`): `example.com/m/v2` → (`example.com/m`, `/v2`, true);
    /// `gopkg.in/yaml.v2` → (`gopkg.in/yaml`, `.v2`, true). `ok` is false when the last element
    /// looks like a suffix but is malformed (`/v1`, `/v2.0`, `/v02`) or a `gopkg.in` path lacks
    /// `.vN`; `prefix + pathMajor` always equals the input.
    public static func splitPathVersion(_ path: ByteString) -> (prefix: ByteString, pathMajor: ByteString, ok: Bool) {
        let (prefix, major, ok) = splitPathVersionBytes(path.bytes)
        return (ByteString(prefix), ByteString(major), ok)
    }

    /// Whether `version` matches the path's major-version suffix (Go's `module.MatchPathMajor`).
    public static func matchPathMajor(_ version: ByteString, _ pathMajor: ByteString) -> Bool {
        pathMajorMismatch(version.bytes, pathMajor.bytes) == nil
    }

    /// Checks that `version` matches the major-version suffix `pathMajor` (Go's
    /// `module.CheckPathMajor`): no suffix allows `v0`, `v1` and `+incompatible` versions;
    /// `/vN` and `.vN` require major `vN` (`-unstable` ignored; `v0.0.0-…` pseudo-versions
    /// are allowed for `.v1`). Errors read `version "<v>" invalid: should be vN, not vM`.
    public static func checkPathMajor(_ version: ByteString, _ pathMajor: ByteString) throws(ModulePathError) {
        if let failure = pathMajorMismatch(version.bytes, pathMajor.bytes) {
            throw versionError(failure.code, version: version.bytes, pseudo: false, reason: failure.reason)
        }
    }

    /// The major-version tag prefix a suffix implies (Go's `module.PathMajorPrefix`): `v2` for
    /// `/v2` or `.v2-unstable`, `""` for no suffix. Go panics on a suffix without a leading `/`
    /// or `.` or with an invalid major; this returns `nil` instead.
    public static func pathMajorPrefix(_ pathMajor: ByteString) -> ByteString? {
        var m = pathMajor.bytes
        if m.isEmpty { return "" }
        guard m[0] == UInt8(ascii: "/") || m[0] == UInt8(ascii: ".") else { return nil }
        if m.starts(with: Literal.dotV) && m.hasSuffix(unstableSuffix) {
            m.removeLast(unstableSuffix.count)
        }
        let major = Array(m[1...])
        guard Semver.major(ByteString(major)).bytes == major else { return nil }
        return ByteString(major)
    }

    /// The canonical form of a version, keeping a `+incompatible` build suffix (Go's
    /// `module.CanonicalVersion`); `""` when the version is invalid.
    public static func canonicalVersion(_ version: ByteString) -> ByteString {
        ByteString(canonicalVersionBytes(version.bytes))
    }

    /// Sorts module versions the way cmd/go orders go.sum (Go's `module.Sort`, x/mod
    /// `module/module.go`): by path bytewise, then by the version's part before the first `/` with
    /// ``Semver/compare(_:_:)``, then by the suffix from that `/` (`""` < `/go.mod`).
    ///
    /// Go leaves the relative order of two keys unspecified when their version parts differ
    /// but compare equal as semantic versions (`v1.0.0` and `v1.0.0+meta`, or two invalid
    /// versions) — cmd/go feeds the sort from a map, so its output varies between runs. This
    /// function orders such keys by suffix and then bytewise, a total order that agrees with
    /// every ordering decision Go's comparator does make.
    public static func sort(_ list: inout [ModuleVersion]) {
        guard list.count > 1 else { return }
        // First by path and version bytes (cheap), then each run of equal paths by the full
        // order, with every version of the run parsed once rather than once per comparison.
        let paths = list.map(\.path.bytes), versions = list.map(\.version.bytes)
        let byBytes = list.indices.sorted { a, b in
            let c = compareByteOrder(paths[a], paths[b])
            return c != 0 ? c < 0 : compareByteOrder(versions[a], versions[b]) < 0
        }
        list = byBytes.map { list[$0] }
        var start = 0
        while start < list.count {
            var end = start + 1
            while end < list.count && list[end].path == list[start].path { end += 1 }
            if end - start > 1 {
                let keys = list[start..<end].map(SortKey.init)
                let order = keys.indices.sorted { SortKey.compare(keys[$0], keys[$1]) < 0 }
                let run = order.map { list[start + $0] }
                list.replaceSubrange(start..<end, with: run)
            }
            start = end
        }
    }

    /// The total order used by ``sort(_:)``: `-1`, `0` or `+1`.
    static func compareForSort(_ a: ModuleVersion, _ b: ModuleVersion) -> Int {
        SortKey.compare(SortKey(a), SortKey(b))
    }

    /// A module version prepared for sorting: the version split at its first `/` and the part
    /// before it parsed as a semantic version.
    struct SortKey {
        let path: ArraySlice<UInt8>
        let versionPart: ArraySlice<UInt8>
        let suffix: ArraySlice<UInt8>
        let parsed: SemverParse?

        init(_ v: ModuleVersion) {
            path = v.path.bytes[...]
            (versionPart, suffix) = Module.splitAtSlash(v.version.bytes)
            parsed = SemverParse(versionPart)
        }

        /// Path bytewise; version parts by semver precedence when they differ; suffix bytewise;
        /// version parts bytewise.
        static func compare(_ a: SortKey, _ b: SortKey) -> Int {
            let c = compareByteOrder(a.path, b.path)
            if c != 0 { return c }
            let bytewise = compareByteOrder(a.versionPart, b.versionPart)
            if bytewise != 0 {
                let s = Semver.compareParsed(a.parsed, b.parsed)
                if s != 0 { return s }
            }
            let f = compareByteOrder(a.suffix, b.suffix)
            if f != 0 { return f }
            return bytewise
        }
    }

    static func splitAtSlash(_ v: [UInt8]) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
        guard let k = v.firstIndex(of: UInt8(ascii: "/")) else { return (v[...], []) }
        return (v[..<k], v[k...])
    }

    // MARK: - Internals shared with the rest of the folder

    /// A broken rule: its code and Go's bare reason text (before any wrapping).
    typealias RuleFailure = (code: ModulePathError.Code, reason: [UInt8])

    static let unstableSuffix = Array("-unstable".utf8)

    /// Byte constants used on hot paths (a literal converted with `Array(_:)` allocates).
    enum Literal {
        static let dotV = Array(".v".utf8)
        static let dotV0 = Array(".v0".utf8)
        static let dotV1 = Array(".v1".utf8)
        static let slashV1 = Array("/v1".utf8)
        static let v0 = Array("v0".utf8)
        static let v1 = Array("v1".utf8)
        static let incompatible = Array("+incompatible".utf8)
        static let zeroPseudoPrefix = Array("v0.0.0-".utf8)
        static let gopkgIn = Array("gopkg.in/".utf8)
    }

    static func canonicalVersionBytes(_ v: [UInt8]) -> [UInt8] {
        var cv = Semver.canonicalBytes(v)
        if SemverParse(v)?.build.elementsEqual(Literal.incompatible) == true {
            cv += Literal.incompatible
        }
        return cv
    }

    /// `malformed <kind> path "<path>": <reason>` (Go's `InvalidPathError`).
    static func pathError(_ code: ModulePathError.Code, _ kind: ModulePathError.PathKind, _ path: [UInt8],
                          _ reason: [UInt8]) -> ModulePathError {
        var message: [UInt8] = []
        appendText(&message, "malformed \(kind.rawValue) path ")
        message += quotedBytes(path)
        appendText(&message, ": ")
        message += reason
        return ModulePathError(code, kind: kind, input: ByteString(path), message: ByteString(message))
    }

    /// `<version noun> "<v>" invalid: <reason>` (Go's `InvalidVersionError`).
    static func versionError(_ code: ModulePathError.Code, version: [UInt8], pseudo: Bool,
                             reason: [UInt8]) -> ModulePathError {
        var message: [UInt8] = []
        appendText(&message, pseudo ? "pseudo-version " : "version ")
        message += quotedBytes(version)
        appendText(&message, " invalid: ")
        message += reason
        return ModulePathError(code, input: ByteString(version), message: ByteString(message),
                               shape: .invalidVersion(version: ByteString(version), pseudo: pseudo,
                                                      reason: ByteString(reason)))
    }

    /// `<path>@<version>: invalid version: <reason>` (Go's `ModuleError` wrapping an
    /// `InvalidVersionError`; path and version are printed raw, with `%s`).
    static func moduleVersionError(_ code: ModulePathError.Code, path: [UInt8], version: [UInt8],
                                   reason: [UInt8]) -> ModulePathError {
        var message = path
        message.append(UInt8(ascii: "@"))
        message += version
        appendText(&message, ": invalid version: ")
        message += reason
        // Go's Check returns ModuleError{Path: path, Err: InvalidVersionError{…}}: no Version.
        return ModulePathError(code, input: ByteString(version), message: ByteString(message),
                               shape: .module(path: ByteString(path), version: ""))
    }

    /// Go's `CheckPathMajor` minus the error wrapping: `nil` when `v` matches.
    static func pathMajorMismatch(_ v: [UInt8], _ pathMajorIn: [UInt8]) -> RuleFailure? {
        var pathMajor = pathMajorIn
        if pathMajor.starts(with: Literal.dotV) && pathMajor.hasSuffix(unstableSuffix) {
            pathMajor.removeLast(unstableSuffix.count)
        }
        if v.starts(with: Literal.zeroPseudoPrefix) && pathMajor == Literal.dotV1 {
            // Old vgo bug: v0.0.0- pseudo-versions for gopkg.in .v1 paths are allowed.
            return nil
        }
        let parsed = SemverParse(v)
        let m: ArraySlice<UInt8> = parsed.map { v[0..<(1 + $0.major.count)] } ?? []
        var want: [UInt8]
        if pathMajor.isEmpty {
            if m.elementsEqual(Literal.v0) || m.elementsEqual(Literal.v1)
                || parsed?.build.elementsEqual(Literal.incompatible) == true {
                return nil
            }
            want = Array("v0 or v1".utf8)
        } else if pathMajor[0] == UInt8(ascii: "/") || pathMajor[0] == UInt8(ascii: ".") {
            if m.elementsEqual(pathMajor[1...]) { return nil }
            want = Array(pathMajor[1...])
        } else {
            want = pathMajor
        }
        var reason: [UInt8] = Array("should be ".utf8)
        reason += want
        appendText(&reason, ", not ")
        reason += m
        return (.majorVersionMismatch, reason)
    }

    /// Go's `SplitPathVersion` on bytes.
    package static func splitPathVersionBytes(_ path: [UInt8]) -> (prefix: [UInt8], pathMajor: [UInt8], ok: Bool) {
        if path.starts(with: Literal.gopkgIn) { return splitGopkgIn(path) }
        var i = path.count
        var dot = false
        while i > 0 && (isASCIIDigit(path[i - 1]) || path[i - 1] == UInt8(ascii: ".")) {
            if path[i - 1] == UInt8(ascii: ".") { dot = true }
            i -= 1
        }
        if i <= 1 || i == path.count || path[i - 1] != UInt8(ascii: "v") || path[i - 2] != UInt8(ascii: "/") {
            return (path, [], true)
        }
        let prefix = Array(path[..<(i - 2)]), pathMajor = Array(path[(i - 2)...])
        if dot || pathMajor.count <= 2 || pathMajor[2] == UInt8(ascii: "0") || pathMajor == Literal.slashV1 {
            return (path, [], false)
        }
        return (prefix, pathMajor, true)
    }

    private static func splitGopkgIn(_ path: [UInt8]) -> (prefix: [UInt8], pathMajor: [UInt8], ok: Bool) {
        var i = path.count
        if path.hasSuffix(unstableSuffix) { i -= unstableSuffix.count }
        while i > 0 && isASCIIDigit(path[i - 1]) { i -= 1 }
        if i <= 1 || path[i - 1] != UInt8(ascii: "v") || path[i - 2] != UInt8(ascii: ".") {
            return (path, [], false)
        }
        let prefix = Array(path[..<(i - 2)]), pathMajor = Array(path[(i - 2)...])
        if pathMajor.count <= 2 || (pathMajor[2] == UInt8(ascii: "0") && pathMajor != Literal.dotV0) {
            return (path, [], false)
        }
        return (prefix, pathMajor, true)
    }

    /// CheckPath's rules beyond the shared element rules; `nil` when they pass.
    private static func checkModulePathExtras(_ path: [UInt8]) -> RuleFailure? {
        let i = path.firstIndex(of: UInt8(ascii: "/")) ?? path.count
        if i == 0 { return (.leadingSlash, Array("leading slash".utf8)) }
        let first = path[..<i]
        if !first.contains(UInt8(ascii: ".")) {
            return (.missingDotInFirstElement, Array("missing dot in first path element".utf8))
        }
        if path[0] == UInt8(ascii: "-") {
            return (.leadingDashInFirstElement, Array("leading dash in first path element".utf8))
        }
        // The whole path is valid UTF-8 here (checkPathBytes ran first).
        var j = first.startIndex
        while j < first.endIndex {
            let (rune, width, _) = goDecodeRune(first, at: j)
            j += width
            let ok = rune == 0x2D || rune == 0x2E || (0x30...0x39).contains(rune) || (0x61...0x7A).contains(rune)
            if !ok {
                return (.invalidCharacterInFirstElement,
                        Array("invalid char \(goQuoteRune(rune)) in first path element".utf8))
            }
        }
        if !splitPathVersionBytes(path).ok { return (.invalidMajorVersionSuffix, Array("invalid version".utf8)) }
        return nil
    }

    /// Go's `checkPath`: the rules shared by the three path kinds; `nil` when they pass.
    static func checkPathBytes(_ path: [UInt8], kind: ModulePathError.PathKind) -> RuleFailure? {
        guard isValidUTF8(path[...]) else { return (.invalidUTF8, Array("invalid UTF-8".utf8)) }
        guard let last = path.last else { return (.empty, Array("empty string".utf8)) }
        if path[0] == UInt8(ascii: "-") && kind != .file { return (.leadingDash, Array("leading dash".utf8)) }
        if containsDoubleSlash(path) { return (.doubleSlash, Array("double slash".utf8)) }
        if last == UInt8(ascii: "/") { return (.trailingSlash, Array("trailing slash".utf8)) }
        var start = 0
        var i = 0
        while i < path.count {
            if path[i] == UInt8(ascii: "/") {
                if let failure = checkElement(path[start..<i], kind: kind) { return failure }
                start = i + 1
            }
            i += 1
        }
        return checkElement(path[start...], kind: kind)
    }

    private static func containsDoubleSlash(_ path: [UInt8]) -> Bool {
        var previousSlash = false
        for b in path {
            let slash = b == UInt8(ascii: "/")
            if slash && previousSlash { return true }
            previousSlash = slash
        }
        return false
    }

    private static let badWindowsNames: [[UInt8]] = [
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ].map { Array($0.utf8) }

    /// Go's `checkElem`: one path element; `nil` when valid.
    ///
    /// Runes are decoded like Go's `range` over a string: an invalid byte is U+FFFD, which is
    /// not a letter and so is rejected for every kind.
    static func checkElement(_ elem: ArraySlice<UInt8>, kind: ModulePathError.PathKind) -> RuleFailure? {
        guard let first = elem.first, let last = elem.last else {
            return (.emptyElement, Array("empty path element".utf8))
        }
        if !elem.contains(where: { $0 != UInt8(ascii: ".") }) {
            return (.dotsOnlyElement, Array("invalid path element ".utf8) + quotedBytes(elem))
        }
        if first == UInt8(ascii: ".") && kind == .module {
            return (.leadingDot, Array("leading dot in path element".utf8))
        }
        if last == UInt8(ascii: ".") { return (.trailingDot, Array("trailing dot in path element".utf8)) }
        var i = elem.startIndex
        while i < elem.endIndex {
            let (rune, width, _) = goDecodeRune(elem, at: i)
            i += width
            let ok: Bool
            switch kind {
            case .module: ok = modulePathRuneOK(rune)
            case .import: ok = modulePathRuneOK(rune) || rune == UInt32(UInt8(ascii: "+"))
            case .file: ok = fileNameRuneOK(rune)
            }
            if !ok { return (.invalidCharacter, Array("invalid char \(goQuoteRune(rune))".utf8)) }
        }

        // Windows reserved names, compared case-insensitively on the part before the first dot.
        // Go uses strings.EqualFold; the only non-ASCII runes that fold to ASCII letters are
        // U+212A (k) and U+017F (s), neither of which occurs in these names, so ASCII folding
        // gives the same answer.
        let dot = elem.firstIndex(of: UInt8(ascii: ".")) ?? elem.endIndex
        let short = elem[elem.startIndex..<dot]
        if short.count == 3 || short.count == 4 {
            for bad in badWindowsNames where short.count == bad.count {
                var same = true
                var k = 0
                while same && k < bad.count {
                    same = asciiLower(short[short.startIndex + k]) == asciiLower(bad[k])
                    k += 1
                }
                if same {
                    return (.windowsReservedName,
                            quotedBytes(short) + Array(" disallowed as path element component on Windows".utf8))
                }
            }
        }
        if kind == .file { return nil }

        // Windows short names: a tilde followed by one or more ASCII digits at the end.
        if let tilde = short.lastIndex(of: UInt8(ascii: "~")), tilde < short.endIndex - 1 {
            if short[(tilde + 1)...].allSatisfy(isASCIIDigit) {
                return (.windowsShortName, Array("trailing tilde and digits in path element".utf8))
            }
        }
        return nil
    }

    /// Go's `modPathOK`: ASCII letters and digits and `- . _ ~`.
    static func modulePathRuneOK(_ r: UInt32) -> Bool {
        guard r < 0x80 else { return false }
        let c = UInt8(r)
        return c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "~")
            || isASCIIDigit(c) || isASCIILetter(c)
    }

    private static let fileNamePunctuation = Array("!#$%&()+,-.=@[]^_{}~ ".utf8)

    /// Go's `fileNameOK`: ASCII letters and digits, `!#$%&()+,-.=@[]^_{}~` and space, and any
    /// non-ASCII rune for which `unicode.IsLetter` holds (general categories Lu, Ll, Lt, Lm,
    /// Lo).
    ///
    /// Letters are decided with the Swift runtime's Unicode properties. On Swift 6.3.1 (Linux)
    /// they agree with Go 1.27.3's Unicode 17.0.0 tables for every scalar; a test compares
    /// them against the Go reference over all code points, so a runtime with another Unicode
    /// version shows up as a failing test rather than a silent skew.
    static func fileNameRuneOK(_ r: UInt32) -> Bool {
        if r < 0x80 {
            let c = UInt8(r)
            return isASCIIDigit(c) || isASCIILetter(c) || fileNamePunctuation.contains(c)
        }
        return goIsLetter(r)
    }
}

/// Go's `unicode.IsLetter` for any rune value (categories Lu, Ll, Lt, Lm, Lo).
func goIsLetter(_ r: UInt32) -> Bool {
    guard let scalar = Unicode.Scalar(r) else { return false }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
}

extension Array where Element == UInt8 {
    /// Whether the array ends with `suffix`.
    package func hasSuffix(_ suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}

/// Go's `utf8.DecodeRune` at index `i` (which must be valid): the rune, its width and whether
/// the encoding was valid. An invalid or truncated sequence, an overlong form or a surrogate
/// yields (U+FFFD, 1, false), as in Go.
@inline(__always)
func goDecodeRune(_ s: ArraySlice<UInt8>, at i: Int) -> (rune: UInt32, width: Int, valid: Bool) {
    let b0 = s[i]
    if b0 < 0x80 { return (UInt32(b0), 1, true) }
    let need: Int, minValue: UInt32, initial: UInt32
    switch b0 {
    case 0xC2...0xDF: (need, minValue, initial) = (1, 0x80, UInt32(b0 & 0x1F))
    case 0xE0...0xEF: (need, minValue, initial) = (2, 0x800, UInt32(b0 & 0x0F))
    case 0xF0...0xF4: (need, minValue, initial) = (3, 0x10000, UInt32(b0 & 0x07))
    default: return (0xFFFD, 1, false)
    }
    guard i + need < s.endIndex else { return (0xFFFD, 1, false) }
    var value = initial
    for k in 1...need {
        let c = s[i + k]
        guard c & 0xC0 == 0x80 else { return (0xFFFD, 1, false) }
        value = value << 6 | UInt32(c & 0x3F)
    }
    if value < minValue || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return (0xFFFD, 1, false) }
    return (value, need + 1, true)
}

/// Go's `utf8.Valid`.
func isValidUTF8(_ s: ArraySlice<UInt8>) -> Bool {
    var i = s.startIndex
    while i < s.endIndex {
        if s[i] < 0x80 {
            i += 1
            continue
        }
        let (_, width, valid) = goDecodeRune(s, at: i)
        if !valid { return false }
        i += width
    }
    return true
}
