extension GoMod {
    /// Something GoModKit flags in a go.mod file that x/mod's parser accepts (see
    /// Docs/go-mod-from-swift.md): Go's parser validates neither module paths nor (silently
    /// rewriting them) version spellings; cmd/go rejects some of these later, some never.
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        /// What was found.
        ///
        /// New codes may be added in later releases without breaking source compatibility (the
        /// swift-asn1 `ASN1Error.ErrorCode` shape): `switch` over a code with a `default`, or compare
        /// with `==`. Codes are equal when they name the same rule; ``rawValue`` and ``description``
        /// are the code's name, as the raw value of the former enum case was.
        public struct Code: RawRepresentable, CaseIterable, Sendable, Hashable, CustomStringConvertible {
            /// The codes of this release, kept out of the API so that adding one breaks no client.
            fileprivate enum Backing: String, Sendable, Hashable, CaseIterable {
                case invalidModulePath
                case invalidToolPath
                case nonCanonicalVersion
            }

            /// The code.
            fileprivate let backing: Backing

            fileprivate init(_ backing: Backing) { self.backing = backing }

            /// A `module`, `require`, `exclude` or `replace` module path that fails
            /// ``GoModule/checkPath(_:)`` (e.g. `RSC.IO/quote`, `a.com/../b`, invalid UTF-8).
            public static let invalidModulePath = Code(.invalidModulePath)
            /// A `tool` path that fails ``GoModule/checkImportPath(_:)``.
            public static let invalidToolPath = Code(.invalidToolPath)
            /// A version written in a non-canonical form that x/mod rewrote (`v1.5` for
            /// `v1.5.0`), or a `retract` bound that is not a canonical version.
            public static let nonCanonicalVersion = Code(.nonCanonicalVersion)

            /// The code's name, such as `invalidModulePath`.
            public var rawValue: String { backing.rawValue }

            /// The code with this name, or `nil` for a name this release does not know.
            public init?(rawValue: String) {
                guard let backing = Backing(rawValue: rawValue) else { return nil }
                self.init(backing)
            }

            /// The codes this release knows, in declaration order.
            public static var allCases: [Code] { Backing.allCases.map { Code($0) } }

            /// The code's name (``rawValue``).
            public var description: String { rawValue }
        }

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
                try GoModule.checkPath(path)
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
                try GoModule.checkImportPath(t.path)
            } catch {
                out.append(Finding(code: .invalidToolPath, position: t.position, subject: t.path, detail: error.message))
            }
        }
        for v in nonCanonicalVersions {
            out.append(Finding(code: .nonCanonicalVersion, position: v.position, subject: v.written, detail: v.canonical))
        }
        for r in retractions {
            for bound in Set([r.low, r.high]) where GoModule.canonicalVersion(bound) != bound {
                out.append(Finding(code: .nonCanonicalVersion, position: r.position, subject: bound,
                                   detail: GoModule.canonicalVersion(bound)))
            }
        }
        return out.sorted { ($0.position.byte, $0.code.rawValue) < ($1.position.byte, $1.code.rawValue) }
    }
}
