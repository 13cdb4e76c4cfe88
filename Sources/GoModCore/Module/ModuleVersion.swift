/// A module at a version, printed `path@version` (Go's `module.Version` with both parts
/// validated).
///
/// ``init(_:_:)-(ByteString,ByteString)`` runs Go's `module.Check`: the path must be valid, the
/// version a semantic version, and the version's major must match the path's major-version suffix.
/// Ordering is Go's `module.Sort`: by path bytewise, then by version precedence (ties bytewise).
public struct ModuleVersion: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The module path.
    public var path: ModulePath
    /// The version.
    public var version: SemanticVersion

    /// Pairs an already validated path and version. The major-version rule of
    /// `module.Check` is not applied; use ``init(_:_:)-(ByteString,ByteString)`` or
    /// ``ModulePath/allows(_:)`` for that.
    public init(path: ModulePath, version: SemanticVersion) {
        self.path = path
        self.version = version
    }

    /// Validates the pair with Go's `module.Check`, throwing Go's error (e.g.
    /// `example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2`).
    public init(_ path: ByteString, _ version: ByteString) throws(ModulePathError) {
        try GoModule.check(path: path, version: version)
        // Both parts are valid here: check() ran CheckPath and semver.IsValid.
        self.path = try ModulePath(path)
        guard let parsed = SemanticVersion(version) else {
            throw GoModule.moduleVersionError(.notSemanticVersion, path: path.bytes, version: version.bytes,
                                              reason: Array("not a semantic version".utf8))
        }
        self.version = parsed
    }

    /// Validates the pair with Go's `module.Check`.
    public init(_ path: String, _ version: String) throws(ModulePathError) {
        try self.init(ByteString(path), ByteString(version))
    }

    /// The unvalidated Go pair with the same bytes.
    public var goVersion: GoModule.Version { GoModule.Version(path: path.bytes, version: version.bytes) }

    /// `path@version`.
    public var description: String { path.string + "@" + version.string }

    /// The escaped `path/@v/version` pieces joined as `escapedPath@escapedVersion`, the form
    /// checksum-database lookups use.
    public var escaped: String { path.escaped + "@" + version.escaped }

    /// Go's `module.Sort` order (path bytewise, then version precedence, ties bytewise).
    public static func < (lhs: ModuleVersion, rhs: ModuleVersion) -> Bool {
        GoModule.compareForSort(lhs.goVersion, rhs.goVersion) < 0
    }
}
