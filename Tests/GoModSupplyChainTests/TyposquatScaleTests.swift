import Foundation
import Testing
import GoModCore
import GoModSupplyChain
import GoModTestSupport

/// A go.mod with 100,000 requires. The time bound (≤ 1 s, indexed
/// detector) is measured by `scripts/bench-typosquat.sh`, not here; this test checks that on such
/// an input — parsed from go.mod text, every require also a project reference, as
/// `gomodkit typosquat` builds it — the detector finds exactly the look-alikes planted in it, each
/// against its target and by the rule the small-input tests establish (``TyposquatTests``), and
/// nothing among the 100,000 unrelated paths.
@Suite struct TyposquatScaleTests {
    /// Look-alikes from ``TyposquatTests/flagged`` (rows 167–170): path, target, rule.
    static let planted: [(String, String, Typosquat.Rule)] = [
        ("github.com/boltdb-go/bolt", "github.com/boltdb/bolt", .ownerLookalike),
        ("github.com/siruspen/logrus", "github.com/sirupsen/logrus", .ownerEdit),
        ("golang.org/x/crypt0", "golang.org/x/crypto", .confusable),
        ("github.com/gorilla/rnux", "github.com/gorilla/mux", .confusable),
        ("githb.com/sirupsen/logrus", "github.com/sirupsen/logrus", .oneEdit),
        ("xn--glang-jye.org/x/net", "golang.org/x/net", .punycodeHomograph),
    ]

    /// 100,000 requires: fresh paths under distinct random hosts, the planted look-alikes at
    /// pseudo-random positions, and some well-known modules themselves (listed: never flagged).
    static func goMod() -> (text: [UInt8], count: Int) {
        var rng = SplitMix64(seed: 173)
        func word(_ n: Int) -> String {
            String((0..<n).map { _ in Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(rng.next() % 26))) })
        }
        var requires: [String] = []
        for i in 0..<100_000 - planted.count - 50 {
            requires.append("h\(i)\(word(6)).example/\(word(9))/\(word(11))")
        }
        for p in Typosquat.wellKnownModules.prefix(50) { requires.insert(p, at: Int(rng.next() % UInt64(requires.count))) }
        for (path, _, _) in planted { requires.insert(path, at: Int(rng.next() % UInt64(requires.count))) }
        var text = "module example.com/big\n\ngo 1.21\n\nrequire (\n"
        for p in requires {
            let major = Module.pathMajorPrefix(Module.splitPathVersion(ByteString(p)).pathMajor)?.utf8String ?? ""
            text += "\t\(p) \(major.isEmpty ? "v1" : major).0.0\n"
        }
        text += ")\n"
        return (Array(text.utf8), requires.count)
    }

    @Test func findsExactlyThePlantedLookalikes() throws {
        let (text, count) = Self.goMod()
        let file = try GoMod.parse(text)
        let paths = file.requirements.map { ByteString($0.module.path.bytes) }
        #expect(paths.count == count)
        #expect(count == 100_000)
        let detector = Typosquat.Detector(project: paths)
        let findings = detector.check(paths)
        let got = Set(findings.map { "\($0.path.utf8String ?? "") \($0.target.utf8String ?? "") \($0.rule.rawValue)" })
        let want = Set(Self.planted.map { "\($0.0) \($0.1) \($0.2.rawValue)" })
        #expect(got == want, "missing \(want.subtracting(got)); extra \(got.subtracting(want).prefix(20))")
    }
}
