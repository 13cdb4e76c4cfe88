import Foundation
import GoModTestSupport
@testable import GoModCore
@testable import GoSumDB
@testable import GoModNet
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, point 8: 1,000 SIGKILLs of `gomodkit sumdb latest` at random moments against a
/// growing loopback database (x/mod's sumdb server, variant `grow`: each /latest shows one more
/// record) never leave a stored `latest` that fails to verify: after each kill it is the
/// previous note or a newer one signed by the database's key, never empty or torn.
@Suite(.serialized) struct LatestKillTests {
    // 8 × 125 = 1,000 kills; the workers run at once (each in its own GOPATH) to keep the run
    // time under two minutes on a loaded two-core machine.
    static let workers = 8
    static let killsPerWorker = 125

    static func gomodkit() throws -> String {
        for p in [".build/debug/gomodkit", ".build/x86_64-unknown-linux-gnu/debug/gomodkit",
                  ".build/aarch64-unknown-linux-gnu/debug/gomodkit"] {
            let path = GoReference.repoRoot.appendingPathComponent(p).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        try GoReference.unavailable("build gomodkit first (swift build)")
    }

    /// Starts `binary` with `arguments` and `environment` (output to /dev/null); its pid.
    static func spawn(_ binary: String, _ arguments: [String], _ environment: [String]) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
        }
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, binary, &actions, nil, argv, envp) == 0 else { return nil }
        return pid
    }

    /// Waits for `pid`; whether it exited normally with status 0.
    @discardableResult
    static func wait(_ pid: pid_t) -> (exited: Bool, status: Int32) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        return (exited, exited ? (status >> 8) & 0xff : status & 0x7f)
    }

    /// The tree size of a stored note if it verifies with `verifier`, else a description.
    static func verifiedSize(_ data: [UInt8], _ verifier: NoteVerifier) -> Verified {
        if data.isEmpty { return .failure("empty") }
        do {
            let note = try Note.open(data, verifiers: [verifier])
            return .success(try TLog.Tree(noteText: note.text).size)
        } catch {
            return .failure("does not verify: \(error)")
        }
    }

    enum Verified { case success(Int64), failure(String) }

    struct WorkerReport: Sendable {
        var problems: [String] = []
        var killed = 0
        var advanced = 0
        var finalSize: Int64 = 0
        var gopath = ""
    }

    @Test func killsNeverLeaveAnUnverifiableLatest() async throws {
        let binary = try Self.gomodkit()
        let server = try LoopbackServer(records: Array(LoopbackSumDBTests.records.prefix(3)), variant: "grow")
        defer { server.stop() }
        let verifier = try NoteVerifier(verifierKey: server.verifierKey)
        let root = try LoopbackSumDBTests.scratch()
        defer { try? FileManager.default.removeItem(at: root) }

        var base = ProcessInfo.processInfo.environment
        base["GOENV"] = "off"
        base["GOPROXY"] = "off"
        base["GOFLAGS"] = ""
        base["GONOSUMDB"] = ""
        base["GOPRIVATE"] = ""
        let gosumdb = "\(server.verifierKey) \(server.url.absoluteString)"
        let environment = base.map { "\($0.key)=\($0.value)" }

        let reports = await withCheckedContinuation { (done: CheckedContinuation<[WorkerReport], Never>) in
            DispatchQueue.global().async {
                let results = Mutex<[Int: WorkerReport]>([:])
                DispatchQueue.concurrentPerform(iterations: Self.workers) { worker in
                    let report = Self.runWorker(worker, binary: binary, root: root, gosumdb: gosumdb,
                                                environment: environment, verifier: verifier)
                    results.withLock { $0[worker] = report }
                }
                done.resume(returning: results.withLock { dict in (0..<Self.workers).compactMap { dict[$0] } })
            }
        }
        #expect(reports.count == Self.workers)
        for (worker, report) in reports.enumerated() {
            #expect(report.problems.isEmpty, "worker \(worker): \(report.problems.prefix(5))")
            // The kills landed both before and after the write, so both outcomes were checked.
            #expect(report.killed > 0, "worker \(worker): no run was killed before it finished")
            #expect(report.finalSize > 3, "worker \(worker): latest never advanced")
            // What the last kill left is what the library loads and verifies, offline.
            let config = ChecksumDatabaseConfiguration(verifier: verifier, offline: true)
            let offline = ChecksumDatabase(configuration: config,
                                           store: FileChecksumDatabaseStore(gopath: URL(fileURLWithPath: report.gopath)),
                                           transport: nil)
            #expect(try await offline.latest().tree.size == report.finalSize)
            // Temporaries of killed writers do not pile up: each write removes the earlier ones.
            let dir = report.gopath + "/pkg/sumdb/localhost.localdev/sumdb"
            let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            #expect(names.filter { $0.hasSuffix(".tmp") }.count <= 1, "\(names.sorted())")
        }
        print("LatestKillTests: \(reports.map(\.killed).reduce(0, +)) of \(Self.workers * Self.killsPerWorker) runs killed "
              + "before exiting; \(reports.map(\.advanced).reduce(0, +)) stored a newer latest; final sizes \(reports.map(\.finalSize))")
        // Both outcomes were checked: runs killed before their write, and runs that stored a
        // newer tree (completed, or killed after the rename).
        #expect(reports.map(\.advanced).reduce(0, +) > 0, "no trial stored a newer latest")
    }

    /// One worker: its own GOPATH; a first complete run (to time one), then `killsPerWorker`
    /// runs each sent SIGKILL after a random delay up to 1.2 × that time.
    static func runWorker(_ worker: Int, binary: String, root: URL, gosumdb: String,
                          environment: [String], verifier: NoteVerifier) -> WorkerReport {
        var report = WorkerReport()
        let gopath = root.appendingPathComponent("w\(worker)").path
        report.gopath = gopath
        let latestPath = gopath + "/pkg/sumdb/localhost.localdev/sumdb/latest"
        let arguments = ["sumdb", "latest", "--gopath", gopath, "--gosumdb", gosumdb, "--timeout", "20"]
        let start = DispatchTime.now().uptimeNanoseconds
        guard let first = spawn(binary, arguments, environment), wait(first) == (true, 0) else {
            report.problems.append("the first, unkilled run failed")
            return report
        }
        let full = max(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, 0.02)
        var previous = (try? readFile(latestPath, limit: 1 << 16).get()) ?? []
        guard case .success(var previousSize) = verifiedSize(previous, verifier) else {
            report.problems.append("the first run stored no verifiable latest")
            return report
        }
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<killsPerWorker {
            let delay = Double.random(in: 0...(full * 1.2), using: &generator)
            guard let pid = spawn(binary, arguments, environment) else {
                report.problems.append("trial \(trial): spawn failed")
                continue
            }
            usleep(useconds_t(delay * 1e6))
            kill(pid, SIGKILL)
            let (exited, status) = wait(pid)
            let wasKilled = !exited && status == SIGKILL
            if wasKilled { report.killed += 1 }
            guard case .success(let now) = readFile(latestPath, limit: 1 << 16) else {
                report.problems.append("trial \(trial) (delay \(delay)s): latest is missing")
                continue
            }
            if now == previous { continue }
            switch verifiedSize(now, verifier) {
            case .success(let size) where size > previousSize:
                report.advanced += 1
                previous = now
                previousSize = size
            case .success(let size):
                report.problems.append("trial \(trial): latest went from \(previousSize) to \(size)")
            case .failure(let why):
                report.problems.append("trial \(trial) (delay \(delay)s): latest \(why)")
            }
        }
        report.finalSize = previousSize
        return report
    }
}
