import Foundation
import Testing
@testable import GoModScan

/// One scan per shard state at a time (StateFiles.swift `StateLock`).
@Suite struct StateLockTests {
    func scratch() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-lock-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aSecondScannerOnAHeldStateIsRefusedAndTheStateOpensOnceReleased() throws {
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state) }
        do {
            let first = try Scanner(options: ScanOptions(stateDirectory: state), hooks: ScanHooks())
            let start = ContinuousClock.now
            #expect {
                _ = try Scanner(options: ScanOptions(stateDirectory: state), hooks: ScanHooks())
            } throws: { error in
                guard let error = error as? ScanError else { return false }
                return error.code == .io && error.message.hasSuffix("another scan holds this state (lock busy)")
            }
            // The busy lock was waited for (a holder that is going away gets its moment), not forever.
            #expect(ContinuousClock.now - start >= StateLock.busyWait)
            withExtendedLifetime(first) {}
        }
        // Released with its scanner: the state opens again.
        let second = try Scanner(options: ScanOptions(stateDirectory: state), hooks: ScanHooks())
        _ = second
    }

    /// The async opener: the same refusal after the same wait, without holding a thread.
    @Test func openRefusesAHeldStateAfterTheBusyWaitAndOpensOnceReleased() async throws {
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state) }
        do {
            let first = try await Scanner.open(options: ScanOptions(stateDirectory: state), hooks: ScanHooks())
            let start = ContinuousClock.now
            await #expect {
                _ = try await Scanner.open(options: ScanOptions(stateDirectory: state), hooks: ScanHooks())
            } throws: { error in
                guard let error = error as? ScanError else { return false }
                return error.code == .io && error.message.hasSuffix("another scan holds this state (lock busy)")
            }
            #expect(ContinuousClock.now - start >= StateLock.busyWait)
            withExtendedLifetime(first) {}
        }
        let second = try await Scanner.open(options: ScanOptions(stateDirectory: state), hooks: ScanHooks())
        _ = second
    }

    @Test func aLockHeldByAChildBeingSpawnedIsWaitedFor() throws {
        // The window the wait covers: another descriptor of the lock file holds the flock while
        // the first owner is gone; it is released within the wait.
        let state = scratch()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let path = state + "/" + ShardSpec.single.fileStem + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        try #require(fd >= 0)
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let releaser = Thread { usleep(300_000); close(fd) }
        releaser.start()
        let scanner = try Scanner(options: ScanOptions(stateDirectory: state), hooks: ScanHooks())
        _ = scanner
    }
}
