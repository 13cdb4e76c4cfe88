import Foundation
import Testing
import GoModFetch

/// `Retry-After` from a hostile index server (RFC 9110 §10.2.3: delay-seconds or an
/// IMF-fixdate whose day, hour, minute and second are 2DIGIT and whose year is 4DIGIT). A date
/// field outside that grammar is not a date (`nil`, the back-off applies); before the numbers
/// were held to their digit counts, a 17-digit year overflowed the day arithmetic and trapped.
@Suite struct RetryAfterTests {
    // 784111770 is `date -u -d "1994-11-06 08:49:30" +%s`.
    static let now = Date(timeIntervalSince1970: 784_111_770)

    @Test func theRFCExampleDate() {
        #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: Self.now) == .seconds(7))
        // 253402300799 is `date -u -d "9999-12-31 23:59:59" +%s`: the largest 4DIGIT year.
        #expect(RetryPolicy.retryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now: Self.now)
                == .milliseconds((253_402_300_799 - 784_111_770) * 1000))
    }

    @Test(arguments: [
        "Sun, 06 Nov 99999999999999999 08:49:37 GMT",
        "Sun, 06 Nov 9223372036854775807 08:49:37 GMT",
        "Sun, 06 Nov -9223372036854775808 08:49:37 GMT",
        "Sun, 06 Nov 19940 08:49:37 GMT",
        "Sun, 06 Nov 994 08:49:37 GMT",
        "Sun, -6 Nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 -8:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:+7 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
    ])
    func aDateOutsideTheGrammarIsNotADate(_ value: String) {
        #expect(RetryPolicy.retryAfter(value, now: Self.now) == nil)
    }
}
