/// Go's `golang.org/x/mod/semver` package, function for function, on byte strings.
///
/// A semantic version is `v` MAJOR [`.` MINOR [`.` PATCH [`-` PRERELEASE] [`+` BUILD]]]
/// (x/mod `semver/semver.go`). The shorthands `v1` and `v1.2` are valid and mean `v1.0.0` and
/// `v1.2.0`; prerelease and build suffixes need the full three-part form. Numeric components are
/// compared by length and then bytewise, never converted to fixed-width integers, so a
/// 40-digit major version is valid and orders correctly.
///
/// Invalid input never traps: like Go, the functions return `""`, `false` or treat the
/// version as smaller than every valid one.
public enum Semver {
    /// Whether `v` is a valid semantic version (Go's `semver.IsValid`).
    public static func isValid(_ v: ByteString) -> Bool {
        SemverParse(v.bytes) != nil
    }

    /// The canonical form of `v`: missing `.MINOR`/`.PATCH` filled with `.0` and build
    /// metadata dropped; `""` when `v` is invalid (Go's `semver.Canonical`).
    public static func canonical(_ v: ByteString) -> ByteString {
        ByteString(canonicalBytes(v.bytes))
    }

    /// The major-version prefix, e.g. `v2` for `v2.1.0`; `""` when invalid (Go's `semver.Major`).
    public static func major(_ v: ByteString) -> ByteString {
        guard let p = SemverParse(v.bytes) else { return "" }
        return ByteString(Array(v.bytes[0..<(1 + p.major.count)]))
    }

    /// The `major.minor` prefix, e.g. `v2.1` for `v2.1.0` and `v2.0` for `v2`; `""` when
    /// invalid (Go's `semver.MajorMinor`).
    public static func majorMinor(_ v: ByteString) -> ByteString {
        let bytes = v.bytes
        guard let p = SemverParse(bytes) else { return "" }
        let i = 1 + p.major.count
        let j = i + 1 + p.minor.count
        if j <= bytes.count, bytes[i] == UInt8(ascii: "."), bytes[(i + 1)..<j].elementsEqual(p.minor) {
            return ByteString(Array(bytes[0..<j]))
        }
        return ByteString(Array(bytes[0..<i]) + [UInt8(ascii: ".")] + Array(p.minor))
    }

    /// The prerelease suffix including its `-`, e.g. `-pre` for `v2.1.0-pre+meta`; `""` when
    /// absent or invalid (Go's `semver.Prerelease`).
    public static func prerelease(_ v: ByteString) -> ByteString {
        guard let p = SemverParse(v.bytes) else { return "" }
        return ByteString(Array(p.prerelease))
    }

    /// The build suffix including its `+`, e.g. `+meta` for `v2.1.0+meta`; `""` when absent or
    /// invalid (Go's `semver.Build`).
    public static func build(_ v: ByteString) -> ByteString {
        guard let p = SemverParse(v.bytes) else { return "" }
        return ByteString(Array(p.build))
    }

    /// Compares two versions by semantic-version precedence: `-1`, `0` or `+1` (Go's
    /// `semver.Compare`). Build metadata is ignored; an invalid version is less than every
    /// valid one, and all invalid versions compare equal.
    public static func compare(_ v: ByteString, _ w: ByteString) -> Int {
        compareBytes(v.bytes, w.bytes)
    }

    /// Canonicalizes both arguments and returns the greater (Go's deprecated `semver.Max`).
    public static func max(_ v: ByteString, _ w: ByteString) -> ByteString {
        let cv = canonicalBytes(v.bytes), cw = canonicalBytes(w.bytes)
        return ByteString(compareBytes(cv, cw) > 0 ? cv : cw)
    }

    /// Sorts versions by ``compare(_:_:)``, breaking ties bytewise (Go's `semver.Sort`, whose
    /// order is total and therefore fully determined).
    public static func sort(_ list: inout [ByteString]) {
        list.sort { compareVersionThenBytes($0.bytes, $1.bytes) < 0 }
    }

    // MARK: Internal byte-level entry points

    /// `semver.Canonical` on raw bytes.
    static func canonicalBytes(_ v: [UInt8]) -> [UInt8] {
        guard let p = SemverParse(v) else { return [] }
        if !p.build.isEmpty { return Array(v[0..<(v.count - p.build.count)]) }
        if !p.short.isEmpty { return v + p.short }
        return v
    }

    /// `semver.Compare` on raw bytes.
    static func compareBytes(_ v: [UInt8], _ w: [UInt8]) -> Int { compareSlices(v[...], w[...]) }

    /// `semver.Compare` on byte slices.
    static func compareSlices(_ v: ArraySlice<UInt8>, _ w: ArraySlice<UInt8>) -> Int {
        compareParsed(SemverParse(v), SemverParse(w))
    }

    /// `semver.Compare` on already parsed versions (`nil` = invalid).
    static func compareParsed(_ pv: SemverParse?, _ pw: SemverParse?) -> Int {
        switch (pv, pw) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (pv?, pw?):
            var c = compareNumeric(pv.major, pw.major)
            if c != 0 { return c }
            c = compareNumeric(pv.minor, pw.minor)
            if c != 0 { return c }
            c = compareNumeric(pv.patch, pw.patch)
            if c != 0 { return c }
            return comparePrerelease(pv.prerelease, pw.prerelease)
        }
    }

    /// `semver.Compare`, then bytewise order: the total order of Go's `semver.Sort`.
    static func compareVersionThenBytes(_ v: [UInt8], _ w: [UInt8]) -> Int {
        let c = compareBytes(v, w)
        if c != 0 { return c }
        return compareByteOrder(v, w)
    }

    /// Compares two decimal strings without leading zeros: by length, then bytewise.
    static func compareNumeric(_ x: ArraySlice<UInt8>, _ y: ArraySlice<UInt8>) -> Int {
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        return compareByteOrder(x, y)
    }

    /// Go's `comparePrerelease` (SemVer 2.0 §11).
    static func comparePrerelease(_ x: ArraySlice<UInt8>, _ y: ArraySlice<UInt8>) -> Int {
        if compareByteOrder(x, y) == 0 { return 0 }
        if x.isEmpty { return 1 }
        if y.isEmpty { return -1 }
        var x = x, y = y
        while !x.isEmpty && !y.isEmpty {
            x = x.dropFirst()  // skip - or .
            y = y.dropFirst()
            let dx = nextIdentifier(&x), dy = nextIdentifier(&y)
            let c = compareByteOrder(dx, dy)
            if c != 0 {
                let ix = isNumeric(dx), iy = isNumeric(dy)
                if ix != iy { return ix ? -1 : 1 }
                if ix && dx.count != dy.count { return dx.count < dy.count ? -1 : 1 }
                return c
            }
        }
        return x.isEmpty ? -1 : 1
    }

    private static func nextIdentifier(_ x: inout ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let end = x.firstIndex(of: UInt8(ascii: ".")) ?? x.endIndex
        let ident = x[x.startIndex..<end]
        x = x[end...]
        return ident
    }

    private static func isNumeric(_ x: ArraySlice<UInt8>) -> Bool {
        x.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}

/// Bytewise three-way comparison (Go's `strings.Compare`).
func compareByteOrder(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
    let n = min(a.count, b.count)
    var i = a.startIndex, j = b.startIndex
    for _ in 0..<n {
        let x = a[i], y = b[j]
        if x != y { return x < y ? -1 : 1 }
        i += 1
        j += 1
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// Bytewise three-way comparison of arrays (Go's `strings.Compare`).
func compareByteOrder(_ a: [UInt8], _ b: [UInt8]) -> Int {
    let n = min(a.count, b.count)
    var i = 0
    while i < n {
        let x = a[i], y = b[i]
        if x != y { return x < y ? -1 : 1 }
        i += 1
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// The parsed form of a semantic version (Go's `semver.parsed`); slices index into the input.
struct SemverParse {
    var major: ArraySlice<UInt8>
    var minor: ArraySlice<UInt8>
    var patch: ArraySlice<UInt8>
    /// `.0.0`, `.0` or empty: what ``Semver/canonical(_:)`` appends to a shorthand.
    var short: [UInt8]
    /// Including the leading `-`; empty when absent.
    var prerelease: ArraySlice<UInt8>
    /// Including the leading `+`; empty when absent.
    var build: ArraySlice<UInt8>

    private static let zero: ArraySlice<UInt8> = [UInt8(ascii: "0")]
    private static let shortZeroZero = Array(".0.0".utf8)
    private static let shortZero = Array(".0".utf8)

    /// Go's `semver.parse`; `nil` when `v` is not a valid semantic version.
    init?(_ v: [UInt8]) { self.init(v[...]) }

    /// Go's `semver.parse` on a slice; the parts index into `v`.
    init?(_ v: ArraySlice<UInt8>) {
        var rest = v
        guard rest.first == UInt8(ascii: "v") else { return nil }
        rest = rest.dropFirst()
        guard let major = Self.parseInt(&rest) else { return nil }
        self.major = major
        self.minor = Self.zero
        self.patch = Self.zero
        self.prerelease = []
        self.build = []
        if rest.isEmpty {
            short = Self.shortZeroZero
            return
        }
        guard rest.first == UInt8(ascii: ".") else { return nil }
        rest = rest.dropFirst()
        guard let minor = Self.parseInt(&rest) else { return nil }
        self.minor = minor
        if rest.isEmpty {
            short = Self.shortZero
            return
        }
        guard rest.first == UInt8(ascii: ".") else { return nil }
        rest = rest.dropFirst()
        guard let patch = Self.parseInt(&rest) else { return nil }
        self.patch = patch
        short = []
        if rest.first == UInt8(ascii: "-") {
            guard let pre = Self.parsePrerelease(&rest) else { return nil }
            prerelease = pre
        }
        if rest.first == UInt8(ascii: "+") {
            guard let build = Self.parseBuild(&rest) else { return nil }
            self.build = build
        }
        guard rest.isEmpty else { return nil }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private static func isIdentChar(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
            || isDigit(c) || c == UInt8(ascii: "-")
    }

    /// A numeric identifier with a leading zero (`01`), which SemVer forbids.
    private static func isBadNum(_ v: ArraySlice<UInt8>) -> Bool {
        v.count > 1 && v.allSatisfy(isDigit) && v.first == UInt8(ascii: "0")
    }

    private static func parseInt(_ v: inout ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard let first = v.first, isDigit(first) else { return nil }
        var i = v.index(after: v.startIndex)
        while i < v.endIndex && isDigit(v[i]) { i += 1 }
        if first == UInt8(ascii: "0") && i != v.startIndex + 1 { return nil }
        let number = v[v.startIndex..<i]
        v = v[i...]
        return number
    }

    private static func parsePrerelease(_ v: inout ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard v.first == UInt8(ascii: "-") else { return nil }
        var i = v.startIndex + 1
        var start = i
        while i < v.endIndex && v[i] != UInt8(ascii: "+") {
            let c = v[i]
            if !isIdentChar(c) && c != UInt8(ascii: ".") { return nil }
            if c == UInt8(ascii: ".") {
                if start == i || isBadNum(v[start..<i]) { return nil }
                start = i + 1
            }
            i += 1
        }
        if start == i || isBadNum(v[start..<i]) { return nil }
        let pre = v[v.startIndex..<i]
        v = v[i...]
        return pre
    }

    private static func parseBuild(_ v: inout ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard v.first == UInt8(ascii: "+") else { return nil }
        var i = v.startIndex + 1
        var start = i
        while i < v.endIndex {
            let c = v[i]
            if !isIdentChar(c) && c != UInt8(ascii: ".") { return nil }
            if c == UInt8(ascii: ".") {
                if start == i { return nil }
                start = i + 1
            }
            i += 1
        }
        if start == i { return nil }
        let build = v[v.startIndex..<i]
        v = v[i...]
        return build
    }
}
