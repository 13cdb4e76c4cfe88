public import GoModCore
public import GoSumDB
public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Dispatch
import Synchronization
/// ``HTTPTransport`` over `URLSession`: a timeout, a body cap enforced while streaming, at most
/// 10 redirects and never from https to http (as Go's `cmd/go/internal/web` does).
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let delegate: Delegate
    /// The whole-request deadline in seconds (a stalled or slow request is answered with
    /// ``HTTPTransportError/Code/timeout`` when it passes).
    public let timeout: TimeInterval

    /// A transport with the given timeout and the most connections to one host (URLSession's
    /// default of 6 would serialise concurrent lookups).
    public init(timeout: TimeInterval = 30, maxConnectionsPerHost: Int = 64) {
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        // URLSession's own timers only reap tasks the whole-request deadline has already answered
        // (`RequestState.abandon`): FoundationNetworking traps when one of them fires while a
        // redirect decision is pending, so they are kept well past the deadline.
        configuration.timeoutIntervalForRequest = Self.reapingTimeout(timeout)
        configuration.timeoutIntervalForResource = Self.reapingTimeout(timeout)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpMaximumConnectionsPerHost = max(1, maxConnectionsPerHost)
        let delegate = Delegate()
        self.delegate = delegate
        self.session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    static func reapingTimeout(_ timeout: TimeInterval) -> TimeInterval { max(0, min(timeout, 1e6)) * 2 + 60 }

    // Not `invalidateAndCancel()`: cancelling a task whose redirect decision is pending traps in
    // FoundationNetworking (see `RequestState.abandon`). Running tasks end by their own timeouts.
    deinit { session.finishTasksAndInvalidate() }

    /// GETs `url` with the body cap, following redirects by Go's rules.
    public func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
        try await get(url, limit: limit, redirects: .go)
    }

    /// GETs `url` with the body cap, following redirects as `redirects` allows.
    public func get(_ url: URL, limit: Int, redirects: HTTPRedirectPolicy) async throws -> HTTPResponse {
        try await get(url, limit: limit, policy: redirects, original: url, priorRedirects: 0)
    }

    /// The rest of a redirect chain that started at `original` elsewhere (``SocketHTTPTransport``
    /// hands over a redirect to https), `priorRedirects` responses into it.
    func get(_ url: URL, limit: Int, policy: HTTPRedirectPolicy, original: URL, priorRedirects: Int) async throws -> HTTPResponse {
        var request = URLRequest(url: url, timeoutInterval: Self.reapingTimeout(timeout))
        request.httpMethod = "GET"
        let task = session.dataTask(with: request)
        let state = RequestState(url: original, limit: limit, policy: policy, priorRedirects: priorRedirects)
        let shown = redact(url)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                state.continuation.withLock { $0 = continuation }
                if Task.isCancelled {   // cancelled before the continuation existed; never started
                    state.abandon(HTTPTransportError(.failed, url: shown, detail: "cancelled"))
                    return
                }
                delegate.states.withLock { $0[task.taskIdentifier] = state }
                task.resume()
                // A whole-request deadline: URLSession's own timeouts are idle timeouts, which a
                // server sending one byte a second never trips.
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak state] in
                    state?.abandon(HTTPTransportError(.timeout, url: shown))
                }
            }
        } onCancel: {
            state.abandon(HTTPTransportError(.failed, url: shown, detail: "cancelled"))
        }
    }

    final class RequestState: Sendable {
        let url: URL
        let limit: Int
        let continuation = Mutex<CheckedContinuation<HTTPResponse, any Error>?>(nil)
        let body = Mutex<[UInt8]>([])
        let status = Mutex<Int>(0)
        let expected = Mutex<Int64>(-1)
        let failure = Mutex<HTTPTransportError?>(nil)
        let redirects: Mutex<Int>
        let policy: HTTPRedirectPolicy

        init(url: URL, limit: Int, policy: HTTPRedirectPolicy, priorRedirects: Int) {
            self.url = url
            self.limit = limit
            self.policy = policy
            self.redirects = Mutex(priorRedirects)
        }

        /// Set once the caller has been answered without the task ending (deadline, cancellation):
        /// the task is cancelled at its next delegate callback for a final response.
        let abandoned = Mutex(false)

        func finish(_ result: Result<HTTPResponse, any Error>) {
            let c = continuation.withLock { c -> CheckedContinuation<HTTPResponse, any Error>? in
                defer { c = nil }
                return c
            }
            c?.resume(with: result)
        }

        /// Answers the caller with `error` now (no-op once answered) and marks the task for
        /// cancellation. The task itself is not cancelled here: FoundationNetworking traps
        /// ("Received callback for HTTP redirection, but we're not waiting for it") when a task is
        /// cancelled while its redirect decision is pending, which this thread cannot see. The
        /// delegate cancels it on the next response or data callback, which come only for a
        /// final (non-redirect) response; a task that stalls ends by URLSession's idle timeout.
        func abandon(_ error: HTTPTransportError) {
            let first = continuation.withLock { $0 != nil }
            guard first else { return }
            abandoned.withLock { $0 = true }
            failure.withLock { if $0 == nil { $0 = error } }
            finish(.failure(failure.withLock { $0 } ?? error))
        }
    }

    final class Delegate: NSObject, URLSessionDataDelegate, Sendable {
        let states = Mutex<[Int: RequestState]>([:])

        func state(_ task: URLSessionTask) -> RequestState? { states.withLock { $0[task.taskIdentifier] } }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
            if let state = state(dataTask) {
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                // A 301–308 reaches here only as a refused redirect, while the task is completing.
                if state.abandoned.withLock({ $0 }) && !(301...308).contains(status) { return completionHandler(.cancel) }
                state.status.withLock { $0 = status }
                state.expected.withLock { $0 = response.expectedContentLength }
                if response.expectedContentLength > Int64(state.limit) {
                    state.failure.withLock { $0 = HTTPTransportError(.oversizeResponse, url: redact(state.url), detail: "\(state.limit)") }
                    completionHandler(.cancel)
                    return
                }
            }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            guard let state = state(dataTask) else { return }
            if state.abandoned.withLock({ $0 }) && !(301...308).contains(state.status.withLock({ $0 })) {
                return dataTask.cancel()
            }
            // Never hold more than limit + 1 bytes: FoundationNetworking keeps delivering chunks
            // it had queued before the cancellation lands, and a fast endless body on loopback
            // once grew an unbounded buffer to 24 GB (OOM-killed test run).
            let over = state.body.withLock { body -> Bool in
                let cap = state.limit < Int.max ? state.limit + 1 : Int.max
                let room = cap - body.count
                if room <= 0 { return true }
                body.append(contentsOf: data.prefix(room))
                return body.count > state.limit
            }
            if over {
                state.failure.withLock { $0 = HTTPTransportError(.oversizeResponse, url: redact(state.url), detail: "\(state.limit)") }
                dataTask.cancel()
            }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
            guard let state = state(task), !state.abandoned.withLock({ $0 }) else { return completionHandler(nil) }
            let count = state.redirects.withLock { n -> Int in
                n += 1
                return n
            }
            let refusal = request.url.map { state.policy.check(original: state.url, to: $0, count: count) }
                ?? HTTPTransportError(.failed, url: redact(state.url), detail: "redirect without a URL")
            if let refusal {
                // Not followed: the redirect response completes the task, which reports the
                // refusal (cancelling here as well trips FoundationNetworking's redirect state).
                state.failure.withLock { $0 = refusal }
                return completionHandler(nil)
            }
            completionHandler(request)
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            guard let state = states.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
            if let failure = state.failure.withLock({ $0 }) {
                return state.finish(.failure(failure))
            }
            let url = redact(state.url)
            if let error {
                let code = (error as? URLError)?.code
                let received = state.body.withLock { $0.count }
                let expected = state.expected.withLock { $0 }
                if expected >= 0 && Int64(received) < expected && code != .timedOut {
                    return state.finish(.failure(HTTPTransportError(.truncatedResponse, url: url)))
                }
                if code == .timedOut { return state.finish(.failure(HTTPTransportError(.timeout, url: url))) }
                if code == .networkConnectionLost {
                    return state.finish(.failure(HTTPTransportError(.truncatedResponse, url: url)))
                }
                return state.finish(.failure(HTTPTransportError(.failed, url: url, detail: error.localizedDescription)))
            }
            let body = state.body.withLock { $0 }
            let expected = state.expected.withLock { $0 }
            if expected >= 0 && Int64(body.count) < expected {
                return state.finish(.failure(HTTPTransportError(.truncatedResponse, url: url)))
            }
            state.finish(.success(HTTPResponse(status: state.status.withLock { $0 }, body: body)))
        }
    }
}
