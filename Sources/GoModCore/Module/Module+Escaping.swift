// Case-encoding of module paths and versions ("escaping", x/mod `module/module.go`): every
// upper-case ASCII letter becomes "!" followed by its lower-case form, so that names stay distinct
// on case-insensitive file systems and in URLs.

extension Module {
    /// The escaped form of a module path (Go's `module.EscapePath`):
    /// `github.com/GoogleCloudPlatform/omega` → `github.com/!google!cloud!platform/omega`.
    /// The path must pass ``checkPath(_:)``; its error is thrown unchanged.
    public static func escapePath(_ path: ByteString) throws(ModulePathError) -> ByteString {
        try checkPath(path)
        return try escapeString(path.bytes)
    }

    /// The escaped form of a version (Go's `module.EscapeVersion`).
    ///
    /// Versions need not be semantic versions but must be valid file-path elements without
    /// `!`; otherwise the error is `version "<v>" invalid: disallowed version string`. A
    /// non-ASCII letter passes the element check but fails Go's escaper with
    /// `internal error: inconsistency in EscapePath`, reproduced here.
    public static func escapeVersion(_ version: ByteString) throws(ModulePathError) -> ByteString {
        let v = version.bytes
        if checkElement(v[...], kind: .file) != nil || v.contains(UInt8(ascii: "!")) {
            throw versionError(.disallowedVersionString, version: v, pseudo: false,
                               reason: Array("disallowed version string".utf8))
        }
        return try escapeString(v)
    }

    /// The module path an escaped path stands for (Go's `module.UnescapePath`).
    ///
    /// Rejects any non-ASCII byte, any upper-case letter, a `!` not followed by `a`–`z` and a
    /// trailing `!` (`invalid escaped module path "<e>"`), and a result that fails
    /// ``checkPath(_:)`` (`invalid escaped module path "<e>": malformed module path …`).
    public static func unescapePath(_ escaped: ByteString) throws(ModulePathError) -> ByteString {
        let e = escaped.bytes
        var prefix = Array("invalid escaped module path ".utf8) + quotedBytes(e)
        guard let path = unescapeString(e) else {
            throw ModulePathError(.invalidEscapedPath, input: escaped, message: ByteString(prefix))
        }
        do {
            try checkPath(ByteString(path))
        } catch {
            appendText(&prefix, ": ")
            prefix += error.message.bytes
            throw ModulePathError(.invalidEscapedPath, input: escaped, message: ByteString(prefix))
        }
        return ByteString(path)
    }

    /// The version an escaped version stands for (Go's `module.UnescapeVersion`).
    ///
    /// Decoding errors read `invalid escaped version "<e>"`; a decoded version that is not a
    /// valid file-path element reads `invalid escaped version "<v>": <reason>` — Go quotes the
    /// *decoded* version there, and so does this function.
    public static func unescapeVersion(_ escaped: ByteString) throws(ModulePathError) -> ByteString {
        let e = escaped.bytes
        guard let v = unescapeString(e) else {
            throw ModulePathError(.invalidEscapedVersion, input: escaped,
                                  message: ByteString(Array("invalid escaped version ".utf8) + quotedBytes(e)))
        }
        if let failure = checkElement(v[...], kind: .file) {
            var message = Array("invalid escaped version ".utf8) + quotedBytes(v)
            appendText(&message, ": ")
            message += failure.reason
            throw ModulePathError(.invalidEscapedVersion, input: escaped, message: ByteString(message))
        }
        return ByteString(v)
    }

    /// Go's `escapeString`.
    private static func escapeString(_ s: [UInt8]) throws(ModulePathError) -> ByteString {
        var haveUpper = false
        for c in s {
            // Any byte >= 0x80 belongs to a non-ASCII rune (or is invalid UTF-8, which the
            // callers' checks have already rejected).
            if c == UInt8(ascii: "!") || c >= 0x80 {
                throw ModulePathError(.escapingInconsistency, input: ByteString(s),
                                      message: "internal error: inconsistency in EscapePath")
            }
            if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") { haveUpper = true }
        }
        guard haveUpper else { return ByteString(s) }
        return ByteString(caseEscaped(s))
    }

    /// The escaping step of Go's `escapeString` without its checks: each upper-case ASCII letter
    /// becomes `!` and its lower-case form. For input already known valid (a checked
    /// ``ModulePath`` or ``SemanticVersion``: ASCII without `!`).
    package static func caseEscaped(_ s: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count + 8)
        for c in s {
            if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") {
                out.append(UInt8(ascii: "!"))
                out.append(c + 32)
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Go's `unescapeString`; `nil` when the escaped form is malformed.
    private static func unescapeString(_ escaped: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(escaped.count)
        var bang = false
        for c in escaped {
            if c >= 0x80 { return nil }
            if bang {
                bang = false
                guard c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") else { return nil }
                out.append(c - 32)
                continue
            }
            if c == UInt8(ascii: "!") {
                bang = true
                continue
            }
            if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") { return nil }
            out.append(c)
        }
        return bang ? nil : out
    }
}
