/// A module at a version: Go's `module.Version`, the one "module at a version" type of every
/// GoModKit API (go.sum keys, go.mod requirements, checksum-database lookups, proxy requests,
/// the module cache).
///
/// Like Go's struct, the pair is stored unvalidated and unescaped, as bytes: a go.sum key's
/// version may carry a `/go.mod` suffix, and a hostile file may hold anything. ``check()``
/// (and the validating ``init(_:_:)-(ByteString,ByteString)``) apply Go's `module.Check`.
///
/// ``description`` is `path@version`, or just `path` when the version is empty (Go's
/// `Version.String`). Equality and hashing are bytewise; ordering is Go's `module.Sort`: by path
/// bytewise, then by semantic-version precedence, ties bytewise.
public struct ModuleVersion: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The module path, e.g. `golang.org/x/text`.
    public var path: ByteString
    /// The version, e.g. `v0.3.0`, possibly with a `/go.mod` suffix in go.sum keys.
    public var version: ByteString

    /// Creates a pair without validating either part (Go's `module.Version{Path: …, Version: …}`).
    public init(path: ByteString, version: ByteString) {
        self.path = path
        self.version = version
    }

    /// Validates the pair with Go's `module.Check`, throwing Go's error (e.g.
    /// `example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2`).
    public init(_ path: ByteString, _ version: ByteString) throws(ModulePathError) {
        self.init(path: path, version: version)
        try check()
    }

    /// Validates the pair with Go's `module.Check`.
    public init(_ path: String, _ version: String) throws(ModulePathError) {
        try self.init(ByteString(path), ByteString(version))
    }

    /// Go's `module.Check`: the path is a valid module path, the version a semantic version,
    /// and the version's major matches the path's major-version suffix.
    public func check() throws(ModulePathError) {
        try Module.check(self)
    }

    /// `path@version`, or `path` when the version is empty (Go's `Version.String`), with
    /// invalid UTF-8 shown Go-quoted.
    public var description: String {
        let bytes = version.isEmpty ? path : path + "@" + version
        return bytes.utf8String ?? goQuote(bytes.bytes)
    }

    /// `escapedPath@escapedVersion` (Go's `module.EscapePath` and `module.EscapeVersion`), the form
    /// checksum-database lookups use.
    public var escaped: String {
        get throws(ModulePathError) {
            let p = try Module.escapePath(path), v = try Module.escapeVersion(version)
            return String(decoding: p.bytes + [0x40] + v.bytes, as: UTF8.self)
        }
    }

    /// Go's `module.Sort` order (path bytewise, then version precedence, ties bytewise).
    public static func < (lhs: ModuleVersion, rhs: ModuleVersion) -> Bool {
        Module.compareForSort(lhs, rhs) < 0
    }
}
