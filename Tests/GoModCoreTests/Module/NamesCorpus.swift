import GoModTestSupport

/// The inputs of the names differential test: x/mod's tables plus generated edge cases
/// (every ASCII byte in every position of an element, invalid UTF-8, Unicode letters, marks,
/// digits, spaces, format characters, the Kelvin sign, Windows names, long numbers,
/// malformed pseudo-versions, glob syntax errors…). Deterministic: the same list every run,
/// so it doubles as the request list of the committed Go golden file.
enum NamesCorpus {
    static func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// Non-ASCII runes of many categories (and invalid byte sequences) to splice into names.
    static let specialRunes: [[UInt8]] = {
        var runes: [[UInt8]] = [
            b("é"), b("É"), b("ǅ"), b("ʰ"), b("ª"), b("中"), b("가"), b("ß"), b("ſ"), b("\u{212A}"),
            b("\u{301}"), b("\u{903}"), b("\u{20DD}"), b("٣"), b("Ⅻ"), b("½"), b("\u{A0}"), b("\u{2003}"),
            b("\u{3000}"), b("\u{200B}"), b("\u{200D}"), b("\u{202E}"), b("\u{FEFF}"), b("\u{AD}"),
            b("\u{85}"), b("\u{2028}"), b("☺"), b("😀"), b("€"), b("\u{E000}"), b("\u{FFFD}"), b("\u{FFFF}"),
            b("\u{10FFFF}"), b("\u{378}"), b("𝔘"), b("Ω"), b("\u{2126}"), b("İ"), b("ı"), b("ﬀ"),
            b("\u{7F}"), b("\u{0}"), b("\u{1B}"), b("\u{9}"), b("\u{A}"), b("\u{D}"),
        ]
        runes += [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x80], [0xF4, 0x90, 0x80, 0x80]]
        return runes + lettersAfterUnicode13
    }()

    /// Letters added to Unicode after version 13.0 (Go 1.19's tables) and known to Go 1.27.3's
    /// Unicode 17.0: file paths containing them are valid for current Go only.
    static let lettersAfterUnicode13: [[UInt8]] = [
        b("\u{870}"), b("\u{CDD}"), b("\u{1E7E8}"), b("\u{2B735}"), b("\u{2EBF0}"), b("\u{31350}"),
    ]

    /// Paths for the path checks, escaping and glob matching.
    static var paths: [[UInt8]] {
        var out = XModTables.checkPathTests.map(\.path)
        out += XModTables.escapeTests.flatMap { [b($0.path), b($0.escaped)] }
        out += XModTables.badUnescape.map(b)
        out += XModTables.checkTests.map { b($0.path) }
        for c in UInt8(0)...UInt8(0x7F) {
            out.append(b("x.y/z") + [c])
            out.append([c] + b("x.y/z"))
            out.append(b("x") + [c] + b(".y/z"))
            out.append(b("x.y/a") + [c] + b("b"))
            out.append(b("example.com/") + [c])
        }
        for rune in specialRunes {
            out.append(b("example.com/a") + rune + b("b"))
            out.append(b("example.com/") + rune)
            out.append(b("ex") + rune + b("ample.com/m"))
            out.append(rune + b("x/y.go"))
        }
        for name in ["con", "CON", "Con.txt", "aux.foo.bar", "nul", "NUL.", "com0", "com1", "COM9.go", "com10",
                     "lpt1", "LPT9", "lpt0", "prn", "prn~1", "conx", "xcon", "c\u{212A}", "aux~1", "z~", "z~a",
                     "z~1a", "z~123", "~1", "a~1.txt", "a.b~1", "x~1~2", "~"] {
            out.append(b("example.com/") + b(name))
            out.append(b("example.com/dir/") + b(name) + b("/x"))
        }
        let tails = ["v0", "v1", "v2", "v02", "v2.0", "v10", "v2.", "v", "v1.5", "V2", "v2a", "v99999999999999999999",
                     "vv2", "2", "v2/x"]
        for tail in tails {
            out.append(b("example.com/m/") + b(tail))
            out.append(b("example.com/") + b(tail))
        }
        for gopkg in ["gopkg.in/yaml.v2", "gopkg.in/yaml.v0", "gopkg.in/yaml.v1", "gopkg.in/yaml.v01",
                      "gopkg.in/yaml", "gopkg.in/yaml.v2-unstable", "gopkg.in/yaml.v-unstable",
                      "gopkg.in/user/pkg.v3", "gopkg.in/v2", "gopkg.in/.v2", "gopkg.in/yaml.v2/sub",
                      "gopkg.in/yaml.v10", "gopkg.in/yaml.v1.2", "gopkg.in", "gopkg.in/", "gopkg.in/yamlv2"] {
            out.append(b(gopkg))
        }
        for other in ["x.y/z/v2/v3", "a.b", ".a.b/c", "a.b/.c", "a.b/c.", "a..b/c", "-a.b/c", "a.b/-c",
                      "a-.b/c", "A.b/c", "a.B/c", "a_b.c/d", "a~b.c/d", "a.b/c d", "a.b/ c", "a.b/c+d",
                      "github.com/GoogleCloudPlatform/omega", "github.com/!google!cloud!platform/omega",
                      "github.com/!google!cloud!platform!/omega", "github.com/!0google", "github.com/!_x",
                      "github.com/Sirupsen/logrus", "github.com/!sirupsen/logrus", "github.com/!a!b!c",
                      "github.com/!A", "xn--80ak6aa92e.com/x", "a.b/...", "a.b/..../c", "a.b/.../c",
                      "a.b/./c", "a.b/c/.", "./", ".", "..", "/", "//", "a.b//", "a.b/c//", "a.b/c/d/"] {
            out.append(b(other))
        }
        out.append(b("example.com/") + Array(repeating: UInt8(ascii: "a"), count: 5000))
        out.append(Array(repeating: UInt8(ascii: "/"), count: 300))
        out.append(b("example.com") + Array([[UInt8]](repeating: b("/x"), count: 2000).joined()))
        return out
    }

    /// Versions for the semver, escaping and pseudo-version functions.
    static var versions: [[UInt8]] {
        var out = XModTables.semverTests.map { b($0.input) }
        out += XModTables.pseudoTests.flatMap { [b($0.version), b($0.older)] }
        out += XModTables.invalidPseudoVersionBase.map(b)
        out += XModTables.checkTests.map { b($0.version) }
        out += XModTables.matchPathMajorTests.map { b($0.version) }
        let nines = String(repeating: "9", count: 40)
        for v in [
            "v0.0.0", "v0.0.1", "v1.0.0", "v1.2.3", "v2.0.0", "v2.0.0+incompatible", "v2.0.0+Incompatible",
            "v2.0.0+incompatible.1", "v2+incompatible", "v1.2.3-pre+incompatible", "v10.0.0", "v9.0.0",
            "v1.0.0-RC1", "v1.0.0-rc1", "v1.0.0-Rc.1", "v1.0.0-0", "v1.0.0-00", "v1.0.0-01", "v1.0.0-1",
            "v1.0.0-a.01", "v1.0.0-a..b", "v1.0.0-a.", "v1.0.0-.a", "v1.0.0+", "v1.0.0+a..b", "v1.0.0+a.",
            "v1.0.0+.a", "v1.0.0+0", "v1.0.0+00", "v1.0.0-+", "v1.0.0--", "v1.0.0---", "v1.0.0-a-b",
            "v01.2.3", "v1.02.3", "v1.2.03", "v1.2.3.4", "v1..2", "v1.", "v", "V1.2.3", "1.2.3", "v1.2.3\n",
            "v1.2.3 ", " v1.2.3", "v1.2.3-α", "v1.2.3+α", "v1.2.3-x\u{212A}", "v-1", "v+1", "v1.2.3-pre!",
            "v1.0.0/go.mod", "v1.0.0/../../x", "v1.0.0!", "con", "CON.v1", "v1.0.0~1", "aux", "v1.0.0:x",
            "v1.0.0 x", "v1.0.0-é", "vé", "!v", "v!1", "!", "", ".", "..", "v1.0.0.", ".v1",
            "v" + nines, "v" + nines + ".0", "v0." + nines + ".1", "v1.0.0-" + nines, "v1.0.0-" + nines + "a",
            "v1" + String(repeating: "0", count: 40) + ".0.0",
            "v0.0.0-20060102150405-abcdef123456", "v0.0.0-20060102150405-ABCDEF123456",
            "v0.0.0-20060102150405-abcdef12345", "v0.0.0-20060102150405-a", "v0.0.0-20060102150405-",
            "v0.0.0-2006010215040-abcdef123456", "v0.0.0-200601021504055-abcdef123456",
            "v0.0.0-20061302150405-abcdef123456", "v0.0.0-20060132150405-abcdef123456",
            "v0.0.0-20060230150405-abcdef123456", "v0.0.0-20080229150405-abcdef123456",
            "v0.0.0-19000229150405-abcdef123456", "v0.0.0-20000229150405-abcdef123456",
            "v0.0.0-20060102240405-abcdef123456", "v0.0.0-20060102156005-abcdef123456",
            "v0.0.0-20060102150460-abcdef123456", "v0.0.0-20060100150405-abcdef123456",
            "v0.0.0-00000101000000-abcdef123456", "v0.0.0-00010101000000-000000000000",
            "v1.0.0-00010101000000-000000000000", "v2.0.0-00010101000000-000000000000",
            "v0.0.0-99991231235959-abcdef123456", "v0.0.0-20060102150405-abcdef123456+incompatible",
            "v1.2.4-0.20060102150405-abcdef123456", "v1.2.4-0.20060102150405-abcdef123456+incompatible",
            "v1.2.0-0.20060102150405-abcdef123456", "v1.0.0-0.20060102150405-abcdef123456",
            "v1.2.3-pre.0.20060102150405-abcdef123456", "v1.2.3-pre.1.0.20060102150405-abcdef123456",
            "v1.2.3-pre.x.0.20060102150405-abcdef123456+meta.1", "v1.2.3-pre.0.0.20060102150405-abc",
            "v1.2.3-0.0.20060102150405-abc", "v1.2.3-a-b.0.20060102150405-abc", "v1.2.3-0.2006010215040-abc",
            "v1.2.3-1.20060102150405-abc", "v1.2.3-pre0.20060102150405-abc", "v1.2.3-pre-0.20060102150405-abc",
            "v1.2.3-pre.0.20060102150405-abc-def", "v1.2.3-pre.0.20060102150405-abc+x+y",
            "v1.2.3-pre.0.20060102150405-abc+x..y", "v0.0.0-20060102150405-abc.def",
            "v0.0.1-0.20060102150405-abc", "v1.0.0-0.0.20060102150405-abc", "v1.0.0-.0.20060102150405-abc",
            "v1.0.0-x.0.20060102150405-" + String(repeating: "a", count: 64),
            "v3.0.0-20200615113413-eeeca48fe776", "v1.0.0-20190902080502-41f04d3bba15",
            "v0.0.0-20161208181325-20d25e280405", "v2.2.1", "v3.0.0-20200313102051-9f266ea9e77c",
        ] {
            out.append(b(v))
        }
        for rune in specialRunes { out.append(b("v1.0.0-") + rune) }
        return out
    }

    /// A smaller set of versions for the pairwise comparisons.
    static var comparisonVersions: [[UInt8]] {
        let list = XModTables.semverTests.map { b($0.input) } + [
            "v0.0.0", "v0.0.0-20060102150405-abcdef123456", "v1.0.0-0.20060102150405-abc", "v1.2.3+incompatible",
            "v2.0.0", "v10.0.0", "v9.0.0", "v1.0.0-1", "v1.0.0-a", "v1.0.0-A", "v1.0.0-a.1", "v1.0.0-a.b",
            "v1.0.0-2", "v1.0.0-10", "v1.0.0-a-", "v1.0.0--", "v1.10.0", "v1.9.0", "v1.2.10", "v1.2.9",
            "v" + String(repeating: "9", count: 30), "v1" + String(repeating: "0", count: 30), "x", "",
            "v1.0.0-" + String(repeating: "9", count: 25), "v1.0.0-1" + String(repeating: "0", count: 25),
        ].map(b)
        return list
    }

    static let pathMajors: [String] = ["", "/v2", "/v3", "/v10", ".v0", ".v1", ".v2", ".v1-unstable", ".v2-unstable",
                                       "v2", "/v1", "/v0", "/v02", ".v", "/", ".", "/x", ".v2.0", "-unstable",
                                       ".v3-unstable-unstable", "/v2-unstable"]

    static let globs: [String] = [
        "", ",", "/", "*", "*/", "**", "*/*", "a.b", "a.b/", "a.b//", "a.*", "*.b", "a?b", "a??b", "[ab].b",
        "[^ab].b", "[a-c].b", "[c-a].b", "[a-].b", "[-a].b", "[]a].b", "[]", "[", "]", "a[", "a]", "[\\]].b",
        "[\\-].b", "\\", "a\\", "\\a.b", "a.\\*", "[a\\", "[a-\\", "[^]", "[é].b", "[à-ü].b", "?.b", "*.b/c",
        "*/c", "*/c/", "*/*/*", "a.b,x.y", "x.y,a.b", "x.y,,a.b", " a.b", "a.b ", "A.b", "*[", "*[a", "a*[",
        "*\\", "a.b/c,[", "[,a.b", "*/*mple*", "*\u{212A}", "[k-k].b", "a.b/*/d", "?", "??", "?/?", "*?",
        "[\u{FF}]", "[\u{0}-\u{10FFFF}].b", "[a-b-c].b", "[[].b", "[a*].b", "a*b*c", "*b/c/*/e",
    ]

    static let globTargets: [[UInt8]] = [
        "a.b", "a.b/c", "a.b/c/d", "a.b/c/d/e", "x.y/a.b", "c.b", "é.b", "ü.b", "\u{212A}", "k.b", "-.b", "].b",
        "\\.b", "*.b", "a*b", "acb", "abcb", "", "/", "a.b/", "a.b//c", "A.b", "aXYb", "abc", "a/b",
        "rsc.io/quote", "rsc.io/sampler", "golang.org/x/text", "[.b", "a.b/c/x/e",
    ].map { b($0) } + [[0xFF, 0x2E, 0x62], [0x61, 0x2E, 0x62, 0x2F, 0xFF]]

    /// The full request list.
    static var requests: [NamesRequest] {
        var out: [NamesRequest] = []
        var seen = Set<NamesRequest>()
        func add(_ r: NamesRequest) {
            if seen.insert(r).inserted { out.append(r) }
        }
        for p in paths {
            for op in ["checkPath", "checkImportPath", "checkFilePath", "splitPathVersion", "escapePath", "unescapePath"] {
                add(NamesRequest(op, p))
            }
        }
        for v in versions {
            for op in ["isValid", "canonical", "major", "majorMinor", "prerelease", "build", "canonicalVersion",
                       "escapeVersion", "unescapeVersion", "isPseudoVersion", "isZeroPseudoVersion",
                       "pseudoVersionTime", "pseudoVersionRev", "pseudoVersionBase", "checkFilePath"] {
                add(NamesRequest(op, v))
            }
            for major in pathMajors {
                add(NamesRequest("checkPathMajor", v, b(major)))
                add(NamesRequest("matchPathMajor", v, b(major)))
            }
        }
        for major in pathMajors {
            add(NamesRequest("pathMajorPrefix", b(major)))
        }
        for major in ["", "v0", "v1", "v2", "v10", "x", "v1.0"] {
            add(NamesRequest("zeroPseudoVersion", b(major)))
        }
        let compared = comparisonVersions
        for v in compared {
            for w in compared {
                add(NamesRequest("compare", v, w))
                add(NamesRequest("max", v, w))
            }
        }
        for row in XModTables.checkTests { add(NamesRequest("check", b(row.path), b(row.version))) }
        let checkPaths = ["example.com/m", "example.com/m/v2", "example.com/m/v3", "gopkg.in/yaml.v1",
                          "gopkg.in/yaml.v2", "gopkg.in/yaml.v0", "gopkg.in/yaml.v2-unstable", "x", "example.com/m/v1",
                          "Example.com/m"].map(b)
        for p in checkPaths {
            for v in compared { add(NamesRequest("check", p, v)) }
        }
        let olders = ["", "v0.0.0", "v1.2.3", "v1.2.99999999999999999", "v1.2.3-pre", "v0.0.0--", "v1.0.0+metadata",
                      "v2.0.0+incompatible", "v2.3.0-pre+incompatible", "v1.2", "v1", "bad", "v1.2.9", "v1.9.9"]
        let times: [Int64] = [XModTables.pseudoTime, 0, -1, 1, 253_402_300_799, 253_402_300_800, -62_135_596_800,
                              -62_135_596_801, -62_167_219_200, -62_167_219_201, 4_102_444_800, 951_868_799]
        for major in ["", "v0", "v1", "v2"] {
            for older in olders {
                for t in times {
                    add(NamesRequest("pseudoVersion", b(major), b(older), b(String(t)), b("abcdef123456")))
                }
            }
        }
        add(NamesRequest("pseudoVersion", b("v1"), b(""), b(String(XModTables.pseudoTime)), b("")))
        var rng = SplitMix64(seed: 42)
        for _ in 0..<40 {
            var list = compared
            list.shuffle(using: &rng)
            add(NamesRequest("semverSort", list: Array(list.prefix(Int.random(in: 2...list.count, using: &rng)))))
        }
        // module.Sort lists without semver ties between distinct version strings (Go's order
        // among those is unspecified; see ModuleTests.moduleSortOrder).
        let sortPaths = ["a.com/m", "a.com/m/v2", "b.com", "a.com", "a.com/n", "A.com/m"].map(b)
        let sortVersions = ["v1.0.0", "v1.0.0/go.mod", "v1.10.0", "v1.10.0/go.mod", "v1.9.0", "v1.9.0/go.mod",
                            "v2.0.0+incompatible/go.mod", "v0.0.0-20060102150405-abcdef123456",
                            "v0.0.0-20060102150405-abcdef123456/go.mod", "v1.0.0-rc.1", "v1.0.0-rc.1/go.mod",
                            "v1.0.0/x", "v1.0.0/go.mod/x"].map(b)
        for _ in 0..<40 {
            var pairs: [[UInt8]] = []
            var used = Set<[[UInt8]]>()
            for _ in 0..<Int.random(in: 2...12, using: &rng) {
                let pair = [sortPaths.randomElement(using: &rng) ?? [], sortVersions.randomElement(using: &rng) ?? []]
                if used.insert(pair).inserted { pairs += pair }
            }
            add(NamesRequest("moduleSort", list: pairs))
        }
        // module.VersionError around each kind of error.
        let inner: [(String, String, String)] = [
            ("pathMajor", "v2.0.0", ""), ("pathMajor", "v1.0.0", "/v2"), ("pathMajor", "v1.0.0", ""),
            ("check", "example.com/m", "v2.0.0"), ("check", "example.com/m", "1.0"), ("check", "x", "v1.0.0"),
            ("check", "example.com/m", "v1.0.0"), ("pseudoBase", "v1.0.0", ""),
            ("pseudoBase", "v0.0.0-20060102150405-abc+incompatible", ""), ("pseudoBase", "v1.0.0-0.20060102150405-abc", ""),
            ("escapeVersion", "v1/x", ""), ("checkPath", "x", ""), ("text", "verifying go.mod: boom", ""),
        ]
        for module in [("example.com/m", "v1.0.0"), ("example.com/m", ""), ("other.com/x", "v2.0.0"), ("x", "y")] {
            for (kind, a, c) in inner {
                add(NamesRequest("versionError", b(module.0), b(module.1), b(kind), b(a), b(c)))
            }
        }
        for row in XModTables.matchPrefixPatternsTests {
            add(NamesRequest("matchPrefixPatterns", b(row.globs), b(row.target)))
        }
        for glob in globs {
            for target in globTargets {
                add(NamesRequest("matchPrefixPatterns", b(glob), target))
                add(NamesRequest("pathMatch", b(glob), target))
            }
        }
        return out
    }
}
