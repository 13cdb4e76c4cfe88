import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModNet
@testable import GoModFetch

/// GOPROXY list parsing (https://go.dev/ref/mod#goproxy-protocol, cmd/go `proxyList`): expected values from that text
/// and cmd/go's messages.
@Suite struct ModuleProxyConfigurationTests {
    @Test func separatorsAndTerminators() throws {
        let c = try ModuleProxyConfiguration.parse(goproxy: "https://a.example, ,b.example|file:///tmp/p,off,https://ignored")
        #expect(c.entries.map(\.description) == ["https://a.example", "https://b.example", "file:///tmp/p", "off"])
        #expect(c.entries.map(\.fallBackOnError) == [false, true, false, false])
        let d = try ModuleProxyConfiguration.parse(goproxy: "https://proxy.golang.org,direct,https://x")
        #expect(d.entries.map(\.description) == ["https://proxy.golang.org", "direct"])
    }

    @Test func noproxyEntryFirstUnlessDirectOnly() throws {
        let c = try ModuleProxyConfiguration.parse(goproxy: "https://p.example", noProxy: "corp.example")
        #expect(c.entries.first?.kind == .noproxy)
        let d = try ModuleProxyConfiguration.parse(goproxy: "direct", noProxy: "corp.example")
        #expect(d.entries.map(\.description) == ["direct"])
    }

    @Test(arguments: [",", " ", ", | ,"]) func emptyList(_ value: String) {
        #expect(throws: ModuleProxyError(.emptyProxyList, "")) { try ModuleProxyConfiguration.parse(goproxy: value) }
        do { _ = try ModuleProxyConfiguration.parse(goproxy: value) } catch let error as ModuleProxyError {
            #expect(error.description == "GOPROXY list is not the empty string, but contains no entries")
        }
    }

    @Test func invalidScheme() {
        do {
            _ = try ModuleProxyConfiguration.parse(goproxy: "ftp://x.example")
            Issue.record("accepted")
        } catch let error as ModuleProxyError {
            #expect(error.code == .invalidProxyURL)
            #expect(error.description == "invalid proxy URL scheme (must be https, http, file)")
        }
    }

    @Test func environmentDefaults() throws {
        let c = try ModuleProxyConfiguration.fromEnvironment(["GOPRIVATE": "*.corp"])
        #expect(c.entries.map(\.description) == ["noproxy", "https://proxy.golang.org", "direct"])
        #expect(c.noProxy == "*.corp")
        let d = try ModuleProxyConfiguration.fromEnvironment(["GOPRIVATE": "*.corp", "GONOPROXY": "none"])
        #expect(d.noProxy == "none")
    }

    @Test func errorDetailTruncatedAndEscaped() {
        let body = (0..<10_000).map { "line \($0) \u{1B}[31mred" }.joined(separator: "\n")
        let detail = proxyErrorDetail(Array(body.utf8))
        #expect(detail.hasSuffix("[Truncated: too many lines.]"))
        #expect(detail.split(separator: "\n").count == 9)
        #expect(!detail.contains("\u{1B}"))
        let long = proxyErrorDetail(Array(String(repeating: "x", count: 1 << 20).utf8))
        #expect(long == "[Truncated: too long.]")
    }

    /// Hostile paths and versions never reach a URL (x/mod's `EscapePath` / `EscapeVersion` reject them).
    @Test(arguments: [("example.com/x", "v1.0.0/../../x"), ("example.com/x", "v1.0.0!"), ("x.y/../z", "v1.0.0")])
    func hostileInputsRejectedBeforeRequest(path: String, version: String) async throws {
        let client = try LoopbackProxy.client("file:///nonexistent")
        do {
            _ = try await client.goMod(ModuleVersion(path: ByteString(path), version: ByteString(version)))
            Issue.record("accepted")
        } catch let error as ModuleProxyError {
            #expect(error.code == .invalidModule || error.code == .notCanonical, "\(error)")
        }
    }
}

/// Proxy faults against the loopback goproxyserver.
/// `.info` decoding against Go 1.27.3's `json.Unmarshal` into `modfetch.RevInfo` (run on these
/// documents): `null` Time and Origin are absent; a non-object Origin and a non-string Time fail.
@Suite struct ModuleInfoDecodingTests {
    @Test func nullTimeAndOriginAreAbsent() throws {
        let info = try #require(ModuleInfo(json: Array(#"{"Version":"v1.0.0","Time":null,"Origin":null}"#.utf8)))
        #expect(info.version == "v1.0.0")
        #expect(info.time == nil && info.origin == nil)
    }

    @Test(arguments: [#"{"Version":"v1.0.0","Origin":5}"#, #"{"Version":"v1.0.0","Time":5}"#, #"["v1.0.0"]"#, "<html>"])
    func wrongTypesFail(_ text: String) {
        #expect(ModuleInfo(json: Array(text.utf8)) == nil)
    }

    @Test func originKeptAsCompactSortedJSON() throws {
        let info = try #require(ModuleInfo(json: Array(#"{"Version":"v1.0.0","Origin":{"VCS":"git", "Hash":"abc"}}"#.utf8)))
        #expect(info.origin == Array(#"{"Hash":"abc","VCS":"git"}"#.utf8))
    }
}

@Suite(.serialized) struct ModuleProxyFaultTests {
    static let hello: (ByteString, ByteString) = ("example.com/hello", "v1.0.0")

    @Test func happyPathAllEndpoints() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let client = try LoopbackProxy.client(server.base())
        #expect(try await client.versions(path: "example.com/hello") == ["v1.0.0"])
        let info = try await client.info(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
        #expect(info.version == "v1.0.0")
        #expect(info.time == "2024-01-01T00:00:00Z")
        #expect(String(decoding: try #require(info.origin), as: UTF8.self).contains("\"Ref\":\"refs/tags/v1.0.0\""))
        #expect(try await client.goMod(ModuleVersion(path: Self.hello.0, version: Self.hello.1)) == Array("module example.com/hello\n\ngo 1.21\n".utf8))
        let zip = try await client.zip(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
        let recorded = try #require(server.sums.first { $0.hasPrefix("example.com/hello v1.0.0 ") })
        #expect(try DirHash.hashZip(ZipArchive(bytes: zip)).description == String(recorded.split(separator: " ")[2]))
        #expect(try await client.resolveLatest(path: "example.com/Upper").version == "v1.2.3")
        // The file:// layout the server wrote works as a proxy too.
        let file = try LoopbackProxy.client(server.proxyDirectory.absoluteString)
        #expect(try await file.zip(ModuleVersion(path: Self.hello.0, version: Self.hello.1)) == zip)
    }

    /// `,` falls through on 404/410 only; `|` on any error; the reported error prefers a
    /// non-404 proxy error over a 404 (cmd/go modfetch/proxy.go `TryProxies`).
    @Test func fallbackTable() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let ok = server.base()
        for first in ["f404", "f410"] {
            #expect(try await LoopbackProxy.client("\(server.base(first)),\(ok)").goMod(ModuleVersion(path: Self.hello.0, version: Self.hello.1)).count > 0)
            #expect(try await LoopbackProxy.client("\(server.base(first))|\(ok)").goMod(ModuleVersion(path: Self.hello.0, version: Self.hello.1)).count > 0)
        }
        // 500 after `,`: stop with the 500.
        do {
            _ = try await LoopbackProxy.client("\(server.base("f500")),\(ok)").goMod(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("500 fell through a comma")
        } catch let error as ModuleProxyError {
            #expect(error.code == .httpStatus)
            #expect(error.status == 500)
            #expect(error.description == "example.com/hello@v1.0.0: reading \(server.base("f500"))/example.com/hello/@v/v1.0.0.mod: 500 Internal Server Error\n\tserver response: internal error")
        }
        // 500 after `|`: fall through.
        #expect(try await LoopbackProxy.client("\(server.base("f500"))|\(ok)").goMod(ModuleVersion(path: Self.hello.0, version: Self.hello.1)).count > 0)
        // All not found: the last 404 is reported, as not-found.
        do {
            _ = try await LoopbackProxy.client("\(server.base("f410")),\(server.base("f404"))").info(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("found")
        } catch let error as ModuleProxyError {
            #expect(error.code == .notFound)
            #expect(error.description.hasSuffix("404 Not Found\n\tserver response: not found"))
        }
        // A 500 then (after |) a 404: the 500 is reported.
        do {
            _ = try await LoopbackProxy.client("\(server.base("f500"))|\(server.base("f404"))").info(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("found")
        } catch let error as ModuleProxyError {
            #expect(error.code == .httpStatus)
        }
        // 404 then off.
        do {
            _ = try await LoopbackProxy.client("\(server.base("f404")),off").info(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("found")
        } catch let error as ModuleProxyError {
            #expect(error.code == .proxyOff)
            #expect(error.description == "example.com/hello@v1.0.0: module lookup disabled by GOPROXY=off")
        }
        // direct is reported, never attempted.
        do {
            _ = try await LoopbackProxy.client("\(server.base("f404")),direct").info(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("found")
        } catch let error as ModuleProxyError {
            #expect(error.code == .directUnsupported)
        }
        // GOPRIVATE/GONOPROXY paths go direct: unsupported, the proxy is not asked.
        do {
            _ = try await LoopbackProxy.client(ok, noProxy: "example.com").info(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("found")
        } catch let error as ModuleProxyError {
            #expect(error.code == .directUnsupported)
        }
        #expect(try await LoopbackProxy.client(ok, noProxy: "other.example").info(ModuleVersion(path: Self.hello.0, version: Self.hello.1)).version == "v1.0.0")
    }

    /// `direct` with a ``DirectModuleSource`` follows cmd/go's `TryProxies` (proxy.go): reached
    /// after a 404/410 and `,`, after any error and `|`, never after a 500 and `,`; a GONOPROXY
    /// path goes to it without asking the proxy; its failure is reported with the module.
    @Test func directSourceFallback() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let ok = server.base()
        let module = ModuleVersion(path: Self.hello.0, version: Self.hello.1)
        func client(_ goproxy: String, noProxy: String = "", source: RecordingDirectSource) throws -> ModuleProxyClient {
            ModuleProxyClient(configuration: try ModuleProxyConfiguration.parse(goproxy: goproxy, noProxy: ByteString(noProxy)),
                              transport: DefaultHTTPTransport(timeout: 10), direct: source)
        }
        for list in ["\(server.base("f404")),direct", "\(server.base("f410")),direct", "\(server.base("f500"))|direct", "direct"] {
            let source = RecordingDirectSource()
            let info = try await client(list, source: source).info(module)
            #expect(info.time == RecordingDirectSource.time, "\(list)")
            #expect(try await client(list, source: source).goMod(module) == Array("module example.com/hello\n".utf8))
            #expect(await source.calls == ["info", "goMod"], "\(list)")
        }
        let stopped = RecordingDirectSource()
        do {
            _ = try await client("\(server.base("f500")),direct", source: stopped).info(module)
            Issue.record("a 500 fell through a comma to direct")
        } catch let error as ModuleProxyError {
            #expect(error.code == .httpStatus)
        }
        #expect(await stopped.calls.isEmpty)
        // GONOPROXY: the proxy (which has the module) is not asked.
        let privateSource = RecordingDirectSource()
        #expect(try await client(ok, noProxy: "example.com", source: privateSource).info(module).time == RecordingDirectSource.time)
        #expect(await privateSource.calls == ["info"])
        // A failing source: its error, with the module named.
        let failing = RecordingDirectSource(fail: true)
        do {
            _ = try await client("direct", source: failing).info(module)
            Issue.record("found")
        } catch let error as ModuleProxyError {
            #expect(error.code == .directFailed)
            #expect(error.description == "example.com/hello@v1.0.0: invalid version: unknown revision v1.0.0")
        }
        // Queries are not resolved from version control.
        do {
            _ = try await client("direct", source: RecordingDirectSource()).resolveLatest(path: Self.hello.0)
            Issue.record("latest resolved")
        } catch let error as ModuleProxyError {
            #expect(error.code == .directFailed)
        }
    }

    @Test func truncatedBody() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        do {
            _ = try await LoopbackProxy.client(server.base("truncate")).zip(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("truncated zip accepted")
        } catch let error as ModuleProxyError {
            #expect(error.code == .transport || error.code == .notAZip, "\(error)")
        }
        #expect(try await LoopbackProxy.client("\(server.base("truncate"))|\(server.base())").zip(ModuleVersion(path: Self.hello.0, version: Self.hello.1)).count > 0)
    }

    /// A redirect loop served by the loopback proxy (Go's `http.Redirect` to the same path),
    /// through the default transport: Go's client stops at the 10th redirect (`stopped after 10
    /// redirects`), and so must ours; with `|` the error is kept over `off`'s not-found.
    @Test func redirectLoop() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        let transport: any HTTPTransport = DefaultHTTPTransport(timeout: 10)
        do {
            _ = try await LoopbackProxy.client(server.base("redirect"), transport: transport).goMod(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("redirect loop accepted")
        } catch let error as ModuleProxyError {
            #expect(error.code == .transport)
            #expect((error.underlying as? HTTPTransportError)?.code == .tooManyRedirects, "\(error)")
            #expect(error.description.hasSuffix("stopped after 10 redirects"), "\(error.description)")
        }
        do {
            _ = try await LoopbackProxy.client("\(server.base("redirect"))|off", transport: transport).goMod(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("accepted")
        } catch let error as ModuleProxyError {
            #expect(error.code == .transport, "the redirect error outranks off's not-found")
        }
    }

    @Test func htmlInsteadOfZip() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        do {
            _ = try await LoopbackProxy.client(server.base("html")).zip(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("HTML accepted as a zip")
        } catch let error as ModuleProxyError {
            #expect(error.code == .notAZip)
            #expect(error.description.contains("<html><head><title>Sign in"))
        }
    }

    @Test func oversizeZip() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        do {
            _ = try await LoopbackProxy.client(server.base("oversize")).zip(ModuleVersion(path: Self.hello.0, version: Self.hello.1), limit: 1 << 20)
            Issue.record("endless body accepted")
        } catch let error as ModuleProxyError {
            #expect(error.code == .oversizeResponse)
            #expect(error.description == "example.com/hello@v1.0.0: downloaded zip file too large")
        }
    }

    @Test func infoChecks() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        do {
            _ = try await LoopbackProxy.client(server.base("wronginfo")).info(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("accepted")
        } catch let error as ModuleProxyError {
            #expect(error.code == .proxyVersionMismatch)
            #expect(error.description == "example.com/hello@v1.0.0: proxy returned info for version v9.9.9 instead of requested version")
        }
        do {
            _ = try await LoopbackProxy.client(server.base("badinfo")).info(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("accepted")
        } catch let error as ModuleProxyError {
            #expect(error.code == .invalidResponse)
            #expect(error.description.hasPrefix("example.com/hello@v1.0.0: invalid response from proxy \"\(server.base("badinfo"))\""))
        }
    }

    @Test func hugeErrorBodyTruncated() async throws {
        let server = try LoopbackProxy()
        defer { server.stop() }
        do {
            _ = try await LoopbackProxy.client(server.base("bigerror")).goMod(ModuleVersion(path: Self.hello.0, version: Self.hello.1))
            Issue.record("accepted")
        } catch let error as ModuleProxyError {
            #expect(error.code == .httpStatus)
            #expect(error.description.hasSuffix("[Truncated: too many lines.]"))
            #expect(!error.description.contains("\u{1B}"))
        }
    }
}


/// A ``DirectModuleSource`` that records what it was asked.
actor RecordingDirectSource: DirectModuleSource {
    static let time = "2001-02-03T04:05:06Z"
    private(set) var calls: [String] = []
    let fail: Bool

    init(fail: Bool = false) { self.fail = fail }

    func info(_ module: ModuleVersion) async throws(ModuleProxyError) -> ModuleInfo {
        calls.append("info")
        let version = String(decoding: module.version.bytes, as: UTF8.self)
        if fail { throw ModuleProxyError(.directFailed, "invalid version: unknown revision \(version)") }
        guard let info = ModuleInfo(json: Array("{\"Version\":\"\(version)\",\"Time\":\"\(Self.time)\"}".utf8)) else {
            throw ModuleProxyError(.invalidResponse, "test .info unreadable")
        }
        return info
    }

    func goMod(_ module: ModuleVersion) async throws(ModuleProxyError) -> [UInt8] {
        calls.append("goMod")
        return Array("module ".utf8) + module.path.bytes + [0x0A]
    }

    func zip(_ module: ModuleVersion, toFile path: String) async throws(ModuleProxyError) -> Int {
        calls.append("zip")
        throw ModuleProxyError(.directFailed, "no zip")
    }
}
