import Foundation
@testable import GoModCore
import Testing

/// x/mod's module/pseudo_test.go, run against ``Module`` (expectations from the Go authors).
@Suite struct PseudoVersionTests {
    private static let time = Date(timeIntervalSince1970: Double(XModTables.pseudoTime))

    @Test(arguments: XModTables.pseudoTests.indices)
    func pseudoTable(_ index: Int) throws {
        let row = XModTables.pseudoTests[index]
        let version = ByteString(row.version), older = ByteString(row.older)
        // TestPseudoVersion
        #expect(Module.pseudoVersion(major: ByteString(row.major), older: older, time: Self.time, revision: "hash")
            == version)
        // TestIsPseudoVersion
        #expect(Module.isPseudoVersion(version))
        #expect(!Module.isPseudoVersion(older))
        // TestPseudoVersionTime
        #expect(try Module.pseudoVersionTime(version) == Self.time)
        #expect(Self.code { try Module.pseudoVersionTime(older) } == .pseudoVersionSyntax)
        // TestPseudoVersionRev
        #expect(try Module.pseudoVersionRev(version) == "hash")
        #expect(Self.code { try Module.pseudoVersionRev(older) } == .pseudoVersionSyntax)
        // TestPseudoVersionBase
        #expect(try Module.pseudoVersionBase(version) == older)
    }

    @Test func invalidTimeAndBase() {
        #expect(Self.code { try Module.pseudoVersionTime("---") } == .pseudoVersionSyntax)
        // The rule each of x/mod's invalid inputs breaks, by Go's message (module/pseudo.go
        // PseudoVersionBase): not a pseudo-version ("syntax error"), "lacks base version, but has
        // build metadata", "version before vX.Y.0 would have negative patch number".
        let rules: [String: ModulePathError.Code] = [
            "v0.0.0": .pseudoVersionSyntax,
            "v0.0.0-": .pseudoVersionSyntax,
            "v0.0.0-0.20060102150405-hash": .pseudoVersionNegativePatch,
            "v0.1.0-0.20060102150405-hash": .pseudoVersionNegativePatch,
            "v1.0.0-0.20060102150405-hash": .pseudoVersionNegativePatch,
            "v0.0.0-20060102150405-hash+incompatible": .pseudoVersionBuildWithoutBase,
            "v0.0.0-20060102150405-hash+metadata": .pseudoVersionBuildWithoutBase,
        ]
        #expect(Set(rules.keys) == Set(XModTables.invalidPseudoVersionBase))
        for input in XModTables.invalidPseudoVersionBase {
            #expect(Self.code { try Module.pseudoVersionBase(ByteString(input)) } == rules[input], "\(input)")
        }
    }

    @Test func decimalHelpers() {
        for (input, want) in XModTables.incDecimal {
            #expect(Module.incrementDecimal(Array(input.utf8)) == Array(want.utf8))
        }
        for (input, want) in XModTables.decDecimal {
            #expect(Module.decrementDecimal(Array(input.utf8)) == want.map { Array($0.utf8) })
        }
    }

    /// x/mod module/pseudo.go: the lax check accepts what `IsPseudoVersion` accepts; `PseudoVersionTime` rejects month 13.
    @Test func laxnessAndTimeValidation() throws {
        #expect(Module.isPseudoVersion("v0.0.0-20191109021931-DAA7C04131F5"))
        #expect(Module.isPseudoVersion("v0.0.0-20191109021931-daa7c04131f"))
        #expect(Module.isPseudoVersion("v0.0.0-20191309021931-daa7c04131f5"))
        var caught: ModulePathError?
        do { _ = try Module.pseudoVersionTime("v0.0.0-20191309021931-daa7c04131f5") } catch { caught = error }
        #expect(caught?.code == .pseudoVersionMalformedTime)
        #expect(caught?.description
            == #"pseudo-version "v0.0.0-20191309021931-daa7c04131f5" invalid: malformed time "20191309021931""#)
        // 29 February exists only in leap years (proleptic Gregorian, like Go's time package).
        #expect(Self.code { try Module.pseudoVersionTime("v0.0.0-19000229000000-abcdefabcdef") } == .pseudoVersionMalformedTime)
        let leap = try Module.pseudoVersionTime("v0.0.0-20000229235959-abcdefabcdef")
        #expect(leap.timeIntervalSince1970 == 951_868_799)
        #expect(Module.zeroPseudoVersion(major: "v2") == "v2.0.0-00010101000000-000000000000")
        #expect(Module.isZeroPseudoVersion("v0.0.0-00010101000000-000000000000"))
        #expect(try Module.pseudoVersionTime("v0.0.0-00010101000000-000000000000").timeIntervalSince1970
            == -62_135_596_800)
    }

    /// The calendar helpers agree with each other over a wide range of days.
    @Test func civilRoundTrip() {
        var day: Int64 = -800_000
        while day < 3_000_000 {
            let (y, m, d) = Module.civilFromDays(day)
            #expect(Module.daysFromCivil(year: y, month: m, day: d) == day)
            day += 997
        }
    }

    /// The code of the `ModulePathError` `body` throws, or `nil` when it throws nothing (or
    /// another error).
    static func code(_ body: () throws -> some Any) -> ModulePathError.Code? {
        do { _ = try body() } catch { return (error as? ModulePathError)?.code }
        return nil
    }
}
