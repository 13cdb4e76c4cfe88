// The codes of `ModulePathError` this release knows, one static member each, in the order of
// `ModulePathError.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == ModulePathError {
    /// `invalid UTF-8`.
    public static var invalidUTF8: Self { Self("invalidUTF8") }
    /// `empty string`.
    public static var empty: Self { Self("empty") }
    /// `leading dash` (module and import paths).
    public static var leadingDash: Self { Self("leadingDash") }
    /// `double slash`.
    public static var doubleSlash: Self { Self("doubleSlash") }
    /// `trailing slash`.
    public static var trailingSlash: Self { Self("trailingSlash") }
    /// `empty path element`.
    public static var emptyElement: Self { Self("emptyElement") }
    /// `invalid path element "..."`: an element made only of dots.
    public static var dotsOnlyElement: Self { Self("dotsOnlyElement") }
    /// `leading dot in path element` (module paths only).
    public static var leadingDot: Self { Self("leadingDot") }
    /// `trailing dot in path element`.
    public static var trailingDot: Self { Self("trailingDot") }
    /// `invalid char 'c'`: a character outside the kind's character set.
    public static var invalidCharacter: Self { Self("invalidCharacter") }
    /// `"con" disallowed as path element component on Windows`.
    public static var windowsReservedName: Self { Self("windowsReservedName") }
    /// `trailing tilde and digits in path element` (Windows short names).
    public static var windowsShortName: Self { Self("windowsShortName") }
    /// `leading slash` (module paths).
    public static var leadingSlash: Self { Self("leadingSlash") }
    /// `missing dot in first path element` (module paths).
    public static var missingDotInFirstElement: Self { Self("missingDotInFirstElement") }
    /// `leading dash in first path element` (module paths).
    public static var leadingDashInFirstElement: Self { Self("leadingDashInFirstElement") }
    /// `invalid char 'c' in first path element` (module paths).
    public static var invalidCharacterInFirstElement: Self { Self("invalidCharacterInFirstElement") }
    /// `invalid version`: a malformed major-version suffix such as `/v1`, `/v2.0` or `/v02`,
    /// or a `gopkg.in` path without `.vN`.
    public static var invalidMajorVersionSuffix: Self { Self("invalidMajorVersionSuffix") }
    /// `not a semantic version` (`module.Check`).
    public static var notSemanticVersion: Self { Self("notSemanticVersion") }
    /// `should be vN, not vM`: the version's major does not match the path's suffix.
    public static var majorVersionMismatch: Self { Self("majorVersionMismatch") }
    /// `disallowed version string` (`module.EscapeVersion`).
    public static var disallowedVersionString: Self { Self("disallowedVersionString") }
    /// `internal error: inconsistency in EscapePath`: Go's escaper met a non-ASCII rune
    /// (a version such as `v1.0.0-é` passes the file-name check but cannot be escaped).
    public static var escapingInconsistency: Self { Self("escapingInconsistency") }
    /// `invalid escaped module path "..."` (`module.UnescapePath`).
    public static var invalidEscapedPath: Self { Self("invalidEscapedPath") }
    /// `invalid escaped version "..."` (`module.UnescapeVersion`).
    public static var invalidEscapedVersion: Self { Self("invalidEscapedVersion") }
    /// `syntax error`: not a pseudo-version.
    public static var pseudoVersionSyntax: Self { Self("pseudoVersionSyntax") }
    /// `malformed time "..."`: a pseudo-version whose timestamp is not a valid UTC time.
    public static var pseudoVersionMalformedTime: Self { Self("pseudoVersionMalformedTime") }
    /// `lacks base version, but has build metadata "..."`.
    public static var pseudoVersionBuildWithoutBase: Self { Self("pseudoVersionBuildWithoutBase") }
    /// `version before vX.Y.0 would have negative patch number`.
    public static var pseudoVersionNegativePatch: Self { Self("pseudoVersionNegativePatch") }
    /// `syntax error in pattern` (`path.Match`'s `ErrBadPattern`).
    public static var badPattern: Self { Self("badPattern") }
}
