// The codes of `GoMod.Finding` this release knows, one static member each, in the order of
// `GoMod.Finding.codeNames`; a test (`checkErrorCodes`) keeps the two in step.
extension ErrorCode where Domain == GoMod.Finding {
    /// A `module`, `require`, `exclude` or `replace` module path that fails
    /// ``Module/checkPath(_:)`` (e.g. `RSC.IO/quote`, `a.com/../b`, invalid UTF-8).
    public static var invalidModulePath: Self { Self("invalidModulePath") }
    /// A `tool` path that fails ``Module/checkImportPath(_:)``.
    public static var invalidToolPath: Self { Self("invalidToolPath") }
    /// A version written in a non-canonical form that x/mod rewrote (`v1.5` for
    /// `v1.5.0`), or a `retract` bound that is not a canonical version.
    public static var nonCanonicalVersion: Self { Self("nonCanonicalVersion") }
}
