import Dispatch

/// A task executor on its own serial dispatch queue, outside Swift's cooperative pool.
///
/// Timing assertions (a deadline fired, a cancellation ended a request) must measure the code
/// under test, not how long the test process's 2-thread cooperative pool was held by other
/// suites. A task started with `Task(executorPreference: DedicatedExecutor.shared)` resumes
/// here, so timestamps taken inside it are exact even when the pool is saturated.
package final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    package static let shared = DedicatedExecutor()
    // Immutable after init; DispatchQueue is thread-safe.
    private let queue = DispatchQueue(label: "gomodkit.tests.dedicated-executor")

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
