import GoModCore

/// cmd/go's `vcsPaths` and `vcsPathsAfterDynamic` (`go1.19:cmd/go/internal/vcs/vcs.go`; the
/// current Bitbucket entry, git only): hosting sites whose repository root follows from the
/// path, and the `.git`/`.hg`/… qualifier rule for any host.
struct StaticHost: Sendable {
    /// The path prefix the entry applies to (`github.com/`); empty for the qualifier rule.
    var prefix: String
    /// The regular expression (RE2 syntax that Swift's `Regex` reads the same way).
    var pattern: String
    /// The VCS, or empty to take the `vcs` group.
    var vcs: String
    /// The repository URL template (`https://{root}`); empty for the qualifier rule (scheme probed).
    var repo: String
    /// Apply cmd/go's `noVCSSuffix` check.
    var noVCSSuffix: Bool
    /// Launchpad's series check.
    var launchpad: Bool = false

    static let name = "[A-Za-z0-9_.\\-]+"

    static let table: [StaticHost] = [
        StaticHost(prefix: "github.com/",
                   pattern: "^(?P<root>github\\.com/\(name)/\(name))(/\(name))*$",
                   vcs: "git", repo: "https://{root}", noVCSSuffix: true),
        StaticHost(prefix: "bitbucket.org/",
                   pattern: "^(?P<root>bitbucket\\.org/(?P<bitname>\(name)/\(name)))(/\(name))*$",
                   vcs: "git", repo: "https://{root}", noVCSSuffix: true),
        StaticHost(prefix: "hub.jazz.net/git/",
                   pattern: "^(?P<root>hub\\.jazz\\.net/git/[a-z0-9]+/\(name))(/\(name))*$",
                   vcs: "git", repo: "https://{root}", noVCSSuffix: true),
        StaticHost(prefix: "git.apache.org/",
                   pattern: "^(?P<root>git\\.apache\\.org/[a-z0-9_.\\-]+\\.git)(/\(name))*$",
                   vcs: "git", repo: "https://{root}", noVCSSuffix: false),
        StaticHost(prefix: "git.openstack.org/",
                   pattern: "^(?P<root>git\\.openstack\\.org/\(name)/\(name))(\\.git)?(/\(name))*$",
                   vcs: "git", repo: "https://{root}", noVCSSuffix: false),
        StaticHost(prefix: "chiselapp.com/",
                   pattern: "^(?P<root>chiselapp\\.com/user/[A-Za-z0-9]+/repository/\(name))$",
                   vcs: "fossil", repo: "https://{root}", noVCSSuffix: false),
        // General syntax for any server; must be last.
        StaticHost(prefix: "",
                   pattern: "(?P<root>(?P<repo>([a-z0-9.\\-]+\\.)+[a-z0-9.\\-]+(:[0-9]+)?(/~?[A-Za-z0-9_.\\-]+)+?)\\.(?P<vcs>bzr|fossil|git|hg|svn))(/~?[A-Za-z0-9_.\\-]+)*$",
                   vcs: "", repo: "", noVCSSuffix: false),
    ]

    static let afterDynamic: [StaticHost] = [
        StaticHost(prefix: "launchpad.net/",
                   pattern: "^(?P<root>launchpad\\.net/((?P<project>\(name))(?P<series>/\(name))?|~\(name)/(\\+junk|\(name))/\(name)))(/\(name))*$",
                   vcs: "bzr", repo: "https://{root}", noVCSSuffix: false, launchpad: true),
    ]

    /// The named groups of the first match in `path`, plus `prefix` and `import`; `nil` when
    /// the expression does not match.
    func match(_ path: String) -> [String: String]? {
        // RE2 semantics: runes, not grapheme clusters; `$` only at the very end (`\z`).
        let re2 = pattern.hasSuffix("$") ? String(pattern.dropLast()) + "\\z" : pattern
        guard let regex = try? Regex(re2).matchingSemantics(.unicodeScalar),
              let m = try? regex.firstMatch(in: path) else { return nil }
        var groups: [String: String] = ["prefix": prefix, "import": path]
        for name in ["root", "repo", "vcs", "bitname", "project", "series"] {
            if let sub = m.output[name]?.substring { groups[name] = String(sub) } else if groups[name] == nil { groups[name] = "" }
        }
        return groups
    }
}

/// cmd/go's `expand`: `{k}` replaced by `match[k]`, each occurrence once, left to right.
func expandTemplate(_ match: [String: String], _ s: String) -> String {
    var out = ""
    var rest = Substring(s)
    outer: while let open = rest.firstIndex(of: "{") {
        out += rest[..<open]
        let afterOpen = rest.index(after: open)
        if let close = rest[afterOpen...].firstIndex(of: "}") {
            let key = String(rest[afterOpen..<close])
            if let value = match[key] {
                out += value
                rest = rest[rest.index(after: close)...]
                continue outer
            }
        }
        out += "{"
        rest = rest[afterOpen...]
    }
    return out + rest
}
