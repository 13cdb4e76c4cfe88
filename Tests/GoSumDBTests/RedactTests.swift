import Foundation
@testable import GoSumDB
import Testing

/// `redact` is Go's `net/url` `URL.Redacted` (net/url/url.go): only a password is replaced, by
/// `xxxxx`; the user name stays. The expected strings are what Go 1.27.3 prints for
/// `url.Parse(s).Redacted()` on each input.
@Suite struct RedactTests {
    static let goCases: [(String, String)] = [
        ("https://user:pass@proxy.example/path", "https://user:xxxxx@proxy.example/path"),
        ("https://user@proxy.example/", "https://user@proxy.example/"),
        ("https://user:@proxy.example/", "https://user:xxxxx@proxy.example/"),
        ("https://:pass@proxy.example/", "https://:xxxxx@proxy.example/"),
        ("https://proxy.example/a/b?x=1#f", "https://proxy.example/a/b?x=1#f"),
        ("https://us%20er:p%40ss@proxy.example:8443/mod", "https://us%20er:xxxxx@proxy.example:8443/mod"),
        ("file:///tmp/proxy", "file:///tmp/proxy"),
        ("http://a:b@[::1]:3000/x", "http://a:xxxxx@[::1]:3000/x"),
        // An `@` after the authority is not user information (Go: "https://h/p@q:r").
        ("https://h/p@q:r", "https://h/p@q:r"),
    ]

    @Test(arguments: goCases) func matchesGo(input: String, expected: String) throws {
        #expect(redact(input) == expected)
        let url = try #require(URL(string: input))
        #expect(redact(url) == expected)
    }
}
