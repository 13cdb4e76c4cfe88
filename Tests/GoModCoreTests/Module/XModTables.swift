/// Test tables ported verbatim from golang.org/x/mod v0.7.0's own tests
/// (/usr/share/gocode/src/golang.org/x/mod: module/module_test.go, module/pseudo_test.go,
/// semver/semver_test.go). They are data: expectations written by the Go authors.
/// Strings that hold invalid UTF-8 in Go are byte arrays here.
enum XModTables {
    /// module_test.go `checkTests`: (path, version, ok).
    static let checkTests: [(path: String, version: String, ok: Bool)] = [
        ("rsc.io/quote", "0.1.0", false),
        ("rsc io/quote", "v1.0.0", false),

        ("github.com/go-yaml/yaml", "v0.8.0", true),
        ("github.com/go-yaml/yaml", "v1.0.0", true),
        ("github.com/go-yaml/yaml", "v2.0.0", false),
        ("github.com/go-yaml/yaml", "v2.1.5", false),
        ("github.com/go-yaml/yaml", "v3.0.0", false),

        ("github.com/go-yaml/yaml/v2", "v1.0.0", false),
        ("github.com/go-yaml/yaml/v2", "v2.0.0", true),
        ("github.com/go-yaml/yaml/v2", "v2.1.5", true),
        ("github.com/go-yaml/yaml/v2", "v3.0.0", false),

        ("gopkg.in/yaml.v0", "v0.8.0", true),
        ("gopkg.in/yaml.v0", "v1.0.0", false),
        ("gopkg.in/yaml.v0", "v2.0.0", false),
        ("gopkg.in/yaml.v0", "v2.1.5", false),
        ("gopkg.in/yaml.v0", "v3.0.0", false),

        ("gopkg.in/yaml.v1", "v0.8.0", false),
        ("gopkg.in/yaml.v1", "v1.0.0", true),
        ("gopkg.in/yaml.v1", "v2.0.0", false),
        ("gopkg.in/yaml.v1", "v2.1.5", false),
        ("gopkg.in/yaml.v1", "v3.0.0", false),

        ("gopkg.in/check.v1", "v0.0.0", false),
        ("gopkg.in/check.v1", "v0.0.0-20160102150405-abcdef123456", true),

        ("gopkg.in/yaml.v2", "v1.0.0", false),
        ("gopkg.in/yaml.v2", "v2.0.0", true),
        ("gopkg.in/yaml.v2", "v2.1.5", true),
        ("gopkg.in/yaml.v2", "v3.0.0", false),

        ("rsc.io/quote", "v17.0.0", false),
        ("rsc.io/quote", "v17.0.0+incompatible", true),
    ]

    /// module_test.go `checkPathTests`: (path bytes, module ok, import ok, file ok).
    static let checkPathTests: [(path: [UInt8], ok: Bool, importOK: Bool, fileOK: Bool)] = [
        (b("x.y/z"), true, true, true),
        (b("x.y"), true, true, true),

        (b(""), false, false, false),
        (b("x.y/") + [0xFF] + b("z"), false, false, false),
        (b("/x.y/z"), false, false, false),
        (b("x./z"), false, false, false),
        (b(".x/z"), false, true, true),
        (b("-x/z"), false, false, true),
        (b("x..y/z"), true, true, true),
        (b("x.y/z/../../w"), false, false, false),
        (b("x.y//z"), false, false, false),
        (b("x.y/z//w"), false, false, false),
        (b("x.y/z/"), false, false, false),

        (b("x.y/z/v0"), false, true, true),
        (b("x.y/z/v1"), false, true, true),
        (b("x.y/z/v2"), true, true, true),
        (b("x.y/z/v2.0"), false, true, true),
        (b("X.y/z"), false, true, true),

        (b("!x.y/z"), false, false, true),
        (b("_x.y/z"), false, true, true),
        (b("x.y!/z"), false, false, true),
        (b("x.y\"/z"), false, false, false),
        (b("x.y#/z"), false, false, true),
        (b("x.y$/z"), false, false, true),
        (b("x.y%/z"), false, false, true),
        (b("x.y&/z"), false, false, true),
        (b("x.y'/z"), false, false, false),
        (b("x.y(/z"), false, false, true),
        (b("x.y)/z"), false, false, true),
        (b("x.y*/z"), false, false, false),
        (b("x.y+/z"), false, true, true),
        (b("x.y,/z"), false, false, true),
        (b("x.y-/z"), true, true, true),
        (b("x.y./zt"), false, false, false),
        (b("x.y:/z"), false, false, false),
        (b("x.y;/z"), false, false, false),
        (b("x.y</z"), false, false, false),
        (b("x.y=/z"), false, false, true),
        (b("x.y>/z"), false, false, false),
        (b("x.y?/z"), false, false, false),
        (b("x.y@/z"), false, false, true),
        (b("x.y[/z"), false, false, true),
        (b("x.y\\/z"), false, false, false),
        (b("x.y]/z"), false, false, true),
        (b("x.y^/z"), false, false, true),
        (b("x.y_/z"), false, true, true),
        (b("x.y`/z"), false, false, false),
        (b("x.y{/z"), false, false, true),
        (b("x.y}/z"), false, false, true),
        (b("x.y~/z"), false, true, true),
        (b("x.y/z!"), false, false, true),
        (b("x.y/z\""), false, false, false),
        (b("x.y/z#"), false, false, true),
        (b("x.y/z$"), false, false, true),
        (b("x.y/z%"), false, false, true),
        (b("x.y/z&"), false, false, true),
        (b("x.y/z'"), false, false, false),
        (b("x.y/z("), false, false, true),
        (b("x.y/z)"), false, false, true),
        (b("x.y/z*"), false, false, false),
        (b("x.y/z++"), false, true, true),
        (b("x.y/z,"), false, false, true),
        (b("x.y/z-"), true, true, true),
        (b("x.y/z.t"), true, true, true),
        (b("x.y/z/t"), true, true, true),
        (b("x.y/z:"), false, false, false),
        (b("x.y/z;"), false, false, false),
        (b("x.y/z<"), false, false, false),
        (b("x.y/z="), false, false, true),
        (b("x.y/z>"), false, false, false),
        (b("x.y/z?"), false, false, false),
        (b("x.y/z@"), false, false, true),
        (b("x.y/z["), false, false, true),
        (b("x.y/z\\"), false, false, false),
        (b("x.y/z]"), false, false, true),
        (b("x.y/z^"), false, false, true),
        (b("x.y/z_"), true, true, true),
        (b("x.y/z`"), false, false, false),
        (b("x.y/z{"), false, false, true),
        (b("x.y/z}"), false, false, true),
        (b("x.y/z~"), true, true, true),
        (b("x.y/x.foo"), true, true, true),
        (b("x.y/aux.foo"), false, false, false),
        (b("x.y/prn"), false, false, false),
        (b("x.y/prn2"), true, true, true),
        (b("x.y/com"), true, true, true),
        (b("x.y/com1"), false, false, false),
        (b("x.y/com1.txt"), false, false, false),
        (b("x.y/calm1"), true, true, true),
        (b("x.y/z~"), true, true, true),
        (b("x.y/z~0"), false, false, true),
        (b("x.y/z~09"), false, false, true),
        (b("x.y/z09"), true, true, true),
        (b("x.y/z09~"), true, true, true),
        (b("x.y/z09~09z"), true, true, true),
        (b("x.y/z09~09z~09"), false, false, true),
        (b("github.com/!123/logrus"), false, false, true),

        // Non-ASCII is disallowed in module and import paths (see x/mod's TODO), allowed
        // (letters only) in file paths.
        (b("github.com/user/unicode/испытание"), false, false, true),

        (b("../x"), false, false, false),
        (b("./y"), false, false, false),
        (b("x:y"), false, false, false),
        (b(#"\temp\foo"#), false, false, false),
        (b(".gitignore"), false, true, true),
        (b(".github/ISSUE_TEMPLATE"), false, true, true),
        (b("x☺y"), false, false, false),
    ]

    /// module_test.go `splitPathVersionTests`: (prefix, pathMajor).
    static let splitPathVersionTests: [(prefix: String, pathMajor: String)] = [
        ("x.y/z", ""),
        ("x.y/z", "/v2"),
        ("x.y/z", "/v3"),
        ("x.y/v", ""),
        ("gopkg.in/yaml", ".v0"),
        ("gopkg.in/yaml", ".v1"),
        ("gopkg.in/yaml", ".v2"),
        ("gopkg.in/yaml", ".v3"),
    ]

    /// module_test.go `escapeTests`: (path, escaped); an empty escaped form means "same as path".
    static let escapeTests: [(path: String, escaped: String)] = [
        ("ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789", ""),
        ("github.com/GoogleCloudPlatform/omega", "github.com/!google!cloud!platform/omega"),
    ]

    /// module_test.go `badUnescape`.
    static let badUnescape: [String] = [
        "github.com/GoogleCloudPlatform/omega",
        "github.com/!google!cloud!platform!/omega",
        "github.com/!0google!cloud!platform/omega",
        "github.com/!_google!cloud!platform/omega",
        "github.com/!!google!cloud!platform/omega",
        "",
    ]

    /// module_test.go `TestMatchPathMajor`: (version, pathMajor, want).
    static let matchPathMajorTests: [(version: String, pathMajor: String, want: Bool)] = [
        ("v0.0.0", "", true),
        ("v0.0.0", "/v2", false),
        ("v0.0.0", ".v0", true),
        ("v0.0.0-20190510104115-cbcb75029529", ".v1", true),
        ("v1.0.0", "/v2", false),
        ("v1.0.0", ".v1", true),
        ("v1.0.0", ".v1-unstable", true),
        ("v2.0.0+incompatible", "", true),
        ("v2.0.0", "", false),
        ("v2.0.0", "/v2", true),
        ("v2.0.0", ".v2", true),
    ]

    /// module_test.go `TestMatchPrefixPatterns`: (globs, target, want).
    static let matchPrefixPatternsTests: [(globs: String, target: String, want: Bool)] = [
        ("", "rsc.io/quote", false),
        ("/", "rsc.io/quote", false),
        ("*/quote", "rsc.io/quote", true),
        ("*/quo", "rsc.io/quote", false),
        ("*/quo??", "rsc.io/quote", true),
        ("*/quo*", "rsc.io/quote", true),
        ("*quo*", "rsc.io/quote", false),
        ("rsc.io", "rsc.io/quote", true),
        ("*.io", "rsc.io/quote", true),
        ("rsc.io/", "rsc.io/quote", true),
        ("rsc", "rsc.io/quote", false),
        ("rsc*", "rsc.io/quote", true),

        ("rsc.io", "rsc.io/quote/v3", true),
        ("*/quote", "rsc.io/quote/v3", true),
        ("*/quote/", "rsc.io/quote/v3", true),
        ("*/quote/*", "rsc.io/quote/v3", true),
        ("*/quote/*/", "rsc.io/quote/v3", true),
        ("*/v3", "rsc.io/quote/v3", false),
        ("*/*/v3", "rsc.io/quote/v3", true),
        ("*/*/*", "rsc.io/quote/v3", true),
        ("*/*/*/", "rsc.io/quote/v3", true),
        ("*/*/*", "rsc.io/quote", false),
        ("*/*/*/", "rsc.io/quote", false),

        ("*/*/*,,", "rsc.io/quote", false),
        ("*/*/*,,*/quote", "rsc.io/quote", true),
        (",,*/quote", "rsc.io/quote", true),
    ]

    /// semver_test.go `tests`: (input, canonical); an empty canonical form means invalid.
    /// The list is in increasing precedence order (TestCompare relies on it).
    static let semverTests: [(input: String, canonical: String)] = [
        ("bad", ""),
        ("v1-alpha.beta.gamma", ""),
        ("v1-pre", ""),
        ("v1+meta", ""),
        ("v1-pre+meta", ""),
        ("v1.2-pre", ""),
        ("v1.2+meta", ""),
        ("v1.2-pre+meta", ""),
        ("v1.0.0-alpha", "v1.0.0-alpha"),
        ("v1.0.0-alpha.1", "v1.0.0-alpha.1"),
        ("v1.0.0-alpha.beta", "v1.0.0-alpha.beta"),
        ("v1.0.0-beta", "v1.0.0-beta"),
        ("v1.0.0-beta.2", "v1.0.0-beta.2"),
        ("v1.0.0-beta.11", "v1.0.0-beta.11"),
        ("v1.0.0-rc.1", "v1.0.0-rc.1"),
        ("v1", "v1.0.0"),
        ("v1.0", "v1.0.0"),
        ("v1.0.0", "v1.0.0"),
        ("v1.2", "v1.2.0"),
        ("v1.2.0", "v1.2.0"),
        ("v1.2.3-456", "v1.2.3-456"),
        ("v1.2.3-456.789", "v1.2.3-456.789"),
        ("v1.2.3-456-789", "v1.2.3-456-789"),
        ("v1.2.3-456a", "v1.2.3-456a"),
        ("v1.2.3-pre", "v1.2.3-pre"),
        ("v1.2.3-pre+meta", "v1.2.3-pre"),
        ("v1.2.3-pre.1", "v1.2.3-pre.1"),
        ("v1.2.3-zzz", "v1.2.3-zzz"),
        ("v1.2.3", "v1.2.3"),
        ("v1.2.3+meta", "v1.2.3"),
        ("v1.2.3+meta-pre", "v1.2.3"),
        ("v1.2.3+meta-pre.sha.256a", "v1.2.3"),
    ]

    /// pseudo_test.go `pseudoTests`: (major, older, version) for time 2006-01-02T15:04:05Z and
    /// revision "hash".
    static let pseudoTests: [(major: String, older: String, version: String)] = [
        ("", "", "v0.0.0-20060102150405-hash"),
        ("v0", "", "v0.0.0-20060102150405-hash"),
        ("v1", "", "v1.0.0-20060102150405-hash"),
        ("v2", "", "v2.0.0-20060102150405-hash"),
        ("unused", "v0.0.0", "v0.0.1-0.20060102150405-hash"),
        ("unused", "v1.2.3", "v1.2.4-0.20060102150405-hash"),
        ("unused", "v1.2.99999999999999999", "v1.2.100000000000000000-0.20060102150405-hash"),
        ("unused", "v1.2.3-pre", "v1.2.3-pre.0.20060102150405-hash"),
        ("unused", "v1.3.0-pre", "v1.3.0-pre.0.20060102150405-hash"),
        ("unused", "v0.0.0--", "v0.0.0--.0.20060102150405-hash"),
        ("unused", "v1.0.0+metadata", "v1.0.1-0.20060102150405-hash+metadata"),
        ("unused", "v2.0.0+incompatible", "v2.0.1-0.20060102150405-hash+incompatible"),
        ("unused", "v2.3.0-pre+incompatible", "v2.3.0-pre.0.20060102150405-hash+incompatible"),
    ]

    /// pseudo_test.go: 2006-01-02T15:04:05Z as Unix seconds.
    static let pseudoTime: Int64 = 1_136_214_245

    /// pseudo_test.go `TestInvalidPseudoVersionBase` inputs.
    static let invalidPseudoVersionBase: [String] = [
        "v0.0.0",
        "v0.0.0-",
        "v0.0.0-0.20060102150405-hash",
        "v0.1.0-0.20060102150405-hash",
        "v1.0.0-0.20060102150405-hash",
        "v0.0.0-20060102150405-hash+incompatible",
        "v0.0.0-20060102150405-hash+metadata",
    ]

    /// pseudo_test.go `TestIncDecimal`: (input, want).
    static let incDecimal: [(String, String)] = [("0", "1"), ("1", "2"), ("99", "100"), ("100", "101"), ("101", "102")]

    /// pseudo_test.go `TestDecDecimal`: (input, want); `nil` stands for Go's "" (all zeros).
    static let decDecimal: [(String, String?)] = [
        ("", nil), ("0", nil), ("00", nil), ("1", "0"), ("2", "1"), ("99", "98"), ("100", "99"), ("101", "100"),
    ]

    private static func b(_ s: String) -> [UInt8] { Array(s.utf8) }
}
