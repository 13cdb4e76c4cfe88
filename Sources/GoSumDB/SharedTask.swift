/// The value of `task`, an unstructured task several callers share (one lookup, tile or base URL
/// fetched once for all who ask), or, as soon as the calling task is cancelled, a
/// `ChecksumDatabaseError.Code.transport` error saying so.
///
/// `await task.value` alone does not end when the waiter is cancelled: cancellation does not
/// reach an unstructured task, so a command's `--deadline` would wait for the shared request's
/// own timeout. The shared task itself goes on for its other waiters (and ends at the
/// transport's timeout); it is not cancelled here.
func sharedValue<T: Sendable>(_ task: Task<T, any Error>) async throws -> T {
    let (answers, continuation) = AsyncStream.makeStream(of: Result<T, any Error>.self)
    // The relay waits on `task` alone: once nobody listens, its answer goes nowhere.
    Task {
        continuation.yield(await task.result)
        continuation.finish()
    }
    let answer = await withTaskCancellationHandler {
        var iterator = answers.makeAsyncIterator()
        return await iterator.next()
    } onCancel: {
        continuation.finish()
    }
    guard let answer else {
        throw ChecksumDatabaseError(.transport, "cancelled while waiting for a shared request")
    }
    return try answer.get()
}
