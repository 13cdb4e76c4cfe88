import GoModCore
import GoModScan
import GoModTestSupport
import Testing

/// ``ScanError``'s codes and exit classes (Docs/scan.md: 2 for usage and local input, 3 for
/// what a later run can retry).
@Suite struct ScanErrorTests {
    @Test func codes() {
        checkErrorCodes(
            [ScanError.Code.usage, .badInput, .corruptState, .network, .io, .incomplete, .unitLimit],
            names: ["usage", "badInput", "corruptState", "network", "io", "incomplete", "unitLimit"])
    }

    @Test func exitCodes() {
        let exits: [(ScanError.Code, Int32)] = [
            (.usage, 2), (.badInput, 2), (.corruptState, 2), (.network, 3), (.io, 3), (.incomplete, 3), (.unitLimit, 3),
        ]
        #expect(exits.map(\.0) == ScanError.Code.allCases)
        for (code, exit) in exits {
            #expect(ScanError(code, "m").exitCode == exit, "\(code)")
        }
        #expect(ScanError(.io, "a") == ScanError(.io, "b") && ScanError(.io, "a") != ScanError(.network, "a"))
        #expect(ScanError(.io, "disk full").description == "disk full")
    }
}
