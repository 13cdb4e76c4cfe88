import GoModCore
import GoModTestSupport
import Testing

/// x/mod's semver_test.go, run against ``Semver`` (expectations from the Go authors).
@Suite struct SemverTests {
    private static let tests = XModTables.semverTests

    @Test func isValidAndCanonical() {
        for row in Self.tests {
            let v = ByteString(row.input)
            #expect(Semver.isValid(v) == !row.canonical.isEmpty, "IsValid(\(row.input))")
            #expect(Semver.canonical(v) == ByteString(row.canonical), "Canonical(\(row.input))")
        }
    }

    /// TestMajor, TestMajorMinor, TestPrerelease, TestBuild: the wanted values are derived
    /// from the table exactly as the Go test derives them.
    @Test func components() {
        for row in Self.tests {
            let v = ByteString(row.input)
            let out = row.canonical
            var wantMajor = ""
            if let dot = out.firstIndex(of: ".") { wantMajor = String(out[..<dot]) }
            #expect(Semver.major(v) == ByteString(wantMajor), "Major(\(row.input))")

            var wantMM = ""
            if !out.isEmpty {
                wantMM = row.input
                if let plus = wantMM.firstIndex(of: "+") { wantMM = String(wantMM[..<plus]) }
                if let dash = wantMM.firstIndex(of: "-") { wantMM = String(wantMM[..<dash]) }
                switch wantMM.filter({ $0 == "." }).count {
                case 0: wantMM += ".0"
                case 2: wantMM = String(wantMM[..<(wantMM.lastIndex(of: ".") ?? wantMM.endIndex)])
                default: break
                }
            }
            #expect(Semver.majorMinor(v) == ByteString(wantMM), "MajorMinor(\(row.input))")

            var wantPre = ""
            if !out.isEmpty, let dash = out.firstIndex(of: "-") { wantPre = String(out[dash...]) }
            #expect(Semver.prerelease(v) == ByteString(wantPre), "Prerelease(\(row.input))")

            var wantBuild = ""
            if !out.isEmpty, let plus = row.input.firstIndex(of: "+") { wantBuild = String(row.input[plus...]) }
            #expect(Semver.build(v) == ByteString(wantBuild), "Build(\(row.input))")
        }
    }

    /// TestCompare and TestMax: the table is in increasing order; equal canonical forms compare equal.
    @Test func compareAndMax() {
        for (i, ti) in Self.tests.enumerated() {
            for (j, tj) in Self.tests.enumerated() {
                let want = ti.canonical == tj.canonical ? 0 : (i < j ? -1 : 1)
                #expect(Semver.compare(ByteString(ti.input), ByteString(tj.input)) == want,
                        "Compare(\(ti.input), \(tj.input))")
                let wantMax = i < j ? Semver.canonical(ByteString(tj.input)) : Semver.canonical(ByteString(ti.input))
                #expect(Semver.max(ByteString(ti.input), ByteString(tj.input)) == wantMax,
                        "Max(\(ti.input), \(tj.input))")
            }
        }
    }

    /// TestSort: a shuffled copy sorts into an order where each neighbour pair is non-decreasing.
    @Test func sortIsSorted() {
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<20 {
            var versions = Self.tests.map { ByteString($0.input) }
            versions.shuffle(using: &rng)
            Semver.sort(&versions)
            for (a, b) in zip(versions, versions.dropFirst()) {
                let c = Semver.compare(a, b)
                #expect(c < 0 || (c == 0 && !(b < a)), "\(a) before \(b)")
            }
        }
    }

    /// x/mod semver's `compareInt`: numbers compare by length then bytewise, without fixed-width integers.
    @Test func hugeNumbers() {
        let big = ByteString("v" + String(repeating: "9", count: 40) + ".0.0")
        let bigger = ByteString("v1" + String(repeating: "0", count: 40) + ".0.0")
        #expect(Semver.isValid(big) && Semver.isValid(bigger))
        #expect(Semver.compare(big, bigger) == -1)
        #expect(Semver.compare("v1.2.3-alpha.99999999999999999999999", "v1.2.3-alpha.100000000000000000000000") == -1)
        for bad: ByteString in ["v01.2.3", "v1.2.3-01", "v1.2.3-", "V1.2.3", "v1.2.3-α", "1.2.3", "v1.2.3\n"] {
            #expect(!Semver.isValid(bad), "\(bad)")
        }
    }
}
