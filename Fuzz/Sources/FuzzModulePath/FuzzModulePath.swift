import GoModCore

/// Splits the input at its first NUL byte into a path (or pattern list) and a version.
func split(_ bytes: [UInt8]) -> (ByteString, ByteString) {
    guard let nul = bytes.firstIndex(of: 0) else { return (ByteString(bytes), ByteString(bytes)) }
    return (ByteString(bytes[..<nul]), ByteString(bytes[(nul + 1)...]))
}

/// libFuzzer entry point for the module path and version validators (x/mod `module` and
/// `semver`; Docs/Testing.md, "Fuzzing"; issue 13 point 9).
///
/// The input is a path and a version separated by the first NUL (without one, both are the whole
/// input). Every validator, escaper, semver function, pseudo-version accessor, major-version
/// helper, glob matcher and `path@version` argument splitter runs on it. Invariants, all from
/// x/mod's own contracts:
/// - a path `CheckPath` accepts passes `CheckImportPath`; an import path passes `CheckFilePath`;
/// - `UnescapePath(EscapePath(p)) == p` for a valid path, `UnescapeVersion(EscapeVersion(v)) == v`
///   whenever escaping succeeds, and an escaped path has no upper-case letter;
/// - `Canonical` is idempotent, yields valid versions, and `Compare(v, v) == 0`; `Compare` is
///   antisymmetric; `Max` returns one of its arguments, canonicalised;
/// - `SplitPathVersion`'s prefix and suffix concatenate to the input;
/// - a pseudo-version is valid semver and its base, when it has one, compares below it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModulePath(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let (path, version) = split(bytes)

    // Paths.
    let pathOK = (try? Module.checkPath(path)) != nil
    let importOK = (try? Module.checkImportPath(path)) != nil
    let fileOK = (try? Module.checkFilePath(path)) != nil
    if pathOK && !importOK { fatalError("CheckPath accepts \(path) but CheckImportPath does not") }
    if importOK && !fileOK { fatalError("CheckImportPath accepts \(path) but CheckFilePath does not") }
    do {
        let escaped = try Module.escapePath(path)
        if escaped.bytes.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { fatalError("escaped path \(escaped) has upper case") }
        guard let back = try? Module.unescapePath(escaped), back == path else { fatalError("escape round trip of \(path)") }
    } catch {
        if pathOK { fatalError("EscapePath rejects the valid path \(path): \(error)") }
        _ = error.description
    }
    if let unescaped = try? Module.unescapePath(path) {
        if (try? Module.checkPath(unescaped)) == nil { fatalError("UnescapePath returned the invalid path \(unescaped)") }
    }
    if let p = try? ModulePath(path) {
        _ = (p.escaped, p.pathMajor, p.prefix, p.description)
    }
    let (prefix, major, _) = Module.splitPathVersion(path)
    if prefix + major != path { fatalError("SplitPathVersion lost bytes of \(path)") }
    _ = Module.pathMajorPrefix(major)
    _ = Module.matchPathMajor(version, major)
    if let error = (Result { () throws(ModulePathError) in try Module.checkPathMajor(version, major) }).failureValue {
        _ = error.description
    }

    // Versions.
    if let escaped = try? Module.escapeVersion(version) {
        guard let back = try? Module.unescapeVersion(escaped), back == version else { fatalError("version escape round trip") }
    }
    _ = try? Module.unescapeVersion(version)
    let canonical = Semver.canonical(version)
    if Semver.isValid(version) {
        if !Semver.isValid(canonical) || Semver.canonical(canonical) != canonical { fatalError("Canonical of \(version)") }
        if Semver.compare(version, version) != 0 || Semver.compare(version, canonical) != 0 { fatalError("Compare of \(version)") }
        _ = (Semver.major(version), Semver.majorMinor(version), Semver.prerelease(version), Semver.build(version))
    } else if !canonical.isEmpty {
        fatalError("Canonical of the invalid \(version) is \(canonical)")
    }
    let other = path
    let c = Semver.compare(version, other)
    if c != -Semver.compare(other, version) { fatalError("Compare is not antisymmetric") }
    // semver.Max canonicalises both arguments and returns one of the canonical forms.
    let m = Semver.max(version, other)
    if m != canonical && m != Semver.canonical(other) { fatalError("Max returned neither canonical argument") }
    _ = Module.canonicalVersion(version)
    if let sv = SemanticVersion(version) {
        _ = (sv.canonical, sv.moduleCanonical, sv.isCanonical, sv.isIncompatible, sv.escaped)
    }

    // Pseudo-versions.
    if Module.isPseudoVersion(version) {
        if !Semver.isValid(version) { fatalError("pseudo-version \(version) is not valid semver") }
        _ = try? Module.pseudoVersionTime(version)
        _ = try? Module.pseudoVersionRev(version)
        if let base = try? Module.pseudoVersionBase(version), !base.isEmpty, Semver.compare(base, version) >= 0 {
            fatalError("pseudo-version base \(base) is not below \(version)")
        }
        _ = Module.isZeroPseudoVersion(version)
    }

    // The pair, patterns and arguments.
    let mv = ModuleVersion(path: path, version: version)
    if let error = (Result { () throws(ModulePathError) in try mv.check() }).failureValue {
        _ = (error.description, Module.versionError(mv, error).description)
    }
    var list = [mv, ModuleVersion(path: version, version: path), ModuleVersion(path: path, version: canonical)]
    Module.sort(&list)
    _ = Module.matchPrefixPatterns(path, version)
    _ = try? Module.pathMatch(path, version)
    let patterns = PathPatterns(path)
    _ = (patterns.patterns, patterns.invalidPatterns, patterns.matches(version))
    if let parsed = try? ModuleVersion.parse(argument: ByteString(bytes)) {
        if parsed.hasVersion, parsed.module.path + "@" + parsed.module.version != ByteString(bytes) {
            fatalError("argument split lost bytes")
        }
    }
    return 0
}

extension Result {
    /// The error, if any.
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
