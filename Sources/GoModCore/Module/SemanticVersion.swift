/// A valid Go semantic version such as `v1.2.3`, `v2.0.0-rc.1+incompatible` or the shorthand
/// `v1.2` (Go's `semver.IsValid`, x/mod `semver/semver.go`).
///
/// The text is kept exactly as given; ``canonical`` gives the normal form. Valid versions are
/// pure ASCII.
///
/// Ordering (`<`) is Go's `semver.Sort` order: semantic-version precedence (``compare(to:)``,
/// Go's `semver.Compare`), with ties between different spellings of the same precedence
/// (`v1.2` and `v1.2.0`, or different build metadata) broken bytewise. Equality is bytewise,
/// so `v1.2` and `v1.2.0` are different values with equal precedence.
public struct SemanticVersion: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The version's bytes (ASCII), exactly as parsed.
    public let bytes: ByteString

    /// Parses `text`; `nil` unless it is a valid semantic version (Go's `semver.IsValid`).
    public init?(_ text: ByteString) {
        guard Semver.isValid(text) else { return nil }
        self.bytes = text
    }

    /// Parses `text`; `nil` unless it is a valid semantic version (Go's `semver.IsValid`).
    public init?(_ text: String) {
        self.init(ByteString(text))
    }

    /// The version as text.
    public var string: String { String(decoding: bytes.bytes, as: UTF8.self) }

    /// The version itself (not quoted).
    public var description: String { string }

    /// The canonical form: missing components filled with `.0`, build metadata dropped
    /// (Go's `semver.Canonical`): `v1.2` → `v1.2.0`, `v1.2.3+meta` → `v1.2.3`.
    public var canonical: SemanticVersion {
        SemanticVersion(validated: Semver.canonical(bytes))
    }

    /// The canonical form keeping a `+incompatible` suffix (Go's `module.CanonicalVersion`):
    /// the form module zips, checksum-database lookups and cache names require.
    public var moduleCanonical: SemanticVersion {
        SemanticVersion(validated: Module.canonicalVersion(bytes))
    }

    /// Whether the text is already in ``moduleCanonical`` form.
    public var isCanonical: Bool { moduleCanonical.bytes == bytes }

    /// The major-version prefix, e.g. `v2` (Go's `semver.Major`).
    public var major: String { String(decoding: Semver.major(bytes).bytes, as: UTF8.self) }

    /// The `major.minor` prefix, e.g. `v2.1` (Go's `semver.MajorMinor`).
    public var majorMinor: String { String(decoding: Semver.majorMinor(bytes).bytes, as: UTF8.self) }

    /// The prerelease suffix including `-`, or `""` (Go's `semver.Prerelease`).
    public var prerelease: String { String(decoding: Semver.prerelease(bytes).bytes, as: UTF8.self) }

    /// The build suffix including `+`, or `""` (Go's `semver.Build`).
    public var build: String { String(decoding: Semver.build(bytes).bytes, as: UTF8.self) }

    /// Whether the version has a prerelease suffix (`v1.0.0-rc.1`, and every pseudo-version).
    public var isPrerelease: Bool { !Semver.prerelease(bytes).isEmpty }

    /// Whether the build suffix is exactly `+incompatible`.
    public var isIncompatible: Bool { Semver.build(bytes) == "+incompatible" }

    /// Whether this is a pseudo-version (Go's `module.IsPseudoVersion`).
    public var isPseudoVersion: Bool { Module.isPseudoVersion(bytes) }

    /// The case-escaped form used in proxy URLs and cache file names (Go's
    /// `module.EscapeVersion`): `v1.0.0-RC1` → `v1.0.0-!r!c1`.
    public var escaped: String {
        // Semantic versions consist of ASCII letters, digits, '.', '-' and '+': valid
        // file-name characters, no '!', never a Windows reserved name.
        String(decoding: Module.caseEscaped(bytes.bytes), as: UTF8.self)
    }

    /// Semantic-version precedence against `other`: `-1`, `0` or `+1` (Go's `semver.Compare`).
    public func compare(to other: SemanticVersion) -> Int { Semver.compare(bytes, other.bytes) }

    /// Go's `semver.Sort` order: precedence, then bytewise.
    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        Semver.compareVersionThenBytes(lhs.bytes.bytes, rhs.bytes.bytes) < 0
    }

    /// Wraps bytes already known to be a valid version.
    init(validated: ByteString) { self.bytes = validated }

    /// Decodes a JSON string; fails unless it is a valid semantic version.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let version = SemanticVersion(text) else {
            throw DecodingError.dataCorruptedError(in: container,
                debugDescription: "not a semantic version: \(goQuote(Array(text.utf8)))")
        }
        self = version
    }

    /// Encodes as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }
}
