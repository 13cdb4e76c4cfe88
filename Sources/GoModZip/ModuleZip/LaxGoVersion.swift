import GoModCore
// x/mod's zip package needs one fact from a root go.mod: the Go language version of its `go`
// line as `modfile.ParseLax` reads it, or "" when there is none or ParseLax fails anywhere in the
// file. The lax parse is GoMod's (ModFile/); go/version's `Lang` and `Compare` are here. Checked
// against Go's ParseLax on every go.mod of the corpus and on crafted inputs (LaxGoVersionTests).

/// The language version x/mod's `zip` package derives from a root go.mod (`zip.parseGoVers`
/// followed by `version.Lang`), and go/version's comparison of such versions.
package enum LaxGoVersion {
    /// `version.Lang(parseGoVers("go.mod", data))`: `go1.N` (or `go1`) for a go.mod whose lax
    /// parse succeeds and has a `go` line with a valid version; `""` otherwise.
    package static func languageVersion(ofGoMod data: [UInt8]) -> [UInt8] {
        guard let version = goDirective(data) else { return [] }
        return lang(Array("go".utf8) + version)
    }

    /// The version of the `go` directive as `modfile.ParseLax` records it (after the lax
    /// rewrite of forms like `1.21.x`), or `nil` when ParseLax fails or there is no `go` line.
    static func goDirective(_ data: [UInt8]) -> [UInt8]? {
        guard let file = try? GoMod.parse(data, fileName: "go.mod", strictness: .lax) else { return nil }
        return file.goVersion?.bytes
    }

    // MARK: go/version

    /// go/version `Lang`: `go1.21` for `go1.21.3`, `go1.21rc2` or `go1.21`; `go1` for `go1.0`;
    /// `""` for an invalid version.
    static func lang(_ x: [UInt8]) -> [UInt8] {
        let v = parse(stripGo(x))
        if v.minor.isEmpty { return v.major.isEmpty ? [] : Array("go".utf8) + v.major }
        if v.major == [0x31] && v.minor == [0x30] { return Array("go".utf8) + v.major }
        return Array("go".utf8) + v.major + [0x2E] + v.minor
    }

    /// go/version `Compare`: invalid versions compare equal to each other and below valid ones.
    static func compare(_ x: [UInt8], _ y: [UInt8]) -> Int {
        let vx = parse(stripGo(x)), vy = parse(stripGo(y))
        if let c = nonzero(compareInt(vx.major, vy.major)) { return c }
        if let c = nonzero(compareInt(vx.minor, vy.minor)) { return c }
        if let c = nonzero(compareInt(vx.patch, vy.patch)) { return c }
        if vx.kind != vy.kind { return vx.kind.lexicographicallyPrecedes(vy.kind) ? -1 : 1 }
        return compareInt(vx.pre, vy.pre)
    }

    private static func nonzero(_ c: Int) -> Int? { c == 0 ? nil : c }

    private static func stripGo(_ v: [UInt8]) -> [UInt8] {
        let cut = v.firstIndex(of: 0x2D).map { Array(v[..<$0]) } ?? v
        guard cut.count >= 2, cut[0] == 0x67, cut[1] == 0x6F else { return [] }
        return Array(cut[2...])
    }

    /// internal/gover `Version`; all fields empty for an invalid version.
    private struct Version: Equatable {
        var major: [UInt8] = [], minor: [UInt8] = [], patch: [UInt8] = [], kind: [UInt8] = [], pre: [UInt8] = []
    }

    /// internal/gover `Parse`.
    private static func parse(_ text: [UInt8]) -> Version {
        var v = Version()
        var x = text[...]
        guard let major = cutInt(&x) else { return Version() }
        v.major = major
        if x.isEmpty {
            v.minor = [0x30]
            v.patch = [0x30]
            return v
        }
        guard x.first == 0x2E else { return Version() }
        x = x.dropFirst()
        guard let minor = cutInt(&x) else { return Version() }
        v.minor = minor
        if x.isEmpty {
            if compareInt(minor, Array("21".utf8)) < 0 { v.patch = [0x30] }
            return v
        }
        if x.first == 0x2E {
            x = x.dropFirst()
            guard let patch = cutInt(&x), x.isEmpty else { return Version() }
            v.patch = patch
            return v
        }
        var kind: [UInt8] = []
        while let c = x.first, c < 0x30 || c > 0x39 {
            guard c >= 0x61 && c <= 0x7A else { return Version() }
            kind.append(c)
            x = x.dropFirst()
        }
        guard !kind.isEmpty else { return Version() }
        v.kind = kind
        if x.isEmpty { return v }
        guard let pre = cutInt(&x), x.isEmpty else { return Version() }
        v.pre = pre
        return v
    }

    /// internal/gover `cutInt`: a decimal without unnecessary leading zeros.
    private static func cutInt(_ x: inout ArraySlice<UInt8>) -> [UInt8]? {
        let digits = x.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !digits.isEmpty, !(digits.first == 0x30 && digits.count != 1) else { return nil }
        x = x.dropFirst(digits.count)
        return Array(digits)
    }

    /// internal/gover `CmpInt`.
    private static func compareInt(_ x: [UInt8], _ y: [UInt8]) -> Int {
        if x == y { return 0 }
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        return x.lexicographicallyPrecedes(y) ? -1 : 1
    }
}
