import Foundation
import Synchronization
import Testing
@testable import GoModCore
import GoSumDB
import GoModNet
@testable import GoModScan
import GoModFetch
import GoModTestSupport

@Suite struct IndexTimestampTests {
    // Expected values from Go 1.27.3: time.Parse(time.RFC3339Nano, s) → Unix(), Nanosecond(),
    // and t.UTC().Add(time.Microsecond).Format("2006-01-02T15:04:05.000000Z07:00").
    static let valid: [(String, Int64, Int32, String)] = [
        ("2019-04-10T19:08:52.997264Z", 1_554_923_332, 997_264_000, "2019-04-10T19:08:52.997265Z"),
        ("2019-04-10T12:08:52.997264-07:00", 1_554_923_332, 997_264_000, "2019-04-10T19:08:52.997265Z"),
        ("2019-04-10T19:08:52Z", 1_554_923_332, 0, "2019-04-10T19:08:52.000001Z"),
        ("1970-01-01T00:00:00Z", 0, 0, "1970-01-01T00:00:00.000001Z"),
        ("2024-12-31T23:59:59.5Z", 1_735_689_599, 500_000_000, "2024-12-31T23:59:59.500001Z"),
        ("2019-04-10T19:08:52.1234567891Z", 1_554_923_332, 123_456_789, "2019-04-10T19:08:52.123457789Z"),
        ("2019-04-10T19:08:52+23:59", 1_554_836_992, 0, "2019-04-09T19:09:52.000001Z"),
        ("2019-04-10T19:08:52+24:00", 1_554_836_932, 0, "2019-04-09T19:08:52.000001Z"),
        ("2019-04-10T19:08:52,5Z", 1_554_923_332, 500_000_000, "2019-04-10T19:08:52.500001Z"),
        ("0000-01-01T00:00:00Z", -62_167_219_200, 0, "0000-01-01T00:00:00.000001Z"),
    ]

    @Test(arguments: valid)
    func parsesAsGo(_ vector: (String, Int64, Int32, String)) throws {
        let t = try #require(IndexTimestamp(vector.0))
        #expect(t.seconds == vector.1)
        #expect(t.nanoseconds == vector.2)
        #expect(t.text == vector.0)
        let next = t.adding(microseconds: 1)
        // Go's 6-digit layout truncates; ours keeps 9 digits when needed, so compare instants
        // when the fraction has sub-microsecond digits.
        if t.nanoseconds % 1000 == 0 { #expect(next.text == vector.3) }
        #expect(IndexTimestamp(next.text) == next)
        #expect(next > t)
    }

    // Go rejects every one of these.
    @Test(arguments: ["2019-02-29T00:00:00Z", "2019-04-10T19:08:52.Z", "2019-04-10 19:08:52Z", "2019-04-10T24:00:00Z",
                      "2019-04-10t19:08:52z", "2019-04-10T19:08:60Z", "", "2019-04-10T19:08:52", "2019-04-10T19:08:52+0700"])
    func rejectsAsGo(_ text: String) {
        #expect(IndexTimestamp(text) == nil)
    }

    @Test func comparesInstantsNotText() throws {
        let z = try #require(IndexTimestamp("2019-04-10T19:08:52.997264Z"))
        let offset = try #require(IndexTimestamp("2019-04-10T12:08:52.997264-07:00"))
        #expect(z == offset)
        #expect(Set([z, offset]).count == 1)
    }
}

/// Records sleeps instead of sleeping.
final class SleepLog: Sendable {
    let log = Mutex<[Duration]>([])
    var delays: [Duration] { log.withLock { $0 } }
    func policy(maxAttempts: Int = 8) -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, baseDelay: .seconds(1), maxDelay: .seconds(60),
                    sleep: { d in self.log.withLock { $0.append(d) } }, jitter: { 1.0 })
    }
}

@Suite struct IndexFeedClientTests {
    /// 4,500 entries; runs of equal Timestamps straddle the page edges at 2,000 and 4,000, and
    /// every 7th entry is written with a -07:00 offset (the same instant).
    static func fixture(count: Int = 4500, runs: [ClosedRange<Int>] = [1990...2010, 3995...4005]) -> IndexFeedFixture {
        var entries: [(String, String, String)] = []
        var micros: Int64 = 0
        let base: Int64 = 1_554_923_332 // 2019-04-10T19:08:52Z
        for i in 0..<count {
            if !runs.contains(where: { $0.contains(i) && $0.lowerBound != i }) { micros += 1013 }
            let seconds = base + micros / 1_000_000
            let frac = micros % 1_000_000
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            var calendar = Calendar(identifier: .gregorian)
            let offset = i % 7 == 3 ? -7 * 3600 : 0
            calendar.timeZone = TimeZone(secondsFromGMT: offset)!
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let zone = offset == 0 ? "Z" : "-07:00"
            let text = String(format: "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%06ld", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, Int(frac)) + zone
            entries.append(("example.com/m\(i % 97)", "v1.0.\(i)", text))
        }
        return IndexFeedFixture(entries: entries)
    }

    func scratch() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-scan-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func mirrorsEveryEntryOnceAcrossEqualTimestampsAtPageEdges() async throws {
        let feed = Self.fixture()
        let server = try LoopbackHTTPServer.indexFeed { feed }
        defer { server.stop() }
        let client = IndexFeedClient(url: server.url.appendingPathComponent("index"), transport: DefaultHTTPTransport(timeout: 10))
        let dir = scratch()
        let mirror = IndexMirror(directory: dir + "/index")
        let summary = try await mirror.sync(client: client)
        #expect(summary.caughtUp)
        #expect(summary.appended == 4500)
        #expect(summary.gaps.isEmpty)
        let written = try String(contentsOfFile: mirror.feedPath, encoding: .utf8)
        #expect(written == feed.allLines)
        let cp = try #require(try mirror.checkpoint())
        #expect(cp.entries == 4500)
        #expect(cp.since == feed.entries.last?.timestamp)
        // The first request has no since; the others carry the last Timestamp received.
        #expect(server.paths.first == "/index?limit=2000")
        #expect(server.paths.dropFirst().allSatisfy { $0.contains("since=") })
        // A second sync asks once and appends nothing (the boundary entries are dropped).
        let again = try await mirror.sync(client: client)
        #expect(again.appended == 0 && again.pages == 1 && again.duplicates == 1)
        #expect(try String(contentsOfFile: mirror.feedPath, encoding: .utf8) == feed.allLines)
    }

    /// Two shards syncing one state directory at once: each entry is in the mirror once
    /// (without the turn-taking both would append the same pages).
    @Test func concurrentSyncsOfOneMirrorTakeTurns() async throws {
        let feed = Self.fixture()
        let server = try LoopbackHTTPServer.indexFeed { feed }
        defer { server.stop() }
        let client = IndexFeedClient(url: server.url.appendingPathComponent("index"), transport: DefaultHTTPTransport(timeout: 10))
        let dir = scratch() + "/index"
        async let a = IndexMirror(directory: dir).sync(client: client)
        async let b = IndexMirror(directory: dir).sync(client: client)
        let (first, second) = try await (a, b)
        #expect(first.appended + second.appended == 4500)
        #expect(try String(contentsOfFile: IndexMirror(directory: dir).feedPath, encoding: .utf8) == feed.allLines)
    }

    /// A sync waiting for another process's lock holds no thread and ends when cancelled,
    /// before asking the feed anything.
    @Test func syncWaitingForTheLockEndsWhenCancelled() async throws {
        let feed = Self.fixture(count: 10, runs: [])
        let server = try LoopbackHTTPServer.indexFeed { feed }
        defer { server.stop() }
        let client = IndexFeedClient(url: server.url.appendingPathComponent("index"), transport: DefaultHTTPTransport(timeout: 10))
        let dir = scratch() + "/index"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let fd = open(dir + "/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        // Another open file description, as another process's would be.
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let task = Task { try await IndexMirror(directory: dir).sync(client: client) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.result
        #expect(throws: ScanError(.incomplete, "")) { try result.get() }
        #expect(server.paths.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/feed.jsonl"))
        // Released, the lock is taken by the next sync, which mirrors everything.
        #expect(flock(fd, LOCK_UN) == 0)
        let summary = try await IndexMirror(directory: dir).sync(client: client)
        #expect(summary.appended == 10)
    }

    @Test func resumesToTheSameFileAfterACrashBetweenAppendAndCheckpoint() async throws {
        let feed = Self.fixture()
        let server = try LoopbackHTTPServer.indexFeed { feed }
        defer { server.stop() }
        let client = IndexFeedClient(url: server.url.appendingPathComponent("index"), transport: DefaultHTTPTransport(timeout: 10))
        let mirror = IndexMirror(directory: scratch() + "/index")
        let first = try await mirror.sync(client: client, maxPages: 1)
        #expect(!first.caughtUp && first.appended == 2000)
        // A crash after the next page was appended (torn, too) but before its checkpoint.
        let handle = try #require(FileHandle(forWritingAtPath: mirror.feedPath))
        handle.seekToEndOfFile()
        handle.write(Data((feed.line(2000) + feed.line(2001) + "{\"Path\":\"torn").utf8))
        handle.closeFile()
        _ = try await mirror.sync(client: client, maxPages: 1)
        _ = try await mirror.sync(client: client)
        #expect(try String(contentsOfFile: mirror.feedPath, encoding: .utf8) == feed.allLines)
    }

    @Test func recordsAGapForAFullPageAtOneTimestamp() async throws {
        // 2,000 entries at one instant, then 10 more: the feed cannot be paged past the run.
        let feed = Self.fixture(count: 2010, runs: [0...1999])
        let server = try LoopbackHTTPServer.indexFeed { feed }
        defer { server.stop() }
        let client = IndexFeedClient(url: server.url.appendingPathComponent("index"), transport: DefaultHTTPTransport(timeout: 10))
        let mirror = IndexMirror(directory: scratch() + "/index")
        let summary = try await mirror.sync(client: client)
        #expect(summary.gaps.count == 1)
        #expect(summary.gaps.first?.at == feed.entries[1999].timestamp)
        let at = try #require(IndexTimestamp(feed.entries[0].timestamp))
        #expect(summary.gaps.first?.resumedAt == at.adding(microseconds: 1).text)
        #expect(try String(contentsOfFile: mirror.feedPath, encoding: .utf8) == feed.allLines)
        #expect(try mirror.checkpoint()?.gaps == summary.gaps)
    }

    @Test func retriesServerErrorsAndHonoursRetryAfter() async throws {
        let feed = Self.fixture(count: 5, runs: [])
        let calls = Mutex(0)
        let server = try LoopbackHTTPServer { target, connection in
            let n = calls.withLock { $0 += 1; return $0 }
            switch n {
            case 1: connection.respond(503, [])
            case 2: connection.respond(502, [])
            case 3: connection.respond(429, [], headers: ["Retry-After: 7"])
            default:
                let (status, body) = feed.answer(target)
                connection.respond(status, body)
            }
            return .keepAlive
        }
        defer { server.stop() }
        let sleeps = SleepLog()
        let client = IndexFeedClient(url: server.url.appendingPathComponent("index"), transport: DefaultHTTPTransport(timeout: 10), retry: sleeps.policy())
        let page = try await client.page(since: nil)
        #expect(page.count == 5)
        #expect(sleeps.delays == [.seconds(1), .seconds(2), .seconds(7)])
        #expect(server.paths.count == 4)
    }

    @Test func givesUpAfterTheLastAttemptAsRetryable() async throws {
        let server = try LoopbackHTTPServer { _, connection in connection.respond(500, []); return .keepAlive }
        defer { server.stop() }
        let sleeps = SleepLog()
        let client = IndexFeedClient(url: server.url.appendingPathComponent("index"), transport: DefaultHTTPTransport(timeout: 10), retry: sleeps.policy(maxAttempts: 4))
        let error = await #expect(throws: ModuleIndexError.self) { try await client.page(since: nil) }
        #expect(error?.code == .network)
        #expect(server.paths.count == 4)
        #expect(sleeps.delays == [.seconds(1), .seconds(2), .seconds(4)])
        // Through the mirror, the scan's exit class: retryable (3).
        let scanError = await #expect(throws: ScanError.self) { try await IndexMirror(directory: scratch() + "/index").sync(client: client) }
        #expect(scanError?.code == .network)
        #expect(scanError?.exitCode == 3)
    }

    @Test func refusesAnAnswerThatIsNotAFeed() async throws {
        let server = try LoopbackHTTPServer { _, connection in connection.respond(200, Array("<html>hello</html>\n".utf8)); return .keepAlive }
        defer { server.stop() }
        let client = IndexFeedClient(url: server.url.appendingPathComponent("index"), transport: DefaultHTTPTransport(timeout: 10))
        let error = await #expect(throws: ModuleIndexError.self) { try await client.page(since: nil) }
        #expect(error?.code == .network)
        #expect(error?.message.contains("line 1: not an index entry") == true)
    }

    @Test func retryAfterAsAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 784_111_770) // Sun, 06 Nov 1994 08:49:30 GMT
        #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .seconds(7))
        #expect(RetryPolicy.retryAfter("120", now: now) == .seconds(120))
        #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
    }

    @Test func aCorruptCheckpointIsAUsageClassError() throws {
        let dir = scratch() + "/index"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: dir + "/checkpoint.json"))
        let error = #expect(throws: ScanError.self) { try IndexMirror(directory: dir).checkpoint() }
        #expect(error?.code == .corruptState)
        #expect(error?.exitCode == 2)
    }

    @Test func parsesAPlainList() throws {
        let list = try IndexEntry.parseList(Array("# comment\ngithub.com/a/b@v1.0.0\n\n golang.org/x/mod v0.7.0 \n".utf8), name: "list")
        #expect(list.map { "\($0.path.utf8String ?? "")@\($0.version.utf8String ?? "")" } == ["github.com/a/b@v1.0.0", "golang.org/x/mod@v0.7.0"])
        let error = #expect(throws: ScanError.self) { try IndexEntry.parseList(Array("github.com/a/b@latest\n".utf8), name: "list") }
        #expect(error?.message.hasPrefix("list:1:") == true)
    }
}
