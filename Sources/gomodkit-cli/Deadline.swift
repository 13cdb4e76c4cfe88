import ArgumentParser

/// A `--deadline` value: a positive duration written as Go's `time.ParseDuration` reads it
/// (`90s`, `5m`, `1h30m`, `1.5s`, `500ms`; units `ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`).
///
/// One deadline bounds the whole command, from its start: what is not checked when it passes
/// is reported as not verified and the command exits 3 (could not verify) unless a finding
/// makes it exit 1.
struct DeadlineDuration: ExpressibleByArgument, Sendable {
    /// The duration.
    let duration: Duration

    init?(argument: String) {
        guard let nanoseconds = Self.parse(argument), nanoseconds > 0 else { return nil }
        duration = .nanoseconds(nanoseconds)
    }

    /// The instant this duration from now.
    var fromNow: ContinuousClock.Instant { ContinuousClock.now + duration }

    /// Go's `time.ParseDuration` (without the sign, which a deadline cannot use), in
    /// nanoseconds; `nil` for malformed text or a value over 2^63-1 ns (Go: `invalid duration`).
    static func parse(_ text: String) -> Int64? {
        var s = Substring(text)
        if s == "0" { return 0 }
        guard !s.isEmpty else { return nil }
        var total: Int64 = 0
        while !s.isEmpty {
            let intDigits = s.prefix { $0.isASCII && $0.isNumber }
            s = s.dropFirst(intDigits.count)
            var fracDigits: Substring = ""
            if s.first == "." {
                s = s.dropFirst()
                fracDigits = s.prefix { $0.isASCII && $0.isNumber }
                s = s.dropFirst(fracDigits.count)
            }
            guard !intDigits.isEmpty || !fracDigits.isEmpty else { return nil }
            let unitText = s.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            s = s.dropFirst(unitText.count)
            let unit: Int64
            switch unitText {
            case "ns": unit = 1
            case "us", "µs", "μs": unit = 1_000
            case "ms": unit = 1_000_000
            case "s": unit = 1_000_000_000
            case "m": unit = 60_000_000_000
            case "h": unit = 3_600_000_000_000
            default: return nil
            }
            var whole: Int64 = 0
            for d in intDigits {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(d.asciiValue ?? 48) - 48)
                guard !o1, !o2 else { return nil }
                whole = a
            }
            let (scaled, o3) = whole.multipliedReportingOverflow(by: unit)
            guard !o3 else { return nil }
            // The fraction, as Go adds it: digits past 2^63's precision are dropped.
            var fraction = 0.0, scale = 1.0
            for d in fracDigits.prefix(18) {
                fraction = fraction * 10 + Double(Int(d.asciiValue ?? 48) - 48)
                scale *= 10
            }
            let extra = Int64((fraction * Double(unit) / scale).rounded(.down))
            let (value, o4) = scaled.addingReportingOverflow(extra)
            guard !o4 else { return nil }
            let (sum, o5) = total.addingReportingOverflow(value)
            guard !o5 else { return nil }
            total = sum
        }
        return total
    }
}

/// `body`'s result, or `nil` when `deadline` passes first: then `body`'s task is cancelled and
/// given at most `grace` to finish (to remove its temporary files, say); past that it is
/// abandoned, not waited for (a request in flight may not end on cancellation alone, and the
/// command must end within a small bound after its deadline). A result that arrives within the
/// grace is returned: the caller decides what a cut-short result means.
func beforeDeadline<T: Sendable>(_ deadline: ContinuousClock.Instant?, grace: Duration = .zero,
                                 _ body: @escaping @Sendable () async -> T) async -> T? {
    guard let deadline else { return await body() }
    if ContinuousClock.now >= deadline { return nil }
    let (events, continuation) = AsyncStream.makeStream(of: DeadlineEvent<T>.self)
    let work = Task {
        continuation.yield(.done(await body()))
    }
    let timer = Task {
        do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
        continuation.yield(.deadline)
        if grace > .zero {
            do { try await Task.sleep(until: deadline + grace, clock: .continuous) } catch { return }
        }
        continuation.yield(.graceOver)
    }
    var iterator = events.makeAsyncIterator()
    var result: T?
    waiting: while let event = await iterator.next() {
        switch event {
        case .done(let value):
            result = value
            break waiting
        case .deadline:
            work.cancel()
        case .graceOver:
            break waiting
        }
    }
    work.cancel()
    timer.cancel()
    continuation.finish()
    return result
}

/// What ``beforeDeadline(_:grace:_:)`` waits for.
private enum DeadlineEvent<T: Sendable>: Sendable { case done(T), deadline, graceOver }
