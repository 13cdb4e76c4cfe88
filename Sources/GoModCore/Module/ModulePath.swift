/// A valid Go module path, such as `golang.org/x/text` or `github.com/BurntSushi/toml/v2`.
///
/// Creating one runs Go's `module.CheckPath` (x/mod `module/module.go`); the error is Go's, e.g.
/// `malformed module path "x": missing dot in first path element`. Valid module paths are
/// pure ASCII, so ``string`` never loses information, but identity, ordering and hashing are
/// still bytewise (Go's string order).
public struct ModulePath: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The path's bytes (ASCII).
    public let bytes: ByteString

    /// Validates `path` with Go's `module.CheckPath`.
    public init(_ path: ByteString) throws(ModulePathError) {
        try Module.checkPath(path)
        self.bytes = path
    }

    /// Validates `path` with Go's `module.CheckPath`; the UTF-8 bytes are checked as they are
    /// (no Unicode normalization).
    public init(_ path: String) throws(ModulePathError) {
        try self.init(ByteString(path))
    }

    /// Decodes an escaped path such as `github.com/!burnt!sushi/toml` (Go's
    /// `module.UnescapePath`) and validates the result.
    public init(escaped: ByteString) throws(ModulePathError) {
        self.bytes = try Module.unescapePath(escaped)
    }

    /// Decodes an escaped path (Go's `module.UnescapePath`) and validates the result.
    public init(escaped: String) throws(ModulePathError) {
        try self.init(escaped: ByteString(escaped))
    }

    /// The path as text.
    public var string: String { String(decoding: bytes.bytes, as: UTF8.self) }

    /// The path itself (not quoted).
    public var description: String { string }

    /// The case-escaped form used in proxy URLs and module-cache names (Go's
    /// `module.EscapePath`): `github.com/BurntSushi/toml` → `github.com/!burnt!sushi/toml`.
    public var escaped: String {
        // A valid module path is ASCII without '!', so escaping cannot fail.
        String(decoding: Module.caseEscaped(bytes.bytes), as: UTF8.self)
    }

    /// The major-version suffix: `/v2` for `example.com/m/v2`, `.v1` or `.v2-unstable` for
    /// gopkg.in paths; `nil` when there is none (Go's `module.SplitPathVersion`).
    public var pathMajor: String? {
        let major = Module.splitPathVersionBytes(bytes.bytes).pathMajor
        return major.isEmpty ? nil : String(decoding: major, as: UTF8.self)
    }

    /// The path without its major-version suffix: `example.com/m` for `example.com/m/v2`.
    public var prefix: String {
        String(decoding: Module.splitPathVersionBytes(bytes.bytes).prefix, as: UTF8.self)
    }

    /// Whether `version` may be a version of this module: its major version matches the
    /// path's suffix (Go's `module.CheckPathMajor`, as used by `module.Check`).
    public func allows(_ version: SemanticVersion) -> Bool {
        Module.matchPathMajor(version.bytes, ByteString(Module.splitPathVersionBytes(bytes.bytes).pathMajor))
    }

    /// Bytewise order (Go's string order).
    public static func < (lhs: ModulePath, rhs: ModulePath) -> Bool { lhs.bytes < rhs.bytes }

    /// Decodes a JSON string and validates it with `module.CheckPath`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text)
    }

    /// Encodes as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }
}
