extension ModuleVersion {
    /// Splits a command-line `path@version` argument as cmd/go does (`modload.ParsePathVersion`,
    /// used by `go mod download`, `go list -m` and `go get`): at the first `@`, so
    /// `example.com/m@v1.0.0@x` has the version `v1.0.0@x`.
    ///
    /// Neither part is validated beyond Go's one rule here: a version starting with `-` or `/`
    /// (which could be taken for an option or a path by a command built from it) is rejected
    /// with Go's error `invalid module version "-x"`. Whether the path is a module path and the
    /// version a version or query is for the caller to check (``Module/check(_:)``).
    ///
    /// - Parameter argument: The argument's bytes.
    /// - Returns: The path and version (the version empty when there is no `@`), and whether an
    ///   `@` was present (`example.com/m@` has one, with an empty version).
    /// - Throws: ``ModulePathError`` with code `ModulePathError.Code.disallowedVersionString`
    ///   and Go's message for a version starting with `-` or `/`.
    public static func parse(argument: ByteString) throws(ModulePathError) -> (module: ModuleVersion, hasVersion: Bool) {
        let bytes = argument.bytes
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")) else {
            return (ModuleVersion(path: argument, version: ""), false)
        }
        let version = Array(bytes[(at + 1)...])
        if let first = version.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "/") {
            var message: [UInt8] = []
            appendText(&message, "invalid module version ")
            message += quotedBytes(version)
            throw ModulePathError(.disallowedVersionString, input: ByteString(version), message: ByteString(message))
        }
        return (ModuleVersion(path: ByteString(Array(bytes[..<at])), version: ByteString(version)), true)
    }

    /// ``parse(argument:)`` for a `String` argument.
    public static func parse(argument: String) throws(ModulePathError) -> (module: ModuleVersion, hasVersion: Bool) {
        try parse(argument: ByteString(argument))
    }
}
