import Dispatch
import Synchronization

/// Blocking work (a subprocess waited for with `waitpid`, a `flock`, a long local walk) run on a
/// concurrent Dispatch queue instead of Swift's cooperative thread pool, which has one thread
/// per core: a task that blocks there takes a core away from every other task of the process
/// (the scan's other units, the HTTP transports' watchdogs). The queue may use more threads than
/// there are cores, so many waits can be outstanding at once.
///
/// The package helper for this: the rebuilder's git commands (`GitCommand.runOffPool`,
/// `UpstreamRebuilder`) go through it.
package enum OffPool {
    private static let queue = DispatchQueue(label: "gomodkit.off-pool", attributes: .concurrent)

    /// Runs `body` on the off-pool queue and returns its result to the awaiting task.
    package static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    /// Runs `body` off the pool with a flag that is raised when the awaiting task is cancelled
    /// (before or during the run), for a blocking loop that polls it (``CancelFlag/isRaised``).
    package static func run<T: Sendable>(cancellable body: @escaping @Sendable (CancelFlag) -> T) async -> T {
        let flag = CancelFlag()
        return await withTaskCancellationHandler {
            await run { body(flag) }
        } onCancel: {
            flag.raise()
        }
    }
}

/// A flag raised once, read from any thread (``OffPool/run(cancellable:)``).
package final class CancelFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    /// A lowered flag.
    package init() {}
    /// Raises the flag.
    package func raise() { raised.store(true, ordering: .releasing) }
    /// Whether the flag was raised.
    package var isRaised: Bool { raised.load(ordering: .acquiring) }
}
