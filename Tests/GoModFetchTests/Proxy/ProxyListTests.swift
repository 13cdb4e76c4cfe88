import Foundation
import Testing
import GoModCore
import GoSumDB
import GoModFetch
import GoModTestSupport

/// A hostile `@v/list` (garbage lines, pseudo-versions, megabytes of lines).
/// cmd/go's `proxyRepo.Versions` (cmd/go/internal/modfetch/proxy.go) keeps the first field of a
/// line when `semver.IsValid` accepts it and `module.IsPseudoVersion` does not; everything else
/// is ignored. GoModKit reads at most ``ModuleProxyClient/maxListResponse`` bytes (Go has no cap).
/// The bodies are served from a `file://` proxy, so the cap checked is GoModFetch's own read.
@Suite struct ProxyListTests {
    /// A `file://` proxy holding `body` as example.com/m's list; removed by the caller.
    static func proxy(list body: [UInt8]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-list-\(UUID().uuidString)")
        let dir = root.appendingPathComponent("example.com/m/@v")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(body).write(to: dir.appendingPathComponent("list"))
        return root
    }

    static func versions(_ body: [UInt8]) async throws(ModuleProxyError) -> [ByteString] {
        let root: URL
        do { root = try proxy(list: body) } catch { throw ModuleProxyError(.transport, "\(error)") }
        defer { try? FileManager.default.removeItem(at: root) }
        let client = ModuleProxyClient(configuration: try ModuleProxyConfiguration.parse(goproxy: root.absoluteString))
        return try await client.versions(path: "example.com/m")
    }

    @Test func garbageAndPseudoVersionsIgnored() async throws {
        let body = [
            "v1.0.0",
            "v1.1.0 2023-01-02T03:04:05Z",             // a timestamp field after the version
            "\tv1.2.0\r",                               // surrounding white space
            "v1.3.0-0.20230102030405-abcdefabcdef",    // pseudo-version: ignored
            "v0.0.0-20230102030405-abcdefabcdef",      // pseudo-version: ignored
            "v2.0.0+incompatible",
            "v1.4",                                     // semver.IsValid accepts the short form
            "1.5.0", "v1.5.0.0", "v01.5.0", "latest", "<html><body>", "\u{1B}[31mv1.6.0", "",
            "v1.7.0-rc.1",
            "v1.0.0",                                   // repeated
        ].joined(separator: "\n")
        let got = try await Self.versions(Array(body.utf8))
        #expect(got == ["v1.0.0", "v1.1.0", "v1.2.0", "v2.0.0+incompatible", "v1.4", "v1.7.0-rc.1"])
    }

    @Test func binaryGarbageYieldsNothing() async throws {
        var rng = SplitMix64(seed: 147)
        let body = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }.map { $0 == 0x76 ? 0x00 : $0 } // no "v"
        #expect(try await Self.versions(body).isEmpty)
    }

    /// 10 MB of lines: every valid version is returned, in order, and the read stays linear.
    @Test func tenMegabytesOfLines() async throws {
        var lines: [UInt8] = []
        var expected: [ByteString] = []
        var n = 0
        while lines.count < 10_000_000 {
            let v = "v1.\(n / 1000).\(n % 1000)"
            lines += Array("\(v)\nv1.0.0-0.20230102030405-\(String(format: "%012x", n))\n\u{7F}junk \(n)\n".utf8)
            expected.append(ByteString(v))
            n += 1
        }
        let start = ContinuousClock.now
        let got = try await Self.versions(lines)
        #expect(got == expected)
        #expect(ContinuousClock.now - start < .seconds(30), "reading \(lines.count) bytes of list took too long")
    }

    /// One byte over the 16 MiB cap: ``ModuleProxyError/Code/oversizeResponse``, not a 17 MB array.
    @Test func overCapRefused() async throws {
        let body = [UInt8](repeating: 0x0A, count: ModuleProxyClient.maxListResponse + 1)
        do {
            let got = try await Self.versions(body)
            Issue.record("accepted \(got.count) versions from an oversize list")
        } catch {
            #expect(error.code == .oversizeResponse, "\(error)")
        }
        // Exactly at the cap is read.
        let atCap = Array("v1.0.0\n".utf8) + [UInt8](repeating: 0x0A, count: ModuleProxyClient.maxListResponse - 7)
        #expect(try await Self.versions(atCap) == ["v1.0.0"])
    }
}
