import Foundation
import GoModCore
import GoModTestSupport
import Testing

/// Laws that must hold for all inputs, checked over seeded random samples: escaping round
/// trips and is injective, `semver.Compare` is a total preorder whose equivalence classes are
/// the canonical forms, the sort orders are total, and pseudo-versions round-trip through
/// their parsers.
@Suite struct NamesPropertyTests {
    private static func randomPath(_ rng: inout SplitMix64) -> ByteString {
        let hostChars = Array("abcxyz019-".utf8), elemChars = Array("abcXYZ019-_~.".utf8)
        var host: [UInt8] = [UInt8(ascii: "a")]
        for _ in 0..<Int.random(in: 0...6, using: &rng) { host.append(hostChars.randomElement(using: &rng) ?? 97) }
        host += Array(".com".utf8)
        var path = host
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            var elem: [UInt8] = [UInt8(ascii: "E")]
            for _ in 0..<Int.random(in: 0...8, using: &rng) { elem.append(elemChars.randomElement(using: &rng) ?? 97) }
            elem.append(UInt8(ascii: "z"))
            path += [UInt8(ascii: "/")] + elem
        }
        return ByteString(path)
    }

    @Test func escapingRoundTripsAndIsInjective() throws {
        var rng = SplitMix64(seed: 1)
        var escapedToPath: [ByteString: ByteString] = [:]
        var checked = 0
        for _ in 0..<5_000 {
            let path = Self.randomPath(&rng)
            guard (try? Module.checkPath(path)) != nil else { continue }
            checked += 1
            let escaped = try Module.escapePath(path)
            #expect(!escaped.bytes.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
            #expect(try Module.unescapePath(escaped) == path)
            if let other = escapedToPath.updateValue(path, forKey: escaped) {
                #expect(other == path, "\(other) and \(path) escape alike")
            }
        }
        #expect(checked > 1_000)
    }

    private static func randomVersion(_ rng: inout SplitMix64) -> ByteString {
        let numbers = ["0", "1", "2", "9", "10", "11", "99999999999999999999"]
        let idents = ["alpha", "beta", "rc", "0", "1", "11", "2", "x-y", "A", "a"]
        var v = "v" + (numbers.randomElement(using: &rng) ?? "0")
        let parts = Int.random(in: 0...2, using: &rng)
        if parts >= 1 { v += "." + (numbers.randomElement(using: &rng) ?? "0") }
        if parts == 2 {
            v += "." + (numbers.randomElement(using: &rng) ?? "0")
            if Bool.random(using: &rng) {
                v += "-" + (0..<Int.random(in: 1...3, using: &rng)).map { _ in idents.randomElement(using: &rng) ?? "a" }
                    .joined(separator: ".")
            }
            if Int.random(in: 0..<4, using: &rng) == 0 { v += "+" + (idents.randomElement(using: &rng) ?? "a") }
        }
        return ByteString(v)
    }

    @Test func compareIsATotalPreorderMatchingCanonicalForms() {
        var rng = SplitMix64(seed: 2)
        let versions = (0..<300).map { _ in Self.randomVersion(&rng) } + ["bad", "", "v1.2.3-01"]
        for a in versions {
            for b in versions {
                let c = Semver.compare(a, b)
                #expect(c == -Semver.compare(b, a))
                if Semver.isValid(a) && Semver.isValid(b) {
                    #expect((c == 0) == (Semver.canonical(a) == Semver.canonical(b)), "\(a) vs \(b)")
                }
            }
        }
        for _ in 0..<20_000 {
            let a = versions.randomElement(using: &rng) ?? "", b = versions.randomElement(using: &rng) ?? ""
            let c = versions.randomElement(using: &rng) ?? ""
            if Semver.compare(a, b) <= 0 && Semver.compare(b, c) <= 0 {
                #expect(Semver.compare(a, c) <= 0, "\(a) <= \(b) <= \(c)")
            }
        }
    }

    @Test func sortOrdersAreTotal() {
        var rng = SplitMix64(seed: 3)
        let versions = (0..<200).map { _ in Self.randomVersion(&rng) }
        var first = versions
        Semver.sort(&first)
        var keys = versions.flatMap { v in
            [ModuleVersion(path: "a.com/m", version: v), ModuleVersion(path: "a.com/m", version: v + "/go.mod"),
             ModuleVersion(path: "b.com/m", version: v)]
        }
        var firstKeys = keys
        Module.sort(&firstKeys)
        for _ in 0..<10 {
            var shuffled = versions
            shuffled.shuffle(using: &rng)
            Semver.sort(&shuffled)
            #expect(shuffled == first)
            keys.shuffle(using: &rng)
            var sortedKeys = keys
            Module.sort(&sortedKeys)
            #expect(sortedKeys == firstKeys)
        }
        // Neighbours never go backwards under Go's comparator.
        for (a, b) in zip(firstKeys, firstKeys.dropFirst()) where a.path == b.path {
            let va = a.version.bytes.split(separator: UInt8(ascii: "/"), maxSplits: 1).first.map { ByteString(Array($0)) } ?? ""
            let vb = b.version.bytes.split(separator: UInt8(ascii: "/"), maxSplits: 1).first.map { ByteString(Array($0)) } ?? ""
            #expect(Semver.compare(va, vb) <= 0)
        }
    }

    @Test func pseudoVersionsRoundTrip() throws {
        var rng = SplitMix64(seed: 4)
        let hex = Array("0123456789abcdef".utf8)
        var checked = 0
        for _ in 0..<3_000 {
            let older = Bool.random(using: &rng) ? ByteString("") : Self.randomVersion(&rng)
            let seconds = Int64.random(in: -62_135_596_800...253_402_300_799, using: &rng)
            let rev = ByteString((0..<12).map { _ in hex.randomElement(using: &rng) ?? 48 })
            let major: ByteString = ["", "v0", "v1", "v2"].randomElement(using: &rng) ?? ""
            let time = Date(timeIntervalSince1970: Double(seconds))
            let v = Module.pseudoVersion(major: major, older: older, time: time, revision: rev)
            #expect(Module.isPseudoVersion(v), "\(v)")
            #expect(try Module.pseudoVersionTime(v) == time)
            #expect(try Module.pseudoVersionRev(v) == rev)
            if Semver.isValid(older) && Semver.build(older).isEmpty {
                // The base is the canonical older version.
                #expect(try Module.pseudoVersionBase(v) == Semver.canonical(older), "\(v)")
                // A pseudo-version sorts after its base.
                #expect(Semver.compare(v, older) > 0)
                checked += 1
            }
        }
        #expect(checked > 500)
    }
}
