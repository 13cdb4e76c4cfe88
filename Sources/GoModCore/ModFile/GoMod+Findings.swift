extension GoMod {
    /// Something GoModKit flags in a go.mod file that x/mod's parser accepts (see
    /// Docs/go-mod-from-swift.md): Go's parser validates neither module paths nor (silently
    /// rewriting them) version spellings; cmd/go rejects some of these later, some never.
    public struct Finding: ErrorCodeDomain, Sendable, Hashable, CustomStringConvertible {
        /// What was found.
        ///
        /// An extensible ``ErrorCode``: later releases may add codes, so `switch` over one with a
        /// `default`, or compare with `==`. ``ErrorCode/rawValue`` and ``ErrorCode/description``
        /// are the code's name.
        public typealias Code = ErrorCode<GoMod.Finding>

        /// The names of the codes this release knows, in declaration order (``Code``'s
        /// `allCases`).
        public static let codeNames = ["invalidModulePath", "invalidToolPath", "nonCanonicalVersion"]

        /// What was found.
        public var code: Code
        /// Where the directive starts.
        public var position: GoModSyntax.Position
        /// The offending path or version, as written (unquoted).
        public var subject: ByteString
        /// Details: Go's path-check message, or the canonical form of the version.
        public var detail: ByteString

        /// `<line>: <code>: <detail>`, with untrusted bytes escaped.
        public var description: String {
            "\(position.line): \(code.rawValue): \(terminalSafe(detail.bytes))"
        }
    }

    /// GoModKit's checks beyond x/mod's parser: module paths of every directive, tool paths,
    /// and non-canonical version spellings (recorded while parsing, before x/mod rewrote them).
    /// Local directory replacements are data, never checked against the file system.
    public var findings: [Finding] {
        var out: [Finding] = []
        func checkModulePath(_ path: ByteString, _ position: GoModSyntax.Position) {
            do {
                try Module.checkPath(path)
            } catch {
                out.append(Finding(code: .invalidModulePath, position: position, subject: path, detail: error.message))
            }
        }
        if let m = module { checkModulePath(m.path, m.position) }
        for r in requirements { checkModulePath(r.module.path, r.position) }
        for x in exclusions { checkModulePath(x.module.path, x.position) }
        for r in replacements {
            checkModulePath(r.old.path, r.position)
            if !r.isLocalDirectory { checkModulePath(r.new.path, r.position) }
        }
        for t in tools {
            do {
                try Module.checkImportPath(t.path)
            } catch {
                out.append(Finding(code: .invalidToolPath, position: t.position, subject: t.path, detail: error.message))
            }
        }
        for v in nonCanonicalVersions {
            out.append(Finding(code: .nonCanonicalVersion, position: v.position, subject: v.written, detail: v.canonical))
        }
        for r in retractions {
            for bound in Set([r.low, r.high]) where Module.canonicalVersion(bound) != bound {
                out.append(Finding(code: .nonCanonicalVersion, position: r.position, subject: bound,
                                   detail: Module.canonicalVersion(bound)))
            }
        }
        return out.sorted { ($0.position.byte, $0.code.rawValue) < ($1.position.byte, $1.code.rawValue) }
    }
}
