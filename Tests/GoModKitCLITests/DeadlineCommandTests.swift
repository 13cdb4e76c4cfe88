import Dispatch
import Foundation
import GoModKit
import GoModTestSupport
import GoSumDBTestSupport
import Testing

/// `--deadline` bounds `gomodkit download` even while a request is in flight (issue 13, point
/// 4): a loopback proxy, or checksum database, that accepts the connection and never answers
/// holds the command no longer than a small bound past the deadline, though `--timeout` (120 s)
/// would let the request wait far longer; the module is reported not verified (exit 3).
@Suite(.serialized) struct DeadlineCommandTests {
    /// The bound past the deadline (process start and exit included, on a shared machine).
    static let grace: Duration = .seconds(4)
    static let deadline: Duration = .seconds(2)

    /// A server that reads each request and never answers until `release()`.
    final class Silent: Sendable {
        let http: LoopbackHTTPServer
        private let gate = DispatchSemaphore(value: 0)
        init() throws {
            let gate = self.gate
            http = try LoopbackHTTPServer { _, _ in
                _ = gate.wait(timeout: .now() + 300)
                return .close
            }
        }
        func release() {
            for _ in 0..<64 { gate.signal() }
            http.stop()
        }
    }

    static func expectCutShort(_ result: CLITests.Result, _ elapsed: Duration, module: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 3, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(elapsed < deadline + grace, "took \(elapsed)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("go: \(module): not verified: deadline exceeded"), "\(result.stderr)",
                sourceLocation: sourceLocation)
    }

    @Test func proxyThatNeverAnswers() throws {
        let silent = try Silent()
        defer { silent.release() }
        let honest = try Quickstart.server()
        defer { honest.stop() }
        let module = "\(Quickstart.path)@\(Quickstart.version)"
        let scratch = try Scratch("dl-deadline")
        let env = ExitStatusTests.environment(scratch.url, goproxy: silent.http.url.absoluteString + "/proxy",
                                              gosumdb: honest.gosumdb)
        let start = ContinuousClock.now
        let result = try ExitStatusTests.run(["download", "--timeout", "120", "--deadline", "2s", module], env)
        Self.expectCutShort(result, ContinuousClock.now - start, module: module)
        #expect(!silent.http.paths.isEmpty, "the proxy was never asked")
    }

    @Test func checksumDatabaseThatNeverAnswers() throws {
        let silent = try Silent()
        defer { silent.release() }
        let honest = try Quickstart.server()
        defer { honest.stop() }
        let module = "\(Quickstart.path)@\(Quickstart.version)"
        let scratch = try Scratch("dl-deadline")
        let env = ExitStatusTests.environment(scratch.url, goproxy: honest.goproxy,
                                              gosumdb: "\(FakeSumDBServer.verifierKey) \(silent.http.url.absoluteString)/sumdb")
        let start = ContinuousClock.now
        let result = try ExitStatusTests.run(["download", "--timeout", "120", "--deadline", "2s", module], env)
        Self.expectCutShort(result, ContinuousClock.now - start, module: module)
        #expect(silent.http.paths.contains { $0.hasPrefix("/sumdb/") }, "\(silent.http.paths)")
        // Nothing unverified was published in the cache.
        let cache = ModuleCache(root: scratch.url.appendingPathComponent("modcache").path)
        for ext in ["mod", "zip", "ziphash"] {
            #expect(!FileManager.default.fileExists(atPath: try cache.cachePath(
                ModuleVersion(path: "example.com/hello", version: "v1.0.0"), ext)), "\(ext)")
        }
    }
}
