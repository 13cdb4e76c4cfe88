public import GoModCore

/// The `GOVCS` setting: which version control systems cmd/go may run for which repository roots
/// (go.dev/ref/mod#vcs-govcs; `go1.19:cmd/go/internal/vcs/vcs.go` `parseGOVCS`, `allow`,
/// `checkGOVCS`).
///
/// A comma list of `pattern:vcs1|vcs2|…` rules; the pattern is `public`, `private` (GOPRIVATE
/// matches the root) or a GOPRIVATE-style glob list entry matched against the root; `all`
/// allows every VCS, and a list naming no real VCS (`off`, `none`) allows none. The first rule
/// whose pattern matches decides. cmd/go appends `private:all,public:git|hg` after the user's
/// rules; the `mod` scheme (a GOPROXY-protocol server) is always allowed.
public struct GoVCSPolicy: Sendable, Hashable {
    /// One rule.
    public struct Rule: Sendable, Hashable {
        /// `public`, `private` or a path glob.
        public var pattern: String
        /// VCS names, or `all`.
        public var allowed: [String]
    }

    /// The user's rules followed by cmd/go's defaults.
    public private(set) var rules: [Rule]
    /// GOPRIVATE, which decides `public` and `private`.
    public var goprivate: PathPatterns

    /// cmd/go's defaults, appended after the user's rules: `private:all,public:git|hg`.
    public static let defaultRules: [Rule] = [
        Rule(pattern: "private", allowed: ["all"]),
        Rule(pattern: "public", allowed: ["git", "hg"]),
    ]

    /// The policy with GOVCS and GOPRIVATE unset: ``defaultRules`` only.
    public static let unset = GoVCSPolicy(rules: defaultRules)

    private init(rules: [Rule]) {
        self.rules = rules
        self.goprivate = PathPatterns("")
    }

    /// Parses `govcs` as cmd/go's `parseGOVCS` does and appends the defaults.
    ///
    /// - Throws: `OriginError.Code.govcsSyntax` with cmd/go's message.
    public init(govcs: String, goprivate: PathPatterns = PathPatterns("")) throws(OriginError) {
        self.rules = try Self.parse(govcs) + Self.defaultRules
        self.goprivate = goprivate
    }

    /// cmd/go's `parseGOVCS`: the user's rules only (no defaults).
    public static func parse(_ text: String) throws(OriginError) -> [Rule] {
        let s = text.trimmingSpace()
        if s.isEmpty { return [] }
        var rules: [Rule] = []
        var have: [String: String] = [:]
        func fail(_ message: String) -> OriginError { OriginError(.govcsSyntax, subject: "GOVCS", message: message) }
        for rawItem in s.split(separator: ",", omittingEmptySubsequences: false) {
            let item = String(rawItem).trimmingSpace()
            if item.isEmpty { throw fail("empty entry in GOVCS") }
            guard let colon = item.utf8.firstIndex(of: UInt8(ascii: ":")) else {
                throw fail("malformed entry in GOVCS (missing colon): \(goQuote(item.utf8))")
            }
            let pattern = String(item[..<colon]).trimmingSpace()
            let list = String(item[item.utf8.index(after: colon)...]).trimmingSpace()
            if pattern.isEmpty { throw fail("empty pattern in GOVCS: \(goQuote(item.utf8))") }
            if list.isEmpty { throw fail("empty VCS list in GOVCS: \(goQuote(item.utf8))") }
            // cmd/go's search.IsRelativePath.
            if pattern == "." || pattern == ".." || pattern.hasPrefix("./") || pattern.hasPrefix("../") {
                throw fail("relative pattern not allowed in GOVCS: \(goQuote(pattern.utf8))")
            }
            if let old = have[pattern] {
                throw fail("unreachable pattern in GOVCS: \(goQuote(item.utf8)) after \(goQuote(old.utf8))")
            }
            have[pattern] = item
            var allowed: [String] = []
            for name in list.split(separator: "|", omittingEmptySubsequences: false) {
                let a = String(name).trimmingSpace()
                if a.isEmpty { throw fail("empty VCS name in GOVCS: \(goQuote(item.utf8))") }
                allowed.append(a)
            }
            rules.append(Rule(pattern: pattern, allowed: allowed))
        }
        return rules
    }

    /// cmd/go's `govcsConfig.allow` over ``rules``: whether `vcs` may be used for `root`.
    public func allows(root: String, isPrivate: Bool, vcs: String) -> Bool {
        Self.allows(rules, root: root, isPrivate: isPrivate, vcs: vcs)
    }

    /// cmd/go's `govcsConfig.allow` over any rule list (nothing matches ⇒ not allowed).
    public static func allows(_ rules: [Rule], root: String, isPrivate: Bool, vcs: String) -> Bool {
        for rule in rules {
            let match: Bool
            switch rule.pattern {
            case "private": match = isPrivate
            case "public": match = !isPrivate
            default: match = Module.matchPrefixPatterns(ByteString(rule.pattern), ByteString(root))
            }
            if !match { continue }
            return rule.allowed.contains { $0 == vcs || $0 == "all" }
        }
        return false
    }

    /// cmd/go's `checkGOVCS`: `mod` always passes; otherwise the root must be allowed.
    ///
    /// - Throws: `OriginError.Code.govcsDisallowed`: `GOVCS disallows using <vcs> for
    ///   <public|private> <root>; see 'go help vcs'`.
    public func check(vcs: String, root: String) throws(OriginError) {
        if vcs == "mod" { return }
        let isPrivate = goprivate.matches(ByteString(root))
        if !allows(root: root, isPrivate: isPrivate, vcs: vcs) {
            let what = isPrivate ? "private" : "public"
            throw OriginError(.govcsDisallowed, subject: root,
                              message: "GOVCS disallows using \(vcs) for \(what) \(root); see 'go help vcs'")
        }
    }
}
